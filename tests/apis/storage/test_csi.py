"""storage.k8s.io/v1 CSIDriver, CSINode and CSIStorageCapacity: defaults and validation."""

from __future__ import annotations

import copy

import pytest

from kube_apiserver.apis.storage import csi, defaults


def driver(**spec) -> dict:
    obj = {"metadata": {"name": "csi.example.com"}, "spec": spec}
    defaults.default_csi_driver(obj)
    return obj


def messages(errs) -> list[str]:
    return [str(e) for e in errs]


def test_csi_driver_defaults_every_switch():
    assert driver()["spec"] == {
        "attachRequired": True,
        "podInfoOnMount": False,
        "storageCapacity": False,
        "fsGroupPolicy": "ReadWriteOnceWithFSType",
        "requiresRepublish": False,
        "seLinuxMount": False,
        "volumeLifecycleModes": ["Persistent"],
    }
    assert csi.validate_csi_driver(driver()) == []


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        (
            {"fsGroupPolicy": "Always"},
            [
                'spec.fsGroupPolicy: Unsupported value: "Always": supported values: "File", '
                '"None", "ReadWriteOnceWithFSType"'
            ],
        ),
        (
            {"volumeLifecycleModes": ["Persistent", "Forever"]},
            [
                'spec.volumeLifecycleModes: Unsupported value: "Forever": supported values: '
                '"Persistent", "Ephemeral"'
            ],
        ),
        (
            {"tokenRequests": [{"audience": "a", "expirationSeconds": 60}, {"audience": "a"}]},
            [
                "spec.tokenRequests[0].expirationSeconds: Invalid value: 60: may not specify a "
                "duration less than 10 minutes",
                'spec.tokenRequests[1].audience: Duplicate value: "a"',
            ],
        ),
    ],
)
def test_csi_driver_rules(spec, expected):
    assert messages(csi.validate_csi_driver(driver(**spec))) == expected


def test_csi_driver_attach_required_and_modes_are_immutable():
    old = driver()
    new = driver(attachRequired=False, volumeLifecycleModes=["Ephemeral"], podInfoOnMount=True)
    assert messages(csi.validate_csi_driver_update(new, old)) == [
        "spec.attachedRequired: Invalid value: false: field is immutable",
        'spec.volumeLifecycleModes: Invalid value: []storage.VolumeLifecycleMode{"Ephemeral"}: '
        "field is immutable",
    ]


def node(*drivers) -> dict:
    return {"metadata": {"name": "node-1"}, "spec": {"drivers": list(drivers)}}


@pytest.mark.parametrize(
    ("drivers", "expected"),
    [
        ([{"name": "csi.example.com", "nodeID": "n1", "topologyKeys": ["zone"]}], []),
        (
            [{"name": "csi.example.com", "nodeID": ""}, {"name": "csi.example.com", "nodeID": "x"}],
            [
                "spec.drivers[0].nodeID: Required value",
                'spec.drivers[1].name: Duplicate value: "csi.example.com"',
            ],
        ),
        (
            [{"name": "d.example.com", "nodeID": "x" * 257, "allocatable": {"count": -1}}],
            [
                f'spec.drivers[0].nodeID: Invalid value: "{"x" * 257}": must be 256 characters '
                "or less",
                "spec.drivers[0].allocatable.count: Invalid value: -1: must be greater than or "
                "equal to 0",
            ],
        ),
        (
            [{"name": "d.example.com", "nodeID": "x", "topologyKeys": ["zone", "zone"]}],
            ['spec.drivers[0]: Duplicate value: "zone"'],
        ),
    ],
)
def test_csi_node_rules(drivers, expected):
    assert messages(csi.validate_csi_node(node(*drivers))) == expected


def test_a_registered_csi_node_driver_is_immutable_but_drivers_may_be_added():
    old = node({"name": "a.example.com", "nodeID": "n1"})
    added = node(
        {"name": "a.example.com", "nodeID": "n1"}, {"name": "b.example.com", "nodeID": "x"}
    )
    assert csi.validate_csi_node_update(added, old) == []
    changed = node({"name": "a.example.com", "nodeID": "n2", "topologyKeys": ["zone"]})
    assert messages(csi.validate_csi_node_update(changed, old)) == [
        'spec.drivers: Invalid value: storage.CSINodeDriver{Name:"a.example.com", NodeID:"n2", '
        'TopologyKeys:[]string{"zone"}, Allocatable:(*storage.VolumeNodeResources)(nil)}: '
        "field is immutable"
    ]


def capacity(**fields) -> dict:
    return {
        "metadata": {"name": "cap", "namespace": "default"},
        "storageClassName": "fast",
        "nodeTopology": {"matchLabels": {"zone": "a"}},
        "capacity": "10Gi",
        **fields,
    }


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({}, []),
        (
            {"capacity": "-1Gi"},
            ['capacity: Invalid value: "-1Gi": must be greater than or equal to 0'],
        ),
        (
            {"nodeTopology": {"matchExpressions": [{"key": "zone", "operator": "In"}]}},
            [
                "nodeTopology.matchExpressions[0].values: Required value: must be specified when "
                "`operator` is 'In' or 'NotIn'"
            ],
        ),
    ],
)
def test_csi_storage_capacity_rules(fields, expected):
    assert messages(csi.validate_csi_storage_capacity(capacity(**fields))) == expected


def test_csi_storage_capacity_class_and_topology_are_immutable():
    old = capacity()
    new = copy.deepcopy(old)
    new["storageClassName"] = "slow"
    new["nodeTopology"] = {"matchLabels": {"zone": "b"}}
    new["capacity"] = "20Gi"
    assert messages(csi.validate_csi_storage_capacity_update(new, old)) == [
        'nodeTopology: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"zone":"b"}, '
        "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable",
        'storageClassName: Invalid value: "slow": field is immutable',
    ]
