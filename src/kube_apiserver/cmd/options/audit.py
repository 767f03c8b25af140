"""Audit options: where audit events go."""

from __future__ import annotations

import argparse
from dataclasses import dataclass


@dataclass
class AuditOptions:
    audit_log_path: str = ""

    @staticmethod
    def add_flags(parser: argparse.ArgumentParser) -> None:
        g = parser.add_argument_group("Auditing flags")
        g.add_argument(
            "--audit-log-path",
            default="",
            help="If set, all requests coming to the apiserver will be logged to this file ('-' means standard out).",
        )

    def complete(self) -> None:
        return None

    def validate(self) -> list[str]:
        return []
