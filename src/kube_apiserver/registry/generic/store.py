"""The generic registry store: object lifecycle for every resource.

One `Store` per resource, built from the resource's `Strategy`, its watch cache and the
admission chain. It owns create/update/delete semantics (preconditions, optimistic
concurrency, finalizers, graceful deletion, dry run) and list/watch semantics
(resourceVersion and resourceVersionMatch, selectors, paging with continue tokens).
It speaks Status errors but nothing of HTTP.
"""

from __future__ import annotations

import base64
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson

from kube_apiserver.admission.interface import CREATE, DELETE, UPDATE, Attributes, Chain
from kube_apiserver.apimachinery import errors
from kube_apiserver.apis.meta import field as fe
from kube_apiserver.apis.meta import fields as field_selectors
from kube_apiserver.apis.meta import labels as label_selectors
from kube_apiserver.authentication.user import UserInfo
from kube_apiserver.registry import rest
from kube_apiserver.storage import interface as storage
from kube_apiserver.storage.cacher import Cacher, CacheWatcher

Obj = dict[str, Any]
NewObjectFunc = Callable[[Obj], Awaitable[Obj]]

CONTINUE_EXPIRED = (
    "The provided continue parameter is too old to display a consistent list result. You can start "
    "a new list without the continue parameter, or use the continue token in this response to "
    "retrieve the remainder of the results. Continuing with the provided token results in an "
    "inconsistent list - objects that were created, modified, or deleted between the time the "
    "first chunk was returned and now may show up in the list."
)


@dataclass(slots=True)
class ListOptions:
    label_selector: label_selectors.LabelSelector | None = None
    field_selector: field_selectors.FieldSelector | None = None
    resource_version: str | None = None
    resource_version_match: str = ""
    limit: int = 0
    continue_token: str = ""
    send_initial_events: bool | None = None


@dataclass(slots=True)
class ListPage:
    items: list[storage.StoredObject]
    resource_version: int
    continue_token: str = ""
    remaining: int | None = None  # remainingItemCount, when known


@dataclass(slots=True)
class DeleteOptions:
    grace_period_seconds: int | None = None
    preconditions: storage.Preconditions | None = None
    propagation_policy: str | None = None
    dry_run: bool = False


@dataclass(slots=True)
class DeleteResult:
    obj: Obj
    deleted: bool  # False when the object now waits for finalizers or a grace period


def _encode_continue(revision: int, start: str) -> str:
    raw = orjson.dumps({"v": "meta.k8s.io/v1", "rv": revision, "start": start})
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_continue(token: str) -> tuple[int, str]:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        data = orjson.loads(raw)
        if (
            data.get("v") != "meta.k8s.io/v1"
            or not isinstance(data.get("rv"), int)
            or not isinstance(data.get("start"), str)
        ):
            raise ValueError("unsupported token")
        return data["rv"], data["start"]
    except (ValueError, TypeError, orjson.JSONDecodeError) as exc:
        raise errors.bad_request(
            f"invalid continue token: continue key is not valid: {exc}"
        ) from None


def parse_resource_version(value: str | None) -> int | None:
    if value is None or value == "":
        return None
    try:
        number = int(value)
    except ValueError:
        number = -1
    if number < 0:
        raise errors.bad_request(
            f'Invalid value: "{value}": resourceVersion must be a non-negative integer'
        )
    return number


class Store:
    def __init__(
        self,
        strategy: rest.Strategy,
        cache: Cacher,
        *,
        key_root: str,
        admission: Chain,
    ) -> None:
        self.strategy = strategy
        self.resource = strategy.resource
        self.cache = cache
        self.key_root = key_root  # "/registry/pods/"
        self.admission = admission

    # -- keys ---------------------------------------------------------------------------

    def key(self, namespace: str, name: str) -> str:
        if self.resource.namespaced:
            return f"{self.key_root}{namespace}/{name}"
        return self.key_root + name

    def prefix(self, namespace: str) -> str:
        if self.resource.namespaced and namespace:
            return f"{self.key_root}{namespace}/"
        return self.key_root

    def _not_found(self, name: str) -> errors.StatusError:
        return errors.not_found(self.resource.name, self.resource.group, name)

    def _conflict(self, name: str, why: str = errors.MODIFIED) -> errors.StatusError:
        return errors.conflict(self.resource.name, self.resource.group, name, why)

    # -- reads --------------------------------------------------------------------------

    async def get(
        self, namespace: str, name: str, *, resource_version: str | None = None
    ) -> storage.StoredObject:
        revision = parse_resource_version(resource_version)
        key = self.key(namespace, name)
        if revision == 0:
            item = self.cache.get_cached(key)
            if item is None:
                raise self._not_found(name)
            return item
        try:
            return await self.cache.get(key)
        except storage.KeyNotFoundError:
            raise self._not_found(name) from None

    def predicate(self, opts: ListOptions) -> Callable[[Obj], bool] | None:
        labels = (
            opts.label_selector if opts.label_selector and not opts.label_selector.empty else None
        )
        fields = (
            opts.field_selector
            if opts.field_selector and opts.field_selector.requirements
            else None
        )
        if labels is None and fields is None:
            return None
        strategy_fields = self.strategy.fields

        def matches(obj: Obj) -> bool:
            if labels is not None and not labels.matches((obj.get("metadata") or {}).get("labels")):
                return False
            return fields is None or fields.matches(strategy_fields(obj))

        return matches

    def check_field_selector(self, opts: ListOptions) -> None:
        if opts.field_selector is not None:
            allowed = self.strategy.allowed_fields()
            bad = opts.field_selector.unsupported(allowed)
            if bad:
                # Kinds with their own field labels answer as their conversion function does;
                # the rest with the generic metadata-only message.
                if (
                    self.strategy.selectable_fields
                    or len(allowed) > 2
                    or not self.resource.namespaced
                    and len(allowed) > 1
                ):
                    raise errors.bad_request(f"field label not supported: {bad}")
                known = ", ".join(f'"{f}"' for f in sorted(allowed))
                raise errors.bad_request(f'"{bad}" is not a known field selector: only {known}')

    async def list(self, namespace: str, opts: ListOptions) -> ListPage:
        self.check_field_selector(opts)
        predicate = self.predicate(opts)
        prefix = self.prefix(namespace)
        revision = parse_resource_version(opts.resource_version)
        match = opts.resource_version_match
        problems = []
        if match and match not in ("Exact", "NotOlderThan"):
            problems.append(
                fe.not_supported("resourceVersionMatch", match, ["Exact", "NotOlderThan", ""])
            )
        elif match and revision is None:
            problems.append(
                fe.forbidden(
                    "resourceVersionMatch",
                    "resourceVersionMatch is forbidden unless resourceVersion is provided",
                )
            )
        elif match == "Exact" and revision == 0:
            problems.append(
                fe.forbidden(
                    "resourceVersionMatch",
                    'resourceVersionMatch "exact" is forbidden for resourceVersion "0"',
                )
            )
        if problems:
            raise errors.invalid("ListOptions", "meta.k8s.io", "", problems)
        if opts.continue_token:
            if revision is not None and revision != 0:
                raise errors.bad_request(
                    "specifying resource version is not allowed when using continue"
                )
            at, start = _decode_continue(opts.continue_token)
            return await self._list_from_storage(
                prefix, predicate, opts.limit, at, prefix + start, continuing=True
            )
        if match == "Exact" or (opts.limit > 0 and revision is None):
            return await self._list_from_storage(
                prefix, predicate, opts.limit, revision, "", continuing=False
            )
        # Served from the watch cache: "" is a consistent read, N waits until N is reached;
        # when the cache cannot show it is that fresh, from the backend.
        if revision != 0:
            try:
                fresh = await self.cache.caught_up(revision)
            except storage.TooLargeResourceVersionError as exc:
                raise _too_large(exc) from None
            if not fresh:
                return await self._list_from_storage(
                    prefix, predicate, 0, None, "", continuing=False
                )
        name = opts.field_selector.exact_match("metadata.name") if opts.field_selector else None
        if name is not None and (namespace or not self.resource.namespaced):
            # One object by name (kubectl get <name> -w lists this way): a lookup, not a scan.
            item = self.cache.get_cached(self.key(namespace, name))
            items = (
                [item] if item is not None and (predicate is None or predicate(item.obj)) else []
            )
            return ListPage(items, self.cache.revision)
        return ListPage(self.cache.snapshot(prefix, predicate), self.cache.revision)

    async def _list_from_storage(
        self,
        prefix: str,
        predicate: Callable[[Obj], bool] | None,
        limit: int,
        revision: int | None,
        start_after: str,
        *,
        continuing: bool,
    ) -> ListPage:
        out: list[storage.StoredObject] = []
        at = revision
        while True:
            try:
                page = await self.cache.list(
                    prefix, revision=at, start_after=start_after, limit=limit
                )
            except storage.TooOldResourceVersionError:
                if continuing:
                    raise errors.expired(CONTINUE_EXPIRED) from None
                raise errors.expired(
                    "The resourceVersion for the provided list is too old."
                ) from None
            except storage.TooLargeResourceVersionError as exc:
                raise _too_large(exc) from None
            at = page.revision
            for item in page.items:
                if predicate is None or predicate(item.obj):
                    out.append(item)
            if not page.items or not page.more:
                return ListPage(out, at)
            start_after = page.items[-1].key
            if limit and len(out) >= limit:
                # The count is only exact without a selector, so only then is it reported.
                remaining = page.remaining if predicate is None else None
                return ListPage(
                    out, at, _encode_continue(at, start_after[len(prefix) :]), remaining
                )

    def watch(self, namespace: str, opts: ListOptions) -> tuple[CacheWatcher, bool, int]:
        """A cache watcher for this request, whether it starts with the current state, and
        the revision that state is at."""
        self.check_field_selector(opts)
        predicate = self.predicate(opts)
        prefix = self.prefix(namespace)
        revision = parse_resource_version(opts.resource_version)
        initial = opts.send_initial_events if opts.send_initial_events is not None else not revision
        try:
            watcher = self.cache.watch_from(prefix, revision or 0, predicate, initial=initial)
        except storage.TooOldResourceVersionError as exc:
            raise errors.expired(
                f"too old resource version: {exc.requested} ({exc.oldest})"
            ) from None
        return watcher, initial, self.cache.revision

    # -- writes -------------------------------------------------------------------------

    def _attrs(
        self,
        op: str,
        namespace: str,
        name: str,
        obj: Obj | None,
        old: Obj | None,
        user: UserInfo | None,
        subresource: str,
        dry_run: bool,
    ) -> Attributes:
        return Attributes(op, self.resource, namespace, name, obj, old, user, subresource, dry_run)

    async def create(
        self, namespace: str, obj: Obj, *, user: UserInfo | None = None, dry_run: bool = False
    ) -> storage.StoredObject | Obj:
        meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
        attrs = self._attrs(CREATE, namespace, meta.get("name", ""), obj, None, user, "", dry_run)
        await self.admission.admit(attrs)
        await self.strategy.authorize_write(attrs)
        revision: int | None = None  # what the strategy's settle hook learns of the write
        try:
            rest.before_create(self.strategy, obj, namespace=namespace, user=user)
            name = obj["metadata"]["name"]
            attrs.name = name
            await self.admission.validate(attrs)
            key = self.key(obj["metadata"].get("namespace", ""), name)
            if dry_run:
                if self.cache.get_cached(key) is not None:
                    raise errors.already_exists(self.resource.name, self.resource.group, name)
                return obj
            try:
                created = await self.cache.create(key, obj)
            except storage.KeyExistsError:
                raise errors.already_exists(self.resource.name, self.resource.group, name) from None
            revision = created.mod_revision
            return created
        finally:
            meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
            self.strategy.settle(meta.get("namespace", ""), meta.get("name", ""), revision)

    async def update(
        self,
        namespace: str,
        name: str,
        new_object: NewObjectFunc,
        *,
        strategy: rest.Strategy | None = None,
        subresource: str = "",
        user: UserInfo | None = None,
        dry_run: bool = False,
        allow_create: bool | None = None,
    ) -> tuple[storage.StoredObject | Obj, bool]:
        """Update through `new_object(current copy) -> new`; returns (object, created)."""
        strategy = strategy or self.strategy
        key = self.key(namespace, name)
        if allow_create is None:
            allow_create = strategy.allow_create_on_update and not subresource

        async def apply(current: storage.StoredObject) -> Obj:
            old = current.obj
            new = await new_object(orjson.loads(current.data))
            if not isinstance(new.get("metadata"), dict):
                new["metadata"] = {}
            meta = new["metadata"]
            self._check_identity(meta, namespace, name)
            rv = meta.get("resourceVersion")
            if rv:
                if rv != old["metadata"].get("resourceVersion"):
                    raise self._conflict(name)
            elif not strategy.allow_unconditional_update:
                raise errors.invalid(
                    self.resource.kind,
                    self.resource.group,
                    name,
                    [fe.invalid("metadata.resourceVersion", 0, "must be specified for an update")],
                )
            attrs = self._attrs(UPDATE, namespace, name, new, old, user, subresource, dry_run)
            await self.admission.admit(attrs)
            await strategy.authorize_write(attrs)
            rest.before_update(strategy, new, old)
            await self.admission.validate(attrs)
            meta = new["metadata"]
            meta["resourceVersion"] = old["metadata"].get("resourceVersion")
            return new

        if dry_run:
            try:
                current = await self.cache.get(key)
            except storage.KeyNotFoundError:
                if allow_create:
                    obj = await new_object({})
                    return await self.create(namespace, obj, user=user, dry_run=True), True
                raise self._not_found(name) from None
            try:
                return await apply(current), False
            finally:
                strategy.settle(namespace, name, None)
        written: int | None = None
        try:
            updated = await self.cache.guaranteed_update(key, apply)
            written = updated.mod_revision
        except storage.KeyNotFoundError:
            if allow_create:
                obj = await new_object({})
                return await self.create(namespace, obj, user=user), True
            raise self._not_found(name) from None
        except storage.ConflictError:
            raise self._conflict(name) from None
        finally:
            strategy.settle(namespace, name, written)
        meta = updated.obj["metadata"]
        if (
            meta.get("deletionTimestamp")
            and not meta.get("finalizers")
            and not meta.get("deletionGracePeriodSeconds")
            and not self.strategy.blocks_deletion(updated.obj)
        ):
            # The last finalizer is gone: finish the deletion that was waiting for it.
            try:
                updated = await self.cache.delete(key, revision=updated.mod_revision)
            except (storage.KeyNotFoundError, storage.ConflictError):
                pass
        return updated, False

    def _check_identity(self, meta: Obj, namespace: str, name: str) -> None:
        body_name = meta.get("name")
        if body_name and body_name != name:
            raise errors.bad_request(
                f"the name of the object ({body_name}) does not match the name on the URL ({name})"
            )
        body_ns = meta.get("namespace")
        if self.resource.namespaced and body_ns and body_ns != namespace:
            raise errors.bad_request(
                "the namespace of the provided object does not match the namespace sent on the request"
            )
        meta["name"] = name

    async def delete(
        self, namespace: str, name: str, opts: DeleteOptions, *, user: UserInfo | None = None
    ) -> DeleteResult:
        self.strategy.check_delete(name)
        key = self.key(namespace, name)
        if opts.propagation_policy not in (None, "Orphan", "Background", "Foreground"):
            raise errors.invalid(
                "DeleteOptions",
                "meta.k8s.io",
                "",
                [
                    fe.not_supported(
                        "propagationPolicy",
                        opts.propagation_policy,
                        ["Foreground", "Background", "Orphan", "nil"],
                    )
                ],
            )
        try:
            current = await self.cache.get(key)
        except storage.KeyNotFoundError:
            raise self._not_found(name) from None
        try:
            storage.check_preconditions(key, current, opts.preconditions)
        except storage.ConflictError as exc:
            raise self._conflict(name, str(exc)) from None
        await self.admission.admit(
            self._attrs(DELETE, namespace, name, None, current.obj, user, "", opts.dry_run)
        )
        grace = self.strategy.grace_period(current.obj, opts.grace_period_seconds)
        meta = current.obj.get("metadata") or {}
        policy = opts.propagation_policy or self.strategy.default_propagation_policy
        gc_finalizer = _GC_FINALIZERS.get(policy or "")
        if (
            meta.get("finalizers")
            or grace
            or gc_finalizer
            or self.strategy.blocks_deletion(current.obj)
        ):
            return await self._mark_deleting(namespace, name, current, grace, opts, gc_finalizer)
        if opts.dry_run:
            return DeleteResult(current.obj, True)
        try:
            deleted = await self.cache.delete(key, revision=current.mod_revision)
        except (storage.ConflictError, storage.KeyNotFoundError):
            # Changed or gone under us: try again from the top, as Kubernetes' delete retries.
            return await self.delete(namespace, name, opts, user=user)
        return DeleteResult(deleted.obj, True)

    async def _mark_deleting(
        self,
        namespace: str,
        name: str,
        current: storage.StoredObject,
        grace: int,
        opts: DeleteOptions,
        gc_finalizer: str | None = None,
    ) -> DeleteResult:
        key = self.key(namespace, name)

        async def mark(cur: storage.StoredObject) -> Obj:
            obj = orjson.loads(cur.data)
            meta = obj["metadata"]
            now = datetime.now(UTC).replace(microsecond=0)
            existing = meta.get("deletionGracePeriodSeconds")
            finalizers = meta.get("finalizers") or []
            if gc_finalizer and gc_finalizer not in finalizers:
                # The garbage collector releases it once dependents are handled.
                meta["finalizers"] = [*finalizers, gc_finalizer]
            elif meta.get("deletionTimestamp") and (existing is None or existing <= grace):
                return cur.obj  # already terminating, and not sooner than asked
            if meta.get("deletionTimestamp") and (existing is None or existing <= grace):
                return obj
            meta["deletionTimestamp"] = (now + timedelta(seconds=grace)).strftime(
                "%Y-%m-%dT%H:%M:%SZ"
            )
            meta["deletionGracePeriodSeconds"] = grace
            self.strategy.mark_terminating(obj)
            return obj

        if opts.dry_run:
            return DeleteResult(await mark(current), False)
        updated = await self.cache.guaranteed_update(key, mark)
        if (
            not updated.obj["metadata"].get("finalizers")
            and not grace
            and not self.strategy.blocks_deletion(updated.obj)
        ):
            return DeleteResult((await self.cache.delete(key)).obj, True)
        return DeleteResult(updated.obj, False)


# The finalizers the garbage collector acts on, by propagation policy.
_GC_FINALIZERS = {"Foreground": "foregroundDeletion", "Orphan": "orphan"}


def _too_large(exc: storage.TooLargeResourceVersionError) -> errors.StatusError:
    return errors.StatusError(
        504,
        "Timeout",
        f"Timeout: Too large resource version: {exc.requested}, current: {exc.current}",
        {
            "causes": [
                {"reason": "ResourceVersionTooLarge", "message": "Too large resource version"}
            ],
            "retryAfterSeconds": 1,
        },
    )
