"""Admission options: which admission plugins run."""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field

from kube_apiserver.cmd.options.flags import parse_list

# In the order kube-apiserver runs them.
AVAILABLE = ("NamespaceLifecycle", "ServiceAccount", "NodeRestriction")
DEFAULT_ON = ("NamespaceLifecycle", "ServiceAccount")


@dataclass
class AdmissionOptions:
    enable_admission_plugins: list[str] = field(default_factory=list)
    disable_admission_plugins: list[str] = field(default_factory=list)
    plugins: tuple[str, ...] = ()

    @staticmethod
    def add_flags(parser: argparse.ArgumentParser) -> None:
        g = parser.add_argument_group("Admission flags")
        g.add_argument(
            "--enable-admission-plugins",
            type=parse_list,
            default=[],
            help="admission plugins that should be enabled in addition to default enabled ones.",
        )
        g.add_argument(
            "--disable-admission-plugins",
            type=parse_list,
            default=[],
            help="admission plugins that should be disabled although they are in the default enabled plugins list.",
        )

    def complete(self) -> None:
        wanted = [p for p in DEFAULT_ON if p not in self.disable_admission_plugins]
        wanted += [p for p in self.enable_admission_plugins if p not in wanted]
        self.plugins = tuple(p for p in AVAILABLE if p in wanted)

    def validate(self) -> list[str]:
        errs = []
        for plugin in self.enable_admission_plugins + self.disable_admission_plugins:
            if plugin not in AVAILABLE:
                errs.append(
                    f"enable-admission-plugins plugin {plugin!r} is unknown or not supported by this version yet"
                )
        both = set(self.enable_admission_plugins) & set(self.disable_admission_plugins)
        if both:
            errs.append(
                f"{','.join(sorted(both))} in enable-admission-plugins and disable-admission-plugins overlapped"
            )
        return errs
