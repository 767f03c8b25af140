"""The generic rules of the protobuf body decoder, on a kind described here for the test."""

from __future__ import annotations

import pytest

from kube_apiserver.apimachinery import errors, protobuf
from kube_apiserver.apimachinery.protobuf import OBJECT_META, Field, spec_and_status
from protobuf_wire import entry, envelope, field, int_field, varint

SPEC = {
    1: Field("replicas", "int", keep_zero=True),
    2: Field("minReadySeconds", "int"),
    3: Field("paused", "bool"),
    4: Field("name"),
    5: Field("data", "map", value="bytes"),
    6: Field("hard", "map", value="quantity"),
    7: Field("port", "intorstring"),
    8: Field("extra", "map", value="stringlist"),
    9: Field("empty", "message", {}),
    10: Field("args", repeated=True),
    11: Field("value", "inline", {1: Field("http"), 2: Field("port", "int")}),
}
protobuf.register("test.example/v1", "Widget", spec_and_status(SPEC))


def widget(spec: bytes, status: bytes = b"") -> dict:
    raw = field(1, field(1, "w") + field(8, b"")) + field(2, spec) + field(3, status)
    return protobuf.decode(envelope("test.example/v1", "Widget", raw))


def test_zeros_of_plain_fields_are_left_out_and_a_pointers_zero_is_kept():
    spec = int_field(1, 0) + int_field(2, 0) + int_field(3, 0) + field(4, "")
    assert widget(spec) == {
        "apiVersion": "test.example/v1",
        "kind": "Widget",
        "metadata": {"name": "w", "creationTimestamp": None},
        "spec": {"replicas": 0},
    }


def test_negative_numbers_read_as_go_writes_them():
    assert widget(int_field(2, -5))["spec"] == {"minReadySeconds": -5}


def test_value_kinds_read_as_their_json_form():
    quantity = field(1, "500m")
    spec = (
        entry(5, "bin", b"\x00\xff")
        + entry(6, "cpu", quantity)
        + field(7, int_field(1, 1) + field(3, "http"))
        + entry(8, "team", field(1, "a") + field(1, "b"))
        + field(9, b"")
        + field(10, "x")
        + field(10, "y")
    )
    assert widget(spec)["spec"] == {
        "data": {"bin": "AP8="},
        "hard": {"cpu": "500m"},
        "port": "http",
        "extra": {"team": ["a", "b"]},
        "empty": {},
        "args": ["x", "y"],
    }
    assert widget(field(7, int_field(2, 8080)))["spec"] == {"port": 8080}


def test_an_empty_status_is_ignored_and_one_with_values_is_refused_not_lost():
    assert "status" not in widget(b"", status=int_field(1, 0) + field(2, field(1, "")))
    with pytest.raises(errors.StatusError) as caught:
        widget(b"", status=field(1, "Ready"))
    assert caught.value.code == 415


def test_an_undescribed_field_with_a_value_refuses_the_body():
    with pytest.raises(errors.StatusError) as caught:
        widget(field(99, "surprise"))
    assert caught.value.code == 415
    assert caught.value.reason == "UnsupportedMediaType"
    assert "field 99 of spec" in str(caught.value)


def test_an_undescribed_field_at_its_zero_value_is_no_value():
    assert widget(int_field(99, 0) + field(98, b""))["spec"] == {}


def test_an_object_meta_field_is_read_whole_or_refused():
    meta = field(1, "w") + field(13, field(1, "Deployment") + field(3, "d") + int_field(6, 1))
    obj = protobuf.decode(envelope("test.example/v1", "Widget", field(1, meta)))
    assert obj["metadata"]["ownerReferences"] == [
        {"kind": "Deployment", "name": "d", "controller": True}
    ]
    assert OBJECT_META[17].kind == "ignored"  # managedFields are the server's, not the client's


def test_a_truncated_varint_is_a_bad_request():
    with pytest.raises(errors.StatusError) as caught:
        widget(varint(1 << 3) + b"\x80")
    assert caught.value.code == 400


def test_an_inline_message_is_written_into_its_parent():
    spec = field(4, "w") + field(11, field(1, "yes") + int_field(2, 80))
    assert widget(spec)["spec"] == {"name": "w", "http": "yes", "port": 80}
