"""The structured authorization configuration: what loads, what is refused and in which words."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
import yaml

from kube_apiserver.authorization import config
from kube_apiserver.authorization.alwaysallow import AlwaysAllowAuthorizer
from kube_apiserver.authorization.alwaysdeny import AlwaysDenyAuthorizer
from kube_apiserver.authorization.config import ConfigError, go_duration
from kube_apiserver.authorization.webhook import WebhookAuthorizer
from kube_apiserver.cmd.options.authorization import AuthorizationOptions
from webhook.review_server import ReviewServer


@pytest.fixture(scope="module")
def kubeconfig(tmp_path_factory: pytest.TempPathFactory) -> str:
    directory = tmp_path_factory.mktemp("hook")
    return str(ReviewServer(directory).kubeconfig(directory / "kubeconfig", "/authorize"))


def hook(kubeconfig: str, **fields: Any) -> dict[str, Any]:
    settings = {
        "timeout": "3s",
        "subjectAccessReviewVersion": "v1",
        "failurePolicy": "NoOpinion",
        "connectionInfo": {"type": "KubeConfigFile", "kubeConfigFile": kubeconfig},
        **fields,
    }
    return {k: v for k, v in settings.items() if v is not None}


def write(tmp_path: Path, authorizers: list[dict[str, Any]], **doc: Any) -> Path:
    path = tmp_path / "authz.yaml"
    content = {
        "apiVersion": "apiserver.config.k8s.io/v1",
        "kind": "AuthorizationConfiguration",
        "authorizers": authorizers,
        **doc,
    }
    path.write_text(yaml.safe_dump(content))
    return path


def error(path: Path) -> str:
    with pytest.raises(ConfigError) as err:
        config.load(path)
    return str(err.value)


def test_a_chain_loads_in_order_with_defaults(tmp_path: Path, kubeconfig: str) -> None:
    path = write(
        tmp_path,
        [
            {"type": "Webhook", "name": "first", "webhook": hook(kubeconfig)},
            {"type": "Node", "name": "node"},
            {"type": "RBAC", "name": "rbac"},
            {
                "type": "Webhook",
                "name": "last.example.com",
                "webhook": hook(
                    kubeconfig,
                    authorizedTTL="1m",
                    unauthorizedTTL="10s",
                    cacheUnauthorizedRequests=False,
                    failurePolicy="Deny",
                    subjectAccessReviewVersion="v1beta1",
                    matchConditionSubjectAccessReviewVersion="v1",
                    matchConditions=[{"expression": "has(request.resourceAttributes)"}],
                ),
            },
        ],
    )
    entries = config.load(path)
    assert [(e.type, e.name) for e in entries] == [
        ("Webhook", "first"),
        ("Node", "node"),
        ("RBAC", "rbac"),
        ("Webhook", "last.example.com"),
    ]
    first, last = entries[0].webhook, entries[3].webhook
    assert first is not None and last is not None
    assert (first.timeout, first.settings.authorized_ttl, first.settings.unauthorized_ttl) == (
        3,
        300,
        30,
    )
    assert first.settings.cache_authorized and first.settings.cache_unauthorized
    assert not first.settings.deny_on_failure and first.settings.match is None
    assert (last.settings.authorized_ttl, last.settings.unauthorized_ttl) == (60, 10)
    assert last.settings.cache_authorized and not last.settings.cache_unauthorized
    assert last.settings.deny_on_failure and last.settings.version == "v1beta1"
    assert last.settings.match is not None


@pytest.mark.parametrize("version", ["v1", "v1beta1", "v1alpha1"])
def test_every_served_version_is_read(tmp_path: Path, version: str) -> None:
    path = write(
        tmp_path,
        [{"type": "AlwaysAllow", "name": "alwaysallow"}],
        apiVersion=f"apiserver.config.k8s.io/{version}",
    )
    assert [e.type for e in config.load(path)] == ["AlwaysAllow"]


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        (
            {"apiVersion": "apiserver.config.k8s.io/v2"},
            'failed to load AuthorizationConfiguration from file: no kind "AuthorizationConfiguration" '
            'is registered for version "apiserver.config.k8s.io/v2"',
        ),
        (
            {"kind": "AuthenticationConfiguration"},
            'no kind "AuthenticationConfiguration" is registered',
        ),
        (
            {"kind": None},
            "failed to load AuthorizationConfiguration from file: Object 'Kind' is missing",
        ),
    ],
)
def test_a_file_of_another_kind_or_version_is_refused(
    tmp_path: Path, doc: dict[str, Any], message: str
) -> None:
    assert message in error(write(tmp_path, [{"type": "RBAC", "name": "rbac"}], **doc))


def test_malformed_yaml_and_an_empty_file_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "authz.yaml"
    path.write_text("authorizers: [\n")
    assert error(path).startswith("failed to load AuthorizationConfiguration from file: yaml: line")
    path.write_text("")
    assert (
        error(path)
        == "authorizers: Required value: at least one authorization mode must be defined"
    )


def test_a_bad_duration_is_refused(tmp_path: Path, kubeconfig: str) -> None:
    path = write(
        tmp_path, [{"type": "Webhook", "name": "w", "webhook": hook(kubeconfig, timeout="soon")}]
    )
    assert error(path) == (
        'failed to load AuthorizationConfiguration from file: time: invalid duration "soon"'
    )


@pytest.mark.parametrize(
    ("authorizers", "message"),
    [
        ([], "authorizers: Required value: at least one authorization mode must be defined"),
        ([{"name": "x"}], "authorizers[0].type: Required value"),
        (
            [{"type": "Magic", "name": "magic"}],
            'authorizers[0].type: Unsupported value: "Magic": supported values: "ABAC", '
            '"AlwaysAllow", "AlwaysDeny", "Node", "RBAC", "Webhook"',
        ),
        (
            [{"type": "RBAC", "name": "rbac"}, {"type": "RBAC", "name": "rbac2"}],
            'authorizers[1].type: Duplicate value: "RBAC"',
        ),
        (
            [{"type": "Node", "name": "node"}, {"type": "Node", "name": "node"}],
            'authorizers[1].type: Duplicate value: "Node"',
        ),
        ([{"type": "RBAC"}], "authorizers[0].name: Required value"),
        (
            [{"type": "Webhook", "webhook": "HOOK"}],
            "authorizers[0].name: Required value",
        ),
        (
            [
                {"type": "Webhook", "name": "same", "webhook": "HOOK"},
                {"type": "Webhook", "name": "same", "webhook": "HOOK"},
            ],
            'authorizers[1].name: Duplicate value: "same"',
        ),
        (
            [{"type": "Webhook", "name": "Not_Valid", "webhook": "HOOK"}],
            'authorizers[0].name: Invalid value: "Not_Valid": authorizer name is invalid: a '
            "lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters",
        ),
        (
            [{"type": "Webhook", "name": "w"}],
            "authorizers[0].webhook: Required value: required when type=Webhook",
        ),
        (
            [{"type": "RBAC", "name": "rbac", "webhook": "HOOK"}],
            'authorizers[0].webhook: Invalid value: "non-null": may only be specified when type=Webhook',
        ),
        (
            [{"type": "RBAC", "name": "roles"}],
            "expected name rbac for authorizer RBAC instead of roles",
        ),
        (
            [{"type": "AlwaysDeny", "name": "deny"}, {"type": "Node", "name": "nodes"}],
            "[expected name alwaysdeny for authorizer AlwaysDeny instead of deny, expected name "
            "node for authorizer Node instead of nodes]",
        ),
        (
            [{"type": "ABAC", "name": "abac"}],
            'authorizer type "ABAC" is not supported by this version yet',
        ),
    ],
)
def test_the_chain_is_validated_with_kubernetes_field_paths(
    tmp_path: Path, kubeconfig: str, authorizers: list[dict[str, Any]], message: str
) -> None:
    for authorizer in authorizers:
        if authorizer.get("webhook") == "HOOK":
            authorizer["webhook"] = hook(kubeconfig)
    assert message in error(write(tmp_path, authorizers))


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"timeout": None}, "authorizers[0].timeout: Required value"),
        (
            {"timeout": "45s"},
            'authorizers[0].timeout: Invalid value: "45s": must be > 0s and <= 30s',
        ),
        (
            {"timeout": "-1s"},
            'authorizers[0].timeout: Invalid value: "-1s": must be > 0s and <= 30s',
        ),
        (
            {"authorizedTTL": "-5m"},
            'authorizers[0].authorizedTTL: Invalid value: "-5m0s": must be > 0s',
        ),
        (
            {"subjectAccessReviewVersion": None},
            "authorizers[0].subjectAccessReviewVersion: Required value",
        ),
        (
            {"subjectAccessReviewVersion": "v2"},
            'authorizers[0].subjectAccessReviewVersion: Unsupported value: "v2": supported values: '
            '"v1", "v1beta1"',
        ),
        (
            {"matchConditions": [{"expression": "true"}]},
            "authorizers[0].matchConditionSubjectAccessReviewVersion: Required value: required if "
            "match conditions are specified",
        ),
        (
            {"matchConditionSubjectAccessReviewVersion": "v1beta1"},
            'authorizers[0].matchConditionSubjectAccessReviewVersion: Unsupported value: "v1beta1": '
            'supported values: "v1"',
        ),
        ({"failurePolicy": None}, "authorizers[0].failurePolicy: Required value"),
        (
            {"failurePolicy": "Allow"},
            'authorizers[0].failurePolicy: Unsupported value: "Allow": supported values: '
            '"NoOpinion", "Deny"',
        ),
        ({"connectionInfo": {}}, "authorizers[0].connectionInfo.type: Required value"),
        (
            {"connectionInfo": {"type": "Carrier"}},
            'authorizers[0].connectionInfo.type: Unsupported value: "Carrier": supported values: '
            '"InClusterConfig", "KubeConfigFile"',
        ),
        (
            {"connectionInfo": {"type": "KubeConfigFile"}},
            "authorizers[0].connectionInfo.kubeConfigFile: Required value",
        ),
        (
            {"connectionInfo": {"type": "KubeConfigFile", "kubeConfigFile": "hook.kubeconfig"}},
            'authorizers[0].connectionInfo.kubeConfigFile: Invalid value: "hook.kubeconfig": must '
            "be an absolute path",
        ),
        (
            {"connectionInfo": {"type": "KubeConfigFile", "kubeConfigFile": "/nonexistent/kc"}},
            'authorizers[0].connectionInfo.kubeConfigFile: Invalid value: "/nonexistent/kc": error '
            "loading file: stat /nonexistent/kc: no such file or directory",
        ),
        (
            {"connectionInfo": {"type": "KubeConfigFile", "kubeConfigFile": "/"}},
            'authorizers[0].connectionInfo.kubeConfigFile: Invalid value: "/": must be a regular file',
        ),
        (
            {"connectionInfo": {"type": "InClusterConfig", "kubeConfigFile": "/x"}},
            'authorizers[0].connectionInfo.kubeConfigFile: Invalid value: "/x": can only be set when '
            "type=KubeConfigFile",
        ),
    ],
)
def test_webhook_settings_are_validated_under_the_authorizers_path(
    tmp_path: Path, kubeconfig: str, fields: dict[str, Any], message: str
) -> None:
    authorizers = [{"type": "Webhook", "name": "w", "webhook": hook(kubeconfig, **fields)}]
    assert error(write(tmp_path, authorizers)) == message


@pytest.mark.parametrize(
    ("expressions", "message"),
    [
        (["  "], "authorizers[0].matchConditions[0].expression: Required value"),
        (
            ["true", "true"],
            'authorizers[0].matchConditions[1].expression: Duplicate value: "true"',
        ),
        (
            ["request.user =="],
            'authorizers[0].matchConditions[0].expression: Invalid value: "request.user ==": '
            "compilation failed: ERROR: <input>:1:16: Syntax error:",
        ),
        (
            ["'a string'"],
            "authorizers[0].matchConditions[0].expression: Invalid value: \"'a string'\": must "
            "evaluate to bool but got string",
        ),
        (
            [f"request.user == 'u{i}'" for i in range(65)],
            "authorizers[0].matchConditions: Too many: 65: must have at most 64 items",
        ),
    ],
)
def test_match_conditions_are_validated_and_compiled(
    tmp_path: Path, kubeconfig: str, expressions: list[str], message: str
) -> None:
    webhook = hook(
        kubeconfig,
        matchConditionSubjectAccessReviewVersion="v1",
        matchConditions=[{"expression": e} for e in expressions],
    )
    assert message in error(write(tmp_path, [{"type": "Webhook", "name": "w", "webhook": webhook}]))


def test_several_problems_are_reported_together(tmp_path: Path, kubeconfig: str) -> None:
    authorizers = [
        {
            "type": "Webhook",
            "name": "w",
            "webhook": hook(kubeconfig, timeout=None, failurePolicy=None),
        },
        {"type": "RBAC"},
    ]
    assert error(write(tmp_path, authorizers)) == (
        "[authorizers[0].timeout: Required value, authorizers[0].failurePolicy: Required value, "
        "authorizers[1].name: Required value]"
    )


def test_the_chain_is_built_in_file_order(tmp_path: Path, kubeconfig: str) -> None:
    path = write(
        tmp_path,
        [
            {"type": "AlwaysDeny", "name": "alwaysdeny"},
            {"type": "Webhook", "name": "w", "webhook": hook(kubeconfig)},
            {"type": "AlwaysAllow", "name": "alwaysallow"},
        ],
    )
    chain = config.authorizers_from_file(
        path, {"AlwaysAllow": AlwaysAllowAuthorizer, "AlwaysDeny": AlwaysDenyAuthorizer}
    )
    assert [type(a) for a in chain] == [
        AlwaysDenyAuthorizer,
        WebhookAuthorizer,
        AlwaysAllowAuthorizer,
    ]

    async def close() -> None:
        await chain[1].close()  # type: ignore[attr-defined]

    asyncio.run(close())


def test_a_webhook_whose_kubeconfig_is_broken_is_a_problem(tmp_path: Path) -> None:
    broken = tmp_path / "broken.kubeconfig"
    broken.write_text("apiVersion: v1\nkind: Config\n")
    path = write(tmp_path, [{"type": "Webhook", "name": "w", "webhook": hook(str(broken))}])
    assert config.problems(path) == [
        'authorization webhook "w": invalid configuration: no configuration has been provided, '
        "try setting KUBERNETES_MASTER environment variable"
    ]
    with pytest.raises(ConfigError):
        config.authorizers_from_file(path, {})


def test_in_cluster_connection_needs_the_service_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KUBERNETES_SERVICE_HOST", raising=False)
    info = {"type": "InClusterConfig"}
    path = write(
        tmp_path, [{"type": "Webhook", "name": "w", "webhook": hook("", connectionInfo=info)}]
    )
    assert config.problems(path) == [
        'authorization webhook "w": unable to load in-cluster configuration, '
        "KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined"
    ]


def test_the_options_report_the_files_problems(tmp_path: Path) -> None:
    path = write(tmp_path, [{"type": "RBAC", "name": "roles"}])
    opts = AuthorizationOptions(authorization_config=str(path))
    assert opts.validate() == ["expected name rbac for authorizer RBAC instead of roles"]
    write(tmp_path, [{"type": "RBAC", "name": "rbac"}])
    assert opts.validate() == []


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "0s"), (3, "3s"), (45, "45s"), (90, "1m30s"), (300, "5m0s"), (3600, "1h0m0s"),
     (1.5, "1.5s"), (0.5, "500ms"), (-300, "-5m0s")],
)  # fmt: skip
def test_durations_are_written_as_go_writes_them(seconds: float, text: str) -> None:
    assert go_duration(seconds) == text
