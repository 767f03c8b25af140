"""Content negotiation: which encoding a client accepts, and decoding what it sent.

Kubernetes serves JSON and YAML (and protobuf, which we do not), and transforms responses
on request through Accept parameters: `as=Table`, `as=PartialObjectMetadata(List)` in
group meta.k8s.io (v1 or v1beta1), `as=APIGroupDiscoveryList` for aggregated discovery.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import orjson
import yaml

from kube_apiserver.apimachinery import errors, protobuf

JSON = "application/json"
YAML = "application/yaml"
PROTOBUF = "application/vnd.kubernetes.protobuf"
SERVED = (JSON, YAML, PROTOBUF)  # the media types kube-apiserver lists in 415 and 406 answers
_TRANSFORMS = {"Table", "PartialObjectMetadata", "PartialObjectMetadataList"}


@dataclass(frozen=True, slots=True)
class Output:
    media: str  # JSON or YAML
    as_kind: str = ""  # "", "Table", "PartialObjectMetadata", "PartialObjectMetadataList", ...
    as_version: str = ""
    as_group: str = ""


def _parse_accept(header: str) -> list[tuple[str, dict[str, str], float]]:
    out = []
    for index, part in enumerate(header.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        if not media:
            continue
        params: dict[str, str] = {}
        for piece in pieces[1:]:
            key, _, value = piece.partition("=")
            params[key.strip().lower()] = value.strip()
        try:
            q = float(params.pop("q", "1"))
        except ValueError:
            q = 1.0
        out.append((media, params, q - index * 1e-6))
    out.sort(key=lambda entry: -entry[2])
    return out


def negotiate(accept: str | None) -> Output:
    """The response encoding for an Accept header; 406 NotAcceptable when none fits."""
    if not accept:
        return Output(JSON)
    return _negotiate(accept)


@functools.lru_cache(maxsize=256)
def _negotiate(accept: str) -> Output:
    # Clients send the same few Accept headers on every request: parse each once.
    for media, params, _ in _parse_accept(accept):
        if media in (JSON, "application/*", "*/*", "*"):
            chosen = JSON
        elif media in (YAML, "application/x-yaml", "text/yaml"):
            chosen = YAML
        else:
            continue
        as_kind = params.get("as", "")
        if as_kind:
            if as_kind not in _TRANSFORMS:
                continue
            group = params.get("g", "")
            version = params.get("v", "")
            if as_kind in _TRANSFORMS and (
                group != "meta.k8s.io" or version not in ("v1", "v1beta1")
            ):
                continue
            return Output(chosen, as_kind, version, group)
        return Output(chosen)
    raise errors.not_acceptable(SERVED)


class _YAMLLoader(yaml.SafeLoader):
    """YAML as Kubernetes reads it: timestamps stay strings (they are RFC 3339 text in JSON)."""


_YAMLLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def encode(obj: Any, media: str) -> bytes:
    if media == YAML:
        return yaml.safe_dump(obj, sort_keys=False, default_flow_style=False).encode()
    return orjson.dumps(obj)


def _summary(body: bytes) -> str:
    """How kube-apiserver shows an undecodable body: text if it looks like JSON, else hex."""
    if not body:
        return "<empty>"
    if body.lstrip().startswith(b"{"):
        text = body[:30].decode("utf-8", "replace")
        return text + " ..." if len(body) > 30 else text
    hexed = body[:30].hex()
    return hexed + " ..." if len(body) > 30 else hexed


def decode(body: bytes, content_type: str | None, kind: str = "Object") -> Any:
    """Decode a request body by its Content-Type (JSON when absent), or raise the Status."""
    media = (content_type or JSON).split(";")[0].strip().lower()
    unrecognized = f"the object provided is unrecognized (must be of type {kind}): "
    if media in (JSON, "*/*", ""):
        try:
            return orjson.loads(body)
        except orjson.JSONDecodeError as exc:
            raise errors.bad_request(
                f"{unrecognized}couldn't get version/kind; json parse error: {exc} ({_summary(body)})"
            ) from None
    if media in (YAML, "application/x-yaml", "text/yaml"):
        try:
            return yaml.load(body, Loader=_YAMLLoader)  # noqa: S506 - a SafeLoader subclass
        except yaml.YAMLError as exc:
            raise errors.bad_request(f"{unrecognized}yaml: {exc}") from None
    if media == PROTOBUF:
        decoded = protobuf.decode(body)  # None: a kind whose wire form is not described
        if decoded is not None:
            return decoded
        raise errors.StatusError(
            415,
            "UnsupportedMediaType",
            (
                f"the body of the request was in an unknown format - accepted media types include: {JSON}, {YAML} "
                "(this server does not read protobuf bodies of this kind yet; send JSON or YAML)"
            ),
        )
    raise errors.unsupported_media_type(media, SERVED)
