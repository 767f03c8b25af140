"""Validation of the CSI kinds of storage.k8s.io/v1 (CSIDriver, CSINode, CSIStorageCapacity), as
Kubernetes 1.33 does it.

Field paths keep Kubernetes' own spelling, including `spec.attachedRequired` for a CSIDriver's
`attachRequired`. Immutable structs are reported with Go's `%#v` text of the internal type.
"""

from __future__ import annotations

from typing import Any

from kube_apiserver.apis.core.formats import (
    NONNEGATIVE,
    _qualified,
    _subdomain,
    clean_selector,
    go_map,
    go_quote,
    go_strings,
)
from kube_apiserver.apis.core.quantities import QTY_MSG, parse_quantity
from kube_apiserver.apis.core.volumes import validate_csi_driver_name
from kube_apiserver.apis.meta.field import (
    FieldError,
    duplicate,
    immutable,
    invalid,
    invalid_rendered,
    not_supported,
    path,
    required,
)
from kube_apiserver.apis.meta.unstructured import get_dict, get_dicts, get_int, get_str, get_strs
from kube_apiserver.apis.meta.validation import validate_label_selector

FS_GROUP_POLICIES = ["File", "None", "ReadWriteOnceWithFSType"]
LIFECYCLE_MODES = ["Persistent", "Ephemeral"]
MIN_TOKEN_SECONDS = 600
MAX_TOKEN_SECONDS = 1 << 32
MAX_NODE_ID = 256  # long node IDs are allowed since 1.22
_SWITCHES = (
    ("attachRequired", "attachedRequired"),
    ("podInfoOnMount", "podInfoOnMount"),
    ("storageCapacity", "storageCapacity"),
)

# ---------------------------------------------------------------- CSIDriver


def _token_requests(requests: list[dict], fld: str) -> list[FieldError]:
    errs: list[FieldError] = []
    audiences: set[str] = set()
    for i, req in enumerate(requests):
        at, audience = path(fld, i), get_str(req, "audience")
        if audience in audiences:
            errs.append(duplicate(path(at, "audience"), audience))
            continue
        audiences.add(audience)
        seconds = get_int(req, "expirationSeconds")
        if seconds is None:
            continue
        if seconds < MIN_TOKEN_SECONDS:
            errs.append(
                invalid(
                    path(at, "expirationSeconds"),
                    seconds,
                    "may not specify a duration less than 10 minutes",
                )
            )
        if seconds > MAX_TOKEN_SECONDS:
            errs.append(
                invalid(
                    path(at, "expirationSeconds"),
                    seconds,
                    "may not specify a duration larger than 2^32 seconds",
                )
            )
    return errs


def _csi_driver_spec(spec: dict) -> list[FieldError]:
    errs = [
        required(path("spec", name))
        for key, name in _SWITCHES
        if not isinstance(spec.get(key), bool)
    ]
    policy = spec.get("fsGroupPolicy")
    if isinstance(policy, str) and policy not in FS_GROUP_POLICIES:
        errs.append(not_supported("spec.fsGroupPolicy", policy, FS_GROUP_POLICIES))
    errs += _token_requests(get_dicts(spec, "tokenRequests"), "spec.tokenRequests")
    errs += [
        not_supported("spec.volumeLifecycleModes", mode, LIFECYCLE_MODES)
        for mode in get_strs(spec, "volumeLifecycleModes")
        if mode not in LIFECYCLE_MODES
    ]
    if not isinstance(spec.get("seLinuxMount"), bool):
        errs.append(required("spec.seLinuxMount"))
    return errs


def validate_csi_driver(obj: dict) -> list[FieldError]:
    return _csi_driver_spec(get_dict(obj, "spec"))


def validate_csi_driver_update(new: dict, old: dict) -> list[FieldError]:
    spec, old_spec = get_dict(new, "spec"), get_dict(old, "spec")
    errs = _csi_driver_spec(spec)
    if spec.get("attachRequired") != old_spec.get("attachRequired"):
        errs.append(immutable("spec.attachedRequired", spec.get("attachRequired")))
    modes = spec.get("volumeLifecycleModes")
    if (modes or []) != (old_spec.get("volumeLifecycleModes") or []):
        rendered = go_strings(get_strs(spec, "volumeLifecycleModes") if modes is not None else None)
        errs.append(
            invalid_rendered(
                "spec.volumeLifecycleModes",
                rendered.replace("[]string", "[]storage.VolumeLifecycleMode", 1),
                "field is immutable",
            )
        )
    return errs


# ---------------------------------------------------------------- CSINode


def _go_node_driver(driver: dict) -> str:
    """%#v of the internal CSINodeDriver, the value a changed driver is reported with."""
    keys = driver.get("topologyKeys")
    allocatable = "0xc000010000" if driver.get("allocatable") is not None else "nil"
    return (
        f"storage.CSINodeDriver{{Name:{go_quote(get_str(driver, 'name'))}, "
        f"NodeID:{go_quote(get_str(driver, 'nodeID'))}, "
        f"TopologyKeys:{go_strings(get_strs(driver, 'topologyKeys') if keys is not None else None)}, "
        f"Allocatable:(*storage.VolumeNodeResources)({allocatable})}}"
    )


def _node_driver(driver: dict, seen: set[str], fld: str) -> list[FieldError]:
    name, node_id = get_str(driver, "name"), get_str(driver, "nodeID")
    errs = validate_csi_driver_name(name, path(fld, "name"))
    if not node_id:
        errs.append(required(path(fld, "nodeID")))
    if len(node_id.encode()) > MAX_NODE_ID:
        errs.append(
            invalid(path(fld, "nodeID"), node_id, f"must be {MAX_NODE_ID} characters or less")
        )
    count = get_int(get_dict(driver, "allocatable"), "count")
    if count is not None and count < 0:
        errs.append(invalid(path(fld, "allocatable", "count"), count, NONNEGATIVE))
    if name in seen:
        errs.append(duplicate(path(fld, "name"), name))
    seen.add(name)
    keys: set[str] = set()
    # Kubernetes reports topology key problems on the driver's own path.
    for key in get_strs(driver, "topologyKeys"):
        if not key:
            errs.append(required(fld))
        if key in keys:
            errs.append(duplicate(fld, key))
        keys.add(key)
        errs += _qualified(fld, key)
    return errs


def validate_csi_node(obj: dict) -> list[FieldError]:
    seen: set[str] = set()
    return [
        e
        for i, driver in enumerate(get_dicts(get_dict(obj, "spec"), "drivers"))
        for e in _node_driver(driver, seen, path("spec.drivers", i))
    ]


def _same_driver(new: dict, old: dict) -> bool:
    """Semantic equality of two drivers: an empty list is the same as none."""

    def normal(d: dict) -> dict:
        return {k: v for k, v in d.items() if v not in (None, [], {})}

    return normal(new) == normal(old)


def validate_csi_node_update(new: dict, old: dict) -> list[FieldError]:
    """Drivers may come and go, but a registered driver's entry never changes."""
    errs = validate_csi_node(new)
    new_drivers = get_dicts(get_dict(new, "spec"), "drivers")
    for old_driver in get_dicts(get_dict(old, "spec"), "drivers"):
        for driver in new_drivers:
            if get_str(driver, "name") == get_str(old_driver, "name") and not _same_driver(
                driver, old_driver
            ):
                errs.append(
                    invalid_rendered("spec.drivers", _go_node_driver(driver), "field is immutable")
                )
    return errs


# ---------------------------------------------------------------- CSIStorageCapacity


def _go_requirement(expr: dict) -> str:
    values = get_strs(expr, "values") if expr.get("values") is not None else None
    return (
        f"v1.LabelSelectorRequirement{{Key:{go_quote(get_str(expr, 'key'))}, "
        f"Operator:{go_quote(get_str(expr, 'operator'))}, Values:{go_strings(values)}}}"
    )


def _go_label_selector_value(sel: Any) -> str:
    """%#v of a metav1.LabelSelector value (field errors dereference the pointer first)."""
    if not isinstance(sel, dict):
        return "null"
    labels = sel.get("matchLabels")
    label_map = (
        {str(k): v if isinstance(v, str) else "" for k, v in labels.items()}
        if isinstance(labels, dict)
        else None
    )
    exprs = "[]v1.LabelSelectorRequirement(nil)"
    if sel.get("matchExpressions") is not None:
        joined = ", ".join(_go_requirement(e) for e in get_dicts(sel, "matchExpressions"))
        exprs = "[]v1.LabelSelectorRequirement{" + joined + "}"
    return f"v1.LabelSelector{{MatchLabels:{go_map(label_map)}, MatchExpressions:{exprs}}}"


def validate_csi_storage_capacity(obj: dict) -> list[FieldError]:
    topology = obj.get("nodeTopology")
    errs = (
        validate_label_selector(clean_selector(topology), "nodeTopology")
        if isinstance(topology, dict)
        else []
    )
    errs += _subdomain("storageClassName", get_str(obj, "storageClassName"))
    if obj.get("capacity") is not None:
        quantity = parse_quantity(obj["capacity"])
        if quantity is None:
            errs.append(invalid("capacity", obj["capacity"], QTY_MSG))
        elif quantity.value < 0:
            errs.append(invalid("capacity", str(quantity), NONNEGATIVE))
    return errs


def validate_csi_storage_capacity_update(new: dict, old: dict) -> list[FieldError]:
    errs = validate_csi_storage_capacity(new)
    topology = new.get("nodeTopology")
    if (clean_selector(topology) if isinstance(topology, dict) else None) != (
        clean_selector(old["nodeTopology"]) if isinstance(old.get("nodeTopology"), dict) else None
    ):
        errs.append(
            invalid_rendered(
                "nodeTopology", _go_label_selector_value(topology), "field is immutable"
            )
        )
    if get_str(new, "storageClassName") != get_str(old, "storageClassName"):
        errs.append(immutable("storageClassName", get_str(new, "storageClassName")))
    return errs
