from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from kube_apiserver.authentication.interface import AuthRequest
from kube_apiserver.authentication.token_file import (
    TokenFileAuthenticator,
    bearer_token,
    read_go_csv,
)
from kube_apiserver.authentication.user import UserInfo


def load(tmp_path: Path, content: str | bytes) -> TokenFileAuthenticator:
    path = tmp_path / "tokens.csv"
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return TokenFileAuthenticator.from_file(path)


def user_for(auth: TokenFileAuthenticator, token: str) -> UserInfo | None:
    return asyncio.run(auth.authenticate(AuthRequest(headers={"authorization": f"Bearer {token}"})))


def test_a_record_gives_the_user_name_uid_and_quoted_groups(tmp_path: Path) -> None:
    auth = load(tmp_path, 'secret,alice,1001,"dev,ops"\n')
    assert user_for(auth, "secret") == UserInfo(name="alice", uid="1001", groups=("dev", "ops"))


def test_three_columns_mean_no_groups_and_columns_after_the_fourth_are_ignored(
    tmp_path: Path,
) -> None:
    auth = load(tmp_path, "t1,bob,2\nt2,carol,3,admins,ignored,too\n")
    assert user_for(auth, "t1") == UserInfo(name="bob", uid="2")
    assert user_for(auth, "t2") == UserInfo(name="carol", uid="3", groups=("admins",))


def test_an_empty_group_column_is_one_empty_group_as_in_go(tmp_path: Path) -> None:
    assert user_for(load(tmp_path, "t,bob,2,\n"), "t") == UserInfo(
        name="bob", uid="2", groups=("",)
    )


def test_blank_lines_and_crlf_line_ends_are_accepted(tmp_path: Path) -> None:
    auth = load(tmp_path, "\r\nt1,bob,2\r\n\r\n\nt2,carol,3")
    assert user_for(auth, "t1") == UserInfo(name="bob", uid="2")
    assert user_for(auth, "t2") == UserInfo(name="carol", uid="3")


def test_fewer_than_three_columns_stop_the_server(tmp_path: Path) -> None:
    with pytest.raises(ValueError) as err:
        load(tmp_path, "t1,bob,2\nt2,carol\n")
    path = tmp_path / "tokens.csv"
    assert str(err.value) == (
        f"token file '{path}' must have at least 3 columns (token, user name, user uid), found 2"
    )


def test_a_hash_line_is_not_a_comment(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="found 1$"):
        load(tmp_path, "# tokens\nt1,bob,2\n")


def test_a_record_with_an_empty_token_is_skipped(tmp_path: Path) -> None:
    auth = load(tmp_path, ",nobody,0\nt1,bob,2\n")
    assert user_for(auth, "t1") == UserInfo(name="bob", uid="2")
    assert asyncio.run(auth.authenticate(AuthRequest(headers={"authorization": "Bearer "}))) is None


def test_a_duplicated_token_keeps_its_last_record(tmp_path: Path) -> None:
    auth = load(tmp_path, "t,first,1\nt,second,2\n")
    assert user_for(auth, "t") == UserInfo(name="second", uid="2")


def test_spaces_are_part_of_the_fields(tmp_path: Path) -> None:
    auth = load(tmp_path, "t, bob ,2\n")
    assert user_for(auth, "t") == UserInfo(name=" bob ", uid="2")


def test_a_bare_quote_is_reported_with_go_positions(tmp_path: Path) -> None:
    with pytest.raises(
        ValueError, match='^parse error on line 2, column 5: bare " in non-quoted-field$'
    ):
        load(tmp_path, 't1,bob,2\nt2,b"ob,3\n')


def test_text_after_a_closing_quote_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(
        ValueError,
        match='^parse error on line 1, column 3: extraneous or missing " in quoted-field$',
    ):
        load(tmp_path, '"a"b,bob,2\n')


def test_an_unterminated_quote_reports_where_the_record_started(tmp_path: Path) -> None:
    message = (
        'record on line 1; parse error on line 2, column 5: extraneous or missing " in quoted-field'
    )
    with pytest.raises(ValueError, match="^" + message.replace("(", r"\(") + "$"):
        load(tmp_path, 't,bob,"dev\nops\n')


def test_go_csv_quoting_rules() -> None:
    assert read_go_csv(b'"a ""b""",c\n"multi\nline",x\n') == [['a "b"', "c"], ["multi\nline", "x"]]
    assert read_go_csv(b"a,\n,b") == [["a", ""], ["", "b"]]
    assert read_go_csv(b'"x"\r\n') == [["x"]]


def test_the_bearer_scheme_is_case_insensitive_and_surrounding_space_ignored(
    tmp_path: Path,
) -> None:
    auth = load(tmp_path, "secret,alice,1\n")
    for header in ("bearer secret", "BEARER secret", "  Bearer secret  ", "Bearer secret trailing"):
        user = asyncio.run(auth.authenticate(AuthRequest(headers={"authorization": header})))
        assert user is not None and user.name == "alice", header


def test_requests_without_a_bearer_token_carry_no_credential(tmp_path: Path) -> None:
    auth = load(tmp_path, "secret,alice,1\n")
    for headers in (
        {},
        {"authorization": ""},
        {"authorization": "Basic YTpi"},
        {"authorization": "Bearer"},
        {"authorization": "Bearer  secret"},
    ):
        assert asyncio.run(auth.authenticate(AuthRequest(headers=headers))) is None, headers


def test_an_unknown_bearer_token_is_left_to_the_other_authenticators(tmp_path: Path) -> None:
    auth = load(tmp_path, "secret,alice,1\n")
    assert user_for(auth, "secreT") is None


def test_bearer_token_reads_the_lower_case_authorization_header() -> None:
    assert bearer_token({"authorization": "Bearer abc.def"}) == "abc.def"
    assert bearer_token({"Authorization": "Bearer abc"}) is None
