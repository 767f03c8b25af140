"""Lists (selectors, paging, resourceVersion semantics) and watches, over raw HTTP.

Kubernetes 1.33 is the specification: label and field selectors as the apiserver parses and
converts them, continue tokens, resourceVersion / resourceVersionMatch, and the watch stream's
events, bookmarks and errors.
"""

from __future__ import annotations

import time
import urllib.parse
from typing import Any

import pytest

from conftest import Watch, start_server

MERGE = {"Content-Type": "application/merge-patch+json"}
# The server keeps this configmap in every namespace (`ns` waits for it), so lists show it.
ROOT_CA = "kube-root-ca.crt"


# -- helpers ------------------------------------------------------------------------------------


def cm_path(ns: str, name: str = "") -> str:
    return f"/api/v1/namespaces/{ns}/configmaps" + (f"/{name}" if name else "")


def create_cm(
    server: Any, ns: str, name: str, labels: dict[str, str] | None = None, **data: str
) -> dict[str, Any]:
    body = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": name, "labels": labels or {}},
        "data": data,
    }
    resp = server.request("POST", cm_path(ns), body)
    assert resp.status == 201, resp.body
    return resp.json()


def patch_cm(server: Any, ns: str, name: str, patch: dict[str, Any]) -> dict[str, Any]:
    resp = server.request("PATCH", cm_path(ns, name), patch, headers=MERGE)
    assert resp.status == 200, resp.body
    return resp.json()


def list_of(server: Any, path: str, **query: str) -> dict[str, Any]:
    url = path + ("?" + urllib.parse.urlencode(query) if query else "")
    resp = server.request("GET", url)
    assert resp.status == 200, resp.body
    return resp.json()


def names(listed: dict[str, Any]) -> list[str]:
    return [item["metadata"]["name"] for item in listed["items"]]


def rv(obj: dict[str, Any]) -> int:
    return int(obj["metadata"]["resourceVersion"])


def status_failure(resp: Any, code: int, reason: str) -> dict[str, Any]:
    assert resp.status == code, resp.body
    body = resp.json()
    assert body["kind"] == "Status", body
    assert body["status"] == "Failure", body
    assert body["code"] == code, body
    assert body["reason"] == reason, body
    return body


def watch_path(ns: str, **query: str) -> str:
    return cm_path(ns) + "?" + urllib.parse.urlencode({"watch": "true", **query})


# -- label selectors ------------------------------------------------------------------------------


@pytest.fixture
def labelled(server, ns):
    """Five configmaps: c0..c4 with app=b/a alternating; c0 and c1 also have tier=x."""
    for i in range(5):
        labels = {"app": "a" if i % 2 else "b"}
        if i < 2:
            labels["tier"] = "x"
        create_cm(server, ns, f"c{i}", labels)
    return ns


@pytest.mark.parametrize(
    ("selector", "expected"),
    [
        ("app=a", ["c1", "c3"]),
        ("app==a", ["c1", "c3"]),
        ("app!=a", ["c0", "c2", "c4", ROOT_CA]),
        ("app in (a,b)", ["c0", "c1", "c2", "c3", "c4"]),
        ("app in (a)", ["c1", "c3"]),
        ("app notin (a)", ["c0", "c2", "c4", ROOT_CA]),
        ("tier", ["c0", "c1"]),
        ("!tier", ["c2", "c3", "c4", ROOT_CA]),
        ("app=a,tier", ["c1"]),
        ("app=b,!tier", ["c2", "c4"]),
        ("tier notin (y)", ["c0", "c1", "c2", "c3", "c4", ROOT_CA]),
        ("app=nothing", []),
    ],
)
def test_label_selectors_filter_a_list(server, labelled, selector, expected):
    assert names(list_of(server, cm_path(labelled), labelSelector=selector)) == expected


def test_a_malformed_label_selector_is_a_bad_request(server, ns):
    resp = server.request("GET", cm_path(ns) + "?labelSelector=" + urllib.parse.quote("app in (a"))
    status_failure(resp, 400, "BadRequest")


# -- field selectors ------------------------------------------------------------------------------


def test_field_selectors_on_metadata_name_and_namespace(server, labelled):
    ns = labelled
    assert names(list_of(server, cm_path(ns), fieldSelector="metadata.name=c1")) == ["c1"]
    assert names(list_of(server, cm_path(ns), fieldSelector="metadata.name==c1")) == ["c1"]
    assert names(list_of(server, cm_path(ns), fieldSelector="metadata.name!=c1")) == [
        "c0",
        "c2",
        "c3",
        "c4",
        ROOT_CA,
    ]
    assert names(list_of(server, cm_path(ns), fieldSelector=f"metadata.namespace={ns}")) == [
        "c0",
        "c1",
        "c2",
        "c3",
        "c4",
        ROOT_CA,
    ]
    assert names(list_of(server, cm_path(ns), fieldSelector="metadata.namespace=elsewhere")) == []
    both = list_of(server, cm_path(ns), fieldSelector="metadata.name=c2", labelSelector="app=b")
    assert names(both) == ["c2"]


def test_a_field_selector_on_metadata_namespace_narrows_a_list_across_all_namespaces(
    server, labelled
):
    listed = list_of(server, "/api/v1/configmaps", fieldSelector=f"metadata.namespace={labelled}")
    assert names(listed) == ["c0", "c1", "c2", "c3", "c4", ROOT_CA]


def pod(name: str, node: str | None = None) -> dict[str, Any]:
    spec: dict[str, Any] = {"containers": [{"name": "c", "image": "nginx"}]}
    if node:
        spec["nodeName"] = node
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name}, "spec": spec}


def test_pod_field_selectors_on_node_name_and_phase(server, ns):
    pods = f"/api/v1/namespaces/{ns}/pods"
    for p in (pod("a", "node-1"), pod("b", "node-2"), pod("c")):
        assert server.request("POST", pods, p).status == 201
    resp = server.request(
        "PATCH", pods + "/a/status", {"status": {"phase": "Running"}}, headers=MERGE
    )
    assert resp.status == 200, resp.body
    assert names(list_of(server, pods, fieldSelector="spec.nodeName=node-1")) == ["a"]
    assert names(list_of(server, pods, fieldSelector="spec.nodeName!=node-1")) == ["b", "c"]
    assert names(list_of(server, pods, fieldSelector="spec.nodeName=")) == ["c"]
    assert names(list_of(server, pods, fieldSelector="status.phase=Running")) == ["a"]
    assert names(list_of(server, pods, fieldSelector="status.phase=Pending")) == ["b", "c"]
    assert names(
        list_of(server, pods, fieldSelector="status.phase!=Running,spec.nodeName=node-2")
    ) == ["b"]
    # spec.host is the legacy spelling of spec.nodeName
    assert names(list_of(server, pods, fieldSelector="spec.host=node-2")) == ["b"]


def test_an_unsupported_pod_field_label_is_a_bad_request(server, ns):
    resp = server.request("GET", f"/api/v1/namespaces/{ns}/pods?fieldSelector=spec.foo%3Dbar")
    body = status_failure(resp, 400, "BadRequest")
    assert body["message"] == "field label not supported: spec.foo"


def test_an_unsupported_configmap_field_label_is_a_bad_request(server, ns):
    # ConfigMap registers no field label conversion: the scheme's default one answers.
    resp = server.request("GET", cm_path(ns) + "?fieldSelector=spec.foo%3Dbar")
    body = status_failure(resp, 400, "BadRequest")
    assert (
        body["message"]
        == '"spec.foo" is not a known field selector: only "metadata.name", "metadata.namespace"'
    )


def test_an_unsupported_field_label_fails_a_watch_too(server, ns):
    resp = server.request(
        "GET", f"/api/v1/namespaces/{ns}/pods?watch=true&fieldSelector=spec.foo%3Dbar"
    )
    body = status_failure(resp, 400, "BadRequest")
    assert body["message"] == "field label not supported: spec.foo"


# -- lists across namespaces, list shape -------------------------------------------------------------


def test_a_list_across_all_namespaces_holds_every_namespace_s_objects(server, ns):
    create_cm(server, ns, "mine")
    other = server.request("POST", "/api/v1/namespaces", {"metadata": {"name": ns + "-other"}})
    assert other.status == 201, other.body
    create_cm(server, ns + "-other", "theirs")
    listed = list_of(server, "/api/v1/configmaps")
    assert listed["kind"] == "ConfigMapList"
    assert listed["apiVersion"] == "v1"
    keys = {(i["metadata"]["namespace"], i["metadata"]["name"]) for i in listed["items"]}
    assert {(ns, "mine"), (ns + "-other", "theirs")} <= keys


def test_list_items_carry_no_kind_or_api_version(server, ns):
    create_cm(server, ns, "x")
    listed = list_of(server, cm_path(ns))
    assert listed["kind"] == "ConfigMapList"
    assert listed["metadata"]["resourceVersion"]
    assert names(listed) == [ROOT_CA, "x"]
    for item in listed["items"]:
        # kube-apiserver encodes typed lists whose items have an empty TypeMeta
        assert "kind" not in item
        assert "apiVersion" not in item


# -- paging ---------------------------------------------------------------------------------------


def test_limit_and_continue_page_through_every_object_exactly_once(server, ns):
    for i in range(25):
        create_cm(server, ns, f"cm-{i:02d}")
    seen: list[str] = []
    pages = 0
    token = ""
    first_rv = None
    while True:
        query = {"limit": "7"}
        if token:
            query["continue"] = token
        page = list_of(server, cm_path(ns), **query)
        pages += 1
        assert len(page["items"]) <= 7
        if first_rv is None:
            first_rv = page["metadata"]["resourceVersion"]
        else:  # every page is served at the first page's revision
            assert page["metadata"]["resourceVersion"] == first_rv
        seen += names(page)
        token = page["metadata"].get("continue", "")
        if not token:
            break
        assert page["metadata"]["remainingItemCount"] == 26 - len(seen)
    assert pages == 4
    assert seen == [f"cm-{i:02d}" for i in range(25)] + [ROOT_CA]


def test_pages_after_the_first_show_the_state_of_the_first_page(server, ns):
    for i in range(4):
        create_cm(server, ns, f"cm-{i}", v="old")
    first = list_of(server, cm_path(ns), limit="2")
    patch_cm(server, ns, "cm-3", {"data": {"v": "new"}})
    create_cm(server, ns, "cm-9")
    rest = list_of(server, cm_path(ns), limit="10", **{"continue": first["metadata"]["continue"]})
    assert names(rest) == ["cm-2", "cm-3", ROOT_CA]
    assert [item["data"]["v"] for item in rest["items"][:2]] == ["old", "old"]


def test_an_invalid_continue_token_is_a_bad_request(server, ns):
    resp = server.request("GET", cm_path(ns) + "?limit=2&continue=garbage")
    body = status_failure(resp, 400, "BadRequest")
    assert body["message"].startswith("invalid continue token: continue key is not valid"), body[
        "message"
    ]


def test_a_limit_larger_than_the_collection_returns_everything_without_continue(server, ns):
    for i in range(3):
        create_cm(server, ns, f"cm-{i}")
    page = list_of(server, cm_path(ns), limit="50")
    assert names(page) == ["cm-0", "cm-1", "cm-2", ROOT_CA]
    assert "continue" not in page["metadata"]
    assert "remainingItemCount" not in page["metadata"]


# -- resourceVersion semantics ---------------------------------------------------------------------


def test_resource_versions_are_one_global_strictly_increasing_sequence(server, ns):
    versions = []
    versions.append(rv(create_cm(server, ns, "a")))
    secret = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}, "data": {}}
    resp = server.request("POST", f"/api/v1/namespaces/{ns}/secrets", secret)
    versions.append(rv(resp.json()))
    resp = server.request("POST", f"/api/v1/namespaces/{ns}/pods", pod("p"))
    versions.append(rv(resp.json()))
    versions.append(rv(patch_cm(server, ns, "a", {"data": {"k": "v"}})))
    resp = server.request("POST", "/api/v1/namespaces", {"metadata": {"name": ns + "-rv"}})
    versions.append(rv(resp.json()))
    assert versions == sorted(set(versions)), versions
    # a list's resourceVersion is the store's current revision, whatever resource wrote last
    listed = list_of(server, cm_path(ns))
    assert int(listed["metadata"]["resourceVersion"]) >= versions[-1]


def test_a_list_with_an_unset_resource_version_is_the_latest_state(server, ns):
    create_cm(server, ns, "x", v="1")
    after = patch_cm(server, ns, "x", {"data": {"v": "2"}})
    listed = list_of(server, cm_path(ns))
    assert names(listed) == [ROOT_CA, "x"]
    assert listed["items"][1]["data"] == {"v": "2"}
    assert int(listed["metadata"]["resourceVersion"]) >= rv(after)


def test_a_list_at_resource_version_zero_is_served(server, ns):
    create_cm(server, ns, "x")
    deadline = time.monotonic() + 10
    while True:  # "0" is any state the cache holds; it catches up promptly
        listed = list_of(server, cm_path(ns), resourceVersion="0")
        if names(listed) == [ROOT_CA, "x"] or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert names(listed) == [ROOT_CA, "x"]
    assert listed["metadata"]["resourceVersion"]


def test_an_exact_resource_version_list_shows_the_past(server, ns):
    before = list_of(server, cm_path(ns))["metadata"]["resourceVersion"]
    first = create_cm(server, ns, "x", v="1")
    patch_cm(server, ns, "x", {"data": {"v": "2"}})
    create_cm(server, ns, "y")
    past = list_of(
        server,
        cm_path(ns),
        resourceVersion=first["metadata"]["resourceVersion"],
        resourceVersionMatch="Exact",
    )
    assert past["metadata"]["resourceVersion"] == first["metadata"]["resourceVersion"]
    assert names(past) == [ROOT_CA, "x"]
    assert past["items"][1]["data"] == {"v": "1"}
    assert past["items"][1]["metadata"]["resourceVersion"] == first["metadata"]["resourceVersion"]
    earlier = list_of(server, cm_path(ns), resourceVersion=before, resourceVersionMatch="Exact")
    assert names(earlier) == [ROOT_CA]


def test_an_exact_resource_version_list_pages_at_that_version(server, ns):
    for i in range(3):
        create_cm(server, ns, f"cm-{i}", v="1")
    at = list_of(server, cm_path(ns))["metadata"]["resourceVersion"]
    for i in range(3):
        patch_cm(server, ns, f"cm-{i}", {"data": {"v": "2"}})
    first = list_of(
        server, cm_path(ns), resourceVersion=at, resourceVersionMatch="Exact", limit="2"
    )
    assert names(first) == ["cm-0", "cm-1"]
    rest = list_of(server, cm_path(ns), limit="2", **{"continue": first["metadata"]["continue"]})
    assert names(rest) == ["cm-2", ROOT_CA]
    assert {i["data"]["v"] for i in first["items"] + rest["items"][:1]} == {"1"}


def test_not_older_than_returns_a_state_at_least_as_new(server, ns):
    first = create_cm(server, ns, "x", v="1")
    second = patch_cm(server, ns, "x", {"data": {"v": "2"}})
    listed = list_of(
        server,
        cm_path(ns),
        resourceVersion=first["metadata"]["resourceVersion"],
        resourceVersionMatch="NotOlderThan",
    )
    assert int(listed["metadata"]["resourceVersion"]) >= rv(second)
    assert names(listed) == [ROOT_CA, "x"]
    assert listed["items"][1]["data"] == {"v": "2"}


def test_not_older_than_a_future_resource_version_times_out_as_too_large(server, ns):
    current = int(list_of(server, cm_path(ns))["metadata"]["resourceVersion"])
    future = current + 1_000_000
    resp = server.request(
        "GET", cm_path(ns) + f"?resourceVersion={future}&resourceVersionMatch=NotOlderThan"
    )
    body = status_failure(resp, 504, "Timeout")
    assert body["message"].startswith(
        f"Timeout: Too large resource version: {future}, current: "
    ), body["message"]
    assert body["details"]["causes"] == [
        {"reason": "ResourceVersionTooLarge", "message": "Too large resource version"}
    ]
    assert body["details"]["retryAfterSeconds"] == 1


def test_resource_version_match_without_a_resource_version_is_invalid(server, ns):
    resp = server.request("GET", cm_path(ns) + "?resourceVersionMatch=Exact")
    body = status_failure(resp, 422, "Invalid")
    assert body["message"] == (
        'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: '
        "resourceVersionMatch is forbidden unless resourceVersion is provided"
    )


# -- watch ---------------------------------------------------------------------------------------


def test_a_watch_from_an_unset_resource_version_starts_with_the_current_objects(server, ns):
    for name in ("a", "b", "c"):
        create_cm(server, ns, name)
    with Watch(server, watch_path(ns)) as w:
        assert w.status == 200
        assert w.headers["content-type"] == "application/json"
        events = w.take(4)
        assert [e["type"] for e in events] == ["ADDED"] * 4
        assert sorted(e["object"]["metadata"]["name"] for e in events) == ["a", "b", "c", ROOT_CA]
        assert all(
            e["object"]["kind"] == "ConfigMap" and e["object"]["apiVersion"] == "v1" for e in events
        )
        create_cm(server, ns, "d")
        (event,) = w.take(1)
        assert event["type"] == "ADDED"
        assert event["object"]["metadata"]["name"] == "d"


def test_a_watch_from_resource_version_zero_starts_with_the_current_objects(server, ns):
    for name in ("a", "b"):
        create_cm(server, ns, name)
    time.sleep(0.2)  # "0" serves the cache's state
    with Watch(server, watch_path(ns, resourceVersion="0")) as w:
        events = w.take(2)
        assert [e["type"] for e in events] == ["ADDED", "ADDED"]
        assert sorted(e["object"]["metadata"]["name"] for e in events) == ["a", "b"]


def test_a_watch_from_a_resource_version_sees_only_later_events(server, ns):
    a = create_cm(server, ns, "a")
    create_cm(server, ns, "b")
    patch_cm(server, ns, "a", {"data": {"k": "v"}})
    with Watch(server, watch_path(ns, resourceVersion=a["metadata"]["resourceVersion"])) as w:
        events = w.take(2)
        assert [(e["type"], e["object"]["metadata"]["name"]) for e in events] == [
            ("ADDED", "b"),
            ("MODIFIED", "a"),
        ]
        assert events[1]["object"]["data"] == {"k": "v"}
        resp = server.request("DELETE", cm_path(ns, "b"))
        assert resp.status == 200, resp.body
        (gone,) = w.take(1)
        assert gone["type"] == "DELETED"
        assert gone["object"]["metadata"]["name"] == "b"
        assert rv(gone["object"]) > rv(events[1]["object"])


def test_fifty_writes_arrive_in_order_none_lost_or_doubled(server, ns):
    initial = list_of(server, cm_path(ns))
    start = initial["metadata"]["resourceVersion"]
    with Watch(server, watch_path(ns, resourceVersion=start)) as w:
        written: list[tuple[str, str, int]] = []
        for i in range(10):
            written.append(("ADDED", f"cm-{i}", rv(create_cm(server, ns, f"cm-{i}", n="0"))))
        for round_ in range(1, 4):
            for i in range(10):
                obj = patch_cm(server, ns, f"cm-{i}", {"data": {"n": str(round_)}})
                written.append(("MODIFIED", f"cm-{i}", rv(obj)))
        for i in range(0, 10, 2):
            resp = server.request("DELETE", cm_path(ns, f"cm-{i}"))
            assert resp.status == 200, resp.body
            written.append(("DELETED", f"cm-{i}", None))
        for i in range(1, 10, 2)[:5]:
            obj = patch_cm(server, ns, f"cm-{i}", {"data": {"n": "final"}})
            written.append(("MODIFIED", f"cm-{i}", rv(obj)))
        assert len(written) == 50
        last = written[-1][2]
        events = w.until(lambda e: rv(e["object"]) >= last)
    assert len(events) == 50
    versions = [rv(e["object"]) for e in events]
    assert versions == sorted(set(versions)), "events out of order or doubled"
    assert [(e["type"], e["object"]["metadata"]["name"]) for e in events] == [
        (t, n) for t, n, _ in written
    ]
    for event, (_, _, version) in zip(events, written, strict=True):
        if version is not None:
            assert rv(event["object"]) == version
    # replaying the stream over the list it started from gives the final state
    state = {i["metadata"]["name"]: i for i in initial["items"]}
    for e in events:
        name = e["object"]["metadata"]["name"]
        if e["type"] == "DELETED":
            del state[name]
        else:
            state[name] = e["object"]
    final = list_of(server, cm_path(ns))
    assert {n: (o["metadata"]["resourceVersion"], o["data"]) for n, o in state.items()} == {
        i["metadata"]["name"]: (i["metadata"]["resourceVersion"], i["data"]) for i in final["items"]
    }


def test_the_legacy_watch_path_streams_events(server, ns):
    start = list_of(server, cm_path(ns))["metadata"]["resourceVersion"]
    path = f"/api/v1/watch/namespaces/{ns}/configmaps?resourceVersion={start}"
    with Watch(server, path) as w:
        assert w.status == 200
        create_cm(server, ns, "x")
        (event,) = w.take(1)
        assert event["type"] == "ADDED"
        assert event["object"]["metadata"]["name"] == "x"


def test_the_legacy_watch_path_for_one_object_streams_only_that_object(server, ns):
    start = list_of(server, cm_path(ns))["metadata"]["resourceVersion"]
    path = f"/api/v1/watch/namespaces/{ns}/configmaps/x?resourceVersion={start}"
    with Watch(server, path) as w:
        create_cm(server, ns, "other")
        create_cm(server, ns, "x")
        (event,) = w.take(1)
        assert (event["type"], event["object"]["metadata"]["name"]) == ("ADDED", "x")


def test_a_label_selector_watch_sees_deleted_when_an_object_stops_matching(server, ns):
    create_cm(server, ns, "x", {"app": "a"})
    start = list_of(server, cm_path(ns))["metadata"]["resourceVersion"]
    with Watch(server, watch_path(ns, resourceVersion=start, labelSelector="app=a")) as w:
        left = patch_cm(server, ns, "x", {"metadata": {"labels": {"app": "b"}}})
        (event,) = w.take(1)
        assert event["type"] == "DELETED"
        assert event["object"]["metadata"]["name"] == "x"
        assert event["object"]["metadata"]["resourceVersion"] == left["metadata"]["resourceVersion"]
        patch_cm(server, ns, "x", {"data": {"ignored": "yes"}})  # does not match: not seen
        back = patch_cm(server, ns, "x", {"metadata": {"labels": {"app": "a"}}})
        (event,) = w.take(1)
        assert event["type"] == "ADDED"
        assert event["object"]["metadata"]["resourceVersion"] == back["metadata"]["resourceVersion"]


def test_a_field_selector_watch_sees_only_the_named_object(server, ns):
    start = list_of(server, cm_path(ns))["metadata"]["resourceVersion"]
    with Watch(server, watch_path(ns, resourceVersion=start, fieldSelector="metadata.name=b")) as w:
        create_cm(server, ns, "a")
        create_cm(server, ns, "b")
        (event,) = w.take(1)
        assert (event["type"], event["object"]["metadata"]["name"]) == ("ADDED", "b")


def test_timeout_seconds_ends_the_watch_stream(server, ns):
    start = list_of(server, cm_path(ns))["metadata"]["resourceVersion"]
    with Watch(server, watch_path(ns, resourceVersion=start, timeoutSeconds="1"), timeout=15) as w:
        assert w.status == 200
        assert w.next() is None


def test_watch_bookmarks_arrive_when_asked_for(server, ns):
    create_cm(server, ns, "x")
    start = list_of(server, cm_path(ns))["metadata"]["resourceVersion"]
    path = watch_path(ns, resourceVersion=start, allowWatchBookmarks="true", timeoutSeconds="15")
    with Watch(server, path, timeout=30) as w:
        events = w.until(lambda e: e["type"] == "BOOKMARK")
    assert [e["type"] for e in events] == ["BOOKMARK"]
    bookmark = events[0]["object"]
    assert bookmark["kind"] == "ConfigMap"
    assert bookmark["apiVersion"] == "v1"
    assert int(bookmark["metadata"]["resourceVersion"]) >= int(start)
    assert "data" not in bookmark


def test_no_bookmarks_arrive_unless_asked_for(server, ns):
    start = list_of(server, cm_path(ns))["metadata"]["resourceVersion"]
    with Watch(server, watch_path(ns, resourceVersion=start, timeoutSeconds="11"), timeout=30) as w:
        assert w.next() is None  # the stream ends at its timeout having sent nothing


def test_send_initial_events_ends_the_initial_state_with_an_annotated_bookmark(server, ns):
    created = [create_cm(server, ns, name) for name in ("a", "b", "c")]
    path = watch_path(
        ns,
        sendInitialEvents="true",
        allowWatchBookmarks="true",
        resourceVersionMatch="NotOlderThan",
    )
    with Watch(server, path) as w:
        events = w.until(lambda e: e["type"] == "BOOKMARK")
        assert [e["type"] for e in events] == ["ADDED"] * 4 + ["BOOKMARK"]
        assert sorted(e["object"]["metadata"]["name"] for e in events[:4]) == [
            "a",
            "b",
            "c",
            ROOT_CA,
        ]
        bookmark = events[4]["object"]
        assert bookmark["kind"] == "ConfigMap"
        assert bookmark["metadata"]["annotations"] == {"k8s.io/initial-events-end": "true"}
        assert int(bookmark["metadata"]["resourceVersion"]) >= max(rv(o) for o in created)
        create_cm(server, ns, "d")
        (event,) = w.take(1)
        assert (event["type"], event["object"]["metadata"]["name"]) == ("ADDED", "d")


def test_a_watch_from_a_compacted_away_resource_version_is_an_expired_error_event(tmp_path):
    data_dir = tmp_path / "srv"
    srv = start_server(data_dir)
    try:
        assert srv.request("POST", "/api/v1/namespaces", {"metadata": {"name": "w"}}).status == 201
        for i in range(5):
            resp = srv.request(
                "POST", "/api/v1/namespaces/w/configmaps", {"metadata": {"name": f"c{i}"}}
            )
            assert resp.status == 201, resp.body
    finally:
        srv.stop()
    # After a restart the watch cache starts at the store's current revision: older ones are gone.
    srv = start_server(data_dir)
    try:
        current = int(
            list_of(srv, "/api/v1/namespaces/w/configmaps")["metadata"]["resourceVersion"]
        )
        with Watch(srv, "/api/v1/namespaces/w/configmaps?watch=true&resourceVersion=1") as w:
            assert w.status == 200
            event = w.next()
            assert event is not None
            assert event["type"] == "ERROR"
            status = event["object"]
            assert status["kind"] == "Status"
            assert status["apiVersion"] == "v1"
            assert status["status"] == "Failure"
            assert status["code"] == 410
            assert status["reason"] == "Expired"
            assert status["message"].startswith("too old resource version: 1 ("), status["message"]
            assert int(status["message"].rsplit("(", 1)[1].rstrip(")")) <= current
            assert w.next() is None  # the stream ends after the error
        # a watch from the current revision still works
        with Watch(
            srv, f"/api/v1/namespaces/w/configmaps?watch=true&resourceVersion={current}"
        ) as w:
            assert (
                srv.request(
                    "POST", "/api/v1/namespaces/w/configmaps", {"metadata": {"name": "new"}}
                ).status
                == 201
            )
            (event,) = w.take(1)
            assert (event["type"], event["object"]["metadata"]["name"]) == ("ADDED", "new")
    finally:
        srv.stop()
