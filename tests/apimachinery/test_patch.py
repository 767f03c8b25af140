from __future__ import annotations

import copy

import orjson
import pytest

from kube_apiserver.apimachinery.patch import (
    PATCH_TYPES,
    PatchError,
    UnsupportedPatchType,
    apply_patch,
)
from kube_apiserver.openapi.definitions import schema_for_gvk

JSON = "application/json-patch+json"
MERGE = "application/merge-patch+json"
STRATEGIC = "application/strategic-merge-patch+json"
APPLY = "application/apply-patch+yaml"

CONFIGMAP = {
    "apiVersion": "v1",
    "kind": "ConfigMap",
    "metadata": {"name": "cfg", "labels": {"app": "web"}, "finalizers": ["a"]},
    "data": {"key": "value", "other": "x"},
}


def json_patch(*operations, original=None):
    return apply_patch(JSON, original or CONFIGMAP, orjson.dumps(list(operations)), None)


def json_patch_error(*operations, original=None):
    with pytest.raises(PatchError) as error:
        json_patch(*operations, original=original)
    return error.value


def test_patch_types_are_listed_in_kube_apiserver_order():
    assert PATCH_TYPES == (JSON, MERGE, STRATEGIC, APPLY)


def test_json_patch_applies_operations_in_order():
    result = json_patch(
        {"op": "test", "path": "/metadata/labels/app", "value": "web"},
        {"op": "add", "path": "/metadata/labels/tier", "value": "frontend"},
        {"op": "replace", "path": "/data/key", "value": "new"},
        {"op": "remove", "path": "/data/other"},
        {"op": "add", "path": "/metadata/finalizers/-", "value": "b"},
        {"op": "copy", "from": "/data/key", "path": "/data/copied"},
        {"op": "move", "from": "/data/copied", "path": "/data/moved"},
    )
    assert result["metadata"]["labels"] == {"app": "web", "tier": "frontend"}
    assert result["metadata"]["finalizers"] == ["a", "b"]
    assert result["data"] == {"key": "new", "moved": "new"}


def test_json_patch_never_mutates_the_original_even_when_a_later_operation_fails():
    before = copy.deepcopy(CONFIGMAP)
    json_patch_error(
        {"op": "remove", "path": "/data/key"},
        {"op": "test", "path": "/data/other", "value": "nope"},
    )
    assert before == CONFIGMAP


def test_a_failing_json_patch_test_operation_is_a_422_with_the_go_library_message():
    error = json_patch_error({"op": "test", "path": "/metadata/labels/app", "value": "db"})
    assert error.message == "testing value /metadata/labels/app failed: test failed"
    assert error.code == 422


def test_json_patch_test_tells_numbers_and_booleans_apart():
    original = {"spec": {"paused": True}}
    error = json_patch_error({"op": "test", "path": "/spec/paused", "value": 1}, original=original)
    assert error.message == "testing value /spec/paused failed: test failed"
    assert json_patch({"op": "test", "path": "/spec/paused", "value": True}, original=original)


def test_json_patch_test_of_an_absent_key_against_null_passes():
    assert json_patch({"op": "test", "path": "/data/absent", "value": None})


def test_json_patch_remove_of_an_absent_key_names_the_key():
    error = json_patch_error({"op": "remove", "path": "/data/absent"})
    assert error.message == (
        "error in remove for path: '/data/absent': Unable to remove nonexistent key: absent: "
        "missing value"
    )


def test_json_patch_on_a_missing_parent_reports_the_missing_path():
    error = json_patch_error({"op": "add", "path": "/spec/template/x", "value": 1})
    assert error.message == (
        'add operation does not apply: doc is missing path: "/spec/template/x": missing value'
    )
    error = json_patch_error({"op": "remove", "path": "/spec/nodeSelector/a"})
    assert error.message == (
        'remove operation does not apply: doc is missing path: "/spec/nodeSelector/a": missing value'
    )


def test_json_patch_replace_of_an_absent_object_key_adds_it_like_kubernetes():
    result = json_patch({"op": "replace", "path": "/data/new", "value": "v"})
    assert result["data"]["new"] == "v"


def test_json_patch_add_past_the_end_of_a_list_is_an_invalid_index():
    error = json_patch_error({"op": "add", "path": "/metadata/finalizers/5", "value": "z"})
    assert error.message == (
        "error in add for path: '/metadata/finalizers/5': Unable to access invalid index: 5: "
        "invalid index referenced"
    )


def test_json_patch_accepts_negative_list_indexes_like_the_go_library():
    original = {"items": ["a", "b", "c"]}
    assert json_patch({"op": "test", "path": "/items/-1", "value": "c"}, original=original)
    assert json_patch({"op": "remove", "path": "/items/-1"}, original=original) == {
        "items": ["a", "b"]
    }
    # An insertion counts from one past the end, so -1 appends.
    assert json_patch({"op": "add", "path": "/items/-1", "value": "z"}, original=original) == {
        "items": ["a", "b", "c", "z"]
    }


def test_json_patch_move_from_a_missing_path_names_the_source():
    error = json_patch_error({"op": "move", "from": "/spec/a", "path": "/data/a"})
    assert error.message == (
        "move operation does not apply: doc is missing from path: /spec/a: missing value"
    )


def test_json_patch_with_an_unknown_operation_is_refused():
    error = json_patch_error({"op": "frobnicate", "path": "/data"})
    assert error.message == "Unexpected kind: frobnicate"


def test_a_json_patch_body_that_is_not_a_list_is_a_bad_request():
    with pytest.raises(PatchError) as error:
        apply_patch(JSON, CONFIGMAP, b'{"op": "add"}', None)
    assert (
        error.value.message == "json: cannot unmarshal object into Go value of type jsonpatch.Patch"
    )
    assert error.value.code == 400


def test_too_many_json_patch_operations_are_refused():
    operations = [{"op": "test", "path": "/data/key", "value": "value"}] * 10001
    error = json_patch_error(*operations)
    assert error.code == 413
    assert error.message == "The allowed maximum operations in a JSON patch is 10000, got 10001"


def test_merge_patch_merges_maps_deletes_nulls_and_replaces_lists():
    patch = {
        "metadata": {"labels": {"app": None, "tier": "db"}, "finalizers": ["b"]},
        "data": {"key": "new"},
        "binaryData": {"blob": "eA==", "gone": None},
    }
    result = apply_patch(MERGE, CONFIGMAP, orjson.dumps(patch), None)
    assert result["metadata"] == {"name": "cfg", "labels": {"tier": "db"}, "finalizers": ["b"]}
    assert result["data"] == {"key": "new", "other": "x"}
    assert result["binaryData"] == {"blob": "eA=="}
    assert CONFIGMAP["metadata"]["labels"] == {"app": "web"}


def test_a_merge_patch_that_is_not_an_object_is_refused():
    with pytest.raises(PatchError) as error:
        apply_patch(MERGE, CONFIGMAP, b"null", None)
    assert error.value.message == "Invalid JSON Patch"


def test_malformed_json_is_a_bad_request():
    for patch_type in (JSON, MERGE, STRATEGIC):
        with pytest.raises(PatchError) as error:
            apply_patch(patch_type, CONFIGMAP, b"{not json", None)
        assert error.value.code == 400


def test_strategic_merge_patch_uses_the_schema():
    deployment = {
        "spec": {"template": {"spec": {"containers": [{"name": "a", "image": "x"}, {"name": "b"}]}}}
    }
    patch = b'{"spec":{"template":{"spec":{"containers":[{"name":"a","image":"y"}]}}}}'
    schema = schema_for_gvk("apps", "v1", "Deployment")
    result = apply_patch(STRATEGIC, deployment, patch, schema)
    assert result["spec"]["template"]["spec"]["containers"] == [
        {"name": "a", "image": "y"},
        {"name": "b"},
    ]


def test_a_null_strategic_merge_patch_changes_nothing():
    assert apply_patch(STRATEGIC, CONFIGMAP, b"null", None) == CONFIGMAP


def test_a_strategic_merge_patch_that_is_not_an_object_is_a_bad_request():
    with pytest.raises(PatchError) as error:
        apply_patch(STRATEGIC, CONFIGMAP, b"[]", None)
    assert error.value.message == (
        "json: cannot unmarshal array into Go value of type map[string]interface {}"
    )
    assert error.value.code == 400


def test_content_type_parameters_are_ignored():
    result = apply_patch(MERGE + "; charset=utf-8", CONFIGMAP, b'{"data":{"key":"v"}}', None)
    assert result["data"]["key"] == "v"


def test_server_side_apply_is_an_unsupported_patch_type():
    with pytest.raises(UnsupportedPatchType) as error:
        apply_patch(APPLY, CONFIGMAP, b"{}", None)
    assert isinstance(error.value, PatchError)
    assert error.value.code == 415


def test_an_unknown_patch_type_lists_the_accepted_media_types():
    with pytest.raises(UnsupportedPatchType) as error:
        apply_patch("application/json", CONFIGMAP, b"{}", None)
    assert error.value.message == (
        "the body of the request was in an unknown format - accepted media types include: "
        "application/json-patch+json, application/merge-patch+json, "
        "application/strategic-merge-patch+json, application/apply-patch+yaml"
    )
