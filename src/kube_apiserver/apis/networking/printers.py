"""Table printers for networking.k8s.io/v1: the columns `kubectl get` shows for its resources.

Kubernetes describes some columns with fixed text and the NetworkPolicy and IP columns with
older API versions' field docs (extensions/v1beta1, networking/v1beta1), which this server's
schema data does not carry; where those differ from v1's, they are written out here. The
IPAddress printer declares two columns but fills three cells (its age too), as Kubernetes'
does; kubectl shows the declared columns only.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kube_apiserver.apis.meta.table import (
    NONE,
    Column,
    TableDef,
    age,
    age_column,
    field_doc,
    name_column,
    object_name,
    selector_string,
)

NETWORKING = "io.k8s.api.networking.v1."
_POD_SELECTOR_DOC = (
    "Selects the pods to which this NetworkPolicy object applies. The array of ingress rules is "
    "applied to any pods selected by this field. Multiple network policies can select the same "
    "set of pods. In this case, the ingress rules for each are combined additively. This field "
    "is NOT optional and follows standard label selector semantics. An empty podSelector "
    "matches all pods in this namespace."
)


def _spec(obj: dict[str, Any]) -> dict[str, Any]:
    return obj.get("spec") or {}


# ---- ingresses


def ingress_hosts(rules: list[Any]) -> str:
    """The HOSTS cell: up to three rule hosts, "*" when no rule names one. Once three are
    listed, any further rule makes it "+ N more...", N counting rules past the third."""
    hosts: list[str] = []
    more = False
    for rule in rules:
        more = more or len(hosts) == 3
        host = rule.get("host") if isinstance(rule, dict) else None
        if not more and host:
            hosts.append(host)
    if not hosts:
        return "*"
    text = ",".join(hosts)
    return f"{text} + {len(rules) - 3} more..." if more else text


def ingress_address(status: dict[str, Any]) -> str:
    """The ADDRESS cell: the load balancer's distinct IPs (or else hostnames), sorted."""
    entries = (status.get("loadBalancer") or {}).get("ingress") or []
    found = {e.get("ip") or e.get("hostname") for e in entries if isinstance(e, dict)}
    return ",".join(sorted(a for a in found if a))


def _ingress_row(ingress: dict[str, Any], now: datetime) -> list[Any]:
    spec = _spec(ingress)
    return [
        object_name(ingress),
        spec.get("ingressClassName") or NONE,
        ingress_hosts(spec.get("rules") or []),
        ingress_address(ingress.get("status") or {}),
        "80, 443" if spec.get("tls") else "80",
        age(ingress, now),
    ]


INGRESSES = TableDef(
    columns=(
        name_column(),
        Column(
            "Class",
            description="The name of the IngressClass resource that should be used for additional configuration",
        ),
        Column(
            "Hosts",
            description="Hosts that incoming requests are matched against before the ingress rule",
        ),
        Column(
            "Address",
            description="Address is a list containing ingress points for the load-balancer",
        ),
        Column("Ports", description="Ports of TLS configurations that open"),
        age_column(),
    ),
    row=_ingress_row,
)


# ---- ingress classes


def _ingress_class_row(ingress_class: dict[str, Any], now: datetime) -> list[Any]:
    spec = _spec(ingress_class)
    params = spec.get("parameters")
    parameters = NONE
    if isinstance(params, dict):
        kind = params.get("kind", "")
        if params.get("apiGroup") is not None:
            kind += "." + params["apiGroup"]
        parameters = f"{kind}/{params.get('name', '')}"
    return [
        object_name(ingress_class),
        spec.get("controller", ""),
        parameters,
        age(ingress_class, now),
    ]


INGRESS_CLASSES = TableDef(
    columns=(
        name_column(),
        Column("Controller", description="Controller that is responsible for handling this class"),
        Column("Parameters", description="A reference to a resource with additional parameters"),
        age_column(),
    ),
    row=_ingress_class_row,
)


# ---- network policies


def _network_policy_row(policy: dict[str, Any], now: datetime) -> list[Any]:
    selector = selector_string(_spec(policy).get("podSelector") or {})
    return [object_name(policy), selector or NONE, age(policy, now)]


NETWORK_POLICIES = TableDef(
    columns=(
        name_column(),
        Column("Pod-Selector", description=_POD_SELECTOR_DOC),
        age_column(),
    ),
    row=_network_policy_row,
)


# ---- service CIDRs and IP addresses


def _service_cidr_row(cidr: dict[str, Any], now: datetime) -> list[Any]:
    return [object_name(cidr), ",".join(_spec(cidr).get("cidrs") or []), age(cidr, now)]


SERVICE_CIDRS = TableDef(
    columns=(
        name_column(),
        Column("CIDRs", description=field_doc(NETWORKING + "ServiceCIDRSpec", "cidrs")),
        age_column(),
    ),
    row=_service_cidr_row,
)


def parent_ref_cell(ref: Any) -> str:
    """`resource[.group]/[namespace/]name`, lower-cased as Kubernetes prints a GroupResource."""
    if not isinstance(ref, dict):
        return NONE
    resource, group = ref.get("resource", ""), ref.get("group", "")
    text = (f"{resource}.{group}" if group else resource).lower()
    if ref.get("namespace"):
        text += "/" + ref["namespace"]
    return f"{text}/{ref.get('name', '')}"


def _ip_address_row(address: dict[str, Any], now: datetime) -> list[Any]:
    return [
        object_name(address),
        parent_ref_cell(_spec(address).get("parentRef")),
        age(address, now),
    ]


IP_ADDRESSES = TableDef(
    columns=(
        name_column(),
        Column("ParentRef", description=field_doc(NETWORKING + "IPAddressSpec", "parentRef")),
    ),
    row=_ip_address_row,
)


TABLES: dict[str, TableDef] = {
    "ingresses": INGRESSES,
    "ingressclasses": INGRESS_CLASSES,
    "networkpolicies": NETWORK_POLICIES,
    "servicecidrs": SERVICE_CIDRS,
    "ipaddresses": IP_ADDRESSES,
}
