"""Request-header (front proxy) authentication: whose certificate makes the headers count, and
how the headers are read."""

from __future__ import annotations

import asyncio
import datetime
from pathlib import Path

import pytest

from client_certs import Pair, issue, new_ca
from kube_apiserver.authentication.interface import AuthenticationError, AuthRequest
from kube_apiserver.authentication.request_header import RequestHeaderAuthenticator, from_options
from kube_apiserver.authentication.union import UnionAuthenticator
from kube_apiserver.authentication.user import UserInfo
from kube_apiserver.authentication.x509 import CABundle, X509Authenticator
from kube_apiserver.cmd.options.authentication import AuthenticationOptions

CLIENT_CA = new_ca("kubernetes")
PROXY_CA = new_ca("front-proxy-ca")
PROXY = issue(PROXY_CA, "front-proxy-client")
ALICE_CERT = issue(CLIENT_CA, "alice", ["dev"])


def front_proxy(
    allowed_names: tuple[str, ...] = ("front-proxy-client",),
) -> RequestHeaderAuthenticator:
    return RequestHeaderAuthenticator(
        CABundle([PROXY_CA.cert]),
        allowed_names=allowed_names,
        username_headers=["X-Remote-User"],
        uid_headers=["X-Remote-Uid"],
        group_headers=["X-Remote-Group"],
        extra_prefixes=["X-Remote-Extra-"],
    )


def request(cert: Pair | None, *lines: tuple[str, str]) -> AuthRequest:
    """A request as the authentication filter builds it: header lines, their joined view, a cert."""
    raw = [(name.lower().encode(), value.encode()) for name, value in lines]
    joined: dict[str, str] = {}
    for name, value in lines:
        key = name.lower()
        joined[key] = joined[key] + "," + value if key in joined else value
    peer = {} if cert is None else {"subject": ()}
    return AuthRequest(joined, peer, cert and cert.der, raw_headers=raw)


def authenticate(authenticator, req: AuthRequest) -> UserInfo | None:
    return asyncio.run(authenticator.authenticate(req))


def refusal(authenticator, req: AuthRequest) -> str:
    with pytest.raises(AuthenticationError) as err:
        authenticate(authenticator, req)
    return err.value.reason


def test_an_allowed_proxy_names_the_user_uid_groups_and_extra() -> None:
    req = request(
        PROXY,
        ("X-Remote-User", "alice"),
        ("X-Remote-Uid", "42"),
        ("X-Remote-Group", "dev"),
        ("X-Remote-Group", "ops,qa"),
        ("X-Remote-Extra-Scopes", "read"),
        ("X-Remote-Extra-Scopes", "write"),
        ("X-Remote-Extra-Acme.com%2Fproject", "p1"),
    )
    assert authenticate(front_proxy(), req) == UserInfo(
        name="alice",
        uid="42",
        # One group per header line: a comma belongs to the group's name.
        groups=("dev", "ops,qa"),
        extra={"scopes": ("read", "write"), "acme.com/project": ("p1",)},
    )


def test_without_allowed_names_any_certificate_of_the_proxy_ca_may_speak() -> None:
    other = issue(PROXY_CA, "another-proxy")
    user = authenticate(front_proxy(allowed_names=()), request(other, ("X-Remote-User", "bob")))
    assert user == UserInfo(name="bob")


def test_a_proxy_whose_cn_is_not_allowed_is_refused() -> None:
    other = issue(PROXY_CA, "another-proxy")
    reason = refusal(front_proxy(), request(other, ("X-Remote-User", "bob")))
    assert reason == "x509: subject with cn=another-proxy is not in the allowed list"


def test_a_certificate_from_another_ca_is_refused_even_with_an_allowed_cn() -> None:
    # Same CN, same CA name, another key: only the signature tells it apart.
    impostor = issue(new_ca("front-proxy-ca"), "front-proxy-client")
    for cert in (impostor, ALICE_CERT):
        reason = refusal(front_proxy(), request(cert, ("X-Remote-User", "admin")))
        assert reason == "x509: certificate signed by unknown authority"


def test_an_expired_proxy_certificate_is_refused() -> None:
    now = datetime.datetime.now(datetime.UTC)
    expired = issue(
        PROXY_CA,
        "front-proxy-client",
        not_before=now - datetime.timedelta(hours=2),
        not_after=now - datetime.timedelta(minutes=1),
    )
    reason = refusal(front_proxy(), request(expired, ("X-Remote-User", "alice")))
    assert reason.startswith("x509: certificate has expired or is not yet valid")


def test_headers_without_a_client_certificate_are_no_credential() -> None:
    assert authenticate(front_proxy(), request(None, ("X-Remote-User", "admin"))) is None


def test_a_proxy_request_naming_no_user_is_no_credential() -> None:
    req = request(PROXY, ("X-Remote-Group", "system:masters"), ("X-Remote-User", ""))
    assert authenticate(front_proxy(), req) is None
    assert req.headers == {"x-remote-group": "system:masters", "x-remote-user": ""}


def test_the_user_is_the_first_value_of_the_first_username_header_that_has_one() -> None:
    authenticator = RequestHeaderAuthenticator(
        CABundle([PROXY_CA.cert]), username_headers=["X-User", "X-Remote-User"]
    )
    req = request(PROXY, ("X-Remote-User", "second"), ("X-User", ""), ("X-Remote-User", "third"))
    assert authenticate(authenticator, req) == UserInfo(name="second")
    req = request(PROXY, ("X-Remote-User", "later"), ("X-User", "first"))
    assert authenticate(authenticator, req) == UserInfo(name="first")


def test_header_names_match_case_insensitively_and_extra_keys_are_lower_cased() -> None:
    req = request(
        PROXY,
        ("x-REMOTE-user", "alice"),
        ("X-REMOTE-GROUP", "dev"),
        ("X-Remote-Group", ""),  # empty groups are skipped
        ("X-Remote-Extra-Team-Name", "Blue"),
        ("X-Remote-Extra-Bad%zzEscape", "kept"),
        ("X-Remote-Extra-Empty", ""),
    )
    assert authenticate(front_proxy(), req) == UserInfo(
        name="alice",
        groups=("dev",),
        # A key that is not valid %-encoding is kept as sent; extra values may be empty.
        extra={"team-name": ("Blue",), "bad%zzescape": ("kept",), "empty": ("",)},
    )


def test_the_headers_that_made_the_user_are_removed_and_others_kept() -> None:
    req = request(
        PROXY,
        ("X-Remote-User", "alice"),
        ("Accept", "application/json"),
        ("X-Remote-Group", "dev"),
        ("X-Remote-Extra-Scopes", "read"),
        ("Impersonate-User", "bob"),
    )
    assert authenticate(front_proxy(), req) is not None
    assert req.raw_headers == [(b"accept", b"application/json"), (b"impersonate-user", b"bob")]
    assert req.headers == {"accept": "application/json", "impersonate-user": "bob"}


def test_a_refused_proxy_keeps_its_headers() -> None:
    req = request(issue(PROXY_CA, "another-proxy"), ("X-Remote-User", "alice"))
    refusal(front_proxy(), req)
    assert req.headers == {"x-remote-user": "alice"}


def union(anonymous: bool = True) -> UnionAuthenticator:
    client_ca = CABundle([CLIENT_CA.cert])
    return UnionAuthenticator([front_proxy(), X509Authenticator(client_ca)], anonymous=anonymous)


def test_a_normal_client_certificate_ignores_front_proxy_headers() -> None:
    req = request(ALICE_CERT, ("X-Remote-User", "admin"), ("X-Remote-Group", "system:masters"))
    user = authenticate(union(), req)
    assert user is not None and (user.name, user.groups) == (
        "alice",
        ("dev", "system:authenticated"),
    )
    # Nothing was trusted, so nothing was removed.
    assert "x-remote-user" in req.headers


def test_a_proxy_certificate_naming_nobody_is_not_a_client_certificate_user() -> None:
    # The proxy CA is not the client CA: without a user header the proxy is nobody, and a
    # presented certificate that nothing accepts fails the request rather than going anonymous.
    reason = refusal(union(), request(PROXY))
    assert reason.startswith("verifying certificate SN=")
    assert reason.endswith("failed: x509: certificate signed by unknown authority")


def test_front_proxy_users_are_authenticated() -> None:
    user = authenticate(union(), request(PROXY, ("X-Remote-User", "alice")))
    assert user == UserInfo(name="alice", groups=("system:authenticated",))


def test_only_requests_without_header_credentials_are_answered_per_connection() -> None:
    authenticator = union()
    assert authenticator.per_connection({"accept": "*/*"})
    for headers in (
        {"x-remote-user": "alice"},
        {"x-remote-group": "dev"},
        {"x-remote-uid": "1"},
        {"x-remote-extra-scopes": "read"},
        {"authorization": "Bearer x"},
    ):
        assert not authenticator.per_connection(headers), headers
    assert UnionAuthenticator([], anonymous=True).per_connection({"x-remote-user": "alice"})


def test_the_authenticator_exists_only_with_a_request_header_ca(tmp_path: Path) -> None:
    assert from_options(AuthenticationOptions()) == []
    ca_file = PROXY_CA.write(tmp_path, "front-proxy-ca")[0]
    opts = AuthenticationOptions(
        requestheader_client_ca_file=str(ca_file),
        requestheader_allowed_names=["front-proxy-client"],
        requestheader_username_headers=["X-Remote-User"],
    )
    [authenticator] = from_options(opts)
    assert authenticate(authenticator, request(PROXY, ("X-Remote-User", "x"))) == UserInfo("x")
