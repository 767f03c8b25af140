"""Authorization options: the authorizer chain, by `--authorization-mode` or the structured
`--authorization-config` file, and the webhook authorizer's flags."""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from pathlib import Path

from kube_apiserver.cmd.options.flags import parse_duration, parse_list

KNOWN_MODES = ("AlwaysAllow", "AlwaysDeny", "ABAC", "Webhook", "RBAC", "Node")
SUPPORTED_MODES = ("AlwaysAllow", "AlwaysDeny", "Webhook", "RBAC", "Node")
WEBHOOK_VERSIONS = ("v1", "v1beta1")


@dataclass
class AuthorizationOptions:
    modes: list[str] = field(default_factory=list)
    authorization_config: str = ""
    authorization_webhook_config_file: str = ""
    authorization_webhook_version: str = "v1beta1"
    authorization_webhook_cache_authorized_ttl: float = 300.0
    authorization_webhook_cache_unauthorized_ttl: float = 30.0

    @staticmethod
    def add_flags(parser: argparse.ArgumentParser) -> None:
        g = parser.add_argument_group("Authorization flags")
        g.add_argument(
            "--authorization-mode",
            dest="modes",
            type=parse_list,
            default=[],
            help="Ordered list of plug-ins to do authorization on secure port. Defaults to AlwaysAllow if --authorization-config is not used. Comma-delimited list of: AlwaysAllow,AlwaysDeny,Node,RBAC,Webhook.",
        )
        g.add_argument(
            "--authorization-config",
            default="",
            help="File with Authorization Configuration to configure the authorizer chain. Note: Defining this flag and --authorization-* flags together is not allowed.",
        )
        g.add_argument(
            "--authorization-webhook-config-file",
            default="",
            help="File with webhook configuration in kubeconfig format, used with --authorization-mode=Webhook.",
        )
        g.add_argument(
            "--authorization-webhook-version",
            default="v1beta1",
            help="The API version of the authorization.k8s.io SubjectAccessReview to send to and expect from the webhook.",
        )
        g.add_argument(
            "--authorization-webhook-cache-authorized-ttl",
            type=parse_duration,
            default=300.0,
            help="The duration to cache 'authorized' responses from the webhook authorizer.",
        )
        g.add_argument(
            "--authorization-webhook-cache-unauthorized-ttl",
            type=parse_duration,
            default=30.0,
            help="The duration to cache 'unauthorized' responses from the webhook authorizer.",
        )

    def complete(self) -> None:
        if not self.modes and not self.authorization_config:
            self.modes = ["AlwaysAllow"]

    def validate(self) -> list[str]:
        errs = []
        if self.authorization_config:
            if self.modes or self.authorization_webhook_config_file:
                errs.append(
                    "--authorization-config can not be passed together with --authorization-mode "
                    "or --authorization-webhook-* flags"
                )
            if not Path(self.authorization_config).is_file():
                errs.append(f"--authorization-config: {self.authorization_config}: no such file")
            else:
                from kube_apiserver.authorization import config  # loads CEL: only when used

                errs += config.problems(Path(self.authorization_config))
            return errs
        for mode in self.modes:
            if mode not in KNOWN_MODES:
                errs.append(f'authorization-mode "{mode}" is not a valid mode')
            elif mode not in SUPPORTED_MODES:
                errs.append(f'authorization-mode "{mode}" is not supported by this version yet')
        if len(set(self.modes)) != len(self.modes):
            errs.append(
                f"authorization-mode {','.join(self.modes)} has mode specified more than once"
            )
        if "Webhook" in self.modes and not self.authorization_webhook_config_file:
            errs.append("authorization-mode Webhook's authorization config file not passed")
        if self.authorization_webhook_config_file and "Webhook" not in self.modes:
            errs.append("cannot specify --authorization-webhook-config-file without mode Webhook")
        elif (
            self.authorization_webhook_config_file
            and not Path(self.authorization_webhook_config_file).is_file()
        ):
            errs.append(
                f"--authorization-webhook-config-file: "
                f"{self.authorization_webhook_config_file}: no such file"
            )
        elif self.authorization_webhook_config_file:
            from kube_apiserver.webhook.kubeconfig import KubeconfigError, load_kubeconfig

            try:
                load_kubeconfig(self.authorization_webhook_config_file)
            except KubeconfigError as err:
                errs.append(f"--authorization-webhook-config-file: {err}")
        if self.authorization_webhook_version not in WEBHOOK_VERSIONS:
            errs.append(
                f"authorization-webhook-version: unsupported version "
                f"{self.authorization_webhook_version!r}"
            )
        return errs
