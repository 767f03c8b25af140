"""Authentication options: client certificates, static tokens, anonymous requests."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

from kube_apiserver.cmd.options.flags import add_bool


@dataclass
class AuthenticationOptions:
    client_ca_file: str = ""
    token_auth_file: str = ""
    anonymous_auth: bool = True

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

    def complete(self) -> None:
        return None

    def validate(self) -> list[str]:
        errs = []
        for flag, path in (
            ("--client-ca-file", self.client_ca_file),
            ("--token-auth-file", self.token_auth_file),
        ):
            if path and not Path(path).is_file():
                errs.append(f"{flag}: {path}: no such file")
        return errs
