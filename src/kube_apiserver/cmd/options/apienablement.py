"""API enablement options: --runtime-config turns groups, versions and resources on or off."""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field

from kube_apiserver.cmd.options.flags import parse_bool, parse_list


@dataclass
class APIEnablementOptions:
    runtime_config: list[str] = field(default_factory=list)
    resolved: dict[str, bool] = field(default_factory=dict)

    @staticmethod
    def add_flags(parser: argparse.ArgumentParser) -> None:
        g = parser.add_argument_group("API enablement flags")
        g.add_argument(
            "--runtime-config",
            type=parse_list,
            default=[],
            help="A set of key=value pairs that enable or disable built-in APIs: api/all, api/v1, <group>/<version>[/<resource>].",
        )

    def complete(self) -> None:
        return None

    def validate(self) -> list[str]:
        errs = []
        for item in self.runtime_config:
            key, sep, value = item.partition("=")
            if key == "v1":  # Kubernetes accepts the bare legacy version too.
                key = "api/v1"
            try:
                self.resolved[key] = parse_bool(value) if sep else True
            except argparse.ArgumentTypeError:
                errs.append(f"invalid value {value!r} for runtime-config key {key!r}")
        return errs
