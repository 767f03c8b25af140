"""Validation of pod volumes: their sources, and the mounts and devices containers make of them.

`validate_volumes` checks `spec.volumes` (exactly one source each, with that source's own rules)
and returns the valid volumes by name, which `_volume_mounts` and `_volume_devices` check a
container's references against. The downward API selectors are shared with container env.
"""

from __future__ import annotations

import re

from kube_apiserver.apis.core.formats import (
    _RANGE,
    PULL_POLICIES,
    _each,
    _enum,
    _label,
    _local_descending,
    _local_non_reserved,
    _no_backsteps,
    _qualified,
    go_quote,
    go_strings,
    not_found,
)
from kube_apiserver.apis.core.quantities import parse_quantity
from kube_apiserver.apis.meta.field import (
    FieldError,
    duplicate,
    forbidden,
    invalid,
    invalid_rendered,
    not_supported,
    path,
    required,
    too_long,
)
from kube_apiserver.apis.meta.unstructured import (
    get_bool,
    get_dict,
    get_dicts,
    get_int,
    get_str,
    get_strs,
    is_set,
)
from kube_apiserver.apis.meta.validation import dns1123_subdomain_errors

# ---------------------------------------------------------------- downward API selectors

_VOLUME_FIELD_PATHS = [
    "metadata.annotations",
    "metadata.labels",
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
]
_RESOURCE_FIELD_PATHS = [
    "limits.cpu",
    "limits.ephemeral-storage",
    "limits.memory",
    "requests.cpu",
    "requests.ephemeral-storage",
    "requests.memory",
]


def _field_selector(fs: dict, allowed: list[str], fld: str) -> list[FieldError]:
    if not get_str(fs, "apiVersion"):
        return [required(path(fld, "apiVersion"))]
    fp = get_str(fs, "fieldPath")
    if not fp:
        return [required(path(fld, "fieldPath"))]
    m = re.fullmatch(r"([^\[]+)\['(.*)'\]", fp)
    if m:
        if m.group(1) == "metadata.annotations":
            return _qualified(fld, m.group(2).lower())
        if m.group(1) == "metadata.labels":
            return _qualified(fld, m.group(2))
        return [invalid(fld, m.group(1), "does not support subscript")]
    return [] if fp in allowed else [not_supported(path(fld, "fieldPath"), fp, allowed)]


def _resource_selector(rs: dict, fld: str, *, volume: bool) -> list[FieldError]:
    res = get_str(rs, "resource")
    if volume and not get_str(rs, "containerName"):
        return [required(path(fld, "containerName"))]
    if not res:
        return [required(path(fld, "resource"))]
    if res not in _RESOURCE_FIELD_PATHS and not res.startswith(
        ("requests.hugepages-", "limits.hugepages-")
    ):
        return [not_supported(path(fld, "resource"), res, _RESOURCE_FIELD_PATHS)]
    return []


# ---------------------------------------------------------------- volume sources

_MODE_MSG = "must be a number between 0 and 0777 (octal), both inclusive"
HOST_PATH_TYPES = [
    "",
    "BlockDevice",
    "CharDevice",
    "Directory",
    "DirectoryOrCreate",
    "File",
    "FileOrCreate",
    "Socket",
]


def _mode(fld: str, v: int | None) -> list[FieldError]:
    return [invalid(fld, v, _MODE_MSG)] if v is not None and not 0 <= v <= 0o777 else []


def _key_to_paths(items: list[dict], fld: str) -> list[FieldError]:
    errs: list[FieldError] = []
    for i, kp in enumerate(items):
        p = path(fld, i)
        if not get_str(kp, "key"):
            errs.append(required(path(p, "key")))
        if not get_str(kp, "path"):
            errs.append(required(path(p, "path")))
        errs += _local_non_reserved(path(p, "path"), get_str(kp, "path"))
        errs += _mode(path(p, "mode"), get_int(kp, "mode"))
    return errs


def _downward_file(f: dict, fld: str) -> list[FieldError]:
    # Kubernetes reports these under the volume source's path, without the item's index.
    errs = [required(path(fld, "path"))] if not get_str(f, "path") else []
    errs += _local_non_reserved(path(fld, "path"), get_str(f, "path"))
    if is_set(f, "fieldRef"):
        errs += _field_selector(get_dict(f, "fieldRef"), _VOLUME_FIELD_PATHS, path(fld, "fieldRef"))
        if is_set(f, "resourceFieldRef"):
            errs.append(
                invalid(
                    fld,
                    "resource",
                    "fieldRef and resourceFieldRef can not be specified simultaneously",
                )
            )
    elif is_set(f, "resourceFieldRef"):
        errs += _resource_selector(
            get_dict(f, "resourceFieldRef"), path(fld, "resourceFieldRef"), volume=True
        )
    else:
        errs.append(required(fld, "one of fieldRef and resourceFieldRef is required"))
    return errs + _mode(path(fld, "mode"), get_int(f, "mode"))


def _projected(src: dict, fld: str) -> list[FieldError]:
    errs = _mode(path(fld, "defaultMode"), get_int(src, "defaultMode"))
    paths: set[str] = set()

    def claim(p: str, owner: str) -> None:
        if p in paths:
            errs.append(invalid(fld, owner, "conflicting duplicate paths"))
        paths.add(p)

    for i, source in enumerate(get_dicts(src, "sources")):
        sp = path(fld, "sources", i)
        kinds = [
            k
            for k in (
                "secret",
                "configMap",
                "downwardAPI",
                "serviceAccountToken",
                "clusterTrustBundle",
            )
            if is_set(source, k)
        ]
        for kind in kinds:
            s, kp = get_dict(source, kind), path(sp, kind)
            if kind in ("secret", "configMap"):
                if not get_str(s, "name"):
                    errs.append(required(path(kp, "name")))
                errs += _key_to_paths(get_dicts(s, "items"), path(kp, "items"))
                for item in get_dicts(s, "items"):
                    if get_str(item, "path"):
                        claim(get_str(item, "path"), get_str(s, "name"))
            elif kind == "downwardAPI":
                for f in get_dicts(s, "items"):
                    errs += _downward_file(f, kp)
                    if get_str(f, "path"):
                        claim(get_str(f, "path"), get_str(f, "path"))
            elif kind == "serviceAccountToken":
                exp = get_int(s, "expirationSeconds") or 0
                if exp < 600:
                    errs.append(
                        invalid(
                            path(kp, "expirationSeconds"),
                            exp,
                            "may not specify a duration less than 10 minutes",
                        )
                    )
                if exp > 1 << 32:
                    errs.append(
                        invalid(
                            path(kp, "expirationSeconds"),
                            exp,
                            "may not specify a duration larger than 2^32 seconds",
                        )
                    )
                errs += (
                    [required(path(fld, "path"))]
                    if not get_str(s, "path")
                    else _local_non_reserved(path(fld, "path"), get_str(s, "path"))
                )
            else:
                if is_set(s, "name") == is_set(s, "signerName"):
                    errs.append(
                        required(kp, "either name or signerName must be specified")
                        if not is_set(s, "name")
                        else invalid(kp, s, "only one of name and signerName may be used")
                    )
                if not get_str(s, "path"):
                    errs.append(required(path(kp, "path")))
                errs += _local_non_reserved(path(kp, "path"), get_str(s, "path"))
                claim(get_str(s, "path"), get_str(s, "path"))
        if len(kinds) > 1:
            errs.append(forbidden(sp, "may not specify more than 1 volume type per source"))
    return errs


def _needs(*keys: str):
    """A source whose listed fields must be non-empty."""

    def check(src: dict, fld: str) -> list[FieldError]:
        return [required(path(fld, k)) for k in keys if not src.get(k)]

    return check


def _partition(src: dict, fld: str) -> list[FieldError]:
    part = get_int(src, "partition") or 0
    return (
        [invalid(path(fld, "partition"), part, _RANGE.format(1, 255))]
        if not 0 <= part <= 255
        else []
    )


def _vs_empty_dir(src: dict, fld: str) -> list[FieldError]:
    q = parse_quantity(src.get("sizeLimit")) if is_set(src, "sizeLimit") else None
    if q is not None and q.value < 0:
        return [
            forbidden(path(fld, "sizeLimit"), "SizeLimit field must be a valid resource quantity")
        ]
    return []


def _vs_gce_pd(src: dict, fld: str) -> list[FieldError]:
    return _needs("pdName")(src, fld) + _partition(src, fld)


def _vs_aws_ebs(src: dict, fld: str) -> list[FieldError]:
    return _needs("volumeID")(src, fld) + _partition(src, fld)


def _vs_host_path(src: dict, fld: str) -> list[FieldError]:
    if not get_str(src, "path"):
        return [required(path(fld, "path"))]
    errs = _no_backsteps(path(fld, "path"), get_str(src, "path"))
    t = get_str(src, "type")
    return errs + (
        [not_supported(path(fld, "type"), t, HOST_PATH_TYPES)] if t not in HOST_PATH_TYPES else []
    )


def _vs_git_repo(src: dict, fld: str) -> list[FieldError]:
    return _needs("repository")(src, fld) + _local_descending(
        path(fld, "directory"), get_str(src, "directory")
    )


def _vs_secret(src: dict, fld: str) -> list[FieldError]:
    return (
        _needs("secretName")(src, fld)
        + _mode(path(fld, "defaultMode"), get_int(src, "defaultMode"))
        + _key_to_paths(get_dicts(src, "items"), path(fld, "items"))
    )


def _vs_config_map(src: dict, fld: str) -> list[FieldError]:
    return (
        _needs("name")(src, fld)
        + _mode(path(fld, "defaultMode"), get_int(src, "defaultMode"))
        + _key_to_paths(get_dicts(src, "items"), path(fld, "items"))
    )


def _vs_nfs(src: dict, fld: str) -> list[FieldError]:
    errs = _needs("server", "path")(src, fld)
    p = get_str(src, "path")
    return errs + (
        [] if p.startswith("/") else [invalid(path(fld, "path"), p, "must be an absolute path")]
    )


def _vs_iscsi(src: dict, fld: str) -> list[FieldError]:
    errs = _needs("targetPortal", "iqn")(src, fld)
    iqn = get_str(src, "iqn")
    if iqn and not iqn.startswith(("iqn", "eui", "naa")):
        errs.append(
            invalid(path(fld, "iqn"), iqn, "must be valid format starting with iqn, eui, or naa")
        )
    lun = get_int(src, "lun") or 0
    if not 0 <= lun <= 255:
        errs.append(invalid(path(fld, "lun"), lun, _RANGE.format(0, 255)))
    if (get_bool(src, "chapAuthDiscovery") or get_bool(src, "chapAuthSession")) and not is_set(
        src, "secretRef"
    ):
        errs.append(required(path(fld, "secretRef")))
    return errs


def _vs_flocker(src: dict, fld: str) -> list[FieldError]:
    name, uuid = get_str(src, "datasetName"), get_str(src, "datasetUUID")
    errs = (
        [required(fld, "one of datasetName and datasetUUID is required")]
        if not name and not uuid
        else []
    )
    if name and uuid:
        errs.append(
            invalid(
                fld, "resource", "datasetName and datasetUUID can not be specified simultaneously"
            )
        )
    return errs + (
        [invalid(path(fld, "datasetName"), name, "must not contain '/'")] if "/" in name else []
    )


def _vs_downward(src: dict, fld: str) -> list[FieldError]:
    errs = _mode(path(fld, "defaultMode"), get_int(src, "defaultMode"))
    for f in get_dicts(src, "items"):
        errs += _downward_file(f, fld)
    return errs


def _vs_fc(src: dict, fld: str) -> list[FieldError]:
    wwns, wwids = src.get("targetWWNs") or [], src.get("wwids") or []
    errs = (
        [required(path(fld, "targetWWNs"), "must specify either targetWWNs or wwids, but not both")]
        if not wwns and not wwids
        else []
    )
    if wwns and wwids:
        errs.append(
            invalid_rendered(
                path(fld, "targetWWNs"),
                go_strings(get_strs(src, "targetWWNs")),
                "targetWWNs and wwids can not be specified simultaneously",
            )
        )
    if wwns:
        lun = get_int(src, "lun")
        if lun is None:
            errs.append(required(path(fld, "lun"), "lun is required if targetWWNs is specified"))
        elif not 0 <= lun <= 255:
            errs.append(invalid(path(fld, "lun"), lun, _RANGE.format(0, 255)))
    return errs


def _vs_storageos(src: dict, fld: str) -> list[FieldError]:
    name = get_str(src, "volumeName")
    errs = (
        [required(path(fld, "volumeName"))] if not name else _label(path(fld, "volumeName"), name)
    )
    if get_str(src, "volumeNamespace"):
        errs += _label(path(fld, "volumeNamespace"), get_str(src, "volumeNamespace"))
    return errs


def validate_csi_driver_name(driver: str, fld: str) -> list[FieldError]:
    """Kubernetes' ValidateCSIDriverName: required, at most 63 bytes, a subdomain in lower case."""
    errs = [required(fld)] if not driver else []
    if len(driver) > 63:
        errs.append(too_long(fld, 63))
    return errs + _each(fld, driver, dns1123_subdomain_errors(driver.lower()))


def _vs_csi(src: dict, fld: str) -> list[FieldError]:
    return validate_csi_driver_name(get_str(src, "driver"), path(fld, "driver"))


def _vs_image(src: dict, fld: str) -> list[FieldError]:
    return _needs("reference")(src, fld) + _enum(
        path(fld, "pullPolicy"), get_str(src, "pullPolicy"), PULL_POLICIES
    )


# In Kubernetes' order: (JSON key, the name its "more than 1 volume type" error uses, the child
# its own errors are reported under, checks). The odd names are Kubernetes' own.
_VOLUME_SOURCES = [
    ("emptyDir", "emptyDir", "emptyDir", _vs_empty_dir),
    ("hostPath", "hostPath", "hostPath", _vs_host_path),
    ("gitRepo", "gitRepo", "gitRepo", _vs_git_repo),
    ("gcePersistentDisk", "gcePersistentDisk", "persistentDisk", _vs_gce_pd),
    ("awsElasticBlockStore", "awsElasticBlockStore", "awsElasticBlockStore", _vs_aws_ebs),
    ("secret", "secret", "secret", _vs_secret),
    ("nfs", "nfs", "nfs", _vs_nfs),
    ("iscsi", "iscsi", "iscsi", _vs_iscsi),
    ("glusterfs", "glusterfs", "glusterfs", _needs("endpoints", "path")),
    ("flocker", "flocker", "flocker", _vs_flocker),
    (
        "persistentVolumeClaim",
        "persistentVolumeClaim",
        "persistentVolumeClaim",
        _needs("claimName"),
    ),
    ("rbd", "rbd", "rbd", _needs("monitors", "image")),
    ("cinder", "cinder", "cinder", _needs("volumeID")),
    ("cephfs", "cephFS", "cephfs", _needs("monitors")),
    ("quobyte", "quobyte", "quobyte", _needs("registry", "volume")),
    ("downwardAPI", "downwarAPI", "downwardAPI", _vs_downward),
    ("fc", "fc", "fc", _vs_fc),
    ("flexVolume", "flexVolume", "flexVolume", _needs("driver")),
    ("configMap", "configMap", "configMap", _vs_config_map),
    ("azureFile", "azureFile", "azureFile", _needs("secretName", "shareName")),
    ("vsphereVolume", "vsphereVolume", "vsphereVolume", _needs("volumePath")),
    ("photonPersistentDisk", "photonPersistentDisk", "photonPersistentDisk", _needs("pdID")),
    ("portworxVolume", "portworxVolume", "portworxVolume", _needs("volumeID")),
    ("azureDisk", "azureDisk", "azureDisk", _needs("diskName", "diskURI")),
    ("storageos", "storageos", "storageos", _vs_storageos),
    ("projected", "projected", "projected", _projected),
    ("scaleIO", "scaleIO", "scaleIO", _needs("gateway", "system", "volumeName")),
    ("csi", "csi", "csi", _vs_csi),
    ("ephemeral", "ephemeral", "ephemeral", _needs("volumeClaimTemplate")),
    ("image", "image", "image", _vs_image),
]


def _volume_source(vol: dict, fld: str, pod_name: str) -> list[FieldError]:
    errs: list[FieldError] = []
    count = 0
    for key, dup_name, child, check in _VOLUME_SOURCES:
        if not is_set(vol, key):
            continue
        if count:
            errs.append(forbidden(path(fld, dup_name), "may not specify more than 1 volume type"))
            continue
        count += 1
        errs += check(get_dict(vol, key), path(fld, child))
        if key == "ephemeral" and pod_name and get_str(vol, "name"):
            claim = f"{pod_name}-{get_str(vol, 'name')}"
            errs += [
                invalid(path(fld, "name"), get_str(vol, "name"), f"PVC name {go_quote(claim)}: {m}")
                for m in dns1123_subdomain_errors(claim)
            ]
    if count == 0:
        errs.append(required(fld, "must specify a volume type"))
    return errs


def validate_volumes(
    volumes: list[dict], fld: str, *, pod_name: str = ""
) -> tuple[dict[str, dict], list[FieldError]]:
    """Volume names and sources; returns the valid volumes by name, for mounts to refer to."""
    errs: list[FieldError] = []
    valid: dict[str, dict] = {}
    created = {
        f"{pod_name}-{get_str(v, 'name')}" for v in volumes if pod_name and is_set(v, "ephemeral")
    }
    for i, vol in enumerate(volumes):
        p, name = path(fld, i), get_str(vol, "name")
        el = _volume_source(vol, p, pod_name)
        el += [required(path(p, "name"))] if not name else _label(path(p, "name"), name)
        if name in valid:
            el.append(duplicate(path(p, "name"), name))
        if not el:
            valid[name] = vol
        errs += el
        claim = get_str(get_dict(vol, "persistentVolumeClaim"), "claimName")
        if is_set(vol, "persistentVolumeClaim") and claim in created:
            errs.append(
                invalid(
                    path(p, "persistentVolumeClaim", "claimName"),
                    claim,
                    "must not reference a PVC that gets created for an ephemeral volume",
                )
            )
    return valid, errs


# ---------------------------------------------------------------- volume mounts and devices


def _volume_mounts(
    mounts: list[dict],
    devices: dict[str, str],
    volumes: dict[str, dict],
    privileged: bool,
    fld: str,
) -> list[FieldError]:
    errs: list[FieldError] = []
    seen: set[str] = set()
    for i, m in enumerate(mounts):
        p = path(fld, i)
        name, mount_path = get_str(m, "name"), get_str(m, "mountPath")
        if not name:
            errs.append(required(path(p, "name")))
        if name not in volumes:
            errs.append(not_found(path(p, "name"), name))
        if not mount_path:
            errs.append(required(path(p, "mountPath")))
        if mount_path in seen:
            errs.append(invalid(path(p, "mountPath"), mount_path, "must be unique"))
        seen.add(mount_path)
        if name in devices:
            errs.append(invalid(path(p, "name"), name, "must not already exist in volumeDevices"))
        if mount_path in devices.values():
            errs.append(
                invalid(
                    path(p, "mountPath"),
                    mount_path,
                    "must not already exist as a path in volumeDevices",
                )
            )
        sub, sub_expr = get_str(m, "subPath"), get_str(m, "subPathExpr")
        if "image" in volumes.get(name, {}):
            if sub:
                errs.append(invalid(path(p, "subPath"), sub, "not allowed in image volume sources"))
            if sub_expr:
                errs.append(
                    invalid(path(p, "subPathExpr"), sub_expr, "not allowed in image volume sources")
                )
        # Kubernetes reports these three under the list's path, without the index.
        if sub:
            errs += _local_descending(path(fld, "subPath"), sub)
        if sub_expr:
            if sub:
                errs.append(
                    invalid(
                        path(p, "subPathExpr"),
                        sub_expr,
                        "subPathExpr and subPath are mutually exclusive",
                    )
                )
            errs += _local_descending(path(fld, "subPathExpr"), sub_expr)
        prop = get_str(m, "mountPropagation")
        if is_set(m, "mountPropagation"):
            mp = path(fld, "mountPropagation")
            if prop not in ("Bidirectional", "HostToContainer", "None"):
                errs.append(not_supported(mp, prop, ["Bidirectional", "HostToContainer", "None"]))
            if prop == "Bidirectional" and not privileged:
                errs.append(
                    forbidden(
                        mp,
                        "Bidirectional mount propagation is available only to privileged containers",
                    )
                )
        rro = get_str(m, "recursiveReadOnly")
        if is_set(m, "recursiveReadOnly"):
            rp = path(fld, "recursiveReadOnly")
            if rro in ("Enabled", "IfPossible"):
                if not get_bool(m, "readOnly"):
                    errs.append(forbidden(rp, "may only be specified when readOnly is true"))
                if prop not in ("", "None"):
                    errs.append(
                        forbidden(
                            rp,
                            "may only be specified when mountPropagation is None or not specified",
                        )
                    )
            elif rro != "Disabled":
                errs.append(not_supported(rp, rro, ["Disabled", "Enabled", "IfPossible"]))
    return errs


def _volume_devices(
    devices: list[dict], mounts: dict[str, str], volumes: dict[str, dict], fld: str
) -> list[FieldError]:
    errs: list[FieldError] = []
    names: set[str] = set()
    paths: set[str] = set()
    for i, dev in enumerate(devices):
        p = path(fld, i)
        name, dev_path = get_str(dev, "name"), get_str(dev, "devicePath")
        source = volumes.get(name)
        if not name:
            errs.append(required(path(p, "name")))
        if name in names:
            errs.append(invalid(path(p, "name"), name, "must be unique"))
        if source is not None and not ({"persistentVolumeClaim", "ephemeral"} & source.keys()):
            errs.append(
                invalid(
                    path(p, "name"),
                    name,
                    "can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode",
                )
            )
        if source is None:
            errs.append(not_found(path(p, "name"), name))
        if not dev_path:
            errs.append(required(path(p, "devicePath")))
        if dev_path in paths:
            errs.append(invalid(path(p, "devicePath"), dev_path, "must be unique"))
        if dev_path and _no_backsteps(p, dev_path):
            errs.append(
                invalid(path(p, "devicePath"), dev_path, "can not contain backsteps ('..')")
            )
        else:
            paths.add(dev_path)
        if name in mounts:
            errs.append(invalid(path(p, "name"), name, "must not already exist in volumeMounts"))
        if dev_path in mounts.values():
            errs.append(
                invalid(
                    path(p, "devicePath"),
                    dev_path,
                    "must not already exist as a path in volumeMounts",
                )
            )
        if name:
            names.add(name)
    return errs
