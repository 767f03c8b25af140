"""CronJob schedules and time zones, checked as kube-apiserver 1.33 checks them.

Kubernetes parses `spec.schedule` with robfig/cron v3's standard parser (five fields, or a
descriptor such as `@hourly` or `@every 1h30m`) and reports that parser's error text verbatim,
so the checks here follow its grammar and wording: ranges, steps, month and weekday names, and
Go's `time.ParseDuration` messages for `@every`. Time zones must name an IANA zone.
"""

from __future__ import annotations

import re
import zoneinfo

# (minimum, maximum, names) of minute, hour, day of month, month and day of week.
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
_BOUNDS = (
    (0, 59, {}),
    (0, 23, {}),
    (1, 31, {}),
    (1, 12, {name: i + 1 for i, name in enumerate(_MONTHS)}),
    (0, 6, {name: i for i, name in enumerate(_DAYS)}),
)
_DESCRIPTORS = ("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly")
_EVERY = "@every "
_INT64_MAX = 2**63 - 1


def _go_quote(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _atoi(expr: str) -> tuple[int | None, str]:
    """Go's strconv.Atoi: an optional sign and decimal digits, within int64."""
    if not re.fullmatch(r"[+-]?[0-9]+", expr):
        return None, f"strconv.Atoi: parsing {_go_quote(expr)}: invalid syntax"
    n = int(expr)
    if not -(2**63) <= n <= _INT64_MAX:
        return None, f"strconv.Atoi: parsing {_go_quote(expr)}: value out of range"
    return n, ""


def _number(expr: str, names: dict[str, int] | None = None) -> int:
    """A field value: a name (months, weekdays) or a non-negative integer; raises ValueError."""
    if names and expr.lower() in names:
        return names[expr.lower()]
    n, err = _atoi(expr)
    if n is None:
        raise ValueError(f"failed to parse int from {expr}: {err}")
    if n < 0:
        raise ValueError(f"negative number ({n}) not allowed: {expr}")
    return n


def _range(expr: str, low: int, high: int, names: dict[str, int]) -> None:
    """One `number | number-number [/ step] | * [/ step]` expression of a field."""
    range_and_step = expr.split("/")
    low_and_high = range_and_step[0].split("-")
    if low_and_high[0] in ("*", "?"):
        start, end = low, high
    else:
        start = _number(low_and_high[0], names)
        if len(low_and_high) == 1:
            end = start
        elif len(low_and_high) == 2:
            end = _number(low_and_high[1], names)
        else:
            raise ValueError(f"too many hyphens: {expr}")
    step = 1
    if len(range_and_step) == 2:
        step = _number(range_and_step[1])
        if len(low_and_high) == 1:
            end = high  # "N/step" means "N-max/step"
    elif len(range_and_step) > 2:
        raise ValueError(f"too many slashes: {expr}")
    if start < low:
        raise ValueError(f"beginning of range ({start}) below minimum ({low}): {expr}")
    if end > high:
        raise ValueError(f"end of range ({end}) above maximum ({high}): {expr}")
    if start > end:
        raise ValueError(f"beginning of range ({start}) beyond end of range ({end}): {expr}")
    if step == 0:
        raise ValueError(f"step of range should be a positive number: {expr}")


# ---- Go's time.ParseDuration, for `@every <duration>` ----

_UNITS = {
    "ns": 1,
    "us": 10**3,
    "µs": 10**3,
    "μs": 10**3,
    "ms": 10**6,
    "s": 10**9,
    "m": 60 * 10**9,
    "h": 3600 * 10**9,
}
_DURATION_PART = re.compile(r"([0-9]*)(\.[0-9]*)?([^0-9.]*)")


def duration_error(text: str) -> str | None:
    """Why `time.ParseDuration(text)` fails, in Go's words; None when it parses."""
    invalid = f"time: invalid duration {_go_quote(text)}"
    s = text[1:] if text[:1] in ("+", "-") else text
    if s == "0":
        return None
    if not s:
        return invalid
    total = 0
    while s:
        m = _DURATION_PART.match(s)
        whole, frac, unit = m.group(1), m.group(2) or "", m.group(3)
        if not whole and len(frac) <= 1:
            return invalid  # no digits at all
        if not unit:
            return f"time: missing unit in duration {_go_quote(text)}"
        matched = next((u for u in _UNITS if unit.startswith(u) and len(u) == len(unit)), None)
        if matched is None:
            return f"time: unknown unit {_go_quote(unit)} in duration {_go_quote(text)}"
        total += (
            (int(whole or 0) * 10**9 + int((frac[1:] or "0").ljust(9, "0")[:9]))
            * (_UNITS[matched])
            // 10**9
        )
        if total > _INT64_MAX:
            return invalid
        s = s[m.end() :]
    return None


def schedule_error(schedule: str) -> str | None:
    """Why robfig/cron's standard parser rejects a schedule; None when it accepts it."""
    spec = schedule
    if spec.startswith(("TZ=", "CRON_TZ=")):
        space, eq = spec.find(" "), spec.find("=")
        zone = spec[eq + 1 : space] if space >= 0 else spec[eq + 1 :]
        why = _load_location_error(zone)
        if why:
            return f"provided bad location {zone}: {why}"
        spec = spec[space:].strip() if space >= 0 else ""
    if not spec:
        return "empty spec string"
    if spec.startswith("@"):
        if spec in _DESCRIPTORS:
            return None
        if spec.startswith(_EVERY):
            why = duration_error(spec[len(_EVERY) :])
            return f"failed to parse duration {spec}: {why}" if why else None
        return f"unrecognized descriptor: {spec}"
    fields = spec.split()
    if len(fields) != len(_BOUNDS):
        return f"expected exactly 5 fields, found {len(fields)}: [{' '.join(fields)}]"
    try:
        for text, (low, high, names) in zip(fields, _BOUNDS, strict=True):
            for expr in (part for part in text.split(",") if part):
                _range(expr, low, high, names)
    except ValueError as exc:
        return str(exc)
    return None


# ---- time zones ----

# IANA naming rules, with digits and "+" tolerated for legacy names (Etc/GMT+5).
_ZONE_PART = re.compile(r"[A-Za-z.\-_0-9+]{1,14}")


def _load_location_error(zone: str) -> str | None:
    """Why Go's time.LoadLocation fails for a name ("" and "UTC" are UTC, "Local" the host's)."""
    if zone in ("", "UTC", "Local"):
        return None
    try:
        zoneinfo.ZoneInfo(zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return f"unknown time zone {zone}"
    return None


def time_zone_errors(zone: str) -> list[str]:
    """Why a `spec.timeZone` is refused (each reason Kubernetes gives); [] for an IANA zone."""
    if not zone:
        return ["timeZone must be nil or non-empty string"]
    for part in zone.split("/"):
        if part in (".", "..") or part.startswith("-") or not _ZONE_PART.fullmatch(part):
            return [f"unknown time zone {zone}"]
    errs = []
    if zone.lower() == "local":
        errs.append(
            "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"
        )
    why = _load_location_error(zone)
    return errs + [why] if why else errs
