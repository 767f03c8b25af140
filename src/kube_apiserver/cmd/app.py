"""The kube-apiserver command: parse flags, complete, validate, run (as the seed's call stack).

`main` builds the option groups, fills their defaults (`complete`), checks them all at once
(`validate`, every problem reported together, exit 1), then `run`s the server until
interrupted.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from kube_apiserver import version
from kube_apiserver.cmd.options.admission import AdmissionOptions
from kube_apiserver.cmd.options.apienablement import APIEnablementOptions
from kube_apiserver.cmd.options.audit import AuditOptions
from kube_apiserver.cmd.options.authentication import AuthenticationOptions
from kube_apiserver.cmd.options.authorization import AuthorizationOptions
from kube_apiserver.cmd.options.serving import SecureServingOptions
from kube_apiserver.cmd.options.storage import StorageOptions

log = logging.getLogger("kube-apiserver")


@dataclass
class ServerRunOptions:
    storage: StorageOptions
    serving: SecureServingOptions
    authentication: AuthenticationOptions
    authorization: AuthorizationOptions
    admission: AdmissionOptions
    audit: AuditOptions
    api_enablement: APIEnablementOptions
    verbosity: int = 0

    def groups(self) -> list[Any]:
        return [
            self.storage,
            self.serving,
            self.authentication,
            self.authorization,
            self.admission,
            self.audit,
            self.api_enablement,
        ]


GROUPS = (
    StorageOptions,
    SecureServingOptions,
    AuthenticationOptions,
    AuthorizationOptions,
    AdmissionOptions,
    AuditOptions,
    APIEnablementOptions,
)


class _Parser(argparse.ArgumentParser):
    """Reports flag errors as kube-apiserver's cobra command does: `Error: unknown flag: --x`."""

    def error(self, message: str) -> None:  # type: ignore[override]
        if message.startswith("unrecognized arguments: "):
            message = "unknown flag: " + message.removeprefix("unrecognized arguments: ").split()[0]
        self.print_usage(sys.stderr)
        print(f"Error: {message}", file=sys.stderr)
        raise SystemExit(1)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="kube-apiserver",
        description="The Kubernetes API server validates and configures data for the api objects "
        "which include pods, services, deployments, and others. This one is written in Python "
        "and stores its data in an embedded SQLite file unless told otherwise.",
        allow_abbrev=False,
    )
    for group in GROUPS:
        group.add_flags(parser)
    g = parser.add_argument_group("Global flags")
    g.add_argument(
        "-v",
        "--v",
        dest="verbosity",
        type=int,
        default=0,
        help="number for the log level verbosity",
    )
    g.add_argument("--version", action="store_true", help="Print version information and quit")
    return parser


def new_options(argv: list[str]) -> tuple[ServerRunOptions, bool]:
    parser = build_parser()
    ns = parser.parse_args(argv)
    values = vars(ns)

    def build(cls: type) -> Any:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in values.items() if k in names})

    opts = ServerRunOptions(*(build(cls) for cls in GROUPS), verbosity=ns.verbosity)
    return opts, ns.version


def complete(opts: ServerRunOptions) -> ServerRunOptions:
    for group in opts.groups():
        group.complete()
    if "AlwaysAllow" in opts.authorization.modes and opts.authentication.anonymous_auth:
        # As kube-apiserver: anonymous requests and AlwaysAllow would let anyone do anything.
        log.warning(
            "AnonymousAuth is not allowed with the AlwaysAllow authorizer. Resetting AnonymousAuth to false. "
            "You should use a different authorizer"
        )
        opts.authentication.anonymous_auth = False
    return opts


def validate(opts: ServerRunOptions) -> list[str]:
    return [err for group in opts.groups() for err in group.validate()]


def setup_logging(verbosity: int) -> None:
    level = logging.DEBUG if verbosity >= 4 else logging.INFO
    logging.basicConfig(
        level=level,
        format="%(levelname).1s%(asctime)s %(name)s] %(message)s",
        datefmt="%m%d %H:%M:%S",
    )


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        opts, show_version = new_options(argv)
    except SystemExit as exc:  # argparse has printed the problem (or --help)
        return int(exc.code or 0)
    if show_version:
        print(f"Kubernetes {version.GIT_VERSION}")
        return 0
    setup_logging(opts.verbosity)
    complete(opts)
    errs = validate(opts)
    if errs:
        print(
            "Error: [" + ", ".join(errs) + "]" if len(errs) > 1 else f"Error: {errs[0]}",
            file=sys.stderr,
        )
        return 1
    from kube_apiserver.cmd.run import run  # the server's imports are only needed to run it
    from kube_apiserver.storage.interface import StorageUnavailableError

    try:
        import uvloop

        runner = uvloop.run
    except ImportError:  # pragma: no cover - platforms without uvloop
        runner = asyncio.run
    try:
        runner(run(opts))
    except KeyboardInterrupt:
        pass
    except StorageUnavailableError as exc:
        print(f"Error: the storage backend cannot be reached: {exc}", file=sys.stderr)
        return 1
    return 0


def settings_summary(opts: ServerRunOptions) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for group in opts.groups():
        for f in fields(group):
            value = getattr(group, f.name)
            out[f.name] = str(value) if isinstance(value, Path) else value
    out["pid"] = os.getpid()
    return out
