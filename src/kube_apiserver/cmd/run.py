"""Run: build the server from completed options and serve until interrupted.

The order follows kube-apiserver's CreateServerChain: storage, the control plane and its
resources, authentication and authorization, the generic server (health, metrics,
discovery, OpenAPI), the handler chain, then secure serving.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import sys
from pathlib import Path

import orjson

from kube_apiserver import version
from kube_apiserver.cmd.app import ServerRunOptions, settings_summary
from kube_apiserver.cmd.options.storage import StorageOptions
from kube_apiserver.controlplane.instance import ControlPlane
from kube_apiserver.controlplane.resources import SPECS
from kube_apiserver.kubeapiserver.authenticator import build_authenticator
from kube_apiserver.kubeapiserver.authorizer import build_authorizer
from kube_apiserver.openapi.service import OpenAPIService
from kube_apiserver.server import certs, healthz, serve
from kube_apiserver.server.apiserver import APIServer
from kube_apiserver.server.chain import ChainConfig, build_handler_chain
from kube_apiserver.server.discovery import Discovery
from kube_apiserver.server.metrics import Metrics
from kube_apiserver.serviceaccount import discovery
from kube_apiserver.serviceaccount.tokens import ServiceAccountTokens
from kube_apiserver.storage.compact import Compactor
from kube_apiserver.storage.encryption import EncryptionConfig
from kube_apiserver.storage.interface import Storage
from kube_apiserver.storage.sqlite import SQLiteStorage

log = logging.getLogger("kube-apiserver")


HEALTH_CHECK_TIMEOUT_SECONDS = 2.0


async def build_storage(so: StorageOptions, data_dir: Path) -> Storage:
    """The backend the options ask for: the SQLite file, or etcd (with encryption at rest)."""
    if so.storage_backend == "sqlite":
        return SQLiteStorage(data_dir / "kube.db")
    from kube_apiserver.storage.etcd3 import EtcdStorage  # grpc loads only when etcd is used

    transformer = None
    if so.encryption_provider_config:
        config = EncryptionConfig.load(Path(so.encryption_provider_config))
        transformer = config.by_key(
            {s.key_root: (s.resource.name, s.resource.group) for s in SPECS}
        )
    storage = EtcdStorage(
        so.etcd_endpoints(),
        prefix=so.etcd_prefix,
        ca_cert=Path(so.etcd_cafile).read_bytes() if so.etcd_cafile else None,
        cert=Path(so.etcd_certfile).read_bytes() if so.etcd_certfile else None,
        key=Path(so.etcd_keyfile).read_bytes() if so.etcd_keyfile else None,
        transformer=transformer,
    )
    await storage.start()
    log.info("Connected to etcd %s at %s", storage.version, ",".join(so.etcd_servers))
    return storage


async def run(opts: ServerRunOptions) -> None:
    log.info("Version: %s", orjson.dumps(version.info()).decode())
    log.info("Settings: %s", orjson.dumps(settings_summary(opts), default=str).decode())
    data_dir = opts.storage.data_dir
    assert data_dir is not None
    data_dir.mkdir(parents=True, exist_ok=True)
    serving = opts.serving
    host = (
        serving.advertise_address
        if serving.bind_address in ("0.0.0.0", "::")
        else serving.bind_address
    )
    server_url = (
        f"https://{host}:{serving.secure_port}"
        if ":" not in host
        else f"https://[{host}]:{serving.secure_port}"
    )
    pki = certs.ensure_pki(data_dir, server_url=server_url)
    cert_file = Path(serving.tls_cert_file) if serving.tls_cert_file else pki.serving_cert
    key_file = (
        Path(serving.tls_private_key_file) if serving.tls_private_key_file else pki.serving_key
    )
    client_ca = (
        Path(opts.authentication.client_ca_file)
        if opts.authentication.client_ca_file
        else pki.ca_cert
    )

    storage = await build_storage(opts.storage, data_dir)
    tokens = ServiceAccountTokens.from_options(opts.authentication, data_dir)
    authenticator = build_authenticator(opts.authentication, client_ca=client_ca, tokens=tokens)
    authorizer = build_authorizer(opts.authorization)
    plane = ControlPlane(
        storage,
        authenticator=authenticator,
        authorizer=authorizer,
        admission_plugins=opts.admission.plugins,
        runtime_config=opts.api_enablement.resolved,
        service_cluster_ip_range=serving.service_cluster_ip_range,
        service_node_port_range=serving.service_node_port_range,
        min_request_timeout=serving.min_request_timeout,
        advertise=(serving.advertise_address, serving.secure_port),
        identity=(socket.gethostname(), serving.secure_port),
        service_account_tokens=tokens,
        root_ca=pki.ca_cert.read_bytes(),
    )
    await plane.start()
    compactor = Compactor(storage, opts.storage.etcd_compaction_interval)
    compactor.start()

    async def storage_check() -> None:
        async with asyncio.timeout(HEALTH_CHECK_TIMEOUT_SECONDS):
            await storage.current_revision()

    checks = [healthz.ping(), healthz.log_check(), healthz.HealthCheck("etcd", storage_check)]
    health = [
        healthz.HealthEndpoint("healthz", checks),
        healthz.HealthEndpoint("livez", checks),
        healthz.HealthEndpoint(
            "readyz", [*checks, healthz.HealthCheck("informer-sync", plane.ready)]
        ),
    ]
    metrics = Metrics()
    app = APIServer(
        installer=plane.installer,
        discovery=Discovery(plane.resources, server_address=f"{host}:{serving.secure_port}"),
        openapi=OpenAPIService(plane.resources),
        health=health,
        metrics=metrics,
        documents={
            path: (body, discovery.CONTENT_TYPES[path])
            for path, body in tokens.discovery_documents(server_url).items()
        },
    )
    audit_sink = None
    if opts.audit.audit_log_path:
        audit_sink = (
            sys.stdout.buffer
            if opts.audit.audit_log_path == "-"
            else open(opts.audit.audit_log_path, "ab")
        )  # noqa: SIM115
    handler = build_handler_chain(
        app,
        ChainConfig(
            authenticator=authenticator,
            authorizer=authorizer,
            metrics=metrics,
            max_requests_inflight=serving.max_requests_inflight,
            max_mutating_requests_inflight=serving.max_mutating_requests_inflight,
            request_timeout_seconds=serving.request_timeout,
            audit_sink=audit_sink,
        ),
    )
    config = serve.make_config(
        handler,
        host=serving.bind_address,
        port=serving.secure_port,
        cert_file=cert_file,
        key_file=key_file,
        client_ca_file=client_ca,
        requestheader_client_ca_file=(
            Path(opts.authentication.requestheader_client_ca_file)
            if opts.authentication.requestheader_client_ca_file
            else None
        ),
    )
    log.info("Serving securely on %s:%d", serving.bind_address, serving.secure_port)
    print(f"kube-apiserver is ready. To use it:\n  export KUBECONFIG={pki.kubeconfig}", flush=True)
    try:
        await serve.serve(config)
    finally:
        await compactor.stop()
        await plane.stop()
        await storage.close()
