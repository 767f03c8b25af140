"""The API objects a pod or a persistent volume names, as a kubelet would fetch them.

The Node authorizer lets a node read exactly these for the pods bound to it, and the
NodeRestriction admission plugin refuses mirror pods that name any of them, so both walk a pod
the same way: image pull secrets; secrets and config maps in every container's env and envFrom
(init and ephemeral containers too); and the volume sources that carry a secret, config map or
claim name. A PV's secrets count only when the kubelet itself uses them (a CSI driver's
controller-side secrets do not).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kube_apiserver.apis.meta.unstructured import dict_items, find_dict, get_dict, get_str

Obj = dict[str, Any]

MIRROR_POD_ANNOTATION = "kubernetes.io/config.mirror"

# Volume sources whose `secretRef.name` names a secret in the pod's namespace.
_SECRET_REF_VOLUMES = ("cephfs", "cinder", "flexVolume", "rbd", "scaleIO", "iscsi", "storageos")
# PV sources whose `secretRef` (name and namespace) names a secret.
_PV_SECRET_REF_SOURCES = ("cephfs", "cinder", "flexVolume", "rbd", "scaleIO", "iscsi", "storageos")
# The CSI secrets of a PV the kubelet uses (the controller publish/expand ones it never reads).
_CSI_NODE_SECRETS = ("nodePublishSecretRef", "nodeStageSecretRef", "nodeExpandSecretRef")


def _ref_name(obj: Obj, key: str, name_key: str = "name") -> Iterator[str]:
    """The name in the reference at `key`, when there is one (a non-nil Go pointer)."""
    ref = find_dict(obj, key)
    if ref is not None:
        yield get_str(ref, name_key)


def _containers(spec: Obj) -> Iterator[Obj]:
    for key in ("initContainers", "containers", "ephemeralContainers"):
        yield from dict_items(spec, key)


def _volumes(pod: Obj) -> list[Obj]:
    return dict_items(get_dict(pod, "spec"), "volumes")


def _env_names(spec: Obj, from_key: str, key_ref: str) -> Iterator[str]:
    for container in _containers(spec):
        for env_from in dict_items(container, "envFrom"):
            yield from _ref_name(env_from, from_key)
        for env in dict_items(container, "env"):
            yield from _ref_name(get_dict(env, "valueFrom"), key_ref)


def _projected_names(volume: Obj, kind: str) -> Iterator[str]:
    for source in dict_items(get_dict(volume, "projected"), "sources"):
        yield from _ref_name(source, kind)


def pod_secret_names(pod: Obj) -> Iterator[str]:
    spec = get_dict(pod, "spec")
    for ref in dict_items(spec, "imagePullSecrets"):
        yield get_str(ref, "name")
    yield from _env_names(spec, "secretRef", "secretKeyRef")
    for volume in _volumes(pod):
        # A volume has one source; the first one present is the one Kubernetes reads.
        if (source := find_dict(volume, "azureFile")) is not None:
            if name := get_str(source, "secretName"):
                yield name
        elif find_dict(volume, "secret") is not None:
            yield from _ref_name(volume, "secret", "secretName")
        elif find_dict(volume, "projected") is not None:
            yield from _projected_names(volume, "secret")
        elif (source := find_dict(volume, "csi")) is not None:
            yield from _ref_name(source, "nodePublishSecretRef")
        else:
            for kind in _SECRET_REF_VOLUMES:
                if (source := find_dict(volume, kind)) is not None:
                    yield from _ref_name(source, "secretRef")
                    break


def pod_configmap_names(pod: Obj) -> Iterator[str]:
    yield from _env_names(get_dict(pod, "spec"), "configMapRef", "configMapKeyRef")
    for volume in _volumes(pod):
        if find_dict(volume, "configMap") is not None:
            yield from _ref_name(volume, "configMap")
        elif find_dict(volume, "projected") is not None:
            yield from _projected_names(volume, "configMap")


def ephemeral_claim_name(pod: Obj, volume: Obj) -> str:
    """The PVC the ephemeral volume controller makes for a generic ephemeral volume."""
    pod_name = get_str(get_dict(pod, "metadata"), "name")
    return f"{pod_name}-{get_str(volume, 'name')}"


def pod_claim_names(pod: Obj) -> Iterator[str]:
    """The PersistentVolumeClaims a pod's volumes use, its generic ephemeral volumes' included."""
    for volume in _volumes(pod):
        if find_dict(volume, "persistentVolumeClaim") is not None:
            yield from _ref_name(volume, "persistentVolumeClaim", "claimName")
        elif find_dict(volume, "ephemeral") is not None:
            yield ephemeral_claim_name(pod, volume)


def pod_resource_claim_names(pod: Obj) -> Iterator[str]:
    """The ResourceClaims a pod uses: named ones, and those made from a template once the
    pod's status records them (a template's claim that is not needed has no name)."""
    made = {
        get_str(status, "name"): status.get("resourceClaimName")
        for status in dict_items(get_dict(pod, "status"), "resourceClaimStatuses")
    }
    for claim in dict_items(get_dict(pod, "spec"), "resourceClaims"):
        if isinstance(claim.get("resourceClaimName"), str):
            yield claim["resourceClaimName"]
        elif claim.get("resourceClaimTemplateName") is not None:
            name = made.get(get_str(claim, "name"))
            if isinstance(name, str) and name:
                yield name


def resource_claim_statuses(pod: Obj) -> tuple[tuple[str, str | None], ...]:
    """(name, resourceClaimName) of each entry of status.resourceClaimStatuses, in order."""
    return tuple(
        (get_str(status, "name"), status.get("resourceClaimName"))
        for status in dict_items(get_dict(pod, "status"), "resourceClaimStatuses")
    )


def pv_kubelet_secrets(pv: Obj) -> Iterator[tuple[str, str]]:
    """(namespace, name) of each secret a kubelet reads to mount the persistent volume."""
    spec = get_dict(pv, "spec")
    claim_namespace = get_str(get_dict(spec, "claimRef"), "namespace")
    if (source := find_dict(spec, "azureFile")) is not None:
        if name := get_str(source, "secretName"):
            yield get_str(source, "secretNamespace") or claim_namespace, name
    elif (source := find_dict(spec, "csi")) is not None:
        for key in _CSI_NODE_SECRETS:
            if (ref := find_dict(source, key)) is not None:
                yield get_str(ref, "namespace"), get_str(ref, "name")
    else:
        for kind in _PV_SECRET_REF_SOURCES:
            if (source := find_dict(spec, kind)) is not None:
                if (ref := find_dict(source, "secretRef")) is not None:
                    # Cinder and StorageOS name the namespace; older PVs of the others rely on
                    # the claim's.
                    default = "" if kind in ("cinder", "storageos") else claim_namespace
                    yield get_str(ref, "namespace") or default, get_str(ref, "name")
                break
