from __future__ import annotations

import copy
from typing import Any

from kube_apiserver.apimachinery.decode import (
    decode_object,
    unknown_fields_message,
    warning_header_values,
)
from kube_apiserver.openapi.definitions import schema_for_gvk

POD = schema_for_gvk("", "v1", "Pod")
CONFIGMAP = schema_for_gvk("", "v1", "ConfigMap")
SECRET = schema_for_gvk("", "v1", "Secret")
SERVICE = schema_for_gvk("", "v1", "Service")
DEPLOYMENT = schema_for_gvk("apps", "v1", "Deployment")
LEASE = schema_for_gvk("coordination.k8s.io", "v1", "Lease")

QUANTITY_FORMAT = (
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
)


def pod(*containers: dict[str, Any], **spec: Any) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "p"},
        "spec": {"containers": list(containers) or [{"name": "c", "image": "i"}], **spec},
    }


def deployment(**spec: Any) -> dict[str, Any]:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "labels": {"app": "web"}},
        "spec": {
            "replicas": 3,
            "selector": {"matchLabels": {"app": "web"}},
            "strategy": {
                "type": "RollingUpdate",
                "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 1},
            },
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {
                    "containers": [
                        {
                            "name": "web",
                            "image": "nginx",
                            "ports": [{"containerPort": 80, "protocol": "TCP"}],
                            "env": [
                                {"name": "A", "value": "1"},
                                {
                                    "name": "B",
                                    "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}},
                                },
                            ],
                            "resources": {
                                "limits": {"cpu": "500m", "memory": "128Mi"},
                                "requests": {"cpu": 0.1},
                            },
                            "readinessProbe": {"httpGet": {"path": "/", "port": 80}},
                        }
                    ]
                },
            },
            **spec,
        },
    }


def test_a_valid_object_comes_back_as_the_same_object():
    body = deployment()
    result = decode_object(body, DEPLOYMENT)
    assert result.obj is body
    assert result.unknown == [] and result.errors == []


def test_unknown_fields_in_the_spec_and_in_a_container_are_dropped_and_reported():
    body = pod({"name": "c", "image": "i", "bar": 1}, foo={"x": 1})
    original = copy.deepcopy(body)
    result = decode_object(body, POD)
    assert result.unknown == ["spec.containers[0].bar", "spec.foo"]  # document order
    assert result.errors == []
    assert result.obj["spec"] == {"containers": [{"name": "c", "image": "i"}]}
    assert body == original  # the input is never modified


def test_only_the_parts_that_lost_a_field_are_copied():
    body = pod({"name": "a", "image": "i"}, {"name": "b", "image": "i", "bar": 1})
    result = decode_object(body, POD)
    assert result.obj is not body and result.obj["spec"] is not body["spec"]
    assert result.obj["metadata"] is body["metadata"]
    assert result.obj["spec"]["containers"][0] is body["spec"]["containers"][0]
    assert result.obj["spec"]["containers"][1] == {"name": "b", "image": "i"}


def test_metadata_is_checked_against_object_meta_but_map_keys_are_never_fields():
    body = pod()
    body["metadata"] = {
        "name": "p",
        "foo": 1,
        "labels": {"any": "key"},
        "annotations": {"x/y": "z"},
    }
    result = decode_object(body, POD)
    assert result.unknown == ["metadata.foo"]
    assert result.obj["metadata"] == {
        "name": "p",
        "labels": {"any": "key"},
        "annotations": {"x/y": "z"},
    }


def test_unknown_top_level_fields_have_no_leading_dot_and_api_version_and_kind_are_known():
    result = decode_object({"apiVersion": "v1", "kind": "ConfigMap", "bar": 1}, CONFIGMAP)
    assert result.unknown == ["bar"]
    assert result.obj == {"apiVersion": "v1", "kind": "ConfigMap"}


def test_nested_lists_of_maps_report_indexed_paths_and_go_field_paths():
    body = pod(
        {"name": "a", "image": "i"},
        {
            "name": "b",
            "image": "i",
            "env": [{"name": "X", "value": "1"}, {"name": "Y", "value": 2, "foo": True}],
            "ports": [{"containerPort": 80}, {"containerPort": "81"}],
        },
    )
    result = decode_object(body, POD)
    assert result.unknown == ["spec.containers[1].env[1].foo"]
    assert result.errors == [
        "json: cannot unmarshal number into Go struct field EnvVar.spec.containers.env.value "
        "of type string",
        "json: cannot unmarshal string into Go struct field "
        "ContainerPort.spec.containers.ports.containerPort of type int32",
    ]


def test_a_string_replica_count_is_a_type_error():
    result = decode_object(deployment(replicas="3"), DEPLOYMENT)
    assert result.errors == [
        "json: cannot unmarshal string into Go struct field "
        "DeploymentSpec.spec.replicas of type int32"
    ]


def test_a_number_in_a_string_map_names_the_map_field():
    result = decode_object({"apiVersion": "v1", "kind": "ConfigMap", "data": {"a": 1}}, CONFIGMAP)
    assert result.errors == [
        "json: cannot unmarshal number into Go struct field ConfigMap.data of type string"
    ]


def test_wrong_container_kinds_name_the_go_type():
    result = decode_object(pod(containers={"name": "c"}), POD)
    assert result.errors == [
        "json: cannot unmarshal object into Go struct field "
        "PodSpec.spec.containers of type []v1.Container"
    ]
    result = decode_object(pod({"name": "c", "command": "sleep"}), POD)
    assert result.errors == [
        "json: cannot unmarshal string into Go struct field "
        "Container.spec.containers.command of type []string"
    ]
    result = decode_object(pod({"name": "c", "resources": {"limits": "1"}}), POD)
    assert result.errors == [
        "json: cannot unmarshal string into Go struct field "
        "ResourceRequirements.spec.containers.resources.limits "
        "of type v1.ResourceList"
    ]


def test_fields_of_inlined_go_structs_carry_the_embedded_struct_name():
    result = decode_object(pod(volumes=[{"name": "v", "configMap": "cm"}]), POD)
    assert result.errors == [
        "json: cannot unmarshal string into Go struct field "
        "Volume.spec.volumes.VolumeSource.configMap "
        "of type v1.ConfigMapVolumeSource"
    ]


def test_integers_accept_integral_floats_but_not_fractions_or_overflow():
    assert decode_object(deployment(replicas=2.0), DEPLOYMENT).errors == []
    assert decode_object(deployment(replicas=1.5), DEPLOYMENT).errors == [
        "json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas "
        "of type int32"
    ]
    assert decode_object(deployment(replicas=2**31), DEPLOYMENT).errors == [
        "json: cannot unmarshal number 2147483648 into Go struct field "
        "DeploymentSpec.spec.replicas of type int32"
    ]
    assert decode_object(deployment(replicas=True), DEPLOYMENT).errors == [
        "json: cannot unmarshal bool into Go struct field DeploymentSpec.spec.replicas "
        "of type int32"
    ]


def test_int_or_string_accepts_both_and_reports_other_values_as_int32():
    ports = [{"port": 80, "targetPort": 8080}, {"name": "h", "port": 81, "targetPort": "http"}]
    body = {"apiVersion": "v1", "kind": "Service", "spec": {"ports": ports}}
    assert decode_object(body, SERVICE).errors == []
    body["spec"]["ports"] = [{"port": 80, "targetPort": True}]
    assert decode_object(body, SERVICE).errors == [
        "json: cannot unmarshal bool into Go struct field ServicePort.spec.ports.targetPort "
        "of type int32"
    ]


def test_quantities_accept_numbers_and_valid_strings_only():
    for value in (1, 0.5, "100m", "1.5Gi", "1e3", " 2 "):
        limits = {"cpu": value}
        assert decode_object(pod({"name": "c", "resources": {"limits": limits}}), POD).errors == []
    for value, message in (
        ("abc", QUANTITY_FORMAT),
        ("", QUANTITY_FORMAT),
        (True, QUANTITY_FORMAT),
        ({}, QUANTITY_FORMAT),
        ("5GG", "unable to parse quantity's suffix"),
    ):
        limits = {"cpu": value}
        result = decode_object(pod({"name": "c", "resources": {"limits": limits}}), POD)
        assert result.errors == [message]


def test_a_failure_inside_a_types_own_decoder_is_reported_first():
    body = deployment(replicas="3")
    body["spec"]["template"]["spec"]["containers"][0]["resources"]["limits"]["cpu"] = "lots"
    errors = decode_object(body, DEPLOYMENT).errors
    assert errors[0] == QUANTITY_FORMAT
    assert errors[1].endswith("DeploymentSpec.spec.replicas of type int32")


def test_nulls_are_accepted_everywhere():
    body = pod(
        {"name": "c", "image": None, "ports": None},
        None,
        restartPolicy=None,
        activeDeadlineSeconds=None,
    )
    body["metadata"] = {"name": "p", "labels": {"a": None}, "creationTimestamp": None}
    result = decode_object(body, POD)
    assert result.errors == [] and result.unknown == []
    assert result.obj is body
    assert decode_object({"kind": "Pod", "metadata": None, "spec": None}, POD).errors == []


def test_secret_data_must_be_valid_base64():
    good = {"apiVersion": "v1", "kind": "Secret", "data": {"a": "aGVsbG8=", "b": "aGVs\nbG8="}}
    assert decode_object(good, SECRET).errors == []
    bad = {"apiVersion": "v1", "kind": "Secret", "data": {"a": "aGVsbG8"}}
    assert decode_object(bad, SECRET).errors == ["illegal base64 data at input byte 4"]
    bad["data"] = {"a": "a!bc"}
    assert decode_object(bad, SECRET).errors == ["illegal base64 data at input byte 1"]
    bad["data"] = {"a": 5}
    assert decode_object(bad, SECRET).errors == [
        "json: cannot unmarshal number into Go struct field Secret.data of type []uint8"
    ]


def test_timestamps_are_parsed_as_go_parses_rfc3339():
    def errors(timestamp: Any) -> list[str]:
        return (
            decode_object(pod(), POD).errors
            if timestamp is None
            else decode_object(
                {"kind": "Pod", "metadata": {"creationTimestamp": timestamp}}, POD
            ).errors
        )

    assert errors("2024-05-01T10:00:00Z") == []
    assert errors("2024-05-01T10:00:00.5+02:00") == []
    assert errors("2024-05-01T10:00:00") == [
        'parsing time "2024-05-01T10:00:00" as "2006-01-02T15:04:05Z07:00": '
        'cannot parse "" as "Z07:00"'
    ]
    assert errors("yesterday") == [
        'parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": '
        'cannot parse "yesterday" as "2006"'
    ]
    assert errors("2024-13-01T10:00:00Z") == [
        'parsing time "2024-13-01T10:00:00Z": month out of range'
    ]
    assert errors("2023-02-29T10:00:00Z") == [
        'parsing time "2023-02-29T10:00:00Z": day out of range'
    ]
    assert errors("2024-05-01T10:00:00Zulu") == [
        'parsing time "2024-05-01T10:00:00Zulu": extra text: "ulu"'
    ]
    assert errors(5) == [
        "json: cannot unmarshal number into Go struct field "
        "ObjectMeta.metadata.creationTimestamp of type string"
    ]


def test_micro_timestamps_need_six_fractional_digits():
    def errors(timestamp: str) -> list[str]:
        return decode_object({"kind": "Lease", "spec": {"renewTime": timestamp}}, LEASE).errors

    assert errors("2024-05-01T10:00:00.123456Z") == []
    assert errors("2024-05-01T10:00:00Z") == [
        'parsing time "2024-05-01T10:00:00Z" as "2006-01-02T15:04:05.000000Z07:00": '
        'cannot parse "Z" as ".000000"'
    ]


def test_a_non_string_kind_fails_before_anything_else():
    result = decode_object({"apiVersion": "v1", "kind": 5, "foo": 1}, POD)
    assert result.errors == [
        "couldn't get version/kind; json parse error: json: cannot "
        "unmarshal number into Go struct field .kind of type string"
    ]
    assert result.unknown == []


def test_free_form_fields_keep_everything():
    revision = schema_for_gvk("apps", "v1", "ControllerRevision")
    body = {"kind": "ControllerRevision", "revision": 1, "data": {"anything": [{"goes": 1}]}}
    result = decode_object(body, revision)
    assert result.obj is body and result.unknown == [] and result.errors == []


def test_preserve_unknown_fields_subtrees_keep_everything():
    schema = {
        "x-kubernetes-group-version-kind": [{"group": "x", "version": "v1", "kind": "Widget"}],
        "properties": {
            "spec": {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
            "size": {"type": "integer", "format": "int32"},
        },
    }
    result = decode_object({"spec": {"any": {"thing": 1}}, "size": "big", "extra": 1}, schema)
    assert result.obj == {"spec": {"any": {"thing": 1}}, "size": "big"}
    assert result.unknown == ["extra"]
    assert result.errors == [
        "json: cannot unmarshal string into Go struct field Widget.size of type int32"
    ]


def test_unknown_fields_inside_maps_of_structs_name_the_key():
    slices = schema_for_gvk("resource.k8s.io", "v1beta1", "ResourceSlice")
    body = {
        "kind": "ResourceSlice",
        "spec": {
            "devices": [
                {
                    "name": "gpu",
                    "basic": {"attributes": {"model": {"string": "x", "colour": "red"}}},
                }
            ]
        },
    }
    result = decode_object(body, slices)
    assert result.unknown == ["spec.devices[0].basic.attributes.model.colour"]


def test_strict_message_and_warning_headers_quote_each_field_like_go():
    unknown = ["spec.foo", "bar", 'odd"name']
    assert unknown_fields_message(unknown) == (
        'strict decoding error: unknown field "spec.foo", unknown field "bar", '
        'unknown field "odd\\"name"'
    )
    assert warning_header_values(unknown[:2]) == [
        '299 - "unknown field \\"spec.foo\\""',
        '299 - "unknown field \\"bar\\""',
    ]
    assert warning_header_values(['odd"name']) == ['299 - "unknown field \\"odd\\\\\\"name\\""']
