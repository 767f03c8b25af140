"""Older and newer kubectl against the server: 1.27 (oldest supported here) and 1.33 (same minor).

Discovery, client-side apply, explain (OpenAPI v3) and wide tables must work with both, exactly as
against a real v1.33 kube-apiserver. kubectl 1.33's `create <generator>` commands send protobuf.
"""

from __future__ import annotations

import json
import re

import pytest
import yaml

VERSIONS = ["1.27", "1.33"]


def cols(line: str) -> list[str]:
    return re.split(r"\s{2,}", line.strip())


def table(output: str) -> tuple[list[str], dict[str, dict[str, str]]]:
    lines = [line for line in output.splitlines() if line.strip()]
    header = cols(lines[0])
    rows = {}
    for line in lines[1:]:
        cells = cols(line)
        assert len(cells) == len(header), f"row {line!r} does not match header {lines[0]!r}"
        rows[cells[0]] = dict(zip(header, cells, strict=True))
    return header, rows


def configmap(name: str, data: dict[str, str]) -> str:
    return yaml.safe_dump(
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}, "data": data}
    )


def deployment(name: str, image: str = "nginx:1.27", replicas: int = 2) -> str:
    return yaml.safe_dump(
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": name},
            "spec": {
                "replicas": replicas,
                "selector": {"matchLabels": {"app": name}},
                "template": {
                    "metadata": {"labels": {"app": name}},
                    "spec": {"containers": [{"name": "main", "image": image}]},
                },
            },
        }
    )


@pytest.mark.parametrize("version", VERSIONS)
def test_discovery_lists_api_resources(server, version):
    out = server.kubectl("api-resources", version=version).stdout
    rows = {tuple(cols(line)) for line in out.splitlines()[1:]}
    for row in [
        ("configmaps", "cm", "v1", "true", "ConfigMap"),
        ("namespaces", "ns", "v1", "false", "Namespace"),
        ("pods", "po", "v1", "true", "Pod"),
        ("services", "svc", "v1", "true", "Service"),
        ("deployments", "deploy", "apps/v1", "true", "Deployment"),
        ("leases", "coordination.k8s.io/v1", "true", "Lease"),
    ]:
        assert row in rows, f"{row} missing from kubectl {version} api-resources:\n{out}"


@pytest.mark.parametrize("version", VERSIONS)
def test_api_versions_lists_the_group_versions(server, version):
    versions = server.kubectl("api-versions", version=version).stdout.split()
    for gv in ("v1", "apps/v1", "coordination.k8s.io/v1", "events.k8s.io/v1"):
        assert gv in versions


@pytest.mark.parametrize("version", VERSIONS)
def test_get_namespaces_shows_the_system_namespaces(server, version):
    header, rows = table(server.kubectl("get", "ns", version=version).stdout)
    assert header == ["NAME", "STATUS", "AGE"]
    for name in ("default", "kube-node-lease", "kube-public", "kube-system"):
        assert rows[name]["STATUS"] == "Active"


@pytest.mark.parametrize("version", VERSIONS)
def test_apply_creates_then_is_unchanged_then_configures(server, ns, version):
    out = server.kubectl(
        "apply", "-n", ns, "-f", "-", input=configmap("web", {"a": "1", "b": "2"}), version=version
    )
    assert out.stdout.strip() == "configmap/web created"
    out = server.kubectl(
        "apply", "-n", ns, "-f", "-", input=configmap("web", {"a": "1", "b": "2"}), version=version
    )
    assert out.stdout.strip() == "configmap/web unchanged"
    out = server.kubectl(
        "apply", "-n", ns, "-f", "-", input=configmap("web", {"a": "2"}), version=version
    )
    assert out.stdout.strip() == "configmap/web configured"
    obj = json.loads(
        server.kubectl("get", "cm", "web", "-n", ns, "-o", "json", version=version).stdout
    )
    assert obj["data"] == {"a": "2"}


@pytest.mark.parametrize("version", VERSIONS)
def test_apply_a_deployment_then_change_its_image(server, ns, version):
    out = server.kubectl("apply", "-n", ns, "-f", "-", input=deployment("web"), version=version)
    assert out.stdout.strip() == "deployment.apps/web created"
    out = server.kubectl(
        "apply", "-n", ns, "-f", "-", input=deployment("web", image="nginx:1.28"), version=version
    )
    assert out.stdout.strip() == "deployment.apps/web configured"
    obj = json.loads(
        server.kubectl("get", "deploy", "web", "-n", ns, "-o", "json", version=version).stdout
    )
    assert obj["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.28"
    assert obj["metadata"]["generation"] == 2


@pytest.mark.parametrize("version", VERSIONS)
def test_explain_pod_spec_containers(server, version):
    out = server.kubectl("explain", "pod.spec.containers", version=version).stdout
    assert re.search(r"^KIND:\s+Pod$", out, re.M), out
    assert re.search(r"^VERSION:\s+v1$", out, re.M), out
    assert re.search(r"^FIELD:\s+containers <\[\]Container>$", out, re.M), out
    assert re.search(r"^\s+image\s+<string>$", out, re.M), out
    assert re.search(r"^\s+name\s+<string> -required-$", out, re.M), out


@pytest.mark.parametrize("version", VERSIONS)
def test_get_wide_prints_the_extra_columns(server, ns, version):
    server.kubectl("apply", "-n", ns, "-f", "-", input=deployment("web"), version=version)
    header, rows = table(
        server.kubectl("get", "deploy", "-n", ns, "-o", "wide", version=version).stdout
    )
    assert header == [
        "NAME",
        "READY",
        "UP-TO-DATE",
        "AVAILABLE",
        "AGE",
        "CONTAINERS",
        "IMAGES",
        "SELECTOR",
    ]
    assert rows["web"]["CONTAINERS"] == "main"
    assert rows["web"]["IMAGES"] == "nginx:1.27"
    assert rows["web"]["SELECTOR"] == "app=web"

    server.kubectl(
        "apply",
        "-n",
        ns,
        "-f",
        "-",
        version=version,
        input=yaml.safe_dump(
            {
                "apiVersion": "v1",
                "kind": "Pod",
                "metadata": {"name": "solo"},
                "spec": {"containers": [{"name": "c", "image": "busybox:1.36"}]},
            }
        ),
    )
    header, rows = table(
        server.kubectl("get", "pods", "-n", ns, "-o", "wide", version=version).stdout
    )
    assert header == [
        "NAME",
        "READY",
        "STATUS",
        "RESTARTS",
        "AGE",
        "IP",
        "NODE",
        "NOMINATED NODE",
        "READINESS GATES",
    ]
    assert rows["solo"]["STATUS"] == "Pending"
    assert rows["solo"]["NODE"] == "<none>"


@pytest.mark.parametrize("version", VERSIONS)
def test_get_missing_object_is_not_found(server, ns, version):
    out = server.kubectl("get", "cm", "missing", "-n", ns, version=version, check=False)
    assert out.returncode == 1
    assert out.stderr.strip() == 'Error from server (NotFound): configmaps "missing" not found'


def test_kubectl_1_33_create_deployment_generator(server, ns):
    out = server.kubectl(
        "create",
        "deployment",
        "gen",
        "-n",
        ns,
        "--image=nginx:1.27",
        "--replicas=3",
        version="1.33",
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "deployment.apps/gen created"
    obj = json.loads(
        server.kubectl("get", "deploy", "gen", "-n", ns, "-o", "json", version="1.33").stdout
    )
    assert obj["spec"]["replicas"] == 3
    assert obj["spec"]["selector"] == {"matchLabels": {"app": "gen"}}
    assert obj["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.27"
    assert obj["spec"]["template"]["spec"]["containers"][0]["name"] == "nginx"
