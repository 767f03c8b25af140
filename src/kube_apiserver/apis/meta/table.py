"""Server-side Table output: the `meta.k8s.io/v1` Table that `kubectl get` prints.

kube-apiserver answers `Accept: application/json;as=Table;v=v1;g=meta.k8s.io` by running a
per-type printer over the objects: a fixed list of column definitions plus a function that
turns one object into the cells of its row. It always asks the printers for the wide
(`-o wide`) cells; kubectl hides the priority-1 columns itself. Resources without a printer
get the generic two-column table (`Name`, `Created At`).

A `TableDef` is that pair of columns and row function. `build_table` wraps rows into the
Table JSON, attaching to each row the full object, its `PartialObjectMetadata`, or nothing,
as `includeObject` asks. Cells are computed against an explicit `now`, so ages are testable.
Column descriptions come from the schema's field documentation, which is what Kubernetes
uses (`SwaggerDoc()` of the API types).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson

from kube_apiserver.openapi.definitions import definitions

TABLE_GROUP_VERSION = "meta.k8s.io/v1"
OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
INCLUDE_OBJECT_VALUES = ("Object", "Metadata", "None")
NONE = "<none>"
UNKNOWN = "<unknown>"

# Go's zero time.Time: what an unset timestamp decodes to, printed as "<unknown>".
_ZERO_TIME = datetime(1, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Column:
    """One metav1.TableColumnDefinition."""

    name: str
    type: str = "string"  # string, integer, date, number, boolean
    format: str = ""  # "name" marks the column holding the object's name
    description: str = ""
    priority: int = 0  # 1: shown only by `kubectl get -o wide`

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "type": self.type,
            "format": self.format,
            "description": self.description,
            "priority": self.priority,
        }


@dataclass(frozen=True)
class TableDef:
    """A printer: its columns and the function computing one object's cells at `now`."""

    columns: tuple[Column, ...]
    row: Callable[[dict[str, Any], datetime], list[Any]]
    # Row conditions (pods mark finished rows "Completed"); most printers have none.
    conditions: Callable[[dict[str, Any]], list[dict[str, str]]] | None = None
    # The generic convertor appends rows to a nil slice, so an empty list serialises as null.
    null_rows_when_empty: bool = False
    # Printers that sort a list's rows (FlowSchemas by matching precedence) give the sort key.
    sort_key: Callable[[dict[str, Any]], Any] | None = None


def field_doc(definition: str, field: str) -> str:
    """The documentation of one field of a schema definition: a column's description."""
    return definitions()[definition]["properties"][field].get("description", "")


def name_column(*, priority: int = 0) -> Column:
    return Column("Name", "string", "name", field_doc(OBJECT_META, "name"), priority)


def age_column() -> Column:
    return Column("Age", "string", "", field_doc(OBJECT_META, "creationTimestamp"))


# ---- time ----


def parse_time(value: Any) -> datetime | None:
    """An RFC 3339 timestamp (Time or MicroTime) as an aware datetime; None when unset."""
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str) and value:
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            return None
    else:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return None if parsed == _ZERO_TIME else parsed


def human_duration(seconds: float) -> str:
    """Kubernetes' `duration.HumanDuration`: about two or three significant figures."""
    whole = math.trunc(seconds)
    # A clock up to two seconds ahead still reads as "now"; further is nonsense.
    if whole < -1:
        return "<invalid>"
    if whole < 0:
        return "0s"
    if whole < 120:
        return f"{whole}s"
    minutes = whole // 60
    if minutes < 10:
        rest = whole % 60
        return f"{minutes}m{rest}s" if rest else f"{minutes}m"
    if minutes < 180:
        return f"{minutes}m"
    hours = whole // 3600
    if hours < 8:
        rest = minutes % 60
        return f"{hours}h{rest}m" if rest else f"{hours}h"
    if hours < 48:
        return f"{hours}h"
    if hours < 24 * 8:
        rest = hours % 24
        return f"{hours // 24}d{rest}h" if rest else f"{hours // 24}d"
    if hours < 24 * 365 * 2:
        return f"{hours // 24}d"
    if hours < 24 * 365 * 8:
        days = (hours // 24) % 365
        years = hours // 24 // 365
        return f"{years}y{days}d" if days else f"{years}y"
    return f"{hours // 24 // 365}y"


def _aware(now: datetime) -> datetime:
    return now if now.tzinfo is not None else now.replace(tzinfo=UTC)


def since(value: Any, now: datetime) -> str:
    """How long ago a timestamp was, as AGE shows it; "<unknown>" when it is unset."""
    moment = parse_time(value)
    if moment is None:
        return UNKNOWN
    return human_duration((_aware(now) - moment).total_seconds())


def object_name(obj: dict[str, Any]) -> str:
    """metadata.name, the cell every Name column shows."""
    return (obj.get("metadata") or {}).get("name", "")


def age(obj: dict[str, Any], now: datetime) -> str:
    return since((obj.get("metadata") or {}).get("creationTimestamp"), now)


# ---- label formatting shared by printers ----


def format_labels(labels: dict[str, str] | None) -> str:
    """`labels.FormatLabels`: sorted `k=v` pairs joined by commas, "<none>" when empty."""
    if not labels:
        return NONE
    return ",".join(f"{key}={labels[key]}" for key in sorted(labels))


_OPERATORS = {"In": " in ", "NotIn": " notin "}


def selector_string(selector: dict[str, Any] | None) -> str:
    """A metav1.LabelSelector as `labels.Selector.String()` writes it ("" when it selects
    everything or nothing, "<invalid>" when it cannot be converted)."""
    if not selector:
        return ""
    requirements: list[tuple[str, str]] = []
    for key, value in (selector.get("matchLabels") or {}).items():
        requirements.append((key, f"{key}={value}"))
    for expr in selector.get("matchExpressions") or []:
        key, operator = expr.get("key", ""), expr.get("operator")
        values = sorted(expr.get("values") or [])
        if operator in _OPERATORS:
            if not values:
                return "<invalid>"
            requirements.append((key, f"{key}{_OPERATORS[operator]}({','.join(values)})"))
        elif operator == "Exists" and not values:
            requirements.append((key, key))
        elif operator == "DoesNotExist" and not values:
            requirements.append((key, "!" + key))
        else:
            return "<invalid>"
    # The selector keeps its requirements sorted by key.
    requirements.sort(key=lambda item: item[0])
    return ",".join(text for _, text in requirements)


def format_label_selector(selector: Any) -> str:
    """metav1.FormatLabelSelector: "<none>" when it selects everything (or nothing)."""
    text = selector_string(selector if isinstance(selector, dict) else None)
    if text == "<invalid>":
        return "<error>"
    return text or NONE


# ---- the generic table ----


def _created_at(obj: dict[str, Any]) -> str:
    moment = parse_time((obj.get("metadata") or {}).get("creationTimestamp"))
    moment = moment.astimezone(UTC) if moment else _ZERO_TIME
    # Spelled out: strftime does not zero-pad year 1, the zero time Go prints.
    return (
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}"
        f"T{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}Z"
    )


def _default_row(obj: dict[str, Any], now: datetime) -> list[Any]:
    return [object_name(obj), _created_at(obj)]


DEFAULT_TABLE = TableDef(
    columns=(
        Column("Name", "string", "name", field_doc(OBJECT_META, "name")),
        Column("Created At", "date", "", field_doc(OBJECT_META, "creationTimestamp")),
    ),
    row=_default_row,
    null_rows_when_empty=True,
)


# ---- the Table ----


def _list_meta(list_meta: dict[str, Any] | None) -> dict[str, Any]:
    source = list_meta or {}
    meta: dict[str, Any] = {}
    for key in ("selfLink", "resourceVersion", "continue"):
        if source.get(key):
            meta[key] = source[key]
    if source.get("remainingItemCount") is not None:
        meta["remainingItemCount"] = source["remainingItemCount"]
    return meta


def _row_object(obj: dict[str, Any], include_object: str, group_version: str) -> Any:
    if include_object == "Object":
        return obj
    if include_object == "None":
        # An empty RawExtension serialises as null; the key stays.
        return None
    return {
        "kind": "PartialObjectMetadata",
        "apiVersion": group_version,
        "metadata": dict(obj.get("metadata") or {}),
    }


def build_table(
    table_def: TableDef,
    objs: Iterable[dict[str, Any]],
    now: datetime,
    *,
    include_object: str = "Metadata",
    list_meta: dict[str, Any] | None = None,
    no_headers: bool = False,
    group_version: str = TABLE_GROUP_VERSION,
) -> dict[str, Any]:
    """The Table JSON for `objs` (one object for a get, the items for a list).

    `list_meta` carries the list's resourceVersion/continue/remainingItemCount (or the single
    object's resourceVersion). An unknown `include_object` raises ValueError with the message
    of the 400 kube-apiserver returns; like it, only once there is a row to attach it to.
    """
    rows: list[dict[str, Any]] = []
    if table_def.sort_key is not None:
        objs = sorted(objs, key=table_def.sort_key)
    for obj in objs:
        if include_object and include_object not in INCLUDE_OBJECT_VALUES:
            quoted = orjson.dumps(include_object).decode()
            raise ValueError(f"unrecognized includeObject value: {quoted}")
        row: dict[str, Any] = {"cells": table_def.row(obj, now)}
        conditions = table_def.conditions(obj) if table_def.conditions else None
        if conditions:
            row["conditions"] = conditions
        row["object"] = _row_object(obj, include_object or "Metadata", group_version)
        rows.append(row)
    return {
        "kind": "Table",
        "apiVersion": group_version,
        "metadata": _list_meta(list_meta),
        "columnDefinitions": None if no_headers else [c.to_dict() for c in table_def.columns],
        "rows": None if not rows and table_def.null_rows_when_empty else rows,
    }
