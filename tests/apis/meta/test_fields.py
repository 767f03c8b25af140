from __future__ import annotations

import pytest

from kube_apiserver.apis.meta.fields import (
    FieldSelector,
    SelectorError,
    escape_value,
    parse_field_selector,
)


@pytest.mark.parametrize(
    ("text", "requirements"),
    [
        ("", []),
        (",", []),
        ("metadata.name=web", [("metadata.name", "=", "web")]),
        ("metadata.name==web", [("metadata.name", "=", "web")]),
        ("status.phase!=Running", [("status.phase", "!=", "Running")]),
        ("spec.nodeName=", [("spec.nodeName", "=", "")]),
        (
            "metadata.namespace=b,metadata.name=a",
            [("metadata.name", "=", "a"), ("metadata.namespace", "=", "b")],
        ),
        ("a=x,,b=y", [("a", "=", "x"), ("b", "=", "y")]),
        ("a = b", [("a ", "=", " b")]),
        (r"a=x\,y", [("a", "=", "x,y")]),
        (r"a=x\=y\\z", [("a", "=", "x=y\\z")]),
    ],
)
def test_field_selectors_parse_into_sorted_requirements(text, requirements):
    assert parse_field_selector(text).requirements == requirements


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("metadata.name", "invalid selector: 'metadata.name'; can't understand 'metadata.name'"),
        ("a=b,c", "invalid selector: 'a=b,c'; can't understand 'c'"),
        ("a=b=c", "invalid field selector: unescaped character in value: 61"),
        ("a==b=c", "invalid field selector: unescaped character in value: 61"),
        ("a!==b", "invalid field selector: unescaped character in value: 61"),
        (r"a=b\x", r"invalid field selector: invalid escape sequence: \x"),
        ("a=b\\", "invalid field selector: invalid escape sequence: \\"),
    ],
)
def test_bad_field_selectors_fail_with_kubernetes_messages(text, message):
    with pytest.raises(SelectorError) as err:
        parse_field_selector(text)
    assert str(err.value) == message


@pytest.mark.parametrize(
    ("text", "fields", "expected"),
    [
        ("", {}, True),
        ("metadata.name=web", {"metadata.name": "web"}, True),
        ("metadata.name=web", {"metadata.name": "db"}, False),
        ("spec.nodeName=", {}, True),
        ("spec.nodeName!=", {}, False),
        ("spec.nodeName!=", {"spec.nodeName": "n1"}, True),
        ("status.phase!=Running", {"status.phase": "Pending"}, True),
        ("status.phase!=Running", {"status.phase": "Running"}, False),
        ("a=1,b!=2", {"a": "1", "b": "3"}, True),
        ("a=1,b!=2", {"a": "1", "b": "2"}, False),
        (r"a=x\,y", {"a": "x,y"}, True),
    ],
)
def test_field_selectors_match_an_objects_selectable_fields(text, fields, expected):
    assert parse_field_selector(text).matches(fields) is expected


def test_fields_lists_every_field_a_selector_uses():
    assert parse_field_selector("b=1,a!=2,a=3").fields() == {"a", "b"}


def test_unsupported_reports_the_first_unknown_field_in_sorted_order():
    selector = parse_field_selector("spec.zzz=1,metadata.name=a,spec.aaa=2")
    assert selector.unsupported({"metadata.name", "spec.zzz", "spec.aaa"}) is None
    assert selector.unsupported({"metadata.name"}) == "spec.aaa"


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("metadata.name=web", "metadata.name", "web"),
        ("metadata.name==web,status.phase=Running", "metadata.name", "web"),
        ("metadata.name=", "metadata.name", ""),
        ("metadata.name!=web", "metadata.name", None),
        ("status.phase=Running", "metadata.name", None),
        ("", "metadata.name", None),
    ],
)
def test_exact_match_gives_the_value_an_equality_term_requires(text, field, value):
    assert parse_field_selector(text).exact_match(field) == value


def test_selectors_print_with_escaped_values_and_single_equals():
    selector = parse_field_selector(r"b==x\,y\=z\\w,a!=1")
    assert str(selector) == r"a!=1,b=x\,y\=z\\w"
    assert parse_field_selector(str(selector)).requirements == selector.requirements


def test_escape_value_escapes_backslashes_commas_and_equals():
    assert escape_value("a\\b,c=d") == r"a\\b\,c\=d"


def test_an_empty_selector_is_empty():
    assert parse_field_selector("").empty
    assert FieldSelector().empty
    assert not parse_field_selector("a=b").empty
