"""SelfSubjectRulesReviews: what may the requester do in a namespace, as the authorizer lists it.

The answer is a fresh object: Kubernetes sends back the status alone, with an empty spec.
"""

from __future__ import annotations

from kube_apiserver.apimachinery import errors
from kube_apiserver.apis.resource import Resource
from kube_apiserver.authentication.interface import Authenticator
from kube_apiserver.authentication.user import UserInfo
from kube_apiserver.authorization.interface import (
    Authorizer,
    NonResourceRule,
    ResourceRule,
    RuleResolver,
    Rules,
)
from kube_apiserver.registry.authorization.review import Obj, ReviewREST


def _resource_rule(rule: ResourceRule) -> Obj:
    out: Obj = {"verbs": list(rule.verbs)}
    for key, values in (
        ("apiGroups", rule.api_groups),
        ("resources", rule.resources),
        ("resourceNames", rule.resource_names),
    ):
        if values:
            out[key] = list(values)
    return out


def _non_resource_rule(rule: NonResourceRule) -> Obj:
    out: Obj = {"verbs": list(rule.verbs)}
    if rule.non_resource_urls:
        out["nonResourceURLs"] = list(rule.non_resource_urls)
    return out


class SelfSubjectRulesReviewREST(ReviewREST):
    def __init__(
        self, resource: Resource, authenticator: Authenticator, authorizer: Authorizer
    ) -> None:
        super().__init__(resource)
        self.authorizer = authorizer

    async def review(self, obj: Obj, user: UserInfo | None) -> Obj:
        namespace = (obj.get("spec") or {}).get("namespace")
        if not namespace or not isinstance(namespace, str):
            raise errors.bad_request("no namespace on request")
        subject = user or UserInfo(name="")
        # An authorizer that cannot list its rules leaves the answer incomplete.
        if isinstance(self.authorizer, RuleResolver):
            rules = await self.authorizer.rules_for(subject, namespace)
        else:
            rules = Rules(incomplete=True)
        status: Obj = {
            "resourceRules": [_resource_rule(r) for r in rules.resource],
            "nonResourceRules": [_non_resource_rule(r) for r in rules.non_resource],
            "incomplete": rules.incomplete,
        }
        if rules.error:
            status["evaluationError"] = rules.error
        return {
            "kind": obj["kind"],
            "apiVersion": obj["apiVersion"],
            "metadata": {"creationTimestamp": None},
            "spec": {},
            "status": status,
        }
