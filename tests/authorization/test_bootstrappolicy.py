"""The bootstrap policy's data against Kubernetes 1.33: names, subjects and the rules people rely on.

The expected names are in `kube_expected`; the rules written out here are the ones that stayed
the same across the releases around 1.33 and that clients depend on.
"""

from __future__ import annotations

from kube_apiserver.apis.rbac import validation
from kube_apiserver.authorization.rbac import bootstrappolicy as policy
from kube_expected import (
    BOOTSTRAP_CLUSTER_ROLE_BINDINGS,
    BOOTSTRAP_CLUSTER_ROLES,
    BOOTSTRAP_CONTROLLERS,
    BOOTSTRAP_NAMESPACE_ROLE_BINDINGS,
    BOOTSTRAP_NAMESPACE_ROLES,
    VIEW_POD_READING,
)


def by_name(objects: list[dict]) -> dict[str, dict]:
    return {o["metadata"]["name"]: o for o in objects}


def names(objects: list[dict]) -> list:
    return sorted(
        (o["metadata"]["namespace"], o["metadata"]["name"])
        if "namespace" in o["metadata"]
        else o["metadata"]["name"]
        for o in objects
    )


def group(name: str) -> dict:
    return {"apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": name}


def user(name: str) -> dict:
    return {"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": name}


def test_the_cluster_roles_are_the_66_of_kubernetes_1_33():
    assert len(BOOTSTRAP_CLUSTER_ROLES) == 66
    assert names(policy.cluster_roles()) == BOOTSTRAP_CLUSTER_ROLES


def test_the_cluster_role_bindings_are_the_47_of_kubernetes_1_33():
    assert len(BOOTSTRAP_CLUSTER_ROLE_BINDINGS) == 47
    assert names(policy.cluster_role_bindings()) == BOOTSTRAP_CLUSTER_ROLE_BINDINGS


def test_the_namespaced_roles_and_bindings_live_in_kube_system_and_kube_public():
    assert names(policy.namespace_roles()) == BOOTSTRAP_NAMESPACE_ROLES
    assert names(policy.namespace_role_bindings()) == BOOTSTRAP_NAMESPACE_ROLE_BINDINGS


def test_every_object_is_labelled_as_bootstrapping_and_annotated_for_autoupdate():
    everything = (
        policy.cluster_roles()
        + policy.cluster_role_bindings()
        + policy.namespace_roles()
        + policy.namespace_role_bindings()
    )
    for obj in everything:
        meta = obj["metadata"]
        assert meta["labels"]["kubernetes.io/bootstrapping"] == "rbac-defaults", meta["name"]
        assert meta["annotations"] == {"rbac.authorization.kubernetes.io/autoupdate": "true"}
        assert obj["apiVersion"] == "rbac.authorization.k8s.io/v1"


def test_every_role_and_binding_passes_validation():
    for obj in policy.cluster_roles():
        assert validation.validate_cluster_role(obj) == [], obj["metadata"]["name"]
    for obj in policy.namespace_roles():
        assert validation.validate_role(obj) == [], obj["metadata"]["name"]
    for obj in policy.cluster_role_bindings():
        assert validation.validate_cluster_role_binding(obj) == [], obj["metadata"]["name"]
    for obj in policy.namespace_role_bindings():
        assert validation.validate_role_binding(obj) == [], obj["metadata"]["name"]


def test_admin_edit_and_view_aggregate_and_carry_the_labels_that_chain_them():
    roles = by_name(policy.cluster_roles())
    label = "rbac.authorization.k8s.io/aggregate-to-"
    for name, aggregates, extra_label in [
        ("admin", "admin", None),
        ("edit", "edit", "admin"),
        ("view", "view", "edit"),
    ]:
        role = roles[name]
        assert "rules" not in role  # the aggregation controller fills them
        assert role["aggregationRule"] == {
            "clusterRoleSelectors": [{"matchLabels": {label + aggregates: "true"}}]
        }
        expected = {"kubernetes.io/bootstrapping": "rbac-defaults"}
        if extra_label:
            expected[label + extra_label] = "true"
        assert role["metadata"]["labels"] == expected
    for kind in ("admin", "edit", "view"):
        labels = roles[f"system:aggregate-to-{kind}"]["metadata"]["labels"]
        assert labels[label + kind] == "true"


def test_discovery_and_public_info_rules_are_exact():
    roles = by_name(policy.cluster_roles())
    assert roles["system:discovery"]["rules"] == [
        {
            "verbs": ["get"],
            "nonResourceURLs": [
                "/api",
                "/api/*",
                "/apis",
                "/apis/*",
                "/healthz",
                "/livez",
                "/openapi",
                "/openapi/*",
                "/readyz",
                "/version",
                "/version/",
            ],
        }
    ]
    assert roles["system:public-info-viewer"]["rules"] == [
        {
            "verbs": ["get"],
            "nonResourceURLs": ["/healthz", "/livez", "/readyz", "/version", "/version/"],
        }
    ]
    assert roles["system:service-account-issuer-discovery"]["rules"] == [
        {
            "verbs": ["get"],
            "nonResourceURLs": [
                "/.well-known/openid-configuration",
                "/.well-known/openid-configuration/",
                "/openid/v1/jwks",
                "/openid/v1/jwks/",
            ],
        }
    ]
    assert roles["system:monitoring"]["rules"] == [
        {
            "verbs": ["get"],
            "nonResourceURLs": [
                "/healthz",
                "/healthz/*",
                "/livez",
                "/livez/*",
                "/metrics",
                "/metrics/slis",
                "/readyz",
                "/readyz/*",
            ],
        }
    ]


def test_cluster_admin_and_basic_user_rules_are_exact():
    roles = by_name(policy.cluster_roles())
    assert roles["cluster-admin"]["rules"] == [
        {"verbs": ["*"], "apiGroups": ["*"], "resources": ["*"]},
        {"verbs": ["*"], "nonResourceURLs": ["*"]},
    ]
    assert roles["system:basic-user"]["rules"] == [
        {
            "verbs": ["create"],
            "apiGroups": ["authorization.k8s.io"],
            "resources": ["selfsubjectaccessreviews", "selfsubjectrulesreviews"],
        },
        {
            "verbs": ["create"],
            "apiGroups": ["authentication.k8s.io"],
            "resources": ["selfsubjectreviews"],
        },
    ]


def test_view_reads_pods_but_no_secrets_and_edit_writes_them():
    roles = by_name(policy.cluster_roles())
    view = roles["system:aggregate-to-view"]["rules"]
    assert view[0] == VIEW_POD_READING
    assert not any("secrets" in r.get("resources", []) for r in view)
    edit = roles["system:aggregate-to-edit"]["rules"]
    assert {
        "verbs": ["create", "delete", "deletecollection", "patch", "update"],
        "apiGroups": ["batch"],
        "resources": ["cronjobs", "jobs"],
    } in edit
    assert any("secrets" in r["resources"] and "create" in r["verbs"] for r in edit)
    # CVE-2021-25740: editors may not write Endpoints.
    assert not any("endpoints" in r["resources"] and "create" in r["verbs"] for r in edit)


def test_bindings_grant_the_well_known_groups_and_users():
    bindings = by_name(policy.cluster_role_bindings())
    assert bindings["cluster-admin"]["subjects"] == [group("system:masters")]
    assert bindings["system:discovery"]["subjects"] == [group("system:authenticated")]
    assert bindings["system:basic-user"]["subjects"] == [group("system:authenticated")]
    assert bindings["system:public-info-viewer"]["subjects"] == [
        group("system:authenticated"),
        group("system:unauthenticated"),
    ]
    assert bindings["system:service-account-issuer-discovery"]["subjects"] == [
        group("system:serviceaccounts")
    ]
    assert bindings["system:node-proxier"]["subjects"] == [user("system:kube-proxy")]
    assert bindings["system:kube-dns"]["subjects"] == [
        {"kind": "ServiceAccount", "name": "kube-dns", "namespace": "kube-system"}
    ]
    assert "subjects" not in bindings["system:node"]  # the Node authorizer took over
    for name, binding in bindings.items():
        assert binding["roleRef"] == {
            "apiGroup": "rbac.authorization.k8s.io",
            "kind": "ClusterRole",
            "name": name,
        }


def test_each_controller_role_is_bound_to_its_service_account_in_kube_system():
    bindings = by_name(policy.cluster_role_bindings())
    for controller in BOOTSTRAP_CONTROLLERS:
        assert bindings[f"system:controller:{controller}"]["subjects"] == [
            {"kind": "ServiceAccount", "name": controller, "namespace": "kube-system"}
        ]
    roles = by_name(policy.cluster_roles())
    assert roles["system:controller:clusterrole-aggregation-controller"]["rules"] == [
        {
            "verbs": ["escalate", "get", "list", "patch", "update", "watch"],
            "apiGroups": ["rbac.authorization.k8s.io"],
            "resources": ["clusterroles"],
        }
    ]


def test_extension_apiserver_authentication_reader_reads_one_configmap():
    roles = {
        (r["metadata"]["namespace"], r["metadata"]["name"]): r for r in policy.namespace_roles()
    }
    assert roles[("kube-system", "extension-apiserver-authentication-reader")]["rules"] == [
        {
            "verbs": ["get", "list", "watch"],
            "apiGroups": [""],
            "resources": ["configmaps"],
            "resourceNames": ["extension-apiserver-authentication"],
        }
    ]
    bindings = {
        (b["metadata"]["namespace"], b["metadata"]["name"]): b
        for b in policy.namespace_role_bindings()
    }
    reader = bindings[("kube-system", "system::extension-apiserver-authentication-reader")]
    assert reader["roleRef"]["name"] == "extension-apiserver-authentication-reader"
    assert reader["subjects"] == [
        user("system:kube-controller-manager"),
        user("system:kube-scheduler"),
    ]


def test_each_call_builds_fresh_objects():
    first = policy.cluster_roles()
    first[0]["metadata"]["labels"]["changed"] = "yes"
    assert "changed" not in policy.cluster_roles()[0]["metadata"]["labels"]
