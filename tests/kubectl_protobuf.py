"""One kubectl command (`create ...`, `autoscale ...`) sent twice: by kubectl 1.30, which writes JSON, and by kubectl
1.33, which writes protobuf. The server must store the same object either way, so each
protobuf description is checked against what Go's own encoder sends.

Namespaced objects keep their name and go to two namespaces; a cluster-scoped object gets a
`-json` or `-pb` suffix. Server-assigned values (uid wherever it appears, resourceVersion, timestamps, allocated
cluster IPs and node ports) are left out of the comparison.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

JSON_KUBECTL = "1.30"
PROTOBUF_KUBECTL = "1.33"

_ASSIGNED_META = ("uid", "resourceVersion", "creationTimestamp", "managedFields", "generation")


def _new_namespace(server: Any) -> str:
    name = "pb-" + uuid.uuid4().hex[:8]
    server.kubectl("create", "namespace", name, version=JSON_KUBECTL)
    return name


def _normalised(obj: dict[str, Any], name: str, namespace: str | None) -> Any:
    meta = obj["metadata"]
    uid = meta.get("uid", "")  # a Job's uid also names its pods, in labels and selector
    for key in _ASSIGNED_META:
        meta.pop(key, None)
    obj.pop("status", None)
    spec = obj.get("spec") or {}
    for key in ("clusterIP", "clusterIPs"):
        spec.pop(key, None)
    for port in spec.get("ports") or ():
        if isinstance(port, dict):
            port.pop("nodePort", None)
    text = json.dumps(obj, sort_keys=True)
    if uid:
        text = text.replace(uid, "UID")
    if namespace:
        text = text.replace(namespace, "NS")
    return json.loads(text.replace(name, "NAME"))


def created_both_ways(
    server: Any, resource: str, name: str, *args: str, namespaced: bool = True
) -> tuple[Any, Any]:
    """Run `kubectl <args>` with each kubectl; the two stored objects, normalised.

    `args` may use `{name}`; `resource` is what `kubectl get` calls the kind."""
    stored = []
    for version, suffix in ((JSON_KUBECTL, "-json"), (PROTOBUF_KUBECTL, "-pb")):
        own = name if namespaced else name + suffix
        namespace = _new_namespace(server) if namespaced else None
        where = ["-n", namespace] if namespace else []
        command = [a.replace("{name}", own) for a in args]
        out = server.kubectl(*where, *command, version=version, check=False)
        assert out.returncode == 0, f"kubectl {version} {' '.join(command)}: {out.stderr}"
        got = server.kubectl("get", resource, own, *where, "-o", "json", version=JSON_KUBECTL)
        stored.append(_normalised(json.loads(got.stdout), own, namespace))
    return stored[0], stored[1]
