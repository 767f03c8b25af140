"""The user-facing roles: `admin`, `edit` and `view`, and the roles they aggregate.

`admin`, `edit` and `view` hold no rules of their own: each aggregates the ClusterRoles
labelled `rbac.authorization.k8s.io/aggregate-to-<role>`, which is how the defaults
(`system:aggregate-to-*`) and anyone's additions (a CRD's roles) reach them. `view` is
labelled to be part of `edit`, and `edit` of `admin`, so each grants what the one below does.
`view` leaves out Secrets and everything that could reveal them (exec, attach, tokens);
editors may not write Endpoints (CVE-2021-25740).
"""

from __future__ import annotations

from kube_apiserver.authorization.rbac.bootstrappolicy.builders import (
    AGGREGATE_TO_ADMIN,
    AGGREGATE_TO_EDIT,
    AGGREGATE_TO_VIEW,
    APPS,
    AUTHORIZATION,
    AUTOSCALING,
    BATCH,
    COORDINATION,
    DISCOVERY,
    EXTENSIONS,
    LEGACY,
    NETWORKING,
    POLICY,
    RBAC_GROUP,
    READ,
    READ_WRITE,
    WRITE,
    Obj,
    cluster_role,
    rule,
)


def _aggregate_to_edit_rules() -> list[Obj]:
    return [
        rule(
            READ,
            (LEGACY,),
            (
                "pods/attach",
                "pods/proxy",
                "pods/exec",
                "pods/portforward",
                "secrets",
                "services/proxy",
            ),
        ),
        rule(("impersonate",), (LEGACY,), ("serviceaccounts",)),
        rule(
            WRITE, (LEGACY,), ("pods", "pods/attach", "pods/proxy", "pods/exec", "pods/portforward")
        ),
        rule(("create",), (LEGACY,), ("pods/eviction",)),
        rule(
            WRITE,
            (LEGACY,),
            (
                "replicationcontrollers",
                "replicationcontrollers/scale",
                "serviceaccounts",
                "services",
                "services/proxy",
                "persistentvolumeclaims",
                "configmaps",
                "secrets",
                "events",
            ),
        ),
        rule(("create",), (LEGACY,), ("serviceaccounts/token",)),
        rule(
            WRITE,
            (APPS,),
            (
                "statefulsets",
                "statefulsets/scale",
                "daemonsets",
                "deployments",
                "deployments/scale",
                "deployments/rollback",
                "replicasets",
                "replicasets/scale",
            ),
        ),
        rule(WRITE, (AUTOSCALING,), ("horizontalpodautoscalers",)),
        rule(WRITE, (BATCH,), ("jobs", "cronjobs")),
        rule(
            WRITE,
            (EXTENSIONS,),
            (
                "daemonsets",
                "deployments",
                "deployments/scale",
                "deployments/rollback",
                "ingresses",
                "replicasets",
                "replicasets/scale",
                "replicationcontrollers/scale",
                "networkpolicies",
            ),
        ),
        rule(WRITE, (POLICY,), ("poddisruptionbudgets",)),
        rule(WRITE, (NETWORKING,), ("networkpolicies", "ingresses")),
        rule(READ_WRITE, (COORDINATION,), ("leases",)),
    ]


def _aggregate_to_view_rules() -> list[Obj]:
    return [
        rule(
            READ,
            (LEGACY,),
            (
                "pods",
                "replicationcontrollers",
                "replicationcontrollers/scale",
                "serviceaccounts",
                "services",
                "services/status",
                "endpoints",
                "persistentvolumeclaims",
                "persistentvolumeclaims/status",
                "configmaps",
            ),
        ),
        rule(
            READ,
            (LEGACY,),
            (
                "limitranges",
                "resourcequotas",
                "bindings",
                "events",
                "pods/status",
                "resourcequotas/status",
                "namespaces/status",
                "replicationcontrollers/status",
                "pods/log",
            ),
        ),
        # Reading namespaces at namespace scope means reading *this* namespace.
        rule(READ, (LEGACY,), ("namespaces",)),
        rule(READ, (DISCOVERY,), ("endpointslices",)),
        rule(
            READ,
            (APPS,),
            (
                "controllerrevisions",
                "statefulsets",
                "statefulsets/status",
                "statefulsets/scale",
                "daemonsets",
                "daemonsets/status",
                "deployments",
                "deployments/status",
                "deployments/scale",
                "replicasets",
                "replicasets/status",
                "replicasets/scale",
            ),
        ),
        rule(READ, (AUTOSCALING,), ("horizontalpodautoscalers", "horizontalpodautoscalers/status")),
        rule(READ, (BATCH,), ("jobs", "cronjobs", "cronjobs/status", "jobs/status")),
        rule(
            READ,
            (EXTENSIONS,),
            (
                "daemonsets",
                "daemonsets/status",
                "deployments",
                "deployments/scale",
                "deployments/status",
                "ingresses",
                "ingresses/status",
                "replicasets",
                "replicasets/scale",
                "replicasets/status",
                "replicationcontrollers/scale",
                "networkpolicies",
            ),
        ),
        rule(READ, (POLICY,), ("poddisruptionbudgets", "poddisruptionbudgets/status")),
        rule(READ, (NETWORKING,), ("networkpolicies", "ingresses", "ingresses/status")),
    ]


def user_roles() -> list[Obj]:
    return [
        cluster_role("admin", aggregate_from=AGGREGATE_TO_ADMIN),
        cluster_role("edit", labels={AGGREGATE_TO_ADMIN: "true"}, aggregate_from=AGGREGATE_TO_EDIT),
        cluster_role("view", labels={AGGREGATE_TO_EDIT: "true"}, aggregate_from=AGGREGATE_TO_VIEW),
        cluster_role(
            "system:aggregate-to-admin",
            [
                rule(("create",), (AUTHORIZATION,), ("localsubjectaccessreviews",)),
                rule(READ_WRITE, (RBAC_GROUP,), ("roles", "rolebindings")),
            ],
            labels={AGGREGATE_TO_ADMIN: "true"},
        ),
        cluster_role(
            "system:aggregate-to-edit",
            _aggregate_to_edit_rules(),
            labels={AGGREGATE_TO_EDIT: "true"},
        ),
        cluster_role(
            "system:aggregate-to-view",
            _aggregate_to_view_rules(),
            labels={AGGREGATE_TO_VIEW: "true"},
        ),
    ]
