"""The server's authenticator, built from the options in kube-apiserver's order.

Request-header (front proxy) first, then client certificates, then the bearer-token
authenticators (static file, service account tokens, bootstrap tokens, JWT issuers and OIDC,
the webhook), with anonymous access as the fallback. Members that read API objects (service
accounts, bootstrap token Secrets) get the stores through `attach`, once the control plane has
built them.
"""

from __future__ import annotations

from pathlib import Path

from kube_apiserver.authentication import bootstrap, request_header
from kube_apiserver.authentication.interface import Authenticator
from kube_apiserver.authentication.token_cache import CachedTokenAuthenticator
from kube_apiserver.authentication.token_file import TokenFileAuthenticator
from kube_apiserver.authentication.union import UnionAuthenticator
from kube_apiserver.authentication.x509 import CABundle, X509Authenticator
from kube_apiserver.cmd.options.authentication import AuthenticationOptions
from kube_apiserver.serviceaccount.tokens import ServiceAccountTokens


def build_authenticator(
    opts: AuthenticationOptions, *, client_ca: Path | None, tokens: ServiceAccountTokens
) -> UnionAuthenticator:
    authenticators: list[Authenticator] = [*request_header.from_options(opts)]
    if client_ca is not None:
        authenticators.append(X509Authenticator(CABundle.from_file(client_ca)))
    bearer: list[Authenticator] = []
    if opts.token_auth_file:
        bearer.append(TokenFileAuthenticator.from_file(Path(opts.token_auth_file)))
    bearer += tokens.authenticators()
    bearer += bootstrap.from_options(opts)
    anonymous, anonymous_paths = opts.anonymous_auth, None
    # JWT issuers (CEL) and webhooks (an HTTP client) load only when configured: they would
    # add a fifth to every start-up.
    if opts.oidc_issuer_url or opts.authentication_config:
        from kube_apiserver.authentication import config, jwt

        bearer += jwt.from_options(opts)
        anonymous, anonymous_paths = config.anonymous_access(
            flag=opts.anonymous_auth, config_file=opts.authentication_config
        )
    if opts.authentication_token_webhook_config_file:
        from kube_apiserver.authentication import webhook

        bearer += webhook.from_options(opts)
    # The bearer-token authenticators answer as one, behind kube-apiserver's 10 s cache.
    authenticators.append(CachedTokenAuthenticator(UnionAuthenticator(bearer, anonymous=False)))
    return UnionAuthenticator(authenticators, anonymous=anonymous, anonymous_paths=anonymous_paths)
