"""TokenReviews: whom does a bearer token belong to? The server's authenticator answers.

The token is presented to the authenticator as the only credential of a request, so the
answer is the one a request bearing it would get: a user (with `system:authenticated` added),
or the authenticator's error.

Audiences: the token must be valid for one of `spec.audiences`, or of the API audiences
(`--api-audiences`) when the review names none; `status.audiences` says which. Service account
tokens are checked against their own `aud`; tokens of the authenticators that know no audiences
(static tokens, bootstrap tokens, ...) are valid for the API audiences only, as Kubernetes wraps
them.
"""

from __future__ import annotations

from typing import Any

from kube_apiserver.apimachinery import errors
from kube_apiserver.apis.resource import Resource
from kube_apiserver.authentication.interface import AuthenticationError, Authenticator, AuthRequest
from kube_apiserver.authentication.user import UserInfo
from kube_apiserver.authorization.interface import Authorizer
from kube_apiserver.registry.authorization.review import Obj, ReviewREST, answer
from kube_apiserver.serviceaccount.jwt import intersect
from kube_apiserver.serviceaccount.tokens import ServiceAccountTokens

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
        self.tokens: ServiceAccountTokens | None = None

    def attach_auth(self, authorizer: Authorizer, tokens: ServiceAccountTokens) -> None:
        """The token issuer: the API audiences, and the audiences of its tokens."""
        self.tokens = tokens

    async def review(self, obj: Obj, user: UserInfo | None) -> Obj:
        spec = obj.get("spec") if isinstance(obj.get("spec"), dict) else {}
        token = spec.get("token")
        if not token or not isinstance(token, str):
            raise errors.bad_request("token is required for TokenReview in authentication")
        api_audiences = self.tokens.api_audiences if self.tokens is not None else ()
        requested = tuple(spec.get("audiences") or ()) or api_audiences
        request = AuthRequest(headers={"authorization": "Bearer " + token}, audiences=requested)
        try:
            found = await self.authenticator.authenticate(request)
        except AuthenticationError as exc:
            return answer(obj, {"user": {}, "error": exc.reason})
        if found is None:
            return answer(obj, {"user": {}})
        status: dict[str, Any] = {"authenticated": True, "user": user_info(found)}
        if requested:
            audiences = self.tokens.audiences_of(token, requested) if self.tokens else None
            if audiences is None:  # an authenticator that knows no audiences accepted it
                audiences = intersect(api_audiences, requested)
            if not audiences:
                return answer(obj, {"user": {}, "error": INVALID_TOKEN})
            status["audiences"] = list(audiences)
        return answer(obj, status)
