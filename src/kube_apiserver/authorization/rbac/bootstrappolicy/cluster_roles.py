"""The cluster roles and cluster role bindings kube-apiserver 1.33 bootstraps (default gates).

Besides the user-facing roles (user_roles.py), the `system:` roles serve the control plane's
own components (scheduler, controller manager, kubelets, kube-proxy) and the discovery
endpoints every client needs. Rules whose feature gates are off by default in 1.33 (dynamic resource allocation,
cluster trust bundles) are not here; features that are on (multiple Service CIDRs, fine-grained
kubelet authorization) are.
"""

from __future__ import annotations

from kube_apiserver.authorization.rbac.bootstrappolicy.builders import (
    APPS,
    AUTHENTICATION,
    AUTHORIZATION,
    CERTIFICATES,
    COORDINATION,
    DISCOVERY,
    EXTENSIONS,
    KUBE_SYSTEM,
    LEGACY,
    NETWORKING,
    POLICY,
    READ,
    READ_UPDATE,
    STORAGE,
    Obj,
    cluster_role,
    cluster_role_binding,
    events_rule,
    group,
    rule,
    service_account,
    url_rule,
    user,
)
from kube_apiserver.authorization.rbac.bootstrappolicy.user_roles import user_roles

# Well-known users and groups (k8s.io/apiserver/pkg/authentication/user).
MASTERS, MONITORING = "system:masters", "system:monitoring"
AUTHENTICATED, UNAUTHENTICATED = "system:authenticated", "system:unauthenticated"
ALL_SERVICE_ACCOUNTS = "system:serviceaccounts"
KUBE_PROXY, KUBE_SCHEDULER = "system:kube-proxy", "system:kube-scheduler"
KUBE_CONTROLLER_MANAGER = "system:kube-controller-manager"


def node_rules() -> list[Obj]:
    """What kubelets may do; the Node authorizer and NodeRestriction narrow it per node."""
    return [
        rule(("create",), (AUTHENTICATION,), ("tokenreviews",)),
        rule(("create",), (AUTHORIZATION,), ("subjectaccessreviews", "localsubjectaccessreviews")),
        rule(READ, (LEGACY,), ("services",)),
        rule(("create", "get", "list", "watch"), (LEGACY,), ("nodes",)),
        rule(("update", "patch"), (LEGACY,), ("nodes/status",)),
        rule(("update", "patch"), (LEGACY,), ("nodes",)),
        rule(("create", "update", "patch"), (LEGACY,), ("events",)),
        rule(READ, (LEGACY,), ("pods",)),
        rule(("create", "delete"), (LEGACY,), ("pods",)),
        rule(("update", "patch"), (LEGACY,), ("pods/status",)),
        rule(("create",), (LEGACY,), ("pods/eviction",)),
        rule(("get", "list", "watch"), (LEGACY,), ("secrets", "configmaps")),
        rule(("get",), (LEGACY,), ("persistentvolumeclaims", "persistentvolumes")),
        rule(("get",), (LEGACY,), ("endpoints",)),
        rule(("create", "get", "list", "watch"), (CERTIFICATES,), ("certificatesigningrequests",)),
        rule(("get", "create", "update", "patch", "delete"), (COORDINATION,), ("leases",)),
        rule(("get",), (STORAGE,), ("volumeattachments",)),
        rule(("create",), (LEGACY,), ("serviceaccounts/token",)),
        rule(("get", "update", "patch"), (LEGACY,), ("persistentvolumeclaims/status",)),
        rule(("get", "watch", "list"), (STORAGE,), ("csidrivers",)),
        rule(("get", "create", "update", "patch", "delete"), (STORAGE,), ("csinodes",)),
        rule(("get", "list", "watch"), ("node.k8s.io",), ("runtimeclasses",)),
    ]


def _kube_scheduler_rules() -> list[Obj]:
    return [
        events_rule(),
        rule(("create",), (COORDINATION,), ("leases",)),
        rule(("get", "update"), (COORDINATION,), ("leases",), ("kube-scheduler",)),
        rule(READ, (LEGACY,), ("nodes",)),
        rule(("get", "list", "watch", "delete"), (LEGACY,), ("pods",)),
        rule(("create",), (LEGACY,), ("pods/binding", "bindings")),
        rule(("patch", "update"), (LEGACY,), ("pods/status",)),
        rule(READ, (LEGACY,), ("services", "replicationcontrollers")),
        rule(READ, (APPS, EXTENSIONS), ("replicasets",)),
        rule(READ, (APPS,), ("statefulsets",)),
        rule(READ, (POLICY,), ("poddisruptionbudgets",)),
        rule(READ, (LEGACY,), ("persistentvolumeclaims", "persistentvolumes")),
        rule(("create",), (AUTHENTICATION,), ("tokenreviews",)),
        rule(("create",), (AUTHORIZATION,), ("subjectaccessreviews",)),
        rule(READ, (STORAGE,), ("csinodes",)),
        rule(READ, (STORAGE,), ("volumeattachments",)),
        rule(READ, (LEGACY,), ("namespaces",)),
        rule(READ, (STORAGE,), ("csidrivers",)),
        rule(READ, (STORAGE,), ("csistoragecapacities",)),
    ]


def _signer_approver(name: str, signer: str) -> Obj:
    return cluster_role(
        f"system:certificates.k8s.io:{name}",
        [rule(("approve",), (CERTIFICATES,), ("signers",), (signer,))],
    )


def cluster_roles() -> list[Obj]:
    """The bootstrap ClusterRoles, without the controller roles (see controller_roles)."""
    return [
        cluster_role(
            "cluster-admin",
            [rule(("*",), ("*",), ("*",)), url_rule(("*",), ("*",))],
        ),
        cluster_role(
            "system:discovery",
            [
                url_rule(
                    ("get",),
                    (
                        "/livez",
                        "/readyz",
                        "/healthz",
                        "/version",
                        "/version/",
                        "/openapi",
                        "/openapi/*",
                        "/api",
                        "/api/*",
                        "/apis",
                        "/apis/*",
                    ),
                )
            ],
        ),
        cluster_role(
            "system:monitoring",
            [
                url_rule(
                    ("get",),
                    (
                        "/metrics",
                        "/metrics/slis",
                        "/livez",
                        "/readyz",
                        "/healthz",
                        "/livez/*",
                        "/readyz/*",
                        "/healthz/*",
                    ),
                )
            ],
        ),
        cluster_role(
            "system:basic-user",
            [
                rule(
                    ("create",),
                    (AUTHORIZATION,),
                    ("selfsubjectaccessreviews", "selfsubjectrulesreviews"),
                ),
                rule(("create",), (AUTHENTICATION,), ("selfsubjectreviews",)),
            ],
        ),
        cluster_role(
            "system:public-info-viewer",
            [url_rule(("get",), ("/livez", "/readyz", "/healthz", "/version", "/version/"))],
        ),
        *user_roles(),
        cluster_role(
            "system:heapster",
            [
                rule(READ, (LEGACY,), ("events", "pods", "nodes", "namespaces")),
                rule(READ, (EXTENSIONS,), ("deployments",)),
            ],
        ),
        cluster_role("system:node", node_rules()),
        cluster_role(
            "system:node-problem-detector",
            [
                rule(("get",), (LEGACY,), ("nodes",)),
                rule(("patch",), (LEGACY,), ("nodes/status",)),
                events_rule(),
            ],
        ),
        cluster_role(
            "system:kubelet-api-admin",
            [
                rule(("get", "list", "watch"), (LEGACY,), ("nodes",)),
                rule(("proxy",), (LEGACY,), ("nodes",)),
                # KubeletFineGrainedAuthz (beta, on in 1.33) adds pods, healthz and configz.
                rule(
                    ("*",),
                    (LEGACY,),
                    (
                        "nodes/proxy",
                        "nodes/metrics",
                        "nodes/stats",
                        "nodes/log",
                        "nodes/pods",
                        "nodes/healthz",
                        "nodes/configz",
                    ),
                ),
            ],
        ),
        cluster_role(
            "system:node-bootstrapper",
            [
                rule(
                    ("create", "get", "list", "watch"),
                    (CERTIFICATES,),
                    ("certificatesigningrequests",),
                )
            ],
        ),
        cluster_role(
            "system:auth-delegator",
            [
                rule(("create",), (AUTHENTICATION,), ("tokenreviews",)),
                rule(("create",), (AUTHORIZATION,), ("subjectaccessreviews",)),
            ],
        ),
        cluster_role("system:kube-aggregator", [rule(READ, (LEGACY,), ("services", "endpoints"))]),
        cluster_role(
            "system:kube-controller-manager",
            [
                events_rule(),
                rule(("create",), (COORDINATION,), ("leases",)),
                rule(("get", "update"), (COORDINATION,), ("leases",), ("kube-controller-manager",)),
                rule(("create",), (LEGACY,), ("secrets", "serviceaccounts")),
                rule(("delete",), (LEGACY,), ("secrets",)),
                rule(
                    ("get",), (LEGACY,), ("namespaces", "secrets", "serviceaccounts", "configmaps")
                ),
                rule(("update",), (LEGACY,), ("secrets", "serviceaccounts")),
                rule(("create",), (AUTHENTICATION,), ("tokenreviews",)),
                rule(("create",), (AUTHORIZATION,), ("subjectaccessreviews",)),
                rule(("list", "watch"), ("*",), ("*",)),  # every shared informer
                rule(("create",), (LEGACY,), ("serviceaccounts/token",)),
            ],
        ),
        cluster_role(
            "system:kube-dns", [rule(("list", "watch"), (LEGACY,), ("endpoints", "services"))]
        ),
        cluster_role(
            "system:persistent-volume-provisioner",
            [
                rule(
                    ("get", "list", "watch", "create", "delete"), (LEGACY,), ("persistentvolumes",)
                ),
                rule(("get", "list", "watch", "update"), (LEGACY,), ("persistentvolumeclaims",)),
                rule(READ, (STORAGE,), ("storageclasses",)),
                rule(("watch",), (LEGACY,), ("events",)),
                events_rule(),
            ],
        ),
        cluster_role(
            "system:certificates.k8s.io:certificatesigningrequests:nodeclient",
            [rule(("create",), (CERTIFICATES,), ("certificatesigningrequests/nodeclient",))],
        ),
        cluster_role(
            "system:certificates.k8s.io:certificatesigningrequests:selfnodeclient",
            [rule(("create",), (CERTIFICATES,), ("certificatesigningrequests/selfnodeclient",))],
        ),
        cluster_role(
            "system:volume-scheduler",
            [
                rule(READ_UPDATE, (LEGACY,), ("persistentvolumes",)),
                rule(READ, (STORAGE,), ("storageclasses",)),
                rule(READ_UPDATE, (LEGACY,), ("persistentvolumeclaims",)),
            ],
        ),
        _signer_approver("legacy-unknown-approver", "kubernetes.io/legacy-unknown"),
        _signer_approver("kubelet-serving-approver", "kubernetes.io/kubelet-serving"),
        _signer_approver("kube-apiserver-client-approver", "kubernetes.io/kube-apiserver-client"),
        _signer_approver(
            "kube-apiserver-client-kubelet-approver", "kubernetes.io/kube-apiserver-client-kubelet"
        ),
        # Slash-ended URLs too, for clients generated from older OpenAPI documents.
        cluster_role(
            "system:service-account-issuer-discovery",
            [
                url_rule(
                    ("get",),
                    (
                        "/.well-known/openid-configuration",
                        "/.well-known/openid-configuration/",
                        "/openid/v1/jwks",
                        "/openid/v1/jwks/",
                    ),
                )
            ],
        ),
        cluster_role(
            "system:node-proxier",
            [
                rule(("list", "watch"), (LEGACY,), ("services", "endpoints")),
                rule(("get", "list", "watch"), (LEGACY,), ("nodes",)),
                events_rule(),
                rule(("list", "watch"), (NETWORKING,), ("servicecidrs",)),
                rule(("list", "watch"), (DISCOVERY,), ("endpointslices",)),
            ],
        ),
        cluster_role("system:kube-scheduler", _kube_scheduler_rules()),
    ]


def cluster_role_bindings() -> list[Obj]:
    """The bootstrap ClusterRoleBindings, without the controller bindings."""
    return [
        cluster_role_binding("cluster-admin", [group(MASTERS)]),
        cluster_role_binding("system:monitoring", [group(MONITORING)]),
        cluster_role_binding("system:discovery", [group(AUTHENTICATED)]),
        cluster_role_binding("system:basic-user", [group(AUTHENTICATED)]),
        cluster_role_binding(
            "system:public-info-viewer", [group(AUTHENTICATED), group(UNAUTHENTICATED)]
        ),
        cluster_role_binding("system:node-proxier", [user(KUBE_PROXY)]),
        cluster_role_binding("system:kube-controller-manager", [user(KUBE_CONTROLLER_MANAGER)]),
        cluster_role_binding("system:kube-dns", [service_account(KUBE_SYSTEM, "kube-dns")]),
        cluster_role_binding("system:kube-scheduler", [user(KUBE_SCHEDULER)]),
        cluster_role_binding("system:volume-scheduler", [user(KUBE_SCHEDULER)]),
        # Kept without subjects since the Node authorizer took over (Kubernetes 1.7).
        cluster_role_binding("system:node", []),
        # Every workload may read the service account issuer's discovery documents.
        cluster_role_binding(
            "system:service-account-issuer-discovery", [group(ALL_SERVICE_ACCOUNTS)]
        ),
    ]
