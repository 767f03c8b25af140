"""The RBAC authorizer over real stores and watch caches: which bindings apply to whom, where,
with what reason; changes seen by the next request; the rules a rules review lists."""

from __future__ import annotations

import asyncio

from authorization.rbac_world import (
    binding,
    group,
    rbac_world,
    role,
    service_account,
    user,
)
from kube_apiserver.authentication.user import UserInfo
from kube_apiserver.authorization.interface import (
    Attributes,
    Decision,
    NonResourceRule,
    ResourceRule,
    forbidden_status,
)
from kube_apiserver.authorization.rbac import resolver as rbac_resolver

ALICE = UserInfo("alice", groups=("system:authenticated",))
BOB = UserInfo("bob", groups=("system:authenticated",))
DEV = UserInfo("dan", groups=("devs", "system:authenticated"))
ROBOT_A = UserInfo(
    "system:serviceaccount:a:robot",
    groups=("system:serviceaccounts", "system:serviceaccounts:a", "system:authenticated"),
)
ROBOT_B = UserInfo(
    "system:serviceaccount:b:robot",
    groups=("system:serviceaccounts", "system:serviceaccounts:b", "system:authenticated"),
)
BOT_C = UserInfo("system:serviceaccount:c:bot", groups=("system:serviceaccounts",))


def res(who: UserInfo, verb: str, resource: str, namespace: str = "", **kw: str) -> Attributes:
    return Attributes(
        user=who,
        verb=verb,
        resource_request=True,
        namespace=namespace,
        api_group=kw.get("group", ""),
        api_version="v1",
        resource=resource,
        subresource=kw.get("sub", ""),
        name=kw.get("name", ""),
    )


def path(who: UserInfo, url: str, verb: str = "get") -> Attributes:
    return Attributes(user=who, verb=verb, resource_request=False, path=url)


READ = ["get", "list", "watch"]

POLICY = [
    role("pod-reader", [{"verbs": READ, "apiGroups": [""], "resources": ["pods"]}]),
    binding("alice-pods", ("ClusterRole", "pod-reader"), [user("alice")]),
    role(
        "cm-editor",
        [{"verbs": ["*"], "apiGroups": [""], "resources": ["configmaps"]}],
        namespace="a",
    ),
    binding("devs-cm", ("Role", "cm-editor"), [group("devs")], namespace="a"),
    role("secret-reader", [{"verbs": ["get"], "apiGroups": [""], "resources": ["secrets"]}]),
    # A RoleBinding may bind a ClusterRole: its rules apply in the binding's namespace only.
    binding(
        "robot-secrets", ("ClusterRole", "secret-reader"), [service_account("robot")], namespace="a"
    ),
    binding(
        "c-bot", ("ClusterRole", "secret-reader"), [service_account("bot", "c")], namespace="a"
    ),
    role("sa-watch", [{"verbs": ["watch"], "apiGroups": ["apps"], "resources": ["deployments"]}]),
    binding("sa-group", ("ClusterRole", "sa-watch"), [group("system:serviceaccounts:b")]),
    role("health", [{"verbs": ["get"], "nonResourceURLs": ["/healthz", "/readyz/*"]}]),
    binding("alice-health", ("ClusterRole", "health"), [user("alice")]),
    # Non-resource rules bound in a namespace never apply: paths have no namespace.
    binding("bob-health", ("ClusterRole", "health"), [user("bob")], namespace="a"),
]

CASES = [
    # (user, request, allowed)
    (ALICE, res(ALICE, "list", "pods", "a"), True),
    (ALICE, res(ALICE, "list", "pods"), True),  # all namespaces
    (ALICE, res(ALICE, "get", "pods", "z", name="p"), True),
    (ALICE, res(ALICE, "delete", "pods", "a", name="p"), False),
    (ALICE, res(ALICE, "get", "secrets", "a", name="s"), False),
    (ALICE, res(ALICE, "get", "pods", "a", sub="log", name="p"), False),
    (BOB, res(BOB, "list", "pods", "a"), False),
    (DEV, res(DEV, "create", "configmaps", "a"), True),
    (DEV, res(DEV, "create", "configmaps", "b"), False),
    (DEV, res(DEV, "list", "configmaps"), False),
    (ROBOT_A, res(ROBOT_A, "get", "secrets", "a", name="s"), True),
    (ROBOT_A, res(ROBOT_A, "get", "secrets", "b", name="s"), False),
    (ROBOT_A, res(ROBOT_A, "list", "pods", "a"), False),
    (ROBOT_B, res(ROBOT_B, "get", "secrets", "a", name="s"), False),
    (BOT_C, res(BOT_C, "get", "secrets", "a", name="s"), True),
    (BOT_C, res(BOT_C, "get", "secrets", "c", name="s"), False),
    (ROBOT_B, res(ROBOT_B, "watch", "deployments", "x", group="apps"), True),
    (ROBOT_A, res(ROBOT_A, "watch", "deployments", "x", group="apps"), False),
    (ALICE, path(ALICE, "/healthz"), True),
    (ALICE, path(ALICE, "/readyz/ping"), True),
    (ALICE, path(ALICE, "/readyz"), False),
    (ALICE, path(ALICE, "/healthz", "post"), False),
    (BOB, path(BOB, "/healthz"), False),
]


def test_bindings_apply_to_their_subjects_in_their_scope(tmp_path):
    async def main():
        async with rbac_world(tmp_path) as world:
            for obj in POLICY:
                await world.create(obj)
            for who, attrs, allowed in CASES:
                decision, reason = await world.authorizer.authorize(attrs)
                assert (decision is Decision.ALLOW) is allowed, (who.name, attrs)
                if not allowed:
                    assert (decision, reason) == (Decision.NO_OPINION, "")

    asyncio.run(main())


def test_an_allowed_request_names_the_binding_that_allowed_it(tmp_path):
    async def main():
        async with rbac_world(tmp_path) as world:
            for obj in POLICY:
                await world.create(obj)
            reasons = [
                (await world.authorizer.authorize(attrs))[1]
                for attrs in (
                    res(ALICE, "get", "pods", "a", name="p"),
                    res(DEV, "get", "configmaps", "a", name="c"),
                    res(ROBOT_A, "get", "secrets", "a", name="s"),
                    res(BOT_C, "get", "secrets", "a", name="s"),
                )
            ]
            assert reasons == [
                'RBAC: allowed by ClusterRoleBinding "alice-pods" of ClusterRole "pod-reader" to User "alice"',
                'RBAC: allowed by RoleBinding "devs-cm/a" of Role "cm-editor" to Group "devs"',
                'RBAC: allowed by RoleBinding "robot-secrets/a" of ClusterRole "secret-reader" to ServiceAccount "robot/a"',
                'RBAC: allowed by RoleBinding "c-bot/a" of ClusterRole "secret-reader" to ServiceAccount "bot/c"',
            ]

    asyncio.run(main())


def test_a_refusal_has_kubernetes_message_with_no_rbac_suffix(tmp_path):
    async def main():
        async with rbac_world(tmp_path) as world:
            attrs = res(BOB, "list", "secrets", "y")
            decision, reason = await world.authorizer.authorize(attrs)
            assert decision is Decision.NO_OPINION
            assert forbidden_status(attrs, reason)["message"] == (
                'secrets is forbidden: User "bob" cannot list resource "secrets" '
                'in API group "" in the namespace "y"'
            )

    asyncio.run(main())


def test_a_binding_to_a_missing_role_grants_nothing_and_says_why(tmp_path):
    async def main():
        async with rbac_world(tmp_path) as world:
            await world.create(binding("ghost", ("ClusterRole", "ghost"), [user("bob")]))
            await world.create(
                binding("phantom", ("Role", "phantom"), [user("bob")], namespace="a")
            )
            decision, reason = await world.authorizer.authorize(res(BOB, "get", "pods", "b"))
            assert decision is Decision.NO_OPINION
            assert reason == 'RBAC: clusterrole.rbac.authorization.k8s.io "ghost" not found'
            _, reason = await world.authorizer.authorize(res(BOB, "get", "pods", "a"))
            assert reason == (
                'RBAC: [clusterrole.rbac.authorization.k8s.io "ghost" not found, '
                'role.rbac.authorization.k8s.io "phantom" not found]'
            )
            # Once the role exists, the binding grants it.
            await world.create(
                role("ghost", [{"verbs": ["get"], "apiGroups": [""], "resources": ["pods"]}])
            )
            assert (await world.authorizer.authorize(res(BOB, "get", "pods", "b")))[
                0
            ] is Decision.ALLOW

    asyncio.run(main())


def test_changes_to_roles_and_bindings_decide_the_next_request(tmp_path):
    async def main():
        async with rbac_world(tmp_path) as world:
            await world.create(
                role(
                    "r",
                    [{"verbs": ["get", "list"], "apiGroups": [""], "resources": ["pods"]}],
                    namespace="a",
                )
            )
            rb = await world.create(binding("rb", ("Role", "r"), [user("alice")], namespace="a"))
            get = res(ALICE, "get", "pods", "a", name="p")
            assert (await world.authorizer.authorize(get))[0] is Decision.ALLOW
            # The role loses the verb.
            await world.replace(
                role(
                    "r",
                    [{"verbs": ["list"], "apiGroups": [""], "resources": ["pods"]}],
                    namespace="a",
                )
            )
            assert (await world.authorizer.authorize(get))[0] is Decision.NO_OPINION
            assert (await world.authorizer.authorize(res(ALICE, "list", "pods", "a")))[
                0
            ] is Decision.ALLOW
            # The binding changes its subjects.
            rb["subjects"] = [user("bob")]
            await world.replace(rb)
            assert (await world.authorizer.authorize(res(ALICE, "list", "pods", "a")))[
                0
            ] is Decision.NO_OPINION
            assert (await world.authorizer.authorize(res(BOB, "list", "pods", "a")))[
                0
            ] is Decision.ALLOW
            await world.delete("RoleBinding", "rb", namespace="a")
            assert (await world.authorizer.authorize(res(BOB, "list", "pods", "a")))[
                0
            ] is Decision.NO_OPINION

    asyncio.run(main())


def test_the_index_starts_over_when_the_cache_ends_its_watch(tmp_path):
    async def main():
        async with rbac_world(tmp_path) as world:
            await world.create(
                role("r", [{"verbs": ["get"], "apiGroups": [""], "resources": ["pods"]}])
            )
            await world.create(binding("one", ("ClusterRole", "r"), [user("alice")]))
            get = res(ALICE, "get", "pods", "a", name="p")
            assert (await world.authorizer.authorize(get))[0] is Decision.ALLOW
            # What a relist after compaction does to every watch on the cache.
            crbs = world.store("ClusterRoleBinding").cache
            for watcher in list(crbs._watchers):
                watcher.close()
            await world.create(binding("two", ("ClusterRole", "r"), [user("bob")]))
            assert (await world.authorizer.authorize(get))[0] is Decision.ALLOW
            assert (await world.authorizer.authorize(res(BOB, "get", "pods", "a")))[
                0
            ] is Decision.ALLOW

    asyncio.run(main())


def test_rules_for_lists_every_applicable_rule_and_missing_roles_as_an_error(tmp_path):
    async def main():
        async with rbac_world(tmp_path) as world:
            for obj in POLICY:
                await world.create(obj)
            rules = await world.authorizer.rules_for(ALICE, "a")
            assert rules.resource == (ResourceRule(tuple(READ), ("",), ("pods",)),)
            assert rules.non_resource == (NonResourceRule(("get",), ("/healthz", "/readyz/*")),)
            assert (rules.incomplete, rules.error) == (False, "")
            # In a namespace, RoleBindings there add theirs (non-resource rules included, as
            # Kubernetes lists them, though no path request can use them).
            bob = await world.authorizer.rules_for(BOB, "a")
            assert bob.non_resource == (NonResourceRule(("get",), ("/healthz", "/readyz/*")),)
            assert (await world.authorizer.rules_for(BOB, "b")).non_resource == ()
            await world.create(binding("ghost", ("ClusterRole", "ghost"), [user("alice")]))
            rules = await world.authorizer.rules_for(ALICE, "a")
            assert rules.incomplete is False
            assert rules.error == 'clusterrole.rbac.authorization.k8s.io "ghost" not found'
            assert len(rules.resource) == 1

    asyncio.run(main())


def test_a_service_account_subject_defaults_to_the_binding_namespace_and_else_binds_nobody():
    robot = rbac_resolver.Subject("ServiceAccount", "robot")
    assert robot.key("a") == ("user", "system:serviceaccount:a:robot")
    assert robot.key("") is None  # validation requires the namespace in ClusterRoleBindings
    assert rbac_resolver.Subject("ServiceAccount", "robot", "c").key("a") == (
        "user",
        "system:serviceaccount:c:robot",
    )
    assert rbac_resolver.Subject("Robot", "x").key("a") is None


def test_one_resolver_serves_the_authorizer_and_the_escalation_checks(tmp_path):
    async def main():
        async with rbac_world(tmp_path) as world:
            shared = rbac_resolver.for_stores(world.stores)
            assert shared is rbac_resolver.for_stores(dict(world.stores))
            assert world.store("Role").strategy._resolver is shared
            assert rbac_resolver.for_stores({}) is None

    asyncio.run(main())
