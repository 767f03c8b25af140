"""Static bearer tokens (`--token-auth-file`).

The file is CSV, one token per record: `token,user,uid[,"group1,group2,..."]`; further columns are
ignored. kube-apiserver reads it with Go's encoding/csv, so this module parses the same dialect
rather than Python's more forgiving `csv`: blank lines are skipped, there are no comments, a field
is either bare (and may not contain a quote) or wholly quoted (`""` escapes a quote, the field may
span lines), and a malformed file stops the server with Go's error text. Records with fewer than
three fields are fatal too; an empty token is skipped with a warning, and a duplicated token keeps
its last record.

Requests present the token as `Authorization: Bearer <token>`; the scheme is matched
case-insensitively and the token is the text between the first and second space, as Kubernetes'
bearer-token authenticator does. A bearer token that matches no record is not this
authenticator's: later ones (service accounts, OIDC, ...) may know it, and the union refuses it
("invalid bearer token") when none does, as Kubernetes' token file authenticator leaves it.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from pathlib import Path

from kube_apiserver.authentication.interface import AuthRequest
from kube_apiserver.authentication.user import UserInfo

log = logging.getLogger(__name__)

_BARE_QUOTE = 'bare " in non-quoted-field'
_QUOTE = 'extraneous or missing " in quoted-field'


class TokenFileAuthenticator:
    def __init__(self, tokens: dict[str, UserInfo]) -> None:
        # Keyed by the token's SHA-256 digest: the lookup then leaks timing about a digest, never
        # about the secret itself, which is what a constant-time comparison is there to prevent.
        self._users = {token_digest(token): user for token, user in tokens.items()}

    @classmethod
    def from_file(cls, path: str | Path) -> TokenFileAuthenticator:
        """Load a token file; raises ValueError with kube-apiserver's message if it is malformed."""
        tokens: dict[str, UserInfo] = {}
        for number, record in enumerate(read_go_csv(Path(path).read_bytes()), start=1):
            if len(record) < 3:
                raise ValueError(
                    f"token file '{path}' must have at least 3 columns (token, user name, "
                    f"user uid), found {len(record)}"
                )
            token, name, uid = record[0], record[1], record[2]
            if not token:
                log.warning(
                    "empty token has been found in token file '%s', record number '%d'",
                    path,
                    number,
                )
                continue
            if token in tokens:
                log.warning(
                    "duplicate token has been found in token file '%s', record number '%d'",
                    path,
                    number,
                )
            # Go's strings.Split: an empty fourth column is one empty group, not none.
            groups = tuple(record[3].split(",")) if len(record) >= 4 else ()
            tokens[token] = UserInfo(name=name, uid=uid, groups=groups)
        return cls(tokens)

    async def authenticate(self, req: AuthRequest) -> UserInfo | None:
        token = bearer_token(req.headers)
        if token is None:
            return None
        return self._users.get(token_digest(token))


def bearer_token(headers: Mapping[str, str]) -> str | None:
    """The token of an `Authorization: Bearer <token>` header, or None when there is none."""
    value = headers.get("authorization")
    if not value:
        return None
    parts = value.strip().split(" ")
    if len(parts) < 2 or parts[0].lower() != "bearer" or not parts[1]:
        return None
    return parts[1]


def token_digest(token: str) -> bytes:
    """What a token is looked up by, so tables and caches never hold tokens themselves."""
    return hashlib.sha256(token.encode("utf-8", "surrogateescape")).digest()


def read_go_csv(data: bytes) -> list[list[str]]:
    """Split CSV the way Go's encoding/csv Reader does with its defaults and variable field counts.

    Positions in errors are 1-based lines and byte columns, as Go reports them.
    """
    lines = _go_lines(data)
    records: list[list[str]] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if not line.rstrip(b"\n"):
            continue  # blank lines are not records
        start_line = line_number = index
        fields: list[str] = []
        column = 1
        while True:
            if not line.startswith(b'"'):
                comma = line.find(b",")
                field = line[:comma] if comma >= 0 else line.rstrip(b"\n")
                if (quote := field.find(b'"')) >= 0:
                    raise ValueError(
                        _parse_error(start_line, line_number, column + quote, _BARE_QUOTE)
                    )
                fields.append(_text(field))
                if comma < 0:
                    break
                line = line[comma + 1 :]
                column += comma + 1
                continue
            # A quoted field: runs to the quote that is followed by a comma or the end of line.
            line = line[1:]
            column += 1
            value = b""
            while True:
                quote = line.find(b'"')
                if quote < 0:
                    if index >= len(lines):
                        raise ValueError(
                            _parse_error(start_line, line_number, column + len(line), _QUOTE)
                        )
                    value += line
                    line = lines[index]
                    index += 1
                    line_number += 1
                    column = 1
                    continue
                value += line[:quote]
                line = line[quote + 1 :]
                column += quote + 1
                if line.startswith(b'"'):
                    value += b'"'
                    line = line[1:]
                    column += 1
                elif line.startswith(b","):
                    line = line[1:]
                    column += 1
                    break
                elif line in (b"", b"\n"):
                    break
                else:
                    raise ValueError(_parse_error(start_line, line_number, column - 1, _QUOTE))
            fields.append(_text(value))
            if line in (b"", b"\n"):
                break
        records.append(fields)
    return records


def _go_lines(data: bytes) -> list[bytes]:
    """Lines keeping their "\\n", with "\\r\\n" folded to "\\n" and a final "\\r" dropped, as Go reads them."""
    *complete, last = data.split(b"\n")
    lines = [line[:-1] + b"\n" if line.endswith(b"\r") else line + b"\n" for line in complete]
    if last:
        lines.append(last[:-1] if last.endswith(b"\r") else last)
    return lines


def _parse_error(start_line: int, line: int, column: int, message: str) -> str:
    if start_line != line:
        return (
            f"record on line {start_line}; parse error on line {line}, column {column}: {message}"
        )
    return f"parse error on line {line}, column {column}: {message}"


def _text(field: bytes) -> str:
    return field.decode("utf-8", "surrogateescape")
