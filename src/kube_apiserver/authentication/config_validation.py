"""Validation of an AuthenticationConfiguration, with Kubernetes' field paths and messages, and
compilation of its CEL expressions.

kube-apiserver refuses to start on the first invalid file (`invalid authentication configuration:
jwt[0].issuer.url: Invalid value: "http://idp": URL scheme must be https`), so every rule of its
validation is here, in its order: the issuer (URL, discovery URL, audiences, CA), the claim
validation rules, the claim mappings, the user validation rules, then the issuers and discovery
URLs that appear twice. Compiling the expressions is part of validating them; the compiled
programs are handed back so the authenticator does not compile them again.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from cryptography import x509

from kube_apiserver.apis.meta import field as fe
from kube_apiserver.apis.meta.field import FieldError
from kube_apiserver.apis.meta.validation import dns1123_subdomain_errors
from kube_apiserver.authentication import cel
from kube_apiserver.authentication.config import (
    MATCH_ANY,
    AuthenticationConfiguration,
    JWTAuthenticator,
    PrefixedClaimOrExpression,
)

MAX_JWT_AUTHENTICATORS = 64
_HTTP_PATH_FMT = r"[A-Za-z0-9/\-._~%!$&'()*+,;=:]+"
_HTTP_PATH = re.compile(_HTTP_PATH_FMT)
_EMAIL_VERIFIED_REQUIRED = (
    "claims.email_verified must be used in claimMappings.username.expression or "
    "claimMappings.extra[*].valueExpression or claimValidationRules[*].expression when "
    "claims.email is used in claimMappings.username.expression"
)


@dataclass
class CompiledRules:
    """The CEL programs of one JWT authenticator, by the field they came from."""

    username: cel.Program | None = None
    groups: cel.Program | None = None
    uid: cel.Program | None = None
    extra: list[tuple[str, cel.Program]] = field(default_factory=list)
    claim_rules: list[tuple[cel.Program, str]] = field(default_factory=list)
    user_rules: list[tuple[cel.Program, str]] = field(default_factory=list)


def validate_configuration(
    config: AuthenticationConfiguration, disallowed_issuers: Sequence[str] = ()
) -> tuple[list[CompiledRules], list[FieldError]]:
    if len(config.jwt) > MAX_JWT_AUTHENTICATORS:
        return [], [fe.too_many("jwt", len(config.jwt), MAX_JWT_AUTHENTICATORS)]
    errs: list[FieldError] = []
    compiled: list[CompiledRules] = []
    seen_issuers: set[str] = set()
    seen_discovery: set[str] = set()
    for i, authenticator in enumerate(config.jwt):
        path = f"jwt[{i}]"
        rules, jwt_errs = validate_jwt_authenticator(authenticator, path, disallowed_issuers)
        compiled.append(rules)
        errs += jwt_errs
        issuer = authenticator.issuer
        if issuer.url in seen_issuers:
            errs.append(fe.duplicate(f"{path}.issuer.url", issuer.url))
        seen_issuers.add(issuer.url)
        if issuer.discovery_url:
            if issuer.discovery_url in seen_discovery:
                errs.append(fe.duplicate(f"{path}.issuer.discoveryURL", issuer.discovery_url))
            seen_discovery.add(issuer.discovery_url)
    anonymous = config.anonymous
    if anonymous is not None and not anonymous.enabled and anonymous.conditions:
        rendered = (
            "[]apiserver.AnonymousAuthCondition{"
            + ", ".join(
                f'apiserver.AnonymousAuthCondition{{Path:"{c.path}"}}' for c in anonymous.conditions
            )
            + "}"
        )
        errs.append(
            fe.invalid_rendered(
                "anonymous.conditions",
                rendered,
                "enabled should be set to true when conditions are defined",
            )
        )
    return compiled, errs


def validate_jwt_authenticator(
    authenticator: JWTAuthenticator, path: str, disallowed_issuers: Sequence[str] = ()
) -> tuple[CompiledRules, list[FieldError]]:
    rules = CompiledRules()
    errs = _issuer_errors(authenticator, f"{path}.issuer", disallowed_issuers)
    errs += _claim_validation_rules(authenticator, f"{path}.claimValidationRules", rules)
    errs += _claim_mappings(authenticator, f"{path}.claimMappings", rules)
    errs += _user_validation_rules(authenticator, f"{path}.userValidationRules", rules)
    return rules, errs


def _issuer_errors(
    authenticator: JWTAuthenticator, path: str, disallowed: Sequence[str]
) -> list[FieldError]:
    issuer = authenticator.issuer
    errs: list[FieldError] = []
    if not issuer.url:
        errs.append(fe.required(f"{path}.url"))
    else:
        errs += _url_errors(issuer.url, f"{path}.url", disallowed)
    if issuer.discovery_url:
        if issuer.url and issuer.url.rstrip("/") == issuer.discovery_url.rstrip("/"):
            errs.append(
                fe.invalid(
                    f"{path}.discoveryURL",
                    issuer.discovery_url,
                    "discoveryURL must be different from URL",
                )
            )
        errs += _url_errors(issuer.discovery_url, f"{path}.discoveryURL", ())
    errs += _audience_errors(issuer.audiences, issuer.audience_match_policy, path)
    if issuer.certificate_authority and ca_certificates_error(issuer.certificate_authority):
        errs.append(
            fe.invalid(
                f"{path}.certificateAuthority",
                "<omitted>",
                "data does not contain any valid RSA or ECDSA certificates",
            )
        )
    return errs


def _url_errors(url: str, path: str, disallowed: Sequence[str]) -> list[FieldError]:
    errs: list[FieldError] = []
    if url in disallowed:
        listed = "[" + " ".join(sorted(set(disallowed))) + "]"
        errs.append(
            fe.invalid(path, url, f"URL must not overlap with disallowed issuers: {listed}")
        )
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - a bad port only shows when read
    except ValueError as err:
        return [*errs, fe.invalid(path, url, str(err))]
    if parts.scheme != "https":
        errs.append(fe.invalid(path, url, "URL scheme must be https"))
    if parts.username is not None or parts.password is not None:
        errs.append(fe.invalid(path, url, "URL must not contain a username or password"))
    if parts.query:
        errs.append(fe.invalid(path, url, "URL must not contain a query"))
    if parts.fragment:
        errs.append(fe.invalid(path, url, "URL must not contain a fragment"))
    return errs


def _audience_errors(audiences: list[str], policy: str, path: str) -> list[FieldError]:
    where = f"{path}.audiences"
    if not audiences:
        return [fe.required(where, f"at least one {where} is required")]
    errs: list[FieldError] = []
    seen: set[str] = set()
    for i, audience in enumerate(audiences):
        if not audience:
            errs.append(fe.required(f"{where}[{i}]"))
        if audience in seen:
            errs.append(fe.duplicate(f"{where}[{i}]", audience))
        seen.add(audience)
    if len(audiences) > 1 and policy != MATCH_ANY:
        errs.append(
            fe.invalid(
                f"{path}.audienceMatchPolicy",
                policy,
                "audienceMatchPolicy must be MatchAny for multiple audiences",
            )
        )
    if len(audiences) == 1 and policy and policy != MATCH_ANY:
        errs.append(
            fe.invalid(
                f"{path}.audienceMatchPolicy",
                policy,
                "audienceMatchPolicy must be empty or MatchAny for single audience",
            )
        )
    return errs


def ca_certificates_error(pem: str) -> bool:
    """Whether the PEM bundle holds no certificate we could trust."""
    try:
        return not x509.load_pem_x509_certificates(pem.encode())
    except ValueError:
        return True


def _compile(
    expression: str, variable: str, path: str, errs: list[FieldError], *, boolean: bool = False
) -> cel.Program | None:
    try:
        return cel.compile_expression(expression, variable, boolean=boolean)
    except cel.CompileError as err:
        errs.append(fe.invalid(path, expression, str(err)))
        return None


def _claim_validation_rules(
    authenticator: JWTAuthenticator, path: str, rules: CompiledRules
) -> list[FieldError]:
    errs: list[FieldError] = []
    seen_claims: set[str] = set()
    seen_expressions: set[str] = set()
    for i, rule in enumerate(authenticator.claim_validation_rules):
        where = f"{path}[{i}]"
        if rule.claim and rule.expression:
            errs.append(fe.invalid(where, rule.claim, "claim and expression can't both be set"))
        elif not rule.claim and not rule.expression:
            errs.append(fe.required(where, "claim or expression is required"))
        elif rule.claim:
            if rule.message:
                errs.append(
                    fe.invalid(
                        f"{where}.message", rule.message, "may not be specified when claim is set"
                    )
                )
            if rule.claim in seen_claims:
                errs.append(fe.duplicate(f"{where}.claim", rule.claim))
            seen_claims.add(rule.claim)
        else:
            if rule.required_value:
                errs.append(
                    fe.invalid(
                        f"{where}.requiredValue",
                        rule.required_value,
                        "may not be specified when expression is set",
                    )
                )
            if rule.expression in seen_expressions:
                errs.append(fe.duplicate(f"{where}.expression", rule.expression))
                continue
            seen_expressions.add(rule.expression)
            program = _compile(
                rule.expression, cel.CLAIMS, f"{where}.expression", errs, boolean=True
            )
            if program is not None:
                rules.claim_rules.append((program, rule.message))
    return errs


def _prefixed_claim_or_expression(
    mapping: PrefixedClaimOrExpression, path: str, *, required: bool
) -> tuple[cel.Program | None, list[FieldError]]:
    errs: list[FieldError] = []
    if mapping.expression and mapping.claim:
        errs.append(fe.invalid(path, "", "claim and expression can't both be set"))
    elif not mapping.expression and not mapping.claim:
        if required:
            errs.append(fe.required(path, "claim or expression is required"))
    elif mapping.expression:
        if mapping.prefix is not None:
            errs.append(
                fe.invalid(
                    f"{path}.prefix", mapping.prefix, "may not be specified when expression is set"
                )
            )
        return _compile(mapping.expression, cel.CLAIMS, f"{path}.expression", errs), errs
    elif mapping.prefix is None:
        errs.append(
            fe.required(
                f"{path}.prefix",
                "prefix is required when claim is set. It can be set to an empty string to "
                "disable prefixing",
            )
        )
    return None, errs


def _claim_mappings(
    authenticator: JWTAuthenticator, path: str, rules: CompiledRules
) -> list[FieldError]:
    mappings = authenticator.claim_mappings
    rules.username, errs = _prefixed_claim_or_expression(
        mappings.username, f"{path}.username", required=True
    )
    rules.groups, group_errs = _prefixed_claim_or_expression(
        mappings.groups, f"{path}.groups", required=False
    )
    errs += group_errs
    uid = mappings.uid
    if uid.claim and uid.expression:
        errs.append(fe.invalid(f"{path}.uid", "", "claim and expression can't both be set"))
    elif uid.expression:
        rules.uid = _compile(uid.expression, cel.CLAIMS, f"{path}.uid.expression", errs)
    seen_keys: set[str] = set()
    for i, mapping in enumerate(mappings.extra):
        where = f"{path}.extra[{i}]"
        errs += _extra_key_errors(mapping.key, f"{where}.key")
        if mapping.key in seen_keys:
            errs.append(fe.duplicate(f"{where}.key", mapping.key))
            continue
        seen_keys.add(mapping.key)
        if not mapping.value_expression:
            errs.append(fe.required(f"{where}.valueExpression"))
            continue
        program = _compile(mapping.value_expression, cel.CLAIMS, f"{where}.valueExpression", errs)
        if program is not None:
            rules.extra.append((mapping.key, program))
    username = mappings.username.expression
    if (
        rules.username is not None
        and cel.selects_claim(username, "email")
        and not _uses_email_verified(authenticator)
    ):
        errs.append(fe.invalid(f"{path}.username.expression", username, _EMAIL_VERIFIED_REQUIRED))
    return errs


def _uses_email_verified(authenticator: JWTAuthenticator) -> bool:
    mappings = authenticator.claim_mappings
    expressions = [
        mappings.username.expression,
        *(m.value_expression for m in mappings.extra),
        *(r.expression for r in authenticator.claim_validation_rules),
    ]
    return any(cel.selects_claim(e, "email_verified") for e in expressions if e)


def _extra_key_errors(key: str, path: str) -> list[FieldError]:
    errs = _domain_prefixed_path_errors(key, path)
    if key != key.lower():
        errs.append(fe.invalid(path, key, "must be lowercase"))
    domain = key.split("/", 1)[0] if "/" in key else ""
    if any(domain == d or domain.endswith("." + d) for d in ("kubernetes.io", "k8s.io")):
        errs.append(
            fe.invalid(
                path,
                key,
                "k8s.io, kubernetes.io and their subdomains are reserved for Kubernetes use",
            )
        )
    return errs


def _domain_prefixed_path_errors(value: str, path: str) -> list[FieldError]:
    if not value:
        return [fe.required(path)]
    host, sep, rest = value.partition("/")
    if not sep or not host or not rest:
        return [fe.invalid(path, value, 'must be a domain-prefixed path (such as "acme.io/foo")')]
    errs = [fe.invalid(path, host, msg) for msg in dns1123_subdomain_errors(host)]
    if not _HTTP_PATH.fullmatch(rest):
        errs.append(
            fe.invalid(
                path, rest, f"Invalid path (regex used for validation is '{_HTTP_PATH_FMT}')"
            )
        )
    return errs


def _user_validation_rules(
    authenticator: JWTAuthenticator, path: str, rules: CompiledRules
) -> list[FieldError]:
    errs: list[FieldError] = []
    seen: set[str] = set()
    for i, rule in enumerate(authenticator.user_validation_rules):
        where = f"{path}[{i}].expression"
        if not rule.expression:
            errs.append(fe.required(where))
            continue
        if rule.expression in seen:
            errs.append(fe.duplicate(where, rule.expression))
            continue
        seen.add(rule.expression)
        program = _compile(rule.expression, cel.USER, where, errs, boolean=True)
        if program is not None:
            rules.user_rules.append((program, rule.message))
    return errs
