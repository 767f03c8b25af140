from __future__ import annotations

import pytest

from kube_apiserver.apis.meta.labels import (
    LabelSelector,
    SelectorError,
    parse_label_selector,
    selector_from_label_selector,
)

NAME_PART = (
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
    "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
    "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
)
LABEL_VALUE = (
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and "
    "must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex "
    "used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
)
SUBDOMAIN = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
    "and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation "
    "is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
)
OPERATORS = "in, notin, =, ==, !=, gt, lt"


@pytest.mark.parametrize(
    ("text", "printed"),
    [
        ("", ""),
        ("   ", ""),
        ("a=b", "a=b"),
        ("a==b", "a==b"),
        ("a!=b", "a!=b"),
        ("  a  =  b  ", "a=b"),
        ("a\tin\n(b)", "a in (b)"),
        ("a in (c, b)", "a in (b,c)"),
        ("a notin (b,c)", "a notin (b,c)"),
        ("a", "a"),
        ("!a", "!a"),
        ("! a", "!a"),
        ("b=1,a=2", "a=2,b=1"),
        ("x in (foo,,baz),y,z notin ()", "x in (,baz,foo),y,z notin ()"),
        ("a in (,b)", "a in (,b)"),
        ("a in (b,)", "a in (,b)"),
        ("a=", "a="),
        ("a=,b", "a=,b"),
        ("in in (in, notin)", "in in (in,notin)"),
        ("a=in", "a=in"),
        ("a>5", "a>5"),
        ("a<10", "a<10"),
        ("example.com/app=web", "example.com/app=web"),
        ("a=b\0,c=d", "a=b,c=d"),
        ("a=b \0,c=d", "a=b"),
    ],
)
def test_valid_selectors_parse_and_print_as_kubernetes_prints_them(text, printed):
    assert str(parse_label_selector(text)) == printed


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a=b=c", "found '=', expected: ',' or 'end of string'"),
        ("!a=b", "found '=', expected: ',' or 'end of string'"),
        ("a,", "found '', expected: identifier after ','"),
        ("a,,b", "found ',', expected: identifier after ','"),
        ("(", "found '(', expected: !, identifier, or 'end of string'"),
        (",a", "found ',', expected: !, identifier, or 'end of string'"),
        ("a b", f"unable to parse requirement: found 'b', expected: {OPERATORS}"),
        ("a !b", f"unable to parse requirement: found '!', expected: {OPERATORS}"),
        ("!", "unable to parse requirement: found '', expected: identifier"),
        ("!=b", "found '!=', expected: !, identifier, or 'end of string'"),
        ("a in b", "unable to parse requirement: found 'b' expected: '('"),
        ("a in (b", "unable to parse requirement: found '', expected: ',' or ')'"),
        ("a in (b c)", "unable to parse requirement: found 'c', expected: ',' or ')'"),
        ("a in (=)", "unable to parse requirement: found '=', expected: ',', ')' or identifier"),
        ("a in (,=)", "unable to parse requirement: found '=', expected: ',', or identifier"),
        ("a=(", "unable to parse requirement: found '(', expected: identifier"),
        (
            "app:monolith",
            f'unable to parse requirement: <nil>: Invalid value: "app:monolith": {NAME_PART}',
        ),
        (
            "app.kubernetes_io/name=x",
            f'unable to parse requirement: <nil>: Invalid value: "app.kubernetes_io/name": prefix part {SUBDOMAIN}',
        ),
        (
            "a=b_",
            f'unable to parse requirement: values[0][a]: Invalid value: "b_": {LABEL_VALUE}',
        ),
        (
            "a in (ok, -x)",
            f'unable to parse requirement: values[0][a]: Invalid value: "-x": {LABEL_VALUE}',
        ),
        (
            "a=" + "v" * 64,
            f'unable to parse requirement: values[0][a]: Invalid value: "{"v" * 64}": '
            "must be no more than 63 characters",
        ),
        (
            "a>x",
            'unable to parse requirement: values[0]: Invalid value: "x": '
            "for 'Gt', 'Lt' operators, the value must be an integer",
        ),
        (
            "a<-1",
            'unable to parse requirement: values[0][a]: Invalid value: "-1": ' + LABEL_VALUE,
        ),
        (
            "a<-x",
            "unable to parse requirement: [values[0]: Invalid value: \"-x\": for 'Gt', 'Lt' operators, "
            f'the value must be an integer, values[0][a]: Invalid value: "-x": {LABEL_VALUE}]',
        ),
    ],
)
def test_invalid_selectors_fail_with_kubernetes_messages(text, message):
    with pytest.raises(SelectorError) as err:
        parse_label_selector(text)
    assert str(err.value) == message


@pytest.mark.parametrize(
    ("text", "labels", "expected"),
    [
        ("", {}, True),
        ("", None, True),
        ("a=b", {"a": "b"}, True),
        ("a=b", {"a": "c"}, False),
        ("a=b", {}, False),
        ("a==b", {"a": "b", "x": "y"}, True),
        ("a!=b", {"a": "c"}, True),
        ("a!=b", {}, True),
        ("a!=b", {"a": "b"}, False),
        ("a in (b,c)", {"a": "c"}, True),
        ("a in (b,c)", {"a": "d"}, False),
        ("a in (b,c)", None, False),
        ("a notin (b,c)", {"a": "d"}, True),
        ("a notin (b,c)", {}, True),
        ("a notin (b,c)", {"a": "b"}, False),
        ("a", {"a": ""}, True),
        ("a", {"b": "a"}, False),
        ("!a", {"b": "a"}, True),
        ("!a", {"a": ""}, False),
        ("a=", {"a": ""}, True),
        ("a=", {}, False),
        ("a in ()", {"a": ""}, True),
        ("a>5", {"a": "6"}, True),
        ("a>5", {"a": "5"}, False),
        ("a>5", {"a": "x"}, False),
        ("a>5", {}, False),
        ("a<5", {"a": "-3"}, True),
        ("a<5", {"a": " 3"}, False),
        ("a=b,c", {"a": "b", "c": "1"}, True),
        ("a=b,c", {"a": "b"}, False),
        ("a=b,!c,d in (1,2)", {"a": "b", "d": "2"}, True),
    ],
)
def test_selectors_match_labels_as_kubernetes_does(text, labels, expected):
    assert parse_label_selector(text).matches(labels) is expected


def test_a_selector_without_requirements_is_empty():
    assert parse_label_selector("").empty
    assert LabelSelector().empty
    assert not parse_label_selector("a").empty


def test_parsed_requirements_are_sorted_by_key_with_sorted_values():
    selector = parse_label_selector("z=1, a notin (y,x), m")
    assert [tuple(r) for r in selector.requirements] == [
        ("a", "notin", ("x", "y")),
        ("m", "exists", ()),
        ("z", "=", ("1",)),
    ]


@pytest.mark.parametrize(
    ("obj", "labels", "expected"),
    [
        ({}, {"anything": "x"}, True),
        ({"matchLabels": {}, "matchExpressions": []}, None, True),
        (None, {}, False),
        (None, {"a": "b"}, False),
        ({"matchLabels": {"app": "web"}}, {"app": "web", "x": "y"}, True),
        ({"matchLabels": {"app": "web"}}, {"app": "db"}, False),
        (
            {"matchExpressions": [{"key": "t", "operator": "In", "values": ["a", "b"]}]},
            {"t": "b"},
            True,
        ),
        ({"matchExpressions": [{"key": "t", "operator": "NotIn", "values": ["a"]}]}, {}, True),
        ({"matchExpressions": [{"key": "t", "operator": "Exists"}]}, {"t": ""}, True),
        ({"matchExpressions": [{"key": "t", "operator": "DoesNotExist"}]}, {"t": ""}, False),
        (
            {
                "matchLabels": {"app": "web"},
                "matchExpressions": [{"key": "t", "operator": "Exists"}],
            },
            {"app": "web"},
            False,
        ),
    ],
)
def test_metav1_label_selectors_convert_to_matching_selectors(obj, labels, expected):
    assert selector_from_label_selector(obj).matches(labels) is expected


def test_only_the_empty_metav1_selector_is_empty():
    assert selector_from_label_selector({}).empty
    assert not selector_from_label_selector(None).empty
    assert not selector_from_label_selector({"matchLabels": {"a": "b"}}).empty


def test_a_converted_selector_prints_in_the_string_grammar():
    obj = {
        "matchLabels": {"tier": "web"},
        "matchExpressions": [
            {"key": "env", "operator": "NotIn", "values": ["prod", "dev"]},
            {"key": "canary", "operator": "DoesNotExist"},
        ],
    }
    assert str(selector_from_label_selector(obj)) == "!canary,env notin (dev,prod),tier=web"


@pytest.mark.parametrize(
    ("obj", "message"),
    [
        (
            {"matchExpressions": [{"key": "t", "operator": "Equals", "values": ["a"]}]},
            '"Equals" is not a valid label selector operator',
        ),
        (
            {"matchExpressions": [{"key": "t", "operator": "In"}]},
            "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty",
        ),
        (
            {"matchExpressions": [{"key": "t", "operator": "Exists", "values": ["a"]}]},
            'values: Invalid value: []string{"a"}: values set must be empty for exists and does not exist',
        ),
        (
            {"matchLabels": {"bad key": "v"}},
            f'key: Invalid value: "bad key": {NAME_PART}',
        ),
        (
            {"matchLabels": {"app": "-web"}},
            f'values[0][app]: Invalid value: "-web": {LABEL_VALUE}',
        ),
        (
            {"matchExpressions": [{"key": "bad key", "operator": "NotIn", "values": []}]},
            f'[key: Invalid value: "bad key": {NAME_PART}, '
            "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty]",
        ),
    ],
)
def test_invalid_metav1_selectors_fail_like_label_selector_as_selector(obj, message):
    with pytest.raises(SelectorError) as err:
        selector_from_label_selector(obj)
    assert str(err.value) == message
