"""TokenReviews: whom does a bearer token belong to? The server's authenticator answers.

The token is presented to the authenticator as the only credential of a request, so the
answer is the one a request bearing it would get: a user (with `system:authenticated` added),
or the authenticator's error. This server has no API audiences (`--api-audiences`), and its
token authenticators accept no audience a review could name, so a review that names
audiences is answered as for an unknown token.
"""

from __future__ import annotations

from typing import Any

from kube_apiserver.apimachinery import errors
from kube_apiserver.apis.resource import Resource
from kube_apiserver.authentication.interface import AuthenticationError, Authenticator, AuthRequest
from kube_apiserver.authentication.user import UserInfo
from kube_apiserver.authorization.interface import Authorizer
from kube_apiserver.registry.authorization.review import Obj, ReviewREST, answer

INVALID_TOKEN = "invalid bearer token"


def user_info(user: UserInfo) -> Obj:
    """authentication/v1 UserInfo; empty fields are left out, as Kubernetes omits them."""
    out: Obj = {}
    if user.name:
        out["username"] = user.name
    if user.uid:
        out["uid"] = user.uid
    if user.groups:
        out["groups"] = list(user.groups)
    if user.extra:
        out["extra"] = {key: list(values) for key, values in user.extra.items()}
    return out


class TokenReviewREST(ReviewREST):
    def __init__(
        self, resource: Resource, authenticator: Authenticator, authorizer: Authorizer
    ) -> None:
        super().__init__(resource)
        self.authenticator = authenticator

    async def review(self, obj: Obj, user: UserInfo | None) -> Obj:
        spec = obj.get("spec") if isinstance(obj.get("spec"), dict) else {}
        token = spec.get("token")
        if not token or not isinstance(token, str):
            raise errors.bad_request("token is required for TokenReview in authentication")
        if spec.get("audiences"):
            return answer(obj, {"user": {}, "error": INVALID_TOKEN})
        request = AuthRequest(headers={"authorization": "Bearer " + token})
        try:
            found = await self.authenticator.authenticate(request)
        except AuthenticationError as exc:
            return answer(obj, {"user": {}, "error": exc.reason})
        status: dict[str, Any] = {"user": {}}
        if found is not None:
            status = {"authenticated": True, "user": user_info(found)}
        return answer(obj, status)
