"""core/v1 validation: Kubernetes' messages and field paths, on defaulted objects as the server sees them."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from kube_apiserver.apis.core import defaults
from kube_apiserver.apis.core import validation as v

SUBDOMAIN_MSG = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must "
    "start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
)


def messages(errors: list) -> list[str]:
    return [str(e) for e in errors]


def pod(**spec: Any) -> dict:
    obj = {
        "metadata": {"name": "p", "namespace": "default"},
        "spec": {"containers": [{"name": "a", "image": "nginx"}], **spec},
    }
    defaults.default_pod(obj)
    return obj


def container(**fields: Any) -> dict:
    return {"name": "a", "image": "nginx", **fields}


def service(**spec: Any) -> dict:
    obj = {
        "metadata": {"name": "s", "namespace": "default"},
        "spec": {"ports": [{"port": 80}], **spec},
    }
    defaults.default_service(obj)
    if obj["spec"].get("clusterIP"):  # as the service registry fills it in before validation
        obj["spec"].setdefault("clusterIPs", [obj["spec"]["clusterIP"]])
    return obj


def test_a_minimal_pod_is_valid():
    assert v.validate_pod(pod()) == []


POD_CASES = [
    ({"containers": []}, "spec.containers: Required value"),
    ({"containers": [container(), container()]}, 'spec.containers[1].name: Duplicate value: "a"'),
    ({"containers": [container(image="")]}, "spec.containers[0].image: Required value"),
    (
        {"containers": [container(imagePullPolicy="Sometimes")]},
        'spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"',
    ),
    (
        {"restartPolicy": "Sometimes"},
        'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
    ),
    (
        {"dnsPolicy": "Nope"},
        'spec.dnsPolicy: Unsupported value: "Nope": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"',
    ),
    (
        {"containers": [container(ports=[{"containerPort": 70000}])]},
        "spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
    ),
    (
        {"containers": [container(ports=[{"containerPort": 80, "protocol": "HTTP"}])]},
        'spec.containers[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
    ),
    (
        {
            "containers": [
                container(
                    ports=[
                        {"name": "http", "containerPort": 80},
                        {"name": "http", "containerPort": 81},
                    ]
                )
            ]
        },
        'spec.containers[0].ports[1].name: Duplicate value: "http"',
    ),
    (
        {"containers": [container(resources={"requests": {"cpu": "2"}, "limits": {"cpu": "1"}})]},
        'spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1',
    ),
    (
        {
            "containers": [
                container(resources={"requests": {"memory": "2Gi"}, "limits": {"memory": "1024Mi"}})
            ]
        },
        'spec.containers[0].resources.requests: Invalid value: "2Gi": must be less than or equal to memory limit of 1Gi',
    ),
    (
        {"containers": [container(resources={"limits": {"cpu": "-1"}})]},
        'spec.containers[0].resources.limits[cpu]: Invalid value: "-1": must be greater than or equal to 0',
    ),
    (
        {"containers": [container(resources={"limits": {"example.com/gpu": "500m"}})]},
        "spec.containers[0].resources.limits[example.com/gpu]: Invalid value: 500m: must be an integer",
    ),
    (
        {"containers": [container(env=[{"name": "A=B", "value": "x"}])]},
        'spec.containers[0].env[0].name: Invalid value: "A=B": a valid environment variable name must consist only '
        "of printable ASCII characters other than '='",
    ),
    (
        {"containers": [container(env=[{"name": "A", "valueFrom": {}}])]},
        'spec.containers[0].env[0].valueFrom: Invalid value: "": must specify one of: `fieldRef`, `resourceFieldRef`, '
        "`configMapKeyRef` or `secretKeyRef`",
    ),
    (
        {"volumes": [{"name": "v", "emptyDir": {}}, {"name": "v", "emptyDir": {}}]},
        'spec.volumes[1].name: Duplicate value: "v"',
    ),
    (
        {"volumes": [{"name": "v", "emptyDir": {}, "secret": {"secretName": "s"}}]},
        "spec.volumes[0].secret: Forbidden: may not specify more than 1 volume type",
    ),
    (
        {"volumes": [{"name": "v", "configMap": {}}]},
        "spec.volumes[0].configMap.name: Required value",
    ),
    (
        {"volumes": [{"name": "v", "hostPath": {"path": "/a/../b"}}]},
        "spec.volumes[0].hostPath.path: Invalid value: \"/a/../b\": must not contain '..'",
    ),
    (
        {"containers": [container(volumeMounts=[{"name": "x", "mountPath": "/x"}])]},
        'spec.containers[0].volumeMounts[0].name: Not found: "x"',
    ),
    (
        {"serviceAccountName": "Bad_Name"},
        f'spec.serviceAccountName: Invalid value: "Bad_Name": {SUBDOMAIN_MSG}',
    ),
    (
        {"activeDeadlineSeconds": 0},
        "spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive",
    ),
    (
        {"tolerations": [{"key": "k", "operator": "Exists", "value": "v"}]},
        "spec.tolerations[0].operator: Invalid value: \"v\": value must be empty when `operator` is 'Exists'",
    ),
    (
        {
            "hostNetwork": True,
            "containers": [container(ports=[{"containerPort": 80, "hostPort": 81}])],
        },
        "spec.containers[0].ports[0].hostPort: Invalid value: 81: must match `containerPort` when `hostNetwork` is true",
    ),
    (
        {
            "containers": [
                container(livenessProbe={"exec": {"command": ["true"]}, "successThreshold": 2})
            ]
        },
        "spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1",
    ),
    (
        {"containers": [container(readinessProbe={})]},
        "spec.containers[0].readinessProbe: Required value: must specify a handler type",
    ),
    (
        {"containers": [container(securityContext={"runAsUser": -1})]},
        "spec.containers[0].securityContext.runAsUser: Invalid value: -1: must be between 0 and 4294967295, inclusive",
    ),
    (
        {"initContainers": [container(name="a")]},
        'spec.initContainers[0].name: Duplicate value: "a"',
    ),
    (
        {"initContainers": [container(name="i", restartPolicy="Never")]},
        'spec.initContainers[0].restartPolicy: Unsupported value: "Never": supported values: "Always"',
    ),
    (
        {
            "affinity": {
                "nodeAffinity": {
                    "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": []}
                }
            }
        },
        "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: Required value: "
        "must have at least one node selector term",
    ),
    (
        {"dnsPolicy": "None"},
        "spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None",
    ),
    (
        {
            "topologySpreadConstraints": [
                {"maxSkew": 0, "topologyKey": "zone", "whenUnsatisfiable": "DoNotSchedule"}
            ]
        },
        "spec.topologySpreadConstraints[0].maxSkew: Invalid value: 0: must be greater than zero",
    ),
    (
        {"os": {"name": "plan9"}},
        'spec.os: Unsupported value: "plan9": supported values: "linux", "windows"',
    ),
]


@pytest.mark.parametrize(("spec", "expected"), POD_CASES)
def test_an_invalid_pod_is_reported_with_kubernetes_message_and_path(spec, expected):
    assert expected in messages(v.validate_pod(pod(**spec)))


def test_ephemeral_containers_and_gated_node_names_are_refused_on_create():
    obj = pod(
        ephemeralContainers=[{"name": "e", "image": "busybox"}],
        nodeName="n1",
        schedulingGates=[{"name": "example.com/gate"}],
    )
    assert messages(v.validate_pod(obj)) == [
        "spec.ephemeralContainers: Forbidden: cannot be set on create",
        "spec.nodeName: Forbidden: cannot be set until all schedulingGates have been cleared",
    ]


@pytest.mark.parametrize(
    "garbage",
    [
        {"spec": "nonsense"},
        {"spec": {"containers": "abc"}},
        {
            "spec": {
                "containers": [
                    5,
                    {"name": 3, "image": ["x"], "ports": [7, {"containerPort": "80"}]},
                ]
            }
        },
        {
            "spec": {
                "containers": [{"name": "a", "image": "i", "resources": {"limits": {"cpu": True}}}],
                "volumes": [1],
            }
        },
    ],
)
def test_values_of_the_wrong_type_are_reported_not_crashed_on(garbage):
    obj = {"metadata": {"name": "p"}, **garbage}
    assert v.validate_pod(obj)


# ---------------------------------------------------------------- pod updates


def test_a_pod_update_may_change_images_but_nothing_else_in_the_spec():
    old = pod()
    new = copy.deepcopy(old)
    new["spec"]["containers"][0]["image"] = "nginx:1.27"
    assert v.validate_pod_update(new, old) == []
    new["spec"]["containers"][0]["args"] = ["-v"]
    errs = v.validate_pod_update(new, old)
    assert len(errs) == 1 and errs[0].reason == "FieldValueForbidden" and errs[0].field == "spec"
    assert str(errs[0]).startswith(
        "spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,"
        "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing "
        "tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n"
    )


def test_a_pod_update_may_not_add_containers():
    old = pod()
    new = copy.deepcopy(old)
    new["spec"]["containers"].append(container(name="b"))
    defaults.default_pod(new)
    assert messages(v.validate_pod_update(new, old)) == [
        "spec.containers: Forbidden: pod updates may not add or remove containers"
    ]


def test_a_pod_update_may_lower_but_not_raise_the_active_deadline():
    old = pod(activeDeadlineSeconds=100)
    new = copy.deepcopy(old)
    new["spec"]["activeDeadlineSeconds"] = 50
    assert v.validate_pod_update(new, old) == []
    new["spec"]["activeDeadlineSeconds"] = 200
    assert messages(v.validate_pod_update(new, old)) == [
        "spec.activeDeadlineSeconds: Invalid value: 200: must be less than or equal to previous value"
    ]


def test_a_pod_update_may_add_tolerations_but_not_change_existing_ones():
    toleration = {
        "key": "k",
        "operator": "Equal",
        "value": "v",
        "effect": "NoExecute",
        "tolerationSeconds": 5,
    }
    old = pod(tolerations=[toleration])
    new = copy.deepcopy(old)
    new["spec"]["tolerations"][0]["tolerationSeconds"] = 10
    new["spec"]["tolerations"].append({"key": "x", "operator": "Exists"})
    assert v.validate_pod_update(new, old) == []
    new["spec"]["tolerations"][0]["value"] = "w"
    assert (
        "spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds"
        in messages(v.validate_pod_update(new, old))
    )


def test_a_pod_status_update_may_not_move_the_pod_to_another_node():
    old = pod(nodeName="n1")
    new = copy.deepcopy(old)
    new["spec"]["nodeName"] = "n2"
    new["status"] = {"podIPs": [{"ip": "10.0.0.1"}, {"ip": "10.0.0.2"}]}
    assert messages(v.validate_pod_status_update(new, old)) == [
        "status.nodeName: Forbidden: may not be changed directly",
        'status.podIPs: Invalid value: []core.PodIP{core.PodIP{IP:"10.0.0.1"}, core.PodIP{IP:"10.0.0.2"}}: '
        "may specify no more than one IP for each IP family",
    ]


# ---------------------------------------------------------------- pod templates


def test_a_pod_template_reports_labels_without_the_metadata_segment():
    template = {
        "metadata": {"labels": {"a": "-bad-"}},
        "spec": {"containers": [{"name": "c", "image": "i"}]},
    }
    defaults.default_pod_spec(template["spec"])
    errs = messages(v.validate_pod_template(template, "spec.template"))
    assert errs and all(e.startswith("spec.template.labels: ") for e in errs)


def test_an_undefaulted_pod_spec_misses_what_defaulting_would_set():
    assert messages(v.validate_pod_spec({"containers": [{"name": "c", "image": "i"}]}, "spec")) == [
        "spec.terminationGracePeriodSeconds: Required value",
        "spec.containers[0].terminationMessagePolicy: Required value",
        "spec.containers[0].imagePullPolicy: Required value",
        "spec.restartPolicy: Required value",
        "spec.dnsPolicy: Required value",
    ]


def test_validate_pod_spec_is_reusable_under_any_path():
    spec = {"containers": [{"name": "c", "image": ""}]}
    defaults.default_pod_spec(spec)
    assert messages(v.validate_pod_spec(spec, "spec.template.spec")) == [
        "spec.template.spec.containers[0].image: Required value"
    ]


# ---------------------------------------------------------------- services


def test_a_minimal_service_is_valid():
    assert v.validate_service(service()) == []


SERVICE_CASES = [
    ({"ports": []}, "spec.ports: Required value"),
    (
        {"ports": [{"port": 0}]},
        "spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive",
    ),
    (
        {"ports": [{"port": 80, "protocol": "HTTP"}]},
        'spec.ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
    ),
    ({"ports": [{"port": 80}, {"port": 81}]}, "spec.ports[0].name: Required value"),
    (
        {"ports": [{"name": "a", "port": 80}, {"name": "b", "port": 80}]},
        'spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", AppProtocol:(*string)(nil), '
        'Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}',
    ),
    (
        {"ports": [{"name": "a", "port": 80}, {"name": "a", "port": 81}]},
        'spec.ports[1].name: Duplicate value: "a"',
    ),
    (
        {"ports": [{"port": 80, "targetPort": "Web"}]},
        'spec.ports[0].targetPort: Invalid value: "Web": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
    ),
    (
        {"type": "Magic"},
        'spec.type: Unsupported value: "Magic": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
    ),
    (
        {"clusterIP": "1.2.3"},
        'spec.clusterIPs[0]: Invalid value: "1.2.3": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    ),
    (
        {"ports": [{"port": 80, "nodePort": 30000}]},
        "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'",
    ),
    (
        {"sessionAffinity": "Sticky"},
        'spec.sessionAffinity: Unsupported value: "Sticky": supported values: "ClientIP", "None"',
    ),
    ({"type": "ExternalName", "ports": []}, "spec.externalName: Required value"),
    (
        {"type": "NodePort", "clusterIP": "None"},
        "spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for NodePort services",
    ),
    (
        {"selector": {"app": "-x"}},
        'spec.selector: Invalid value: "-x": a valid label must be an empty string or '
        "consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character "
        "(e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is "
        "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    ),
    (
        {"loadBalancerSourceRanges": ["10.0.0.0/8"]},
        "spec.LoadBalancerSourceRanges: Forbidden: may only be used when `type` is 'LoadBalancer'",
    ),
    (
        {"externalIPs": ["127.0.0.1"]},
        'spec.externalIPs[0]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
    ),
]


@pytest.mark.parametrize(("spec", "expected"), SERVICE_CASES)
def test_an_invalid_service_is_reported_with_kubernetes_message_and_path(spec, expected):
    assert expected in messages(v.validate_service(service(**spec)))


def test_headless_services_need_no_ports():
    assert v.validate_service(service(clusterIP="None", ports=[])) == []


def test_a_service_cluster_ip_may_not_change():
    old = service(clusterIP="10.0.0.1")
    new = service(clusterIP="10.0.0.2")
    assert messages(v.validate_service_update(new, old)) == [
        'spec.clusterIPs[0]: Invalid value: []string{"10.0.0.2"}: may not change once set'
    ]
    assert v.validate_service_update(copy.deepcopy(old), old) == []
    patched = copy.deepcopy(old)
    patched["spec"]["clusterIP"] = "10.0.0.9"  # a patch that leaves clusterIPs as stored
    assert messages(v.validate_service_update(patched, old)) == [
        'spec.clusterIPs[0]: Invalid value: []string{"10.0.0.9"}: may not change once set'
    ]


def test_load_balancer_status_is_only_for_load_balancers():
    new = service()
    new["status"] = {"loadBalancer": {"ingress": [{"ip": "1.2.3.4", "ipMode": "VIP"}]}}
    assert messages(v.validate_service_status_update(new, service())) == [
        "status.loadBalancer.ingress: Forbidden: may only be used when `spec.type` is 'LoadBalancer'"
    ]


@pytest.mark.parametrize(
    ("name", "errors"),
    [
        ("my-svc", []),
        (
            "1abc",
            [
                "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
                "alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex "
                "used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
            ],
        ),
        ("a" * 64, ["must be no more than 63 characters"]),
    ],
)
def test_service_names_are_dns_1035_labels(name, errors):
    assert v.dns1035_label_errors(name) == errors


# ---------------------------------------------------------------- config maps and secrets

CONFIG_KEY_MSG = (
    "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  "
    "or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"
)


@pytest.mark.parametrize(
    ("obj", "expected"),
    [
        ({"data": {"a b": "x"}}, [f'data[a b]: Invalid value: "a b": {CONFIG_KEY_MSG}']),
        ({"data": {"..": "x"}}, ["data[..]: Invalid value: \"..\": must not be '..'"]),
        (
            {"data": {"k": "x"}, "binaryData": {"k": "eA=="}},
            ['data[k]: Invalid value: "k": duplicate of key present in binaryData'],
        ),
        # The whole object is too large: Kubernetes gives no field path.
        (
            {"data": {"k": "x" * (1024 * 1024 + 1)}},
            ["Too long: may not be more than 1048576 bytes"],
        ),
        ({"data": {"k.1": "x", "K_2": "y"}}, []),
    ],
)
def test_config_map_keys_and_size(obj, expected):
    assert messages(v.validate_configmap(obj)) == expected


def test_an_immutable_config_map_keeps_its_data():
    old = {"immutable": True, "data": {"a": "1"}}
    assert messages(v.validate_configmap_update({"immutable": True, "data": {"a": "2"}}, old)) == [
        "data: Forbidden: field is immutable when `immutable` is set"
    ]
    assert messages(v.validate_configmap_update({"data": {"a": "1"}}, old)) == [
        "immutable: Forbidden: field is immutable when `immutable` is set"
    ]
    assert v.validate_configmap_update({"immutable": True, "data": {"a": "1"}}, old) == []


@pytest.mark.parametrize(
    ("obj", "expected"),
    [
        (
            {"type": "kubernetes.io/tls", "data": {}},
            ["data[tls.crt]: Required value", "data[tls.key]: Required value"],
        ),
        (
            {"type": "kubernetes.io/dockerconfigjson", "data": {}},
            ["data[.dockerconfigjson]: Required value"],
        ),
        (
            {"type": "kubernetes.io/dockerconfigjson", "data": {".dockerconfigjson": "bm9wZQ=="}},
            [
                "data[.dockerconfigjson]: Invalid value: \"<secret contents redacted>\": invalid character 'n' looking for "
                "beginning of value"
            ],
        ),
        (
            {"type": "kubernetes.io/service-account-token"},
            ["metadata.annotations[kubernetes.io/service-account.name]: Required value"],
        ),
        (
            {"type": "kubernetes.io/basic-auth", "data": {}},
            ["data[username]: Required value", "data[password]: Required value"],
        ),
        (
            {"type": "Opaque", "data": {"a/b": "eA=="}},
            [f'data[a/b]: Invalid value: "a/b": {CONFIG_KEY_MSG}'],
        ),
        ({"type": "kubernetes.io/tls", "data": {"tls.crt": "", "tls.key": ""}}, []),
    ],
)
def test_secret_types_require_their_keys(obj, expected):
    assert messages(v.validate_secret(obj)) == expected


def test_a_secret_type_and_immutable_data_may_not_change():
    old = {"type": "Opaque", "immutable": True, "data": {"a": "eA=="}}
    new = {"type": "kubernetes.io/tls", "immutable": True, "data": {"tls.crt": "", "tls.key": ""}}
    assert messages(v.validate_secret_update(new, old)) == [
        'type: Invalid value: "kubernetes.io/tls": field is immutable',
        "data: Forbidden: field is immutable when `immutable` is set",
    ]


# ---------------------------------------------------------------- namespaces, nodes, endpoints, events


def test_namespace_finalizers_are_reported_at_the_list_path():
    obj = {"metadata": {"name": "n"}, "spec": {"finalizers": ["kubernetes", "custom"]}}
    assert messages(v.validate_namespace(obj)) == [
        'spec.finalizers: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified'
    ]


def test_a_namespace_is_active_until_it_is_being_deleted():
    ns = {"metadata": {"name": "n"}, "status": {"phase": "Terminating"}}
    assert messages(v.validate_namespace_status_update(ns, ns)) == [
        "status.Phase: Invalid value: \"Terminating\": may only be 'Active' if `deletionTimestamp` is empty"
    ]
    ns["metadata"]["deletionTimestamp"] = "2025-01-01T00:00:00Z"
    assert v.validate_namespace_status_update(ns, ns) == []


def test_node_pod_cidrs_and_taints():
    node = {
        "metadata": {"name": "n"},
        "spec": {
            "podCIDR": "10.0.0.0/33",
            "taints": [
                {"key": "k", "effect": "NoSchedule"},
                {"key": "k", "effect": "NoSchedule"},
                {"key": "j", "effect": "Sometimes"},
            ],
        },
    }
    assert messages(v.validate_node(node)) == [
        'metadata.taints[1]: Duplicate value: core.Taint{Key:"k", Value:"", Effect:"NoSchedule", '
        "TimeAdded:(*v1.Time)(nil)}: taints must be unique by key and effect pair",
        'metadata.taints[2].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
        'spec.podCIDRs[0]: Invalid value: "10.0.0.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
    ]


def test_a_node_pod_cidr_may_be_set_once():
    old = {"spec": {}}
    new = {"spec": {"podCIDR": "10.0.0.0/24", "podCIDRs": ["10.0.0.0/24"]}}
    assert v.validate_node_update(new, old) == []
    changed = {"spec": {"podCIDRs": ["10.1.0.0/24"]}}
    assert messages(v.validate_node_status_update(changed, new)) == [
        'spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to valid'
    ]


def test_endpoints_addresses_and_ports():
    obj = {
        "subsets": [
            {
                "addresses": [{"ip": "10.0.0.300"}, {"ip": "127.0.0.1"}],
                "ports": [
                    {"port": 80, "protocol": "TCP"},
                    {"name": "b", "port": 81, "protocol": "TCP"},
                ],
            },
            {"ports": [{"port": 80, "protocol": "TCP"}]},
        ]
    }
    assert messages(v.validate_endpoints(obj)) == [
        'subsets[0].addresses[0].ip: Invalid value: "10.0.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
        'subsets[0].addresses[0].ip: Invalid value: "10.0.0.300": must be a valid IP address',
        'subsets[0].addresses[1].ip: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
        "subsets[0].ports[0].name: Required value",
        "subsets[1]: Required value: must specify `addresses` or `notReadyAddresses`",
    ]


def test_a_core_event_must_be_in_its_objects_namespace():
    event = {
        "metadata": {"name": "e", "namespace": "default"},
        "involvedObject": {"kind": "Pod", "namespace": "other"},
    }
    assert messages(v.validate_event(event)) == [
        'involvedObject.namespace: Invalid value: "other": does not match event.namespace'
    ]
    event["involvedObject"]["namespace"] = "default"
    assert v.validate_event(event) == []
    assert v.validate_event_update(event, event) == []


def test_service_accounts_have_nothing_beyond_metadata_to_validate():
    assert v.validate_serviceaccount({"metadata": {"name": "sa"}, "secrets": [{"name": "x"}]}) == []


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("500m", "500m"),
        ("0.5", "500m"),
        ("1000m", "1"),
        ("1000", "1k"),
        ("1500", "1500"),
        ("1Gi", "1Gi"),
        ("1024Mi", "1Gi"),
        ("1536Mi", "1536Mi"),
        ("512", "512"),
        (2, "2"),
        ("1e3", "1e3"),
        ("0", "0"),
    ],
)
def test_quantities_print_in_kubernetes_canonical_form(raw, canonical):
    assert str(v.parse_quantity(raw)) == canonical


@pytest.mark.parametrize("raw", ["", "abc", "1.2.3", "5Zi", "--1"])
def test_malformed_quantities_do_not_parse(raw):
    assert v.parse_quantity(raw) is None
