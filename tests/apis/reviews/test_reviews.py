"""The review kinds answered without a server: authorizer decisions, rules, users and tokens."""

from __future__ import annotations

import asyncio

import pytest

from kube_apiserver.apimachinery import errors
from kube_apiserver.apis.authentication import resources as authentication
from kube_apiserver.apis.authorization import resources as authorization
from kube_apiserver.authentication.token_file import TokenFileAuthenticator
from kube_apiserver.authentication.union import UnionAuthenticator
from kube_apiserver.authentication.user import UserInfo
from kube_apiserver.authorization.alwaysallow import AlwaysAllowAuthorizer
from kube_apiserver.authorization.alwaysdeny import AlwaysDenyAuthorizer
from kube_apiserver.authorization.union import UnionAuthorizer
from kube_apiserver.registry.authentication.selfsubjectreview import SelfSubjectReviewREST
from kube_apiserver.registry.authentication.tokenreview import TokenReviewREST
from kube_apiserver.registry.authorization.selfsubjectrulesreview import SelfSubjectRulesReviewREST
from kube_apiserver.registry.authorization.subjectaccessreview import (
    LocalSubjectAccessReviewREST,
    SelfSubjectAccessReviewREST,
    SubjectAccessReviewREST,
)

ALICE = UserInfo("alice", "uid-1", ("devs", "system:authenticated"), {"team": ("a",)})
ADMIN = UserInfo("admin", groups=("system:masters",))
AUTHN = UnionAuthenticator(
    [TokenFileAuthenticator({"tok": UserInfo("bob", "u2", ("qa",))})], anonymous=True
)
ALLOW = UnionAuthorizer([AlwaysAllowAuthorizer()])
DENY = UnionAuthorizer([AlwaysDenyAuthorizer()])


def create(rest, obj: dict, *, namespace: str = "", user: UserInfo | None = ALICE) -> dict:
    return asyncio.run(rest.create(namespace, obj, user=user))


def review(kind: str, group: str, spec: dict, **meta) -> dict:
    return {"kind": kind, "apiVersion": f"{group}/v1", "metadata": dict(meta), "spec": spec}


def ssar(spec: dict) -> dict:
    return review("SelfSubjectAccessReview", "authorization.k8s.io", spec)


CREATE_PODS = {"resourceAttributes": {"namespace": "default", "verb": "create", "resource": "pods"}}


def test_self_subject_access_review_asks_the_authorizer_about_the_requester():
    allowed = create(
        SelfSubjectAccessReviewREST(authorization.selfsubjectaccessreviews, AUTHN, ALLOW),
        ssar(CREATE_PODS),
    )
    assert allowed["status"] == {"allowed": True}
    assert allowed["metadata"] == {"creationTimestamp": None}
    assert allowed["spec"] == CREATE_PODS
    denied = create(
        SelfSubjectAccessReviewREST(authorization.selfsubjectaccessreviews, AUTHN, DENY),
        ssar(CREATE_PODS),
    )
    assert denied["status"] == {"allowed": False, "reason": "Everything is forbidden."}
    admin = create(
        SelfSubjectAccessReviewREST(authorization.selfsubjectaccessreviews, AUTHN, DENY),
        ssar(CREATE_PODS),
        user=ADMIN,
    )
    assert admin["status"] == {"allowed": True}


def test_subject_access_review_asks_about_the_named_subject():
    rest = SubjectAccessReviewREST(authorization.subjectaccessreviews, AUTHN, DENY)
    spec = {**CREATE_PODS, "user": "root", "groups": ["system:masters"]}
    out = create(rest, review("SubjectAccessReview", "authorization.k8s.io", spec), user=None)
    assert out["status"] == {"allowed": True}


def test_an_invalid_review_is_422_naming_no_object():
    rest = SubjectAccessReviewREST(authorization.subjectaccessreviews, AUTHN, ALLOW)
    with pytest.raises(errors.StatusError) as caught:
        create(rest, review("SubjectAccessReview", "authorization.k8s.io", CREATE_PODS))
    assert caught.value.code == 422
    assert caught.value.message == (
        'SubjectAccessReview.authorization.k8s.io "" is invalid: '
        'spec.user: Invalid value: "": at least one of user or group must be specified'
    )


def test_a_local_review_takes_its_namespace_from_the_request():
    rest = LocalSubjectAccessReviewREST(authorization.localsubjectaccessreviews, AUTHN, ALLOW)
    spec = {**CREATE_PODS, "user": "alice"}
    out = create(
        rest, review("LocalSubjectAccessReview", "authorization.k8s.io", spec), namespace="default"
    )
    assert out["metadata"] == {"namespace": "default", "creationTimestamp": None}
    assert out["status"] == {"allowed": True}
    with pytest.raises(errors.StatusError) as caught:
        create(
            rest,
            review("LocalSubjectAccessReview", "authorization.k8s.io", spec, namespace="x"),
            namespace="default",
        )
    assert caught.value.code == 400


def test_unparsable_selectors_are_reported_as_evaluation_errors():
    spec = {
        "resourceAttributes": {
            "verb": "list",
            "resource": "pods",
            "fieldSelector": {"rawSelector": "a"},
        }
    }
    out = create(
        SelfSubjectAccessReviewREST(authorization.selfsubjectaccessreviews, AUTHN, ALLOW),
        ssar(spec),
    )
    assert out["status"] == {
        "allowed": True,
        "evaluationError": "spec.resourceAttributes.fieldSelector ignored due to parse error",
    }


def test_rules_reviews_list_what_the_authorizer_allows():
    rest = SelfSubjectRulesReviewREST(authorization.selfsubjectrulesreviews, AUTHN, ALLOW)
    out = create(
        rest, review("SelfSubjectRulesReview", "authorization.k8s.io", {"namespace": "default"})
    )
    assert out["spec"] == {}
    assert out["status"] == {
        "resourceRules": [{"verbs": ["*"], "apiGroups": ["*"], "resources": ["*"]}],
        "nonResourceRules": [{"verbs": ["*"], "nonResourceURLs": ["*"]}],
        "incomplete": False,
    }
    deny = SelfSubjectRulesReviewREST(authorization.selfsubjectrulesreviews, AUTHN, DENY)
    out = create(
        deny, review("SelfSubjectRulesReview", "authorization.k8s.io", {"namespace": "default"})
    )
    assert out["status"] == {"resourceRules": [], "nonResourceRules": [], "incomplete": False}
    with pytest.raises(errors.StatusError) as caught:
        create(rest, review("SelfSubjectRulesReview", "authorization.k8s.io", {}))
    assert (caught.value.code, caught.value.message) == (400, "no namespace on request")


def test_self_subject_review_answers_with_the_requester():
    rest = SelfSubjectReviewREST(authentication.selfsubjectreviews, AUTHN, ALLOW)
    out = create(
        rest,
        {"kind": "SelfSubjectReview", "apiVersion": "authentication.k8s.io/v1", "metadata": {}},
    )
    assert out["status"] == {
        "userInfo": {
            "username": "alice",
            "uid": "uid-1",
            "groups": ["devs", "system:authenticated"],
            "extra": {"team": ["a"]},
        }
    }
    assert out["metadata"]["creationTimestamp"]


def token_review(spec: dict) -> dict:
    return review("TokenReview", "authentication.k8s.io", spec)


def test_token_review_authenticates_the_token():
    rest = TokenReviewREST(authentication.tokenreviews, AUTHN, ALLOW)
    good = create(rest, token_review({"token": "tok"}))
    assert good["status"] == {
        "authenticated": True,
        "user": {"username": "bob", "uid": "u2", "groups": ["qa", "system:authenticated"]},
    }
    assert good["spec"] == {"token": "tok"}
    bad = create(rest, token_review({"token": "nope"}))
    assert bad["status"] == {"user": {}, "error": "invalid bearer token"}
    audiences = create(rest, token_review({"token": "tok", "audiences": ["vault"]}))
    assert audiences["status"] == {"user": {}, "error": "invalid bearer token"}
    with pytest.raises(errors.StatusError) as caught:
        create(rest, token_review({}))
    assert caught.value.message == "token is required for TokenReview in authentication"


def test_the_union_joins_its_members_rules():
    rules = asyncio.run(
        UnionAuthorizer([AlwaysDenyAuthorizer(), AlwaysAllowAuthorizer()]).rules_for(ALICE, "ns")
    )
    assert len(rules.resource) == 1 and len(rules.non_resource) == 1 and not rules.incomplete
