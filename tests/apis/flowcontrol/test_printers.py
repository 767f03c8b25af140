"""`kubectl get flowschemas` / `prioritylevelconfigurations` tables, as kube-apiserver 1.33 prints them."""

from __future__ import annotations

from datetime import UTC, datetime

from kube_apiserver.apis.flowcontrol import bootstrap
from kube_apiserver.apis.flowcontrol.printers import TABLES
from kube_apiserver.apis.meta.table import build_table

NOW = datetime(2025, 6, 1, 12, 0, 0, tzinfo=UTC)
CREATED = "2025-06-01T11:00:00Z"


def rows(resource: str, objs: list[dict]) -> list[list]:
    for obj in objs:
        obj["metadata"]["creationTimestamp"] = CREATED
    table = build_table(TABLES[resource], objs, NOW)
    return [row["cells"] for row in table["rows"]]


def test_flow_schema_columns():
    table = build_table(TABLES["flowschemas"], [], NOW)
    assert [c["name"] for c in table["columnDefinitions"]] == [
        "Name",
        "PriorityLevel",
        "MatchingPrecedence",
        "DistinguisherMethod",
        "Age",
        "MissingPL",
    ]


def test_flow_schemas_list_in_evaluation_order_with_missing_pl_unknown_until_reported():
    schemas = bootstrap.flow_schemas()
    schemas[-1]["status"] = {"conditions": [{"type": "Dangling", "status": "False"}]}
    cells = rows("flowschemas", list(reversed(schemas)))
    assert cells[:3] == [
        ["exempt", "exempt", 1, "<none>", "60m", "?"],
        ["probes", "exempt", 2, "<none>", "60m", "?"],
        ["system-leader-election", "leader-election", 100, "ByUser", "60m", "?"],
    ]
    # Equal precedence: by name.
    assert [c[0] for c in cells[7:9]] == ["kube-controller-manager", "kube-scheduler"]
    assert cells[-1] == ["catch-all", "catch-all", 10000, "ByUser", "60m", "False"]


def test_priority_level_rows():
    by_name = {c[0]: c for c in rows("prioritylevelconfigurations", bootstrap.priority_levels())}
    assert by_name["exempt"] == ["exempt", "Exempt", "<none>", "<none>", "<none>", "<none>", "60m"]
    assert by_name["catch-all"] == ["catch-all", "Limited", 5, "<none>", "<none>", "<none>", "60m"]
    assert by_name["workload-low"] == ["workload-low", "Limited", 100, 128, 6, 50, "60m"]
