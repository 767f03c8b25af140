"""RBAC end to end: a server with `--authorization-mode=RBAC`, users from a token file, and
kubectl as those users would run it (`--token` kubeconfigs, `--as`, `auth can-i`).

What a role allows and the 403s kubectl prints for the rest, rules limited to names (with
`--field-selector metadata.name=`), service account subjects, impersonation rights, changes
of roles taking effect, and escalation attempts refused and allowed.
"""

from __future__ import annotations

import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import Server, documents, eventually, start_server

RBAC = "rbac.authorization.k8s.io"
USERS = {"alice": ("dev",), "bob": (), "eve": ()}


class Cluster:
    def __init__(self, server: Server, home: Path) -> None:
        self.server = server
        self.home = home

    def as_user(
        self, name: str, *args: str, input: str | None = None, version: str | None = None
    ) -> subprocess.CompletedProcess:
        """kubectl with the user's bearer token only, and a discovery cache of the user's own."""
        return self.server.kubectl(
            *args,
            kubeconfig=self.server.user_kubeconfig(name, {"token": f"token-{name}"}),
            cache_dir=self.home / f"cache-{name}",
            input=input,
            version=version,
            check=False,
        )

    def admin(self, *args: str, input: str | None = None) -> subprocess.CompletedProcess:
        return self.server.kubectl(*args, input=input, check=False)

    def apply(self, *objs: dict) -> None:
        self.server.kubectl("apply", "-f", "-", input=documents(*objs))


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    home = tmp_path_factory.mktemp("rbac")
    tokens = home / "tokens.csv"
    tokens.write_text(
        "".join(
            f"token-{u},{u},uid-{u}" + (f',"{",".join(g)}"' if g else "") + "\n"
            for u, g in USERS.items()
        )
    )
    server = start_server(home / "data", "--authorization-mode=RBAC", f"--token-auth-file={tokens}")
    yield Cluster(server, home)
    server.stop()


@pytest.fixture
def ns(cluster: Cluster) -> str:
    name = "rbac-" + uuid.uuid4().hex[:8]
    cluster.apply({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}})
    return name


def role(name: str, rules: list[dict], namespace: str = "", **extra: Any) -> dict:
    meta = {"name": name, **({"namespace": namespace} if namespace else {})}
    kind = "Role" if namespace else "ClusterRole"
    return {"apiVersion": f"{RBAC}/v1", "kind": kind, "metadata": meta, "rules": rules, **extra}


def binding(name: str, ref: str, subjects: list[dict], namespace: str = "") -> dict:
    """`ref` is "Role/x" or "ClusterRole/x"."""
    kind, role_name = ref.split("/")
    meta = {"name": name, **({"namespace": namespace} if namespace else {})}
    return {
        "apiVersion": f"{RBAC}/v1",
        "kind": "RoleBinding" if namespace else "ClusterRoleBinding",
        "metadata": meta,
        "roleRef": {"apiGroup": RBAC, "kind": kind, "name": role_name},
        "subjects": subjects,
    }


def user(name: str) -> dict:
    return {"apiGroup": RBAC, "kind": "User", "name": name}


def configmap(name: str, namespace: str) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": name, "namespace": namespace},
    }


def rule(verbs: list[str], resources: list[str], group: str = "", **extra: list[str]) -> dict:
    return {"apiGroups": [group], "resources": resources, "verbs": verbs, **extra}


READ = ["get", "list", "watch"]


def forbidden(who: str, verb: str, resource: str, namespace: str, *, name: str = "") -> str:
    head = f'{resource} "{name}"' if name else resource
    return (
        f'Error from server (Forbidden): {head} is forbidden: User "{who}" cannot {verb} '
        f'resource "{resource}" in API group "" in the namespace "{namespace}"\n'
    )


def test_a_user_reads_what_a_role_allows_and_kubectl_prints_kubernetes_refusals(cluster, ns):
    cluster.apply(
        configmap("settings", ns),
        role("cm-reader", [rule(READ, ["configmaps"])], ns),
        binding("alice-cm", "Role/cm-reader", [user("alice")], ns),
    )
    listed = cluster.as_user("alice", "get", "configmaps", "-n", ns, "-o", "name")
    assert "configmap/settings" in listed.stdout.split(), listed.stderr
    assert cluster.as_user("alice", "get", "configmap", "settings", "-n", ns).returncode == 0
    refused = cluster.as_user("alice", "get", "secrets", "-n", ns)
    assert refused.returncode == 1
    assert refused.stderr == forbidden("alice", "list", "secrets", ns)
    elsewhere = cluster.as_user("alice", "get", "configmaps", "-n", "default")
    assert elsewhere.stderr == forbidden("alice", "list", "configmaps", "default")
    write = cluster.as_user("alice", "delete", "configmap", "settings", "-n", ns)
    assert write.stderr == forbidden("alice", "delete", "configmaps", ns, name="settings")
    # Another user has no binding at all.
    assert cluster.as_user("bob", "get", "configmaps", "-n", ns).stderr == forbidden(
        "bob", "list", "configmaps", ns
    )


def test_the_raw_refusal_is_a_kubernetes_forbidden_status(cluster, ns):
    resp = cluster.server.request(
        "GET",
        f"/api/v1/namespaces/{ns}/secrets",
        headers={"Authorization": "Bearer token-bob"},
        client_cert=False,
    )
    assert resp.status == 403
    assert resp.json() == {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": f'secrets is forbidden: User "bob" cannot list resource "secrets" in API group "" in the namespace "{ns}"',
        "reason": "Forbidden",
        "details": {"kind": "secrets"},
        "code": 403,
    }
    path = cluster.server.request(
        "GET", "/metrics", headers={"Authorization": "Bearer token-bob"}, client_cert=False
    )
    assert path.status == 403
    assert path.json()["message"] == 'forbidden: User "bob" cannot get path "/metrics"'


def test_a_binding_to_a_missing_role_grants_nothing_and_the_refusal_says_why(cluster, ns):
    cluster.apply(binding(f"ghost-{ns}", f"ClusterRole/ghost-{ns}", [user("bob")], ns))
    resp = cluster.server.request(
        "GET",
        f"/api/v1/namespaces/{ns}/pods",
        headers={"Authorization": "Bearer token-bob"},
        client_cert=False,
    )
    assert resp.status == 403
    assert resp.json()["message"] == (
        f'pods is forbidden: User "bob" cannot list resource "pods" in API group "" in the '
        f'namespace "{ns}": RBAC: clusterrole.rbac.authorization.k8s.io "ghost-{ns}" not found'
    )


def test_auth_can_i_answers_and_lists_the_rules(cluster, ns):
    cluster.apply(
        role("cm-reader", [rule(READ, ["configmaps"]), rule(["get"], ["pods/log"])], ns),
        binding(
            "dev-cm", "Role/cm-reader", [{"apiGroup": RBAC, "kind": "Group", "name": "dev"}], ns
        ),
    )
    yes = cluster.as_user("alice", "auth", "can-i", "list", "configmaps", "-n", ns)
    assert (yes.returncode, yes.stdout) == (0, "yes\n")
    no = cluster.as_user("alice", "auth", "can-i", "list", "secrets", "-n", ns)
    assert (no.returncode, no.stdout) == (1, "no\n")
    log = cluster.as_user("alice", "auth", "can-i", "get", "pods", "--subresource=log", "-n", ns)
    assert log.stdout == "yes\n"
    listed = cluster.as_user("alice", "auth", "can-i", "--list", "-n", ns)
    rows = [line.split() for line in listed.stdout.splitlines()]
    assert ["configmaps", "[]", "[]", "[get", "list", "watch]"] in rows
    assert ["pods/log", "[]", "[]", "[get]"] in rows
    other = cluster.as_user("alice", "auth", "can-i", "--list", "-n", "default")
    assert not any(line.startswith("configmaps ") for line in other.stdout.splitlines())
    # An administrator asks on the user's behalf.
    assert (
        cluster.admin(
            "auth", "can-i", "list", "configmaps", "-n", ns, "--as=alice", "--as-group=dev"
        ).stdout
        == "yes\n"
    )


def test_resource_names_allow_the_named_object_and_a_list_selecting_it(cluster, ns):
    cluster.apply(
        configmap("one", ns),
        configmap("two", ns),
        role("only-one", [rule(READ, ["configmaps"], resourceNames=["one"])], ns),
        binding("bob-one", "Role/only-one", [user("bob")], ns),
    )
    assert cluster.as_user("bob", "get", "configmap", "one", "-n", ns).returncode == 0
    assert cluster.as_user("bob", "get", "configmap", "two", "-n", ns).stderr == forbidden(
        "bob", "get", "configmaps", ns, name="two"
    )
    assert cluster.as_user("bob", "get", "configmaps", "-n", ns).stderr == forbidden(
        "bob", "list", "configmaps", ns
    )
    selected = cluster.as_user(
        "bob", "get", "configmaps", "-n", ns, "--field-selector=metadata.name=one", "-o", "name"
    )
    assert selected.stdout == "configmap/one\n", selected.stderr
    other = cluster.as_user(
        "bob", "get", "configmaps", "-n", ns, "--field-selector=metadata.name=two"
    )
    assert other.stderr == (
        f'Error from server (Forbidden): configmaps "two" is forbidden: User "bob" cannot list '
        f'resource "configmaps" in API group "" in the namespace "{ns}"\n'
    )
    watch = cluster.server.request(
        "GET",
        f"/api/v1/namespaces/{ns}/configmaps?watch=true&fieldSelector=metadata.name%3Done&timeoutSeconds=1",
        headers={"Authorization": "Bearer token-bob"},
        client_cert=False,
    )
    assert watch.status == 200
    assert b'"name":"one"' in watch.body


def test_service_account_subjects_and_their_groups(cluster, ns):
    cluster.apply(
        {
            "apiVersion": "v1",
            "kind": "ServiceAccount",
            "metadata": {"name": "robot", "namespace": ns},
        },
        role("cm-reader", [rule(READ, ["configmaps"])], ns),
        # No namespace on the subject: the binding's own.
        binding("robot", "Role/cm-reader", [{"kind": "ServiceAccount", "name": "robot"}], ns),
        role("pod-reader", [rule(READ, ["pods"])], ns),
        binding(
            "all-sas",
            "Role/pod-reader",
            [{"apiGroup": RBAC, "kind": "Group", "name": f"system:serviceaccounts:{ns}"}],
            ns,
        ),
    )
    robot = f"--as=system:serviceaccount:{ns}:robot"
    other = f"--as=system:serviceaccount:{ns}:other"
    assert cluster.admin("auth", "can-i", "list", "configmaps", "-n", ns, robot).stdout == "yes\n"
    assert cluster.admin("auth", "can-i", "list", "configmaps", "-n", ns, other).stdout == "no\n"
    # Impersonating a service account adds its groups, which a binding can name.
    assert cluster.admin("auth", "can-i", "list", "pods", "-n", ns, other).stdout == "yes\n"
    elsewhere = cluster.admin("auth", "can-i", "list", "pods", "-n", "default", other)
    assert elsewhere.stdout == "no\n"


def test_impersonation_needs_the_impersonate_verb_on_the_user(cluster, ns):
    cluster.apply(
        role("cm-reader", [rule(READ, ["configmaps"])], ns),
        binding("alice-cm", "Role/cm-reader", [user("alice")], ns),
        role("imp-alice", [rule(["impersonate"], ["users"], resourceNames=["alice"])]),
        binding(f"bob-imp-{ns}", "ClusterRole/imp-alice", [user("bob")]),
    )
    assert cluster.as_user("bob", "get", "configmaps", "-n", ns, "--as=alice").returncode == 0
    refused = cluster.as_user("bob", "get", "configmaps", "-n", ns, "--as=eve")
    assert refused.stderr == (
        'Error from server (Forbidden): users "eve" is forbidden: User "bob" cannot impersonate '
        'resource "users" in API group "" at the cluster scope\n'
    )
    # Impersonating a group needs the verb on groups too.
    group = cluster.as_user("bob", "get", "configmaps", "-n", ns, "--as=alice", "--as-group=dev")
    assert 'cannot impersonate resource "groups"' in group.stderr


def test_impersonating_groups_uids_extras_and_service_accounts_needs_each_right(cluster, ns):
    auth = "authentication.k8s.io"
    cluster.apply(
        role(
            f"imp-{ns}",
            [
                rule(["impersonate"], ["users"], resourceNames=["alice"]),
                rule(["impersonate"], ["groups"], resourceNames=["dev"]),
                rule(["impersonate"], ["uids"], auth, resourceNames=["u-1"]),
                rule(["impersonate"], ["userextras/scopes"], auth, resourceNames=["read"]),
            ],
        ),
        binding(f"bob-imp-all-{ns}", f"ClusterRole/imp-{ns}", [user("bob")]),
        role("sa-imp", [rule(["impersonate"], ["serviceaccounts"], resourceNames=["robot"])], ns),
        binding("bob-sa-imp", "Role/sa-imp", [user("bob")], ns),
    )

    def whoami(**impersonate: str) -> tuple[int, dict]:
        """SelfSubjectReview as bob with Impersonate-* headers (kubectl has no flag for extras)."""
        headers = {"Authorization": "Bearer token-bob"}
        headers.update({f"Impersonate-{k.replace('_', '-')}": v for k, v in impersonate.items()})
        review = {"apiVersion": f"{auth}/v1", "kind": "SelfSubjectReview"}
        resp = cluster.server.request(
            "POST",
            f"/apis/{auth}/v1/selfsubjectreviews",
            review,
            headers=headers,
            client_cert=False,
        )
        return resp.status, resp.json()

    status, allowed = whoami(User="alice", Group="dev", Uid="u-1", Extra_Scopes="read")
    assert status == 201, allowed
    assert allowed["status"]["userInfo"] == {
        "username": "alice",
        "uid": "u-1",
        "groups": ["dev", "system:authenticated"],
        "extra": {"scopes": ["read"]},
    }
    for impersonate, refusal in (
        ({"Group": "ops"}, 'groups "ops" is forbidden'),
        ({"Uid": "u-2"}, 'uids.authentication.k8s.io "u-2" is forbidden'),
        (
            {"Extra_Scopes": "write"},
            'userextras.authentication.k8s.io "write" is forbidden: User "bob" cannot '
            'impersonate resource "userextras/scopes" in API group "authentication.k8s.io"',
        ),
    ):
        status, body = whoami(User="alice", **impersonate)
        assert status == 403 and body["message"].startswith(refusal), body
    status, body = whoami(User=f"system:serviceaccount:{ns}:other")
    assert status == 403 and body["message"].startswith('serviceaccounts "other" is forbidden')
    status, robot = whoami(User=f"system:serviceaccount:{ns}:robot")
    assert robot["status"]["userInfo"]["groups"] == [
        "system:serviceaccounts",
        f"system:serviceaccounts:{ns}",
        "system:authenticated",
    ]


def test_removing_a_verb_from_a_role_refuses_the_next_requests(cluster, ns):
    cluster.apply(
        role("cm", [rule(["list"], ["configmaps"])], ns),
        binding("alice-cm", "Role/cm", [user("alice")], ns),
    )
    assert cluster.as_user("alice", "get", "configmaps", "-n", ns).returncode == 0
    cluster.apply(role("cm", [rule(["get"], ["configmaps"])], ns))
    eventually(lambda: cluster.as_user("alice", "get", "configmaps", "-n", ns).returncode != 0)
    assert cluster.as_user("alice", "get", "configmaps", "-n", ns).stderr == forbidden(
        "alice", "list", "configmaps", ns
    )


ESCALATION_HELD = (
    '(groups=["system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n'
    '{APIGroups:["*"], Resources:["*"], Verbs:["*"]}\n{NonResourceURLs:["*"], Verbs:["*"]}'
)


def ensure_cluster_admin(cluster: Cluster) -> None:
    """The bootstrap policy's cluster-admin, or one like it where it is not there yet."""
    if cluster.server.request("GET", f"/apis/{RBAC}/v1/clusterroles/cluster-admin").status == 404:
        cluster.apply(
            role(
                "cluster-admin",
                [rule(["*"], ["*"], "*"), {"nonResourceURLs": ["*"], "verbs": ["*"]}],
            )
        )


def test_a_user_without_escalate_cannot_make_themselves_cluster_admin(cluster, ns):
    ensure_cluster_admin(cluster)
    writer = [
        rule(
            ["get", "list", "create", "update", "patch"],
            ["roles", "rolebindings", "clusterroles", "clusterrolebindings"],
            RBAC,
        )
    ]
    cluster.apply(
        role(f"rbac-writer-{ns}", writer),
        binding(f"eve-writer-{ns}", f"ClusterRole/rbac-writer-{ns}", [user("eve")]),
    )
    own = documents(binding(f"eve-admin-{ns}", "ClusterRole/cluster-admin", [user("eve")]))
    refused = cluster.as_user("eve", "create", "-f", "-", input=own)
    assert refused.returncode == 1
    assert refused.stderr == (
        'Error from server (Forbidden): error when creating "STDIN": clusterrolebindings.'
        f'rbac.authorization.k8s.io "eve-admin-{ns}" is forbidden: user "eve" {ESCALATION_HELD}\n'
    )
    # kubectl's own command (1.31 sends JSON; later versions send protobuf bodies).
    imperative = cluster.as_user(
        "eve",
        "create",
        "clusterrolebinding",
        f"eve-x-{ns}",
        "--clusterrole=cluster-admin",
        "--user=eve",
        version="1.31",
    )
    assert imperative.stderr == (
        "error: failed to create clusterrolebinding: clusterrolebindings.rbac.authorization.k8s.io "
        f'"eve-x-{ns}" is forbidden: user "eve" {ESCALATION_HELD}\n'
    )
    in_namespace = documents(binding("eve-admin", "ClusterRole/cluster-admin", [user("eve")], ns))
    assert (
        "is attempting to grant RBAC permissions"
        in cluster.as_user("eve", "create", "-f", "-", input=in_namespace).stderr
    )
    # Nor write a role with more than she holds.
    peek = documents(role("peek", [rule(["get"], ["secrets"])], ns))
    assert cluster.as_user("eve", "create", "-f", "-", input=peek).stderr == (
        'Error from server (Forbidden): error when creating "STDIN": roles.rbac.authorization.k8s.io '
        '"peek" is forbidden: user "eve" (groups=["system:authenticated"]) is attempting to grant '
        'RBAC permissions not currently held:\n{APIGroups:[""], Resources:["secrets"], Verbs:["get"]}\n'
    )
    assert cluster.as_user("eve", "auth", "can-i", "get", "secrets", "-n", ns).stdout == "no\n"


def test_escalate_and_bind_let_a_user_grant_what_they_do_not_hold(cluster, ns):
    ensure_cluster_admin(cluster)
    cluster.apply(
        role("rb-writer", [rule(["create", "get"], ["roles", "rolebindings"], RBAC)], ns),
        binding("eve-rb-writer", "Role/rb-writer", [user("eve")], ns),
    )
    peek = documents(role("peek", [rule(["get"], ["secrets"])], ns))
    assert cluster.as_user("eve", "create", "-f", "-", input=peek).returncode == 1
    cluster.apply(
        role("escalator", [rule(["escalate"], ["roles"], RBAC)], ns),
        binding("eve-escalator", "Role/escalator", [user("eve")], ns),
    )
    eventually(lambda: cluster.as_user("eve", "create", "-f", "-", input=peek).returncode == 0)
    # With bind on cluster-admin (and only that), she may bind it, here in her namespace.
    admin_here = documents(binding("eve-admin", "ClusterRole/cluster-admin", [user("eve")], ns))
    assert cluster.as_user("eve", "create", "-f", "-", input=admin_here).returncode == 1
    cluster.apply(
        role(
            f"bind-admin-{ns}",
            [rule(["bind"], ["clusterroles"], RBAC, resourceNames=["cluster-admin"])],
        ),
        binding("eve-bind-admin", f"ClusterRole/bind-admin-{ns}", [user("eve")], ns),
    )
    eventually(
        lambda: cluster.as_user("eve", "create", "-f", "-", input=admin_here).returncode == 0
    )
    eventually(
        lambda: (
            cluster.as_user("eve", "auth", "can-i", "delete", "secrets", "-n", ns).stdout == "yes\n"
        )
    )
    assert (
        cluster.as_user("eve", "auth", "can-i", "delete", "secrets", "-n", "default").stdout
        == "no\n"
    )
