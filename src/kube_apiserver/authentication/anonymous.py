"""Anonymous access (`--anonymous-auth`, on by default in kube-apiserver).

A request that carries no credential at all becomes `system:anonymous` in the
`system:unauthenticated` group; RBAC then decides what, if anything, that user may do (by default
only the discovery and health endpoints). The union authenticator consults it last, and only
when no other authenticator saw a credential, so a bad token is never downgraded to anonymous.
"""

from __future__ import annotations

from kube_apiserver.authentication.user import ANONYMOUS, UNAUTHENTICATED, UserInfo

ANONYMOUS_USER = UserInfo(name=ANONYMOUS, groups=(UNAUTHENTICATED,))
