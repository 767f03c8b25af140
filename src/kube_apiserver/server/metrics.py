"""Prometheus metrics with kube-apiserver's names: request counts and latencies.

A small in-process registry (counters and one histogram) written in the Prometheus text
format; recording a request is a dict update and a bisect, cheap enough for the hot path.
"""

from __future__ import annotations

import bisect
from collections import defaultdict

DURATION_BUCKETS = (
    0.005,
    0.025,
    0.05,
    0.1,
    0.2,
    0.4,
    0.6,
    0.8,
    1.0,
    1.25,
    1.5,
    2.0,
    3.0,
    4.0,
    5.0,
    6.0,
    8.0,
    10.0,
    15.0,
    20.0,
    30.0,
    45.0,
    60.0,
)
_LABELS = ("component", "dry_run", "group", "resource", "scope", "subresource", "verb", "version")

# Kubernetes reports verbs in upper case, with LIST and WATCH told apart from GET.
_VERBS = {
    "get": "GET",
    "list": "LIST",
    "watch": "WATCH",
    "create": "POST",
    "update": "PUT",
    "patch": "PATCH",
    "delete": "DELETE",
    "deletecollection": "DELETE",
}


def metric_verb(verb: str, method: str) -> str:
    return _VERBS.get(verb, method.upper())


def _fmt_labels(names: tuple[str, ...], values: tuple[str, ...]) -> str:
    inner = ",".join(f'{n}="{v}"' for n, v in zip(names, values, strict=True))
    return "{" + inner + "}"


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value)


class Metrics:
    def __init__(self) -> None:
        self.requests: dict[tuple[str, ...], int] = defaultdict(int)
        self.durations: dict[tuple[str, ...], list[float]] = {}
        self.inflight = {"mutating": 0, "readOnly": 0}

    def observe(
        self,
        *,
        verb: str,
        group: str,
        version: str,
        resource: str,
        subresource: str,
        scope: str,
        code: int,
        seconds: float,
        dry_run: bool,
    ) -> None:
        labels = (
            "apiserver",
            "All" if dry_run else "",
            group,
            resource,
            scope,
            subresource,
            verb,
            version,
        )
        self.requests[(str(code), *labels)] += 1
        hist = self.durations.get(labels)
        if hist is None:
            hist = self.durations[labels] = [0.0] * (len(DURATION_BUCKETS) + 2)
        hist[bisect.bisect_left(DURATION_BUCKETS, seconds)] += 1
        hist[-1] += seconds

    def render(self) -> bytes:
        out = [
            "# HELP apiserver_request_total [STABLE] Counter of apiserver requests broken out for each verb, "
            "dry run value, group, version, resource, scope, component, and HTTP response code.",
            "# TYPE apiserver_request_total counter",
        ]
        names = ("code", *_LABELS)
        for key, count in sorted(self.requests.items()):
            out.append(f"apiserver_request_total{_fmt_labels(names, key)} {count}")
        out += [
            "# HELP apiserver_request_duration_seconds [STABLE] Response latency distribution in seconds "
            "for each verb, dry run value, group, version, resource, subresource, scope and component.",
            "# TYPE apiserver_request_duration_seconds histogram",
        ]
        for key, hist in sorted(self.durations.items()):
            labels = _fmt_labels(_LABELS, key)[1:-1]
            cumulative = 0.0
            for bound, n in zip(DURATION_BUCKETS, hist, strict=False):
                cumulative += n
                out.append(
                    f'apiserver_request_duration_seconds_bucket{{{labels},le="{_fmt(bound)}"}} {_fmt(cumulative)}'
                )
            cumulative += hist[len(DURATION_BUCKETS)]
            out.append(
                f'apiserver_request_duration_seconds_bucket{{{labels},le="+Inf"}} {_fmt(cumulative)}'
            )
            out.append(f"apiserver_request_duration_seconds_sum{{{labels}}} {hist[-1]!r}")
            out.append(f"apiserver_request_duration_seconds_count{{{labels}}} {_fmt(cumulative)}")
        out += [
            "# HELP apiserver_current_inflight_requests [STABLE] Maximal number of currently used inflight "
            "request limit of this apiserver per request kind in last second.",
            "# TYPE apiserver_current_inflight_requests gauge",
        ]
        for kind, value in sorted(self.inflight.items()):
            out.append(f'apiserver_current_inflight_requests{{request_kind="{kind}"}} {value}')
        return ("\n".join(out) + "\n").encode()
