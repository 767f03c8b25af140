"""A new user's first hour with kubectl 1.32 against the server: what kubectl prints is the spec.

Every expectation here is what `kubectl` prints against a real v1.33 kube-apiserver. Short object
names (at most four characters) keep kubectl's column padding identical to a real cluster, so
table headers can be compared exactly.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import threading
import time

import yaml

KUBECTL = (
    shutil.which("kubectl") or "/usr/bin/kubectl"
)  # kubectl 1.32, as the `server` fixture runs it

COLUMNS = re.compile(r"\s{2,}")


def cols(line: str) -> list[str]:
    """Split one line of kubectl's table output into its cells (cells are padded by 3 spaces)."""
    return COLUMNS.split(line.strip())


def table(output: str) -> tuple[str, dict[str, dict[str, str]]]:
    """The header line and the rows of a kubectl table, keyed by NAME."""
    lines = [line for line in output.splitlines() if line.strip()]
    header = lines[0].rstrip()
    names = cols(header)
    rows = {}
    for line in lines[1:]:
        cells = cols(line)
        assert len(cells) == len(names), f"row {line!r} does not match header {header!r}"
        rows[cells[0]] = dict(zip(names, cells, strict=True))
    return header, rows


def configmap(
    name: str,
    data: dict[str, str] | None = None,
    labels: dict[str, str] | None = None,
    annotations: dict[str, str] | None = None,
) -> str:
    meta: dict = {"name": name}
    if labels:
        meta["labels"] = labels
    if annotations:
        meta["annotations"] = annotations
    obj = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta}
    if data is not None:
        obj["data"] = data
    return yaml.safe_dump(obj)


def deployment(name: str, replicas: int = 2, containers: list[dict] | None = None) -> str:
    containers = containers or [{"name": "nginx", "image": "nginx:1.27"}]
    return yaml.safe_dump(
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": name, "labels": {"app": name}},
            "spec": {
                "replicas": replicas,
                "selector": {"matchLabels": {"app": name}},
                "template": {
                    "metadata": {"labels": {"app": name}},
                    "spec": {"containers": containers},
                },
            },
        }
    )


def pod(name: str, labels: dict[str, str] | None = None) -> str:
    return yaml.safe_dump(
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": name, "labels": labels or {"app": name}},
            "spec": {
                "containers": [
                    {"name": "app", "image": "busybox:1.36", "command": ["sleep", "3600"]}
                ]
            },
        }
    )


def service(name: str) -> str:
    return yaml.safe_dump(
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": name},
            "spec": {
                "selector": {"app": name},
                "ports": [{"port": 80, "targetPort": 8080, "protocol": "TCP"}],
            },
        }
    )


def get_json(server, ns: str, *what: str) -> dict:
    return json.loads(server.kubectl("get", *what, "-n", ns, "-o", "json").stdout)


# --- namespaces ---------------------------------------------------------------------------


def test_get_namespaces_lists_the_four_system_namespaces_as_active(server):
    header, rows = table(server.kubectl("get", "ns").stdout)
    assert cols(header) == ["NAME", "STATUS", "AGE"]
    for name in ("default", "kube-node-lease", "kube-public", "kube-system"):
        assert name in rows, f"namespace {name} missing from `kubectl get ns`"
        assert rows[name]["STATUS"] == "Active"


def test_get_a_new_namespace_by_name_shows_it_active(server, ns):
    header, rows = table(server.kubectl("get", "ns", ns).stdout)
    assert list(rows) == [ns]
    assert rows[ns]["STATUS"] == "Active"


# --- create and get as a table ------------------------------------------------------------


def test_create_configmap_from_stdin_then_get_prints_the_configmap_table(server, ns):
    out = server.kubectl(
        "create", "-n", ns, "-f", "-", input=configmap("web", {"a": "1", "b": "2"})
    )
    assert out.stdout.strip() == "configmap/web created"

    header, rows = table(server.kubectl("get", "configmaps", "-n", ns).stdout)
    # Every namespace also holds kube-root-ca.crt, whose name sets the column's width.
    assert header == "NAME               DATA   AGE"
    assert rows["web"]["DATA"] == "2"
    assert rows["kube-root-ca.crt"]["DATA"] == "1"
    assert re.fullmatch(r"\d+s", rows["web"]["AGE"])


def test_get_configmap_by_short_name_and_by_name(server, ns):
    server.kubectl("create", "-n", ns, "-f", "-", input=configmap("one", {"k": "v"}))
    server.kubectl("create", "-n", ns, "-f", "-", input=configmap("two", {}))
    header, rows = table(server.kubectl("get", "cm", "one", "-n", ns).stdout)
    assert header == "NAME   DATA   AGE"
    assert list(rows) == ["one"]
    assert rows["one"]["DATA"] == "1"
    header, rows = table(server.kubectl("get", "cm", "-n", ns).stdout)
    assert set(rows) == {"kube-root-ca.crt", "one", "two"}
    assert rows["two"]["DATA"] == "0"


def test_get_in_an_empty_namespace_says_no_resources_found(server, ns):
    out = server.kubectl("get", "pods", "-n", ns)  # configmaps: never empty (kube-root-ca.crt)
    assert out.stdout == ""
    assert out.stderr.strip() == f"No resources found in {ns} namespace."


def test_create_deployment_from_stdin_then_get_prints_the_deployment_table(server, ns):
    out = server.kubectl("create", "-n", ns, "-f", "-", input=deployment("web", replicas=3))
    assert out.stdout.strip() == "deployment.apps/web created"

    header, rows = table(server.kubectl("get", "deployments", "-n", ns).stdout)
    assert header == "NAME   READY   UP-TO-DATE   AVAILABLE   AGE"
    assert re.fullmatch(r"\d+/3", rows["web"]["READY"])
    assert rows["web"]["UP-TO-DATE"].isdigit()
    assert rows["web"]["AVAILABLE"].isdigit()


def test_get_deployments_wide_adds_containers_images_and_selector(server, ns):
    containers = [
        {"name": "nginx", "image": "nginx:1.27"},
        {"name": "side", "image": "busybox:1.36"},
    ]
    server.kubectl("create", "-n", ns, "-f", "-", input=deployment("web", containers=containers))
    header, rows = table(server.kubectl("get", "deploy", "-n", ns, "-o", "wide").stdout)
    assert cols(header) == [
        "NAME",
        "READY",
        "UP-TO-DATE",
        "AVAILABLE",
        "AGE",
        "CONTAINERS",
        "IMAGES",
        "SELECTOR",
    ]
    assert rows["web"]["CONTAINERS"] == "nginx,side"
    assert rows["web"]["IMAGES"] == "nginx:1.27,busybox:1.36"
    assert rows["web"]["SELECTOR"] == "app=web"


def test_create_pod_from_stdin_then_get_prints_the_pod_table(server, ns):
    out = server.kubectl("create", "-n", ns, "-f", "-", input=pod("web"))
    assert out.stdout.strip() == "pod/web created"

    header, rows = table(server.kubectl("get", "pods", "-n", ns).stdout)
    assert header == "NAME   READY   STATUS    RESTARTS   AGE"
    assert rows["web"]["READY"] == "0/1"
    assert rows["web"]["STATUS"] == "Pending"
    assert rows["web"]["RESTARTS"] == "0"


def test_get_pods_wide_adds_ip_node_nominated_node_and_readiness_gates(server, ns):
    server.kubectl("create", "-n", ns, "-f", "-", input=pod("web"))
    header, rows = table(server.kubectl("get", "po", "-n", ns, "-o", "wide").stdout)
    assert cols(header) == [
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
    # An unscheduled pod has none of them.
    assert rows["web"]["IP"] == "<none>"
    assert rows["web"]["NODE"] == "<none>"
    assert rows["web"]["NOMINATED NODE"] == "<none>"
    assert rows["web"]["READINESS GATES"] == "<none>"


def test_create_service_from_stdin_then_get_prints_the_service_table(server, ns):
    out = server.kubectl("create", "-n", ns, "-f", "-", input=service("web"))
    assert out.stdout.strip() == "service/web created"

    header, rows = table(server.kubectl("get", "svc", "-n", ns).stdout)
    assert cols(header) == ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"]
    assert rows["web"]["TYPE"] == "ClusterIP"
    assert re.fullmatch(r"\d+\.\d+\.\d+\.\d+", rows["web"]["CLUSTER-IP"]), rows["web"]
    assert rows["web"]["EXTERNAL-IP"] == "<none>"
    assert rows["web"]["PORT(S)"] == "80/TCP"


# --- output formats -----------------------------------------------------------------------


def test_get_output_yaml_prints_the_whole_object(server, ns):
    server.kubectl(
        "create", "-n", ns, "-f", "-", input=configmap("web", {"a": "1"}, labels={"app": "web"})
    )
    obj = yaml.safe_load(server.kubectl("get", "cm", "web", "-n", ns, "-o", "yaml").stdout)
    assert obj["apiVersion"] == "v1"
    assert obj["kind"] == "ConfigMap"
    assert obj["data"] == {"a": "1"}
    meta = obj["metadata"]
    assert meta["name"] == "web"
    assert meta["namespace"] == ns
    assert meta["labels"] == {"app": "web"}
    assert meta["uid"] and meta["resourceVersion"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", meta["creationTimestamp"])


def test_get_output_json_of_a_list_is_a_kind_list(server, ns):
    server.kubectl("create", "-n", ns, "-f", "-", input=configmap("a", {"x": "1"}))
    server.kubectl("create", "-n", ns, "-f", "-", input=configmap("b", {"y": "2"}))
    lst = get_json(server, ns, "cm")
    assert lst["apiVersion"] == "v1"
    assert lst["kind"] == "List"
    assert sorted(item["metadata"]["name"] for item in lst["items"]) == [
        "a",
        "b",
        "kube-root-ca.crt",
    ]
    assert all(item["kind"] == "ConfigMap" and item["apiVersion"] == "v1" for item in lst["items"])

    one = get_json(server, ns, "cm", "a")
    assert one["kind"] == "ConfigMap"
    assert one["data"] == {"x": "1"}


def test_get_output_name_prints_resource_slash_name(server, ns):
    server.kubectl("create", "-n", ns, "-f", "-", input=configmap("a"))
    server.kubectl("create", "-n", ns, "-f", "-", input=deployment("web"))
    assert server.kubectl("get", "cm", "-n", ns, "-o", "name").stdout.split() == [
        "configmap/a",
        "configmap/kube-root-ca.crt",
    ]
    assert server.kubectl("get", "deploy", "-n", ns, "-o", "name").stdout.split() == [
        "deployment.apps/web"
    ]


def test_get_output_jsonpath_selects_fields(server, ns):
    server.kubectl("create", "-n", ns, "-f", "-", input=configmap("a", {"k": "hello"}))
    out = server.kubectl("get", "cm", "a", "-n", ns, "-o", "jsonpath={.data.k}")
    assert out.stdout == "hello"


def test_get_show_labels_adds_a_labels_column(server, ns):
    server.kubectl(
        "create", "-n", ns, "-f", "-", input=configmap("a", labels={"env": "prod", "app": "web"})
    )
    server.kubectl("create", "-n", ns, "-f", "-", input=configmap("b"))
    header, rows = table(server.kubectl("get", "cm", "-n", ns, "--show-labels").stdout)
    assert header == "NAME               DATA   AGE   LABELS"
    assert rows["a"]["LABELS"] == "app=web,env=prod"
    assert rows["b"]["LABELS"] == "<none>"
    assert rows["kube-root-ca.crt"]["LABELS"] == "<none>"


def test_get_with_label_selectors(server, ns):
    server.kubectl(
        "create", "-n", ns, "-f", "-", input=configmap("p1", labels={"env": "prod", "tier": "web"})
    )
    server.kubectl(
        "create", "-n", ns, "-f", "-", input=configmap("p2", labels={"env": "prod", "tier": "db"})
    )
    server.kubectl("create", "-n", ns, "-f", "-", input=configmap("d1", labels={"env": "dev"}))
    server.kubectl("create", "-n", ns, "-f", "-", input=configmap("none"))

    def names(*selector: str) -> list[str]:
        return sorted(server.kubectl("get", "cm", "-n", ns, "-o", "name", *selector).stdout.split())

    assert names("-l", "env=prod") == ["configmap/p1", "configmap/p2"]
    root_ca = "configmap/kube-root-ca.crt"  # in every namespace, without labels
    assert names("-l", "env!=prod") == ["configmap/d1", root_ca, "configmap/none"]
    assert names("-l", "env=prod,tier=db") == ["configmap/p2"]
    assert names("-l", "env in (dev,test)") == ["configmap/d1"]
    assert names("-l", "env notin (prod)") == ["configmap/d1", root_ca, "configmap/none"]
    assert names("-l", "tier") == ["configmap/p1", "configmap/p2"]
    assert names("-l", "!env") == [root_ca, "configmap/none"]
    assert names("--selector", "env=staging") == []


def test_get_with_field_selectors(server, ns):
    server.kubectl("create", "-n", ns, "-f", "-", input=configmap("a"))
    server.kubectl("create", "-n", ns, "-f", "-", input=configmap("b"))
    out = server.kubectl("get", "cm", "-n", ns, "-o", "name", "--field-selector", "metadata.name=b")
    assert out.stdout.split() == ["configmap/b"]
    out = server.kubectl(
        "get", "cm", "-n", ns, "-o", "name", "--field-selector", "metadata.name!=b"
    )
    assert out.stdout.split() == ["configmap/a", "configmap/kube-root-ca.crt"]

    server.kubectl("create", "-n", ns, "-f", "-", input=pod("web"))
    out = server.kubectl(
        "get", "pods", "-n", ns, "-o", "name", "--field-selector", "status.phase=Pending"
    )
    assert out.stdout.split() == ["pod/web"]
    out = server.kubectl(
        "get", "pods", "-n", ns, "-o", "name", "--field-selector", "status.phase=Running"
    )
    assert out.stdout.split() == []


def test_get_with_an_unknown_field_selector_is_a_bad_request(server, ns):
    out = server.kubectl("get", "cm", "-n", ns, "--field-selector", "data.a=b", check=False)
    assert out.returncode == 1
    assert out.stderr.startswith("Error from server (BadRequest): ")
    assert (
        '"data.a" is not a known field selector: only "metadata.name", "metadata.namespace"'
        in out.stderr
    )


def test_get_across_all_namespaces_adds_a_namespace_column(server, ns):
    marker = ns.removeprefix("t-")
    server.kubectl(
        "create", "-n", ns, "-f", "-", input=configmap("web", {"a": "1"}, labels={"run": marker})
    )
    header, rows = table(server.kubectl("get", "cm", "-A", "-l", f"run={marker}").stdout)
    assert cols(header) == ["NAMESPACE", "NAME", "DATA", "AGE"]
    assert list(rows) == [ns]
    assert rows[ns]["NAME"] == "web"
    assert rows[ns]["DATA"] == "1"


# --- watch --------------------------------------------------------------------------------


class Watcher:
    """A `kubectl get -w` running in the background; its output is collected line by line."""

    def __init__(self, server, *args: str):
        env = {
            **os.environ,
            "KUBECACHEDIR": str(server.data_dir / "kubectl-cache"),
            "HOME": str(server.data_dir),
        }
        self.proc = subprocess.Popen(
            [KUBECTL, f"--kubeconfig={server.kubeconfig}", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        self.lines: list[str] = []
        self.cond = threading.Condition()
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            with self.cond:
                self.lines.append(line.rstrip("\n"))
                self.cond.notify_all()

    def wait_for(self, predicate, timeout: float = 20) -> list[str]:
        deadline = time.monotonic() + timeout
        with self.cond:
            while not predicate(self.lines):
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self.proc.poll() is not None:
                    break
                self.cond.wait(min(remaining, 0.5))
            return list(self.lines)

    def stop(self) -> tuple[list[str], str]:
        os.kill(self.proc.pid, 15)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.thread.join(timeout=10)
        return list(self.lines), self.proc.stderr.read()


def test_get_watch_sees_changes_made_by_another_kubectl(server, ns):
    server.kubectl("create", "-n", ns, "-f", "-", input=configmap("old", {"a": "1"}))
    watcher = Watcher(server, "get", "cm", "-w", "-n", ns)
    try:
        lines = watcher.wait_for(lambda ls: any(line.startswith("old ") for line in ls))
        # kube-root-ca.crt, in every namespace, is listed too and sets the column's width.
        assert lines and lines[0].rstrip() == "NAME               DATA   AGE", lines
        assert any(cols(line)[:2] == ["kube-root-ca.crt", "1"] for line in lines), lines
        assert any(cols(line)[:2] == ["old", "1"] for line in lines), lines

        server.kubectl("create", "-n", ns, "-f", "-", input=configmap("new", {"a": "1", "b": "2"}))
        lines = watcher.wait_for(lambda ls: any(line.startswith("new ") for line in ls))
        assert any(cols(line)[:2] == ["new", "2"] for line in lines), lines

        server.kubectl("patch", "cm", "old", "-n", ns, "-p", '{"data":{"b":"2","c":"3"}}')
        lines = watcher.wait_for(lambda ls: any(cols(line)[:2] == ["old", "3"] for line in ls))
        assert any(cols(line)[:2] == ["old", "3"] for line in lines), lines
    finally:
        lines, stderr = watcher.stop()
    # The header is printed once; each event is one row.
    assert sum(1 for line in lines if line.startswith("NAME")) == 1, lines
    assert "error" not in stderr.lower(), stderr


def test_get_watch_only_sees_the_named_object(server, ns):
    server.kubectl("create", "-n", ns, "-f", "-", input=configmap("mine", {"a": "1"}))
    watcher = Watcher(server, "get", "cm", "mine", "-w", "-n", ns, "-o", "name")
    try:
        watcher.wait_for(lambda ls: "configmap/mine" in ls)
        server.kubectl("create", "-n", ns, "-f", "-", input=configmap("othr"))
        server.kubectl("label", "cm", "mine", "-n", ns, "seen=yes")
        lines = watcher.wait_for(lambda ls: ls.count("configmap/mine") >= 2)
    finally:
        lines, _ = watcher.stop()
    assert lines.count("configmap/mine") >= 2, lines
    assert "configmap/othr" not in lines


# --- label, annotate, patch ---------------------------------------------------------------


def test_label_add_overwrite_and_remove(server, ns):
    server.kubectl("create", "-n", ns, "-f", "-", input=configmap("web"))
    out = server.kubectl("label", "cm", "web", "-n", ns, "env=prod", "tier=web")
    assert out.stdout.strip() == "configmap/web labeled"
    assert get_json(server, ns, "cm", "web")["metadata"]["labels"] == {"env": "prod", "tier": "web"}

    out = server.kubectl("label", "cm", "web", "-n", ns, "env=dev", check=False)
    assert out.returncode == 1
    assert out.stderr.strip() == "error: 'env' already has a value (prod), and --overwrite is false"

    out = server.kubectl("label", "cm", "web", "-n", ns, "env=dev", "--overwrite")
    assert out.stdout.strip() == "configmap/web labeled"
    assert get_json(server, ns, "cm", "web")["metadata"]["labels"] == {"env": "dev", "tier": "web"}

    out = server.kubectl("label", "cm", "web", "-n", ns, "tier-")
    assert out.stdout.strip() == "configmap/web unlabeled"
    assert get_json(server, ns, "cm", "web")["metadata"]["labels"] == {"env": "dev"}


def test_label_with_a_selector_labels_every_match(server, ns):
    server.kubectl("create", "-n", ns, "-f", "-", input=configmap("a", labels={"app": "x"}))
    server.kubectl("create", "-n", ns, "-f", "-", input=configmap("b", labels={"app": "x"}))
    server.kubectl("create", "-n", ns, "-f", "-", input=configmap("c"))
    out = server.kubectl("label", "cm", "-n", ns, "-l", "app=x", "team=core")
    assert sorted(out.stdout.split("\n")[:-1]) == ["configmap/a labeled", "configmap/b labeled"]
    names = server.kubectl("get", "cm", "-n", ns, "-l", "team=core", "-o", "name").stdout.split()
    assert sorted(names) == ["configmap/a", "configmap/b"]


def test_annotate_add_overwrite_and_remove(server, ns):
    server.kubectl("create", "-n", ns, "-f", "-", input=configmap("web"))
    out = server.kubectl("annotate", "cm", "web", "-n", ns, "owner=alice", "note=first")
    assert out.stdout.strip() == "configmap/web annotated"
    assert get_json(server, ns, "cm", "web")["metadata"]["annotations"] == {
        "owner": "alice",
        "note": "first",
    }

    out = server.kubectl("annotate", "cm", "web", "-n", ns, "owner=bob", check=False)
    assert out.returncode == 1
    assert (
        out.stderr.strip()
        == "error: --overwrite is false but found the following declared annotation(s): 'owner' already has a value (alice)"
    )

    server.kubectl("annotate", "cm", "web", "-n", ns, "owner=bob", "--overwrite")
    assert get_json(server, ns, "cm", "web")["metadata"]["annotations"] == {
        "owner": "bob",
        "note": "first",
    }

    out = server.kubectl("annotate", "cm", "web", "-n", ns, "note-")
    assert out.stdout.strip() == "configmap/web annotated"
    assert get_json(server, ns, "cm", "web")["metadata"]["annotations"] == {"owner": "bob"}


def test_patch_strategic_is_the_default_and_merges_containers_by_name(server, ns):
    server.kubectl("create", "-n", ns, "-f", "-", input=deployment("web"))
    patch = {
        "spec": {"template": {"spec": {"containers": [{"name": "side", "image": "busybox:1.36"}]}}}
    }
    out = server.kubectl("patch", "deployment", "web", "-n", ns, "-p", json.dumps(patch))
    assert out.stdout.strip() == "deployment.apps/web patched"
    containers = get_json(server, ns, "deploy", "web")["spec"]["template"]["spec"]["containers"]
    assert [(c["name"], c["image"]) for c in containers] == [
        ("side", "busybox:1.36"),
        ("nginx", "nginx:1.27"),
    ]

    patch = {
        "spec": {"template": {"spec": {"containers": [{"name": "nginx", "image": "nginx:1.28"}]}}}
    }
    server.kubectl(
        "patch", "deployment", "web", "-n", ns, "--type=strategic", "-p", json.dumps(patch)
    )
    containers = get_json(server, ns, "deploy", "web")["spec"]["template"]["spec"]["containers"]
    assert {c["name"]: c["image"] for c in containers} == {
        "side": "busybox:1.36",
        "nginx": "nginx:1.28",
    }


def test_patch_merge_replaces_lists_and_null_deletes_keys(server, ns):
    server.kubectl("create", "-n", ns, "-f", "-", input=deployment("web"))
    patch = {
        "spec": {"template": {"spec": {"containers": [{"name": "side", "image": "busybox:1.36"}]}}}
    }
    out = server.kubectl(
        "patch", "deployment", "web", "-n", ns, "--type=merge", "-p", json.dumps(patch)
    )
    assert out.stdout.strip() == "deployment.apps/web patched"
    containers = get_json(server, ns, "deploy", "web")["spec"]["template"]["spec"]["containers"]
    assert [(c["name"], c["image"]) for c in containers] == [("side", "busybox:1.36")]

    server.kubectl("create", "-n", ns, "-f", "-", input=configmap("cm", {"a": "1", "b": "2"}))
    server.kubectl(
        "patch", "cm", "cm", "-n", ns, "--type=merge", "-p", '{"data":{"a":null,"c":"3"}}'
    )
    assert get_json(server, ns, "cm", "cm")["data"] == {"b": "2", "c": "3"}


def test_patch_json_applies_operations_in_order(server, ns):
    server.kubectl("create", "-n", ns, "-f", "-", input=configmap("cm", {"a": "1", "b": "2"}))
    ops = [
        {"op": "add", "path": "/data/c", "value": "3"},
        {"op": "remove", "path": "/data/a"},
        {"op": "replace", "path": "/data/b", "value": "two"},
        {"op": "add", "path": "/metadata/labels", "value": {"via": "json-patch"}},
    ]
    out = server.kubectl("patch", "cm", "cm", "-n", ns, "--type=json", "-p", json.dumps(ops))
    assert out.stdout.strip() == "configmap/cm patched"
    obj = get_json(server, ns, "cm", "cm")
    assert obj["data"] == {"b": "two", "c": "3"}
    assert obj["metadata"]["labels"] == {"via": "json-patch"}


def test_patch_json_with_a_failing_test_op_changes_nothing(server, ns):
    server.kubectl("create", "-n", ns, "-f", "-", input=configmap("cm", {"a": "1"}))
    ops = [
        {"op": "test", "path": "/data/a", "value": "2"},
        {"op": "replace", "path": "/data/a", "value": "3"},
    ]
    out = server.kubectl(
        "patch", "cm", "cm", "-n", ns, "--type=json", "-p", json.dumps(ops), check=False
    )
    assert out.returncode == 1
    # The server answers 422 Invalid with the generic message (the JSON patch error itself is not exposed).
    assert (
        out.stderr.strip()
        == "The request is invalid: the server rejected our request due to an error in our request"
    )
    assert get_json(server, ns, "cm", "cm")["data"] == {"a": "1"}


def test_patch_that_changes_nothing_says_no_change(server, ns):
    server.kubectl("create", "-n", ns, "-f", "-", input=configmap("cm", {"a": "1"}))
    out = server.kubectl("patch", "cm", "cm", "-n", ns, "-p", '{"data":{"a":"1"}}')
    assert out.stdout.strip() == "configmap/cm patched (no change)"


# --- apply --------------------------------------------------------------------------------


def test_apply_creates_then_is_unchanged_then_configures(server, ns):
    manifest = configmap("web", {"a": "1", "b": "2"})
    out = server.kubectl("apply", "-n", ns, "-f", "-", input=manifest)
    assert out.stdout.strip() == "configmap/web created"
    created = get_json(server, ns, "cm", "web")
    assert "kubectl.kubernetes.io/last-applied-configuration" in created["metadata"]["annotations"]

    out = server.kubectl("apply", "-n", ns, "-f", "-", input=manifest)
    assert out.stdout.strip() == "configmap/web unchanged"
    assert (
        get_json(server, ns, "cm", "web")["metadata"]["resourceVersion"]
        == created["metadata"]["resourceVersion"]
    )

    out = server.kubectl(
        "apply", "-n", ns, "-f", "-", input=configmap("web", {"a": "10", "b": "2"})
    )
    assert out.stdout.strip() == "configmap/web configured"
    assert get_json(server, ns, "cm", "web")["data"] == {"a": "10", "b": "2"}


def test_apply_three_way_merge_removes_fields_dropped_from_the_manifest_and_keeps_others(
    server, ns
):
    server.kubectl(
        "apply",
        "-n",
        ns,
        "-f",
        "-",
        input=configmap("web", {"a": "1", "b": "2"}, labels={"app": "web", "tier": "x"}),
    )
    # Someone else adds a key the manifest never mentioned.
    server.kubectl(
        "patch", "cm", "web", "-n", ns, "--type=merge", "-p", '{"data":{"extra":"kept"}}'
    )

    out = server.kubectl(
        "apply", "-n", ns, "-f", "-", input=configmap("web", {"a": "1"}, labels={"app": "web"})
    )
    assert out.stdout.strip() == "configmap/web configured"
    obj = get_json(server, ns, "cm", "web")
    assert obj["data"] == {"a": "1", "extra": "kept"}
    assert obj["metadata"]["labels"] == {"app": "web"}
    applied = json.loads(
        obj["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"]
    )
    assert applied["data"] == {"a": "1"}


def test_apply_a_deployment_changing_its_containers(server, ns):
    out = server.kubectl(
        "apply",
        "-n",
        ns,
        "-f",
        "-",
        input=deployment(
            "web",
            containers=[
                {"name": "nginx", "image": "nginx:1.27", "ports": [{"containerPort": 80}]},
                {"name": "log", "image": "busybox:1.36"},
            ],
        ),
    )
    assert out.stdout.strip() == "deployment.apps/web created"
    generation = get_json(server, ns, "deploy", "web")["metadata"]["generation"]

    out = server.kubectl(
        "apply",
        "-n",
        ns,
        "-f",
        "-",
        input=deployment(
            "web",
            containers=[
                {"name": "nginx", "image": "nginx:1.28", "ports": [{"containerPort": 80}]},
                {"name": "metrics", "image": "prom/statsd-exporter:v0.26.0"},
            ],
        ),
    )
    assert out.stdout.strip() == "deployment.apps/web configured"
    obj = get_json(server, ns, "deploy", "web")
    containers = obj["spec"]["template"]["spec"]["containers"]
    assert [(c["name"], c["image"]) for c in containers] == [
        ("nginx", "nginx:1.28"),
        ("metrics", "prom/statsd-exporter:v0.26.0"),
    ]
    assert containers[0]["ports"] == [{"containerPort": 80, "protocol": "TCP"}]
    assert obj["metadata"]["generation"] == generation + 1

    header, rows = table(server.kubectl("get", "deploy", "web", "-n", ns, "-o", "wide").stdout)
    assert rows["web"]["CONTAINERS"] == "nginx,metrics"
    assert rows["web"]["IMAGES"] == "nginx:1.28,prom/statsd-exporter:v0.26.0"


def test_apply_several_objects_from_one_stream(server, ns):
    manifest = (
        configmap("a", {"k": "1"}) + "---\n" + configmap("b", {"k": "2"}) + "---\n" + service("web")
    )
    out = server.kubectl("apply", "-n", ns, "-f", "-", input=manifest)
    assert out.stdout.splitlines() == [
        "configmap/a created",
        "configmap/b created",
        "service/web created",
    ]
    out = server.kubectl("apply", "-n", ns, "-f", "-", input=manifest)
    assert out.stdout.splitlines() == [
        "configmap/a unchanged",
        "configmap/b unchanged",
        "service/web unchanged",
    ]


# --- scale --------------------------------------------------------------------------------


def test_scale_deployment_sets_replicas_and_bumps_generation(server, ns):
    server.kubectl("create", "-n", ns, "-f", "-", input=deployment("web", replicas=2))
    before = get_json(server, ns, "deploy", "web")
    out = server.kubectl("scale", "deployment", "web", "-n", ns, "--replicas=5")
    assert out.stdout.strip() == "deployment.apps/web scaled"

    after = get_json(server, ns, "deploy", "web")
    assert after["spec"]["replicas"] == 5
    assert after["metadata"]["generation"] == before["metadata"]["generation"] + 1
    header, rows = table(server.kubectl("get", "deploy", "web", "-n", ns).stdout)
    assert re.fullmatch(r"\d+/5", rows["web"]["READY"])


def test_scale_with_a_wrong_current_replicas_precondition_fails(server, ns):
    server.kubectl("create", "-n", ns, "-f", "-", input=deployment("web", replicas=2))
    out = server.kubectl(
        "scale", "deployment", "web", "-n", ns, "--current-replicas=3", "--replicas=5", check=False
    )
    assert out.returncode == 1
    assert "Expected replicas to be 3, was 2" in out.stderr
    assert get_json(server, ns, "deploy", "web")["spec"]["replicas"] == 2


# --- delete -------------------------------------------------------------------------------


def test_delete_by_name(server, ns):
    server.kubectl("create", "-n", ns, "-f", "-", input=configmap("a"))
    server.kubectl("create", "-n", ns, "-f", "-", input=configmap("b"))
    out = server.kubectl("delete", "cm", "a", "-n", ns)
    assert out.stdout.strip() == 'configmap "a" deleted'
    assert server.kubectl("get", "cm", "-n", ns, "-o", "name").stdout.split() == [
        "configmap/b",
        "configmap/kube-root-ca.crt",
    ]


def test_delete_by_label_selector(server, ns):
    server.kubectl("create", "-n", ns, "-f", "-", input=configmap("a", labels={"gone": "yes"}))
    server.kubectl("create", "-n", ns, "-f", "-", input=configmap("b", labels={"gone": "yes"}))
    server.kubectl("create", "-n", ns, "-f", "-", input=configmap("c", labels={"gone": "no"}))
    out = server.kubectl("delete", "cm", "-n", ns, "-l", "gone=yes")
    assert sorted(out.stdout.splitlines()) == ['configmap "a" deleted', 'configmap "b" deleted']
    assert server.kubectl("get", "cm", "-n", ns, "-o", "name").stdout.split() == [
        "configmap/c",
        "configmap/kube-root-ca.crt",
    ]


def test_delete_all(server, ns):
    for name in ("a", "b", "c"):
        server.kubectl("create", "-n", ns, "-f", "-", input=configmap(name))
    out = server.kubectl("delete", "cm", "--all", "-n", ns)
    assert sorted(out.stdout.splitlines()) == [
        'configmap "a" deleted',
        'configmap "b" deleted',
        'configmap "c" deleted',
        'configmap "kube-root-ca.crt" deleted',
    ]
    # kube-root-ca.crt is put back by the server (when is its business); nothing else is left.
    left = server.kubectl("get", "cm", "-n", ns, "-o", "name").stdout.split()
    assert [name for name in left if name != "configmap/kube-root-ca.crt"] == []


def test_delete_a_missing_object_is_not_found(server, ns):
    out = server.kubectl("delete", "cm", "nope", "-n", ns, check=False)
    assert out.returncode == 1
    assert out.stderr.strip() == 'Error from server (NotFound): configmaps "nope" not found'
    out = server.kubectl("delete", "cm", "nope", "-n", ns, "--ignore-not-found")
    assert out.stdout == "" and out.returncode == 0


def test_delete_from_a_manifest(server, ns):
    manifest = configmap("a") + "---\n" + deployment("web")
    server.kubectl("apply", "-n", ns, "-f", "-", input=manifest)
    out = server.kubectl("delete", "-n", ns, "-f", "-", input=manifest)
    assert out.stdout.splitlines() == ['configmap "a" deleted', 'deployment.apps "web" deleted']


# --- explain ------------------------------------------------------------------------------


def test_explain_pod_spec_describes_containers(server):
    out = server.kubectl("explain", "pod.spec").stdout
    assert re.search(r"^KIND:\s+Pod$", out, re.M), out
    assert re.search(r"^VERSION:\s+v1$", out, re.M), out
    assert re.search(r"^FIELD:\s+spec <PodSpec>$", out, re.M), out
    assert re.search(r"^\s+containers\s+<\[\]Container> -required-$", out, re.M), out
    assert "restartPolicy" in out


def test_explain_deployment_spec_replicas(server):
    out = server.kubectl("explain", "deployment.spec.replicas").stdout
    assert re.search(r"^GROUP:\s+apps$", out, re.M), out
    assert re.search(r"^KIND:\s+Deployment$", out, re.M), out
    assert re.search(r"^VERSION:\s+v1$", out, re.M), out
    assert re.search(r"^FIELD:\s+replicas <integer>$", out, re.M), out
    assert "Number of desired pods" in out


def test_explain_an_unknown_field_fails(server):
    out = server.kubectl("explain", "pod.spec.nosuchfield", check=False)
    assert out.returncode == 1
    assert 'field "nosuchfield" does not exist' in out.stderr


# --- validation ---------------------------------------------------------------------------


def test_create_with_an_unknown_field_is_a_strict_decoding_error(server, ns):
    manifest = yaml.safe_dump(
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": "web"},
            "data": {"a": "1"},
            "bogus": "x",
        }
    )
    out = server.kubectl("create", "-n", ns, "-f", "-", input=manifest, check=False)
    assert out.returncode == 1
    assert out.stderr.strip() == (
        'Error from server (BadRequest): error when creating "STDIN": ConfigMap in version "v1" cannot be '
        'handled as a ConfigMap: strict decoding error: unknown field "bogus"'
    )
    assert server.kubectl("get", "cm", "web", "-n", ns, check=False).returncode == 1

    out = server.kubectl("create", "-n", ns, "-f", "-", "--validate=false", input=manifest)
    assert out.stdout.strip() == "configmap/web created"
    obj = get_json(server, ns, "cm", "web")
    assert "bogus" not in obj
    assert obj["data"] == {"a": "1"}


def test_create_with_an_unknown_nested_field_names_its_path(server, ns):
    manifest = yaml.safe_dump(
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "web"},
            "spec": {
                "selector": {"matchLabels": {"app": "web"}},
                "template": {
                    "metadata": {"labels": {"app": "web"}},
                    "spec": {"containers": [{"name": "c", "image": "nginx", "imagePolicy": "x"}]},
                },
            },
        }
    )
    out = server.kubectl("create", "-n", ns, "-f", "-", input=manifest, check=False)
    assert out.returncode == 1
    assert (
        'strict decoding error: unknown field "spec.template.spec.containers[0].imagePolicy"'
        in out.stderr
    )


def test_create_an_invalid_object_prints_the_kubernetes_error(server, ns):
    out = server.kubectl("create", "-n", ns, "-f", "-", input=configmap("Bad_Name"), check=False)
    assert out.returncode == 1
    assert out.stderr.strip() == (
        'The ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 '
        "subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with "
        "an alphanumeric character (e.g. 'example.com', regex used for validation is "
        "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
    )


def test_create_an_object_that_exists_is_already_exists(server, ns):
    server.kubectl("create", "-n", ns, "-f", "-", input=configmap("web"))
    out = server.kubectl("create", "-n", ns, "-f", "-", input=configmap("web"), check=False)
    assert out.returncode == 1
    assert out.stderr.strip() == (
        'Error from server (AlreadyExists): error when creating "STDIN": configmaps "web" already exists'
    )


def test_get_a_missing_object_prints_not_found(server, ns):
    out = server.kubectl("get", "cm", "missing", "-n", ns, check=False)
    assert out.returncode == 1
    assert out.stdout == ""
    assert out.stderr.strip() == 'Error from server (NotFound): configmaps "missing" not found'


def test_get_in_a_missing_namespace_finds_nothing(server):
    out = server.kubectl("get", "cm", "-n", "no-such-namespace-here")
    assert out.stderr.strip() == "No resources found in no-such-namespace-here namespace."


def test_create_in_a_missing_namespace_is_not_found(server):
    out = server.kubectl(
        "create", "-n", "no-such-namespace-here", "-f", "-", input=configmap("web"), check=False
    )
    assert out.returncode == 1
    assert out.stderr.strip() == (
        'Error from server (NotFound): error when creating "STDIN": namespaces "no-such-namespace-here" not found'
    )


# --- raw endpoints and discovery ----------------------------------------------------------


def test_get_raw_version(server):
    info = json.loads(server.kubectl("get", "--raw", "/version").stdout)
    assert re.fullmatch(r"\d+", info["major"])
    assert re.fullmatch(r"\d+\+?", info["minor"])
    assert info["gitVersion"].startswith("v1.")
    assert info["platform"]
    assert info["goVersion"]


def test_kubectl_version_shows_the_server_version(server):
    out = json.loads(server.kubectl("version", "-o", "json").stdout)
    assert out["serverVersion"]["gitVersion"].startswith("v1.")


def test_get_raw_health_endpoints(server):
    assert server.kubectl("get", "--raw", "/healthz").stdout == "ok"
    assert server.kubectl("get", "--raw", "/livez/ping").stdout == "ok"
    assert server.kubectl("get", "--raw", "/readyz").stdout == "ok"
    verbose = server.kubectl("get", "--raw", "/readyz?verbose").stdout
    lines = verbose.splitlines()
    assert "[+]ping ok" in lines
    assert lines[-1] == "readyz check passed"
    assert all(line.startswith("[+]") for line in lines[:-1]), verbose


def test_get_raw_metrics_exposes_request_counters(server):
    server.kubectl("get", "ns")
    metrics = server.kubectl("get", "--raw", "/metrics").stdout
    assert "# TYPE apiserver_request_total counter" in metrics
    assert re.search(r'^apiserver_request_total\{.*verb="LIST".*\} \d+', metrics, re.M), metrics[
        :2000
    ]


def test_get_raw_of_an_api_path_returns_json(server, ns):
    server.kubectl("create", "-n", ns, "-f", "-", input=configmap("web", {"a": "1"}))
    obj = json.loads(
        server.kubectl("get", "--raw", f"/api/v1/namespaces/{ns}/configmaps/web").stdout
    )
    assert obj["kind"] == "ConfigMap" and obj["data"] == {"a": "1"}


def test_api_resources_lists_resources_with_short_names(server):
    out = server.kubectl("api-resources").stdout
    lines = out.splitlines()
    assert cols(lines[0]) == ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"]
    expected = [
        ("configmaps", "cm", "v1", "true", "ConfigMap"),
        ("endpoints", "ep", "v1", "true", "Endpoints"),
        ("events", "ev", "v1", "true", "Event"),
        ("namespaces", "ns", "v1", "false", "Namespace"),
        ("nodes", "no", "v1", "false", "Node"),
        ("pods", "po", "v1", "true", "Pod"),
        ("serviceaccounts", "sa", "v1", "true", "ServiceAccount"),
        ("services", "svc", "v1", "true", "Service"),
        ("deployments", "deploy", "apps/v1", "true", "Deployment"),
        ("leases", "", "coordination.k8s.io/v1", "true", "Lease"),
        ("events", "ev", "events.k8s.io/v1", "true", "Event"),
    ]
    rows = {tuple(cols(line)) for line in lines[1:]}
    for name, short, version, namespaced, kind in expected:
        row = (
            (name, short, version, namespaced, kind) if short else (name, version, namespaced, kind)
        )
        assert row in rows, f"{row} not in api-resources:\n{out}"


def test_api_resources_filters(server):
    out = server.kubectl("api-resources", "--namespaced=false", "-o", "name").stdout.split()
    assert "namespaces" in out and "nodes" in out
    assert "configmaps" not in out
    out = server.kubectl("api-resources", "--api-group=apps", "-o", "name").stdout.split()
    assert "deployments.apps" in out
    assert all(name.endswith(".apps") for name in out), out


def test_api_versions_lists_the_served_group_versions(server):
    versions = server.kubectl("api-versions").stdout.split()
    for gv in ("v1", "apps/v1", "coordination.k8s.io/v1", "events.k8s.io/v1"):
        assert gv in versions
    assert versions == sorted(versions)


def test_short_names_work_for_get(server, ns):
    server.kubectl("create", "-n", ns, "-f", "-", input=service("web"))
    server.kubectl("create", "-n", ns, "-f", "-", input=deployment("web"))
    assert server.kubectl("get", "svc", "-n", ns, "-o", "name").stdout.split() == ["service/web"]
    assert server.kubectl("get", "deploy", "-n", ns, "-o", "name").stdout.split() == [
        "deployment.apps/web"
    ]
    assert server.kubectl("get", "deployments.apps", "-n", ns, "-o", "name").stdout.split() == [
        "deployment.apps/web"
    ]
    assert f"namespace/{ns}" in server.kubectl("get", "ns", "-o", "name").stdout.split()


# --- imperative generators (protobuf request bodies) --------------------------------------


def test_create_configmap_from_literal(server, ns):
    out = server.kubectl(
        "create",
        "configmap",
        "lit",
        "-n",
        ns,
        "--from-literal=a=b",
        "--from-literal=c=d",
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "configmap/lit created"
    assert get_json(server, ns, "cm", "lit")["data"] == {"a": "b", "c": "d"}
