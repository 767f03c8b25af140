from __future__ import annotations

import pytest

from kube_apiserver.apis.meta.validation import (
    NAME_RULES,
    dns1123_label_errors,
    dns1123_subdomain_errors,
    label_value_errors,
    path_segment_name_errors,
    qualified_name_errors,
    validate_annotations,
    validate_label_selector,
    validate_labels,
    validate_object_meta,
    validate_object_meta_update,
)

SUBDOMAIN = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
    "and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation "
    "is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
)
LABEL = (
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start "
    "and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
)
NAME_PART = (
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
    "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
    "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
)
QUALIFIED_NAME = (
    "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end "
    "with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
    "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and "
    "'/' (e.g. 'example.com/MyName')"
)
LABEL_VALUE = (
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and "
    "must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex "
    "used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
)
NOT_QUALIFIED_FINALIZER = "name is neither a standard finalizer name nor is it fully qualified"


def messages(errors) -> list[str]:
    return [str(e) for e in errors]


@pytest.mark.parametrize("value", ["a", "0", "example.com", "a-b.c-d", "my-app.v1", "a" * 253])
def test_valid_dns_subdomains_have_no_errors(value):
    assert dns1123_subdomain_errors(value) == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", [SUBDOMAIN]),
        ("Example.com", [SUBDOMAIN]),
        ("-a", [SUBDOMAIN]),
        ("a-", [SUBDOMAIN]),
        ("a..b", [SUBDOMAIN]),
        ("a_b", [SUBDOMAIN]),
        ("a.", [SUBDOMAIN]),
        ("a" * 254, ["must be no more than 253 characters"]),
        ("A" * 254, ["must be no more than 253 characters", SUBDOMAIN]),
    ],
)
def test_invalid_dns_subdomains_get_kubernetes_messages(value, expected):
    assert dns1123_subdomain_errors(value) == expected


@pytest.mark.parametrize("value", ["a", "my-name", "123-abc", "a" * 63])
def test_valid_dns_labels_have_no_errors(value):
    assert dns1123_label_errors(value) == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("a.b", ["must not contain dots"]),
        ("My-Name", [LABEL]),
        ("", [LABEL]),
        ("a_b", [LABEL]),
        ("a" * 64, ["must be no more than 63 characters"]),
        ("a." * 32, ["must be no more than 63 characters", LABEL]),
    ],
)
def test_invalid_dns_labels_get_kubernetes_messages(value, expected):
    assert dns1123_label_errors(value) == expected


@pytest.mark.parametrize(
    "value",
    ["a", "A", "my.name", "MyName", "123-abc", "a_b", "example.com/MyName", "k8s.io/app", "a" * 63],
)
def test_valid_qualified_names_have_no_errors(value):
    assert qualified_name_errors(value) == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", ["name part must be non-empty", NAME_PART]),
        ("-a", [NAME_PART]),
        ("a b", [NAME_PART]),
        ("a" * 64, ["name part must be no more than 63 characters"]),
        ("/a", ["prefix part must be non-empty"]),
        ("a/", ["name part must be non-empty", NAME_PART]),
        ("Example.com/a", ["prefix part " + SUBDOMAIN]),
        ("a/b/c", [QUALIFIED_NAME]),
        ("app.kubernetes_io/name", ["prefix part " + SUBDOMAIN]),
    ],
)
def test_invalid_qualified_names_name_the_failing_part(value, expected):
    assert qualified_name_errors(value) == expected


@pytest.mark.parametrize("value", ["", "a", "MyValue", "my_value", "12345", "A.b-c_d", "a" * 63])
def test_valid_label_values_have_no_errors(value):
    assert label_value_errors(value) == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("-a", [LABEL_VALUE]),
        ("a_", [LABEL_VALUE]),
        ("a b", [LABEL_VALUE]),
        ("a/b", [LABEL_VALUE]),
        ("a" * 64, ["must be no more than 63 characters"]),
        ("é", [LABEL_VALUE]),
    ],
)
def test_invalid_label_values_get_the_label_regex_message(value, expected):
    assert label_value_errors(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("ok", []),
        ("a.b", []),
        ("...", []),
        ("Upper_Case", []),
        (".", ["may not be '.'"]),
        ("..", ["may not be '..'"]),
        ("a/b", ["may not contain '/'"]),
        ("a%b", ["may not contain '%'"]),
        ("a/%", ["may not contain '/'", "may not contain '%'"]),
    ],
)
def test_path_segment_names_only_refuse_what_breaks_a_url_path(value, expected):
    assert path_segment_name_errors(value) == expected


def test_name_rules_map_each_rule_name_to_its_check():
    assert NAME_RULES == {
        "subdomain": dns1123_subdomain_errors,
        "label": dns1123_label_errors,
        "path_segment": path_segment_name_errors,
    }


def test_labels_report_bad_keys_and_values_on_the_labels_path():
    errors = validate_labels({"good": "ok", "bad key": "-v"}, "metadata.labels")
    assert messages(errors) == [
        f'metadata.labels: Invalid value: "bad key": {NAME_PART}',
        f'metadata.labels: Invalid value: "-v": {LABEL_VALUE}',
    ]
    assert {e.reason for e in errors} == {"FieldValueInvalid"}


def test_annotation_keys_are_checked_case_insensitively():
    assert (
        validate_annotations({"Example.COM/Key": "x", "kubectl.kubernetes.io/last": "y"}, "a") == []
    )


def test_a_bad_annotation_key_is_reported_as_written():
    assert messages(validate_annotations({"Bad Key": ""}, "metadata.annotations")) == [
        f'metadata.annotations: Invalid value: "Bad Key": {NAME_PART}'
    ]


def test_annotations_over_256_kib_in_total_are_too_long():
    at_limit = {"k": "v" * (262144 - 1)}
    over = {"k": "v" * 262144}
    assert validate_annotations(at_limit, "metadata.annotations") == []
    errors = validate_annotations(over, "metadata.annotations")
    assert messages(errors) == ["metadata.annotations: Too long: may not be more than 262144 bytes"]
    assert errors[0].reason == "FieldValueTooLong"


def test_annotation_size_counts_utf8_bytes():
    assert validate_annotations({"k": "é" * 131072}, "a") != []


@pytest.mark.parametrize(
    ("selector", "expected"),
    [
        (None, []),
        ({}, []),
        (
            {
                "matchLabels": {"app": "web"},
                "matchExpressions": [{"key": "tier", "operator": "In", "values": ["a"]}],
            },
            [],
        ),
        ({"matchExpressions": [{"key": "tier", "operator": "Exists"}]}, []),
        (
            {"matchLabels": {"app": "-web"}},
            [f'spec.selector.matchLabels: Invalid value: "-web": {LABEL_VALUE}'],
        ),
        (
            {"matchExpressions": [{"key": "tier", "operator": "In"}]},
            [
                "spec.selector.matchExpressions[0].values: Required value: "
                "must be specified when `operator` is 'In' or 'NotIn'"
            ],
        ),
        (
            {"matchExpressions": [{"key": "tier", "operator": "DoesNotExist", "values": ["a"]}]},
            [
                "spec.selector.matchExpressions[0].values: Forbidden: "
                "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"
            ],
        ),
        (
            {"matchExpressions": [{"key": "tier", "operator": "Equals", "values": ["a"]}]},
            [
                'spec.selector.matchExpressions[0].operator: Invalid value: "Equals": not a valid selector operator'
            ],
        ),
        (
            {"matchExpressions": [{"key": "a b", "operator": "NotIn", "values": ["ok", "not ok"]}]},
            [
                f'spec.selector.matchExpressions[0].key: Invalid value: "a b": {NAME_PART}',
                f'spec.selector.matchExpressions[0].values[1]: Invalid value: "not ok": {LABEL_VALUE}',
            ],
        ),
    ],
)
def test_label_selectors_are_validated_like_metav1_label_selector(selector, expected):
    assert messages(validate_label_selector(selector, "spec.selector")) == expected


def test_label_selector_values_may_be_allowed_to_be_invalid():
    selector = {"matchExpressions": [{"key": "k", "operator": "In", "values": ["not ok"]}]}
    assert validate_label_selector(selector, "s", allow_invalid_label_value=True) == []


def meta(**fields):
    return {"name": "web", "namespace": "default", **fields}


def create_errors(metadata, *, namespaced=True, rule="subdomain"):
    return messages(
        validate_object_meta(metadata, namespaced=namespaced, name_errors=NAME_RULES[rule])
    )


def test_valid_metadata_has_no_errors():
    full = meta(
        labels={"app": "web", "example.com/tier": ""},
        annotations={"note": "anything at all"},
        finalizers=["example.com/cleanup", "kubernetes", "foregroundDeletion"],
        ownerReferences=[
            {
                "apiVersion": "apps/v1",
                "kind": "ReplicaSet",
                "name": "rs",
                "uid": "1",
                "controller": True,
            }
        ],
        managedFields=[{"manager": "kubectl", "operation": "Update", "fieldsType": "FieldsV1"}],
        generation=3,
    )
    assert create_errors(full) == []


@pytest.mark.parametrize(
    ("metadata", "namespaced", "expected"),
    [
        (
            {"namespace": "default"},
            True,
            ["metadata.name: Required value: name or generateName is required"],
        ),
        ({"name": "web"}, True, ["metadata.namespace: Required value"]),
        (
            {"name": "web", "namespace": "default"},
            False,
            ["metadata.namespace: Forbidden: not allowed on this type"],
        ),
        (meta(name="Web"), True, [f'metadata.name: Invalid value: "Web": {SUBDOMAIN}']),
        (
            meta(namespace="my.ns"),
            True,
            ['metadata.namespace: Invalid value: "my.ns": must not contain dots'],
        ),
        (
            meta(generation=-1),
            True,
            ["metadata.generation: Invalid value: -1: must be greater than or equal to 0"],
        ),
        (
            meta(labels={"a": "b c"}),
            True,
            [f'metadata.labels: Invalid value: "b c": {LABEL_VALUE}'],
        ),
    ],
)
def test_object_meta_errors_carry_kubernetes_paths_and_messages(metadata, namespaced, expected):
    assert create_errors(metadata, namespaced=namespaced) == expected


def test_required_errors_use_the_required_reason():
    errors = validate_object_meta({}, namespaced=True, name_errors=dns1123_subdomain_errors)
    assert [(e.reason, e.field) for e in errors] == [
        ("FieldValueRequired", "metadata.name"),
        ("FieldValueRequired", "metadata.namespace"),
    ]


def test_the_name_rule_decides_which_names_are_valid():
    assert create_errors(meta(name="a.b"), rule="subdomain") == []
    assert create_errors(meta(name="a.b"), rule="label") == [
        'metadata.name: Invalid value: "a.b": must not contain dots'
    ]
    assert create_errors(meta(name="Any Thing"), rule="path_segment") == []


@pytest.mark.parametrize(
    ("generate_name", "expected"),
    [
        ("web-", []),
        ("w-", []),
        ("web", []),
        ("Web-", [f'metadata.generateName: Invalid value: "Web-": {SUBDOMAIN}']),
        ("web_", [f'metadata.generateName: Invalid value: "web_": {SUBDOMAIN}']),
    ],
)
def test_generate_name_is_checked_as_a_prefix(generate_name, expected):
    assert create_errors(meta(generateName=generate_name)) == expected


def test_generate_name_masking_replaces_the_last_two_characters_as_kubernetes_does():
    # "ab.-" masks to "aba" and passes, though the name generated from it does not.
    errors = create_errors(meta(generateName="ab.-", name="ab.-x7k2p"))
    assert errors == [f'metadata.name: Invalid value: "ab.-x7k2p": {SUBDOMAIN}']


def test_path_segment_generate_names_may_be_dots():
    assert create_errors(meta(generateName=".", name=".x7k2p"), rule="path_segment") == []
    assert create_errors(meta(generateName="a/", name="a/x"), rule="path_segment") == [
        "metadata.generateName: Invalid value: \"a/\": may not contain '/'",
        "metadata.name: Invalid value: \"a/x\": may not contain '/'",
    ]


def test_finalizers_are_qualified_names_and_bare_ones_must_be_standard():
    errors = create_errors(
        meta(finalizers=["example.com/ok", "kubernetes", "orphan", "cleanup", "bad name"])
    )
    assert errors == [
        f'metadata.finalizers: Invalid value: "bad name": {NAME_PART}',
        f'metadata.finalizers[3]: Invalid value: "cleanup": {NOT_QUALIFIED_FINALIZER}',
        f'metadata.finalizers[4]: Invalid value: "bad name": {NOT_QUALIFIED_FINALIZER}',
    ]


def test_orphan_and_foreground_deletion_finalizers_conflict():
    assert create_errors(meta(finalizers=["orphan", "foregroundDeletion"])) == [
        'metadata.finalizers: Invalid value: []string{"orphan", "foregroundDeletion"}: '
        "finalizer orphan and foregroundDeletion cannot be both set"
    ]


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        (
            {},
            [
                'metadata.ownerReferences.apiVersion: Invalid value: "": version must not be empty',
                'metadata.ownerReferences.kind: Invalid value: "": must not be empty',
                'metadata.ownerReferences.name: Invalid value: "": must not be empty',
                'metadata.ownerReferences.uid: Invalid value: "": must not be empty',
            ],
        ),
        (
            {"apiVersion": "apps/", "kind": "Deployment", "name": "d", "uid": "1"},
            [
                'metadata.ownerReferences.apiVersion: Invalid value: "apps/": version must not be empty'
            ],
        ),
        (
            {"apiVersion": "a/b/c", "kind": "K", "name": "d", "uid": "1"},
            [
                'metadata.ownerReferences.apiVersion: Invalid value: "a/b/c": version must not be empty'
            ],
        ),
        (
            {"apiVersion": "v1", "kind": "Event", "name": "e", "uid": "u"},
            [
                "metadata.ownerReferences: Invalid value: &OwnerReference{Kind:Event,Name:e,UID:u,APIVersion:v1,"
                "Controller:nil,BlockOwnerDeletion:nil,}: /v1, Kind=Event is disallowed from being an owner"
            ],
        ),
        ({"apiVersion": "events.k8s.io/v1", "kind": "Event", "name": "e", "uid": "u"}, []),
    ],
)
def test_owner_references_need_api_version_kind_name_and_uid(reference, expected):
    assert create_errors(meta(ownerReferences=[reference])) == expected


def test_only_one_owner_reference_may_be_the_controller():
    refs = [
        {"apiVersion": "v1", "kind": "A", "name": "a", "uid": "1", "controller": True},
        {"apiVersion": "v1", "kind": "B", "name": "b", "uid": "2", "controller": False},
        {"apiVersion": "v1", "kind": "C", "name": "c", "uid": "3", "controller": True},
    ]
    errors = validate_object_meta(
        meta(ownerReferences=refs), namespaced=True, name_errors=dns1123_subdomain_errors
    )
    assert len(errors) == 1
    assert errors[0].field == "metadata.ownerReferences"
    assert errors[0].detail.endswith(
        'Only one reference can have Controller set to true. Found "true" in references for A/a and C/c'
    )


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (
            {"manager": "m", "operation": "Patch"},
            [
                'metadata.managedFields[0].operation: Invalid value: "Patch": must be `Apply` or `Update`'
            ],
        ),
        (
            {"manager": "m", "operation": "Apply", "fieldsType": "FieldsV2"},
            ['metadata.managedFields[0].fieldsType: Invalid value: "FieldsV2": must be `FieldsV1`'],
        ),
        (
            {"manager": "m" * 129, "operation": "Update"},
            ["metadata.managedFields[0].manager: Too long: may not be more than 128 bytes"],
        ),
    ],
)
def test_managed_fields_entries_are_checked(entry, expected):
    assert create_errors(meta(managedFields=[entry])) == expected


def test_a_field_manager_must_be_printable_with_the_byte_position_reported():
    entry = {"manager": "é\x07", "operation": "Update"}
    errors = validate_object_meta(
        meta(managedFields=[entry]), namespaced=True, name_errors=dns1123_label_errors
    )
    assert [e.field for e in errors] == ["metadata.managedFields[0].manager"]
    assert errors[0].detail.endswith(": invalid character U+0007 (at position 2)")


OLD = {
    "name": "web",
    "namespace": "default",
    "uid": "1111",
    "resourceVersion": "7",
    "generation": 2,
    "creationTimestamp": "2024-01-02T03:04:05Z",
}


def update_errors(new, old=OLD):
    return messages(validate_object_meta_update(new, old))


def test_an_unchanged_update_has_no_errors():
    assert update_errors(dict(OLD, labels={"a": "b"}, generation=3)) == []


def test_the_same_instant_in_another_zone_is_not_a_change():
    assert update_errors(dict(OLD, creationTimestamp="2024-01-02T05:04:05+02:00")) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"name": "other"}, ['metadata.name: Invalid value: "other": field is immutable']),
        (
            {"namespace": "other"},
            ['metadata.namespace: Invalid value: "other": field is immutable'],
        ),
        ({"uid": "2222"}, ['metadata.uid: Invalid value: "2222": field is immutable']),
        (
            {"creationTimestamp": "2025-06-07T08:09:10Z"},
            [
                "metadata.creationTimestamp: Invalid value: 2025-06-07 08:09:10 +0000 UTC: field is immutable"
            ],
        ),
        (
            {"creationTimestamp": None},
            [
                "metadata.creationTimestamp: Invalid value: 0001-01-01 00:00:00 +0000 UTC: field is immutable"
            ],
        ),
        (
            {"deletionTimestamp": "2025-06-07T08:09:10Z"},
            [
                "metadata.deletionTimestamp: Invalid value: 2025-06-07 08:09:10 +0000 UTC: field is immutable"
            ],
        ),
        (
            {"deletionGracePeriodSeconds": 30},
            ["metadata.deletionGracePeriodSeconds: Invalid value: 30: field is immutable"],
        ),
        ({"generation": 1}, ["metadata.generation: Invalid value: 1: must not be decremented"]),
        ({"labels": {"a": "-"}}, [f'metadata.labels: Invalid value: "-": {LABEL_VALUE}']),
        (
            {"finalizers": ["cleanup"]},
            [f'metadata.finalizers[0]: Invalid value: "cleanup": {NOT_QUALIFIED_FINALIZER}'],
        ),
    ],
)
def test_updates_may_not_change_identity_or_system_fields(change, expected):
    assert update_errors({**OLD, **change}) == expected


def test_a_deletion_timestamp_cannot_be_removed_by_an_update():
    old = dict(OLD, deletionTimestamp="2025-01-01T00:00:00Z", deletionGracePeriodSeconds=0)
    new = dict(OLD)
    assert update_errors(new, old) == [
        "metadata.deletionTimestamp: Invalid value: null: field is immutable",
        "metadata.deletionGracePeriodSeconds: Invalid value: null: field is immutable",
    ]


def test_no_finalizers_may_be_added_once_deletion_has_begun():
    old = dict(OLD, deletionTimestamp="2025-01-01T00:00:00Z", finalizers=["example.com/a"])
    new = dict(old, finalizers=["example.com/c", "example.com/a", "example.com/b"])
    errors = validate_object_meta_update(new, old)
    assert messages(errors) == [
        "metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, "
        'found new finalizers []string{"example.com/b", "example.com/c"}'
    ]
    assert errors[0].reason == "FieldValueForbidden"
    assert validate_object_meta_update(dict(old, finalizers=[]), old) == []
