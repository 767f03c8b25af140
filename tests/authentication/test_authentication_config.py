"""The structured authentication configuration: reading the file strictly, validating it with
Kubernetes' field paths and messages, and JWT issuers whose CEL rules and claim mappings decide
who a token's holder is (against a real identity provider on loopback)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from kube_apiserver.authentication import config, jwt
from kube_apiserver.authentication.anonymous import ANONYMOUS_USER
from kube_apiserver.authentication.config_validation import validate_configuration
from kube_apiserver.authentication.interface import AuthenticationError, AuthRequest
from kube_apiserver.authentication.union import UnionAuthenticator
from kube_apiserver.authentication.user import CREDENTIAL_ID_KEY, UserInfo
from kube_apiserver.cmd.options.authentication import AuthenticationOptions
from oidc_idp import CLIENT_ID, IdentityProvider

HEADER = {"apiVersion": "apiserver.config.k8s.io/v1beta1", "kind": "AuthenticationConfiguration"}


def issuer(url: str = "https://idp.example.com", **fields: Any) -> dict[str, Any]:
    return {
        "issuer": {"url": url, "audiences": ["kubernetes"]},
        "claimMappings": {"username": {"claim": "sub", "prefix": ""}},
        **fields,
    }


def errors(*jwt_authenticators: dict[str, Any], **top: Any) -> list[str]:
    """The validation errors of a configuration, as kube-apiserver prints each one."""
    doc = config.decode(yaml.safe_dump({**HEADER, "jwt": list(jwt_authenticators), **top}).encode())
    _, errs = validate_configuration(doc, ["https://kubernetes.default.svc.cluster.local"])
    return [str(e) for e in errs]


# -- reading the file -----------------------------------------------------------------------


def test_a_complete_file_decodes_into_its_fields() -> None:
    doc = config.decode(
        yaml.safe_dump(
            {
                **HEADER,
                "jwt": [
                    {
                        "issuer": {
                            "url": "https://idp.example.com",
                            "discoveryURL": "https://discovery.example.com/.well-known/openid-configuration",
                            "audiences": ["a", "b"],
                            "audienceMatchPolicy": "MatchAny",
                        },
                        "claimValidationRules": [{"claim": "hd", "requiredValue": "example.com"}],
                        "claimMappings": {
                            "username": {"expression": "claims.sub"},
                            "groups": {"claim": "groups", "prefix": ""},
                            "uid": {"claim": "sub"},
                            "extra": [{"key": "example.com/a", "valueExpression": "claims.a"}],
                        },
                        "userValidationRules": [{"expression": "true", "message": "m"}],
                    }
                ],
                "anonymous": {"enabled": True, "conditions": [{"path": "/livez"}]},
            }
        ).encode()
    )
    (authenticator,) = doc.jwt
    assert authenticator.issuer.discovery_url.startswith("https://discovery.example.com/")
    assert authenticator.issuer.audiences == ["a", "b"]
    assert authenticator.claim_mappings.username.prefix is None
    assert authenticator.claim_mappings.groups.prefix == ""
    assert authenticator.claim_mappings.extra[0].value_expression == "claims.a"
    assert authenticator.claim_validation_rules[0].required_value == "example.com"
    assert doc.anonymous == config.AnonymousAuthConfig(
        enabled=True, conditions=[config.AnonymousAuthCondition(path="/livez")]
    )


@pytest.mark.parametrize("version", ["v1alpha1", "v1beta1", "v1"])
def test_every_version_of_the_group_is_read(version: str) -> None:
    data = f'{{"apiVersion": "apiserver.config.k8s.io/{version}", "kind": "AuthenticationConfiguration"}}'
    assert config.decode(data.encode()) == config.AuthenticationConfiguration()


def test_files_that_are_not_an_authentication_configuration_are_refused() -> None:
    def error(data: str) -> str:
        with pytest.raises(config.ConfigError) as err:
            config.decode(data.encode())
        return str(err.value)

    assert error("") == "empty config data"
    assert error("jwt: [") == (
        "error converting YAML to JSON: yaml: line 1: expected the node content, but found "
        "'<stream end>'"
    )
    assert error("apiVersion: apiserver.config.k8s.io/v2\nkind: AuthenticationConfiguration\n") == (
        'no kind "AuthenticationConfiguration" is registered for version "apiserver.config.k8s.io/v2"'
    )
    assert "no kind" in error("apiVersion: apiserver.config.k8s.io/v1beta1\nkind: Other\n")
    assert "'Kind' is missing" in error("apiVersion: apiserver.config.k8s.io/v1beta1\n")
    unknown = yaml.safe_dump(
        {
            **HEADER,
            "jwt": [{"issuer": {"url": "https://x", "URL": "y"}, "claimMapping": {}}],
            "x": 1,
        }
    )
    assert error(unknown) == (
        'strict decoding error: unknown field "jwt[0].claimMapping", '
        'unknown field "jwt[0].issuer.URL", unknown field "x"'
    )
    assert "cannot unmarshal string into Go struct field jwt[0].issuer.audiences" in error(
        yaml.safe_dump({**HEADER, "jwt": [{"issuer": {"audiences": "kubernetes"}}]})
    )


def test_a_missing_file_is_reported_with_its_path(tmp_path: Path) -> None:
    with pytest.raises(config.ConfigError) as err:
        config.load_file(tmp_path / "nope.yaml")
    assert str(err.value).startswith(
        f'failed to load authentication configuration from file "{tmp_path / "nope.yaml"}": '
    )


# -- validation -----------------------------------------------------------------------------


def test_a_valid_configuration_has_no_errors() -> None:
    assert errors(issuer(), issuer("https://other.example.com")) == []
    assert errors() == []


def test_issuer_urls_must_be_https_unique_and_plain() -> None:
    assert errors(issuer(""), issuer("http://a.example.com")) == [
        "jwt[0].issuer.url: Required value",
        'jwt[1].issuer.url: Invalid value: "http://a.example.com": URL scheme must be https',
    ]
    assert errors(issuer("https://u:p@a.example.com/x?q=1#f")) == [
        'jwt[0].issuer.url: Invalid value: "https://u:p@a.example.com/x?q=1#f": URL must not contain a username or password',
        'jwt[0].issuer.url: Invalid value: "https://u:p@a.example.com/x?q=1#f": URL must not contain a query',
        'jwt[0].issuer.url: Invalid value: "https://u:p@a.example.com/x?q=1#f": URL must not contain a fragment',
    ]
    assert errors(issuer(), issuer()) == [
        'jwt[1].issuer.url: Duplicate value: "https://idp.example.com"'
    ]
    assert errors(issuer("https://kubernetes.default.svc.cluster.local")) == [
        'jwt[0].issuer.url: Invalid value: "https://kubernetes.default.svc.cluster.local": URL must '
        "not overlap with disallowed issuers: [https://kubernetes.default.svc.cluster.local]"
    ]


def test_discovery_urls_must_differ_from_the_issuer_and_each_other() -> None:
    one = issuer()
    one["issuer"]["discoveryURL"] = "https://idp.example.com/"
    assert errors(one) == [
        'jwt[0].issuer.discoveryURL: Invalid value: "https://idp.example.com/": discoveryURL must be different from URL'
    ]
    a, b = issuer("https://a.example.com"), issuer("https://b.example.com")
    a["issuer"]["discoveryURL"] = b["issuer"]["discoveryURL"] = "https://d.example.com/x"
    assert errors(a, b) == [
        'jwt[1].issuer.discoveryURL: Duplicate value: "https://d.example.com/x"'
    ]


def test_audiences_and_their_match_policy() -> None:
    def with_audiences(audiences: list[str], policy: str | None = None) -> dict[str, Any]:
        spec = issuer()
        spec["issuer"]["audiences"] = audiences
        if policy is not None:
            spec["issuer"]["audienceMatchPolicy"] = policy
        return spec

    assert errors(with_audiences([])) == [
        "jwt[0].issuer.audiences: Required value: at least one jwt[0].issuer.audiences is required"
    ]
    assert errors(with_audiences(["a", "a", ""], "MatchAny")) == [
        'jwt[0].issuer.audiences[1]: Duplicate value: "a"',
        "jwt[0].issuer.audiences[2]: Required value",
    ]
    assert errors(with_audiences(["a", "b"])) == [
        'jwt[0].issuer.audienceMatchPolicy: Invalid value: "": audienceMatchPolicy must be MatchAny for multiple audiences'
    ]
    assert errors(with_audiences(["a"], "MatchAll")) == [
        'jwt[0].issuer.audienceMatchPolicy: Invalid value: "MatchAll": audienceMatchPolicy must be empty or MatchAny for single audience'
    ]
    assert errors(with_audiences(["a", "b"], "MatchAny"), with_audiences(["c"], "MatchAny")) == [
        'jwt[1].issuer.url: Duplicate value: "https://idp.example.com"'
    ]


def test_the_certificate_authority_must_hold_certificates() -> None:
    spec = issuer()
    spec["issuer"]["certificateAuthority"] = "not a certificate"
    assert errors(spec) == [
        'jwt[0].issuer.certificateAuthority: Invalid value: "<omitted>": data does not contain any valid RSA or ECDSA certificates'
    ]


def test_claim_validation_rules() -> None:
    rules = [
        {"claim": "hd", "expression": "true"},
        {},
        {"claim": "hd", "message": "m"},
        {"claim": "hd", "requiredValue": "x"},
        {"expression": "claims.a == 'b'", "requiredValue": "x"},
        {"expression": "claims.a == 'b'"},
        {"expression": "claims.a"},
        {"expression": "claims.a +"},
    ]
    errs = errors(issuer(claimValidationRules=rules))
    assert errs[:7] == [
        'jwt[0].claimValidationRules[0]: Invalid value: "hd": claim and expression can\'t both be set',
        "jwt[0].claimValidationRules[1]: Required value: claim or expression is required",
        'jwt[0].claimValidationRules[2].message: Invalid value: "m": may not be specified when claim is set',
        'jwt[0].claimValidationRules[3].claim: Duplicate value: "hd"',
        'jwt[0].claimValidationRules[4].requiredValue: Invalid value: "x": may not be specified when expression is set',
        "jwt[0].claimValidationRules[5].expression: Duplicate value: \"claims.a == 'b'\"",
        'jwt[0].claimValidationRules[6].expression: Invalid value: "claims.a": must evaluate to bool',
    ]
    assert errs[7].startswith(
        'jwt[0].claimValidationRules[7].expression: Invalid value: "claims.a +": compilation '
        "failed: ERROR: <input>:1:"
    )
    assert "Syntax error" in errs[7] and len(errs) == 8


def test_claim_mappings() -> None:
    def mapped(**mappings: Any) -> list[str]:
        return errors(issuer(claimMappings=mappings))

    assert mapped() == [
        "jwt[0].claimMappings.username: Required value: claim or expression is required"
    ]
    assert mapped(username={"claim": "sub"}) == [
        "jwt[0].claimMappings.username.prefix: Required value: prefix is required when claim is "
        "set. It can be set to an empty string to disable prefixing"
    ]
    assert mapped(
        username={"claim": "sub", "expression": "claims.sub"},
        groups={"expression": "claims.groups", "prefix": "g:"},
        uid={"claim": "sub", "expression": "claims.sub"},
    ) == [
        'jwt[0].claimMappings.username: Invalid value: "": claim and expression can\'t both be set',
        'jwt[0].claimMappings.groups.prefix: Invalid value: "g:": may not be specified when expression is set',
        'jwt[0].claimMappings.uid: Invalid value: "": claim and expression can\'t both be set',
    ]
    assert mapped(username={"expression": "claims.sub"}, groups={"claim": "groups"}) == [
        "jwt[0].claimMappings.groups.prefix: Required value: prefix is required when claim is "
        "set. It can be set to an empty string to disable prefixing"
    ]
    assert mapped(username={"expression": "claims.nosuch("}, uid={"expression": "nope"})[
        0
    ].startswith(
        'jwt[0].claimMappings.username.expression: Invalid value: "claims.nosuch(": compilation failed:'
    )
    assert (
        "undeclared reference to 'nope'"
        in mapped(username={"expression": "claims.sub"}, uid={"expression": "nope"})[0]
    )


def test_extra_mappings() -> None:
    extra = [
        {"key": "example.com/ok", "valueExpression": "claims.a"},
        {"key": "noslash", "valueExpression": "claims.a"},
        {"key": "Example.com/Upper", "valueExpression": "claims.a"},
        {"key": "kubernetes.io/x", "valueExpression": "claims.a"},
        {"key": "sub.k8s.io/x", "valueExpression": "claims.a"},
        {"key": "example.com/ok", "valueExpression": "claims.b"},
        {"key": "example.com/empty"},
        {"key": "example.com/bad", "valueExpression": "claims.a."},
        {"valueExpression": "claims.a"},
    ]
    errs = errors(
        issuer(claimMappings={"username": {"claim": "sub", "prefix": ""}, "extra": extra})
    )
    assert errs[:9] == [
        'jwt[0].claimMappings.extra[1].key: Invalid value: "noslash": must be a domain-prefixed path (such as "acme.io/foo")',
        "jwt[0].claimMappings.extra[2].key: Invalid value: \"Example.com\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
        'jwt[0].claimMappings.extra[2].key: Invalid value: "Example.com/Upper": must be lowercase',
        'jwt[0].claimMappings.extra[3].key: Invalid value: "kubernetes.io/x": k8s.io, kubernetes.io and their subdomains are reserved for Kubernetes use',
        'jwt[0].claimMappings.extra[4].key: Invalid value: "sub.k8s.io/x": k8s.io, kubernetes.io and their subdomains are reserved for Kubernetes use',
        'jwt[0].claimMappings.extra[5].key: Duplicate value: "example.com/ok"',
        "jwt[0].claimMappings.extra[6].valueExpression: Required value",
        'jwt[0].claimMappings.extra[7].valueExpression: Invalid value: "claims.a.": compilation '
        "failed: ERROR: <input>:1:10: Syntax error: no viable alternative at input '.'\n"
        " | claims.a.\n | .........^",
        "jwt[0].claimMappings.extra[8].key: Required value",
    ]


def test_a_username_from_the_email_claim_needs_email_verified_somewhere() -> None:
    def with_username(expression: str, **fields: Any) -> list[str]:
        return errors(issuer(claimMappings={"username": {"expression": expression}}, **fields))

    assert with_username("claims.email") == [
        'jwt[0].claimMappings.username.expression: Invalid value: "claims.email": '
        "claims.email_verified must be used in claimMappings.username.expression or "
        "claimMappings.extra[*].valueExpression or claimValidationRules[*].expression when "
        "claims.email is used in claimMappings.username.expression"
    ]
    assert with_username("claims.?email.orValue('x')") != []
    assert with_username("claims.email_verified ? claims.email : ''") == []
    assert (
        with_username(
            "claims.email", claimValidationRules=[{"expression": "claims.email_verified == true"}]
        )
        == []
    )
    assert with_username("claims['email']") == []  # only selections count, as in Kubernetes
    assert with_username("'claims.email' + claims.sub") == []


def test_user_validation_rules() -> None:
    rules = [
        {"expression": ""},
        {"expression": "!user.username.startsWith('system:')"},
        {"expression": "!user.username.startsWith('system:')"},
        {"expression": "user.usrname == ''"},
        {"expression": "user.groups"},
        {"expression": "'admins' in user.groups && user.extra['example.com/a'][0] == 'b'"},
    ]
    errs = errors(issuer(userValidationRules=rules))
    assert errs[:3] == [
        "jwt[0].userValidationRules[0].expression: Required value",
        "jwt[0].userValidationRules[2].expression: Duplicate value: \"!user.username.startsWith('system:')\"",
        "jwt[0].userValidationRules[3].expression: Invalid value: \"user.usrname == ''\": compilation "
        "failed: ERROR: <input>:1:5: undefined field 'usrname' not found in struct 'kubernetes.UserInfo'\n"
        " | user.usrname == ''\n | ....^",
    ]
    assert errs[3:] == [
        'jwt[0].userValidationRules[4].expression: Invalid value: "user.groups": must evaluate to bool'
    ]


def test_anonymous_conditions_need_anonymous_enabled() -> None:
    assert errors(anonymous={"enabled": False, "conditions": [{"path": "/livez"}]}) == [
        'anonymous.conditions: Invalid value: []apiserver.AnonymousAuthCondition{apiserver.AnonymousAuthCondition{Path:"/livez"}}: enabled should be set to true when conditions are defined'
    ]
    assert errors(anonymous={"enabled": True, "conditions": [{"path": "/livez"}]}) == []


def test_at_most_64_issuers() -> None:
    many = [issuer(f"https://idp{i}.example.com") for i in range(65)]
    assert errors(*many) == ["jwt: Too many: 65: must have at most 64 items"]


def test_the_server_refuses_to_start_with_every_error_listed(tmp_path: Path) -> None:
    path = tmp_path / "authn.yaml"
    path.write_text(yaml.safe_dump({**HEADER, "jwt": [issuer("http://a"), issuer("http://a")]}))
    opts = AuthenticationOptions(authentication_config=str(path))
    opts.complete()
    assert opts.validate() == [
        'invalid authentication configuration: [jwt[0].issuer.url: Invalid value: "http://a": '
        'URL scheme must be https, jwt[1].issuer.url: Invalid value: "http://a": URL scheme must '
        'be https, jwt[1].issuer.url: Duplicate value: "http://a"]'
    ]
    path.write_text("kind: AuthenticationConfiguration\napiVersion: v1\n")
    assert opts.validate() == [
        f'failed to load authentication configuration from file "{path}": no kind '
        '"AuthenticationConfiguration" is registered for version "v1"'
    ]


# -- authenticating with CEL claim mappings ---------------------------------------------------


@pytest.fixture(scope="module")
def idps(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[IdentityProvider, ...]]:
    first = IdentityProvider(tmp_path_factory.mktemp("idp1"), path="/one").start()
    second = IdentityProvider(tmp_path_factory.mktemp("idp2"), path="/two")
    second.add_key("ec-1", "ES256")
    second.start()
    yield first, second
    first.stop()
    second.stop()


def cel_issuer(idp: IdentityProvider) -> dict[str, Any]:
    return {
        "issuer": {
            "url": idp.issuer,
            "audiences": [CLIENT_ID, "other-client"],
            "audienceMatchPolicy": "MatchAny",
            "certificateAuthority": idp.ca_file.read_text(),
        },
        "claimValidationRules": [
            {"claim": "hd", "requiredValue": "example.com"},
            {"expression": "claims.exp - claims.iat <= 3600", "message": "token lifetime too long"},
        ],
        "claimMappings": {
            "username": {"expression": "claims.email_verified ? claims.email.split('@')[0] : ''"},
            "groups": {"expression": "claims.roles.map(r, 'role:' + r)"},
            "uid": {"expression": "claims.sub"},
            "extra": [
                {"key": "example.com/tenant", "valueExpression": "claims.tenant"},
                {"key": "example.com/nickname", "valueExpression": "claims.?nickname.orValue('')"},
            ],
        },
        "userValidationRules": [
            {
                "expression": "!user.username.startsWith('system:')",
                "message": "username cannot use reserved system: prefix",
            },
            {"expression": "!('role:banned' in user.groups)", "message": "banned"},
        ],
    }


def claims_for(idp: IdentityProvider, **over: Any) -> dict[str, Any]:
    return idp.claims(**{"hd": "example.com", "roles": ["dev"], "tenant": "acme", **over})


def run_config(path: Path, *tokens: str) -> list[UserInfo | str | None]:
    """Each token's outcome with the configuration at `path`: a user, a refusal reason, or None."""

    async def run() -> list[UserInfo | str | None]:
        opts = AuthenticationOptions(authentication_config=str(path))
        opts.complete()
        assert opts.validate() == []
        (authenticator,) = jwt.from_options(opts)
        outcomes: list[UserInfo | str | None] = []
        for token in tokens:
            deadline = time.monotonic() + 10
            while True:
                try:
                    outcomes.append(
                        await authenticator.authenticate(
                            AuthRequest({"authorization": f"Bearer {token}"})
                        )
                    )
                    break
                except AuthenticationError as err:
                    if "not initialized" in err.reason and time.monotonic() < deadline:
                        await asyncio.sleep(0.02)
                        continue
                    outcomes.append(err.reason)
                    break
        return outcomes

    return asyncio.run(run())


@pytest.fixture(scope="module")
def cel_config(idps, tmp_path_factory: pytest.TempPathFactory) -> Path:
    first, second = idps
    path = tmp_path_factory.mktemp("authn") / "authn.yaml"
    plain = {
        "issuer": {
            "url": second.issuer,
            "audiences": ["second"],
            "certificateAuthority": second.ca_file.read_text(),
        },
        "claimMappings": {
            "username": {"claim": "sub", "prefix": "second:"},
            "groups": {"claim": "groups", "prefix": ""},
            "uid": {"claim": "sub"},
        },
    }
    path.write_text(yaml.safe_dump({**HEADER, "jwt": [cel_issuer(first), plain]}))
    return path


def test_cel_mappings_make_the_user(idps, cel_config: Path) -> None:
    first, _ = idps
    token = first.token(claims_for(first, nickname="ally", roles=["dev", "ops"], jti="t-1"))
    (user,) = run_config(cel_config, token)
    assert user == UserInfo(
        name="alice",
        uid="alice-sub",
        groups=("role:dev", "role:ops"),
        extra={
            CREDENTIAL_ID_KEY: ("JTI=t-1",),
            "example.com/tenant": ("acme",),
            "example.com/nickname": ("ally",),
        },
    )
    assert user.extra == {
        CREDENTIAL_ID_KEY: ("JTI=t-1",),
        "example.com/tenant": ("acme",),
        "example.com/nickname": ("ally",),
    }


def test_any_listed_audience_is_accepted_and_empty_extras_are_dropped(idps, cel_config) -> None:
    first, _ = idps
    (user,) = run_config(cel_config, first.token(claims_for(first, aud=["other-client"])))
    assert user.extra == {"example.com/tenant": ("acme",)}


def test_cel_rules_refuse_tokens_with_their_message(idps, cel_config: Path) -> None:
    first, _ = idps
    now = int(time.time())
    outcomes = run_config(
        cel_config,
        first.token(claims_for(first, iat=now - 7200, exp=now + 600)),
        first.token(claims_for(first, hd=None)),
        first.token(claims_for(first, email="system:admin@example.com")),
        first.token(claims_for(first, roles=["banned"])),
        first.token(claims_for(first, email_verified=False)),
        first.token(claims_for(first, email=None)),
        first.token(claims_for(first, roles=[1, 2])),
        first.token(claims_for(first, tenant=7)),
        first.token(claims_for(first, aud="someone-else")),
    )
    assert outcomes == [
        "oidc: error evaluating claim validation expression: validation expression "
        "'claims.exp - claims.iat <= 3600' failed: token lifetime too long",
        "oidc: required claim hd not present in ID token",
        "oidc: error evaluating user info validation rule: validation expression "
        "'!user.username.startsWith('system:')' failed: username cannot use reserved system: prefix",
        "oidc: error evaluating user info validation rule: validation expression "
        "'!('role:banned' in user.groups)' failed: banned",
        "oidc: empty username via CEL expression is not allowed",
        outcomes[5],
        outcomes[6],
        "oidc: error evaluating extra claim expression: claims.tenant: expression must return a "
        "string or a list of strings",
        outcomes[8],
    ]
    assert outcomes[5].startswith("oidc: error evaluating username claim expression: ")
    assert "email" in outcomes[5]
    assert outcomes[6].startswith("oidc: error evaluating group claim expression: ")
    assert "expected audience" in outcomes[8]


def test_each_issuer_of_the_file_checks_its_own_tokens(idps, cel_config: Path) -> None:
    first, second = idps
    outcomes = run_config(
        cel_config,
        second.token(kid="ec-1", aud="second", groups=["g1"]),
        second.token(aud=CLIENT_ID),  # an audience of the first issuer only
        first.token(claims_for(first, aud="second")),
        second.token(claims_for(first), kid="ec-1"),  # first's issuer, second's key
        second.token(iss="https://unknown.example.com"),
    )
    assert outcomes[0] == UserInfo(name="second:alice-sub", uid="alice-sub", groups=("g1",))
    assert "expected audience" in outcomes[1]
    assert "expected audience" in outcomes[2]
    assert "failed to verify" in outcomes[3]
    assert outcomes[4] is None


# -- anonymous access -----------------------------------------------------------------------


def test_the_anonymous_section_decides_anonymous_access_over_the_flag(tmp_path: Path) -> None:
    path = tmp_path / "authn.yaml"
    path.write_text(yaml.safe_dump(HEADER))
    assert config.anonymous_access(flag=True, config_file=path) == (True, None)
    assert config.anonymous_access(flag=False) == (False, None)
    path.write_text(yaml.safe_dump({**HEADER, "anonymous": {"enabled": False}}))
    assert config.anonymous_access(flag=True, config_file=path) == (False, None)
    path.write_text(
        yaml.safe_dump(
            {
                **HEADER,
                "anonymous": {
                    "enabled": True,
                    "conditions": [{"path": "/livez"}, {"path": "/readyz"}],
                },
            }
        )
    )
    assert config.anonymous_access(flag=False, config_file=path) == (
        True,
        frozenset({"/livez", "/readyz"}),
    )


def test_anonymous_conditions_allow_only_their_exact_paths() -> None:
    union = UnionAuthenticator([], anonymous=True, anonymous_paths=frozenset({"/livez"}))

    def outcome(path: str, headers: dict[str, str] | None = None) -> UserInfo | None:
        return asyncio.run(union.authenticate(AuthRequest(headers or {}, path=path)))

    assert outcome("/livez") == ANONYMOUS_USER
    for path in ("/livez/", "/livez/ping", "/readyz", "/api", ""):
        assert outcome(path) is None, path
    assert not union.per_connection({})  # the answer depends on the path, not the connection
    with pytest.raises(AuthenticationError):
        outcome("/livez", {"authorization": "Bearer nobody-knows-me"})
