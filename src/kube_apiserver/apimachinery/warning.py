"""Warnings for the client: `Warning: 299 - "<text>"` response headers, which kubectl prints
as `Warning: <text>`.

As kube-apiserver's warning recorder, any layer may add a warning to the request being served
(a strategy warning about a pod spec, the installer about a deprecated kind) without knowing
HTTP; the endpoint layer records them per request and sends them with the response headers.
"""

from __future__ import annotations

from contextvars import ContextVar

_recorder: ContextVar[list[str] | None] = ContextVar("warnings", default=None)


def record() -> list[str]:
    """Start recording the current request's warnings; the list fills as they are added."""
    warnings: list[str] = []
    _recorder.set(warnings)
    return warnings


def add(text: str) -> None:
    """Warn the client of the request being served (once per text); a no-op outside one."""
    warnings = _recorder.get()
    if warnings is not None and text not in warnings:
        warnings.append(text)


def header(text: str) -> tuple[bytes, bytes]:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return b"warning", f'299 - "{escaped}"'.encode()
