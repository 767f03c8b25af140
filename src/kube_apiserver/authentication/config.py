"""The structured authentication configuration (`--authentication-config`): its types, how the
file is read, and the same configuration built from the legacy `--oidc-*` flags.

The file is an `AuthenticationConfiguration` of `apiserver.config.k8s.io` (v1alpha1, v1beta1 and
v1 share one shape), YAML or JSON. kube-apiserver decodes it strictly: a field it does not know is
an error (`strict decoding error: unknown field "jwt[0].issuer.foo"`), so a misspelt key never
silently switches a check off. Decoding is driven by the dataclasses below: each field's JSON name
is its camelCase name unless the field says otherwise, and `None` marks a pointer left unset
(a username `prefix` absent is not the same as `prefix: ""`).

What the values mean and which combinations are allowed is `config_validation`'s business.
"""

from __future__ import annotations

import dataclasses
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

GROUP = "apiserver.config.k8s.io"
VERSIONS = ("v1alpha1", "v1beta1", "v1")
KIND = "AuthenticationConfiguration"
MATCH_ANY = "MatchAny"


def _json(name: str) -> dict[str, str]:
    return {"json": name}


@dataclass
class PrefixedClaimOrExpression:
    claim: str = ""
    prefix: str | None = None
    expression: str = ""


@dataclass
class ClaimOrExpression:
    claim: str = ""
    expression: str = ""


@dataclass
class ExtraMapping:
    key: str = ""
    value_expression: str = ""


@dataclass
class ClaimMappings:
    username: PrefixedClaimOrExpression = field(default_factory=PrefixedClaimOrExpression)
    groups: PrefixedClaimOrExpression = field(default_factory=PrefixedClaimOrExpression)
    uid: ClaimOrExpression = field(default_factory=ClaimOrExpression)
    extra: list[ExtraMapping] = field(default_factory=list)


@dataclass
class ClaimValidationRule:
    claim: str = ""
    required_value: str = ""
    expression: str = ""
    message: str = ""


@dataclass
class UserValidationRule:
    expression: str = ""
    message: str = ""


@dataclass
class Issuer:
    url: str = field(default="", metadata=_json("url"))
    discovery_url: str = field(default="", metadata=_json("discoveryURL"))
    certificate_authority: str = ""
    audiences: list[str] = field(default_factory=list)
    audience_match_policy: str = ""


@dataclass
class JWTAuthenticator:
    issuer: Issuer = field(default_factory=Issuer)
    claim_validation_rules: list[ClaimValidationRule] = field(default_factory=list)
    claim_mappings: ClaimMappings = field(default_factory=ClaimMappings)
    user_validation_rules: list[UserValidationRule] = field(default_factory=list)


@dataclass
class AnonymousAuthCondition:
    path: str = ""


@dataclass
class AnonymousAuthConfig:
    enabled: bool = False
    conditions: list[AnonymousAuthCondition] = field(default_factory=list)


@dataclass
class AuthenticationConfiguration:
    jwt: list[JWTAuthenticator] = field(default_factory=list)
    anonymous: AnonymousAuthConfig | None = None


class ConfigError(ValueError):
    """The file cannot be read as an AuthenticationConfiguration."""


def load_file(path: str | Path) -> AuthenticationConfiguration:
    """Read and strictly decode a configuration file; ConfigError says what is wrong."""
    try:
        data = Path(path).read_bytes()
    except OSError as err:
        raise ConfigError(
            f'failed to load authentication configuration from file "{path}": {err}'
        ) from None
    try:
        return decode(data)
    except ConfigError as err:
        raise ConfigError(
            f'failed to load authentication configuration from file "{path}": {err}'
        ) from None


def decode(data: bytes) -> AuthenticationConfiguration:
    if not data.strip():
        raise ConfigError("empty config data")
    try:
        doc = yaml.safe_load(data)
    except yaml.YAMLError as err:
        # One line, as go-yaml words it: `yaml: line 3: <problem>`.
        mark = getattr(err, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        raise ConfigError(f"error converting YAML to JSON: yaml: {where}{problem}") from None
    if not isinstance(doc, dict):
        raise ConfigError("couldn't get version/kind; json parse error: not an object")
    api_version, kind = doc.get("apiVersion") or "", doc.get("kind") or ""
    if not kind:
        raise ConfigError("Object 'Kind' is missing in the configuration")
    group, _, version = str(api_version).rpartition("/")
    if group != GROUP or version not in VERSIONS or kind != KIND:
        raise ConfigError(f'no kind "{kind}" is registered for version "{api_version}"')
    unknown: list[str] = []
    body = {k: v for k, v in doc.items() if k not in ("apiVersion", "kind")}
    config = _decode(AuthenticationConfiguration, body, "", unknown)
    if unknown:
        raise ConfigError(
            "strict decoding error: " + ", ".join(f'unknown field "{u}"' for u in unknown)
        )
    return config


def _decode(cls: type, data: Any, path: str, unknown: list[str]) -> Any:
    if not isinstance(data, dict):
        raise ConfigError(_type_error(data, path or cls.__name__, "object"))
    hints = typing.get_type_hints(cls)
    by_json = {f.metadata.get("json", _camel(f.name)): f for f in dataclasses.fields(cls)}
    values: dict[str, Any] = {}
    for key, value in data.items():
        child = f"{path}.{key}" if path else str(key)
        f = by_json.get(key)
        if f is None:
            unknown.append(child)
            continue
        values[f.name] = _value(hints[f.name], value, child, unknown)
    return cls(**{k: v for k, v in values.items() if v is not None or _optional(hints[k])})


def _value(hint: Any, value: Any, path: str, unknown: list[str]) -> Any:
    if _optional(hint):
        if value is None:
            return None
        hint = next(a for a in typing.get_args(hint) if a is not type(None))
    if value is None:
        return None  # JSON null leaves a non-pointer field at its zero value
    if typing.get_origin(hint) is list:
        if not isinstance(value, list):
            raise ConfigError(_type_error(value, path, "array"))
        (item,) = typing.get_args(hint)
        return [_value(item, v, f"{path}[{i}]", unknown) for i, v in enumerate(value)]
    if dataclasses.is_dataclass(hint):
        return _decode(hint, value, path, unknown)
    if hint is bool:
        if not isinstance(value, bool):
            raise ConfigError(_type_error(value, path, "bool"))
        return value
    if not isinstance(value, str):
        raise ConfigError(_type_error(value, path, "string"))
    return value


def _optional(hint: Any) -> bool:
    return type(None) in typing.get_args(hint)


def _camel(name: str) -> str:
    first, *rest = name.split("_")
    return first + "".join(part.title() for part in rest)


def _json_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _type_error(value: Any, path: str, want: str) -> str:
    return f"json: cannot unmarshal {_json_kind(value)} into Go struct field {path} of type {want}"


def anonymous_access(
    *, flag: bool, config_file: str | Path = ""
) -> tuple[bool, frozenset[str] | None]:
    """Whether anonymous requests are allowed, and on which paths only (None: on every path).

    A configuration file with an `anonymous` section decides; otherwise `--anonymous-auth`.
    """
    if config_file:
        anonymous = load_file(config_file).anonymous
        if anonymous is not None:
            paths = frozenset(c.path for c in anonymous.conditions)
            return anonymous.enabled, paths or None
    return flag, None


def from_oidc_flags(
    *,
    issuer_url: str,
    client_id: str,
    ca_file: str,
    username_claim: str,
    username_prefix: str,
    groups_claim: str,
    groups_prefix: str,
    required_claims: dict[str, str],
) -> JWTAuthenticator:
    """The JWT authenticator kube-apiserver builds from its `--oidc-*` flags.

    Without `--oidc-username-prefix`, names from any claim but `email` are prefixed with the
    issuer URL and `#` so they cannot clash with other users; `-` turns prefixing off.
    """
    prefix = username_prefix
    if not prefix and username_claim != "email":
        prefix = issuer_url + "#"
    if username_prefix == "-":
        prefix = ""
    mappings = ClaimMappings(
        username=PrefixedClaimOrExpression(claim=username_claim, prefix=prefix)
    )
    if groups_claim:
        mappings.groups = PrefixedClaimOrExpression(claim=groups_claim, prefix=groups_prefix)
    return JWTAuthenticator(
        issuer=Issuer(
            url=issuer_url,
            audiences=[client_id],
            certificate_authority=Path(ca_file).read_text() if ca_file else "",
        ),
        claim_validation_rules=[
            ClaimValidationRule(claim=claim, required_value=value)
            for claim, value in required_claims.items()
        ],
        claim_mappings=mappings,
    )
