"""Flag value parsing shared by the option groups: Go-style booleans, durations, lists."""

from __future__ import annotations

import argparse
import re

_DURATION = re.compile(r"(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)")
_UNIT_SECONDS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}


def parse_bool(text: str) -> bool:
    lowered = text.lower()
    if lowered in ("1", "t", "true"):
        return True
    if lowered in ("0", "f", "false"):
        return False
    raise argparse.ArgumentTypeError(f'invalid boolean value "{text}"')


def parse_duration(text: str) -> float:
    """Go's time.ParseDuration, in seconds: "1m0s", "5m", "1.5h", "0"."""
    if text in ("0", "0s"):
        return 0.0
    pos = 0
    total = 0.0
    for match in _DURATION.finditer(text):
        if match.start() != pos:
            break
        total += float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
        pos = match.end()
    if pos != len(text) or not text:
        raise argparse.ArgumentTypeError(f'invalid duration "{text}"')
    return total


def parse_list(text: str) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()]


def add_bool(group: argparse._ArgumentGroup, name: str, default: bool, help_text: str) -> None:
    group.add_argument(
        name,
        type=parse_bool,
        nargs="?",
        const=True,
        default=default,
        metavar="BOOL",
        help=help_text,
    )
