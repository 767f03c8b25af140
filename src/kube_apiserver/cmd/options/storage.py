"""Storage options: the embedded SQLite file by default, etcd v3 when asked for."""

from __future__ import annotations

import argparse
import ipaddress
import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from kube_apiserver.cmd.options.flags import add_bool, parse_duration, parse_list
from kube_apiserver.storage.encryption import ConfigError, EncryptionConfig

BACKENDS = ("sqlite", "etcd3")


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "kube-apiserver"


@dataclass
class StorageOptions:
    storage_backend: str = ""
    etcd_servers: list[str] = field(default_factory=list)
    etcd_prefix: str = "/registry"
    etcd_cafile: str = ""
    etcd_certfile: str = ""
    etcd_keyfile: str = ""
    etcd_compaction_interval: float = 300.0
    watch_cache: bool = True
    encryption_provider_config: str = ""
    data_dir: Path | None = None

    @staticmethod
    def add_flags(parser: argparse.ArgumentParser) -> None:
        g = parser.add_argument_group("Etcd flags")
        g.add_argument(
            "--storage-backend",
            default="",
            help="The storage backend: sqlite (embedded, default) or etcd3.",
        )
        g.add_argument(
            "--etcd-servers",
            type=parse_list,
            default=[],
            help="List of etcd servers to connect with (scheme://ip:port), comma separated.",
        )
        g.add_argument(
            "--etcd-prefix",
            default="/registry",
            help="The prefix to prepend to all resource paths in etcd.",
        )
        g.add_argument(
            "--etcd-cafile",
            default="",
            help="SSL Certificate Authority file used to secure etcd communication.",
        )
        g.add_argument(
            "--etcd-certfile",
            default="",
            help="SSL certification file used to secure etcd communication.",
        )
        g.add_argument(
            "--etcd-keyfile", default="", help="SSL key file used to secure etcd communication."
        )
        g.add_argument(
            "--etcd-compaction-interval",
            type=parse_duration,
            default=300.0,
            help="The interval of compaction requests. If 0, compaction is disabled.",
        )
        add_bool(g, "--watch-cache", True, "Enable watch caching in the apiserver.")
        g.add_argument(
            "--encryption-provider-config",
            default="",
            help="The file containing configuration for encryption providers to be used for storing secrets.",
        )
        g.add_argument(
            "--data-dir",
            type=Path,
            default=None,
            help="Directory for the embedded SQLite store and generated certificates (default $XDG_DATA_HOME/kube-apiserver).",
        )

    def complete(self) -> None:
        if not self.storage_backend:
            self.storage_backend = "etcd3" if self.etcd_servers else "sqlite"
        if self.data_dir is None:
            self.data_dir = default_data_dir()

    def validate(self) -> list[str]:
        errs = []
        if self.storage_backend not in BACKENDS:
            errs.append(f"--storage-backend invalid, allowed values: {', '.join(BACKENDS)}")
        if self.storage_backend == "etcd3":
            if not self.etcd_servers:
                errs.append("--etcd-servers must be specified")
            errs.extend(_etcd_server_errors(self.etcd_servers, self.etcd_cafile))
            for flag, path in (
                ("--etcd-cafile", self.etcd_cafile),
                ("--etcd-certfile", self.etcd_certfile),
                ("--etcd-keyfile", self.etcd_keyfile),
            ):
                if path and not Path(path).is_file():
                    errs.append(f"{flag} {path}: no such file")
            if bool(self.etcd_certfile) != bool(self.etcd_keyfile):
                errs.append("--etcd-certfile and --etcd-keyfile must be given together")
        if self.encryption_provider_config:
            if self.storage_backend != "etcd3":
                errs.append("--encryption-provider-config needs --storage-backend=etcd3")
            try:
                EncryptionConfig.load(Path(self.encryption_provider_config))
            except ConfigError as exc:
                errs.append(f"--encryption-provider-config: {exc}")
        if not self.watch_cache:
            errs.append(
                "--watch-cache=false is not supported: this server always serves watches from its watch cache"
            )
        if self.etcd_compaction_interval < 0:
            errs.append("--etcd-compaction-interval must not be negative")
        if not self.etcd_prefix.startswith("/"):
            errs.append("--etcd-prefix must start with /")
        return errs

    def etcd_endpoints(self) -> list[str]:
        """host:port of each --etcd-servers URL, as the etcd client takes them."""
        return [urlsplit(url).netloc for url in self.etcd_servers]


def _etcd_server_errors(servers: list[str], cafile: str) -> list[str]:
    errs = []
    for url in servers:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname or not parts.port:
            errs.append(f"--etcd-servers: {url!r} is not scheme://ip:port")
            continue
        if parts.hostname != "localhost":
            try:
                ipaddress.IPv4Address(parts.hostname)
            except ValueError:
                errs.append(f"--etcd-servers: {url!r}: give etcd's IPv4 address (or localhost)")
        if parts.scheme == "https" and not cafile:
            errs.append(f"--etcd-servers: {url!r} is https, which needs --etcd-cafile")
    return errs
