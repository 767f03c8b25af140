from __future__ import annotations

import copy
import json

import pytest

from kube_apiserver.apimachinery.patch import PatchError
from kube_apiserver.apimachinery.strategicpatch import apply_strategic_merge_patch
from kube_apiserver.openapi.definitions import schema_for_gvk

DEPLOYMENT = schema_for_gvk("apps", "v1", "Deployment")
POD = schema_for_gvk("", "v1", "Pod")
PDB = schema_for_gvk("policy", "v1", "PodDisruptionBudget")


def deployment(**spec_overrides):
    obj = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {
            "name": "web",
            "namespace": "default",
            "labels": {"app": "web", "tier": "frontend"},
            "finalizers": ["example.com/a", "example.com/b"],
        },
        "spec": {
            "replicas": 2,
            "selector": {"matchLabels": {"app": "web"}},
            "strategy": {
                "type": "RollingUpdate",
                "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"},
            },
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {
                    "containers": [
                        {
                            "name": "nginx",
                            "image": "nginx:1.25",
                            "ports": [{"containerPort": 80, "protocol": "TCP"}],
                            "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}],
                        },
                        {"name": "sidecar", "image": "busybox:1.36"},
                    ],
                    "volumes": [{"name": "config", "configMap": {"name": "web-config"}}],
                },
            },
        },
    }
    obj["spec"].update(spec_overrides)
    return obj


def pod_spec(obj):
    return obj["spec"]["template"]["spec"]


def containers(obj):
    return {c["name"]: c for c in pod_spec(obj)["containers"]}


def patch_deployment(original, patch):
    return apply_strategic_merge_patch(original, patch, DEPLOYMENT)


def template_patch(spec):
    return {"spec": {"template": {"spec": spec}}}


def test_containers_merge_by_name_changing_only_the_named_container():
    result = patch_deployment(
        deployment(), template_patch({"containers": [{"name": "nginx", "image": "nginx:1.26"}]})
    )
    nginx = containers(result)["nginx"]
    assert nginx["image"] == "nginx:1.26"
    assert nginx["ports"] == [{"containerPort": 80, "protocol": "TCP"}]
    assert containers(result)["sidecar"] == {"name": "sidecar", "image": "busybox:1.36"}
    assert [c["name"] for c in pod_spec(result)["containers"]] == ["nginx", "sidecar"]


def test_a_container_new_to_the_server_goes_before_the_existing_ones_without_an_order_directive():
    # As the kubectl patch tutorial shows: the patched-in container is listed first.
    result = patch_deployment(
        deployment(), template_patch({"containers": [{"name": "redis", "image": "redis"}]})
    )
    assert [c["name"] for c in pod_spec(result)["containers"]] == ["redis", "nginx", "sidecar"]


def test_patch_items_follow_the_patch_order_and_server_only_items_keep_their_place():
    original = deployment()
    pod_spec(original)["containers"].append({"name": "third", "image": "x"})
    patch = template_patch({"containers": [{"name": "third", "image": "y"}, {"name": "nginx"}]})
    result = patch_deployment(original, patch)
    assert [c["name"] for c in pod_spec(result)["containers"]] == ["sidecar", "third", "nginx"]


def test_env_lists_merge_by_name():
    patch = template_patch(
        {"containers": [{"name": "nginx", "env": [{"name": "B", "value": "3"}, {"name": "C"}]}]}
    )
    env = containers(patch_deployment(deployment(), patch))["nginx"]["env"]
    assert env == [{"name": "A", "value": "1"}, {"name": "B", "value": "3"}, {"name": "C"}]


def test_ports_merge_by_container_port():
    patch = template_patch(
        {
            "containers": [
                {
                    "name": "nginx",
                    "ports": [{"containerPort": 80, "name": "http"}, {"containerPort": 443}],
                }
            ]
        }
    )
    ports = containers(patch_deployment(deployment(), patch))["nginx"]["ports"]
    assert ports == [
        {"containerPort": 80, "protocol": "TCP", "name": "http"},
        {"containerPort": 443},
    ]


def test_volumes_merge_by_name_and_retain_keys_switches_the_volume_source():
    patch = template_patch(
        {
            "volumes": [
                {
                    "$retainKeys": ["name", "secret"],
                    "name": "config",
                    "secret": {"secretName": "web-secret"},
                },
                {"name": "cache", "emptyDir": {}},
            ]
        }
    )
    volumes = pod_spec(patch_deployment(deployment(), patch))["volumes"]
    assert volumes == [
        {"name": "config", "secret": {"secretName": "web-secret"}},
        {"name": "cache", "emptyDir": {}},
    ]


def test_volumes_merge_without_retain_keys_keeps_the_old_source():
    patch = template_patch({"volumes": [{"name": "config", "secret": {"secretName": "s"}}]})
    volume = pod_spec(patch_deployment(deployment(), patch))["volumes"][0]
    assert volume == {
        "name": "config",
        "configMap": {"name": "web-config"},
        "secret": {"secretName": "s"},
    }


def test_finalizers_merge_as_a_set_keeping_the_order():
    patch = {"metadata": {"finalizers": ["example.com/b", "example.com/c", "example.com/c"]}}
    result = patch_deployment(deployment(), patch)
    assert result["metadata"]["finalizers"] == ["example.com/a", "example.com/b", "example.com/c"]


def test_a_finalizer_new_to_the_server_is_listed_first():
    result = patch_deployment(deployment(), {"metadata": {"finalizers": ["example.com/z"]}})
    assert result["metadata"]["finalizers"] == ["example.com/z", "example.com/a", "example.com/b"]


def test_delete_from_primitive_list_removes_every_occurrence():
    original = deployment()
    original["metadata"]["finalizers"] = ["a", "b", "a", "c"]
    result = patch_deployment(
        original, {"metadata": {"$deleteFromPrimitiveList/finalizers": ["a"]}}
    )
    assert result["metadata"]["finalizers"] == ["b", "c"]


def test_delete_from_primitive_list_of_an_absent_list_adds_nothing():
    original = deployment()
    del original["metadata"]["finalizers"]
    result = patch_deployment(
        original, {"metadata": {"$deleteFromPrimitiveList/finalizers": ["a"]}}
    )
    assert "finalizers" not in result["metadata"]


def test_patch_delete_directive_removes_a_container():
    patch = template_patch({"containers": [{"name": "sidecar", "$patch": "delete"}]})
    result = patch_deployment(deployment(), patch)
    assert [c["name"] for c in pod_spec(result)["containers"]] == ["nginx"]


def test_patch_replace_directive_replaces_a_whole_map():
    patch = {"metadata": {"labels": {"$patch": "replace", "app": "web2", "gone": None}}}
    result = patch_deployment(deployment(), patch)
    assert result["metadata"]["labels"] == {"app": "web2"}


def test_patch_delete_directive_on_a_map_empties_it():
    result = patch_deployment(deployment(), {"metadata": {"labels": {"$patch": "delete"}}})
    assert result["metadata"]["labels"] == {}


def test_patch_replace_element_replaces_a_whole_list():
    patch = template_patch(
        {"containers": [{"$patch": "replace"}, {"name": "only", "image": "alpine", "args": None}]}
    )
    result = patch_deployment(deployment(), patch)
    assert pod_spec(result)["containers"] == [{"name": "only", "image": "alpine"}]


def test_patch_merge_directive_is_refused_as_kubernetes_does():
    with pytest.raises(PatchError) as in_list:
        patch_deployment(
            deployment(), template_patch({"containers": [{"name": "x", "$patch": "merge"}]})
        )
    assert in_list.value.message == "merging lists cannot yet be specified in the patch"
    with pytest.raises(PatchError) as in_map:
        patch_deployment(deployment(), {"metadata": {"labels": {"$patch": "merge", "a": "b"}}})
    assert in_map.value.message == "unknown patch type: merge in map: map[$patch:merge a:b]"


def test_retain_keys_on_the_deployment_strategy_drops_rolling_update_when_switching_to_recreate():
    patch = {"spec": {"strategy": {"$retainKeys": ["type"], "type": "Recreate"}}}
    result = patch_deployment(deployment(), patch)
    assert result["spec"]["strategy"] == {"type": "Recreate"}


def test_retain_keys_must_list_every_key_the_patch_sets():
    patch = {"spec": {"strategy": {"$retainKeys": ["type"], "rollingUpdate": {"maxSurge": 1}}}}
    with pytest.raises(PatchError) as error:
        patch_deployment(deployment(), patch)
    assert error.value.message == "invalid patch format of retainKeys"
    assert error.value.code == 400


def test_set_element_order_reorders_the_merged_containers():
    patch = template_patch(
        {
            "$setElementOrder/containers": [{"name": "sidecar"}, {"name": "nginx"}],
            "containers": [{"name": "nginx", "image": "nginx:1.26"}],
        }
    )
    result = patch_deployment(deployment(), patch)
    assert [c["name"] for c in pod_spec(result)["containers"]] == ["sidecar", "nginx"]
    assert containers(result)["nginx"]["image"] == "nginx:1.26"


def test_set_element_order_places_new_items_and_keeps_server_only_items_in_place():
    original = deployment()
    pod_spec(original)["containers"].append({"name": "server-only", "image": "x"})
    patch = template_patch(
        {
            "$setElementOrder/containers": [
                {"name": "new"},
                {"name": "nginx"},
                {"name": "sidecar"},
            ],
            "containers": [{"name": "new", "image": "y"}],
        }
    )
    names = [c["name"] for c in pod_spec(patch_deployment(original, patch))["containers"]]
    assert names == ["new", "nginx", "sidecar", "server-only"]


def test_set_element_order_of_primitives_ignores_items_the_list_lacks():
    patch = {"metadata": {"$setElementOrder/finalizers": ["example.com/b", "x", "example.com/a"]}}
    result = patch_deployment(deployment(), patch)
    assert result["metadata"]["finalizers"] == ["example.com/b", "example.com/a"]


def test_set_element_order_that_contradicts_the_patch_list_is_an_error():
    patch = template_patch(
        {
            "$setElementOrder/containers": [{"name": "nginx"}, {"name": "sidecar"}],
            "containers": [{"name": "sidecar", "image": "a"}, {"name": "nginx", "image": "b"}],
        }
    )
    with pytest.raises(PatchError) as error:
        patch_deployment(deployment(), patch)
    assert "doesn't match $setElementOrder list" in error.value.message


def test_null_deletes_a_key_and_a_null_for_an_absent_key_adds_nothing():
    patch = {"metadata": {"labels": {"tier": None, "absent": None}}, "spec": {"replicas": None}}
    result = patch_deployment(deployment(), patch)
    assert result["metadata"]["labels"] == {"app": "web"}
    assert "replicas" not in result["spec"]


def test_new_values_lose_their_nulls_and_directives():
    original = deployment()
    del original["metadata"]["labels"]
    del pod_spec(original)["volumes"]
    patch = {
        "metadata": {"labels": {"a": "b", "c": None}},
        "spec": {
            "template": {
                "spec": {
                    "$setElementOrder/volumes": [{"name": "v"}],
                    "volumes": [{"name": "v", "emptyDir": {"medium": None}}],
                }
            }
        },
    }
    result = patch_deployment(original, patch)
    assert result["metadata"]["labels"] == {"a": "b"}
    assert pod_spec(result)["volumes"] == [{"name": "v", "emptyDir": {}}]


def test_labels_merge_key_by_key():
    result = patch_deployment(
        deployment(), {"metadata": {"labels": {"tier": "backend", "new": "x"}}}
    )
    assert result["metadata"]["labels"] == {"app": "web", "tier": "backend", "new": "x"}


def test_atomic_lists_are_replaced():
    original = {"spec": {"tolerations": [{"key": "a", "operator": "Exists"}]}}
    patch = {"spec": {"tolerations": [{"key": "b", "operator": "Exists"}]}}
    result = apply_strategic_merge_patch(original, patch, POD)
    assert result["spec"]["tolerations"] == [{"key": "b", "operator": "Exists"}]


def test_replace_strategy_maps_are_replaced_whole():
    original = {"spec": {"selector": {"matchLabels": {"a": "b"}}, "minAvailable": 1}}
    patch = {"spec": {"selector": {"matchExpressions": [{"key": "c", "operator": "Exists"}]}}}
    result = apply_strategic_merge_patch(original, patch, PDB)
    assert result["spec"]["selector"] == {"matchExpressions": [{"key": "c", "operator": "Exists"}]}


def test_an_unknown_kind_falls_back_to_merge_patch_semantics():
    original = {"spec": {"items": [{"name": "a", "v": 1}], "nested": {"a": 1, "b": 2}}}
    patch = {"spec": {"items": [{"name": "b"}], "nested": {"b": None, "c": 3}}}
    result = apply_strategic_merge_patch(original, patch, None)
    assert result == {"spec": {"items": [{"name": "b"}], "nested": {"a": 1, "c": 3}}}


def test_fields_without_schema_in_a_known_kind_are_replaced_like_merge_patch():
    original = deployment()
    original["spec"]["extra"] = [{"name": "a"}]
    result = patch_deployment(original, {"spec": {"extra": [{"name": "b"}]}})
    assert result["spec"]["extra"] == [{"name": "b"}]


def test_a_value_of_another_type_replaces_the_original():
    result = patch_deployment(deployment(), {"metadata": {"labels": "oops"}})
    assert result["metadata"]["labels"] == "oops"


def test_a_merge_list_element_without_its_merge_key_is_refused_with_the_kubernetes_message():
    with pytest.raises(PatchError) as error:
        patch_deployment(deployment(), template_patch({"containers": [{"image": "nginx"}]}))
    assert error.value.message == "map: map[image:nginx] does not contain declared merge key: name"
    assert error.value.code == 500


def test_lists_of_lists_are_refused():
    original = deployment()
    original["metadata"]["finalizers"] = []
    with pytest.raises(PatchError) as error:
        patch_deployment(original, {"metadata": {"finalizers": [["a"]]}})
    assert error.value.message == "lists of lists are not supported"
    assert error.value.code == 422


def test_mixed_element_types_are_refused():
    with pytest.raises(PatchError) as error:
        patch_deployment(deployment(), {"metadata": {"finalizers": [1]}})
    assert error.value.message.startswith("list element types are not identical: ")


def test_the_inputs_are_never_mutated():
    original = deployment()
    patch = template_patch(
        {
            "$setElementOrder/containers": [{"name": "sidecar"}, {"name": "nginx"}],
            "containers": [
                {"name": "nginx", "env": [{"name": "A", "$patch": "delete"}], "image": None}
            ],
            "volumes": [{"$retainKeys": ["name", "emptyDir"], "name": "config", "emptyDir": {}}],
        }
    )
    patch["metadata"] = {"$deleteFromPrimitiveList/finalizers": ["example.com/a"]}
    before = (copy.deepcopy(original), copy.deepcopy(patch))
    result = patch_deployment(original, patch)
    assert (original, patch) == before
    assert result is not original
    assert containers(result)["nginx"]["env"] == [{"name": "B", "value": "2"}]


def last_applied(obj):
    return json.dumps(obj, separators=(",", ":"), sort_keys=True) + "\n"


def test_the_three_way_patch_kubectl_apply_sends_for_an_image_change_and_a_label_removal():
    # The live object, as the server returned it after a first `kubectl apply`.
    applied = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "labels": {"app": "web", "tier": "frontend"}},
        "spec": {
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "web", "image": "nginx:1.25"}]},
            },
        },
    }
    live = copy.deepcopy(applied)
    live["metadata"]["annotations"] = {
        "kubectl.kubernetes.io/last-applied-configuration": last_applied(applied),
        "deployment.kubernetes.io/revision": "1",
    }
    live["spec"].update(replicas=1, revisionHistoryLimit=10, progressDeadlineSeconds=600)
    live["spec"]["strategy"] = {
        "type": "RollingUpdate",
        "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"},
    }
    live_container = pod_spec(live)["containers"][0]
    live_container.update(
        imagePullPolicy="IfNotPresent", terminationMessagePath="/dev/termination-log"
    )
    pod_spec(live)["restartPolicy"] = "Always"

    # The user's edited manifest: new image, `tier` label removed.
    modified = copy.deepcopy(applied)
    del modified["metadata"]["labels"]["tier"]
    pod_spec(modified)["containers"][0]["image"] = "nginx:1.26"

    patch = {
        "metadata": {
            "annotations": {
                "kubectl.kubernetes.io/last-applied-configuration": last_applied(modified)
            },
            "labels": {"tier": None},
        },
        "spec": {
            "template": {
                "spec": {
                    "$setElementOrder/containers": [{"name": "web"}],
                    "containers": [{"image": "nginx:1.26", "name": "web"}],
                }
            }
        },
    }
    result = patch_deployment(live, patch)

    expected = copy.deepcopy(live)
    del expected["metadata"]["labels"]["tier"]
    expected["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"] = (
        last_applied(modified)
    )
    pod_spec(expected)["containers"][0]["image"] = "nginx:1.26"
    assert result == expected


def test_the_three_way_patch_kubectl_apply_sends_when_an_env_var_and_a_container_are_removed():
    patch = template_patch(
        {
            "$setElementOrder/containers": [{"name": "nginx"}],
            "containers": [
                {
                    "$setElementOrder/env": [{"name": "A"}],
                    "name": "nginx",
                    "env": [{"$patch": "delete", "name": "B"}],
                },
                {"$patch": "delete", "name": "sidecar"},
            ],
        }
    )
    result = patch_deployment(deployment(), patch)
    assert [c["name"] for c in pod_spec(result)["containers"]] == ["nginx"]
    assert containers(result)["nginx"]["env"] == [{"name": "A", "value": "1"}]
    assert containers(result)["nginx"]["ports"] == [{"containerPort": 80, "protocol": "TCP"}]


def test_kubectl_apply_switching_the_strategy_to_recreate_clears_rolling_update():
    patch = {"spec": {"strategy": {"$retainKeys": ["type"], "type": "Recreate"}}}
    live = deployment()
    result = patch_deployment(live, patch)
    assert result["spec"]["strategy"] == {"type": "Recreate"}
    assert live["spec"]["strategy"]["rollingUpdate"] == {"maxSurge": "25%", "maxUnavailable": "25%"}
