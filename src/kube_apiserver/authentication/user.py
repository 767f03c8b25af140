"""Who a request is from: the user identity every authenticator produces and authorizers read.

Kubernetes passes a `user.Info` (name, uid, groups, extra) from authentication to authorization
and into audit and `kubectl auth whoami`. Here it is a frozen dataclass so it can travel through
the request untouched; `extra` is left out of the hash because mappings are not hashable.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

# Well-known names Kubernetes gives special meaning to.
ANONYMOUS = "system:anonymous"
UNAUTHENTICATED = "system:unauthenticated"
AUTHENTICATED = "system:authenticated"
MASTERS = "system:masters"

# The `extra` key under which Kubernetes records which credential authenticated the user.
CREDENTIAL_ID_KEY = "authentication.kubernetes.io/credential-id"


@dataclass(frozen=True)
class UserInfo:
    name: str
    uid: str = ""
    groups: tuple[str, ...] = ()
    extra: Mapping[str, tuple[str, ...]] = field(default_factory=dict, hash=False)
