"""Escalation prevention: coverage of rules, the refusal's wording, and the checks on writes of
roles and bindings through real stores (what is refused, and each way it is allowed)."""

from __future__ import annotations

import asyncio

import pytest

from authorization.rbac_world import binding, group, rbac_world, role, user
from kube_apiserver.apimachinery.errors import StatusError
from kube_apiserver.authentication.user import UserInfo
from kube_apiserver.authorization.rbac.escalation import (
    FULL_AUTHORITY,
    compact,
    compact_string,
    escalation_error,
    uncovered,
)
from kube_apiserver.authorization.rbac.resolver import MissingRole
from kube_apiserver.authorization.rbac.rules import PolicyRule

EVE = UserInfo("eve", groups=("system:authenticated",))
ADMIN = UserInfo("root", groups=("system:masters", "system:authenticated"))


def rule(verbs, groups=(), resources=(), names=(), urls=()) -> PolicyRule:
    return PolicyRule(tuple(verbs), tuple(groups), tuple(resources), tuple(names), tuple(urls))


# -- coverage ---------------------------------------------------------------------------------

COVERAGE = [
    # (owned, wanted, covered)
    ([rule(["get", "list"], [""], ["pods"])], [rule(["get"], [""], ["pods"])], True),
    ([rule(["get"], [""], ["pods"])], [rule(["get", "list"], [""], ["pods"])], False),
    ([rule(["*"], [""], ["pods"])], [rule(["escalate"], [""], ["pods"])], True),
    ([rule(["get"], ["*"], ["pods"])], [rule(["get"], ["apps", ""], ["pods"])], True),
    ([rule(["get"], ["apps"], ["pods"])], [rule(["get"], [""], ["pods"])], False),
    ([rule(["get"], [""], ["*"])], [rule(["get"], [""], ["pods", "pods/log"])], True),
    # Two owned rules together cover a wanted rule atom by atom.
    (
        [rule(["get"], [""], ["pods"]), rule(["get"], [""], ["secrets"])],
        [rule(["get"], [""], ["pods", "secrets"])],
        True,
    ),
    ([rule(["get"], [""], ["*/log"])], [rule(["get"], [""], ["pods/log"])], True),
    ([rule(["get"], [""], ["pods/*"])], [rule(["get"], [""], ["pods/log"])], False),
    ([rule(["get"], [""], ["pods/log"])], [rule(["get"], [""], ["pods"])], False),
    # Names: an unnamed rule covers named ones, never the reverse.
    ([rule(["get"], [""], ["pods"])], [rule(["get"], [""], ["pods"], ["p"])], True),
    ([rule(["get"], [""], ["pods"], ["p", "q"])], [rule(["get"], [""], ["pods"], ["q"])], True),
    ([rule(["get"], [""], ["pods"], ["p"])], [rule(["get"], [""], ["pods"], ["q"])], False),
    ([rule(["get"], [""], ["pods"], ["p"])], [rule(["get"], [""], ["pods"])], False),
    # URLs: exact or by prefix.
    ([rule(["get"], urls=["/apis/*"])], [rule(["get"], urls=["/apis/apps"])], True),
    ([rule(["get"], urls=["/apis"])], [rule(["get"], urls=["/apis/apps"])], False),
    ([rule(["get"], urls=["*"])], [rule(["get"], urls=["/x"])], True),
    # A resource rule covers no URL, and a URL rule no resource.
    ([rule(["*"], ["*"], ["*"])], [rule(["get"], urls=["/healthz"])], False),
    ([rule(["*"], urls=["*"])], [rule(["get"], [""], ["pods"])], False),
    (
        list(FULL_AUTHORITY),
        [rule(["get"], urls=["/x"]), rule(["bind"], ["x.io"], ["y/z"], ["n"])],
        True,
    ),
    # Nothing to grant is always covered.
    ([], [rule([], [""], ["pods"]), rule(["get"], [], ["pods"])], True),
]


@pytest.mark.parametrize(("owned", "wanted", "covered"), COVERAGE)
def test_coverage_is_decided_atom_by_atom(owned, wanted, covered):
    assert (not uncovered(owned, wanted)) is covered


def test_missing_rules_are_compacted_by_verb_and_written_as_kubernetes_writes_them():
    missing = uncovered(
        [rule(["get"], [""], ["pods"])],
        [
            rule(["get", "list", "delete"], [""], ["pods", "secrets"]),
            rule(["get"], [""], ["configmaps"], ["a", "b"]),
            rule(["get", "post"], urls=["/metrics"]),
        ],
    )
    assert sorted(compact_string(r) for r in compact(missing)) == [
        '{APIGroups:[""], Resources:["configmaps"], ResourceNames:["a"], Verbs:["get"]}',
        '{APIGroups:[""], Resources:["configmaps"], ResourceNames:["b"], Verbs:["get"]}',
        '{APIGroups:[""], Resources:["pods"], Verbs:["list" "delete"]}',
        '{APIGroups:[""], Resources:["secrets"], Verbs:["get" "list" "delete"]}',
        '{NonResourceURLs:["/metrics"], Verbs:["get"]}',
        '{NonResourceURLs:["/metrics"], Verbs:["post"]}',
    ]


def test_the_refusal_names_the_user_groups_missing_rules_and_resolution_errors():
    wanted = [rule(["get"], [""], ["secrets"])]
    assert escalation_error(EVE, [], [], wanted) == (
        'user "eve" (groups=["system:authenticated"]) is attempting to grant RBAC permissions '
        'not currently held:\n{APIGroups:[""], Resources:["secrets"], Verbs:["get"]}'
    )
    nobody = UserInfo("x")
    assert escalation_error(nobody, [], [MissingRole("ClusterRole", "gone")], wanted) == (
        'user "x" (groups=[]) is attempting to grant RBAC permissions not currently held:\n'
        '{APIGroups:[""], Resources:["secrets"], Verbs:["get"]}; resolution errors: '
        '[clusterroles.rbac.authorization.k8s.io "gone" not found]'
    )
    assert escalation_error(EVE, wanted, [MissingRole("Role", "gone")], wanted) is None


# -- writes of roles --------------------------------------------------------------------------

CLUSTER_ADMIN = role(
    "cluster-admin",
    [
        {"verbs": ["*"], "apiGroups": ["*"], "resources": ["*"]},
        {"verbs": ["*"], "nonResourceURLs": ["*"]},
    ],
)


SECRETS = [{"verbs": ["get"], "apiGroups": [""], "resources": ["secrets"]}]
HELD = '{APIGroups:[""], Resources:["secrets"], Verbs:["get"]}'


async def refused(call) -> StatusError:
    with pytest.raises(StatusError) as caught:
        await call
    return caught.value


def test_a_role_granting_what_the_writer_lacks_is_refused(tmp_path):
    async def main():
        async with rbac_world(tmp_path) as world:
            err = await refused(world.create(role("r", SECRETS, namespace="a"), by=EVE))
            assert err.code == 403
            assert err.message == (
                'roles.rbac.authorization.k8s.io "r" is forbidden: user "eve" '
                '(groups=["system:authenticated"]) is attempting to grant RBAC permissions '
                f"not currently held:\n{HELD}"
            )
            assert err.details == {
                "name": "r",
                "group": "rbac.authorization.k8s.io",
                "kind": "roles",
            }
            err = await refused(world.create(role("c", SECRETS), by=EVE))
            assert err.message.startswith('clusterroles.rbac.authorization.k8s.io "c" is forbidden')

    asyncio.run(main())


def test_a_role_granting_what_the_writer_holds_there_is_allowed(tmp_path):
    async def main():
        async with rbac_world(tmp_path) as world:
            await world.create(role("reader", SECRETS))
            await world.create(
                binding("eve", ("ClusterRole", "reader"), [user("eve")], namespace="a")
            )
            await world.create(role("r", SECRETS, namespace="a"), by=EVE)
            # Held in "a" only: not in another namespace, not cluster-wide.
            assert (
                await refused(world.create(role("r", SECRETS, namespace="b"), by=EVE))
            ).code == 403
            assert (await refused(world.create(role("c", SECRETS), by=EVE))).code == 403
            # Held by a group the writer is in.
            await world.create(
                binding("all", ("ClusterRole", "reader"), [group("system:authenticated")])
            )
            await world.create(role("c", SECRETS), by=EVE)

    asyncio.run(main())


def test_escalate_masters_and_the_server_itself_may_write_any_role(tmp_path):
    async def main():
        async with rbac_world(tmp_path) as world:
            await world.create(role("r0", SECRETS, namespace="a"))  # no user: the server
            await world.create(role("r1", SECRETS, namespace="a"), by=ADMIN)
            escalate = [
                {
                    "verbs": ["escalate"],
                    "apiGroups": ["rbac.authorization.k8s.io"],
                    "resources": ["roles"],
                }
            ]
            await world.create(role("esc", escalate, namespace="a"))
            await world.create(binding("eve-esc", ("Role", "esc"), [user("eve")], namespace="a"))
            await world.create(role("r2", SECRETS, namespace="a"), by=EVE)
            assert (
                await refused(world.create(role("r2", SECRETS, namespace="b"), by=EVE))
            ).code == 403

    asyncio.run(main())


def test_escalate_limited_to_a_name_allows_updating_that_role_only(tmp_path):
    async def main():
        async with rbac_world(tmp_path) as world:
            await world.create(role("mine", [], namespace="a"))
            await world.create(role("other", [], namespace="a"))
            named = [
                {
                    "verbs": ["escalate"],
                    "apiGroups": ["rbac.authorization.k8s.io"],
                    "resources": ["roles"],
                    "resourceNames": ["mine"],
                }
            ]
            await world.create(role("esc", named, namespace="a"))
            await world.create(binding("eve-esc", ("Role", "esc"), [user("eve")], namespace="a"))
            await world.replace(role("mine", SECRETS, namespace="a"), by=EVE)
            assert (
                await refused(world.replace(role("other", SECRETS, namespace="a"), by=EVE))
            ).code == 403
            # A create names no object in its URL: the named escalate does not apply.
            assert (
                await refused(world.create(role("new", SECRETS, namespace="a"), by=EVE))
            ).code == 403

    asyncio.run(main())


def test_an_update_changing_only_finalizers_needs_no_permission(tmp_path):
    async def main():
        async with rbac_world(tmp_path) as world:
            stored = await world.create(role("r", SECRETS, namespace="a"))
            stored["metadata"]["finalizers"] = ["example.com/hold"]
            stored = await world.replace(stored, by=EVE)
            stored["metadata"]["labels"] = {"x": "y"}
            assert (await refused(world.replace(stored, by=EVE))).code == 403

    asyncio.run(main())


def test_an_aggregation_rule_needs_every_permission(tmp_path):
    async def main():
        async with rbac_world(tmp_path) as world:
            aggregated = role(
                "agg",
                [],
                aggregationRule={"clusterRoleSelectors": [{"matchLabels": {"x": "y"}}]},
            )
            await world.create(role("reader", SECRETS))
            await world.create(binding("eve", ("ClusterRole", "reader"), [user("eve")]))
            err = await refused(world.create(aggregated, by=EVE))
            assert err.message == (
                'clusterroles.rbac.authorization.k8s.io "agg" is forbidden: '
                "must have cluster-admin privileges to use the aggregationRule"
            )
            stored = await world.create(aggregated)
            # Dropping it is changing it, too.
            del stored["aggregationRule"]
            assert (await refused(world.replace(stored, by=EVE))).code == 403
            await world.create(CLUSTER_ADMIN)
            await world.create(binding("eve-all", ("ClusterRole", "cluster-admin"), [user("eve")]))
            await world.replace(stored, by=EVE)

    asyncio.run(main())


# -- writes of bindings -----------------------------------------------------------------------


def test_a_user_cannot_bind_themselves_to_cluster_admin(tmp_path):
    async def main():
        async with rbac_world(tmp_path) as world:
            await world.create(CLUSTER_ADMIN)
            err = await refused(
                world.create(binding("me", ("ClusterRole", "cluster-admin"), [user("eve")]), by=EVE)
            )
            assert err.code == 403
            assert err.message == (
                'clusterrolebindings.rbac.authorization.k8s.io "me" is forbidden: user "eve" '
                '(groups=["system:authenticated"]) is attempting to grant RBAC permissions not '
                'currently held:\n{APIGroups:["*"], Resources:["*"], Verbs:["*"]}\n'
                '{NonResourceURLs:["*"], Verbs:["*"]}'
            )
            err = await refused(
                world.create(
                    binding("me", ("ClusterRole", "cluster-admin"), [user("eve")], namespace="a"),
                    by=EVE,
                )
            )
            assert err.message.startswith(
                'rolebindings.rbac.authorization.k8s.io "me" is forbidden'
            )

    asyncio.run(main())


def test_bind_on_the_role_allows_binding_it(tmp_path):
    async def main():
        async with rbac_world(tmp_path) as world:
            await world.create(CLUSTER_ADMIN)
            await world.create(role("other", SECRETS))
            may_bind = [
                {
                    "verbs": ["bind"],
                    "apiGroups": ["rbac.authorization.k8s.io"],
                    "resources": ["clusterroles"],
                    "resourceNames": ["cluster-admin"],
                }
            ]
            await world.create(role("binder", may_bind))
            await world.create(binding("eve-binder", ("ClusterRole", "binder"), [user("eve")]))
            # Only the role named.
            err = await refused(
                world.create(binding("o", ("ClusterRole", "other"), [user("eve")]), by=EVE)
            )
            assert err.code == 403
            await world.create(
                binding("me", ("ClusterRole", "cluster-admin"), [user("eve")]), by=EVE
            )

    asyncio.run(main())


def test_bind_granted_in_a_namespace_allows_bindings_there_only(tmp_path):
    async def main():
        async with rbac_world(tmp_path) as world:
            await world.create(CLUSTER_ADMIN)
            may_bind = [
                {
                    "verbs": ["bind"],
                    "apiGroups": ["rbac.authorization.k8s.io"],
                    "resources": ["clusterroles"],
                }
            ]
            await world.create(role("binder", may_bind))
            await world.create(
                binding("eve-binder", ("ClusterRole", "binder"), [user("eve")], namespace="a")
            )
            admin_in = binding(
                "adm", ("ClusterRole", "cluster-admin"), [user("bob")], namespace="a"
            )
            await world.create(admin_in, by=EVE)
            assert (
                await refused(
                    world.create(
                        {**admin_in, "metadata": {"name": "adm", "namespace": "b"}}, by=EVE
                    )
                )
            ).code == 403
            assert (
                await refused(
                    world.create(
                        binding("adm", ("ClusterRole", "cluster-admin"), [user("bob")]), by=EVE
                    )
                )
            ).code == 403

    asyncio.run(main())


def test_binding_a_role_whose_permissions_the_writer_holds_is_allowed(tmp_path):
    async def main():
        async with rbac_world(tmp_path) as world:
            await world.create(role("reader", SECRETS))
            await world.create(
                binding("eve", ("ClusterRole", "reader"), [user("eve")], namespace="a")
            )
            await world.create(
                binding("bob", ("ClusterRole", "reader"), [user("bob")], namespace="a"), by=EVE
            )
            err = await refused(
                world.create(
                    binding("bob", ("ClusterRole", "reader"), [user("bob")], namespace="b"), by=EVE
                )
            )
            assert err.code == 403
            # Updating a binding is checked the same way.
            await world.create(binding("x", ("ClusterRole", "reader"), [], namespace="b"))
            err = await refused(
                world.replace(
                    binding("x", ("ClusterRole", "reader"), [user("bob")], namespace="b"), by=EVE
                )
            )
            assert err.code == 403

    asyncio.run(main())


def test_binding_a_missing_role_is_not_found_unless_the_writer_may_bind_it(tmp_path):
    async def main():
        async with rbac_world(tmp_path) as world:
            err = await refused(
                world.create(binding("b", ("Role", "nope"), [user("bob")], namespace="a"), by=EVE)
            )
            assert (err.code, err.message) == (
                404,
                'roles.rbac.authorization.k8s.io "nope" not found',
            )
            err = await refused(
                world.create(binding("b", ("ClusterRole", "nope"), [user("bob")]), by=EVE)
            )
            assert (err.code, err.message) == (
                404,
                'clusterroles.rbac.authorization.k8s.io "nope" not found',
            )
            may_bind = [
                {
                    "verbs": ["bind"],
                    "apiGroups": ["rbac.authorization.k8s.io"],
                    "resources": ["roles"],
                }
            ]
            await world.create(role("binder", may_bind, namespace="a"))
            await world.create(
                binding("eve-binder", ("Role", "binder"), [user("eve")], namespace="a")
            )
            await world.create(binding("b", ("Role", "nope"), [user("bob")], namespace="a"), by=EVE)

    asyncio.run(main())
