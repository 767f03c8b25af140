"""What every node may do on the resources the Node authorizer does not decide object by object.

As in Kubernetes, these are the node policy rules of the bootstrap RBAC policy (the rules of the
`system:node` ClusterRole, which 1.33 binds to nobody): the Node authorizer allows a request they
allow and has no opinion otherwise. None has wildcards or resource names, so they are read once
into a set of (group, resource[/subresource], verb) and a lookup decides.
"""

from __future__ import annotations

from kube_apiserver.authorization.rbac.bootstrappolicy.cluster_roles import node_rules

_ALLOWED = frozenset(
    (group, resource, verb)
    for rule in node_rules()
    for group in rule["apiGroups"]
    for resource in rule["resources"]
    for verb in rule["verbs"]
)


def allows(group: str, resource: str, subresource: str, verb: str) -> bool:
    qualified = f"{resource}/{subresource}" if subresource else resource
    return (group, qualified, verb) in _ALLOWED
