"""The generic server's own endpoints and filters, end to end over HTTPS.

Health checks (/healthz, /livez, /readyz with ?verbose, ?exclude= and per-check paths),
/metrics, /version, and impersonation (Impersonate-User / Impersonate-Group), all compared
with what kube-apiserver 1.33 answers.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from conftest import audit_events

if TYPE_CHECKING:
    from conftest import Server

HEALTH_ENDPOINTS = ("healthz", "livez", "readyz")


# --- health --------------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", HEALTH_ENDPOINTS)
def test_health_endpoints_answer_a_plain_ok(server: Server, endpoint: str) -> None:
    resp = server.request("GET", f"/{endpoint}")
    assert resp.status == 200, resp.body
    assert resp.body == b"ok"
    assert resp.headers["content-type"].startswith("text/plain")


@pytest.mark.parametrize("endpoint", HEALTH_ENDPOINTS)
def test_verbose_health_lists_every_check_and_ends_with_check_passed(
    server: Server, endpoint: str
) -> None:
    resp = server.request("GET", f"/{endpoint}?verbose")
    assert resp.status == 200, resp.body
    lines = resp.body.decode().strip().splitlines()
    assert lines[0] == "[+]ping ok"
    assert "[+]log ok" in lines
    assert "[+]etcd ok" in lines
    assert lines[-1] == f"{endpoint} check passed"
    for line in lines[:-1]:
        assert re.fullmatch(r"\[\+\][\w:/-]+ ok", line), line


def test_verbose_health_also_works_with_verbose_set_to_true(server: Server) -> None:
    resp = server.request("GET", "/readyz?verbose=true")
    assert resp.status == 200
    assert resp.body.decode().strip().splitlines()[-1] == "readyz check passed"


@pytest.mark.parametrize("endpoint", HEALTH_ENDPOINTS)
def test_a_single_check_has_its_own_path_that_answers_ok(server: Server, endpoint: str) -> None:
    resp = server.request("GET", f"/{endpoint}/ping")
    assert resp.status == 200, resp.body
    assert resp.body == b"ok"


def test_the_etcd_check_has_its_own_path_too(server: Server) -> None:
    resp = server.request("GET", "/healthz/etcd")
    assert resp.status == 200, resp.body
    assert resp.body == b"ok"


def test_an_excluded_check_is_reported_as_excluded(server: Server) -> None:
    resp = server.request("GET", "/readyz?verbose&exclude=etcd")
    assert resp.status == 200, resp.body
    lines = resp.body.decode().strip().splitlines()
    assert "[+]etcd excluded: ok" in lines
    assert "[+]etcd ok" not in lines
    assert "[+]ping ok" in lines
    assert lines[-1] == "readyz check passed"


def test_several_checks_can_be_excluded_at_once(server: Server) -> None:
    resp = server.request("GET", "/livez?verbose&exclude=etcd&exclude=log")
    assert resp.status == 200, resp.body
    lines = resp.body.decode().strip().splitlines()
    assert "[+]etcd excluded: ok" in lines
    assert "[+]log excluded: ok" in lines
    assert lines[-1] == "livez check passed"


def test_excluding_a_check_that_does_not_exist_is_warned_about(server: Server) -> None:
    resp = server.request("GET", "/healthz?verbose&exclude=no-such-check")
    assert resp.status == 200, resp.body
    text = resp.body.decode()
    assert 'warn: some health checks cannot be excluded: no matches for "no-such-check"' in text
    assert text.strip().splitlines()[-1] == "healthz check passed"


@pytest.mark.parametrize("endpoint", HEALTH_ENDPOINTS)
def test_an_unknown_check_path_is_a_plain_404_page_not_found(server: Server, endpoint: str) -> None:
    # No handler is registered for it, so the request falls through to the end of
    # kube-apiserver's delegation chain (notfoundhandler), which answers with Go's
    # http.NotFound: plain text, not a Status.
    resp = server.request("GET", f"/{endpoint}/no-such-check")
    assert resp.status == 404, resp.body
    assert resp.body == b"404 page not found\n"
    assert resp.headers["content-type"] == "text/plain; charset=utf-8"


def test_an_anonymous_health_check_is_forbidden_when_authorization_denies_everything(
    deny_server: Server,
) -> None:
    # With AlwaysDeny anonymous requests stay enabled (only AlwaysAllow turns them off), and
    # the refusal is a Forbidden Status naming the non-resource path.
    resp = deny_server.request("GET", "/healthz", client_cert=False)
    assert resp.status == 403, resp.body
    status = resp.json()
    assert status["reason"] == "Forbidden"
    assert status["message"] == (
        'forbidden: User "system:anonymous" cannot get path "/healthz": Everything is forbidden.'
    )


# --- metrics -------------------------------------------------------------------------------

_SAMPLE = re.compile(r"^(?P<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(?P<labels>.*)\})? (?P<value>\S+)$")
_LABEL = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')


def parse_metrics(text: str) -> list[tuple[str, dict[str, str], float]]:
    samples = []
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        match = _SAMPLE.match(line)
        assert match, f"not a Prometheus sample line: {line!r}"
        labels = dict(_LABEL.findall(match.group("labels") or ""))
        samples.append((match.group("name"), labels, float(match.group("value"))))
    return samples


def find(
    samples: list[tuple[str, dict[str, str], float]], name: str, **labels: str
) -> list[tuple[dict[str, str], float]]:
    return [
        (lbls, value)
        for n, lbls, value in samples
        if n == name and all(lbls.get(k) == v for k, v in labels.items())
    ]


def cm(name: str) -> dict:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}, "data": {"k": "v"}}


@pytest.fixture
def metrics_after_configmap_traffic(
    server: Server, ns: str
) -> list[tuple[str, dict[str, str], float]]:
    base = f"/api/v1/namespaces/{ns}/configmaps"
    assert server.request("GET", base).status == 200
    assert server.request("POST", base, cm("m1")).status == 201
    assert server.request("GET", f"{base}/m1").status == 200
    assert server.request("GET", f"{base}/does-not-exist").status == 404
    watch = server.request("GET", f"{base}?watch=true&timeoutSeconds=1")
    assert watch.status == 200
    resp = server.request("GET", "/metrics")
    assert resp.status == 200
    assert resp.headers["content-type"].startswith("text/plain")
    return parse_metrics(resp.body.decode())


def test_metrics_are_in_the_prometheus_text_format(server: Server) -> None:
    resp = server.request("GET", "/metrics")
    assert resp.status == 200
    text = resp.body.decode()
    assert "# TYPE apiserver_request_total counter" in text
    assert "# TYPE apiserver_request_duration_seconds histogram" in text
    parse_metrics(text)  # every line parses


@pytest.mark.parametrize(
    ("verb", "code", "scope"),
    [
        ("LIST", "200", "namespace"),
        ("POST", "201", "resource"),  # a create is scoped to the one object it makes
        ("GET", "200", "resource"),
        ("GET", "404", "resource"),
        ("WATCH", "200", "namespace"),
    ],
)
def test_request_counter_has_code_verb_resource_and_scope_labels(
    metrics_after_configmap_traffic: list,
    verb: str,
    code: str,
    scope: str,
) -> None:
    # Other tests share the server (lists across all namespaces count as "cluster"), so the
    # sample is looked up by its scope too.
    found = find(
        metrics_after_configmap_traffic,
        "apiserver_request_total",
        resource="configmaps",
        verb=verb,
        code=code,
        scope=scope,
    )
    assert found, f"no apiserver_request_total for configmaps {verb} {code}"
    labels, value = found[0]
    assert value >= 1
    assert labels["group"] == ""
    assert labels["version"] == "v1"
    assert labels["scope"] == scope
    assert labels["component"] == "apiserver"
    assert labels["subresource"] == ""
    assert labels["dry_run"] == ""


def test_request_duration_histogram_has_buckets_sum_and_count(
    metrics_after_configmap_traffic: list,
) -> None:
    samples = metrics_after_configmap_traffic
    buckets = find(
        samples, "apiserver_request_duration_seconds_bucket", resource="configmaps", verb="LIST"
    )
    assert buckets, "no apiserver_request_duration_seconds_bucket for configmaps LIST"
    assert all("le" in labels for labels, _ in buckets)
    by_le = {labels["le"]: value for labels, value in buckets if labels["scope"] == "namespace"}
    assert "+Inf" in by_le
    finite = sorted((float(le), v) for le, v in by_le.items() if le != "+Inf")
    counts = [v for _, v in finite] + [by_le["+Inf"]]
    assert counts == sorted(counts), "bucket counts must be cumulative"
    count = find(
        samples,
        "apiserver_request_duration_seconds_count",
        resource="configmaps",
        verb="LIST",
        scope="namespace",
    )
    total = find(
        samples,
        "apiserver_request_duration_seconds_sum",
        resource="configmaps",
        verb="LIST",
        scope="namespace",
    )
    assert count and total
    assert count[0][1] == by_le["+Inf"]
    assert total[0][1] >= 0


def test_dry_run_requests_are_counted_with_the_dry_run_label(server: Server, ns: str) -> None:
    resp = server.request("POST", f"/api/v1/namespaces/{ns}/configmaps?dryRun=All", cm("dry"))
    assert resp.status == 201, resp.body
    samples = parse_metrics(server.request("GET", "/metrics").body.decode())
    assert find(
        samples,
        "apiserver_request_total",
        resource="configmaps",
        verb="POST",
        code="201",
        dry_run="All",
    )


def test_a_not_found_object_is_counted_as_404_not_as_a_server_error(
    server: Server, ns: str
) -> None:
    path = f"/api/v1/namespaces/{ns}/secrets/missing"
    before = parse_metrics(server.request("GET", "/metrics").body.decode())
    assert server.request("GET", path).status == 404
    after = parse_metrics(server.request("GET", "/metrics").body.decode())

    def total(samples: list, code: str) -> float:
        return sum(
            v
            for _, v in find(
                samples, "apiserver_request_total", resource="secrets", verb="GET", code=code
            )
        )

    assert total(after, "404") == total(before, "404") + 1
    assert total(after, "500") == total(before, "500")


# --- version -------------------------------------------------------------------------------


def test_version_reports_kubernetes_1_33(server: Server) -> None:
    resp = server.request("GET", "/version")
    assert resp.status == 200
    assert resp.headers["content-type"].startswith("application/json")
    info = resp.json()
    assert info["major"] == "1"
    assert info["minor"] == "33"
    assert info["gitVersion"].startswith("v1.33")
    for key in ("gitCommit", "gitTreeState", "buildDate", "goVersion", "compiler", "platform"):
        assert key in info, key


def test_kubectl_version_shows_the_server_version(server: Server) -> None:
    out = server.kubectl("version", "-o", "json").stdout
    info = json.loads(out)["serverVersion"]
    assert info["major"] == "1"
    assert info["minor"] == "33"
    assert info["gitVersion"].startswith("v1.33")


# --- impersonation -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def deny_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server where only system:masters may do anything, auditing every request."""
    from conftest import start_server

    data = tmp_path_factory.mktemp("deny")
    srv = start_server(
        data / "data", "--authorization-mode=AlwaysDeny", f"--audit-log-path={data / 'audit.log'}"
    )
    yield srv
    srv.stop()


def test_an_admin_is_allowed_even_when_authorization_denies_everything(deny_server: Server) -> None:
    resp = deny_server.request("GET", "/api/v1/namespaces/default/configmaps")
    assert resp.status == 200, resp.body
    assert resp.json()["kind"] == "ConfigMapList"


def test_impersonating_a_normal_user_applies_that_users_permissions(deny_server: Server) -> None:
    resp = deny_server.request(
        "GET", "/api/v1/namespaces/default/configmaps", headers={"Impersonate-User": "bob"}
    )
    assert resp.status == 403, resp.body
    status = resp.json()
    assert status["kind"] == "Status"
    assert status["status"] == "Failure"
    assert status["reason"] == "Forbidden"
    assert status["code"] == 403
    assert status["details"] == {"kind": "configmaps"}
    assert status["message"] == (
        'configmaps is forbidden: User "bob" cannot list resource "configmaps" in API group "" '
        'in the namespace "default": Everything is forbidden.'
    )


def test_impersonating_a_group_changes_the_groups_of_the_request(deny_server: Server) -> None:
    resp = deny_server.request(
        "GET",
        "/api/v1/namespaces/default/configmaps",
        headers={"Impersonate-User": "bob", "Impersonate-Group": "system:masters"},
    )
    assert resp.status == 200, resp.body


def test_impersonating_without_a_user_is_an_internal_error(deny_server: Server) -> None:
    # kube-apiserver answers with responsewriters.InternalError: plain text, not a Status.
    path = "/api/v1/namespaces/default/configmaps"
    resp = deny_server.request("GET", path, headers={"Impersonate-Group": "devs"})
    assert resp.status == 500, resp.body
    assert resp.headers["content-type"] == "text/plain; charset=utf-8"
    text = resp.body.decode()
    assert text.startswith(f'Internal Server Error: "{path}": requested '), text
    assert text.rstrip("\n").endswith("without impersonating a user"), text


def test_a_user_who_may_not_impersonate_is_refused(deny_server: Server) -> None:
    # An anonymous requester (no client certificate) has no right to impersonate anyone.
    resp = deny_server.request(
        "GET",
        "/api/v1/namespaces/default/configmaps",
        headers={"Impersonate-User": "alice"},
        client_cert=False,
    )
    assert resp.status == 403, resp.body
    status = resp.json()
    assert status["reason"] == "Forbidden"
    assert status["message"] == (
        'users "alice" is forbidden: User "system:anonymous" cannot impersonate resource "users" '
        'in API group "" at the cluster scope: Everything is forbidden.'
    )


def test_the_audit_event_names_both_the_requester_and_the_impersonated_user(
    deny_server: Server,
) -> None:
    marker = "imp-" + uuid.uuid4().hex[:8]
    path = f"/api/v1/namespaces/default/configmaps/{marker}"
    resp = deny_server.request(
        "GET", path, headers={"Impersonate-User": "bob", "Impersonate-Group": "devs"}
    )
    assert resp.status == 403
    events = audit_events(deny_server, path)
    assert len(events) == 1, events
    event = events[0]
    assert event["user"]["username"] == "kubernetes-admin"
    assert "system:masters" in event["user"]["groups"]
    assert event["impersonatedUser"]["username"] == "bob"
    assert set(event["impersonatedUser"]["groups"]) == {"devs", "system:authenticated"}
    assert event["responseStatus"]["code"] == 403
