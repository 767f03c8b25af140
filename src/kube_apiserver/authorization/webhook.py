"""STUB: the webhook authorizer (filled by the webhook work)."""

from __future__ import annotations

from kube_apiserver.authorization.interface import Authorizer
from kube_apiserver.cmd.options.authorization import AuthorizationOptions


def from_options(opts: AuthorizationOptions) -> Authorizer:
    raise NotImplementedError
