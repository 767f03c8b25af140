"""The storage contract: a versioned key-value store with one global revision.

Every backend (SQLite here, etcd v3 later) and the watch cache in front of them implement
`Storage`. Keys are strings such as `/registry/pods/default/web`; values are objects in their
JSON form. The store knows nothing of HTTP or of API semantics beyond `metadata`: it sets
`metadata.resourceVersion` to the revision of the write that produced each version and
checks the `uid` / `resourceVersion` preconditions it is given.

The contract, in our words:
- Every successful write (create, update, delete) gets the next revision of the whole store;
  revisions only grow and are never reused, even after a restart.
- `get` and `list` return the latest state unless a revision is asked for; a revision that
  has been compacted away raises `TooOldResourceVersionError`.
- `watch(prefix, revision)` yields every change under the prefix with a revision greater than
  `revision`, in revision order, none lost or doubled; a compacted start revision raises
  `TooOldResourceVersionError`.
- `guaranteed_update` reads, calls the caller's function, and writes only if nobody wrote
  in between; otherwise it reads again and retries, so the function may run several times.
- Values handed out are shared: callers must not mutate them; `StoredObject.obj` is to be
  copied before changing it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

ADDED = "ADDED"
MODIFIED = "MODIFIED"
DELETED = "DELETED"
BOOKMARK = "BOOKMARK"


class StorageError(Exception):
    pass


class KeyNotFoundError(StorageError):
    def __init__(self, key: str) -> None:
        super().__init__(f"key not found: {key}")
        self.key = key


class KeyExistsError(StorageError):
    def __init__(self, key: str) -> None:
        super().__init__(f"key exists: {key}")
        self.key = key


class ConflictError(StorageError):
    """A precondition (uid or resourceVersion) did not hold."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key


class StorageUnavailableError(StorageError):
    """The backend cannot be reached (etcd down); the request may be retried."""


class TooOldResourceVersionError(StorageError):
    """The revision asked for has been compacted (or predates what a watch cache holds)."""

    def __init__(self, requested: int, oldest: int) -> None:
        super().__init__(f"too old resource version: {requested} ({oldest})")
        self.requested = requested
        self.oldest = oldest


class TooLargeResourceVersionError(StorageError):
    """The revision asked for is newer than the store has reached."""

    def __init__(self, requested: int, current: int) -> None:
        super().__init__(f"Too large resource version: {requested}, current: {current}")
        self.requested = requested
        self.current = current


@dataclass(slots=True)
class StoredObject:
    """One version of one key: the object, its encoding (made once) and its revisions."""

    key: str
    obj: dict[str, Any]
    data: bytes  # the JSON encoding of obj, shared by every response that carries it
    mod_revision: int
    create_revision: int = 0


@dataclass(slots=True)
class WatchEvent:
    """A change to one key. `prev` is the version before it, when the backend knows it."""

    type: str
    current: StoredObject
    prev: StoredObject | None = None
    # Encoded watch frames keyed by (event type, encoding), made on first use and shared by
    # every watcher of this change, including those that see it under another type.
    frames: dict[tuple[str, str], bytes] = field(default_factory=dict)

    @property
    def revision(self) -> int:
        return self.current.mod_revision


@dataclass(frozen=True, slots=True)
class Preconditions:
    uid: str | None = None
    resource_version: str | None = None


@dataclass(slots=True)
class ListResult:
    items: list[StoredObject]
    revision: int  # the revision the list is consistent at
    more: bool = False  # whether items remain after the last one returned
    remaining: int = 0  # how many, when `more`


UpdateFunc = Callable[[StoredObject], Awaitable[dict[str, Any]]]


class Storage(Protocol):
    # Whether request_progress's bookmarks are ordered after every earlier event, so a
    # watch cache may wait for one to prove it is fresh (etcd before 3.4.25 cannot).
    ordered_progress: bool

    async def create(self, key: str, obj: dict[str, Any]) -> StoredObject:
        """Store a new key; sets metadata.resourceVersion. KeyExistsError if present."""
        ...

    async def get(self, key: str) -> StoredObject:
        """The latest version of a key. KeyNotFoundError if absent."""
        ...

    async def list(
        self,
        prefix: str,
        *,
        revision: int | None = None,
        start_after: str = "",
        limit: int = 0,
    ) -> ListResult:
        """Objects under a prefix in key order: at `revision` (exactly) or the latest.

        `start_after` continues a paged list; `limit` 0 means all.
        """
        ...

    async def guaranteed_update(
        self,
        key: str,
        update: UpdateFunc,
        *,
        preconditions: Preconditions | None = None,
    ) -> StoredObject:
        """Read-modify-write with retry on concurrent writes (see module docstring).

        `update` receives the current version and returns the new object; it may raise to
        abort. If the object it returns equals the current one, nothing is written and the
        current version is returned.
        """
        ...

    async def delete(
        self,
        key: str,
        *,
        preconditions: Preconditions | None = None,
        revision: int | None = None,
    ) -> StoredObject:
        """Remove a key; returns its last version (resourceVersion = the delete revision).

        `revision` makes the delete conditional on the key's mod revision (ConflictError).
        """
        ...

    def watch(self, prefix: str, revision: int) -> AsyncIterator[WatchEvent]:
        """Changes under a prefix after `revision`, in order, until the iterator is closed."""
        ...

    async def current_revision(self) -> int: ...

    async def request_progress(self) -> None:
        """Have every open watch yield a BOOKMARK carrying the current revision, after the
        events before it (etcd's progress notification): a watcher that sees it is current."""
        ...

    async def compact(self, revision: int) -> None:
        """Forget versions older than `revision` (the latest version of each key stays)."""
        ...

    async def close(self) -> None: ...


def check_preconditions(key: str, current: StoredObject, pre: Preconditions | None) -> None:
    """Raise ConflictError when a uid or resourceVersion precondition does not hold."""
    if pre is None:
        return
    meta = current.obj.get("metadata") or {}
    if pre.uid is not None and pre.uid != meta.get("uid"):
        raise ConflictError(
            key,
            f"Precondition failed: UID in precondition: {pre.uid}, UID in object meta: {meta.get('uid', '')}",
        )
    if pre.resource_version is not None and pre.resource_version != meta.get("resourceVersion"):
        raise ConflictError(
            key,
            "Precondition failed: ResourceVersion in precondition: "
            f"{pre.resource_version}, ResourceVersion in object meta: {meta.get('resourceVersion', '')}",
        )


def prefix_end(prefix: str) -> str:
    """The smallest key greater than every key starting with `prefix`."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)
