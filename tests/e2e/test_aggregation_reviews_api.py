"""APIServices, CustomResourceDefinitions (as objects) and the review kinds, driven by kubectl
and raw HTTP against a real server, compared with what a Kubernetes 1.33 cluster answers."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

import pytest

from conftest import Server, start_server

APISERVICES = "/apis/apiregistration.k8s.io/v1/apiservices"
CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"
AUTHZ = "/apis/authorization.k8s.io/v1"
AUTHN = "/apis/authentication.k8s.io/v1"
TOKEN = "f2-token-0123456789"


def header(output: str) -> list[str]:
    return output.splitlines()[0].split()


def rows(output: str) -> dict[str, list[str]]:
    return {line.split()[0]: line.split() for line in output.splitlines()[1:] if line.strip()}


# ---------------------------------------------------------------- APIServices


def test_kube_apiserver_registers_a_local_apiservice_per_served_group_version(server):
    out = server.kubectl("get", "apiservices").stdout
    assert header(out) == ["NAME", "SERVICE", "AVAILABLE", "AGE"]
    table = rows(out)
    for name in (
        "v1.",
        "v1.apps",
        "v1.authentication.k8s.io",
        "v1.apiextensions.k8s.io",
        "v2.autoscaling",
    ):
        assert table[name][1:3] == ["Local", "True"], table[name]
    assert "v1.apiregistration.k8s.io" not in table  # the aggregator's own group has no priority
    core = server.request("GET", f"{APISERVICES}/v1.").json()
    assert core["metadata"]["labels"] == {"kube-aggregator.kubernetes.io/automanaged": "onstart"}
    assert core["spec"] == {"version": "v1", "groupPriorityMinimum": 18000, "versionPriority": 1}
    [condition] = core["status"]["conditions"]
    assert {k: condition[k] for k in ("type", "status", "reason", "message")} == {
        "type": "Available",
        "status": "True",
        "reason": "Local",
        "message": "Local APIServices are always available",
    }


def test_a_remote_apiservice_reads_back_with_defaults_and_takes_status_through_its_subresource(
    server,
):
    group = f"g{uuid.uuid4().hex[:6]}.example.com"
    name = f"v1beta1.{group}"
    server.kubectl(
        "create",
        "-f",
        "-",
        input=(
            f"apiVersion: apiregistration.k8s.io/v1\nkind: APIService\nmetadata:\n  name: {name}\n"
            f"spec:\n  group: {group}\n  version: v1beta1\n  groupPriorityMinimum: 1000\n"
            "  versionPriority: 15\n  insecureSkipTLSVerify: true\n"
            "  service: {namespace: kube-system, name: metrics-server}\n"
        ),
    )
    obj = json.loads(server.kubectl("get", "apiservice", name, "-o", "json").stdout)
    assert obj["spec"]["service"] == {
        "namespace": "kube-system",
        "name": "metrics-server",
        "port": 443,
    }
    assert obj["status"] == {}
    assert rows(server.kubectl("get", "apiservice", name).stdout)[name][1:3] == [
        "kube-system/metrics-server",
        "Unknown",
    ]
    condition = {
        "type": "Available",
        "status": "False",
        "lastTransitionTime": "2026-01-01T00:00:00Z",
        "reason": "FailedDiscoveryCheck",
        "message": "no response",
    }
    obj["status"] = {"conditions": [condition]}
    resp = server.request("PUT", f"{APISERVICES}/{name}/status", obj)
    assert resp.status == 200, resp.body
    assert rows(server.kubectl("get", "apiservice", name).stdout)[name][2:4] == [
        "False",
        "(FailedDiscoveryCheck)",
    ]
    fresh = resp.json()
    fresh["status"]["conditions"][0]["status"] = "Maybe"
    bad = server.request("PUT", f"{APISERVICES}/{name}/status", fresh)
    assert bad.status == 422
    assert bad.json()["details"]["causes"] == [
        {
            "reason": "FieldValueNotSupported",
            "message": 'Unsupported value: "Maybe": supported values: "True", "False", "Unknown"',
            "field": "status.conditions[0].status",
        }
    ]
    # An update must name the version it replaces.
    del fresh["metadata"]["resourceVersion"]
    fresh["status"]["conditions"][0]["status"] = "True"
    unconditional = server.request("PUT", f"{APISERVICES}/{name}", fresh)
    assert unconditional.status == 422
    assert (
        "metadata.resourceVersion: Invalid value: 0: must be specified for an update"
        in (unconditional.json()["message"])
    )
    server.kubectl("delete", "apiservice", name)


def test_invalid_apiservices_are_refused_with_kubernetes_messages(server):
    result = server.kubectl(
        "create",
        "-f",
        "-",
        check=False,
        input=(
            "apiVersion: apiregistration.k8s.io/v1\nkind: APIService\nmetadata:\n  name: v1.foo.example.com\n"
            "spec:\n  group: bar.example.com\n  version: v1\n  groupPriorityMinimum: 0\n"
            "  versionPriority: 1001\n  caBundle: aGVsbG8=\n"
        ),
    )
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        'The APIService "v1.foo.example.com" is invalid: ',
        '* metadata.name: Invalid value: "v1.foo.example.com": must be `spec.version+"."+spec.group`: "v1.bar.example.com"',
        "* spec.groupPriorityMinimum: Invalid value: 0: must be positive and less than 20000",
        "* spec.versionPriority: Invalid value: 1001: must be positive and less than 1000",
        '* spec.caBundle: Invalid value: "5 bytes": local APIServices may not have a caBundle',
    ]


# ---------------------------------------------------------------- CustomResourceDefinitions


def crd_yaml(plural: str, group: str, extra: str = "") -> str:
    return f"""apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: {plural}.{group}
spec:
  group: {group}
  scope: Namespaced
  names:
    plural: {plural}
    kind: Widget
    shortNames: [wdg]
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              size: {{type: integer, default: 1}}
    subresources:
      status: {{}}
{extra}"""


def test_a_crd_from_yaml_reads_back_with_defaults_and_prints_as_kubectl_shows_it(server):
    group = f"g{uuid.uuid4().hex[:6]}.example.com"
    name = f"widgets.{group}"
    server.kubectl("create", "-f", "-", input=crd_yaml("widgets", group))
    obj = json.loads(server.kubectl("get", "crd", name, "-o", "json").stdout)
    assert obj["metadata"]["generation"] == 1
    assert obj["spec"]["names"] == {
        "plural": "widgets",
        "singular": "widget",
        "shortNames": ["wdg"],
        "kind": "Widget",
        "listKind": "WidgetList",
    }
    assert obj["spec"]["conversion"] == {"strategy": "None"}
    assert obj["status"] == {
        "conditions": None,
        "acceptedNames": {"plural": "", "kind": ""},
        "storedVersions": ["v1"],
    }
    for args in (("get", "crd", name), ("get", "crds", name, "-o", "wide")):
        out = server.kubectl(*args).stdout
        assert header(out) == ["NAME", "CREATED", "AT"]
        assert rows(out)[name][1] == obj["metadata"]["creationTimestamp"]
    # A spec change counts a generation; the status belongs to its subresource.
    server.kubectl(
        "patch", "crd", name, "--type=merge", "-p", '{"spec":{"names":{"categories":["all"]}}}'
    )
    patched = server.request("GET", f"{CRDS}/{name}").json()
    assert patched["metadata"]["generation"] == 2
    patched["status"]["acceptedNames"] = {"plural": "widgets", "kind": "Widget"}
    resp = server.request("PUT", f"{CRDS}/{name}/status", patched)
    assert resp.status == 200, resp.body
    assert resp.json()["status"]["acceptedNames"] == {"plural": "widgets", "kind": "Widget"}
    assert resp.json()["metadata"]["generation"] == 2
    server.kubectl("delete", "crd", name)


def test_a_crd_keeps_its_group_and_plural(server):
    group = f"g{uuid.uuid4().hex[:6]}.example.com"
    name = f"widgets.{group}"
    server.kubectl("create", "-f", "-", input=crd_yaml("widgets", group))
    result = server.kubectl(
        "patch",
        "crd",
        name,
        "--type=merge",
        "-p",
        '{"spec":{"names":{"plural":"gadgets"}}}',
        check=False,
    )
    assert result.returncode == 1
    assert 'spec.names.plural: Invalid value: "gadgets": field is immutable' in result.stderr
    server.kubectl("delete", "crd", name)


def test_invalid_crds_are_refused_with_the_paths_of_kubernetes_internal_form(server):
    result = server.kubectl(
        "create",
        "-f",
        "-",
        check=False,
        input="""apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: gadgets.example.com
spec:
  group: example
  scope: Namespaced
  names: {plural: gadgets, kind: Gadget}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            properties:
              a: {type: string}
""",
    )
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        'The CustomResourceDefinition "gadgets.example.com" is invalid: ',
        '* metadata.name: Invalid value: "gadgets.example.com": must be spec.names.plural+"."+spec.group',
        '* spec.group: Invalid value: "example": should be a domain with at least one dot',
        "* spec.validation.openAPIV3Schema.properties[spec].type: Required value: must not be empty for specified object fields",
    ]
    no_schema = server.kubectl(
        "create",
        "-f",
        "-",
        check=False,
        input=(
            "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n"
            "metadata: {name: things.example.com}\nspec:\n  group: example.com\n  scope: Cluster\n"
            "  names: {plural: things, kind: Thing}\n  versions: [{name: v1, served: true, storage: false}]\n"
        ),
    )
    lines = no_schema.stderr.splitlines()
    assert (
        lines[1]
        == "* spec.versions[0].schema.openAPIV3Schema: Required value: schemas are required"
    )
    assert lines[2].startswith(
        '* spec.versions: Invalid value: []apiextensions.CustomResourceDefinitionVersion{apiextensions.CustomResourceDefinitionVersion{Name:"v1", Served:true, Storage:false,'
    )
    assert lines[2].endswith(": must have exactly one version marked as storage version")
    assert (
        lines[3]
        == "* status.storedVersions: Invalid value: []string(nil): must have at least one stored version"
    )


# ---------------------------------------------------------------- reviews


def test_kubectl_auth_whoami_shows_the_requesting_user(server):
    out = server.kubectl("auth", "whoami").stdout
    assert header(out) == ["ATTRIBUTE", "VALUE"]
    assert rows(out)["Username"] == ["Username", "kubernetes-admin"]
    review = json.loads(server.kubectl("auth", "whoami", "-o", "json").stdout)
    assert review["kind"] == "SelfSubjectReview"
    assert review["status"]["userInfo"]["groups"] == ["system:masters", "system:authenticated"]
    impersonated = json.loads(
        server.kubectl("auth", "whoami", "-o", "json", "--as=jane", "--as-group=devs").stdout
    )
    assert impersonated["status"]["userInfo"] == {
        "username": "jane",
        "groups": ["devs", "system:authenticated"],
    }


def test_kubectl_auth_can_i_asks_the_authorizer(server):
    assert server.kubectl("auth", "can-i", "create", "pods").stdout.strip() == "yes"
    assert server.kubectl("auth", "can-i", "get", "/healthz").stdout.strip() == "yes"
    listing = server.kubectl("auth", "can-i", "--list").stdout.splitlines()
    assert listing[0].split() == ["Resources", "Non-Resource", "URLs", "Resource", "Names", "Verbs"]
    assert listing[1].split() == ["*.*", "[]", "[]", "[*]"]


def test_access_reviews_over_http_answer_with_201_and_store_nothing(server, ns):
    sar = {
        "apiVersion": "authorization.k8s.io/v1",
        "kind": "SubjectAccessReview",
        "spec": {
            "user": "alice",
            "resourceAttributes": {"verb": "list", "resource": "secrets", "namespace": ns},
        },
    }
    resp = server.request("POST", f"{AUTHZ}/subjectaccessreviews", sar)
    assert resp.status == 201, resp.body
    body = resp.json()
    assert body["metadata"] == {"creationTimestamp": None}
    assert body["spec"] == sar["spec"] and body["status"] == {"allowed": True}
    local = {**sar, "kind": "LocalSubjectAccessReview"}
    resp = server.request("POST", f"{AUTHZ}/namespaces/{ns}/localsubjectaccessreviews", local)
    assert resp.status == 201, resp.body
    assert resp.json()["metadata"] == {"namespace": ns, "creationTimestamp": None}
    assert server.request("GET", f"{AUTHZ}/subjectaccessreviews").status == 405
    rules = {"apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectRulesReview", "spec": {}}
    missing = server.request("POST", f"{AUTHZ}/selfsubjectrulesreviews", rules)
    assert (missing.status, missing.json()["message"]) == (400, "no namespace on request")


def test_invalid_access_reviews_are_refused_naming_no_object(server):
    sar = {
        "apiVersion": "authorization.k8s.io/v1",
        "kind": "SubjectAccessReview",
        "spec": {"resourceAttributes": {"verb": "get", "resource": "pods"}},
    }
    resp = server.request("POST", f"{AUTHZ}/subjectaccessreviews", sar)
    assert resp.status == 422
    assert resp.json()["message"] == (
        'SubjectAccessReview.authorization.k8s.io "" is invalid: '
        'spec.user: Invalid value: "": at least one of user or group must be specified'
    )


def test_review_kinds_are_discovered_as_create_only_with_no_storage(server):
    for path in (AUTHZ, AUTHN):
        for entry in server.request("GET", path).json()["resources"]:
            assert entry["verbs"] == ["create"], entry
            assert "storageVersionHash" not in entry
            assert entry["namespaced"] == (entry["name"] == "localsubjectaccessreviews")


# ---------------------------------------------------------------- a server of its own


@pytest.fixture(scope="module")
def own_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, list]]:
    """A server with a token file and nothing allowed beyond system:masters; restarted by a test."""
    base = tmp_path_factory.mktemp("reviews")
    tokens = base / "tokens.csv"
    tokens.write_text(f'{TOKEN},alice,uid-alice,"devs"\n')
    args = [f"--token-auth-file={tokens}", "--authorization-mode=AlwaysDeny"]
    servers = [start_server(base / "data", *args)]
    yield servers[0], servers
    for srv in servers:
        srv.stop()


def test_token_reviews_and_denials_follow_the_servers_authenticator_and_authorizer(own_server):
    srv, _ = own_server
    review = {
        "apiVersion": "authentication.k8s.io/v1",
        "kind": "TokenReview",
        "spec": {"token": TOKEN},
    }
    good = srv.request("POST", f"{AUTHN}/tokenreviews", review)
    assert good.status == 201, good.body
    assert good.json()["status"] == {
        "authenticated": True,
        "user": {
            "username": "alice",
            "uid": "uid-alice",
            "groups": ["devs", "system:authenticated"],
        },
        # A static token is good for the API's own audiences, which the review reports.
        "audiences": ["https://kubernetes.default.svc.cluster.local"],
    }
    bad = srv.request("POST", f"{AUTHN}/tokenreviews", {**review, "spec": {"token": "nope"}})
    assert bad.json()["status"] == {"user": {}, "error": "invalid bearer token"}
    whoami = srv.request(
        "POST",
        f"{AUTHN}/selfsubjectreviews",
        {"apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview"},
        headers={"Authorization": f"Bearer {TOKEN}"},
        client_cert=False,
    )
    # AlwaysDeny forbids alice even this.
    assert whoami.status == 403
    # bob may not even ask; the admin may ask about him.
    denied = srv.kubectl("auth", "can-i", "create", "pods", "--as=bob", check=False)
    assert denied.returncode == 1
    assert 'User "bob" cannot create resource "selfsubjectaccessreviews"' in denied.stderr
    sar = {
        "apiVersion": "authorization.k8s.io/v1",
        "kind": "SubjectAccessReview",
        "spec": {"user": "bob", "resourceAttributes": {"verb": "create", "resource": "pods"}},
    }
    answer = srv.request("POST", f"{AUTHZ}/subjectaccessreviews", sar).json()
    assert answer["status"] == {"allowed": False, "reason": "Everything is forbidden."}
    assert srv.kubectl("auth", "can-i", "create", "pods").stdout.strip() == "yes"


def test_local_apiservices_follow_runtime_config_across_restarts(own_server):
    srv, servers = own_server
    mine = {
        "apiVersion": "apiregistration.k8s.io/v1",
        "kind": "APIService",
        "metadata": {"name": "v1.batch.example.com"},
        "spec": {
            "group": "batch.example.com",
            "version": "v1",
            "groupPriorityMinimum": 10,
            "versionPriority": 1,
        },
    }
    assert srv.request("POST", APISERVICES, mine).status == 201
    srv.kubectl(
        "patch", "apiservice", "v1.apps", "--type=merge", "-p", '{"spec":{"versionPriority":99}}'
    )
    srv.stop()
    restarted = start_server(srv.data_dir, "--runtime-config=batch/v1=false", port=srv.port)
    servers.append(restarted)
    names = rows(restarted.kubectl("get", "apiservices").stdout)
    assert "v1.batch" not in names
    assert "v1.batch.example.com" in names  # not managed by the server: left alone
    apps = restarted.request("GET", f"{APISERVICES}/v1.apps").json()
    assert apps["spec"]["versionPriority"] == 15  # put back as kube-apiserver keeps it
