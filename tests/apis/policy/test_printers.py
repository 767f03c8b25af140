"""The PodDisruptionBudget table: the columns and cells `kubectl get pdb` prints."""

from __future__ import annotations

from datetime import UTC, datetime

from kube_apiserver.apis.meta.table import build_table
from kube_apiserver.apis.policy.printers import TABLES

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def test_columns_and_cells_of_a_budget():
    budget = {
        "metadata": {"name": "web", "creationTimestamp": "2026-01-02T03:00:05Z"},
        "spec": {"minAvailable": "50%"},
        "status": {"disruptionsAllowed": 2},
    }
    table = build_table(TABLES["poddisruptionbudgets"], [budget], NOW)
    assert [c["name"] for c in table["columnDefinitions"]] == [
        "Name", "Min Available", "Max Unavailable", "Allowed Disruptions", "Age",
    ]  # fmt: skip
    assert [c["type"] for c in table["columnDefinitions"]] == [
        "string",
        "string",
        "string",
        "integer",
        "string",
    ]
    assert table["rows"][0]["cells"] == ["web", "50%", "N/A", 2, "4m"]
