"""The /openapi endpoints' content: built once on first request, then served from memory.

The documents are large (core/v1 alone is over half a megabyte) and never change while the
server runs, so each is rendered to JSON bytes the first time it is asked for and kept with its
hash.
The hash is what kube-apiserver uses: upper-case hex SHA-512 of the served bytes. It appears in
the /openapi/v3 index as `?hash=` on each document's URL (clients cache those URLs as immutable)
and is the document's ETag.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from typing import Any

import orjson

from kube_apiserver.apis.resource import Resource
from kube_apiserver.openapi import v2, v3


def _encode(doc: dict[str, Any]) -> tuple[bytes, str]:
    data = orjson.dumps(doc, option=orjson.OPT_SORT_KEYS)
    return data, hashlib.sha512(data).hexdigest().upper()


class OpenAPIService:
    """Serves /openapi/v3 (index), /openapi/v3/<key> and /openapi/v2 for the given resources."""

    def __init__(self, resources: Sequence[Resource]) -> None:
        self._resources = tuple(resources)
        self._keys = frozenset(v3.document_keys(self._resources))
        self._v3: dict[str, tuple[bytes, str]] = {}
        self._v2: tuple[bytes, bytes, str] | None = None  # JSON, protobuf, hash
        self._index: bytes | None = None
        self._lock = threading.Lock()

    def v3_index(self) -> bytes:
        """`{"paths": {key: {"serverRelativeURL": "/openapi/v3/<key>?hash=<HASH>"}}}` as JSON."""
        with self._lock:
            if self._index is None:
                paths = {
                    key: {"serverRelativeURL": f"/openapi/v3/{key}?hash={self._v3_locked(key)[1]}"}
                    for key in sorted(self._keys)
                }
                self._index = orjson.dumps({"paths": paths})
            return self._index

    def v3_document(self, path: str) -> tuple[bytes, str] | None:
        """The document for an index key ("api/v1", "apis/apps/v1") as (JSON, hash); None when
        no such document is served. Leading/trailing slashes are ignored."""
        key = path.strip("/")
        if key not in self._keys:
            return None
        with self._lock:
            return self._v3_locked(key)

    def v2_document(self, *, protobuf: bool = False) -> tuple[bytes, str]:
        """The Swagger 2.0 document as (JSON, hash), or as (gnostic protobuf, hash) when asked:
        client-go requests it with Accept `v2.PROTOBUF_MEDIA_TYPE` and reads nothing else; that
        answer's Content-Type is `v2.PROTOBUF_CONTENT_TYPE`. One hash (of the JSON) serves both."""
        with self._lock:
            if self._v2 is None:
                doc = v2.document(self._resources)
                data, etag = _encode(doc)
                self._v2 = (data, v2.to_protobuf(doc), etag)
            data, proto, etag = self._v2
            return (proto if protobuf else data), etag

    def _v3_locked(self, key: str) -> tuple[bytes, str]:
        cached = self._v3.get(key)
        if cached is None:
            cached = self._v3[key] = _encode(v3.document(v3.paths_for(key, self._resources)))
        return cached
