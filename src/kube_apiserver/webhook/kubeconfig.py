"""Where a webhook lives and how to reach it: a kubeconfig file read as client-go reads one.

kube-apiserver points every webhook (token authentication, authorization) at a kubeconfig: the
current context names a cluster (the webhook's `server` URL, posted to as is, and the CA that
signs its certificate) and a user (the client certificate, bearer token or basic credentials the
API server presents). This module reads that file with clientcmd's rules:

- relative file paths are relative to the kubeconfig's directory;
- `-data` fields carry base64 PEM and may not be combined with their file twins;
- no current context (or an empty cluster) is "no configuration has been provided";
- a CA replaces the system roots; `insecure-skip-tls-verify` turns verification off and may not
  be combined with a CA;
- token and basic credentials exclude each other; a client certificate needs its key.

Everything is checked and loaded when the file is read (certificates parsed, key matched to
certificate), so a broken file stops the server at start, never on the first request. Messages
follow client-go's, since operators search for them.
"""

from __future__ import annotations

import base64
import binascii
import os
import ssl
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

IN_CLUSTER_TOKEN = Path("/var/run/secrets/kubernetes.io/serviceaccount/token")
IN_CLUSTER_CA = Path("/var/run/secrets/kubernetes.io/serviceaccount/ca.crt")

_EMPTY_CLUSTER = "cluster has no server defined"
_EMPTY_CONFIG = (
    "no configuration has been provided, try setting KUBERNETES_MASTER environment variable"
)


class KubeconfigError(ValueError):
    """The kubeconfig cannot be used; the message says why, in client-go's words."""


@dataclass(frozen=True)
class ClientConfig:
    server: str  # the URL requests are POSTed to, path included
    ssl: ssl.SSLContext | None  # None for plain http
    tls_server_name: str | None = None
    # The `Authorization` header, when the user has a token or basic credentials.
    authorization: str = ""
    # A token file is read again while the server runs, as client-go does, so rotated
    # (bound service account) tokens keep working.
    token_file: Path | None = None


def load_kubeconfig(path: str | Path) -> ClientConfig:
    """The connection the kubeconfig at `path` describes; KubeconfigError if it is unusable."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise KubeconfigError(f"stat {path}: {(err.strerror or str(err)).lower()}") from err
    try:
        doc = yaml.safe_load(raw) or {}
    except yaml.YAMLError as err:
        raise KubeconfigError(f'error loading config file "{path}": {yaml_problem(err)}') from err
    if not isinstance(doc, dict):
        raise KubeconfigError(f'error loading config file "{path}": not a kubeconfig mapping')
    try:
        clusters = _named(doc, "clusters", "cluster")
        users = _named(doc, "users", "user")
        contexts = _named(doc, "contexts", "context")
    except ValueError as err:
        raise KubeconfigError(f'error loading config file "{path}": {err}') from err

    errors: list[str] = []
    context: dict[str, Any] = {}
    context_name = str(doc.get("current-context") or "")
    if context_name:
        if context_name in contexts:
            context = contexts[context_name]
        else:
            errors.append(f"context was not found for specified context: {context_name}")
    cluster_name = str(context.get("cluster") or "")
    user_name = str(context.get("user") or "")
    cluster = _resolved(clusters.get(cluster_name, {}), path.parent, ("certificate-authority",))
    user = _resolved(
        users.get(user_name, {}), path.parent, ("client-certificate", "client-key", "tokenFile")
    )
    errors += _user_errors(user_name, user)
    errors += _cluster_errors(cluster_name, cluster)
    if errors == [_EMPTY_CLUSTER]:
        errors = [_EMPTY_CONFIG]
    if errors:
        raise KubeconfigError("invalid configuration: " + _aggregate(errors))
    try:
        return _client_config(cluster, user)
    except (ValueError, OSError) as err:
        raise KubeconfigError(f'error loading config file "{path}": {err}') from err


def in_cluster_config() -> ClientConfig:
    """The API server a pod runs beside, as client-go's rest.InClusterConfig finds it."""
    host = os.environ.get("KUBERNETES_SERVICE_HOST", "")
    port = os.environ.get("KUBERNETES_SERVICE_PORT", "")
    if not host or not port:
        raise KubeconfigError(
            "unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and "
            "KUBERNETES_SERVICE_PORT must be defined"
        )
    try:
        token = IN_CLUSTER_TOKEN.read_text().strip()
    except OSError as err:
        raise KubeconfigError(f"open {IN_CLUSTER_TOKEN}: {err.strerror or err}") from err
    ca = IN_CLUSTER_CA.read_bytes() if IN_CLUSTER_CA.is_file() else None
    server = f"https://[{host}]:{port}" if ":" in host else f"https://{host}:{port}"
    return ClientConfig(
        server=server,
        ssl=_ssl_context(ca, insecure=False, cert=None, key=None),
        authorization=f"Bearer {token}",
        token_file=IN_CLUSTER_TOKEN,
    )


def _named(doc: dict[str, Any], section: str, item: str) -> dict[str, dict[str, Any]]:
    """A kubeconfig list of `{name, <item>: {...}}` as a dict by name."""
    out: dict[str, dict[str, Any]] = {}
    for entry in doc.get(section) or []:
        if not isinstance(entry, dict) or not isinstance(entry.get(item) or {}, dict):
            raise ValueError(f"{section}: every entry must be a mapping with a {item} mapping")
        out[str(entry.get("name") or "")] = entry.get(item) or {}
    return out


def _resolved(section: dict[str, Any], base: Path, keys: tuple[str, ...]) -> dict[str, Any]:
    out = dict(section)
    for key in keys:
        value = out.get(key)
        if value and not os.path.isabs(str(value)):
            out[key] = str(base / str(value))
    return out


def _user_errors(name: str, user: dict[str, Any]) -> list[str]:
    errors = []
    if user.get("client-certificate") or user.get("client-certificate-data"):
        if user.get("client-certificate") and user.get("client-certificate-data"):
            errors.append(
                f"client-cert-data and client-cert are both specified for {name}. "
                "client-cert-data will override."
            )
        if user.get("client-key") and user.get("client-key-data"):
            errors.append(
                f"client-key-data and client-key are both specified for {name}; "
                "client-key-data will override"
            )
        if not user.get("client-key") and not user.get("client-key-data"):
            errors.append(
                f"client-key-data or client-key must be specified for {name} to use the "
                "clientCert authentication method."
            )
        for key, label in (("client-certificate", "client-cert"), ("client-key", "client-key")):
            if user.get(key) and (why := _unreadable(user[key])):
                errors.append(f"unable to read {label} {user[key]} for {name} due to {why}")
    methods = []
    if user.get("token") or user.get("tokenFile"):
        methods.append("token")
    if user.get("username") or user.get("password"):
        methods.append("basicAuth")
    if len(methods) > 1:
        errors.append(
            f"more than one authentication method found for {name}; found "
            f"[{' '.join(methods)}], only one is allowed"
        )
    if user.get("exec") or user.get("auth-provider"):
        errors.append(f"user {name}: exec and auth-provider credentials are not supported")
    return errors


def _cluster_errors(name: str, cluster: dict[str, Any]) -> list[str]:
    if not cluster:
        return [_EMPTY_CLUSTER]
    errors = []
    if not cluster.get("server"):
        errors.append(
            f'no server found for cluster "{name}"'
            if name
            else "default cluster has no server defined"
        )
    if cluster.get("certificate-authority") and cluster.get("certificate-authority-data"):
        errors.append(
            f"certificate-authority-data and certificate-authority are both specified for "
            f"{name}. certificate-authority-data will override."
        )
    ca_file = cluster.get("certificate-authority")
    if ca_file and (why := _unreadable(ca_file)):
        errors.append(f"unable to read certificate-authority {ca_file} for {name} due to {why}")
    return errors


def _client_config(cluster: dict[str, Any], user: dict[str, Any]) -> ClientConfig:
    server = str(cluster["server"])
    if "://" not in server:
        server = "https://" + server
    parts = urlsplit(server)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ValueError(f"host must be a URL or a host:port pair: {cluster['server']!r}")
    ca = _pem(cluster, "certificate-authority")
    insecure = bool(cluster.get("insecure-skip-tls-verify"))
    if insecure and ca:
        raise ValueError(
            "specifying a root certificates file with the insecure flag is not allowed"
        )
    cert, key = _pem(user, "client-certificate"), _pem(user, "client-key")
    context = (
        _ssl_context(ca, insecure=insecure, cert=cert, key=key) if parts.scheme == "https" else None
    )
    authorization = ""
    token_file = None
    if user.get("tokenFile"):
        token_file = Path(user["tokenFile"])
        authorization = "Bearer " + token_file.read_text().strip()
    elif user.get("token"):
        authorization = f"Bearer {user['token']}"
    elif user.get("username") or user.get("password"):
        pair = f"{user.get('username', '')}:{user.get('password', '')}".encode()
        authorization = "Basic " + base64.b64encode(pair).decode()
    return ClientConfig(
        server=server,
        ssl=context,
        tls_server_name=cluster.get("tls-server-name") or None,
        authorization=authorization,
        token_file=token_file,
    )


def _pem(section: dict[str, Any], key: str) -> bytes | None:
    """The PEM bytes of `<key>-data` (base64) or of the file `<key>` names; data wins."""
    data = section.get(f"{key}-data")
    if data:
        try:
            return base64.b64decode(str(data), validate=True)
        except binascii.Error as err:
            raise ValueError(f"illegal base64 data in {key}-data") from err
    if section.get(key):
        return Path(section[key]).read_bytes()
    return None


def _ssl_context(
    ca: bytes | None, *, insecure: bool, cert: bytes | None, key: bytes | None
) -> ssl.SSLContext:
    if ca:
        try:
            context = ssl.create_default_context(cadata=ca.decode("ascii", "replace"))
        except (ssl.SSLError, ValueError) as err:
            raise ValueError(
                "unable to load root certificates: unable to parse bytes as PEM block"
            ) from err
    else:
        context = ssl.create_default_context()
    if insecure:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    if cert is not None and key is not None:
        # The ssl module loads certificates from files only; they live just long enough.
        with tempfile.TemporaryDirectory() as tmp:
            cert_path, key_path = Path(tmp, "tls.crt"), Path(tmp, "tls.key")
            cert_path.write_bytes(cert)
            key_path.write_bytes(key)
            try:
                context.load_cert_chain(cert_path, key_path)
            except ssl.SSLError as err:
                if "KEY_VALUES_MISMATCH" in str(err):
                    raise ValueError("tls: private key does not match public key") from err
                raise ValueError(
                    "tls: failed to find any PEM data in certificate or key input"
                ) from err
    return context


def _unreadable(path: str) -> str:
    """Why the file at `path` cannot be opened, as Go words it; "" when it can."""
    try:
        with open(path, "rb"):
            return ""
    except OSError as err:
        return f"open {path}: {(err.strerror or str(err)).lower()}"


def yaml_problem(err: yaml.YAMLError) -> str:
    """A YAML parse error in the words of Go's yaml package: `yaml: line 3: <problem>`."""
    mark = getattr(err, "problem_mark", None)
    problem = getattr(err, "problem", None) or str(err)
    return f"yaml: line {mark.line + 1}: {problem}" if mark is not None else f"yaml: {problem}"


def _aggregate(errors: list[str]) -> str:
    """Kubernetes' error aggregate: one message as is, several bracketed."""
    return errors[0] if len(errors) == 1 else "[" + ", ".join(errors) + "]"
