"""What the OpenAPI documents are made of, independent of the OpenAPI version that serves them.

Two halves. The schema half turns the JSON Schema definitions we ship (`definitions.py`) back into
the OpenAPI schemas Kubernetes publishes: `#/$defs/` refs become v2 or v3 refs, the `["x", "null"]`
types collapse to `"x"`, the `enum`s the converter pinned on `apiVersion`/`kind` go, and IntOrString
and Quantity get back the shapes kube-apiserver serves. The operation half describes every path and
operation the routes serve (ids, actions, parameters, bodies, responses) as plain frozen values;
`v2.py` and `v3.py` only render them, so both documents always describe the same API.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from kube_apiserver.apis.resource import Resource, Subresource
from kube_apiserver.openapi.definitions import REF_PREFIX, definitions, name_for_gvk

V2_REF = "#/definitions/"
V3_REF = "#/components/schemas/"

INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString"
QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity"
META = "io.k8s.apimachinery.pkg.apis.meta.v1."
STATUS, DELETE_OPTIONS, PATCH = META + "Status", META + "DeleteOptions", META + "Patch"
WATCH_EVENT, RESOURCE_LIST = META + "WatchEvent", META + "APIResourceList"

_INT_OR_STRING_TEXT = (
    "IntOrString holds either an int32 or a string; JSON and YAML carry whichever of the two "
    "it holds, so a field of this type accepts a number or a name."
)
_QUANTITY_TEXT = (
    "Quantity is a fixed-point number with an optional suffix, serialized as a string such as "
    '"100m", "1.5Gi", "2e3" or "128974848": binary suffixes Ki, Mi, Gi, Ti, Pi, Ei, '
    "decimal suffixes n, u, m, k, M, G, T, P, E, or a decimal exponent. It is always written "
    "back in canonical form, so values may change spelling (but never amount) on a round trip."
)
# The two union scalars as kube-apiserver publishes them: one plain string type for Swagger 2.0,
# a oneOf for OpenAPI 3 (what kubectl explain and the client-side apply schema expect).
_SCALARS: dict[str, dict[bool, dict[str, Any]]] = {
    INT_OR_STRING: {
        False: {"description": _INT_OR_STRING_TEXT, "format": "int-or-string", "type": "string"},
        True: {
            "description": _INT_OR_STRING_TEXT,
            "format": "int-or-string",
            "oneOf": [{"type": "integer"}, {"type": "string"}],
        },
    },
    QUANTITY: {
        False: {"description": _QUANTITY_TEXT, "type": "string"},
        True: {"description": _QUANTITY_TEXT, "oneOf": [{"type": "string"}, {"type": "number"}]},
    },
}
_SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf")


def _convert(schema: dict[str, Any], *, v3: bool) -> dict[str, Any]:
    """One schema node, converted; keys are walked by meaning because JSONSchemaProps has
    properties named `$ref`, `type` and `enum` that must not be mistaken for keywords."""
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key == "$ref":
            out[key] = (V3_REF if v3 else V2_REF) + value[len(REF_PREFIX) :]
        elif key == "type" and isinstance(value, list):
            kept = [t for t in value if t != "null"]
            out[key] = kept[0] if len(kept) == 1 else kept
        elif key == "properties":
            out[key] = {name: _property(name, sub, v3=v3) for name, sub in value.items()}
        elif key in ("items", "additionalProperties") and isinstance(value, dict):
            out[key] = _convert(value, v3=v3)
        elif key in _SUBSCHEMA_LISTS:
            out[key] = [_convert(sub, v3=v3) for sub in value]
        else:
            out[key] = value
    if v3 and "$ref" in out and len(out) > 1:
        # OpenAPI 3.0 ignores siblings of $ref, so Kubernetes wraps the ref in allOf.
        out["allOf"] = [{"$ref": out.pop("$ref")}]
    return out


def _property(name: str, schema: dict[str, Any], *, v3: bool) -> dict[str, Any]:
    converted = _convert(schema, v3=v3)
    if name in ("apiVersion", "kind"):
        # Added by the JSON Schema conversion to pin each kind; Kubernetes publishes none.
        converted.pop("enum", None)
    return converted


@functools.cache
def openapi_schema(name: str, *, v3: bool) -> dict[str, Any]:
    """The named definition as Kubernetes publishes it in Swagger 2.0 (v3=False) or OpenAPI 3.
    Cached and shared by every document: callers serialize it, never mutate it."""
    if name in _SCALARS:
        return _SCALARS[name][v3]
    return _convert(definitions()[name], v3=v3)


@functools.cache
def _direct_refs(name: str) -> frozenset[str]:
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "$ref" and isinstance(value, str) and value.startswith(REF_PREFIX):
                    found.add(value[len(REF_PREFIX) :])
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    if name not in _SCALARS:
        walk(definitions()[name])
    return frozenset(found)


def closure(roots: Iterable[str]) -> list[str]:
    """Every definition the roots reference, directly or through others, roots included; sorted."""
    seen: set[str] = set()
    pending = list(roots)
    while pending:
        name = pending.pop()
        if name not in seen:
            seen.add(name)
            pending.extend(_direct_refs(name) - seen)
    return sorted(seen)


# ---- operations ---------------------------------------------------------------------------

OBJECT_MEDIA = ("application/json", "application/yaml", "application/vnd.kubernetes.protobuf")
STREAM_MEDIA = OBJECT_MEDIA + (
    "application/json;stream=watch",
    "application/vnd.kubernetes.protobuf;stream=watch",
)
PATCH_MEDIA = (
    "application/json-patch+json",
    "application/merge-patch+json",
    "application/strategic-merge-patch+json",
    "application/apply-patch+yaml",
)
ANY_MEDIA = ("*/*",)


@dataclass(frozen=True)
class Param:
    name: str
    location: str  # "query" or "path"
    type: str  # "string", "integer" or "boolean"
    description: str

    @property
    def required(self) -> bool:
        return self.location == "path"


def _query(name: str, type_: str, description: str) -> Param:
    return Param(name, "query", type_, description)


_Q = {
    p.name: p
    for p in (
        _query(
            "allowWatchBookmarks",
            "boolean",
            "Ask for BOOKMARK events on a watch; the server may send them at any time or never. "
            "Ignored for non-watch requests.",
        ),
        _query(
            "continue",
            "string",
            "Token from the previous page of a limited list; the server answers 410 Gone once "
            "it has expired. Not supported with watch.",
        ),
        _query(
            "dryRun",
            "string",
            "When set to All, every stage of the request runs but nothing is persisted.",
        ),
        _query(
            "fieldSelector",
            "string",
            "Restrict the listed objects by their fields; all objects by default.",
        ),
        _query(
            "fieldValidation",
            "string",
            "How to treat unknown or duplicated fields in the request body: Ignore drops them, "
            "Warn (the default) drops them with a warning header, Strict rejects the request.",
        ),
        _query(
            "force",
            "boolean",
            "Take over fields owned by other managers on an apply patch; must be unset for "
            "other patch types.",
        ),
        _query(
            "gracePeriodSeconds",
            "integer",
            "Seconds before the object is deleted, a non-negative integer; zero deletes at "
            "once, unset uses the type's default.",
        ),
        _query(
            "ignoreStoreReadErrorWithClusterBreakingPotential",
            "boolean",
            "Delete an object that can no longer be read from storage, skipping finalizers and "
            "preconditions. Unsafe; false by default.",
        ),
        _query(
            "labelSelector",
            "string",
            "Restrict the listed objects by their labels; all objects by default.",
        ),
        _query(
            "limit",
            "integer",
            "Largest number of items to return; when more exist the list metadata carries a "
            "continue token for the next page. Not supported with watch.",
        ),
        _query(
            "orphanDependents",
            "boolean",
            "Deprecated in favour of propagationPolicy: whether dependents are orphaned instead "
            "of garbage collected.",
        ),
        _query("pretty", "string", "If 'true', the output is indented."),
        _query(
            "propagationPolicy",
            "string",
            "How dependents are garbage collected: Orphan, Background or Foreground.",
        ),
        _query(
            "resourceVersion",
            "string",
            "Constrains which resource versions the request may be served from; unset by default.",
        ),
        _query(
            "resourceVersionMatch",
            "string",
            "How resourceVersion applies to a list: Exact or NotOlderThan; unset by default.",
        ),
        _query(
            "sendInitialEvents",
            "boolean",
            "With watch=true, start the stream with synthetic ADDED events for the current "
            "objects, ended by a bookmark annotated k8s.io/initial-events-end.",
        ),
        _query(
            "timeoutSeconds", "integer", "Upper bound on the duration of the list or watch call."
        ),
        _query(
            "watch",
            "boolean",
            "Stream add, update and delete notifications for the described objects instead of "
            "listing them.",
        ),
    )
}
_PATCH_FIELD_MANAGER = _query(
    "fieldManager",
    "string",
    "Name of the actor making the change, at most 128 printable characters; required for "
    "apply patches, optional for the others.",
)
_FIELD_MANAGER = _query(
    "fieldManager",
    "string",
    "Name of the actor making the change, at most 128 printable characters.",
)
NAMESPACE = Param(
    "namespace", "path", "string", "namespace of the object: the scope its name is unique in"
)


def _params(*names: str, extra: tuple[Param, ...] = ()) -> tuple[Param, ...]:
    return tuple(sorted((*(_Q[n] for n in names), *extra), key=lambda p: p.name))


_LIST = (
    "allowWatchBookmarks",
    "continue",
    "fieldSelector",
    "labelSelector",
    "limit",
    "resourceVersion",
    "resourceVersionMatch",
    "sendInitialEvents",
    "timeoutSeconds",
    "watch",
)
_DELETE = (
    "dryRun",
    "gracePeriodSeconds",
    "ignoreStoreReadErrorWithClusterBreakingPotential",
    "orphanDependents",
    "propagationPolicy",
)
_LIST_PARAMS = _params(*_LIST)
_WRITE_PARAMS = _params("dryRun", "fieldValidation", extra=(_FIELD_MANAGER,))
_PATCH_PARAMS = _params("dryRun", "fieldValidation", "force", extra=(_PATCH_FIELD_MANAGER,))
_DELETE_PARAMS = _params(*_DELETE)
_DELETE_COLLECTION_PARAMS = _params(*(set(_LIST) - {"allowWatchBookmarks", "watch"}) | set(_DELETE))

# Registries whose DELETE answers with the deleted object rather than a Status.
_DELETE_RETURNS_OBJECT = {("", "pods"), ("", "services"), ("", "serviceaccounts")}


@dataclass(frozen=True)
class Operation:
    method: str  # lower-case HTTP method: get, put, post, patch, delete
    operation_id: str
    description: str
    tag: str
    responses: tuple[tuple[str, str, str], ...]  # (status code, description, definition name)
    produces: tuple[str, ...] = OBJECT_MEDIA
    consumes: tuple[str, ...] = ANY_MEDIA
    params: tuple[Param, ...] = ()
    body: str | None = None  # definition name of the request body
    body_required: bool = True
    action: str | None = None  # x-kubernetes-action
    gvk: tuple[str, str, str] | None = None  # x-kubernetes-group-version-kind: group, version, kind


@dataclass(frozen=True)
class PathItem:
    path: str
    params: tuple[Param, ...]
    operations: tuple[Operation, ...]


def extensions(op: Operation) -> dict[str, Any]:
    """The operation's x-kubernetes-action and x-kubernetes-group-version-kind, when it has them."""
    out: dict[str, Any] = {}
    if op.action:
        out["x-kubernetes-action"] = op.action
    if op.gvk:
        group, version, kind = op.gvk
        out["x-kubernetes-group-version-kind"] = {"group": group, "kind": kind, "version": version}
    return out


def refs(paths: Iterable[PathItem]) -> set[str]:
    """The definitions the operations name directly (bodies and responses)."""
    names: set[str] = set()
    for item in paths:
        for op in item.operations:
            names.update(name for _, _, name in op.responses)
            if op.body:
                names.add(op.body)
    return names


def _camel(text: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in text.split("."))


def group_ident(group: str) -> str:
    """ "" -> "Core", "rbac.authorization.k8s.io" -> "RbacAuthorization", as in operation ids."""
    return _camel(group.removesuffix(".k8s.io")) if group else "Core"


def group_tag(group: str) -> str:
    ident = group_ident(group)
    return ident[:1].lower() + ident[1:]


def _article(kind: str) -> str:
    if kind.endswith("s") and not kind.endswith("ss"):
        return " "  # a plural-looking kind ("Endpoints") takes no article
    return " an " if kind[0] in "AEIOU" else " a "


def _path_item(path: str, params: tuple[Param, ...], ops: list[Operation]) -> list[PathItem]:
    """A path with its operations (none: no path), its parameters sorted by name as Kubernetes
    lists them, `pretty` included as every resource path takes it."""
    ordered = tuple(sorted((*params, _Q["pretty"]), key=lambda p: p.name))
    return [PathItem(path, ordered, tuple(ops))] if ops else []


def _ok(name: str) -> tuple[tuple[str, str, str], ...]:
    return (("200", "OK", name),)


def _written(name: str, *, accepted: bool = False) -> tuple[tuple[str, str, str], ...]:
    codes = (("200", "OK", name), ("201", "Created", name))
    return codes + ((("202", "Accepted", name),) if accepted else ())


def discovery_paths(group: str, version: str) -> list[PathItem]:
    """The group-version's own discovery path ("/api/v1/", "/apis/apps/v1/")."""
    ident = group_ident(group) + _camel(version)
    base = f"/apis/{group}/{version}/" if group else f"/api/{version}/"
    op = Operation(
        "get",
        f"get{ident}APIResources",
        "get available resources",
        f"{group_tag(group)}_{version}",
        _ok(RESOURCE_LIST),
        consumes=OBJECT_MEDIA,
    )
    return [PathItem(base, (), (op,))]


def root_paths(key: str) -> list[PathItem]:
    """The non group-version documents: "api", "apis", "apis/<group>" and "version"."""
    if key == "api":
        op = Operation(
            "get",
            "getCoreAPIVersions",
            "get available API versions",
            "core",
            _ok(META + "APIVersions"),
            consumes=OBJECT_MEDIA,
        )
        return [PathItem("/api/", (), (op,))]
    if key == "apis":
        op = Operation(
            "get",
            "getAPIVersions",
            "get available API versions",
            "apis",
            _ok(META + "APIGroupList"),
            consumes=OBJECT_MEDIA,
        )
        return [PathItem("/apis/", (), (op,))]
    if key == "version":
        json_only = ("application/json",)
        op = Operation(
            "get",
            "getCodeVersion",
            "get the version information for this server",
            "version",
            _ok("io.k8s.apimachinery.pkg.version.Info"),
            produces=json_only,
            consumes=json_only,
        )
        return [PathItem("/version/", (), (op,))]
    group = key.removeprefix("apis/")
    op = Operation(
        "get",
        f"get{group_ident(group)}APIGroup",
        "get information of a group",
        group_tag(group),
        _ok(META + "APIGroup"),
        consumes=OBJECT_MEDIA,
    )
    return [PathItem(f"/apis/{group}/", (), (op,))]


def resource_paths(resource: Resource) -> list[PathItem]:
    """Every path serving one resource and its subresources, per its verbs; none when the
    schema data does not know the kind (nothing could describe its bodies)."""
    r = resource
    kind_def = name_for_gvk(r.group, r.version, r.kind)
    list_def = name_for_gvk(r.group, r.version, r.kind + "List")
    verbs = set(r.verbs)
    # Create-only kinds (the reviews) have no list kind, and need none.
    if kind_def is None or (list_def is None and "list" in verbs):
        return []
    base = f"/apis/{r.group}/{r.version}" if r.group else f"/api/{r.version}"
    scope = "/namespaces/{namespace}" if r.namespaced else ""
    ident = group_ident(r.group) + _camel(r.version)
    ns_word = "Namespaced" if r.namespaced else ""
    scope_params = (NAMESPACE,) if r.namespaced else ()
    name = Param("name", "path", "string", f"name of the {r.kind}")
    tag = f"{group_tag(r.group)}_{r.version}"
    gvk = (r.group, r.version, r.kind)

    def op(
        method: str,
        verb: str,
        description: str,
        responses: tuple[tuple[str, str, str], ...],
        action: str,
        **more: Any,
    ) -> Operation:
        return Operation(
            method,
            f"{verb}{ident}{ns_word}{r.kind}",
            description,
            tag,
            responses,
            action=action,
            gvk=gvk,
            **more,
        )

    collection: list[Operation] = []
    if "list" in verbs:
        collection.append(
            op(
                "get",
                "list",
                f"list or watch objects of kind {r.kind}",
                _ok(list_def),
                "list",
                produces=STREAM_MEDIA,
                params=_LIST_PARAMS,
            )
        )
    if "create" in verbs:
        collection.append(
            op(
                "post",
                "create",
                f"create{_article(r.kind)}{r.kind}",
                _written(kind_def, accepted=True),
                "post",
                params=_WRITE_PARAMS,
                body=kind_def,
            )
        )
    if "deletecollection" in verbs:
        collection.append(
            Operation(
                "delete",
                f"delete{ident}Collection{ns_word}{r.kind}",
                f"delete collection of {r.kind}",
                tag,
                _ok(STATUS),
                action="deletecollection",
                gvk=gvk,
                params=_DELETE_COLLECTION_PARAMS,
                body=DELETE_OPTIONS,
                body_required=False,
            )
        )

    single: list[Operation] = []
    if "get" in verbs:
        single.append(op("get", "read", f"read the specified {r.kind}", _ok(kind_def), "get"))
    if "update" in verbs:
        single.append(
            op(
                "put",
                "replace",
                f"replace the specified {r.kind}",
                _written(kind_def),
                "put",
                params=_WRITE_PARAMS,
                body=kind_def,
            )
        )
    if "patch" in verbs:
        single.append(
            op(
                "patch",
                "patch",
                f"partially update the specified {r.kind}",
                _written(kind_def),
                "patch",
                consumes=PATCH_MEDIA,
                params=_PATCH_PARAMS,
                body=PATCH,
            )
        )
    if "delete" in verbs:
        deleted = kind_def if (r.group, r.name) in _DELETE_RETURNS_OBJECT else STATUS
        single.append(
            op(
                "delete",
                "delete",
                f"delete{_article(r.kind)}{r.kind}",
                (("200", "OK", deleted), ("202", "Accepted", deleted)),
                "delete",
                params=_DELETE_PARAMS,
                body=DELETE_OPTIONS,
                body_required=False,
            )
        )

    paths = _path_item(f"{base}{scope}/{r.name}", scope_params, collection)
    paths += _path_item(f"{base}{scope}/{r.name}/{{name}}", (*scope_params, name), single)
    if r.namespaced and "list" in verbs:
        every = Operation(
            "get",
            f"list{ident}{r.kind}ForAllNamespaces",
            f"list or watch objects of kind {r.kind}",
            tag,
            _ok(list_def),
            produces=STREAM_MEDIA,
            action="list",
            gvk=gvk,
        )
        paths += _path_item(f"{base}/{r.name}", _LIST_PARAMS, [every])
    if "watch" in verbs:
        paths += _watch_paths(r, base, scope, ident, tag, scope_params, name)
    for sub in r.subresources:
        paths += _subresource_paths(
            r,
            sub,
            f"{base}{scope}/{r.name}/{{name}}/{sub.name}",
            ident + ns_word,
            tag,
            (*scope_params, name),
        )
    return paths


def _watch_paths(
    r: Resource,
    base: str,
    scope: str,
    ident: str,
    tag: str,
    scope_params: tuple[Param, ...],
    name: Param,
) -> list[PathItem]:
    gvk = (r.group, r.version, r.kind)
    ns_word = "Namespaced" if r.namespaced else ""
    list_text = (
        f"watch individual changes to a list of {r.kind}. deprecated: use the 'watch' "
        "parameter with a list operation instead."
    )
    one_text = (
        f"watch changes to an object of kind {r.kind}. deprecated: use the 'watch' "
        "parameter with a list operation instead, filtered to a single item with the "
        "'fieldSelector' parameter."
    )

    def watch(op_id: str, text: str, action: str) -> list[Operation]:
        return [
            Operation(
                "get",
                op_id,
                text,
                tag,
                _ok(WATCH_EVENT),
                produces=STREAM_MEDIA,
                action=action,
                gvk=gvk,
            )
        ]

    paths = _path_item(
        f"{base}/watch{scope}/{r.name}",
        (*_LIST_PARAMS, *scope_params),
        watch(f"watch{ident}{ns_word}{r.kind}List", list_text, "watchlist"),
    )
    paths += _path_item(
        f"{base}/watch{scope}/{r.name}/{{name}}",
        (*_LIST_PARAMS, *scope_params, name),
        watch(f"watch{ident}{ns_word}{r.kind}", one_text, "watch"),
    )
    if r.namespaced:
        paths += _path_item(
            f"{base}/watch/{r.name}",
            _LIST_PARAMS,
            watch(f"watch{ident}{r.kind}ListForAllNamespaces", list_text, "watchlist"),
        )
    return paths


def _subresource_paths(
    r: Resource, sub: Subresource, path: str, ident: str, tag: str, params: tuple[Param, ...]
) -> list[PathItem]:
    group, version = sub.group or r.group, sub.version or r.version
    served = name_for_gvk(group, version, sub.kind)
    if served is None:
        return []
    gvk = (group, version, sub.kind)
    suffix = f"{ident}{r.kind}{_camel(sub.name)}"
    about = f"{sub.name} of the specified {r.kind}"
    ops: list[Operation] = []
    if "get" in sub.verbs:
        ops.append(
            Operation(
                "get", "read" + suffix, "read " + about, tag, _ok(served), action="get", gvk=gvk
            )
        )
    if "update" in sub.verbs:
        ops.append(
            Operation(
                "put",
                "replace" + suffix,
                "replace " + about,
                tag,
                _written(served),
                params=_WRITE_PARAMS,
                body=served,
                action="put",
                gvk=gvk,
            )
        )
    if "patch" in sub.verbs:
        ops.append(
            Operation(
                "patch",
                "patch" + suffix,
                "partially update " + about,
                tag,
                _written(served),
                consumes=PATCH_MEDIA,
                params=_PATCH_PARAMS,
                body=PATCH,
                action="patch",
                gvk=gvk,
            )
        )
    # The name parameter of a subresource path names the kind served there.
    named = tuple(
        Param("name", "path", "string", f"name of the {sub.kind}") if p.name == "name" else p
        for p in params
    )
    return _path_item(path, named, ops)
