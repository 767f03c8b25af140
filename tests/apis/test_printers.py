"""Server-side Table output: columns and cells as kube-apiserver 1.33 prints them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kube_apiserver.apis.apps.printers import TABLES as APPS_TABLES
from kube_apiserver.apis.coordination.printers import TABLES as COORDINATION_TABLES
from kube_apiserver.apis.core.printers import TABLES as CORE_TABLES
from kube_apiserver.apis.core.printers import format_endpoints
from kube_apiserver.apis.events.printers import TABLES as EVENTS_TABLES
from kube_apiserver.apis.meta.table import (
    DEFAULT_TABLE,
    age,
    build_table,
    field_doc,
    human_duration,
    selector_string,
)

NOW = datetime(2025, 6, 1, 12, 0, 0, tzinfo=UTC)
NAME_DOC = field_doc("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", "name")
AGE_DOC = field_doc("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", "creationTimestamp")


def ago(seconds: float) -> str:
    return (NOW - timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")


def meta(name: str, *, created: float = 300, **extra) -> dict:
    return {
        "name": name,
        "namespace": "default",
        "uid": "u-" + name,
        "resourceVersion": "7",
        "creationTimestamp": ago(created),
        **extra,
    }


def names(table_def) -> list[str]:
    return [c.name for c in table_def.columns]


def wide(table_def) -> list[str]:
    return [c.name for c in table_def.columns if c.priority == 1]


def cells(table_def, obj) -> list:
    return table_def.row(obj, NOW)


# ---- human_duration and age ----


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0s"),
        (0.9, "0s"),
        (-1.5, "0s"),
        (-2, "<invalid>"),
        (59, "59s"),
        (119, "119s"),
        (120, "2m"),
        (123, "2m3s"),
        (599, "9m59s"),
        (600, "10m"),
        (10799, "179m"),
        (10800, "3h"),
        (12600, "3h30m"),
        (28800, "8h"),
        (47 * 3600 + 59 * 60, "47h"),
        (48 * 3600, "2d"),
        (50 * 3600, "2d2h"),
        (8 * 86400, "8d"),
        (729 * 86400, "729d"),
        (730 * 86400, "2y"),
        (731 * 86400, "2y1d"),
        (8 * 365 * 86400, "8y"),
        (10 * 365 * 86400 + 5 * 86400, "10y"),
    ],
)
def test_human_duration_matches_kubernetes_rounding(seconds, text):
    assert human_duration(seconds) == text


def test_age_is_unknown_without_a_creation_timestamp():
    assert age({"metadata": {"name": "x"}}, NOW) == "<unknown>"
    assert age({"metadata": meta("x", created=3 * 3600)}, NOW) == "3h"


# ---- build_table ----


def test_build_table_with_metadata_attaches_partial_object_metadata():
    ns = {
        "kind": "Namespace",
        "apiVersion": "v1",
        "metadata": meta("team-a"),
        "status": {"phase": "Active"},
    }
    table = build_table(
        CORE_TABLES["namespaces"], [ns], NOW, list_meta={"resourceVersion": "42", "continue": ""}
    )
    assert list(table) == ["kind", "apiVersion", "metadata", "columnDefinitions", "rows"]
    assert table["kind"] == "Table" and table["apiVersion"] == "meta.k8s.io/v1"
    assert table["metadata"] == {"resourceVersion": "42"}
    assert table["columnDefinitions"][0] == {
        "name": "Name",
        "type": "string",
        "format": "name",
        "description": NAME_DOC,
        "priority": 0,
    }
    assert table["rows"] == [
        {
            "cells": ["team-a", "Active", "5m"],
            "object": {
                "kind": "PartialObjectMetadata",
                "apiVersion": "meta.k8s.io/v1",
                "metadata": ns["metadata"],
            },
        }
    ]


def test_build_table_with_object_or_none_attaches_the_object_or_null():
    ns = {"kind": "Namespace", "apiVersion": "v1", "metadata": meta("a"), "status": {}}
    full = build_table(CORE_TABLES["namespaces"], [ns], NOW, include_object="Object")
    assert full["rows"][0]["object"] is ns
    bare = build_table(CORE_TABLES["namespaces"], [ns], NOW, include_object="None")
    assert bare["rows"][0] == {"cells": ["a", "", "5m"], "object": None}


def test_build_table_rejects_an_unknown_include_object_only_when_there_are_rows():
    ns = {"metadata": meta("a")}
    with pytest.raises(ValueError, match='unrecognized includeObject value: "Everything"'):
        build_table(CORE_TABLES["namespaces"], [ns], NOW, include_object="Everything")
    assert (
        build_table(CORE_TABLES["namespaces"], [], NOW, include_object="Everything")["rows"] == []
    )


def test_build_table_without_headers_has_null_column_definitions():
    table = build_table(
        CORE_TABLES["configmaps"],
        [],
        NOW,
        no_headers=True,
        list_meta={"resourceVersion": "9", "remainingItemCount": 0},
    )
    assert table["columnDefinitions"] is None
    assert table["metadata"] == {"resourceVersion": "9", "remainingItemCount": 0}


def test_default_table_prints_name_and_created_at():
    assert [c.to_dict() for c in DEFAULT_TABLE.columns] == [
        {
            "name": "Name",
            "type": "string",
            "format": "name",
            "description": NAME_DOC,
            "priority": 0,
        },
        {"name": "Created At", "type": "date", "format": "", "description": AGE_DOC, "priority": 0},
    ]
    obj = {"metadata": {"name": "x", "creationTimestamp": "2025-05-01T10:00:00+02:00"}}
    assert cells(DEFAULT_TABLE, obj) == ["x", "2025-05-01T08:00:00Z"]
    assert cells(DEFAULT_TABLE, {"metadata": {"name": "y"}}) == ["y", "0001-01-01T00:00:00Z"]
    assert build_table(DEFAULT_TABLE, [], NOW)["rows"] is None


# ---- core/v1 ----


def test_namespaces_configmaps_secrets_and_serviceaccounts_print_counts():
    assert names(CORE_TABLES["namespaces"]) == ["Name", "Status", "Age"]
    assert names(CORE_TABLES["configmaps"]) == ["Name", "Data", "Age"]
    cm = {"metadata": meta("cfg"), "data": {"a": "1", "b": "2"}, "binaryData": {"c": "AA=="}}
    assert cells(CORE_TABLES["configmaps"], cm) == ["cfg", 3, "5m"]
    assert names(CORE_TABLES["secrets"]) == ["Name", "Type", "Data", "Age"]
    secret = {
        "metadata": meta("tls", created=90),
        "type": "kubernetes.io/tls",
        "data": {"tls.crt": "", "tls.key": ""},
    }
    assert cells(CORE_TABLES["secrets"], secret) == ["tls", "kubernetes.io/tls", 2, "90s"]
    assert names(CORE_TABLES["serviceaccounts"]) == ["Name", "Secrets", "Age"]
    sa = {"metadata": meta("default", created=86400 * 3), "secrets": [{"name": "tok"}]}
    assert cells(CORE_TABLES["serviceaccounts"], sa) == ["default", 1, "3d"]
    assert cells(CORE_TABLES["serviceaccounts"], {"metadata": meta("bare")})[1] == 0


def pod(*, phase="Running", containers=1, statuses=(), init=(), init_statuses=(), **extra) -> dict:
    spec = {
        "containers": [{"name": f"c{i}", "image": "nginx"} for i in range(containers)],
        "initContainers": list(init),
        "nodeName": "node-1",
    }
    status = {
        "phase": phase,
        "containerStatuses": list(statuses),
        "initContainerStatuses": list(init_statuses),
        "podIPs": [{"ip": "10.0.0.5"}],
    }
    status.update(extra.pop("status", {}))
    return {"metadata": meta("web", **extra), "spec": spec, "status": status}


def running(name="c0", restarts=0, **extra) -> dict:
    return {
        "name": name,
        "ready": True,
        "restartCount": restarts,
        "state": {"running": {"startedAt": ago(60)}},
        **extra,
    }


def test_pod_columns_include_the_wide_ones():
    assert names(CORE_TABLES["pods"]) == [
        "Name",
        "Ready",
        "Status",
        "Restarts",
        "Age",
        "IP",
        "Node",
        "Nominated Node",
        "Readiness Gates",
    ]
    assert wide(CORE_TABLES["pods"]) == ["IP", "Node", "Nominated Node", "Readiness Gates"]
    assert CORE_TABLES["pods"].columns[3].type == "string"


def test_running_pod_prints_ready_status_and_wide_cells():
    assert cells(CORE_TABLES["pods"], pod(statuses=[running()])) == [
        "web",
        "1/1",
        "Running",
        "0",
        "5m",
        "10.0.0.5",
        "node-1",
        "<none>",
        "<none>",
    ]


def test_pending_pod_shows_the_waiting_reason():
    waiting = {
        "name": "c0",
        "ready": False,
        "restartCount": 0,
        "state": {"waiting": {"reason": "ContainerCreating"}},
    }
    row = cells(CORE_TABLES["pods"], pod(phase="Pending", statuses=[waiting]))
    assert row[1:4] == ["0/1", "ContainerCreating", "0"]
    fresh = pod(phase="Pending", status={"podIPs": []})
    fresh["spec"].pop("nodeName")
    assert cells(CORE_TABLES["pods"], fresh)[1:] == [
        "0/1",
        "Pending",
        "0",
        "5m",
        "<none>",
        "<none>",
        "<none>",
        "<none>",
    ]


def test_crash_looping_pod_shows_restarts_with_time_since_last_one():
    crashing = {
        "name": "c0",
        "ready": False,
        "restartCount": 4,
        "state": {"waiting": {"reason": "CrashLoopBackOff"}},
        "lastState": {"terminated": {"exitCode": 1, "finishedAt": ago(300)}},
    }
    assert cells(CORE_TABLES["pods"], pod(statuses=[crashing]))[1:4] == [
        "0/1",
        "CrashLoopBackOff",
        "4 (5m ago)",
    ]


def test_init_containers_show_progress_and_failures():
    init = [{"name": "i0", "image": "busybox"}, {"name": "i1", "image": "busybox"}]
    done = {
        "name": "i0",
        "restartCount": 0,
        "state": {"terminated": {"exitCode": 0, "reason": "Completed"}},
    }
    pending = {"name": "i1", "restartCount": 0, "state": {"waiting": {"reason": "PodInitializing"}}}
    row = cells(CORE_TABLES["pods"], pod(phase="Pending", init=init, init_statuses=[done, pending]))
    assert row[2] == "Init:1/2"
    backoff = {
        "name": "i0",
        "restartCount": 2,
        "state": {"waiting": {"reason": "CrashLoopBackOff"}},
    }
    assert cells(CORE_TABLES["pods"], pod(phase="Pending", init=init, init_statuses=[backoff]))[
        2:4
    ] == [
        "Init:CrashLoopBackOff",
        "2",
    ]
    failed = {"name": "i0", "restartCount": 0, "state": {"terminated": {"exitCode": 3}}}
    assert cells(CORE_TABLES["pods"], pod(phase="Pending", init=init, init_statuses=[failed]))[
        2
    ] == ("Init:ExitCode:3")
    killed = {
        "name": "i0",
        "restartCount": 0,
        "state": {"terminated": {"exitCode": 137, "signal": 9}},
    }
    assert cells(CORE_TABLES["pods"], pod(phase="Pending", init=init, init_statuses=[killed]))[
        2
    ] == ("Init:Signal:9")


def test_sidecar_init_containers_count_towards_ready_and_restarts():
    init = [{"name": "proxy", "image": "envoy", "restartPolicy": "Always"}]
    sidecar = {
        "name": "proxy",
        "ready": True,
        "started": True,
        "restartCount": 1,
        "state": {"running": {}},
        "lastState": {"terminated": {"exitCode": 1, "finishedAt": ago(3600)}},
    }
    row = cells(
        CORE_TABLES["pods"],
        pod(
            init=init,
            init_statuses=[sidecar],
            statuses=[running()],
            status={"conditions": [{"type": "Initialized", "status": "True"}]},
        ),
    )
    assert row[1:4] == ["2/2", "Running", "1 (60m ago)"]


def test_completed_pod_reads_completed_and_carries_a_row_condition():
    done = {
        "name": "c0",
        "ready": False,
        "restartCount": 0,
        "state": {"terminated": {"exitCode": 0, "reason": "Completed"}},
    }
    finished = pod(phase="Succeeded", statuses=[done])
    assert cells(CORE_TABLES["pods"], finished)[1:3] == ["0/1", "Completed"]
    row = build_table(CORE_TABLES["pods"], [finished], NOW)["rows"][0]
    assert list(row) == ["cells", "conditions", "object"]
    assert row["conditions"] == [
        {
            "type": "Completed",
            "status": "True",
            "reason": "Succeeded",
            "message": "The pod has completed successfully.",
        }
    ]
    errored = {
        "name": "c0",
        "restartCount": 0,
        "state": {"terminated": {"exitCode": 2, "reason": "Error"}},
    }
    failed = pod(phase="Failed", statuses=[errored])
    assert cells(CORE_TABLES["pods"], failed)[2] == "Error"
    assert CORE_TABLES["pods"].conditions(failed)[0]["reason"] == "Failed"
    assert "conditions" not in build_table(CORE_TABLES["pods"], [pod()], NOW)["rows"][0]


def test_pod_with_one_container_done_and_one_running_reads_running_or_not_ready():
    done = {
        "name": "c0",
        "restartCount": 0,
        "state": {"terminated": {"exitCode": 0, "reason": "Completed"}},
    }
    both = pod(containers=2, statuses=[running("c1"), done])
    assert cells(CORE_TABLES["pods"], both)[1:3] == ["1/2", "NotReady"]
    both["status"]["conditions"] = [{"type": "Ready", "status": "True"}]
    assert cells(CORE_TABLES["pods"], both)[2] == "Running"
    no_reason = {"name": "c0", "restartCount": 0, "state": {"terminated": {"exitCode": 1}}}
    assert cells(CORE_TABLES["pods"], pod(statuses=[no_reason]))[2] == "ExitCode:1"


def test_deleted_pod_reads_terminating_or_unknown_when_its_node_is_lost():
    terminating = pod(statuses=[running()], deletionTimestamp=ago(5))
    assert cells(CORE_TABLES["pods"], terminating)[2] == "Terminating"
    lost = pod(statuses=[running()], deletionTimestamp=ago(5), status={"reason": "NodeLost"})
    assert cells(CORE_TABLES["pods"], lost)[2] == "Unknown"
    gated = pod(
        phase="Pending",
        status={
            "conditions": [{"type": "PodScheduled", "status": "False", "reason": "SchedulingGated"}]
        },
    )
    assert cells(CORE_TABLES["pods"], gated)[2] == "SchedulingGated"


def test_pod_readiness_gates_count_true_conditions():
    gated = pod(
        statuses=[running()],
        status={
            "nominatedNodeName": "node-2",
            "conditions": [
                {"type": "example.com/lb", "status": "True"},
                {"type": "x/y", "status": "False"},
            ],
        },
    )
    gated["spec"]["readinessGates"] = [
        {"conditionType": "example.com/lb"},
        {"conditionType": "x/y"},
        {"conditionType": "missing"},
    ]
    assert cells(CORE_TABLES["pods"], gated)[7:] == ["node-2", "1/3"]


def service(kind="ClusterIP", ports=(), **spec) -> dict:
    return {
        "metadata": meta("svc"),
        "spec": {"type": kind, "clusterIPs": ["10.96.0.10"], "ports": list(ports), **spec},
    }


def test_services_print_type_ips_ports_and_selector():
    table = CORE_TABLES["services"]
    assert names(table) == [
        "Name",
        "Type",
        "Cluster-IP",
        "External-IP",
        "Port(s)",
        "Age",
        "Selector",
    ]
    assert wide(table) == ["Selector"]
    plain = service(
        ports=[{"port": 80, "protocol": "TCP"}, {"port": 53, "protocol": "UDP"}],
        selector={"tier": "web", "app": "a"},
    )
    assert cells(table, plain) == [
        "svc",
        "ClusterIP",
        "10.96.0.10",
        "<none>",
        "80/TCP,53/UDP",
        "5m",
        "app=a,tier=web",
    ]
    node_port = service(
        "NodePort",
        ports=[{"port": 80, "nodePort": 30080, "protocol": "TCP"}],
        externalIPs=["1.2.3.4"],
    )
    assert cells(table, node_port)[2:5] == ["10.96.0.10", "1.2.3.4", "80:30080/TCP"]
    assert cells(table, node_port)[6] == "<none>"
    headless = service(ports=[], clusterIPs=["None"])
    assert cells(table, headless)[2:5] == ["None", "<none>", "<none>"]


def test_load_balancer_and_external_name_services_print_their_external_address():
    table = CORE_TABLES["services"]
    lb = service("LoadBalancer", ports=[{"port": 443, "nodePort": 31443, "protocol": "TCP"}])
    assert cells(table, lb)[3] == "<pending>"
    lb["status"] = {
        "loadBalancer": {"ingress": [{"ip": "203.0.113.9"}, {"hostname": "a.example.com"}]}
    }
    assert cells(table, lb)[3] == "203.0.113.9,a.example.com"
    external = service("ExternalName", externalName="db.example.com", clusterIPs=[])
    assert cells(table, external)[1:4] == ["ExternalName", "<none>", "db.example.com"]


def test_endpoints_print_addresses_and_truncate_after_three():
    assert names(CORE_TABLES["endpoints"]) == ["Name", "Endpoints", "Age"]
    assert format_endpoints({}) == "<none>"
    two = {
        "subsets": [
            {"addresses": [{"ip": "10.0.0.1"}, {"ip": "10.0.0.2"}], "ports": [{"port": 8080}]}
        ]
    }
    assert cells(CORE_TABLES["endpoints"], {"metadata": meta("svc"), **two}) == [
        "svc",
        "10.0.0.1:8080,10.0.0.2:8080",
        "5m",
    ]
    many = {
        "subsets": [
            {
                "addresses": [{"ip": f"10.0.0.{i}"} for i in range(1, 4)],
                "ports": [{"port": 80}, {"port": 443}],
            }
        ]
    }
    assert format_endpoints(many) == "10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 3 more..."
    headless = {
        "subsets": [{"addresses": [{"ip": "fd00::1"}]}, {"addresses": [{"ip": "10.1.1.1"}]}]
    }
    assert format_endpoints(headless) == "fd00::1,10.1.1.1"
    assert format_endpoints(
        {"subsets": [{"addresses": [{"ip": "fd00::1"}], "ports": [{"port": 53}]}]}
    ) == ("[fd00::1]:53")


def core_event(**extra) -> dict:
    return {
        "metadata": meta("web.17a", created=600),
        "involvedObject": {"kind": "Pod", "name": "web", "fieldPath": "spec.containers{c0}"},
        "reason": "Pulled",
        "message": '  Successfully pulled image "nginx"\n',
        "type": "Normal",
        "source": {"component": "kubelet", "host": "node-1"},
        "firstTimestamp": ago(600),
        "lastTimestamp": ago(120),
        "count": 3,
        **extra,
    }


def test_core_events_print_last_seen_object_source_and_count():
    table = CORE_TABLES["events"]
    assert names(table) == [
        "Last Seen",
        "Type",
        "Reason",
        "Object",
        "Subobject",
        "Source",
        "Message",
        "First Seen",
        "Count",
        "Name",
    ]
    assert wide(table) == ["Subobject", "Source", "First Seen", "Count", "Name"]
    assert table.columns[-1].format == "name"
    assert cells(table, core_event()) == [
        "2m",
        "Normal",
        "Pulled",
        "pod/web",
        "spec.containers{c0}",
        "kubelet, node-1",
        'Successfully pulled image "nginx"',
        "10m",
        3,
        "web.17a",
    ]


def test_new_style_core_events_fall_back_to_event_time_series_and_reporting_fields():
    event = core_event(
        firstTimestamp=None,
        lastTimestamp=None,
        count=0,
        source={},
        eventTime="2025-06-01T11:58:59.500000Z",
        reportingController="kubelet",
        reportingInstance="",
        involvedObject={"kind": "Node"},
    )
    assert cells(CORE_TABLES["events"], event)[:9] == [
        "60s",
        "Normal",
        "Pulled",
        "node",
        "",
        "kubelet",
        'Successfully pulled image "nginx"',
        "60s",
        1,
    ]
    event["series"] = {"count": 7, "lastObservedTime": "2025-06-01T11:59:50.000000Z"}
    row = cells(CORE_TABLES["events"], event)
    assert (row[0], row[8]) == ("10s", 7)


def test_events_k8s_io_events_print_through_the_core_printer():
    table = EVENTS_TABLES["events"]
    assert table.columns == CORE_TABLES["events"].columns
    event = {
        "apiVersion": "events.k8s.io/v1",
        "kind": "Event",
        "metadata": meta("web.17b"),
        "eventTime": ago(30),
        "reportingController": "default-scheduler",
        "reportingInstance": "sched-1",
        "action": "Binding",
        "reason": "Scheduled",
        "regarding": {"kind": "Pod", "name": "web"},
        "note": "Successfully assigned default/web",
        "type": "Normal",
    }
    assert cells(table, event) == [
        "30s",
        "Normal",
        "Scheduled",
        "pod/web",
        "",
        "default-scheduler, sched-1",
        "Successfully assigned default/web",
        "30s",
        1,
        "web.17b",
    ]
    event.update(
        deprecatedSource={"component": "kubelet"},
        deprecatedCount=5,
        deprecatedFirstTimestamp=ago(7200),
        deprecatedLastTimestamp=ago(60),
    )
    assert cells(table, event)[:9] == [
        "60s",
        "Normal",
        "Scheduled",
        "pod/web",
        "",
        "kubelet, sched-1",
        "Successfully assigned default/web",
        "120m",
        5,
    ]


def node(*, ready="True", labels=None, unschedulable=False) -> dict:
    conditions = [{"type": "MemoryPressure", "status": "False"}]
    if ready is not None:
        conditions.append({"type": "Ready", "status": ready})
    return {
        "metadata": meta("node-1", created=86400 * 20, labels=labels or {}),
        "spec": {"unschedulable": unschedulable},
        "status": {
            "conditions": conditions,
            "addresses": [
                {"type": "Hostname", "address": "node-1"},
                {"type": "InternalIP", "address": "192.168.1.10"},
            ],
            "nodeInfo": {
                "kubeletVersion": "v1.33.0",
                "osImage": "Ubuntu 24.04 LTS",
                "kernelVersion": "6.8.0",
                "containerRuntimeVersion": "containerd://2.0.0",
            },
        },
    }


def test_nodes_print_status_roles_version_and_wide_system_info():
    table = CORE_TABLES["nodes"]
    assert names(table) == [
        "Name",
        "Status",
        "Roles",
        "Age",
        "Version",
        "Internal-IP",
        "External-IP",
        "OS-Image",
        "Kernel-Version",
        "Container-Runtime",
    ]
    labels = {
        "node-role.kubernetes.io/control-plane": "",
        "node-role.kubernetes.io/": "",
        "kubernetes.io/role": "etcd",
    }
    assert cells(table, node(labels=labels)) == [
        "node-1",
        "Ready",
        "control-plane,etcd",
        "20d",
        "v1.33.0",
        "192.168.1.10",
        "<none>",
        "Ubuntu 24.04 LTS",
        "6.8.0",
        "containerd://2.0.0",
    ]
    assert cells(table, node(ready="Unknown", unschedulable=True))[1:3] == [
        "NotReady,SchedulingDisabled",
        "<none>",
    ]
    bare = node(ready=None)
    bare["status"]["nodeInfo"] = {}
    assert cells(table, bare)[1] == "Unknown"
    assert cells(table, bare)[7:] == ["<unknown>", "<unknown>", "<unknown>"]


# ---- coordination.k8s.io and apps ----


def test_leases_print_their_holder():
    table = COORDINATION_TABLES["leases"]
    assert names(table) == ["Name", "Holder", "Age"]
    lease = {
        "metadata": meta("kube-scheduler", created=3600 * 30),
        "spec": {"holderIdentity": "sched-1_abc"},
    }
    assert cells(table, lease) == ["kube-scheduler", "sched-1_abc", "30h"]
    assert cells(table, {"metadata": meta("free"), "spec": {}})[1] == ""


def test_deployments_print_ready_fraction_counts_and_wide_template():
    table = APPS_TABLES["deployments"]
    assert names(table) == [
        "Name",
        "Ready",
        "Up-to-date",
        "Available",
        "Age",
        "Containers",
        "Images",
        "Selector",
    ]
    assert wide(table) == ["Containers", "Images", "Selector"]
    deployment = {
        "metadata": meta("web", created=700),
        "spec": {
            "replicas": 3,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "spec": {
                    "containers": [
                        {"name": "nginx", "image": "nginx:1.27"},
                        {"name": "log", "image": "busybox"},
                    ]
                }
            },
        },
        "status": {"readyReplicas": 2, "updatedReplicas": 3, "availableReplicas": 2},
    }
    assert cells(table, deployment) == [
        "web",
        "2/3",
        3,
        2,
        "11m",
        "nginx,log",
        "nginx:1.27,busybox",
        "app=web",
    ]
    fresh = {"metadata": meta("new"), "spec": {"replicas": 1, "template": {"spec": {}}}}
    assert cells(table, fresh)[1:4] == ["0/1", 0, 0]


def test_selector_string_sorts_requirements_and_values():
    selector = {
        "matchLabels": {"tier": "web"},
        "matchExpressions": [
            {"key": "env", "operator": "In", "values": ["prod", "dev"]},
            {"key": "zone", "operator": "NotIn", "values": ["b", "a"]},
            {"key": "canary", "operator": "DoesNotExist"},
            {"key": "app", "operator": "Exists"},
        ],
    }
    assert selector_string(selector) == "app,!canary,env in (dev,prod),tier=web,zone notin (a,b)"
    assert selector_string({}) == ""
    assert selector_string({"matchExpressions": [{"key": "a", "operator": "Near"}]}) == "<invalid>"


def test_every_printer_has_name_and_age_descriptions_from_the_schema():
    for tables in (CORE_TABLES, APPS_TABLES, COORDINATION_TABLES, EVENTS_TABLES):
        for table_def in tables.values():
            by_name = {c.name: c for c in table_def.columns}
            assert by_name["Name"].description == NAME_DOC
            assert by_name["Name"].format == "name"
            assert all(c.description for c in table_def.columns)
            if "Age" in by_name:
                assert by_name["Age"].description == AGE_DOC
