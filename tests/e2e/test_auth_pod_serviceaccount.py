"""Pods and their service accounts, as a user sees them with kubectl: the `default` account and
`kube-root-ca.crt` in every namespace (put back when deleted or edited), the token volume every
pod gets, automount switched off by the pod or its account, refusals for missing accounts and
unlisted secrets, and namespaces that still delete cleanly."""

from __future__ import annotations

import json
import uuid
from typing import Any

from conftest import documents, eventually, table_cells
from kube_expected import KUBE_API_ACCESS_PROJECTION

MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount"
DESCRIPTION = (
    "Contains a CA bundle that can be used to verify the kube-apiserver when using internal "
    "endpoints such as the internal service IP or kubernetes.default.svc. No other usage is "
    "guaranteed across distributions of Kubernetes clusters."
)


def get_json(server, *args: str) -> dict:
    return json.loads(server.kubectl("get", *args, "-o", "json").stdout)


def pod(name: str, **spec: Any) -> dict:
    spec.setdefault("containers", [{"name": "app", "image": "nginx"}])
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name}, "spec": spec}


def account(name: str, **fields: Any) -> dict:
    return {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": name}, **fields}


def fresh_namespace() -> str:
    return "sa-" + uuid.uuid4().hex[:10]


def test_a_pod_in_a_new_namespace_runs_as_default_with_the_token_volume(server):
    namespace = fresh_namespace()
    web = pod(
        "web",
        initContainers=[{"name": "setup", "image": "busybox"}],
        containers=[{"name": "app", "image": "nginx"}, {"name": "sidecar", "image": "envoy"}],
    )
    web["metadata"]["namespace"] = namespace
    # The namespace and its first pod in one apply: the pod must not race the default account.
    ns_doc = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace}}
    server.kubectl("apply", "-f", "-", input=documents(ns_doc, web))

    spec = get_json(server, "pod", "web", "-n", namespace)["spec"]
    assert spec["serviceAccountName"] == spec["serviceAccount"] == "default"
    [volume] = spec["volumes"]
    name = volume["name"]
    assert name.startswith("kube-api-access-") and len(name) == len("kube-api-access-") + 5
    assert volume["projected"] == KUBE_API_ACCESS_PROJECTION
    mount = {"name": name, "readOnly": True, "mountPath": MOUNT_PATH}
    for container in spec["initContainers"] + spec["containers"]:
        assert container["volumeMounts"] == [mount], container["name"]

    described = server.kubectl("describe", "pod", "web", "-n", namespace).stdout
    assert "Service Account:  default" in described
    assert f"{MOUNT_PATH} from {name} (ro)" in described
    assert "Type:                    Projected" in described
    assert "ConfigMapName:           kube-root-ca.crt" in described

    # The account's name may not change afterwards: pod updates touch only a few fields.
    resp = server.request(
        "PATCH",
        f"/api/v1/namespaces/{namespace}/pods/web",
        {"spec": {"serviceAccountName": "other"}},
        headers={"Content-Type": "application/merge-patch+json"},
    )
    assert resp.status == 422, resp.body
    assert "pod updates may not change fields" in resp.json()["message"]
    server.kubectl("delete", "ns", namespace, "--wait=false")


def test_each_namespace_has_the_default_account_and_the_root_ca(server, ns):
    def listed() -> dict | None:
        out = server.kubectl("get", "sa,cm", "-n", ns).stdout
        return (
            out if "serviceaccount/default" in out and "configmap/kube-root-ca.crt" in out else None
        )

    out = eventually(listed, "default and kube-root-ca.crt")
    sections = out.strip().split("\n\n")
    _, accounts = table_cells(sections[0])
    assert accounts["serviceaccount/default"]["SECRETS"] == "0"
    _, configmaps = table_cells(sections[1])
    assert configmaps["configmap/kube-root-ca.crt"]["DATA"] == "1"

    configmap = get_json(server, "cm", "kube-root-ca.crt", "-n", ns)
    assert configmap["data"] == {"ca.crt": (server.data_dir / "pki" / "ca.crt").read_text()}
    assert configmap["metadata"]["annotations"] == {"kubernetes.io/description": DESCRIPTION}
    default = get_json(server, "sa", "default", "-n", ns)
    assert set(default) == {"apiVersion", "kind", "metadata"}  # nothing but its name
    for system in ("default", "kube-system", "kube-public", "kube-node-lease"):
        server.kubectl("get", "sa/default", "cm/kube-root-ca.crt", "-n", system)


def test_a_deleted_default_account_comes_back(server, ns):
    uid = eventually(
        lambda: (
            server.kubectl(
                "get", "sa", "default", "-n", ns, "-o", "jsonpath={.metadata.uid}", check=False
            ).stdout
        ),
        "the default account",
    )
    server.kubectl("delete", "sa", "default", "-n", ns)

    def recreated() -> str:
        out = server.kubectl(
            "get", "sa", "default", "-n", ns, "-o", "jsonpath={.metadata.uid}", check=False
        ).stdout
        return out if out and out != uid else ""

    eventually(recreated, "a new default account")
    # Pods created right after the deletion wait for it rather than fail.
    server.kubectl("delete", "sa", "default", "-n", ns)
    server.kubectl("apply", "-n", ns, "-f", "-", input=documents(pod("after")))
    assert get_json(server, "pod", "after", "-n", ns)["spec"]["serviceAccountName"] == "default"


def test_an_edited_or_deleted_root_ca_is_put_back(server, ns):
    ca = (server.data_dir / "pki" / "ca.crt").read_text()

    def restored() -> dict | None:
        result = server.kubectl(
            "get", "cm", "kube-root-ca.crt", "-n", ns, "-o", "json", check=False
        )
        if result.returncode != 0:
            return None
        cm = json.loads(result.stdout)
        annotations = cm["metadata"].get("annotations") or {}
        ok = cm.get("data") == {"ca.crt": ca} and annotations.get("kubernetes.io/description")
        return cm if ok else None

    eventually(restored, "kube-root-ca.crt")
    server.kubectl(
        "patch", "cm", "kube-root-ca.crt", "-n", ns, "--type=merge",
        "-p", '{"data": {"ca.crt": "forged", "extra": "x"}, "metadata": {"labels": {"mine": "yes"}}}',
    )  # fmt: skip
    cm = eventually(restored, "the restored data")
    assert cm["metadata"]["labels"] == {"mine": "yes"}  # only data and the description are kept

    server.kubectl(
        "annotate", "cm", "kube-root-ca.crt", "-n", ns, "kubernetes.io/description-", "other=1"
    )
    cm = eventually(restored, "the restored description")
    assert cm["metadata"]["annotations"] == {"kubernetes.io/description": DESCRIPTION, "other": "1"}

    server.kubectl("delete", "cm", "kube-root-ca.crt", "-n", ns)
    eventually(restored, "a recreated kube-root-ca.crt")


def test_automount_can_be_switched_off_by_the_pod_or_its_account(server, ns):
    quiet = account("quiet", automountServiceAccountToken=False)
    server.kubectl("apply", "-n", ns, "-f", "-", input=documents(quiet, account("chatty")))
    server.kubectl(
        "apply", "-n", ns, "-f", "-",
        input=documents(
            pod("pod-says-no", automountServiceAccountToken=False),
            pod("account-says-no", serviceAccountName="quiet"),
            pod("pod-overrides-account", serviceAccountName="quiet", automountServiceAccountToken=True),
            pod("plain", serviceAccountName="chatty"),
        ),
    )  # fmt: skip
    mounted = {}
    for item in get_json(server, "pods", "-n", ns)["items"]:
        spec = item["spec"]
        has_volume = any(v["name"].startswith("kube-api-access-") for v in spec.get("volumes", []))
        has_mount = any(
            m["mountPath"] == MOUNT_PATH for m in spec["containers"][0].get("volumeMounts", [])
        )
        assert has_volume == has_mount
        mounted[item["metadata"]["name"]] = has_volume
    assert mounted == {
        "pod-says-no": False,
        "account-says-no": False,
        "pod-overrides-account": True,
        "plain": True,
    }


def test_a_pod_naming_a_missing_account_is_forbidden(server, ns):
    resp = server.request(
        "POST", f"/api/v1/namespaces/{ns}/pods", pod("lost", serviceAccountName="ghost")
    )
    assert resp.status == 403, resp.body
    status = resp.json()
    assert status["reason"] == "Forbidden"
    assert status["message"] == (
        f'pods "lost" is forbidden: error looking up service account {ns}/ghost: '
        'serviceaccount "ghost" not found'
    )
    assert status["details"] == {"name": "lost", "kind": "pods"}

    result = server.kubectl(
        "apply",
        "-n",
        ns,
        "-f",
        "-",
        input=documents(pod("lost", serviceAccountName="ghost")),
        check=False,
    )
    assert result.returncode == 1
    assert (
        f'pods "lost" is forbidden: error looking up service account {ns}/ghost: '
        'serviceaccount "ghost" not found' in result.stderr
    )
    # Once the account exists, the same pod is accepted.
    server.kubectl("apply", "-n", ns, "-f", "-", input=documents(account("ghost")))
    server.kubectl(
        "apply", "-n", ns, "-f", "-", input=documents(pod("lost", serviceAccountName="ghost"))
    )


def test_pull_secrets_and_mountable_secrets_of_the_account(server, ns):
    strict = account(
        "strict",
        secrets=[{"name": "allowed"}],
        imagePullSecrets=[{"name": "registry"}],
    )
    strict["metadata"]["annotations"] = {"kubernetes.io/enforce-mountable-secrets": "true"}
    server.kubectl("apply", "-n", ns, "-f", "-", input=documents(strict))

    allowed = pod(
        "allowed",
        serviceAccountName="strict",
        volumes=[{"name": "s", "secret": {"secretName": "allowed"}}],
    )
    server.kubectl("apply", "-n", ns, "-f", "-", input=documents(allowed))
    spec = get_json(server, "pod", "allowed", "-n", ns)["spec"]
    assert spec["imagePullSecrets"] == [{"name": "registry"}]

    refused = pod(
        "refused",
        serviceAccountName="strict",
        volumes=[{"name": "s", "secret": {"secretName": "other"}}],
    )
    resp = server.request("POST", f"/api/v1/namespaces/{ns}/pods", refused)
    assert resp.status == 403, resp.body
    assert resp.json()["message"] == (
        'pods "refused" is forbidden: volume with secret.secretName="other" is not allowed '
        "because service account strict does not reference that secret"
    )


def test_deleting_a_namespace_completes_and_nothing_is_recreated_in_it(server):
    namespace = fresh_namespace()
    ns_doc = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace}}
    server.kubectl("apply", "-f", "-", input=documents(ns_doc))
    server.kubectl("apply", "-n", namespace, "-f", "-", input=documents(pod("web")))
    eventually(
        lambda: (
            server.kubectl("get", "cm", "kube-root-ca.crt", "-n", namespace, check=False).returncode
            == 0
        ),
        "kube-root-ca.crt",
    )
    server.kubectl("delete", "namespace", namespace, "--timeout=60s")
    result = server.kubectl("get", "namespace", namespace, check=False)
    assert result.returncode == 1
    assert f'namespaces "{namespace}" not found' in result.stderr
    # Nothing of it is left behind, nor created again.
    for kind in ("serviceaccounts", "configmaps", "pods"):
        resp = server.request("GET", f"/api/v1/namespaces/{namespace}/{kind}")
        assert resp.status == 200 and resp.json()["items"] == [], (kind, resp.body)
