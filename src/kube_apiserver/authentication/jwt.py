"""JWT authenticators: OpenID Connect ID tokens from the issuers of `--authentication-config`, or
the one issuer of the legacy `--oidc-*` flags (which kube-apiserver turns into the same
configuration, and so does `config.from_oidc_flags`).

A bearer token is looked at only when it is a compact JWT whose (still unverified) `iss` names one
of our issuers; anything else is None, so the other token authenticators get their turn. A token
of ours that fails any check is an AuthenticationError whose reason, worded as kube-apiserver's
OIDC authenticator words it, is only logged. The checks, in Kubernetes' order: the signing
algorithm is allowed, the signature verifies with a key of the issuer, `iss`, `aud` (any of the
audiences), `exp` (required, no leeway) and `nbf` (a minute of leeway); then the claim mappings
(username, groups, uid, extra), the required claims, the claim validation rules and the user
validation rules.

One object serves every issuer: the token is decoded once and the issuer found by a dictionary
lookup, however many issuers are configured.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from kube_apiserver.authentication import cel
from kube_apiserver.authentication import config as authn_config
from kube_apiserver.authentication.config_validation import (
    CompiledRules,
    validate_configuration,
)
from kube_apiserver.authentication.interface import AuthenticationError, Authenticator, AuthRequest
from kube_apiserver.authentication.oidc_provider import NotReady, Provider, SignatureError
from kube_apiserver.authentication.token_file import bearer_token
from kube_apiserver.authentication.user import CREDENTIAL_ID_KEY, UserInfo
from kube_apiserver.cmd.options.authentication import AuthenticationOptions

# The JOSE algorithms kube-apiserver accepts (asymmetric only: a shared secret would let anyone
# who can verify a token also mint one).
ALLOWED_ALGORITHMS = (
    "ES256", "ES384", "ES512", "PS256", "PS384", "PS512", "RS256", "RS384", "RS512",
)  # fmt: skip
NOT_BEFORE_LEEWAY_SECONDS = 60


class IssuerAuthenticator:
    """Verifies the tokens of one issuer and maps their claims to a user."""

    def __init__(
        self,
        spec: authn_config.JWTAuthenticator,
        rules: CompiledRules,
        *,
        algorithms: Sequence[str],
        provider: Provider,
    ) -> None:
        self.url = spec.issuer.url
        self._audiences = frozenset(spec.issuer.audiences)
        self._algorithms = frozenset(algorithms)
        self._provider = provider
        mappings = spec.claim_mappings
        self._username_claim = mappings.username.claim
        self._username_prefix = mappings.username.prefix or ""
        self._groups_claim = mappings.groups.claim
        self._groups_prefix = mappings.groups.prefix or ""
        self._uid_claim = mappings.uid.claim
        self._required = {r.claim: r.required_value for r in spec.claim_validation_rules if r.claim}
        self._rules = rules
        # Converting claims for CEL costs; only do it when some expression reads them.
        self._uses_claims_cel = bool(
            rules.username or rules.groups or rules.uid or rules.extra or rules.claim_rules
        )

    async def authenticate_token(self, token: ParsedToken) -> UserInfo:
        algorithm = token.header.get("alg")
        if not isinstance(algorithm, str) or algorithm not in self._algorithms:
            raise AuthenticationError(
                "oidc: verify token: oidc: id token signed with unsupported algorithm, expected "
                f"{_q(sorted(self._algorithms))} got {_q(algorithm)}"
            )
        kid = token.header.get("kid")
        try:
            signature = token.signature
        except binascii.Error:
            raise AuthenticationError("oidc: verify token: oidc: malformed jwt signature") from None
        try:
            await self._provider.verify(
                token.signing_input, signature, algorithm, kid if isinstance(kid, str) else None
            )
        except NotReady as err:
            raise AuthenticationError(str(err)) from None
        except SignatureError as err:
            raise AuthenticationError(f"oidc: verify token: {err}") from None
        # The claims were decoded before the signature was checked; they are what it covers.
        self._check_registered_claims(token.claims)
        return self._user(token.claims)

    def _check_registered_claims(self, claims: dict[str, Any]) -> None:
        if claims.get("iss") != self.url:
            raise AuthenticationError(
                f"oidc: verify token: oidc: id token issued by a different provider, expected "
                f"{_q(self.url)} got {_q(claims.get('iss'))}"
            )
        audience = claims.get("aud")
        audiences = [audience] if isinstance(audience, str) else audience
        if not isinstance(audiences, list) or self._audiences.isdisjoint(
            a for a in audiences if isinstance(a, str)
        ):
            raise AuthenticationError(
                f"oidc: verify token: oidc: expected audience in {_q(sorted(self._audiences))} "
                f"got {_q(audiences)}"
            )
        now = time.time()
        expiry = _numeric_date(claims, "exp")
        if expiry is None or expiry < now:
            raise AuthenticationError(
                "oidc: verify token: oidc: token is expired (Token Expiry: "
                f"{'0001-01-01 00:00:00 +0000 UTC' if expiry is None else _go_time(expiry)})"
            )
        not_before = _numeric_date(claims, "nbf")
        if not_before is not None and now + NOT_BEFORE_LEEWAY_SECONDS < not_before:
            raise AuthenticationError(
                f"oidc: verify token: oidc: current time {_go_time(now)} before the nbf (not "
                f"before) time: {_go_time(not_before)}"
            )

    def _user(self, claims: dict[str, Any]) -> UserInfo:
        rules = self._rules
        try:
            activation = cel.claims_activation(claims) if self._uses_claims_cel else None
        except cel.EvalError as err:
            raise AuthenticationError(
                f"oidc: could not convert claims to unstructured: {err}"
            ) from None
        name = self._username(claims, activation)
        groups = self._groups(claims, activation)
        uid = self._uid(claims, activation)
        extra = self._extra(claims, activation)
        for claim, want in self._required.items():
            if claim not in claims:
                raise AuthenticationError(f"oidc: required claim {claim} not present in ID token")
            got = _string_claim(claims, claim, f"oidc: parse claim {claim}")
            if got != want:
                raise AuthenticationError(
                    f"oidc: required claim {claim} value does not match. Got = {got}, want = {want}"
                )
        _check_rules(
            rules.claim_rules, activation, "oidc: error evaluating claim validation expression"
        )
        if rules.user_rules:
            user_activation = cel.user_activation(
                username=name, uid=uid, groups=groups, extra=extra
            )
            _check_rules(
                rules.user_rules,
                user_activation,
                "oidc: error evaluating user info validation rule",
            )
        return UserInfo(
            name=name,
            uid=uid,
            groups=tuple(groups),
            extra={k: tuple(v) for k, v in extra.items()},
        )

    def _username(self, claims: dict[str, Any], activation: Any) -> str:
        if self._rules.username is not None:
            what = "oidc: error evaluating username claim expression"
            value = _evaluate(self._rules.username, activation, what)
            if not isinstance(value, str):
                raise AuthenticationError(f"{what}: username claim expression must return a string")
            if not value:
                raise AuthenticationError("oidc: empty username via CEL expression is not allowed")
            return value
        claim = self._username_claim
        name = _string_claim(claims, claim, f"oidc: parse username claims {_q(claim)}")
        if claim == "email" and "email_verified" in claims:
            verified = claims["email_verified"]
            if verified is not None and not isinstance(verified, bool):
                raise AuthenticationError(
                    "oidc: parse 'email_verified' claim: json: cannot unmarshal "
                    f"{_json_kind(verified)} into Go value of type bool"
                )
            if not verified:
                raise AuthenticationError("oidc: email not verified")
        return self._username_prefix + name

    def _groups(self, claims: dict[str, Any], activation: Any) -> list[str]:
        claim = self._groups_claim
        if claim and claim in claims:
            value = claims[claim]
            if value is None:
                return []
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list) or not all(isinstance(g, str) for g in value):
                raise AuthenticationError(
                    f"oidc: parse groups claim {_q(claim)}: json: cannot unmarshal "
                    f"{_json_kind(value)} into Go value of type string"
                )
            return [self._groups_prefix + g for g in value]
        if self._rules.groups is None:
            return []
        what = "oidc: error evaluating group claim expression"
        return _string_list(_evaluate(self._rules.groups, activation, what), what)

    def _uid(self, claims: dict[str, Any], activation: Any) -> str:
        if self._uid_claim:
            claim = self._uid_claim
            return _string_claim(claims, claim, f"oidc: parse uid claim {_q(claim)}")
        if self._rules.uid is None:
            return ""
        what = "oidc: error evaluating uid claim expression"
        value = _evaluate(self._rules.uid, activation, what)
        if not isinstance(value, str):
            raise AuthenticationError(f"{what}: uid claim expression must return a string")
        return value

    def _extra(self, claims: dict[str, Any], activation: Any) -> dict[str, list[str]]:
        extra: dict[str, list[str]] = {}
        jti = claims.get("jti")
        if isinstance(jti, str) and jti:
            extra[CREDENTIAL_ID_KEY] = ["JTI=" + jti]
        for key, program in self._rules.extra:
            what = "oidc: error evaluating extra claim expression"
            value = _evaluate(program, activation, what)
            values = _string_list(value, f"{what}: {program.expression}")
            if values:
                extra[key] = values
        return extra


def _evaluate(program: cel.Program, activation: Any, what: str) -> Any:
    try:
        return program.eval(activation)
    except cel.EvalError as err:
        raise AuthenticationError(f"{what}: {err}") from None


def _check_rules(rules: list[tuple[cel.Program, str]], activation: Any, what: str) -> None:
    for program, message in rules:
        value = _evaluate(program, activation, what)
        if not isinstance(value, bool):
            raise AuthenticationError(f"{what}: validation expression must return a boolean")
        if not value:
            raise AuthenticationError(
                f"{what}: validation expression '{program.expression}' failed: {message}"
            )


def _string_list(value: Any, what: str) -> list[str]:
    """A CEL mapping's value as strings: a string or a list of them; empty ones are dropped."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [v for v in value if v]
    raise AuthenticationError(f"{what}: expression must return a string or a list of strings")


def _string_claim(claims: dict[str, Any], claim: str, what: str) -> str:
    if claim not in claims:
        raise AuthenticationError(f"{what}: claim not present")
    value = claims[claim]
    if not isinstance(value, str):
        raise AuthenticationError(
            f"{what}: json: cannot unmarshal {_json_kind(value)} into Go value of type string"
        )
    return value


def _numeric_date(claims: dict[str, Any], claim: str) -> float | None:
    value = claims.get(claim)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise AuthenticationError(f"oidc: verify token: oidc: malformed claim {_q(claim)}")
    return float(value)


def _go_time(timestamp: float) -> str:
    """A time as Go's time.Time prints it in go-oidc's messages."""
    moment = datetime.datetime.fromtimestamp(timestamp, datetime.UTC)
    return moment.strftime("%Y-%m-%d %H:%M:%S +0000 UTC")


def _q(value: Any) -> str:
    """A value as Go's %q prints it in kube-apiserver's messages: "s", or ["a" "b"]."""
    if isinstance(value, list):
        return "[" + " ".join(_q(v) for v in value) + "]"
    return orjson.dumps(value).decode()


def _json_kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "string"


@dataclass(frozen=True)
class ParsedToken:
    """A compact JWS split and decoded, its signature not yet checked."""

    header: dict[str, Any]
    claims: dict[str, Any]
    encoded: tuple[str, str, str]

    @property
    def signing_input(self) -> bytes:
        return f"{self.encoded[0]}.{self.encoded[1]}".encode()

    @property
    def signature(self) -> bytes:
        return _b64decode(self.encoded[2])


class JWTTokenAuthenticator:
    """The bearer-token authenticator for every configured JWT issuer."""

    def __init__(self, issuers: Sequence[IssuerAuthenticator]) -> None:
        self._issuers = {issuer.url: issuer for issuer in issuers}

    async def authenticate(self, req: AuthRequest) -> UserInfo | None:
        value = bearer_token(req.headers)
        if value is None:
            return None
        token = parse_token(value)
        if token is None:
            return None
        issuer_url = token.claims.get("iss")
        issuer = self._issuers.get(issuer_url) if isinstance(issuer_url, str) else None
        if issuer is None:
            return None
        return await issuer.authenticate_token(token)


_BASE64URL = re.compile(r"[A-Za-z0-9_-]*")


def parse_token(token: str) -> ParsedToken | None:
    """A compact JWT with a JSON object header and claims, or None for anything else."""
    parts = token.split(".")
    if len(parts) != 3 or not all(_BASE64URL.fullmatch(p) for p in parts):
        return None
    try:
        header = orjson.loads(_b64decode(parts[0]))
        claims = orjson.loads(_b64decode(parts[1]))
    except (orjson.JSONDecodeError, binascii.Error):
        return None
    if not isinstance(header, dict) or not isinstance(claims, dict):
        return None
    return ParsedToken(header, claims, (parts[0], parts[1], parts[2]))


def _b64decode(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def _configuration(
    opts: AuthenticationOptions,
) -> tuple[authn_config.AuthenticationConfiguration, Sequence[str]]:
    """The JWT configuration the options describe, and the signing algorithms it allows."""
    if opts.authentication_config:
        # With a file every algorithm Kubernetes knows is allowed; the keys decide.
        return authn_config.load_file(opts.authentication_config), ALLOWED_ALGORITHMS
    if opts.oidc_issuer_url and opts.oidc_client_id:
        spec = authn_config.from_oidc_flags(
            issuer_url=opts.oidc_issuer_url,
            client_id=opts.oidc_client_id,
            ca_file=opts.oidc_ca_file,
            username_claim=opts.oidc_username_claim,
            username_prefix=opts.oidc_username_prefix,
            groups_claim=opts.oidc_groups_claim,
            groups_prefix=opts.oidc_groups_prefix,
            required_claims=opts.oidc_required_claim,
        )
        return authn_config.AuthenticationConfiguration(jwt=[spec]), opts.oidc_signing_algs
    return authn_config.AuthenticationConfiguration(), ()


def validate_options(opts: AuthenticationOptions) -> list[str]:
    """Startup errors of the JWT configuration, worded as kube-apiserver reports them."""
    if opts.oidc_issuer_url:
        unsupported = [alg for alg in opts.oidc_signing_algs if alg not in ALLOWED_ALGORITHMS]
        if unsupported:
            return [f"oidc: unsupported signing alg: {_q(unsupported[0])}"]
    try:
        configuration, _ = _configuration(opts)
    except (authn_config.ConfigError, OSError) as err:
        return [str(err)]
    _, errs = validate_configuration(configuration, opts.service_account_issuer)
    if not errs:
        return []
    listed = str(errs[0]) if len(errs) == 1 else "[" + ", ".join(str(e) for e in errs) + "]"
    return [f"invalid authentication configuration: {listed}"]


def from_options(opts: AuthenticationOptions) -> list[Authenticator]:
    """The JWT authenticator of the options (none without issuers); the options are valid."""
    configuration, algorithms = _configuration(opts)
    if not configuration.jwt:
        return []
    compiled, errs = validate_configuration(configuration, opts.service_account_issuer)
    if errs:
        raise ValueError(f"invalid authentication configuration: {errs[0]}")
    issuers = [
        IssuerAuthenticator(
            spec,
            rules,
            algorithms=algorithms,
            provider=Provider(
                spec.issuer.url,
                discovery_url=spec.issuer.discovery_url,
                ca_pem=spec.issuer.certificate_authority,
            ),
        )
        for spec, rules in zip(configuration.jwt, compiled, strict=True)
    ]
    return [JWTTokenAuthenticator(issuers)]
