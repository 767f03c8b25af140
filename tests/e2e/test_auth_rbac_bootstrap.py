"""The RBAC bootstrap policy on a real server with RBAC on: what a fresh server holds, the
aggregation of admin/edit/view kept up to date, the defaults in effect for users, and what a
restart reconciles (and what it must leave alone)."""

from __future__ import annotations

import json
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import Server, eventually, start_server
from kube_expected import (
    BOOTSTRAP_CLUSTER_ROLE_BINDINGS,
    BOOTSTRAP_CLUSTER_ROLES,
    BOOTSTRAP_NAMESPACE_ROLE_BINDINGS,
    BOOTSTRAP_NAMESPACE_ROLES,
    VIEW_POD_READING,
)

TOKEN = "jane-" + uuid.uuid4().hex
TO_VIEW = "rbac.authorization.k8s.io/aggregate-to-view"


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("rbac-bootstrap")
    (base / "tokens.csv").write_text(f"{TOKEN},jane,uid-jane,devs\n")
    return base


def start(base: Path) -> Server:
    return start_server(
        base / "data",
        "--authorization-mode=Node,RBAC",
        f"--token-auth-file={base / 'tokens.csv'}",
    )


@pytest.fixture(scope="module")
def srv(base: Path) -> Iterator[Server]:
    server = start(base)
    yield server
    server.stop()


def get_json(server: Server, *args: str) -> dict:
    return json.loads(server.kubectl("get", *args, "-o", "json").stdout)


def rules(server: Server, name: str) -> list[dict]:
    return get_json(server, "clusterrole", name).get("rules") or []


def as_jane(server: Server, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """kubectl with jane's bearer token and no client certificate; jane's kubectl runs its own
    discovery (the default bindings allow it)."""
    return server.kubectl(
        *args,
        kubeconfig=server.user_kubeconfig("jane", {"token": TOKEN}),
        cache_dir=server.data_dir / "jane-cache",
        check=check,
    )


def test_a_fresh_server_holds_the_bootstrap_objects_of_1_33(srv: Server) -> None:
    listed = srv.kubectl("get", "clusterroles", "-o", "name").stdout.split()
    assert (
        sorted(n.removeprefix("clusterrole.rbac.authorization.k8s.io/") for n in listed)
        == BOOTSTRAP_CLUSTER_ROLES
    )
    table = srv.kubectl("get", "clusterroles").stdout.splitlines()
    assert table[0].split() == ["NAME", "CREATED", "AT"]
    bindings = get_json(srv, "clusterrolebindings")["items"]
    assert sorted(b["metadata"]["name"] for b in bindings) == BOOTSTRAP_CLUSTER_ROLE_BINDINGS
    by_name = {b["metadata"]["name"]: b for b in bindings}
    assert by_name["cluster-admin"]["subjects"] == [
        {"apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": "system:masters"}
    ]
    roles = get_json(srv, "roles", "-A")["items"]
    assert sorted((r["metadata"]["namespace"], r["metadata"]["name"]) for r in roles) == (
        BOOTSTRAP_NAMESPACE_ROLES
    )
    role_bindings = get_json(srv, "rolebindings", "-A")["items"]
    assert sorted((b["metadata"]["namespace"], b["metadata"]["name"]) for b in role_bindings) == (
        BOOTSTRAP_NAMESPACE_ROLE_BINDINGS
    )
    discovery = get_json(srv, "clusterrole", "system:discovery")
    assert discovery["metadata"]["labels"] == {"kubernetes.io/bootstrapping": "rbac-defaults"}
    assert discovery["metadata"]["annotations"] == {
        "rbac.authorization.kubernetes.io/autoupdate": "true"
    }


def test_view_edit_and_admin_show_their_aggregated_rules(srv: Server) -> None:
    eventually(lambda: VIEW_POD_READING in rules(srv, "view"))
    eventually(lambda: VIEW_POD_READING in rules(srv, "admin"))
    view = rules(srv, "view")
    assert not any("secrets" in r.get("resources", []) for r in view)
    edit = rules(srv, "edit")
    assert any("secrets" in r.get("resources", []) and "create" in r["verbs"] for r in edit)
    assert any("roles" in r.get("resources", []) for r in rules(srv, "admin"))
    assert not any("roles" in r.get("resources", []) for r in edit)


def test_a_role_labelled_aggregate_to_view_joins_view_and_leaves_with_its_label(
    srv: Server,
) -> None:
    name = "widgets-" + uuid.uuid4().hex[:6]
    widgets = {"apiGroups": ["example.com"], "resources": ["widgets"], "verbs": ["get", "list"]}
    manifest = {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "ClusterRole",
        "metadata": {"name": name, "labels": {TO_VIEW: "true"}},
        "rules": [widgets],
    }
    srv.kubectl("apply", "-f", "-", input=json.dumps(manifest))
    eventually(lambda: widgets in rules(srv, "view"))
    eventually(lambda: widgets in rules(srv, "admin"))  # view is part of edit, edit of admin
    srv.kubectl("label", "clusterrole", name, f"{TO_VIEW}-")
    eventually(lambda: widgets not in rules(srv, "view"))
    eventually(lambda: widgets not in rules(srv, "admin"))
    srv.kubectl("delete", "clusterrole", name)


def test_the_default_bindings_are_in_effect_for_users_and_anonymous(srv: Server) -> None:
    # system:public-info-viewer: anyone, even anonymous, may read /version and /healthz ...
    assert srv.request("GET", "/version", client_cert=False).status == 200
    assert srv.request("GET", "/healthz", client_cert=False).status == 200
    # ... but system:discovery is for authenticated users only.
    resp = srv.request("GET", "/api", client_cert=False)
    assert resp.status == 403, resp.body
    assert resp.json()["message"] == 'forbidden: User "system:anonymous" cannot get path "/api"'
    assert as_jane(srv, "get", "--raw", "/api").stdout.startswith("{")
    # system:basic-user lets jane ask about herself; she may not read pods anywhere yet.
    assert (
        as_jane(srv, "auth", "can-i", "list", "pods", "-n", "default", check=False).stdout.strip()
        == "no"
    )
    namespace = "rb-" + uuid.uuid4().hex[:6]
    namespace_manifest = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace}}
    binding = {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "RoleBinding",
        "metadata": {"name": "jane-view", "namespace": namespace},
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "view"},
        "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": "jane"}],
    }
    srv.kubectl("apply", "-f", "-", input=json.dumps(namespace_manifest))
    srv.kubectl("apply", "-f", "-", input=json.dumps(binding))
    eventually(
        lambda: (
            as_jane(
                srv, "auth", "can-i", "list", "pods", "-n", namespace, check=False
            ).stdout.strip()
            == "yes"
        )
    )
    assert (
        as_jane(
            srv, "auth", "can-i", "list", "secrets", "-n", namespace, check=False
        ).stdout.strip()
        == "no"
    )
    assert (
        as_jane(srv, "auth", "can-i", "list", "pods", "-n", "default", check=False).stdout.strip()
        == "no"
    )
    srv.kubectl("delete", "namespace", namespace, "--wait=false")


def versions(server: Server) -> dict[str, str]:
    out = {}
    for kind in ("clusterroles", "clusterrolebindings", "roles", "rolebindings"):
        for item in get_json(server, kind, "-A")["items"]:
            meta = item["metadata"]
            out[f"{kind}/{meta.get('namespace', '')}/{meta['name']}"] = meta["resourceVersion"]
    return out


def test_a_restart_changes_nothing_and_restores_only_what_may_be_updated(
    srv: Server, base: Path
) -> None:
    eventually(lambda: VIEW_POD_READING in rules(srv, "admin"))  # aggregation has settled
    # An administrator trims system:discovery, and pins a narrowed public-info-viewer.
    discovery = get_json(srv, "clusterrole", "system:discovery")
    discovery["rules"][0]["nonResourceURLs"].remove("/version")
    srv.kubectl("replace", "-f", "-", input=json.dumps(discovery))
    pinned = get_json(srv, "clusterrole", "system:public-info-viewer")
    pinned["rules"] = [{"nonResourceURLs": ["/healthz"], "verbs": ["get"]}]
    pinned["metadata"]["annotations"]["rbac.authorization.kubernetes.io/autoupdate"] = "false"
    srv.kubectl("replace", "-f", "-", input=json.dumps(pinned))
    pinned = get_json(srv, "clusterrole", "system:public-info-viewer")

    srv.stop()
    again = start(base)
    try:
        restored = get_json(again, "clusterrole", "system:discovery")["rules"]
        assert restored[1:] == [{"nonResourceURLs": ["/version"], "verbs": ["get"]}]
        assert get_json(again, "clusterrole", "system:public-info-viewer") == pinned
        assert again.request("GET", "/version", client_cert=False).status == 403

        # A restart where nothing needs reconciling writes nothing at all.
        before = versions(again)
        again.stop()
        third = start(base)
        try:
            eventually(lambda: VIEW_POD_READING in rules(third, "admin"))
            assert versions(third) == before
        finally:
            third.stop()
    finally:
        again.stop()
