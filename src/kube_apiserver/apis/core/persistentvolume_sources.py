"""The volume sources a PersistentVolume may name, checked as kube-apiserver 1.33 checks them.

Most reuse the rules pods apply to their volumes (volumes.py); a few are the stricter PV
variants Kubernetes keeps: iSCSI (whose qualified names are checked, and whose portal must fit
64 characters with the volume's name), Cinder, Glusterfs, StorageOS and CSI secret references.
A PV names exactly one source; flexVolume is never counted as a second one (a Kubernetes
quirk kept here), and a local volume needs node affinity.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from kube_apiserver.apis.core.formats import _key, _label, _no_backsteps, _subdomain
from kube_apiserver.apis.core.volumes import (
    _needs,
    _vs_aws_ebs,
    _vs_fc,
    _vs_flocker,
    _vs_gce_pd,
    _vs_host_path,
    _vs_nfs,
    _vs_storageos,
    validate_csi_driver_name,
)
from kube_apiserver.apis.meta.field import (
    FieldError,
    forbidden,
    invalid,
    not_supported,
    path,
    required,
)
from kube_apiserver.apis.meta.unstructured import get_dict, get_int, get_str, get_str_map, is_set


def _secret_ref(ref: dict, fld: str) -> list[FieldError]:
    """A PV's SecretReference: a named secret in a named namespace."""
    name, ns = get_str(ref, "name"), get_str(ref, "namespace")
    errs = [required(path(fld, "name"))] if not name else _subdomain(path(fld, "name"), name)
    return errs + (
        [required(path(fld, "namespace"))] if not ns else _label(path(fld, "namespace"), ns)
    )


def _named_ref(src: dict, fld: str, *, namespace: bool) -> list[FieldError]:
    """A secretRef that only has to name its secret (and namespace)."""
    if not is_set(src, "secretRef"):
        return []
    ref, p = get_dict(src, "secretRef"), path(fld, "secretRef")
    errs = [required(path(p, "name"))] if not get_str(ref, "name") else []
    if namespace and not get_str(ref, "namespace"):
        errs.append(required(path(p, "namespace")))
    return errs


def _iqn_errors(fld: str, value: str, prefix_msg: str) -> list[FieldError]:
    """iSCSI qualified names: iqn.YYYY-MM.domain[:id], eui.<16 hex>, naa.<32 hex>."""
    if not value.startswith(("iqn", "eui", "naa")):
        return [invalid(fld, value, prefix_msg)]
    patterns = {
        "iqn": r"iqn\.\d{4}-\d{2}\.([a-zA-Z0-9\-.]+)(:[^,;*&$|\s]+)$",
        "eui": r"eui.[a-zA-Z0-9]{16}",
        "naa": r"naa.[a-zA-Z0-9]{32}",
    }
    pattern = patterns[value[:3]]
    ok = re.search(pattern, value) if value.startswith("iqn") else re.fullmatch(pattern, value)
    return [] if ok else [invalid(fld, value, "must be valid format")]


def _iscsi(src: dict, fld: str, pv_name: str) -> list[FieldError]:
    portal = get_str(src, "targetPortal")
    errs = [required(path(fld, "targetPortal"))] if not portal else []
    if is_set(src, "initiatorName") and len(f"{pv_name}:{portal}") > 64:
        errs.append(
            invalid(
                path(fld, "targetportal"),
                portal,
                "Total length of <volume name>:<iscsi.targetPortal> must be under 64 characters "
                "if iscsi.initiatorName is specified.",
            )
        )
    iqn = get_str(src, "iqn")
    errs += (
        [required(path(fld, "iqn"))]
        if not iqn
        else _iqn_errors(path(fld, "iqn"), iqn, "must be valid format")
    )
    lun = get_int(src, "lun") or 0
    if not 0 <= lun <= 255:
        errs.append(invalid(path(fld, "lun"), lun, "must be between 0 and 255, inclusive"))
    if (src.get("chapAuthDiscovery") is True or src.get("chapAuthSession") is True) and not is_set(
        src, "secretRef"
    ):
        errs.append(required(path(fld, "secretRef")))
    errs += _named_ref(src, fld, namespace=False)
    if is_set(src, "initiatorName"):
        errs += _iqn_errors(
            path(fld, "initiatorname"), get_str(src, "initiatorName"), "must be valid format"
        )
    return errs


def _glusterfs(src: dict, fld: str) -> list[FieldError]:
    errs = _needs("endpoints", "path")(src, fld)
    if is_set(src, "endpointsNamespace"):
        ns, p = get_str(src, "endpointsNamespace"), path(fld, "endpointsNamespace")
        if not ns:
            errs.append(
                invalid(p, ns, "if the endpointnamespace is set, it must be a valid namespace name")
            )
        else:
            errs += _label(p, ns)
    return errs


def _host_port(pair: str) -> bool:
    """Whether Go's net.SplitHostPort accepts `pair`: host:port, or [ipv6]:port."""
    if pair.startswith("["):
        return "]:" in pair and pair.count("]") == 1
    return pair.count(":") == 1


def _quobyte(src: dict, fld: str) -> list[FieldError]:
    registry, p = get_str(src, "registry"), path(fld, "registry")
    pairs_msg = "must be a host:port pair or multiple pairs separated by commas"
    errs: list[FieldError] = []
    if not registry:
        errs.append(required(p, pairs_msg))
    elif len(get_str(src, "tenant")) >= 65:
        errs.append(
            required(
                path(fld, "tenant"), "must be a UUID and may not exceed a length of 64 characters"
            )
        )
    else:
        errs += [
            invalid(p, registry, pairs_msg) for pair in registry.split(",") if not _host_port(pair)
        ]
    return errs + _needs("volume")(src, fld)


def _flex(src: dict, fld: str) -> list[FieldError]:
    errs = _needs("driver")(src, fld)
    for key in sorted(get_str_map(src, "options") or {}):
        domain = "." + key.split("/", 1)[0].lower()
        if domain.endswith((".kubernetes.io", ".k8s.io")):
            errs.append(
                invalid(
                    _key(path(fld, "options"), key),
                    key,
                    "kubernetes.io and k8s.io namespaces are reserved",
                )
            )
    return errs


def _azure_file(src: dict, fld: str) -> list[FieldError]:
    errs = _needs("secretName", "shareName")(src, fld)
    if is_set(src, "secretNamespace") and not get_str(src, "secretNamespace"):
        errs.append(required(path(fld, "secretNamespace")))
    return errs


def _azure_disk(src: dict, fld: str) -> list[FieldError]:
    errs = _needs("diskName", "diskURI")(src, fld)
    caching, kind, uri = get_str(src, "cachingMode"), get_str(src, "kind"), get_str(src, "diskURI")
    if is_set(src, "cachingMode") and caching not in ("None", "ReadOnly", "ReadWrite"):
        errs.append(
            not_supported(path(fld, "cachingMode"), caching, ["None", "ReadOnly", "ReadWrite"])
        )
    if is_set(src, "kind") and kind not in ("Dedicated", "Managed", "Shared"):
        errs.append(not_supported(path(fld, "kind"), kind, ["Dedicated", "Managed", "Shared"]))
    if is_set(src, "kind"):
        if kind == "Managed" and not uri.startswith("/subscriptions/"):
            errs.append(
                not_supported(
                    path(fld, "diskURI"),
                    uri,
                    [
                        "/subscriptions/{sub-id}/resourcegroups/{group-name}/providers/"
                        "microsoft.compute/disks/{disk-id}"
                    ],
                )
            )
        if kind != "Managed" and not uri.startswith("https://"):
            errs.append(
                not_supported(
                    path(fld, "diskURI"),
                    uri,
                    [
                        "https://{account-name}.blob.core.windows.net/{container-name}/{disk-name}.vhd"
                    ],
                )
            )
    return errs


def _local(src: dict, fld: str) -> list[FieldError]:
    local_path = get_str(src, "path")
    if not local_path:
        return [required(path(fld, "path"))]
    return _no_backsteps(path(fld, "path"), local_path)


def _csi(src: dict, fld: str) -> list[FieldError]:
    errs = validate_csi_driver_name(get_str(src, "driver"), path(fld, "driver"))
    if not get_str(src, "volumeHandle"):
        errs.append(required(path(fld, "volumeHandle")))
    for ref in (
        "controllerPublishSecretRef",
        "controllerExpandSecretRef",
        "nodePublishSecretRef",
        "nodeExpandSecretRef",
    ):
        if is_set(src, ref):
            errs += _secret_ref(get_dict(src, ref), path(fld, ref))
    return errs


Check = Callable[[dict, str], list[FieldError]] | None

# In Kubernetes' order: (JSON key, the name its "more than 1 volume type" error uses, the child
# its own errors are reported under, checks). flexVolume is never counted as a second source.
_SOURCES: list[tuple[str, str, str, Check]] = [
    ("hostPath", "hostPath", "hostPath", _vs_host_path),
    ("gcePersistentDisk", "gcePersistentDisk", "persistentDisk", _vs_gce_pd),
    ("awsElasticBlockStore", "awsElasticBlockStore", "awsElasticBlockStore", _vs_aws_ebs),
    ("glusterfs", "glusterfs", "glusterfs", _glusterfs),
    ("flocker", "flocker", "flocker", _vs_flocker),
    ("nfs", "nfs", "nfs", _vs_nfs),
    ("rbd", "rbd", "rbd", _needs("monitors", "image")),
    ("quobyte", "quobyte", "quobyte", _quobyte),
    ("cephfs", "cephFS", "cephfs", _needs("monitors")),
    ("iscsi", "iscsi", "iscsi", None),  # needs the volume's name: see validate_sources
    (
        "cinder",
        "cinder",
        "cinder",
        lambda s, f: _needs("volumeID")(s, f) + _named_ref(s, f, namespace=True),
    ),
    ("fc", "fc", "fc", _vs_fc),
    ("flexVolume", "", "flexVolume", _flex),
    ("azureFile", "azureFile", "azureFile", _azure_file),
    ("vsphereVolume", "vsphereVolume", "vsphereVolume", _needs("volumePath")),
    ("photonPersistentDisk", "photonPersistentDisk", "photonPersistentDisk", _needs("pdID")),
    ("portworxVolume", "portworxVolume", "portworxVolume", _needs("volumeID")),
    ("azureDisk", "azureDisk", "azureDisk", _azure_disk),
    ("scaleIO", "scaleIO", "scaleIO", _needs("gateway", "system", "volumeName")),
    ("local", "local", "local", _local),
    (
        "storageos",
        "storageos",
        "storageos",
        lambda s, f: _vs_storageos(s, f) + _named_ref(s, f, namespace=True),
    ),
    ("csi", "csi", "csi", _csi),
]
SOURCE_KEYS = tuple(key for key, *_ in _SOURCES)
# Sources whose plugins take mount options from the beta annotation.
MOUNT_OPTION_SOURCES = (
    "gcePersistentDisk",
    "awsElasticBlockStore",
    "glusterfs",
    "nfs",
    "rbd",
    "quobyte",
    "iscsi",
    "cinder",
    "cephfs",
    "azureFile",
    "vsphereVolume",
    "azureDisk",
    "photonPersistentDisk",
)


def validate_sources(spec: dict, pv_name: str, node_affinity: bool) -> list[FieldError]:
    """Exactly one source, valid by its own rules; `pv_name` is the volume's own name."""
    errs: list[FieldError] = []
    count = 0
    for key, dup_name, child, check in _SOURCES:
        if not is_set(spec, key):
            continue
        if count and dup_name:
            errs.append(
                forbidden(path("spec", dup_name), "may not specify more than 1 volume type")
            )
            continue
        count += 1
        src, fld = get_dict(spec, key), path("spec", child)
        errs += check(src, fld) if check is not None else _iscsi(src, fld, pv_name)
        if key == "local" and not node_affinity:
            errs.append(required("spec.nodeAffinity", "Local volume requires node affinity"))
    if count == 0:
        errs.append(required("spec", "must specify a volume type"))
    return errs
