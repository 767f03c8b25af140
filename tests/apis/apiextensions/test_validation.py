"""apiextensions.k8s.io/v1 CustomResourceDefinition validation: Kubernetes' messages and the
paths of its internal form (schemas shared by all versions are reported under spec.validation)."""

from __future__ import annotations

import copy

import pytest

from kube_apiserver.apis.apiextensions import defaults
from kube_apiserver.apis.apiextensions import validation as v
from kube_apiserver.apis.apiextensions.internal import go_versions, internal_spec

SCHEMA = {
    "type": "object",
    "properties": {
        "spec": {"type": "object", "properties": {"size": {"type": "integer", "default": 1}}},
        "status": {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
    },
}


def crd(**spec) -> dict:
    base = {
        "group": "example.com",
        "scope": "Namespaced",
        "names": {"plural": "widgets", "kind": "Widget"},
        "versions": [
            {
                "name": "v1",
                "served": True,
                "storage": True,
                "schema": {"openAPIV3Schema": copy.deepcopy(SCHEMA)},
            }
        ],
    }
    obj = {"metadata": {"name": "widgets.example.com"}, "spec": {**base, **spec}}
    defaults.default_crd(obj)
    storage = [ver["name"] for ver in obj["spec"]["versions"] if ver.get("storage")][:1]
    obj["status"] = {"acceptedNames": {"plural": "", "kind": ""}, "storedVersions": storage or None}
    return obj


def messages(obj: dict) -> list[str]:
    return [str(e) for e in v.validate_crd(obj)]


def with_schema(schema: dict, **spec) -> dict:
    return crd(
        versions=[
            {"name": "v1", "served": True, "storage": True, "schema": {"openAPIV3Schema": schema}}
        ],
        **spec,
    )


def test_a_complete_crd_is_valid_and_defaulted():
    obj = crd()
    assert messages(obj) == []
    names = obj["spec"]["names"]
    assert (names["singular"], names["listKind"]) == ("widget", "WidgetList")
    assert obj["spec"]["conversion"] == {"strategy": "None"}


def test_the_name_must_be_plural_dot_group():
    obj = crd()
    obj["metadata"]["name"] = "gadgets.example.com"
    assert messages(obj) == [
        'metadata.name: Invalid value: "gadgets.example.com": must be spec.names.plural+"."+spec.group'
    ]


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        (
            {"group": "example"},
            'spec.group: Invalid value: "example": should be a domain with at least one dot',
        ),
        ({"scope": ""}, "spec.scope: Required value"),
        (
            {"scope": "Global"},
            'spec.scope: Unsupported value: "Global": supported values: "Cluster", "Namespaced"',
        ),
    ],
)
def test_group_and_scope(spec, expected):
    obj = crd(**spec)
    obj["metadata"]["name"] = f"widgets.{obj['spec']['group']}"
    assert expected in messages(obj)


def test_every_version_needs_a_schema():
    obj = crd(versions=[{"name": "v1", "served": True, "storage": True}])
    assert messages(obj) == [
        "spec.versions[0].schema.openAPIV3Schema: Required value: schemas are required"
    ]


def test_exactly_one_storage_version_is_required():
    obj = crd(
        versions=[
            {"name": "v1", "served": True, "storage": True, "schema": {"openAPIV3Schema": SCHEMA}},
            {"name": "v2", "served": True, "storage": True, "schema": {"openAPIV3Schema": SCHEMA}},
        ]
    )
    rendered = go_versions(internal_spec(obj["spec"]).versions)
    got = messages(obj)
    assert got[0] == (
        f"spec.versions: Invalid value: {rendered}: must have exactly one version marked as storage version"
    )
    # Only the first storage version is recorded as stored, so the second is missing there.
    assert got[1].startswith(
        'status.storedVersions: Invalid value: apiextensions.CustomResourceDefinitionVersion{Name:"v2"'
    )
    assert got[1].endswith("must have the storage version v2")
    assert rendered.startswith(
        '[]apiextensions.CustomResourceDefinitionVersion{apiextensions.CustomResourceDefinitionVersion{Name:"v1", '
        "Served:true, Storage:true, Deprecated:false, DeprecationWarning:(*string)(nil), "
        "Schema:(*apiextensions.CustomResourceValidation)(nil), "
    )


def test_no_storage_version_means_no_stored_version_either():
    obj = crd(
        versions=[
            {"name": "v1", "served": True, "storage": False, "schema": {"openAPIV3Schema": SCHEMA}}
        ]
    )
    got = messages(obj)
    assert (
        got[-1]
        == "status.storedVersions: Invalid value: []string(nil): must have at least one stored version"
    )
    assert "must have exactly one version marked as storage version" in got[0]


def test_version_names_are_dns_labels_and_unique():
    obj = crd(
        versions=[
            {"name": "V1", "served": True, "storage": True, "schema": {"openAPIV3Schema": SCHEMA}},
            {"name": "V1", "served": True, "storage": False, "schema": {"openAPIV3Schema": SCHEMA}},
        ]
    )
    got = messages(obj)
    assert got[0].startswith('spec.versions[0].name: Invalid value: "V1": a DNS-1035 label')
    assert any(m.endswith("must contain unique version names") for m in got)
    assert any(m.startswith('spec.version: Invalid value: "V1"') for m in got)


def test_names():
    obj = crd(
        names={
            "plural": "widgets",
            "kind": "Widget",
            "listKind": "Widget",
            "shortNames": ["w_d"],
            "categories": ["All"],
        }
    )
    got = messages(obj)
    assert (
        'spec.names.listKind: Invalid value: "Widget": kind and listKind may not be the same' in got
    )
    assert any(
        m.startswith('spec.names.shortNames[0]: Invalid value: "w_d": a DNS-1035 label')
        for m in got
    )
    assert any(m.startswith('spec.names.categories[0]: Invalid value: "All"') for m in got)
    missing = crd(names={"plural": "widgets"})
    assert "spec.names.kind: Required value" in messages(missing)
    assert "spec.names.listKind: Required value" in messages(missing)


def test_a_shared_schema_is_reported_under_spec_validation():
    schema = {"type": "object", "properties": {"spec": {"properties": {"a": {"type": "string"}}}}}
    assert messages(with_schema(schema)) == [
        "spec.validation.openAPIV3Schema.properties[spec].type: Required value: must not be empty for specified object fields"
    ]


def test_differing_schemas_are_reported_per_version():
    bad = {"type": "object", "properties": {"spec": {"type": "array"}}}
    obj = crd(
        versions=[
            {"name": "v1", "served": True, "storage": True, "schema": {"openAPIV3Schema": SCHEMA}},
            {"name": "v2", "served": True, "storage": False, "schema": {"openAPIV3Schema": bad}},
        ]
    )
    assert messages(obj) == [
        "spec.versions[1].schema.openAPIV3Schema.properties[spec].items: Required value: must be specified"
    ]


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        (
            {"properties": {}},
            "spec.validation.openAPIV3Schema.type: Required value: must not be empty at the root",
        ),
        (
            {"type": "string"},
            'spec.validation.openAPIV3Schema.type: Invalid value: "string": must be object at the root',
        ),
        (
            {
                "type": "object",
                "properties": {
                    "metadata": {"type": "object", "properties": {"labels": {"type": "object"}}}
                },
            },
            "spec.validation.openAPIV3Schema.properties[metadata]: Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified",
        ),
        (
            {"type": "object", "properties": {"a": {"type": "thing"}}},
            'spec.validation.openAPIV3Schema.properties[a].type: Unsupported value: "thing": supported values: "array", "boolean", "integer", "number", "object", "string"',
        ),
        (
            {
                "type": "object",
                "properties": {
                    "a": {"type": "array", "items": {"type": "string"}, "uniqueItems": True}
                },
            },
            "spec.validation.openAPIV3Schema.properties[a].uniqueItems: Forbidden: uniqueItems cannot be set to true since the runtime complexity becomes quadratic",
        ),
        (
            {"type": "object", "properties": {"a": {"$ref": "#/x"}}},
            "spec.validation.openAPIV3Schema.properties[a].$ref: Forbidden: $ref is not supported",
        ),
        (
            {
                "type": "object",
                "properties": {
                    "metadata": {
                        "type": "object",
                        "properties": {"name": {"type": "string", "default": "x"}},
                    }
                },
            },
            "spec.validation.openAPIV3Schema.properties[metadata].properties[name].default: Forbidden: must not be set in top-level metadata",
        ),
        (
            {
                "type": "object",
                "properties": {"a": {"type": "string", "anyOf": [{"type": "string"}]}},
            },
            "spec.validation.openAPIV3Schema.properties[a].anyOf[0].type: Forbidden: must be empty to be structural",
        ),
        (
            {
                "type": "object",
                "properties": {
                    "a": {
                        "type": "array",
                        "items": {"type": "object"},
                        "x-kubernetes-list-type": "map",
                    }
                },
            },
            "spec.validation.openAPIV3Schema.properties[a].x-kubernetes-list-map-keys: Required value: must not be empty if x-kubernetes-list-type is map",
        ),
        (
            {
                "type": "object",
                "properties": {"a": {"type": "string", "x-kubernetes-list-type": "set"}},
            },
            'spec.validation.openAPIV3Schema.properties[a].type: Invalid value: "string": must be array if x-kubernetes-list-type is specified',
        ),
        (
            {
                "type": "object",
                "properties": {
                    "a": {"type": "string", "x-kubernetes-preserve-unknown-fields": False}
                },
            },
            "spec.validation.openAPIV3Schema.properties[a].x-kubernetes-preserve-unknown-fields: Invalid value: false: must be true or undefined",
        ),
        (
            {"type": "object", "x-kubernetes-validations": [{"rule": " "}]},
            "spec.validation.openAPIV3Schema.x-kubernetes-validations[0].rule: Required value: rule is not specified",
        ),
        (
            {"type": "object", "additionalProperties": {"type": "string"}},
            "spec.validation.openAPIV3Schema.additionalProperties: Forbidden: must not be used at the root",
        ),
    ],
)
def test_schema_rules(schema, expected):
    assert expected in messages(with_schema(schema))


def test_int_or_string_needs_no_type():
    schema = {
        "type": "object",
        "properties": {
            "port": {
                "x-kubernetes-int-or-string": True,
                "anyOf": [{"type": "integer"}, {"type": "string"}],
            }
        },
    }
    assert messages(with_schema(schema)) == []


def test_a_status_subresource_restricts_the_schema_root():
    schema = {"type": "object", "nullable": True, "properties": {}}
    obj = crd(
        versions=[
            {
                "name": "v1",
                "served": True,
                "storage": True,
                "schema": {"openAPIV3Schema": schema},
                "subresources": {"status": {}},
            }
        ]
    )
    got = messages(obj)
    assert got[0].startswith("spec.validation.openAPIV3Schema: Invalid value: ")
    assert got[0].endswith(
        "fields are allowed at the root of the schema if the status subresource is enabled"
    )
    assert (
        "spec.validation.openAPIV3Schema.nullable: Forbidden: nullable cannot be true at the root"
        in got
    )


def test_scale_subresource_paths():
    obj = crd(
        versions=[
            {
                "name": "v1",
                "served": True,
                "storage": True,
                "schema": {"openAPIV3Schema": SCHEMA},
                "subresources": {
                    "scale": {
                        "specReplicasPath": "spec.replicas",
                        "statusReplicasPath": ".spec.replicas",
                    }
                },
            }
        ]
    )
    assert messages(obj) == [
        'spec.subresources.scale.specReplicasPath: Invalid value: "spec.replicas": must be a simple json path starting with .',
        'spec.subresources.scale.statusReplicasPath: Invalid value: ".spec.replicas": should be a json path under .status',
    ]


def test_printer_columns():
    obj = crd(
        versions=[
            {
                "name": "v1",
                "served": True,
                "storage": True,
                "schema": {"openAPIV3Schema": SCHEMA},
                "additionalPrinterColumns": [{"name": "Size", "type": "int", "jsonPath": ""}],
            }
        ]
    )
    assert messages(obj) == [
        'spec.additionalPrinterColumns[0].type: Invalid value: "int": must be one of boolean,date,integer,number,string',
        "spec.additionalPrinterColumns[0].JSONPath: Required value",
    ]


def test_deprecation_warnings_belong_to_deprecated_versions():
    obj = crd()
    obj["spec"]["versions"][0]["deprecationWarning"] = "old"
    assert messages(obj) == [
        'spec.versions[0].deprecationWarning: Invalid value: "old": can only be set for deprecated versions'
    ]


def test_preserve_unknown_fields_cannot_be_set():
    got = messages(crd(preserveUnknownFields=True))
    assert (
        "spec.preserveUnknownFields: Invalid value: true: must be false in order to use defaults in the schema"
        in got
    )
    assert got[-1] == (
        "spec.preserveUnknownFields: Invalid value: true: cannot set to true, "
        "set x-preserve-unknown-fields to true in spec.versions[*].schema instead"
    )


def test_conversion_rules_use_the_internal_field_names():
    assert messages(crd(conversion={"strategy": "Webhook"})) == [
        "spec.conversion.webhookClientConfig: Required value: required when strategy is set to Webhook",
        "spec.conversion.conversionReviewVersions: Required value",
    ]
    webhook = {
        "clientConfig": {"url": "https://x.example.com/convert"},
        "conversionReviewVersions": ["v2"],
    }
    assert messages(crd(conversion={"strategy": "Webhook", "webhook": webhook})) == [
        'spec.conversion.conversionReviewVersions: Invalid value: []string{"v2"}: must include at least one of v1, v1beta1'
    ]
    assert messages(crd(conversion={"strategy": "None", "webhook": webhook})) == [
        "spec.conversion.webhookClientConfig: Forbidden: should not be set when strategy is not set to Webhook",
        "spec.conversion.conversionReviewVersions: Forbidden: should not be set when strategy is not set to Webhook",
    ]


def test_protected_groups_need_api_approval():
    obj = crd(group="widgets.k8s.io")
    obj["metadata"]["name"] = "widgets.widgets.k8s.io"
    assert messages(obj) == [
        'metadata.annotations[api-approved.kubernetes.io]: Required value: protected groups must have approval annotation "api-approved.kubernetes.io", see https://github.com/kubernetes/enhancements/pull/1111'
    ]
    obj["metadata"]["annotations"] = {
        "api-approved.kubernetes.io": "https://github.com/kubernetes/kubernetes/pull/1"
    }
    assert messages(obj) == []
    obj["metadata"]["annotations"] = {"api-approved.kubernetes.io": "unapproved, testing"}
    assert messages(obj) == []


def test_group_and_plural_are_immutable_and_kind_once_established():
    old = crd()
    new = copy.deepcopy(old)
    new["spec"]["names"].update(
        plural="gadgets", kind="Gadget", listKind="GadgetList", singular="gadget"
    )
    assert [str(e) for e in v.validate_crd_update(new, old)] == [
        'spec.names.plural: Invalid value: "gadgets": field is immutable'
    ]
    old["status"]["conditions"] = [{"type": "Established", "status": "True"}]
    assert [str(e) for e in v.validate_crd_update(new, old)] == [
        'spec.names.kind: Invalid value: "Gadget": field is immutable',
        'spec.names.plural: Invalid value: "gadgets": field is immutable',
    ]


def test_stored_versions_must_stay_in_spec():
    old = crd()
    new = copy.deepcopy(old)
    new["status"]["storedVersions"] = ["v1", "v0"]
    assert [str(e) for e in v.validate_crd_update(new, old)] == [
        'status.storedVersions[1]: Invalid value: "v0": must appear in spec.versions'
    ]


def test_a_non_structural_schema_stored_earlier_may_stay_so():
    schema = {"type": "object", "properties": {"spec": {"properties": {}}}}
    old = with_schema(schema)
    new = copy.deepcopy(old)
    new["metadata"]["labels"] = {"a": "b"}
    assert [str(e) for e in v.validate_crd_update(new, old)] == []
