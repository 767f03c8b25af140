"""Service account tokens end to end, as a user meets them: `kubectl create token`, kubectl
with `--token`, `kubectl auth whoami`, TokenReview, the issuer discovery documents, legacy token
Secrets, and signing keys given by flag and rotated."""

from __future__ import annotations

import base64
import json
import subprocess
from pathlib import Path
from typing import Any

import jwt as pyjwt
from cryptography.hazmat.primitives.asymmetric import ec

from client_certs import pem_private
from conftest import Server, documents, eventually, start_server

ISSUER = "https://kubernetes.default.svc.cluster.local"


def as_token(server: Server, token: str, *args: str) -> subprocess.CompletedProcess:
    """kubectl with nothing but the token (no client certificate) for credentials."""
    kubeconfig = server.user_kubeconfig("token-user", {"token": token})
    return server.kubectl(*args, kubeconfig=kubeconfig, check=False)


def whoami(server: Server, token: str) -> dict[str, Any]:
    result = as_token(server, token, "auth", "whoami", "-o", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["status"]["userInfo"]


def unauthorized(server: Server, token: str) -> bool:
    """Whether the token is refused, with nothing but Kubernetes' bare 401."""
    resp = server.request(
        "GET", "/api/v1/namespaces", headers={"Authorization": f"Bearer {token}"}, client_cert=False
    )
    if resp.status != 401:
        return False
    assert resp.json()["message"] == "Unauthorized" and resp.json()["reason"] == "Unauthorized"
    return True


def apply(server: Server, *objs: dict[str, Any]) -> None:
    server.kubectl("apply", "-f", "-", input=documents(*objs))


def service_account(name: str, ns: str) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "ServiceAccount",
        "metadata": {"name": name, "namespace": ns},
    }


def claims_of(token: str) -> dict[str, Any]:
    return pyjwt.decode(token, options={"verify_signature": False})


def test_create_token_and_use_it(server: Server, ns: str) -> None:
    apply(server, service_account("robot", ns))
    token = server.kubectl("create", "token", "robot", "-n", ns).stdout.strip()
    sa = json.loads(server.kubectl("get", "sa", "robot", "-n", ns, "-o", "json").stdout)
    user = whoami(server, token)
    assert user["username"] == f"system:serviceaccount:{ns}:robot"
    assert user["uid"] == sa["metadata"]["uid"]
    assert user["groups"] == [
        "system:serviceaccounts",
        f"system:serviceaccounts:{ns}",
        "system:authenticated",
    ]
    claims = claims_of(token)
    assert user["extra"] == {"authentication.kubernetes.io/credential-id": [f"JTI={claims['jti']}"]}
    assert claims["aud"] == [ISSUER] and claims["exp"] - claims["iat"] == 3600
    # With AlwaysAllow, the service account may do what it asks.
    listed = as_token(server, token, "get", "serviceaccounts", "-n", ns, "-o", "name")
    assert "serviceaccount/robot" in listed.stdout.split()
    # The default account (made by the server's controller) gets tokens too.
    default = server.kubectl("create", "token", "default", "-n", ns).stdout.strip()
    assert whoami(server, default)["username"] == f"system:serviceaccount:{ns}:default"


def test_create_token_options_and_refusals(server: Server, ns: str) -> None:
    apply(server, service_account("robot", ns))
    token = server.kubectl(
        "create", "token", "robot", "-n", ns, "--audience=vault", "--duration=2h"
    ).stdout.strip()
    claims = claims_of(token)
    assert claims["aud"] == ["vault"] and claims["exp"] - claims["iat"] == 7200
    assert unauthorized(server, token)  # not for this API server's audiences
    short = server.kubectl("create", "token", "robot", "-n", ns, "--duration=5m", check=False)
    assert short.returncode != 0
    assert short.stderr.strip() == (
        'error: failed to create token: TokenRequest.authentication.k8s.io "" is invalid: '
        "spec.expirationSeconds: Invalid value: 300: may not specify a duration less than "
        "10 minutes"
    )
    ghost = server.kubectl("create", "token", "ghost", "-n", ns, check=False)
    assert (
        ghost.stderr.strip() == 'error: failed to create token: serviceaccounts "ghost" not found'
    )
    bound = ["--bound-object-kind=Pod", "--bound-object-name=x"]
    no_pod = server.kubectl("create", "token", "robot", "-n", ns, *bound, check=False)
    assert no_pod.stderr.strip() == 'error: failed to create token: pods "x" not found'


def test_a_pod_bound_token_dies_with_its_pod(server: Server, ns: str) -> None:
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "web", "namespace": ns},
        "spec": {"serviceAccountName": "robot", "containers": [{"name": "c", "image": "nginx"}]},
    }
    apply(server, service_account("robot", ns), pod)
    token = server.kubectl(
        "create", "token", "robot", "-n", ns, "--bound-object-kind=Pod", "--bound-object-name=web"
    ).stdout.strip()
    uid = json.loads(server.kubectl("get", "pod", "web", "-n", ns, "-o", "json").stdout)[
        "metadata"
    ]["uid"]
    extra = whoami(server, token)["extra"]
    assert extra["authentication.kubernetes.io/pod-name"] == ["web"]
    assert extra["authentication.kubernetes.io/pod-uid"] == [uid]
    server.kubectl("delete", "pod", "web", "-n", ns, "--wait=false")
    eventually(lambda: unauthorized(server, token), "the pod's token is refused")
    assert "service account token has been invalidated" in server.logs()


def test_token_review_honours_audiences(server: Server, ns: str) -> None:
    apply(server, service_account("robot", ns))
    token = server.kubectl(
        "create", "token", "robot", "-n", ns, "--audience=vault", f"--audience={ISSUER}"
    ).stdout.strip()

    def review(**spec: Any) -> dict[str, Any]:
        body = {
            "apiVersion": "authentication.k8s.io/v1",
            "kind": "TokenReview",
            "spec": {"token": token, **spec},
        }
        resp = server.request("POST", "/apis/authentication.k8s.io/v1/tokenreviews", body)
        assert resp.status == 201, resp.body
        return resp.json()["status"]

    plain = review()
    assert plain["authenticated"] is True and plain["audiences"] == [ISSUER]
    assert plain["user"]["username"] == f"system:serviceaccount:{ns}:robot"
    assert review(audiences=["other", "vault"])["audiences"] == ["vault"]
    refused = review(audiences=["other"])
    assert "authenticated" not in refused and refused["user"] == {}
    assert refused["error"] == (
        f'token audiences ["vault" "{ISSUER}"] is invalid for the target audiences ["other"]'
    )


def test_issuer_discovery_documents(server: Server, ns: str) -> None:
    apply(server, service_account("robot", ns))
    token = server.kubectl("create", "token", "robot", "-n", ns).stdout.strip()
    config = json.loads(server.kubectl("get", "--raw", "/.well-known/openid-configuration").stdout)
    assert config == {
        "issuer": ISSUER,
        "jwks_uri": f"https://127.0.0.1:{server.port}/openid/v1/jwks",
        "response_types_supported": ["id_token"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
    }
    jwks = json.loads(server.kubectl("get", "--raw", "/openid/v1/jwks").stdout)
    [key] = jwks["keys"]
    assert key["kid"] == pyjwt.get_unverified_header(token)["kid"]
    # A relying party verifies the token with the published key alone.
    public = pyjwt.PyJWK(key).key
    assert pyjwt.decode(token, public, algorithms=["RS256"], audience=ISSUER)["sub"] == (
        f"system:serviceaccount:{ns}:robot"
    )
    for path, content_type in (
        ("/.well-known/openid-configuration", "application/json"),
        ("/openid/v1/jwks", "application/jwk-set+json"),
    ):
        headers = server.request("GET", path).headers
        assert (headers["content-type"], headers["cache-control"]) == (
            content_type,
            "public, max-age=3600",
        )


def test_a_legacy_token_secret_is_filled_and_revoked_by_deleting_it(
    server: Server, ns: str
) -> None:
    secret = {
        "apiVersion": "v1",
        "kind": "Secret",
        "type": "kubernetes.io/service-account-token",
        "metadata": {
            "name": "bot-token",
            "namespace": ns,
            "annotations": {"kubernetes.io/service-account.name": "bot"},
        },
    }
    apply(server, service_account("bot", ns), secret)

    def filled() -> dict[str, Any] | None:
        got = server.request("GET", f"/api/v1/namespaces/{ns}/secrets/bot-token").json()
        return got if "token" in got.get("data", {}) else None

    data = eventually(filled, "the token Secret is filled")["data"]
    assert base64.b64decode(data["namespace"]).decode() == ns
    assert base64.b64decode(data["ca.crt"]) == (server.data_dir / "pki" / "ca.crt").read_bytes()
    token = base64.b64decode(data["token"]).decode()
    assert claims_of(token)["iss"] == "kubernetes/serviceaccount"
    assert whoami(server, token)["username"] == f"system:serviceaccount:{ns}:bot"
    server.kubectl("delete", "secret", "bot-token", "-n", ns)
    eventually(lambda: unauthorized(server, token), "the deleted Secret's token is refused")


def test_a_forged_token_is_unauthorized(server: Server, ns: str) -> None:
    apply(server, service_account("robot", ns))
    token = server.kubectl("create", "token", "robot", "-n", ns).stdout.strip()
    header, payload, signature = token.split(".")
    claims = claims_of(token)
    claims["kubernetes.io"]["serviceaccount"]["name"] = "default"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    assert unauthorized(server, f"{header}.{forged}.{signature}")
    assert unauthorized(server, token[:-4] + "AAAA")
    assert not unauthorized(server, token)


def test_signing_keys_by_flag_and_rotation(tmp_path: Path) -> None:
    """A generated RSA key, then an ES256 key by flag with the old key still verifying, then the
    (kept) RSA key by flag again: tokens live exactly as long as their key is trusted."""
    data = tmp_path / "data"
    ns_obj = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "rot"}}

    def mint(srv: Server) -> str:
        return srv.kubectl("create", "token", "robot", "-n", "rot").stdout.strip()

    first = start_server(data)
    try:
        apply(first, ns_obj, service_account("robot", "rot"))
        rsa_token = mint(first)
    finally:
        first.stop()
    generated = data / "pki" / "sa.key"
    assert pyjwt.get_unverified_header(rsa_token)["alg"] == "RS256"

    ec_key = tmp_path / "ec.key"
    ec_key.write_bytes(pem_private(ec.generate_private_key(ec.SECP256R1())))
    second = start_server(
        data,
        f"--service-account-signing-key-file={ec_key}",
        f"--service-account-key-file={ec_key}",
        f"--service-account-key-file={generated}",
        "--service-account-issuer=https://issuer.example.com",
        f"--service-account-issuer={ISSUER}",
        f"--api-audiences={ISSUER}",
    )
    try:
        ec_token = mint(second)
        assert pyjwt.get_unverified_header(ec_token)["alg"] == "ES256"
        assert claims_of(ec_token)["iss"] == "https://issuer.example.com"
        for token in (rsa_token, ec_token):
            assert whoami(second, token)["username"] == "system:serviceaccount:rot:robot"
        jwks = json.loads(second.kubectl("get", "--raw", "/openid/v1/jwks").stdout)
        assert [k["alg"] for k in jwks["keys"]] == ["ES256", "RS256"]
    finally:
        second.stop()

    third = start_server(
        data,
        f"--service-account-signing-key-file={generated}",
        f"--service-account-issuer={ISSUER}",
        "--service-account-issuer=https://issuer.example.com",
    )
    try:
        assert pyjwt.get_unverified_header(mint(third))["alg"] == "RS256"
        assert whoami(third, rsa_token)["username"] == "system:serviceaccount:rot:robot"
        assert unauthorized(third, ec_token)  # its key is no longer trusted
    finally:
        third.stop()
    assert "invalid signature, no keys found" in third.logs()
