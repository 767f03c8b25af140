"""Issue 5's "done when", as a new user would try it with kubectl on an RBAC server.

A service account bound to a Role that reads configmaps in one namespace gets a token from
`kubectl create token`; with it kubectl lists configmaps there, is refused secrets and other
namespaces with kube-apiserver's messages, and `kubectl auth can-i --list` shows its rules. An
OIDC user from a local identity provider logs in with a kubeconfig, and without `escalate` or
`bind` cannot give themselves cluster-admin.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from conftest import Server, documents, start_server
from oidc_idp import CLIENT_ID, IdentityProvider

TEAM_OBJECTS = documents(
    {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "team"}},
    {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "other"}},
    {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "reader", "namespace": "team"}},
    {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "Role",
        "metadata": {"name": "configmap-reader", "namespace": "team"},
        "rules": [{"apiGroups": [""], "resources": ["configmaps"], "verbs": ["get", "list", "watch"]}],
    },
    {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "RoleBinding",
        "metadata": {"name": "reader-reads-configmaps", "namespace": "team"},
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "configmap-reader"},
        "subjects": [{"kind": "ServiceAccount", "name": "reader", "namespace": "team"}],
    },
    {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "settings", "namespace": "team"}, "data": {"a": "1"}},
    {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "db", "namespace": "team"}, "stringData": {"p": "x"}},
    {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "theirs", "namespace": "other"}},
)  # fmt: skip

# Alice may manage RBAC objects, but holds no other rights and neither `escalate` nor `bind`.
ALICE_RBAC = documents(
    {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "ClusterRole",
        "metadata": {"name": "rbac-writer"},
        "rules": [
            {
                "apiGroups": ["rbac.authorization.k8s.io"],
                "resources": ["clusterroles", "clusterrolebindings"],
                "verbs": ["get", "list", "create", "update"],
            }
        ],
    },
    {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "ClusterRoleBinding",
        "metadata": {"name": "alice-writes-rbac"},
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "rbac-writer"},
        "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": "alice@example.com"}],
    },
)  # fmt: skip


@pytest.fixture(scope="module")
def rbac_server(
    idp: IdentityProvider, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    srv = start_server(
        tmp_path_factory.mktemp("done-when") / "data",
        "--authorization-mode=Node,RBAC",
        f"--oidc-issuer-url={idp.issuer}",
        f"--oidc-client-id={CLIENT_ID}",
        f"--oidc-ca-file={idp.ca_file}",
        "--oidc-username-claim=email",
    )
    srv.kubectl("apply", "-f", "-", input=TEAM_OBJECTS)
    srv.kubectl("apply", "-f", "-", input=ALICE_RBAC)
    yield srv
    srv.stop()


def test_a_service_account_token_reads_configmaps_in_its_namespace_only(rbac_server) -> None:
    srv = rbac_server
    # kubectl 1.33 sends this TokenRequest as protobuf.
    token = srv.kubectl("create", "token", "reader", "-n", "team", version="1.33").stdout.strip()
    reader = srv.user_kubeconfig("reader", {"token": token})

    listed = srv.kubectl("get", "configmaps", "-n", "team", "-o", "name", kubeconfig=reader)
    assert "configmap/settings" in listed.stdout.split()

    refused = srv.kubectl("get", "secrets", "-n", "team", kubeconfig=reader, check=False)
    assert refused.returncode == 1
    assert refused.stderr.strip() == (
        "Error from server (Forbidden): secrets is forbidden: User "
        '"system:serviceaccount:team:reader" cannot list resource "secrets" in API group "" '
        'in the namespace "team"'
    )
    elsewhere = srv.kubectl(
        "get", "configmap", "theirs", "-n", "other", kubeconfig=reader, check=False
    )
    assert elsewhere.stderr.strip() == (
        'Error from server (Forbidden): configmaps "theirs" is forbidden: User '
        '"system:serviceaccount:team:reader" cannot get resource "configmaps" in API group "" '
        'in the namespace "other"'
    )

    whoami = srv.kubectl(
        "auth", "whoami", "-o", "jsonpath={.status.userInfo.username}", kubeconfig=reader
    )
    assert whoami.stdout == "system:serviceaccount:team:reader"


def test_can_i_list_shows_the_service_accounts_rules(rbac_server) -> None:
    srv = rbac_server
    token = srv.kubectl("create", "token", "reader", "-n", "team").stdout.strip()
    reader = srv.user_kubeconfig("reader-list", {"token": token})
    rules = srv.kubectl("auth", "can-i", "--list", "-n", "team", kubeconfig=reader).stdout
    rows = {line.split()[0]: line.split()[1:] for line in rules.splitlines()[1:]}
    assert rows["configmaps"] == ["[]", "[]", "[get", "list", "watch]"]
    # The bootstrap policy every authenticated user has.
    assert any(
        line.startswith("selfsubjectreviews.authentication.k8s.io") for line in rules.splitlines()
    )
    assert not any(line.startswith("secrets") for line in rules.splitlines())
    assert (
        srv.kubectl(
            "auth", "can-i", "list", "secrets", "-n", "team", kubeconfig=reader, check=False
        ).stdout.strip()
        == "no"
    )
    assert (
        srv.kubectl(
            "auth", "can-i", "watch", "configmaps", "-n", "team", kubeconfig=reader
        ).stdout.strip()
        == "yes"
    )


def test_an_oidc_user_logs_in_and_cannot_make_themselves_cluster_admin(rbac_server, idp) -> None:
    srv = rbac_server
    alice = srv.user_kubeconfig("alice", {"token": idp.token(email="alice@example.com")})
    who = srv.kubectl(
        "auth", "whoami", "-o", "jsonpath={.status.userInfo.username}", kubeconfig=alice
    )
    assert who.stdout == "alice@example.com"

    grab = documents(
        {
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "ClusterRoleBinding",
            "metadata": {"name": "alice-is-admin"},
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "cluster-admin"},
            "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": "alice@example.com"}],
        }
    )  # fmt: skip
    refused = srv.kubectl("create", "-f", "-", input=grab, kubeconfig=alice, check=False)
    assert refused.returncode == 1
    assert (
        'clusterrolebindings.rbac.authorization.k8s.io "alice-is-admin" is forbidden: user "alice@example.com"'
        in refused.stderr
    )
    assert "is attempting to grant RBAC permissions not currently held" in refused.stderr

    # Nor by writing a role of her own with every permission.
    everything = documents(
        {
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "ClusterRole",
            "metadata": {"name": "alice-everything"},
            "rules": [{"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]}],
        }
    )
    refused = srv.kubectl("create", "-f", "-", input=everything, kubeconfig=alice, check=False)
    assert (
        'clusterroles.rbac.authorization.k8s.io "alice-everything" is forbidden' in refused.stderr
    )
    assert (
        srv.kubectl(
            "auth", "can-i", "get", "secrets", "-A", kubeconfig=alice, check=False
        ).stdout.strip()
        == "no"
    )
