"""Request-header (front proxy) authentication (`--requestheader-*`).

An authenticating proxy in front of the server (or kube-apiserver's own aggregator in front of
an extension server) connects with a client certificate issued by the request-header CA and
names the user in headers. As in Kubernetes, the certificate is checked first: it must be
issued by a certificate in `--requestheader-client-ca-file` and, when
`--requestheader-allowed-names` is set, carry one of those CNs; anything else is an error (a
later authenticator may still accept the same certificate as a plain client certificate, and
then the headers mean nothing). Only then do the headers count:

- the user is the first non-empty `--requestheader-username-headers` value (no user: no
  credential); the uid likewise from `--requestheader-uid-headers`;
- every non-empty value of every `--requestheader-group-headers` header is a group, one per
  header line (a comma inside a value is part of the group name);
- each header starting with an `--requestheader-extra-headers-prefix` becomes an extra: the
  rest of its name lower-cased and %-unescaped is the key, every value of it a value.

The headers that made the user are then removed from the request, so nothing further on (a
proxy to an aggregated server) can mistake them for the server's own.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, MutableMapping, Sequence
from urllib.parse import unquote

from kube_apiserver.authentication.interface import (
    AuthenticationError,
    Authenticator,
    AuthRequest,
)
from kube_apiserver.authentication.user import UserInfo
from kube_apiserver.authentication.x509 import CABundle, CertificateError, subject_names
from kube_apiserver.cmd.options.authentication import AuthenticationOptions

# A "%" that does not start an escape makes Go's url.PathUnescape fail; the key is then kept.
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")


class RequestHeaderAuthenticator:
    def __init__(
        self,
        proxy_ca: CABundle,
        *,
        allowed_names: Sequence[str] = (),
        username_headers: Sequence[str] = (),
        uid_headers: Sequence[str] = (),
        group_headers: Sequence[str] = (),
        extra_prefixes: Sequence[str] = (),
    ) -> None:
        self._proxy_ca = proxy_ca
        self._allowed_names = frozenset(allowed_names)
        # ASGI header names arrive lower-cased; HTTP header names match case-insensitively.
        self._username_headers = tuple(name.lower() for name in username_headers)
        self._uid_headers = tuple(name.lower() for name in uid_headers)
        self._group_headers = tuple(name.lower() for name in group_headers)
        self._extra_prefixes = tuple(prefix.lower() for prefix in extra_prefixes)
        self._named = frozenset((*self._username_headers, *self._uid_headers, *self._group_headers))

    def carries_credential(self, headers: Mapping[str, str]) -> bool:
        """Whether the request has a header this authenticator reads."""
        return any(self._reads(name) for name in headers)

    async def authenticate(self, req: AuthRequest) -> UserInfo | None:
        if not req.peer_cert_der:
            return None
        try:
            cert = self._proxy_ca.verify(req.peer_cert_der)
        except CertificateError as err:
            raise AuthenticationError(str(err)) from None
        if self._allowed_names:
            common_name, _ = subject_names(cert)
            if common_name not in self._allowed_names:
                raise AuthenticationError(
                    f"x509: subject with cn={common_name} is not in the allowed list"
                )
        lines = [(name.decode("latin-1"), _text(value)) for name, value in req.raw_headers]
        name = _first_value(lines, self._username_headers)
        if not name:
            return None
        user = UserInfo(
            name=name,
            uid=_first_value(lines, self._uid_headers),
            groups=tuple(
                value
                for header in self._group_headers
                for line_name, value in lines
                if line_name == header and value
            ),
            extra=self._extra(lines),
        )
        self._remove_headers(req)
        return user

    def _extra(self, lines: list[tuple[str, str]]) -> dict[str, tuple[str, ...]]:
        extra: dict[str, list[str]] = {}
        # Prefix by prefix, so the values of a key keep the order of the prefixes.
        for prefix in self._extra_prefixes:
            for name, value in lines:
                if name.startswith(prefix):
                    extra.setdefault(_unescape(name[len(prefix) :]), []).append(value)
        return {key: tuple(values) for key, values in extra.items()}

    def _remove_headers(self, req: AuthRequest) -> None:
        req.raw_headers[:] = [
            line for line in req.raw_headers if not self._reads(line[0].decode("latin-1"))
        ]
        if isinstance(req.headers, MutableMapping):
            for name in [name for name in req.headers if self._reads(name)]:
                del req.headers[name]

    def _reads(self, name: str) -> bool:
        """Whether a (lower-cased) header name is one this authenticator takes the user from."""
        return name in self._named or name.startswith(self._extra_prefixes)


def _first_value(lines: list[tuple[str, str]], headers: tuple[str, ...]) -> str:
    """The first line's value of the first header that has one, as Go's Header.Get in turn."""
    for header in headers:
        value = next((value for name, value in lines if name == header), "")
        if value:
            return value
    return ""


def _unescape(key: str) -> str:
    if "%" not in key or _BAD_ESCAPE.search(key):
        return key
    return unquote(key, errors="replace")


def _text(value: bytes) -> str:
    # Go keeps header bytes as they are and its JSON writes invalid UTF-8 as U+FFFD.
    return value.strip(b" \t").decode("utf-8", "replace")


def from_options(opts: AuthenticationOptions) -> list[Authenticator]:
    if not opts.requestheader_client_ca_file:
        return []
    return [
        RequestHeaderAuthenticator(
            CABundle.from_file(opts.requestheader_client_ca_file),
            allowed_names=opts.requestheader_allowed_names,
            username_headers=opts.requestheader_username_headers,
            uid_headers=opts.requestheader_uid_headers,
            group_headers=opts.requestheader_group_headers,
            extra_prefixes=opts.requestheader_extra_headers_prefix,
        )
    ]
