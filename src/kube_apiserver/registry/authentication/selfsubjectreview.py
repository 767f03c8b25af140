"""SelfSubjectReviews: who am I? The answer is the requesting user, after impersonation
(`kubectl auth whoami`), in a fresh object stamped with the time it was made."""

from __future__ import annotations

from kube_apiserver.apis.resource import Resource
from kube_apiserver.authentication.interface import Authenticator
from kube_apiserver.authentication.user import UserInfo
from kube_apiserver.authorization.interface import Authorizer
from kube_apiserver.registry.authentication.tokenreview import user_info
from kube_apiserver.registry.authorization.review import Obj, ReviewREST
from kube_apiserver.registry.rest import now_rfc3339


class SelfSubjectReviewREST(ReviewREST):
    def __init__(
        self, resource: Resource, authenticator: Authenticator, authorizer: Authorizer
    ) -> None:
        super().__init__(resource)

    async def review(self, obj: Obj, user: UserInfo | None) -> Obj:
        return {
            "kind": obj["kind"],
            "apiVersion": obj["apiVersion"],
            "metadata": {"creationTimestamp": now_rfc3339()},
            "status": {"userInfo": user_info(user or UserInfo(name=""))},
        }
