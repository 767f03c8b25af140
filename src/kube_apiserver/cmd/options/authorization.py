"""Authorization options: the authorizer chain by --authorization-mode."""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field

from kube_apiserver.cmd.options.flags import parse_list

KNOWN_MODES = ("AlwaysAllow", "AlwaysDeny", "ABAC", "Webhook", "RBAC", "Node")
SUPPORTED_MODES = ("AlwaysAllow", "AlwaysDeny")


@dataclass
class AuthorizationOptions:
    modes: list[str] = field(default_factory=list)

    @staticmethod
    def add_flags(parser: argparse.ArgumentParser) -> None:
        g = parser.add_argument_group("Authorization flags")
        g.add_argument(
            "--authorization-mode",
            dest="modes",
            type=parse_list,
            default=[],
            help="Ordered list of plug-ins to do authorization on secure port. Defaults to AlwaysAllow.",
        )

    def complete(self) -> None:
        if not self.modes:
            self.modes = ["AlwaysAllow"]

    def validate(self) -> list[str]:
        errs = []
        for mode in self.modes:
            if mode not in KNOWN_MODES:
                errs.append(f'authorization-mode "{mode}" is not a valid mode')
            elif mode not in SUPPORTED_MODES:
                errs.append(f'authorization-mode "{mode}" is not supported by this version yet')
        if len(set(self.modes)) != len(self.modes):
            errs.append(
                f"authorization-mode {','.join(self.modes)} has mode specified more than once"
            )
        return errs
