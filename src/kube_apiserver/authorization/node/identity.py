"""Which node a user is: kubelets authenticate as `system:node:<name>` in group `system:nodes`.

Both the Node authorizer and the NodeRestriction admission plugin ask this question, as
Kubernetes' node identifier answers it: a user is a node only with the name prefix AND the
group; `system:node:` with nothing after it is a node whose name cannot be told (refused).
"""

from __future__ import annotations

from kube_apiserver.authentication.user import UserInfo

NODES_GROUP = "system:nodes"
NODE_USER_PREFIX = "system:node:"


def node_identity(user: UserInfo | None) -> tuple[str, bool]:
    """(node name, is a node); the name is "" for a node that cannot be identified."""
    if user is None or not user.name.startswith(NODE_USER_PREFIX):
        return "", False
    if NODES_GROUP not in user.groups:
        return "", False
    return user.name[len(NODE_USER_PREFIX) :], True
