"""The policy parts of a JobSpec, validated as kube-apiserver 1.33 does it: the pod failure
policy, the success policy, the pod replacement policy, and the index lists (`1,3-5`) that
success policies and Indexed Job status use.

Where Kubernetes reports a whole policy as the bad value it prints the internal Go struct
(`%#v`); `go_pod_failure_policy` and `go_success_policy` render that text, with pointer fields
shown at a fixed address as the rest of this package does.
"""

from __future__ import annotations

import json
from typing import Any

from kube_apiserver.apis.core.formats import _ADDR, _nonnegative, _qualified, go_quote
from kube_apiserver.apis.meta.field import (
    FieldError,
    duplicate,
    invalid,
    not_supported,
    path,
    required,
    too_long,
    too_many,
)
from kube_apiserver.apis.meta.unstructured import get_dict, get_dicts, get_int, get_str, is_set

MAX_POD_FAILURE_RULES = 20
MAX_EXIT_CODES = 255
MAX_CONDITION_PATTERNS = 20
MAX_SUCCESS_RULES = 20
MAX_SUCCEEDED_INDEXES_LENGTH = 64 * 1024
ACTIONS = ["Count", "FailIndex", "FailJob", "Ignore"]
OPERATORS = ["In", "NotIn"]
CONDITION_STATUSES = ["False", "True", "Unknown"]
REPLACEMENT_POLICIES = ["Failed", "TerminatingOrFailed"]


def invalid_without_value(fld: str, detail: str) -> FieldError:
    """An Invalid error whose value Kubernetes omits (field.OmitValueType)."""
    return FieldError("FieldValueInvalid", fld, f"Invalid value: {detail}")


def _valid_values(values: list[str]) -> str:
    """`fmt.Sprintf("valid values: %q", list)`: Go's %q of a []string."""
    return "valid values: [" + " ".join(json.dumps(v) for v in values) + "]"


def _int32s(values: list[Any] | None) -> str:
    if values is None:
        return "[]int32(nil)"
    return "[]int32{" + ", ".join(str(v) for v in values) + "}"


def _pointer(obj: Any, key: str, type_name: str) -> str:
    return f"(*{type_name})({_ADDR if is_set(obj, key) else 'nil'})"


def go_pod_failure_policy(policy: dict) -> str:
    rules = [
        "batch.PodFailurePolicyRule{"
        f"Action:{go_quote(get_str(rule, 'action'))}, "
        f"OnExitCodes:{_pointer(rule, 'onExitCodes', 'batch.PodFailurePolicyOnExitCodesRequirement')}, "
        "OnPodConditions:"
        + (
            "[]batch.PodFailurePolicyOnPodConditionsPattern{"
            + ", ".join(
                f"batch.PodFailurePolicyOnPodConditionsPattern{{Type:{go_quote(get_str(p, 'type'))}, "
                f"Status:{go_quote(get_str(p, 'status'))}}}"
                for p in get_dicts(rule, "onPodConditions")
            )
            + "}"
            if isinstance(rule.get("onPodConditions"), list)
            else "[]batch.PodFailurePolicyOnPodConditionsPattern(nil)"
        )
        + "}"
        for rule in get_dicts(policy, "rules")
    ]
    listed = (
        "[]batch.PodFailurePolicyRule{" + ", ".join(rules) + "}"
        if isinstance(policy.get("rules"), list)
        else "[]batch.PodFailurePolicyRule(nil)"
    )
    return f"batch.PodFailurePolicy{{Rules:{listed}}}"


def go_success_policy(policy: dict) -> str:
    rules = [
        "batch.SuccessPolicyRule{"
        f"SucceededIndexes:{_pointer(rule, 'succeededIndexes', 'string')}, "
        f"SucceededCount:{_pointer(rule, 'succeededCount', 'int32')}}}"
        for rule in get_dicts(policy, "rules")
    ]
    listed = (
        "[]batch.SuccessPolicyRule{" + ", ".join(rules) + "}"
        if isinstance(policy.get("rules"), list)
        else "[]batch.SuccessPolicyRule(nil)"
    )
    return f"batch.SuccessPolicy{{Rules:{listed}}}"


# ---- index lists ----


def _go_atoi(text: str) -> int | None:
    stripped = text[1:] if text[:1] in ("+", "-") else text
    return int(text) if stripped.isdigit() and stripped.isascii() else None


def parse_index_interval(interval: str, completions: int) -> tuple[int, int]:
    """One `x` or `x-y` of an index list; raises ValueError with Kubernetes' message."""
    limits = interval.split("-")
    if len(limits) > 2:
        raise ValueError(
            f"the fragment {go_quote(interval)} violates the requirement that an index interval "
            "can have at most two parts separated by '-'"
        )
    bounds = []
    for text in limits:
        n = _go_atoi(text)
        if n is None:
            raise ValueError(f"cannot convert string to integer for index: {go_quote(text)}")
        if n >= completions:
            raise ValueError(f"too large index: {go_quote(text)}")
        bounds.append(n)
    if len(bounds) == 2 and bounds[0] >= bounds[1]:
        raise ValueError(f"non-increasing order, previous: {bounds[0]}, current: {bounds[1]}")
    return bounds[0], bounds[-1]


def count_indexes(indexes: str, completions: int) -> int:
    """How many indexes a list names; raises ValueError when it is malformed."""
    if not indexes:
        return 0
    last, total = None, 0
    for interval in indexes.split(","):
        x, y = parse_index_interval(interval, completions)
        if last is not None and last >= x:
            raise ValueError(f"non-increasing order, previous: {last}, current: {x}")
        total += y - x + 1
        last = y
    return total


def overlap_error(completed: str, failed: str, completions: int) -> str | None:
    """Where failed and completed index lists overlap (intervals that do not parse are skipped)."""
    if not completed or not failed:
        return None

    def intervals(text: str) -> list[tuple[int, int]]:
        out = []
        for part in text.split(","):
            try:
                out.append(parse_index_interval(part, completions))
            except ValueError:
                continue
        return out

    done, lost = intervals(completed), intervals(failed)
    c = f = 0
    while c < len(done) and f < len(lost):
        (cx, cy), (fx, fy) = done[c], lost[f]
        if cx <= fy and fx <= cy:
            return f"failedIndexes and completedIndexes overlap at index: {max(cx, fx)}"
        if cx <= fx:
            c += 1
        else:
            f += 1
    return None


# ---- pod failure policy ----


def _on_exit_codes(req: dict, fld: str, containers: set[str]) -> list[FieldError]:
    errs: list[FieldError] = []
    operator = get_str(req, "operator")
    if not operator:
        errs.append(required(path(fld, "operator"), _valid_values(OPERATORS)))
    elif operator not in OPERATORS:
        errs.append(not_supported(path(fld, "operator"), operator, OPERATORS))
    if is_set(req, "containerName") and get_str(req, "containerName") not in containers:
        errs.append(
            invalid(
                path(fld, "containerName"),
                get_str(req, "containerName"),
                "must be one of the container or initContainer names in the pod template",
            )
        )
    raw = req.get("values")
    values = [v if isinstance(v, int) else 0 for v in raw] if isinstance(raw, list) else None
    values_path = path(fld, "values")
    if not values:
        errs.append(
            FieldError(
                "FieldValueInvalid",
                values_path,
                f"Invalid value: {_int32s(values)}: at least one value is required",
            )
        )
    elif len(values) > MAX_EXIT_CODES:
        errs.append(too_many(values_path, len(values), MAX_EXIT_CODES))
    seen: set[int] = set()
    for j, value in enumerate(values or []):
        if operator == "In" and value == 0:
            errs.append(invalid(path(values_path, j), 0, "must not be 0 for the In operator"))
        if value in seen:
            errs.append(duplicate(path(values_path, j), value))
        seen.add(value)
    if values and any(a > b for a, b in zip(values, values[1:], strict=False)):
        errs.append(
            FieldError(
                "FieldValueInvalid",
                values_path,
                f"Invalid value: {_int32s(values)}: must be ordered",
            )
        )
    return errs


def _on_pod_conditions(patterns: list[dict], fld: str) -> list[FieldError]:
    errs = (
        [too_many(fld, len(patterns), MAX_CONDITION_PATTERNS)]
        if len(patterns) > MAX_CONDITION_PATTERNS
        else []
    )
    for j, pattern in enumerate(patterns):
        at = path(fld, j)
        errs += _qualified(path(at, "type"), get_str(pattern, "type"))
        status = get_str(pattern, "status")
        if not status:
            errs.append(required(path(at, "status"), _valid_values(CONDITION_STATUSES)))
        elif status not in CONDITION_STATUSES:
            errs.append(not_supported(path(at, "status"), status, CONDITION_STATUSES))
    return errs


def validate_pod_failure_policy(spec: dict, fld: str) -> list[FieldError]:
    rules = get_dicts(get_dict(spec, "podFailurePolicy"), "rules")
    rules_path = path(fld, "rules")
    errs = (
        [too_many(rules_path, len(rules), MAX_POD_FAILURE_RULES)]
        if len(rules) > MAX_POD_FAILURE_RULES
        else []
    )
    pod_spec = get_dict(get_dict(spec, "template"), "spec")
    containers = {
        get_str(c, "name")
        for kind in ("containers", "initContainers")
        for c in get_dicts(pod_spec, kind)
    }
    for i, rule in enumerate(rules):
        at = path(rules_path, i)
        action = get_str(rule, "action")
        if not action:
            errs.append(required(path(at, "action"), _valid_values(ACTIONS)))
        elif action == "FailIndex":
            if not is_set(spec, "backoffLimitPerIndex"):
                errs.append(
                    invalid(
                        path(at, "action"), action, "requires the backoffLimitPerIndex to be set"
                    )
                )
        elif action not in ACTIONS:
            errs.append(not_supported(path(at, "action"), action, ACTIONS))
        exit_codes = is_set(rule, "onExitCodes")
        conditions = get_dicts(rule, "onPodConditions")
        if exit_codes:
            errs += _on_exit_codes(
                get_dict(rule, "onExitCodes"), path(at, "onExitCodes"), containers
            )
        if conditions:
            errs += _on_pod_conditions(conditions, path(at, "onPodConditions"))
        if exit_codes and conditions:
            errs.append(
                invalid_without_value(
                    at, "specifying both OnExitCodes and OnPodConditions is not supported"
                )
            )
        if not exit_codes and not conditions:
            errs.append(
                invalid_without_value(
                    at, "specifying one of OnExitCodes and OnPodConditions is required"
                )
            )
    return errs


# ---- success and replacement policies ----


def validate_success_policy(spec: dict, fld: str) -> list[FieldError]:
    rules = get_dicts(get_dict(spec, "successPolicy"), "rules")
    rules_path = path(fld, "rules")
    errs: list[FieldError] = []
    if not rules:
        errs.append(
            required(
                rules_path,
                "at least one rules must be specified when the successPolicy is specified",
            )
        )
    if len(rules) > MAX_SUCCESS_RULES:
        errs.append(too_many(rules_path, len(rules), MAX_SUCCESS_RULES))
    completions = get_int(spec, "completions") or 0
    for i, rule in enumerate(rules):
        at = path(rules_path, i)
        count = get_int(rule, "succeededCount")
        has_indexes = is_set(rule, "succeededIndexes")
        if count is None and not has_indexes:
            errs.append(
                required(at, "at least one of succeededCount or succeededIndexes must be specified")
            )
        total = 0
        if has_indexes:
            indexes = get_str(rule, "succeededIndexes")
            if len(indexes) > MAX_SUCCEEDED_INDEXES_LENGTH:
                errs.append(too_long(path(at, "succeededIndexes"), MAX_SUCCEEDED_INDEXES_LENGTH))
            try:
                total = count_indexes(indexes, completions)
            except ValueError as exc:
                errs.append(
                    invalid(
                        path(at, "succeededIndexes"),
                        indexes,
                        f"error parsing succeededIndexes: {exc}",
                    )
                )
        if count is not None:
            at_count = path(at, "succeededCount")
            errs += _nonnegative(at_count, count)
            if count > completions:
                errs.append(
                    invalid(
                        at_count,
                        count,
                        f"must be less than or equal to {completions} "
                        "(the number of specified completions)",
                    )
                )
            if has_indexes and count > total:
                errs.append(
                    invalid(
                        at_count,
                        count,
                        f"must be less than or equal to {total} "
                        "(the number of indexes in the specified succeededIndexes field)",
                    )
                )
    return errs


def validate_pod_replacement_policy(spec: dict, fld: str) -> list[FieldError]:
    if not is_set(spec, "podReplacementPolicy"):
        return []
    policy = get_str(spec, "podReplacementPolicy")
    if is_set(spec, "podFailurePolicy"):
        return [] if policy == "Failed" else [not_supported(fld, policy, ["Failed"])]
    if policy not in REPLACEMENT_POLICIES:
        return [not_supported(fld, policy, REPLACEMENT_POLICIES)]
    return []
