"""Authentication options: every authenticator kube-apiserver offers, with its flags.

The flags, defaults and help follow kube-apiserver's BuiltInAuthenticationOptions. Two defaults
differ so that one command gives a working server: when no `--service-account-signing-key-file`
is given, a key is made in the data dir (as the CA is), and the issuer defaults to
`https://kubernetes.default.svc.cluster.local`, the value kubeadm uses.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from pathlib import Path

from kube_apiserver.cmd.options.flags import add_bool, parse_duration, parse_list

DEFAULT_ISSUER = "https://kubernetes.default.svc.cluster.local"
WEBHOOK_VERSIONS = ("v1", "v1beta1")


def parse_map(text: str) -> dict[str, str]:
    """A `key=value,key=value` flag (Go's mapStringString)."""
    out: dict[str, str] = {}
    for item in parse_list(text):
        key, sep, value = item.partition("=")
        if not sep:
            raise argparse.ArgumentTypeError(f"{item} must be formatted as key=value")
        out[key.strip()] = value.strip()
    return out


class _Append(argparse.Action):
    """A repeatable flag whose values may also be comma-separated (Go's StringSlice)."""

    def __call__(self, parser, namespace, values, option_string=None):  # type: ignore[no-untyped-def]
        current = list(getattr(namespace, self.dest) or [])
        current.extend(parse_list(values))
        setattr(namespace, self.dest, current)


@dataclass
class AuthenticationOptions:
    client_ca_file: str = ""
    token_auth_file: str = ""
    anonymous_auth: bool = True
    # Service account tokens.
    service_account_key_file: list[str] = field(default_factory=list)
    service_account_signing_key_file: str = ""
    service_account_issuer: list[str] = field(default_factory=list)
    service_account_jwks_uri: str = ""
    service_account_lookup: bool = True
    service_account_max_token_expiration: float = 0.0  # seconds; 0 means no limit
    service_account_extend_token_expiration: bool = True
    api_audiences: list[str] = field(default_factory=list)
    # Bootstrap tokens.
    enable_bootstrap_token_auth: bool = False
    # OIDC, and the structured configuration that replaces it.
    oidc_issuer_url: str = ""
    oidc_client_id: str = ""
    oidc_ca_file: str = ""
    oidc_username_claim: str = "sub"
    oidc_username_prefix: str = ""
    oidc_groups_claim: str = ""
    oidc_groups_prefix: str = ""
    oidc_required_claim: dict[str, str] = field(default_factory=dict)
    oidc_signing_algs: list[str] = field(default_factory=lambda: ["RS256"])
    authentication_config: str = ""
    # Webhook token authentication.
    authentication_token_webhook_config_file: str = ""
    authentication_token_webhook_cache_ttl: float = 120.0
    authentication_token_webhook_version: str = "v1beta1"
    # Request-header (front proxy) authentication.
    requestheader_client_ca_file: str = ""
    requestheader_allowed_names: list[str] = field(default_factory=list)
    requestheader_username_headers: list[str] = field(default_factory=list)
    requestheader_uid_headers: list[str] = field(default_factory=list)
    requestheader_group_headers: list[str] = field(default_factory=list)
    requestheader_extra_headers_prefix: list[str] = field(default_factory=list)

    @staticmethod
    def add_flags(parser: argparse.ArgumentParser) -> None:
        g = parser.add_argument_group("Authentication flags")
        g.add_argument(
            "--client-ca-file",
            default="",
            help="Client certificates signed by this CA authenticate as their CommonName. Defaults to the generated CA.",
        )
        g.add_argument(
            "--token-auth-file",
            default="",
            help="If set, the file that will be used to secure the secure port of the API server via token authentication.",
        )
        add_bool(
            g,
            "--anonymous-auth",
            True,
            "Enables anonymous requests to the secure port of the API server.",
        )
        g.add_argument(
            "--service-account-key-file",
            action=_Append,
            default=[],
            help="File containing PEM-encoded x509 RSA or ECDSA private or public keys, used to verify ServiceAccount tokens. May be given several times. Defaults to the signing key.",
        )
        g.add_argument(
            "--service-account-signing-key-file",
            default="",
            help="Path to the file that contains the current private key of the service account token issuer. Defaults to a key generated in the data dir.",
        )
        g.add_argument(
            "--service-account-issuer",
            action=_Append,
            default=[],
            help=f"Identifier of the service account token issuer. The first is used to sign tokens; all are accepted. Defaults to {DEFAULT_ISSUER}.",
        )
        g.add_argument(
            "--service-account-jwks-uri",
            default="",
            help="Overrides the URI for the JSON Web Key Set in the discovery doc served at /.well-known/openid-configuration.",
        )
        add_bool(
            g,
            "--service-account-lookup",
            True,
            "If true, validate ServiceAccount tokens exist in etcd as part of authentication.",
        )
        g.add_argument(
            "--service-account-max-token-expiration",
            type=parse_duration,
            default=0.0,
            help="The maximum validity duration of a token created by the service account token issuer.",
        )
        add_bool(
            g,
            "--service-account-extend-token-expiration",
            True,
            "Turns on projected service account expiration extension during token generation.",
        )
        g.add_argument(
            "--api-audiences",
            type=parse_list,
            default=[],
            help="Identifiers of the API. Defaults to the service account issuers.",
        )
        add_bool(
            g,
            "--enable-bootstrap-token-auth",
            False,
            "Enable to allow secrets of type 'bootstrap.kubernetes.io/token' in the 'kube-system' namespace to be used for TLS bootstrapping authentication.",
        )
        g.add_argument(
            "--oidc-issuer-url",
            default="",
            help="The URL of the OpenID issuer, only HTTPS scheme will be accepted.",
        )
        g.add_argument(
            "--oidc-client-id",
            default="",
            help="The client ID for the OpenID Connect client, must be set if oidc-issuer-url is set.",
        )
        g.add_argument(
            "--oidc-ca-file",
            default="",
            help="If set, the OpenID server's certificate will be verified by one of the authorities in the oidc-ca-file.",
        )
        g.add_argument(
            "--oidc-username-claim",
            default="sub",
            help="The OpenID claim to use as the user name.",
        )
        g.add_argument(
            "--oidc-username-prefix",
            default="",
            help="If provided, all usernames will be prefixed with this value. '-' disables prefixing.",
        )
        g.add_argument(
            "--oidc-groups-claim",
            default="",
            help="If provided, the name of a custom OpenID Connect claim for specifying user groups.",
        )
        g.add_argument(
            "--oidc-groups-prefix",
            default="",
            help="If provided, all groups will be prefixed with this value.",
        )
        g.add_argument(
            "--oidc-required-claim",
            type=parse_map,
            default={},
            help="A key=value pair that describes a required claim in the ID Token.",
        )
        g.add_argument(
            "--oidc-signing-algs",
            type=parse_list,
            default=["RS256"],
            help="Comma-separated list of allowed JOSE asymmetric signing algorithms.",
        )
        g.add_argument(
            "--authentication-config",
            default="",
            help="File with Authentication Configuration to configure the JWT Token authenticator or the anonymous authenticator.",
        )
        g.add_argument(
            "--authentication-token-webhook-config-file",
            default="",
            help="File with webhook configuration for token authentication in kubeconfig format.",
        )
        g.add_argument(
            "--authentication-token-webhook-cache-ttl",
            type=parse_duration,
            default=120.0,
            help="The duration to cache responses from the webhook token authenticator.",
        )
        g.add_argument(
            "--authentication-token-webhook-version",
            default="v1beta1",
            help="The API version of the authentication.k8s.io TokenReview to send to and expect from the webhook.",
        )
        g.add_argument(
            "--requestheader-client-ca-file",
            default="",
            help="Root certificate bundle to use to verify client certificates on incoming requests before trusting usernames in headers specified by --requestheader-username-headers.",
        )
        for flag, what in (
            ("--requestheader-allowed-names", "List of client certificate common names to allow to provide usernames in headers"),
            ("--requestheader-username-headers", "List of request headers to inspect for usernames"),
            ("--requestheader-uid-headers", "List of request headers to inspect for UIDs"),
            ("--requestheader-group-headers", "List of request headers to inspect for groups"),
            ("--requestheader-extra-headers-prefix", "List of request header prefixes to inspect"),
        ):  # fmt: skip
            g.add_argument(flag, type=parse_list, default=[], help=what + ".")

    def complete(self) -> None:
        if not self.service_account_issuer:
            self.service_account_issuer = [DEFAULT_ISSUER]
        if not self.api_audiences:
            self.api_audiences = list(self.service_account_issuer)

    def validate(self) -> list[str]:
        errs = []
        for flag, path in (
            ("--client-ca-file", self.client_ca_file),
            ("--token-auth-file", self.token_auth_file),
            ("--service-account-signing-key-file", self.service_account_signing_key_file),
            ("--oidc-ca-file", self.oidc_ca_file),
            ("--authentication-config", self.authentication_config),
            (
                "--authentication-token-webhook-config-file",
                self.authentication_token_webhook_config_file,
            ),
            ("--requestheader-client-ca-file", self.requestheader_client_ca_file),
            *(("--service-account-key-file", p) for p in self.service_account_key_file),
        ):
            if path and not Path(path).is_file():
                errs.append(f"{flag}: {path}: no such file")
            elif path and flag == "--authentication-token-webhook-config-file":
                from kube_apiserver.webhook.kubeconfig import KubeconfigError, load_kubeconfig

                try:
                    load_kubeconfig(path)
                except KubeconfigError as err:
                    errs.append(f"{flag}: {err}")
        if self.authentication_config and self._oidc_flags_set():
            errs.append("authentication-config file and oidc-* flags are mutually exclusive")
        if (
            not self.authentication_config
            and self._oidc_flags_set()
            and not (self.oidc_issuer_url and self.oidc_client_id)
        ):
            errs.append(
                "oidc-issuer-url and oidc-client-id must be specified together when any oidc-* "
                "flags are set"
            )
        if self.authentication_token_webhook_version not in WEBHOOK_VERSIONS:
            errs.append(
                f"authentication-token-webhook-version: unsupported version "
                f"{self.authentication_token_webhook_version!r}, supported versions are "
                f"{', '.join(WEBHOOK_VERSIONS)}"
            )
        if self.service_account_max_token_expiration and not (
            3600 <= self.service_account_max_token_expiration <= 1 << 32
        ):
            errs.append(
                "the service-account-max-token-expiration must be between 1 hour and 2^32 seconds"
            )
        if not errs and (self.authentication_config or self.oidc_issuer_url):
            # As kube-apiserver, the JWT configuration is checked once the flags are valid; the
            # import is local because CEL is only needed when a configuration is given.
            from kube_apiserver.authentication import jwt

            errs += jwt.validate_options(self)
        return errs

    def _oidc_flags_set(self) -> bool:
        """Whether any --oidc-* flag differs from its default (kube-apiserver tracks flags set)."""
        return bool(
            self.oidc_issuer_url
            or self.oidc_client_id
            or self.oidc_ca_file
            or self.oidc_username_claim != "sub"
            or self.oidc_username_prefix
            or self.oidc_groups_claim
            or self.oidc_groups_prefix
            or self.oidc_required_claim
            or self.oidc_signing_algs != ["RS256"]
        )
