"""kubectl 1.32+ sends protobuf for the rbac, networking, policy and scheduling `create`
generators and for `autoscale`; the server stores what kubectl 1.30 gets from the same command
in JSON."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest

from kubectl_protobuf import JSON_KUBECTL, PROTOBUF_KUBECTL, created_both_ways

RULES = "--resource=pods,deployments.apps,pods/log"
SELECTOR = "--selector=app=x,tier in (a,b),!legacy"

# case: (resource, name, *kubectl args)
NAMESPACED = {
    "role": ("role", "reader", "create", "role", "{name}", "--verb=get", "--verb=list,watch",
             RULES, "--resource-name=a", "--resource-name=b"),
    "rolebinding-role": ("rolebinding", "binding", "create", "rolebinding", "{name}",
                         "--role=reader", "--user=alice", "--user=bob", "--group=devs",
                         "--serviceaccount=other:robot"),
    "rolebinding-clusterrole": ("rolebinding", "binding", "create", "rolebinding", "{name}",
                                "--clusterrole=view", "--serviceaccount=other:robot"),
    "ingress-default-backend": ("ingress", "web", "create", "ingress", "{name}",
                                "--class=nginx", "--default-backend=svc0:8080",
                                "--annotation=team=a", "--annotation=tier=b"),
    "ingress-named-port": ("ingress", "web", "create", "ingress", "{name}",
                           "--default-backend=svc0:http"),
    "pdb-min-percent": ("pdb", "budget", "create", "pdb", "{name}", SELECTOR,
                        "--min-available=50%"),
    "pdb-min-zero": ("pdb", "budget", "create", "pdb", "{name}", "--selector=app=x",
                     "--min-available=0"),
    "pdb-max": ("pdb", "budget", "create", "pdb", "{name}", "--selector=app=x",
                "--max-unavailable=1"),
    "pdb-max-zero": ("pdb", "budget", "create", "pdb", "{name}", "--selector=app=x",
                     "--max-unavailable=0"),
    # A rule's paths are embedded in it in Go (`json:",inline"`).
    "ingress-rules": ("ingress", "web", "create", "ingress", "{name}", "--class=nginx",
                      "--rule=foo.com/bar*=svc1:8080,tls=sec1", "--rule=foo.com/=svc2:http",
                      "--rule=bar.com/exact=svc3:80,tls", "--rule=*.baz.com/*=svc4:https",
                      "--default-backend=svc0:80", "--annotation=team=a"),
}  # fmt: skip
CLUSTER_SCOPED = {
    "clusterrole": ("clusterrole", "pbreader", "create", "clusterrole", "{name}",
                    "--verb=get,patch", RULES, "--resource-name=a",
                    "--non-resource-url=/logs/*"),
    "clusterrolebinding": ("clusterrolebinding", "pbbinding", "create", "clusterrolebinding",
                           "{name}", "--clusterrole=view", "--user=alice", "--group=devs",
                           "--serviceaccount=other:robot"),
    "priorityclass": ("priorityclass", "pbclass", "create", "priorityclass", "{name}",
                      "--value=1000", "--description=for batch work",
                      "--preemption-policy=Never", "--global-default=false"),
    "priorityclass-zero": ("priorityclass", "pbzero", "create", "priorityclass", "{name}",
                           "--value=0"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(NAMESPACED))
def test_generator_stores_the_same_object(server, case):
    resource, name, *args = NAMESPACED[case]
    as_json, as_protobuf = created_both_ways(server, resource, name, *args)
    assert as_protobuf == as_json


@pytest.mark.parametrize("case", sorted(CLUSTER_SCOPED))
def test_cluster_scoped_generator_stores_the_same_object(server, case):
    resource, name, *args = CLUSTER_SCOPED[case]
    as_json, as_protobuf = created_both_ways(server, resource, name, *args, namespaced=False)
    assert as_protobuf == as_json


def test_an_aggregated_cluster_role_stores_the_same_selectors(server):
    as_json, as_protobuf = created_both_ways(
        server, "clusterrole", "pbaggregate", "create", "clusterrole", "{name}",
        "--aggregation-rule=a=b,c=d", namespaced=False,
    )  # fmt: skip
    assert as_protobuf["aggregationRule"] == {
        "clusterRoleSelectors": [{"matchLabels": {"a": "b", "c": "d"}}]
    }
    # Go's JSON writes the role's nil rules as `null` (no omitempty); the wire leaves them out,
    # and the server keeps what it was given.
    assert as_json.pop("rules", None) is None
    assert as_protobuf.pop("rules", None) is None
    assert as_protobuf == as_json


def test_a_global_default_priority_class_is_stored_the_same(server):
    # Only one class may be the global default, so each kubectl's is removed before the next.
    stored = []
    for version in (JSON_KUBECTL, PROTOBUF_KUBECTL):
        name = f"pbdefault-{version.replace('.', '-')}"
        server.kubectl("create", "priorityclass", name, "--value=7", "--global-default=true",
                       version=version)  # fmt: skip
        got = json.loads(server.kubectl("get", "priorityclass", name, "-o", "json").stdout)
        server.kubectl("delete", "priorityclass", name)
        stored.append({k: v for k, v in got.items() if k != "metadata"})
    assert stored[0]["globalDefault"] is True
    assert stored[1] == stored[0]


# `autoscale` needs the deployment it scales, so it gets a flow of its own: kubectl 1.33 sends
# an autoscaling/v2 HorizontalPodAutoscaler (and a v1 one if v2 is refused), kubectl 1.32 a v1.
def _autoscaled(server: Any, version: str, *args: str) -> tuple[Any, str]:
    """Run `kubectl autoscale <args>` in a fresh namespace holding deployment `web`: the
    HorizontalPodAutoscaler `web` stored (without what the server assigns), or kubectl's error."""
    namespace = "pb-" + uuid.uuid4().hex[:8]
    server.kubectl("create", "namespace", namespace, version=JSON_KUBECTL)
    server.kubectl("create", "deployment", "web", "--image=nginx", "-n", namespace,
                   version=JSON_KUBECTL)  # fmt: skip
    out = server.kubectl("autoscale", *args, "-n", namespace, version=version, check=False)
    if out.returncode != 0:
        return None, out.stderr.replace(namespace, "NS")
    got = json.loads(server.kubectl("get", "hpa", "web", "-n", namespace, "-o", "json").stdout)
    meta = got["metadata"]
    kept = {k: meta[k] for k in ("name", "labels", "annotations") if k in meta}
    return {"metadata": kept, "spec": got["spec"]}, ""


AUTOSCALE = {
    "v2": (PROTOBUF_KUBECTL, "deployment", "web", "--min=2", "--max=5", "--cpu-percent=80"),
    "v2-defaults": (PROTOBUF_KUBECTL, "deployment", "web", "--max=3"),
    "v1": ("1.32", "deployment", "web", "--min=2", "--max=5", "--cpu-percent=80",
           "--save-config"),
    "v1-defaults": ("1.32", "deployment", "web", "--max=3"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(AUTOSCALE))
def test_autoscale_stores_the_same_autoscaler(server, case):
    version, *args = AUTOSCALE[case]
    as_json, json_error = _autoscaled(server, JSON_KUBECTL, *args)
    as_protobuf, protobuf_error = _autoscaled(server, version, *args)
    assert not json_error and not protobuf_error, json_error + protobuf_error
    assert as_protobuf == as_json


@pytest.mark.parametrize("version", [PROTOBUF_KUBECTL, "1.32"])
def test_a_zero_cpu_target_is_kept_and_refused_as_in_json(server, version):
    # The target is a pointer: a zero that were dropped would create an autoscaler with the
    # default policy instead. kubectl 1.33 falls back to v1 after v2's refusal, so both end on
    # v1's answer.
    args = ("deployment", "web", "--max=3", "--cpu-percent=0")
    _, json_error = _autoscaled(server, JSON_KUBECTL, *args)
    _, protobuf_error = _autoscaled(server, version, *args)
    assert "targetCPUUtilizationPercentage" in json_error or "averageUtilization" in json_error
    assert protobuf_error == json_error
