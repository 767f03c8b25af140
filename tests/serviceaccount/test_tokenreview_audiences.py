"""TokenReview's audiences: `spec.audiences` (else the API audiences) against service account
tokens' own audiences, and against tokens of authenticators that know no audiences."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

from kube_apiserver.apis.authentication import resources
from kube_apiserver.authentication.token_file import TokenFileAuthenticator
from kube_apiserver.authentication.union import UnionAuthenticator
from kube_apiserver.authentication.user import UserInfo
from kube_apiserver.registry.authentication.tokenreview import TokenReviewREST
from kube_apiserver.serviceaccount import claims as saclaims
from serviceaccount.world import ISSUER, service_account, world


def review(token: str, audiences: list[str] | None = None) -> dict[str, Any]:
    spec: dict[str, Any] = {"token": token}
    if audiences is not None:
        spec["audiences"] = audiences
    return {
        "kind": "TokenReview",
        "apiVersion": "authentication.k8s.io/v1",
        "metadata": {},
        "spec": spec,
    }


def statuses(tmp_path: Path, cases: list[tuple[str, list[str] | None]]) -> list[dict[str, Any]]:
    """The review status of each (token, audiences); "sa:<aud,...>" names a fresh service account
    token for those audiences, anything else is used as is."""

    async def main() -> list[dict[str, Any]]:
        async with world(tmp_path, api_audiences=[ISSUER, "api"]) as w:
            sa = await w.create("serviceaccounts", "team", service_account())
            authenticator = UnionAuthenticator(
                [TokenFileAuthenticator({"static": UserInfo("alice")}), *w.tokens.authenticators()],
                anonymous=True,
            )
            rest = TokenReviewREST(resources.tokenreviews, authenticator, None)  # type: ignore[arg-type]
            rest.attach_auth(None, w.tokens)  # type: ignore[arg-type]
            out = []
            for token, audiences in cases:
                if token.startswith("sa:"):
                    claims = saclaims.bound_claims(
                        sa,
                        audiences=token[3:].split(","),
                        expiration_seconds=600,
                        now=int(time.time()),
                    )
                    token = w.tokens.issue(claims)
                answer = await rest.create("", review(token, audiences))
                out.append(answer["status"])
            return out

    return asyncio.run(main())


def test_review_audiences(tmp_path: Path) -> None:
    results = statuses(
        tmp_path,
        [
            (f"sa:{ISSUER}", None),  # the API audiences
            ("sa:vault,api", ["vault", "other"]),
            ("sa:vault", None),
            ("sa:vault", ["other"]),
            ("static", None),
            ("static", ["api", "vault"]),
            ("static", ["vault"]),
        ],
    )
    assert [r.get("audiences") for r in results[:2]] == [[ISSUER], ["vault"]]
    assert all(r["authenticated"] for r in results[:2])
    # (The static token file rejects service account tokens too: the union reports both.)
    assert results[2]["user"] == {} and "authenticated" not in results[2]
    assert (
        f'token audiences ["vault"] is invalid for the target audiences ["{ISSUER}" "api"]'
        in results[2]["error"]
    )
    assert (
        'token audiences ["vault"] is invalid for the target audiences ["other"]'
        in (results[3]["error"])
    )
    assert results[4]["audiences"] == [ISSUER, "api"] and results[4]["user"]["username"] == "alice"
    assert results[5]["audiences"] == ["api"]
    assert results[6] == {"user": {}, "error": "invalid bearer token"}
