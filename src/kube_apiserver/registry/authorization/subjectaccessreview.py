"""Access reviews: may a user (SubjectAccessReview, LocalSubjectAccessReview) or the requester
(SelfSubjectAccessReview) do something? The server's authorizer answers.

An empty API version matches every version, as Kubernetes fills in "*". Selectors in the
resource attributes are not used by this server's authorizers, but ones that cannot be parsed
are reported in `status.evaluationError`, as Kubernetes reports them.
"""

from __future__ import annotations

from typing import Any

from kube_apiserver.apis.authorization import validation
from kube_apiserver.apis.meta import fields as field_selectors
from kube_apiserver.apis.meta import labels as label_selectors
from kube_apiserver.apis.meta.unstructured import get_dict, get_dicts, get_str
from kube_apiserver.apis.resource import Resource
from kube_apiserver.authentication.interface import Authenticator
from kube_apiserver.authentication.user import UserInfo
from kube_apiserver.authorization.interface import (
    Attributes,
    Authorizer,
    AuthorizerError,
    Decision,
)
from kube_apiserver.registry.authorization.review import Obj, ReviewREST, answer

_FIELD_OPERATORS = ("In", "NotIn")
_LABEL_OPERATORS = ("In", "NotIn", "Exists", "DoesNotExist")


def attributes(user: UserInfo, spec: Obj) -> Attributes:
    """What the review asks about, as the authorizer sees a request."""
    resource = spec.get("resourceAttributes")
    if isinstance(resource, dict):
        return Attributes(
            user=user,
            verb=get_str(resource, "verb"),
            resource_request=True,
            namespace=get_str(resource, "namespace"),
            api_group=get_str(resource, "group"),
            api_version=get_str(resource, "version") or "*",
            resource=get_str(resource, "resource"),
            subresource=get_str(resource, "subresource"),
            name=get_str(resource, "name"),
        )
    non_resource = get_dict(spec, "nonResourceAttributes")
    return Attributes(
        user=user,
        verb=get_str(non_resource, "verb"),
        resource_request=False,
        path=get_str(non_resource, "path"),
    )


def _requirement_problem(requirement: Obj, *, labels: bool) -> bool:
    operator = get_str(requirement, "operator")
    if labels:
        return operator not in _LABEL_OPERATORS
    return operator not in _FIELD_OPERATORS or len(requirement.get("values") or []) != 1


def _selector_problem(selector: Any, *, labels: bool) -> str:
    """ "ignored", "partially ignored" or "" for a selector in the resource attributes."""
    if not isinstance(selector, dict):
        return ""
    requirements = get_dicts(selector, "requirements")
    if requirements:
        bad = sum(_requirement_problem(r, labels=labels) for r in requirements)
        return "" if not bad else "partially ignored" if bad < len(requirements) else "ignored"
    raw = get_str(selector, "rawSelector")
    try:
        if labels:
            label_selectors.parse_label_selector(raw)
        else:
            field_selectors.parse_field_selector(raw)
    except (label_selectors.SelectorError, field_selectors.SelectorError):
        return "ignored"
    return ""


def evaluation_error(spec: Obj, error: str = "") -> str:
    messages = [error] if error else []
    resource = get_dict(spec, "resourceAttributes")
    for key, labels in (("fieldSelector", False), ("labelSelector", True)):
        problem = _selector_problem(resource.get(key), labels=labels)
        if problem:
            messages.append(f"spec.resourceAttributes.{key} {problem} due to parse error")
    return "; ".join(messages)


async def review_status(authorizer: Authorizer, attrs: Attributes, spec: Obj) -> Obj:
    failure = ""
    try:
        decision, reason = await authorizer.authorize(attrs)
    except AuthorizerError as err:
        decision, reason, failure = err.decision, err.reason, err.error
    status: Obj = {"allowed": decision is Decision.ALLOW}
    if decision is Decision.DENY:
        status["denied"] = True
    if reason:
        status["reason"] = reason
    if error := evaluation_error(spec, failure):
        status["evaluationError"] = error
    return status


def _subject(spec: Obj) -> UserInfo:
    extra = get_dict(spec, "extra")
    return UserInfo(
        name=get_str(spec, "user"),
        uid=get_str(spec, "uid"),
        groups=tuple(g for g in spec.get("groups") or [] if isinstance(g, str)),
        extra={k: tuple(v or []) for k, v in extra.items()},
    )


class SubjectAccessReviewREST(ReviewREST):
    def __init__(
        self, resource: Resource, authenticator: Authenticator, authorizer: Authorizer
    ) -> None:
        super().__init__(resource)
        self.authorizer = authorizer

    def validate(self, obj: Obj) -> list[Any]:
        return validation.validate_subject_access_review(obj)

    async def review(self, obj: Obj, user: UserInfo | None) -> Obj:
        self.check(self.validate(obj))
        spec = get_dict(obj, "spec")
        return answer(
            obj, await review_status(self.authorizer, attributes(_subject(spec), spec), spec)
        )


class LocalSubjectAccessReviewREST(SubjectAccessReviewREST):
    def validate(self, obj: Obj) -> list[Any]:
        return validation.validate_local_subject_access_review(obj)


class SelfSubjectAccessReviewREST(SubjectAccessReviewREST):
    async def review(self, obj: Obj, user: UserInfo | None) -> Obj:
        self.check(validation.validate_self_subject_access_review(obj))
        spec = get_dict(obj, "spec")
        subject = user or UserInfo(name="")
        return answer(obj, await review_status(self.authorizer, attributes(subject, spec), spec))
