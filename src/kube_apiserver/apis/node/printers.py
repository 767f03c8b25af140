"""Table printers for node.k8s.io/v1: the columns `kubectl get runtimeclasses` shows.

Kubernetes describes the Handler column with ObjectMeta's (absent) `handler` doc, so its
description is empty.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kube_apiserver.apis.meta.table import (
    Column,
    TableDef,
    age,
    age_column,
    name_column,
    object_name,
)


def _runtime_class_row(rc: dict[str, Any], now: datetime) -> list[Any]:
    return [object_name(rc), rc.get("handler", ""), age(rc, now)]


RUNTIME_CLASSES = TableDef(
    columns=(name_column(), Column("Handler"), age_column()),
    row=_runtime_class_row,
)

TABLES: dict[str, TableDef] = {"runtimeclasses": RUNTIME_CLASSES}
