"""Request info: what a request path and method mean in API terms.

Parsed once by the request-info filter, then read by authorization, audit, metrics and the
resource handlers. The rules follow Kubernetes' RequestInfoFactory:
  /api/v1/namespaces/{ns}/{resource}/{name}/{subresource}
  /apis/{group}/{version}/...  and the deprecated /watch/ prefix before the namespace part.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qs

from kube_apiserver.apis.meta import fields
from kube_apiserver.apis.meta.labels import SelectorError
from kube_apiserver.apis.meta.validation import path_segment_name_errors

_SPECIAL_VERBS = {"proxy", "watch"}
_NAMESPACE_SUBRESOURCES = {"status", "finalize"}
_METHOD_VERBS = {
    "POST": "create",
    "GET": "get",
    "HEAD": "get",
    "PUT": "update",
    "PATCH": "patch",
    "DELETE": "delete",
}


@dataclass(slots=True)
class RequestInfo:
    path: str
    verb: str  # get list watch create update patch delete deletecollection, or a lower-case method
    is_resource_request: bool = False
    api_prefix: str = ""
    api_group: str = ""
    api_version: str = ""
    namespace: str = ""
    resource: str = ""
    subresource: str = ""
    name: str = ""
    parts: list[str] = field(default_factory=list)


def parse(method: str, path: str, query: dict[str, list[str]]) -> RequestInfo:
    info = RequestInfo(path=path, verb=method.lower())
    parts = [p for p in path.strip("/").split("/")] if path.strip("/") else []
    if len(parts) < 3 or parts[0] not in ("api", "apis"):
        return info
    info.api_prefix = parts[0]
    rest = parts[1:]
    if parts[0] == "apis":
        if len(rest) < 2:
            return info
        info.api_group, rest = rest[0], rest[1:]
    info.api_version, rest = rest[0], rest[1:]
    if not rest:
        return info
    info.is_resource_request = True
    verb = _METHOD_VERBS.get(method.upper(), method.lower())
    if rest[0] in _SPECIAL_VERBS:
        if len(rest) < 2:
            return RequestInfo(path=path, verb=method.lower())
        verb, rest = rest[0], rest[1:]
    if rest[0] == "namespaces" and len(rest) > 1:
        info.namespace = rest[1]
        # /namespaces/{ns}/status and /finalize are subresources of the namespace itself.
        if len(rest) > 2 and rest[2] not in _NAMESPACE_SUBRESOURCES:
            rest = rest[2:]
    info.parts = rest
    info.resource = rest[0]
    if len(rest) > 1:
        info.name = rest[1]
    if len(rest) > 2:
        info.subresource = rest[2]
    if not info.name:
        verb = {"get": "list", "delete": "deletecollection"}.get(verb, verb)
    if verb == "list" and query.get("watch", [""])[0] in ("1", "true"):
        verb = "watch"
    if verb in ("list", "watch") and not info.name:
        # As Kubernetes: a collection read pinned to one name is authorized as reading that
        # object, so a rule with resourceNames can allow `get -w` or `list` of it.
        info.name = _selected_name(query.get("fieldSelector", [""])[0])
    info.verb = verb
    return info


def _selected_name(field_selector: str) -> str:
    if not field_selector:
        return ""
    try:
        name = fields.parse_field_selector(field_selector).exact_match("metadata.name")
    except SelectorError:
        return ""  # the list handler reports it
    return name if name and not path_segment_name_errors(name) else ""


def parse_query(raw: bytes) -> dict[str, list[str]]:
    return parse_qs(raw.decode("latin-1"), keep_blank_values=True) if raw else {}
