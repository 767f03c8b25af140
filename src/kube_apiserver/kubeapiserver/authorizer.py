"""The server's authorizer: the chain `--authorization-mode` (or `--authorization-config`)
describes, behind the `system:masters` rule every chain starts with."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kube_apiserver.authorization.alwaysallow import AlwaysAllowAuthorizer
from kube_apiserver.authorization.alwaysdeny import AlwaysDenyAuthorizer
from kube_apiserver.authorization.interface import Authorizer
from kube_apiserver.authorization.node.authorizer import NodeAuthorizer
from kube_apiserver.authorization.rbac.authorizer import RBACAuthorizer
from kube_apiserver.authorization.union import UnionAuthorizer
from kube_apiserver.cmd.options.authorization import AuthorizationOptions


def build_authorizer(opts: AuthorizationOptions) -> UnionAuthorizer:
    by_type: dict[str, Callable[[], Authorizer]] = {
        "AlwaysAllow": AlwaysAllowAuthorizer,
        "AlwaysDeny": AlwaysDenyAuthorizer,
        "RBAC": RBACAuthorizer,
        "Node": NodeAuthorizer,
    }
    # The configuration file (CEL) and webhooks (an HTTP client) load only when used.
    if opts.authorization_config:
        from kube_apiserver.authorization import config

        return UnionAuthorizer(
            config.authorizers_from_file(Path(opts.authorization_config), by_type)
        )
    if "Webhook" in opts.modes:
        from kube_apiserver.authorization import webhook

        by_type["Webhook"] = lambda: webhook.from_options(opts)
    return UnionAuthorizer([by_type[mode]() for mode in opts.modes])
