"""Health endpoints: /healthz, /livez and /readyz, with ?verbose, ?exclude= and per-check paths.

Each endpoint runs its named checks; the text matches kube-apiserver's: "ok" alone, or with
?verbose one "[+]name ok" / "[-]name failed: reason withheld" line per check and a final
"<endpoint> check passed|failed". A failing check makes the answer 500.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

log = logging.getLogger(__name__)

Check = Callable[[], Awaitable[None]]  # raises when unhealthy


@dataclass(frozen=True)
class HealthCheck:
    name: str
    check: Check


async def _ok() -> None:
    return None


def ping() -> HealthCheck:
    return HealthCheck("ping", _ok)


def log_check() -> HealthCheck:
    return HealthCheck("log", _ok)


class HealthEndpoint:
    def __init__(self, name: str, checks: Sequence[HealthCheck]) -> None:
        self.name = name  # "healthz", "livez", "readyz"
        self.checks = list(checks)

    async def answer(self, sub: str, query: dict[str, list[str]]) -> tuple[int, str] | None:
        """(status code, body) for /<name> or /<name>/<sub>; None for an unknown check."""
        if sub:
            for hc in self.checks:
                if hc.name == sub:
                    try:
                        await hc.check()
                    except Exception as exc:  # noqa: BLE001 - any failure is "unhealthy"
                        log.warning("%s check %s failed: %s", self.name, hc.name, exc)
                        return 500, f"internal server error: {hc.name} check failed\n"
                    return 200, "ok"
            return None
        excluded = {e for v in query.get("exclude", []) for e in v.split(",") if e}
        verbose = "verbose" in query
        lines = []
        failed = False
        for hc in self.checks:
            if hc.name in excluded:
                lines.append(f"[+]{hc.name} excluded: ok")
                excluded.discard(hc.name)
                continue
            try:
                await hc.check()
                lines.append(f"[+]{hc.name} ok")
            except Exception as exc:  # noqa: BLE001
                log.warning("%s check %s failed: %s", self.name, hc.name, exc)
                lines.append(f"[-]{hc.name} failed: reason withheld")
                failed = True
        for name in sorted(excluded):
            lines.append(f'warn: some health checks cannot be excluded: no matches for "{name}"')
        if failed:
            return 500, "\n".join(lines) + f"\n{self.name} check failed\n"
        if verbose:
            return 200, "\n".join(lines) + f"\n{self.name} check passed\n"
        return 200, "ok"
