"""The Roles and RoleBindings kube-apiserver 1.33 bootstraps in kube-system and kube-public.

They grant what only makes sense in one namespace: reading the front-proxy authentication
ConfigMap (for extension API servers), leader election of the scheduler and controller
manager (Leases, LeaseCandidates for coordinated leader election, and the ConfigMaps older
releases locked), and the bootstrap-token controllers' Secrets and `cluster-info`.
"""

from __future__ import annotations

from kube_apiserver.authorization.rbac.bootstrappolicy.builders import (
    CONTROLLER_PREFIX,
    COORDINATION,
    KUBE_PUBLIC,
    KUBE_SYSTEM,
    LEGACY,
    READ,
    Obj,
    events_rule,
    role,
    role_binding,
    rule,
    service_account,
    user,
)

_LEADER_ELECTION = ("create", "get", "list", "update", "watch")


def _leader_locking(component: str) -> list[Obj]:
    return [
        rule(("watch",), (LEGACY,), ("configmaps",)),
        rule(("get", "update"), (LEGACY,), ("configmaps",), (component,)),
        rule(_LEADER_ELECTION, (COORDINATION,), ("leases",)),
        rule(_LEADER_ELECTION, (COORDINATION,), ("leasecandidates",)),
    ]


def namespace_roles() -> list[Obj]:
    return [
        role(
            "extension-apiserver-authentication-reader",
            KUBE_SYSTEM,
            [rule(READ, (LEGACY,), ("configmaps",), ("extension-apiserver-authentication",))],
        ),
        role(
            "system::leader-locking-kube-controller-manager",
            KUBE_SYSTEM,
            _leader_locking("kube-controller-manager"),
        ),
        role(
            "system::leader-locking-kube-scheduler", KUBE_SYSTEM, _leader_locking("kube-scheduler")
        ),
        role(
            CONTROLLER_PREFIX + "bootstrap-signer",
            KUBE_SYSTEM,
            [rule(READ, (LEGACY,), ("secrets",))],
        ),
        role(
            CONTROLLER_PREFIX + "cloud-provider",
            KUBE_SYSTEM,
            [rule(("create", "get", "list", "watch"), (LEGACY,), ("configmaps",))],
        ),
        role(
            CONTROLLER_PREFIX + "token-cleaner",
            KUBE_SYSTEM,
            [rule(("delete", "get", "list", "watch"), (LEGACY,), ("secrets",)), events_rule()],
        ),
        role(
            CONTROLLER_PREFIX + "bootstrap-signer",
            KUBE_PUBLIC,
            [
                rule(READ, (LEGACY,), ("configmaps",)),
                rule(("update",), (LEGACY,), ("configmaps",), ("cluster-info",)),
                events_rule(),
            ],
        ),
    ]


def namespace_role_bindings() -> list[Obj]:
    signer = service_account(KUBE_SYSTEM, "bootstrap-signer")
    return [
        role_binding(
            "system::extension-apiserver-authentication-reader",
            KUBE_SYSTEM,
            [user("system:kube-controller-manager"), user("system:kube-scheduler")],
            role_name="extension-apiserver-authentication-reader",
        ),
        role_binding(
            "system::leader-locking-kube-controller-manager",
            KUBE_SYSTEM,
            [
                user("system:kube-controller-manager"),
                service_account(KUBE_SYSTEM, "kube-controller-manager"),
                service_account(KUBE_SYSTEM, "leader-election-controller"),
            ],
        ),
        role_binding(
            "system::leader-locking-kube-scheduler",
            KUBE_SYSTEM,
            [user("system:kube-scheduler"), service_account(KUBE_SYSTEM, "kube-scheduler")],
        ),
        role_binding(CONTROLLER_PREFIX + "bootstrap-signer", KUBE_SYSTEM, [signer]),
        role_binding(
            CONTROLLER_PREFIX + "cloud-provider",
            KUBE_SYSTEM,
            [service_account(KUBE_SYSTEM, "cloud-provider")],
        ),
        role_binding(
            CONTROLLER_PREFIX + "token-cleaner",
            KUBE_SYSTEM,
            [service_account(KUBE_SYSTEM, "token-cleaner")],
        ),
        role_binding(CONTROLLER_PREFIX + "bootstrap-signer", KUBE_PUBLIC, [signer]),
    ]
