"""Protobuf request bodies of the review kinds, as client-go (kubectl auth) encodes them."""

from __future__ import annotations

from pathlib import Path

import pytest

from kube_apiserver.apimachinery import errors, protobuf
from kube_apiserver.apis.authentication import protobuf as authentication
from kube_apiserver.apis.authorization import protobuf as authorization
from protobuf_wire import envelope, field, varint

authentication.register_messages()
authorization.register_messages()


def test_a_self_subject_access_review_reads_as_its_json_form():
    attrs = field(1, "default") + field(2, "create") + field(3, "") + field(5, "pods")
    meta = field(8, b"")  # an unset creation time is an empty message
    raw = field(1, meta) + field(2, field(1, attrs)) + field(3, varint(1 << 3) + b"\x00")
    obj = protobuf.decode(envelope("authorization.k8s.io/v1", "SelfSubjectAccessReview", raw))
    assert obj == {
        "apiVersion": "authorization.k8s.io/v1",
        "kind": "SelfSubjectAccessReview",
        "metadata": {"creationTimestamp": None},
        "spec": {
            "resourceAttributes": {"namespace": "default", "verb": "create", "resource": "pods"}
        },
    }


def test_maps_and_repeated_fields():
    extra = field(1, "team") + field(2, field(1, "a") + field(1, "b"))
    spec = field(3, "alice") + field(4, "g1") + field(4, "g2") + field(5, extra)
    obj = protobuf.decode(
        envelope("authorization.k8s.io/v1", "SubjectAccessReview", field(2, spec))
    )
    assert obj["spec"] == {
        "user": "alice",
        "groups": ["g1", "g2"],
        "extra": {"team": ["a", "b"]},
    }


def test_a_kind_without_a_description_is_not_read():
    assert protobuf.decode(envelope("example.com/v1", "Gadget", b"")) is None


def test_a_body_without_the_envelope_is_not_read():
    assert protobuf.decode(b"{}") is None


def test_a_truncated_body_is_a_bad_request():
    body = envelope("authorization.k8s.io/v1", "SelfSubjectAccessReview", field(2, b"x"))[:-3]
    with pytest.raises(errors.StatusError) as caught:
        protobuf.decode(body)
    assert caught.value.code == 400


def test_a_token_request_as_kubectl_1_33_create_token_sends_it():
    # Captured from `kubectl create token reader -n team --audience=vault --audience=api
    # --duration=2h --bound-object-kind=Pod --bound-object-name=web --bound-object-uid=1234`.
    fixture = Path(__file__).parents[2] / "apimachinery/fixtures/protobuf/tokenrequest.pb"
    assert protobuf.decode(fixture.read_bytes()) == {
        "apiVersion": "authentication.k8s.io/v1",
        "kind": "TokenRequest",
        "metadata": {"creationTimestamp": None},
        "spec": {
            "audiences": ["vault", "api"],
            "expirationSeconds": 7200,
            "boundObjectRef": {"kind": "Pod", "apiVersion": "v1", "name": "web", "uid": "1234"},
        },
    }
