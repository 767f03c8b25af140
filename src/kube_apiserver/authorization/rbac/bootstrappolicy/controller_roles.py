"""The `system:controller:*` roles of kube-controller-manager's controllers, as 1.33 bootstraps them.

kube-controller-manager runs each controller with its own service account in kube-system
(`--use-service-account-credentials`), so each gets a ClusterRole and a ClusterRoleBinding to
`kube-system/<controller>`. Controllers whose feature gates are off by default in 1.33 (the
resource claim and device taint controllers, the VolumeAttributesClass protection controller,
the storage version migrator) have no role here.
"""

from __future__ import annotations

from kube_apiserver.authorization.rbac.bootstrappolicy.builders import (
    APPS,
    AUTHORIZATION,
    AUTOSCALING,
    BATCH,
    CERTIFICATES,
    CONTROLLER_PREFIX,
    DISCOVERY,
    EXTENSIONS,
    KUBE_SYSTEM,
    LEGACY,
    NETWORKING,
    POLICY,
    RBAC_GROUP,
    READ,
    STORAGE,
    Obj,
    cluster_role,
    cluster_role_binding,
    events_rule,
    rule,
    service_account,
)

_UPDATE = ("update",)
_PATCH_UPDATE = ("patch", "update")
_CREATE_DELETE_READ = ("create", "delete", "get", "list", "watch")
_ALL_BUT_DELETECOLLECTION = ("create", "delete", "get", "list", "patch", "update", "watch")
_WORKLOAD_PODS = ("create", "delete", "list", "patch", "watch")  # what owners do to their pods
_SIGNERS = (
    "kubernetes.io/kube-apiserver-client",
    "kubernetes.io/kube-apiserver-client-kubelet",
    "kubernetes.io/kubelet-serving",
    "kubernetes.io/legacy-unknown",
)


def _replica_owner(groups: tuple[str, ...], kind: str) -> list[Obj]:
    """ReplicaSets and ReplicationControllers: the same controller over two kinds."""
    return [
        rule(("get", "list", "watch", "update"), groups, (kind,)),
        rule(_UPDATE, groups, (f"{kind}/status",)),
        rule(_UPDATE, groups, (f"{kind}/finalizers",)),
        rule(_WORKLOAD_PODS, (LEGACY,), ("pods",)),
        events_rule(),
    ]


def _controller_rules() -> dict[str, list[Obj]]:
    """Rules by controller (service account) name."""
    return {
        "attachdetach-controller": [
            rule(("list", "watch"), (LEGACY,), ("persistentvolumes", "persistentvolumeclaims")),
            rule(READ, (LEGACY,), ("nodes",)),
            rule(_PATCH_UPDATE, (LEGACY,), ("nodes/status",)),
            rule(("list", "watch"), (LEGACY,), ("pods",)),
            events_rule(),
            rule(_CREATE_DELETE_READ, (STORAGE,), ("volumeattachments",)),
            rule(READ, (STORAGE,), ("csidrivers",)),
            rule(READ, (STORAGE,), ("csinodes",)),
        ],
        "certificate-controller": [
            rule(
                ("get", "list", "watch", "delete"), (CERTIFICATES,), ("certificatesigningrequests",)
            ),
            rule(
                _UPDATE,
                (CERTIFICATES,),
                ("certificatesigningrequests/status", "certificatesigningrequests/approval"),
            ),
            rule(
                ("approve",),
                (CERTIFICATES,),
                ("signers",),
                ("kubernetes.io/kube-apiserver-client-kubelet",),
            ),
            rule(("sign",), (CERTIFICATES,), ("signers",), _SIGNERS),
            rule(("create",), (AUTHORIZATION,), ("subjectaccessreviews",)),
            events_rule(),
        ],
        "clusterrole-aggregation-controller": [
            # escalate: it writes rules it does not hold itself.
            rule(
                ("escalate", "get", "list", "watch", "update", "patch"),
                (RBAC_GROUP,),
                ("clusterroles",),
            ),
        ],
        "cronjob-controller": [
            rule(("get", "list", "watch", "update"), (BATCH,), ("cronjobs",)),
            rule(_ALL_BUT_DELETECOLLECTION, (BATCH,), ("jobs",)),
            rule(_UPDATE, (BATCH,), ("cronjobs/status",)),
            rule(_UPDATE, (BATCH,), ("cronjobs/finalizers",)),
            rule(("list", "watch", "delete"), (LEGACY,), ("pods",)),
            events_rule(),
        ],
        "daemon-set-controller": [
            rule(READ, (EXTENSIONS, APPS), ("daemonsets",)),
            rule(_UPDATE, (EXTENSIONS, APPS), ("daemonsets/status",)),
            rule(_UPDATE, (EXTENSIONS, APPS), ("daemonsets/finalizers",)),
            rule(("list", "watch"), (LEGACY,), ("nodes",)),
            rule(_WORKLOAD_PODS, (LEGACY,), ("pods",)),
            rule(("create",), (LEGACY,), ("pods/binding",)),
            rule(_ALL_BUT_DELETECOLLECTION, (APPS,), ("controllerrevisions",)),
            events_rule(),
        ],
        "deployment-controller": [
            rule(("get", "list", "watch", "update"), (EXTENSIONS, APPS), ("deployments",)),
            rule(_UPDATE, (EXTENSIONS, APPS), ("deployments/status",)),
            rule(_UPDATE, (EXTENSIONS, APPS), ("deployments/finalizers",)),
            rule(_ALL_BUT_DELETECOLLECTION, (APPS, EXTENSIONS), ("replicasets",)),
            # Pods are updated to move them onto the new ReplicaSet (orphan adoption).
            rule(("get", "list", "watch", "update"), (LEGACY,), ("pods",)),
            events_rule(),
        ],
        "disruption-controller": [
            rule(READ, (EXTENSIONS, APPS), ("deployments",)),
            rule(READ, (APPS, EXTENSIONS), ("replicasets",)),
            rule(READ, (LEGACY,), ("replicationcontrollers",)),
            rule(READ, (POLICY,), ("poddisruptionbudgets",)),
            rule(READ, (APPS,), ("statefulsets",)),
            rule(_UPDATE, (POLICY,), ("poddisruptionbudgets/status",)),
            rule(_PATCH_UPDATE, (LEGACY,), ("pods/status",)),
            rule(("get",), ("*",), ("*/scale",)),
            events_rule(),
        ],
        "endpoint-controller": [
            rule(READ, (LEGACY,), ("services", "pods")),
            rule(("get", "list", "watch", "create", "update", "delete"), (LEGACY,), ("endpoints",)),
            rule(("create",), (LEGACY,), ("endpoints/restricted",)),
            events_rule(),
        ],
        "endpointslice-controller": [
            rule(READ, (LEGACY,), ("services", "pods", "nodes")),
            rule(_UPDATE, (LEGACY,), ("services/finalizers",)),
            rule(
                ("get", "list", "watch", "create", "update", "delete"),
                (DISCOVERY,),
                ("endpointslices",),
            ),
            events_rule(),
        ],
        "endpointslicemirroring-controller": [
            rule(READ, (LEGACY,), ("services", "endpoints")),
            rule(_UPDATE, (LEGACY,), ("services/finalizers",)),
            rule(_UPDATE, (LEGACY,), ("endpoints/finalizers",)),
            rule(
                ("get", "list", "watch", "create", "update", "delete"),
                (DISCOVERY,),
                ("endpointslices",),
            ),
            events_rule(),
        ],
        "ephemeral-volume-controller": [
            rule(READ, (LEGACY,), ("pods",)),
            rule(_UPDATE, (LEGACY,), ("pods/finalizers",)),
            rule(("get", "list", "watch", "create"), (LEGACY,), ("persistentvolumeclaims",)),
            events_rule(),
        ],
        "expand-controller": [
            rule(("get", "list", "watch", "update", "patch"), (LEGACY,), ("persistentvolumes",)),
            rule(_PATCH_UPDATE, (LEGACY,), ("persistentvolumeclaims/status",)),
            rule(READ, (LEGACY,), ("persistentvolumeclaims",)),
            events_rule(),
        ],
        "generic-garbage-collector": [
            # Everything it may own dependents of: read any resource, update and delete it.
            rule(("get", "list", "watch", "patch", "update", "delete"), ("*",), ("*",)),
            events_rule(),
        ],
        "horizontal-pod-autoscaler": [
            rule(READ, (AUTOSCALING,), ("horizontalpodautoscalers",)),
            rule(_UPDATE, (AUTOSCALING,), ("horizontalpodautoscalers/status",)),
            rule(("get", "update"), ("*",), ("*/scale",)),
            rule(("list", "watch"), (LEGACY,), ("pods",)),
            rule(("list", "watch"), ("metrics.k8s.io",), ("pods",)),
            rule(READ, ("custom.metrics.k8s.io",), ("*",)),
            rule(READ, ("external.metrics.k8s.io",), ("*",)),
            events_rule(),
        ],
        "job-controller": [
            rule(("get", "list", "watch", "update", "patch"), (BATCH,), ("jobs",)),
            rule(_UPDATE, (BATCH,), ("jobs/status",)),
            rule(_UPDATE, (BATCH,), ("jobs/finalizers",)),
            rule(_WORKLOAD_PODS, (LEGACY,), ("pods",)),
            events_rule(),
        ],
        "legacy-service-account-token-cleaner": [
            rule(
                ("get",),
                (LEGACY,),
                ("configmaps",),
                ("kube-apiserver-legacy-service-account-token-tracking",),
            ),
            rule(("delete", "patch"), (LEGACY,), ("secrets",)),
        ],
        "namespace-controller": [
            rule(("get", "list", "watch", "delete"), (LEGACY,), ("namespaces",)),
            rule(_UPDATE, (LEGACY,), ("namespaces/finalize", "namespaces/status")),
            rule(("get", "list", "watch", "delete", "deletecollection"), ("*",), ("*",)),
        ],
        "node-controller": [
            rule(("get", "list", "watch", "update", "delete", "patch"), (LEGACY,), ("nodes",)),
            rule(_PATCH_UPDATE, (LEGACY,), ("nodes/status",)),
            rule(_PATCH_UPDATE, (LEGACY,), ("pods/status",)),
            rule(("list", "watch", "delete", "get"), (LEGACY,), ("pods",)),
            events_rule(),
        ],
        "persistent-volume-binder": [
            rule(
                ("get", "list", "watch", "update", "create", "delete"),
                (LEGACY,),
                ("persistentvolumes",),
            ),
            rule(_UPDATE, (LEGACY,), ("persistentvolumes/status",)),
            rule(("get", "list", "watch", "update"), (LEGACY,), ("persistentvolumeclaims",)),
            rule(_UPDATE, (LEGACY,), ("persistentvolumeclaims/status",)),
            rule(_CREATE_DELETE_READ, (LEGACY,), ("pods",)),
            rule(READ, (STORAGE,), ("storageclasses",)),
            rule(("list", "watch"), (LEGACY,), ("nodes",)),
            events_rule(),
            rule(("watch",), (LEGACY,), ("events",)),
        ],
        "pod-garbage-collector": [
            rule(("list", "watch", "delete"), (LEGACY,), ("pods",)),
            rule(READ, (LEGACY,), ("nodes",)),
            rule(("patch",), (LEGACY,), ("pods/status",)),
        ],
        "pv-protection-controller": [
            rule(("get", "list", "watch", "update"), (LEGACY,), ("persistentvolumes",)),
            events_rule(),
        ],
        "pvc-protection-controller": [
            rule(("get", "list", "watch", "update"), (LEGACY,), ("persistentvolumeclaims",)),
            rule(_UPDATE, (LEGACY,), ("persistentvolumeclaims/status",)),
            rule(READ, (LEGACY,), ("pods",)),
            events_rule(),
        ],
        "replicaset-controller": _replica_owner((APPS, EXTENSIONS), "replicasets"),
        "replication-controller": _replica_owner((LEGACY,), "replicationcontrollers"),
        "resourcequota-controller": [
            rule(("list", "watch"), ("*",), ("*",)),  # it counts everything
            rule(_UPDATE, (LEGACY,), ("resourcequotas/status",)),
            events_rule(),
        ],
        "root-ca-cert-publisher": [
            rule(("create", "update"), (LEGACY,), ("configmaps",)),
            events_rule(),
        ],
        "route-controller": [
            rule(("list", "watch"), (LEGACY,), ("nodes",)),
            rule(("patch",), (LEGACY,), ("nodes/status",)),
            events_rule(),
        ],
        "selinux-warning-controller": [
            events_rule(),
            rule(READ, (LEGACY,), ("persistentvolumes",)),
            rule(READ, (LEGACY,), ("persistentvolumeclaims",)),
            rule(READ, (LEGACY,), ("pods",)),
            rule(READ, (STORAGE,), ("csidrivers",)),
        ],
        "service-account-controller": [
            rule(("create",), (LEGACY,), ("serviceaccounts",)),
            events_rule(),
        ],
        "service-cidrs-controller": [
            rule(("get", "list", "watch", "patch", "update"), (NETWORKING,), ("servicecidrs",)),
            rule(_PATCH_UPDATE, (NETWORKING,), ("servicecidrs/finalizers",)),
            rule(_PATCH_UPDATE, (NETWORKING,), ("servicecidrs/status",)),
            rule(READ, (NETWORKING,), ("ipaddresses",)),
            events_rule(),
        ],
        "service-controller": [
            rule(READ, (LEGACY,), ("services",)),
            rule(_PATCH_UPDATE, (LEGACY,), ("services/status",)),
            rule(("list", "watch"), (LEGACY,), ("nodes",)),
            events_rule(),
        ],
        "statefulset-controller": [
            rule(("list", "watch"), (LEGACY,), ("pods",)),
            rule(READ, (APPS,), ("statefulsets",)),
            rule(_UPDATE, (APPS,), ("statefulsets/status",)),
            rule(_UPDATE, (APPS,), ("statefulsets/finalizers",)),
            rule(("get", "create", "delete", "update", "patch"), (LEGACY,), ("pods",)),
            rule(_ALL_BUT_DELETECOLLECTION, (APPS,), ("controllerrevisions",)),
            rule(("get", "create", "list", "watch"), (LEGACY,), ("persistentvolumeclaims",)),
            rule(("update", "delete"), (LEGACY,), ("persistentvolumeclaims",)),
            rule(_UPDATE, (LEGACY,), ("pods/finalizers",)),
            events_rule(),
        ],
        "ttl-after-finished-controller": [
            rule(("get", "list", "watch", "delete"), (BATCH,), ("jobs",)),
            events_rule(),
        ],
        "ttl-controller": [
            rule(("update", "patch", "list", "watch"), (LEGACY,), ("nodes",)),
            events_rule(),
        ],
        "validatingadmissionpolicy-status-controller": [
            rule(READ, ("admissionregistration.k8s.io",), ("validatingadmissionpolicies",)),
            rule(
                ("get", "patch", "update"),
                ("admissionregistration.k8s.io",),
                ("validatingadmissionpolicies/status",),
            ),
            events_rule(),
        ],
    }


def controller_roles() -> list[Obj]:
    return [
        cluster_role(CONTROLLER_PREFIX + name, rules) for name, rules in _controller_rules().items()
    ]


def controller_role_bindings() -> list[Obj]:
    """Each controller's role bound to its service account in kube-system."""
    return [
        cluster_role_binding(CONTROLLER_PREFIX + name, [service_account(KUBE_SYSTEM, name)])
        for name in _controller_rules()
    ]
