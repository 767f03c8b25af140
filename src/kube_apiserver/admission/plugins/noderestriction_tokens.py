"""NodeRestriction for TokenRequests (`serviceaccounts/<name>/token`) made by a kubelet.

A kubelet asks for a service account token on behalf of a pod it runs, so the request must be
bound to that pod (by name and uid) and the pod must be bound to the kubelet's node. With
Kubernetes 1.33's ServiceAccountNodeAudienceRestriction (beta, on) the kubelet may also ask for
at most one audience, and only one the pod uses: a projected service account token's audience,
or one a CSI driver of its volumes asks tokens for (inline, through a claim and its volume, or an
in-tree volume migrated to CSI). Otherwise an authorizer must grant the node the verb
`request-serviceaccounts-token-audience` on the audience (as resource) for the account (as name).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kube_apiserver.admission.interface import CREATE, Attributes, forbidden
from kube_apiserver.apimachinery import errors
from kube_apiserver.apis.meta.unstructured import dict_items, find_dict, get_dict, get_str, get_strs
from kube_apiserver.authorization.interface import Attributes as AuthorizationAttributes
from kube_apiserver.authorization.interface import allowed, go_quote
from kube_apiserver.authorization.node.references import ephemeral_claim_name

if TYPE_CHECKING:
    from kube_apiserver.admission.plugins.noderestriction import NodeRestriction

Obj = dict[str, Any]

AUDIENCE_VERB = "request-serviceaccounts-token-audience"
# The CSI drivers in-tree volume types are migrated to (Kubernetes' csi-translation-lib).
MIGRATED_DRIVERS = {
    "awsElasticBlockStore": "ebs.csi.aws.com",
    "azureDisk": "disk.csi.azure.com",
    "azureFile": "file.csi.azure.com",
    "cinder": "cinder.csi.openstack.org",
    "gcePersistentDisk": "pd.csi.storage.gke.io",
    "portworxVolume": "pxd.portworx.com",
    "vsphereVolume": "csi.vsphere.vmware.com",
}


def _migrated_driver(source: Obj) -> str:
    """The CSI driver an in-tree volume source (of a pod or a PV) is served by, or ""."""
    for kind, driver in MIGRATED_DRIVERS.items():
        if find_dict(source, kind) is not None:
            return driver
    return ""


async def admit_token_request(plugin: NodeRestriction, node: str, attrs: Attributes) -> None:
    if attrs.operation != CREATE or attrs.subresource != "token":
        return
    spec = get_dict(attrs.obj, "spec")
    ref = find_dict(spec, "boundObjectRef")
    if ref is None or (get_str(ref, "apiVersion"), get_str(ref, "kind")) != ("v1", "Pod"):
        raise forbidden(attrs, "node requested token not bound to a pod")
    if not get_str(ref, "name"):
        raise forbidden(attrs, "node requested token not bound to a pod")
    uid = get_str(ref, "uid")
    if not uid:
        raise forbidden(attrs, "node requested token with a pod binding without a uid")
    pod = await plugin.lookup("pods", attrs.namespace, get_str(ref, "name"))
    if uid != get_str(get_dict(pod, "metadata"), "uid"):
        raise forbidden(
            attrs,
            f"the UID in the bound object reference ({uid}) does not match the UID in record. "
            "The object might have been deleted and then recreated",
        )
    if get_str(get_dict(pod, "spec"), "nodeName") != node:
        raise forbidden(attrs, "node requested token bound to a pod scheduled on a different node")

    audiences = get_strs(spec, "audiences")
    if len(audiences) > 1:
        raise forbidden(attrs, "node may only request 0 or 1 audiences")
    audience = audiences[0] if audiences else ""
    try:
        if await _pod_uses_audience(plugin, pod, audience):
            return
    except errors.StatusError as exc:
        raise forbidden(
            attrs, f"error validating audience {go_quote(audience)}: {exc.message}"
        ) from None
    if await _granted(plugin, attrs, audience):
        return
    user = attrs.user.name if attrs.user else ""
    raise forbidden(
        attrs,
        f"audience {go_quote(audience)} not found in pod spec volume, "
        f"{user} is not authorized to request tokens for this audience",
    )


async def _pod_uses_audience(plugin: NodeRestriction, pod: Obj, audience: str) -> bool:
    """Whether a volume of the pod asks tokens for the audience; a 404 when an object on the
    way to a CSI driver (claim, volume, driver) does not exist."""
    namespace = get_str(get_dict(pod, "metadata"), "namespace")
    for volume in dict_items(get_dict(pod, "spec"), "volumes"):
        for source in dict_items(get_dict(volume, "projected"), "sources"):
            projection = find_dict(source, "serviceAccountToken")
            if projection is not None and get_str(projection, "audience") == audience:
                return True
        if find_dict(get_dict(volume, "ephemeral"), "volumeClaimTemplate") is not None:
            driver = await _claim_driver(plugin, namespace, ephemeral_claim_name(pod, volume))
        elif (claim := find_dict(volume, "persistentVolumeClaim")) is not None:
            driver = await _claim_driver(plugin, namespace, get_str(claim, "claimName"))
        elif (csi := find_dict(volume, "csi")) is not None:
            driver = get_str(csi, "driver")
        else:
            driver = _migrated_driver(volume)
        if driver:
            csi_driver = await plugin.lookup("csidrivers.storage.k8s.io", "", driver)
            requests = dict_items(get_dict(csi_driver, "spec"), "tokenRequests")
            if any(get_str(request, "audience") == audience for request in requests):
                return True
    return False


async def _claim_driver(plugin: NodeRestriction, namespace: str, claim: str) -> str:
    pvc = await plugin.lookup("persistentvolumeclaims", namespace, claim)
    pv = await plugin.lookup("persistentvolumes", "", get_str(get_dict(pvc, "spec"), "volumeName"))
    pv_spec = get_dict(pv, "spec")
    if (csi := find_dict(pv_spec, "csi")) is not None:
        return get_str(csi, "driver")
    return _migrated_driver(pv_spec)


async def _granted(plugin: NodeRestriction, attrs: Attributes, audience: str) -> bool:
    """Whether the server's authorizer lets the node ask for the audience for this account."""
    if plugin.authorizer is None or attrs.user is None:
        return False
    return await allowed(
        plugin.authorizer,
        AuthorizationAttributes(
            user=attrs.user,
            verb=AUDIENCE_VERB,
            resource_request=True,
            namespace=attrs.namespace,
            resource=audience,
            name=attrs.name,
        ),
    )
