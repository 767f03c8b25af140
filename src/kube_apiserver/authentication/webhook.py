"""STUB: filled by the authentication work."""

from __future__ import annotations

from kube_apiserver.authentication.interface import Authenticator
from kube_apiserver.cmd.options.authentication import AuthenticationOptions


def from_options(opts: AuthenticationOptions) -> list[Authenticator]:
    return []
