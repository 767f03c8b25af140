"""The `kubectl get csr` columns: signer, requestor, requested duration and condition."""

from __future__ import annotations

from datetime import UTC, datetime

from kube_apiserver.apis.certificates.printers import CERTIFICATE_SIGNING_REQUESTS

NOW = datetime(2025, 1, 1, tzinfo=UTC)


def row(spec: dict, status: dict) -> list:
    obj = {
        "metadata": {"name": "alice", "creationTimestamp": "2025-01-01T00:00:00Z"},
        "spec": spec,
        "status": status,
    }
    return CERTIFICATE_SIGNING_REQUESTS.row(obj, NOW)


def test_columns_are_kubectls():
    names = [c.name for c in CERTIFICATE_SIGNING_REQUESTS.columns]
    assert names == ["Name", "Age", "SignerName", "Requestor", "RequestedDuration", "Condition"]


def test_a_pending_request():
    assert row({"signerName": "example.com/s", "username": "alice"}, {}) == [
        "alice",
        "0s",
        "example.com/s",
        "alice",
        "<none>",
        "Pending",
    ]


def test_requested_duration_is_human():
    assert row({"expirationSeconds": 86400}, {})[4] == "24h"
    assert row({"expirationSeconds": 600}, {})[4] == "10m"


def test_condition_summary_orders_denied_first_then_failed_and_issued():
    conditions = [{"type": "Approved"}, {"type": "Denied"}, {"type": "Failed"}]
    assert row({}, {"conditions": conditions})[5] == "Denied,Failed"
    assert row({}, {"conditions": [{"type": "Approved"}], "certificate": "LS0t"})[5] == (
        "Approved,Issued"
    )
