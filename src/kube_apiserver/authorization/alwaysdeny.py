"""`--authorization-mode=AlwaysDeny`: nothing is allowed (except to privileged groups).

Kubernetes' implementation does not deny outright: it has no opinion and explains why, so
authorizers after it in the chain still get their say and a refused request's 403 message ends
with "Everything is forbidden.". This one behaves the same.
"""

from __future__ import annotations

from kube_apiserver.authentication.user import UserInfo
from kube_apiserver.authorization.interface import Attributes, Decision, Rules


class AlwaysDenyAuthorizer:
    async def authorize(self, attrs: Attributes) -> tuple[Decision, str]:
        return Decision.NO_OPINION, "Everything is forbidden."

    async def rules_for(self, user: UserInfo, namespace: str) -> Rules:
        return Rules()
