"""The control plane: the resources served, their stores and caches, and what runs at start.

Built from a storage backend and the completed options; `start` fills the watch caches and
creates the system namespaces, `stop` ends them. It knows resources and storage, not HTTP.
"""

from __future__ import annotations

import asyncio
import copy
import logging
from typing import Any

from kube_apiserver.admission.interface import Chain, Plugin
from kube_apiserver.admission.plugins.namespace_lifecycle import NamespaceLifecycle
from kube_apiserver.admission.plugins.noderestriction import NodeRestriction
from kube_apiserver.admission.plugins.serviceaccount import ServiceAccount
from kube_apiserver.apimachinery import errors
from kube_apiserver.authentication.interface import Authenticator
from kube_apiserver.authorization.interface import Authorizer
from kube_apiserver.controlplane.controllers.apiserver_identity import IdentityLeaseController
from kube_apiserver.controlplane.controllers.clusterrole_aggregation import (
    ClusterRoleAggregationController,
)
from kube_apiserver.controlplane.controllers.garbagecollector import GarbageCollector
from kube_apiserver.controlplane.controllers.ipaddress import IPAddressController
from kube_apiserver.controlplane.controllers.namespace import NamespaceController
from kube_apiserver.controlplane.controllers.root_ca_publisher import RootCAPublisher
from kube_apiserver.controlplane.controllers.serviceaccount_tokens import LegacyTokenController
from kube_apiserver.controlplane.controllers.serviceaccounts import ServiceAccountsController
from kube_apiserver.controlplane.default_service_cidr import ensure_default_service_cidr
from kube_apiserver.controlplane.kubernetes_service import ensure_kubernetes_service
from kube_apiserver.controlplane.resources import BOOTSTRAP, ENDPOINTS, SPECS, VIEWS, enabled
from kube_apiserver.endpoints.handlers.common import Binding
from kube_apiserver.endpoints.installer import APIInstaller
from kube_apiserver.registry.apiregistration.local import sync_local_apiservices
from kube_apiserver.registry.core.ipallocator import ClusterIPAllocator
from kube_apiserver.registry.core.portallocator import DEFAULT_RANGE, NodePortAllocator
from kube_apiserver.registry.core.service import ServiceStrategy
from kube_apiserver.registry.generic.store import Store
from kube_apiserver.registry.provider import store_key
from kube_apiserver.registry.rbac.bootstrap import reconcile_bootstrap_policy
from kube_apiserver.serviceaccount.tokens import ServiceAccountTokens
from kube_apiserver.storage.cacher import Cacher
from kube_apiserver.storage.interface import KeyNotFoundError, Storage

log = logging.getLogger(__name__)

SYSTEM_NAMESPACES = ("default", "kube-system", "kube-public", "kube-node-lease")
ADMISSION_PLUGINS = ("NamespaceLifecycle",)
NAMESPACES_KEY_ROOT = "/registry/namespaces/"


class ControlPlane:
    def __init__(
        self,
        storage: Storage,
        *,
        authenticator: Authenticator,
        authorizer: Authorizer,
        admission_plugins: tuple[str, ...] = ADMISSION_PLUGINS,
        runtime_config: dict[str, bool] | None = None,
        service_cluster_ip_range: str = "10.0.0.0/24",
        service_node_port_range: str = DEFAULT_RANGE,
        min_request_timeout: int = 1800,
        advertise: tuple[str, int] | None = None,
        identity: tuple[str, int] | None = None,
        service_account_tokens: ServiceAccountTokens | None = None,
        root_ca: bytes = b"",
    ) -> None:
        # The token issuer (TokenRequest, legacy token Secrets) and the CA published in every
        # namespace as kube-root-ca.crt.
        self.service_account_tokens = service_account_tokens or ServiceAccountTokens()
        self.root_ca = root_ca
        self.controllers: list[Any] = []
        self.identity = identity  # (host name, port): this server's identity Lease
        self.identity_controller: IdentityLeaseController | None = None
        self.ipaddress_controller: IPAddressController | None = None
        self.advertise = (
            advertise  # (address, port) published in the kubernetes Service's Endpoints
        )
        self.service_cluster_ip_range = service_cluster_ip_range
        self.service_node_port_range = service_node_port_range
        self.storage = storage
        self.installer = APIInstaller(min_request_timeout=min_request_timeout)
        self.cachers: dict[str, Cacher] = {}
        self.stores: dict[str, Store] = {}
        plugins: list[Plugin] = []
        if "NamespaceLifecycle" in admission_plugins:
            plugins.append(NamespaceLifecycle(self._namespace))
        if "ServiceAccount" in admission_plugins:
            plugins.append(ServiceAccount())
        if "NodeRestriction" in admission_plugins:
            plugins.append(NodeRestriction(authorizer))
        self.admission = Chain(plugins)
        self.namespace_controller: NamespaceController | None = None
        self.garbage_collector: GarbageCollector | None = None
        self.specs = [s for s in SPECS if enabled(s.resource, runtime_config or {})]
        served = {s.resource for s in self.specs}
        self.views = [v for v in VIEWS if v[1] in served and enabled(v[0], runtime_config or {})]
        # The review kinds store nothing; they ask the server's authenticator and authorizer.
        self.endpoints = [e for e in ENDPOINTS if enabled(e.resource, runtime_config or {})]
        self.authenticator, self.authorizer = authenticator, authorizer
        self.resources = [s.resource for s in self.specs] + [v[0] for v in self.views]
        self.resources += [e.resource for e in self.endpoints]

    async def _namespace(self, name: str) -> dict[str, Any] | None:
        cacher = self.cachers.get(NAMESPACES_KEY_ROOT)
        cached = cacher.get_cached(NAMESPACES_KEY_ROOT + name) if cacher else None
        if cached is not None:
            return cached.obj
        # Not in the cache yet (just created?): ask the store, as the real plugin does.
        try:
            return (await self.storage.get(NAMESPACES_KEY_ROOT + name)).obj
        except KeyNotFoundError:
            return None

    async def start(self) -> None:
        for spec in self.specs:
            cacher = self.cachers.get(spec.key_root)
            if cacher is None:
                cacher = self.cachers[spec.key_root] = Cacher(self.storage, spec.key_root)
                await cacher.start()
            strategy = spec.strategy(spec.resource)
            if isinstance(strategy, ServiceStrategy):
                strategy.configure(
                    ClusterIPAllocator(self.service_cluster_ip_range, cacher),
                    NodePortAllocator(self.service_node_port_range, cacher),
                )
            store = Store(strategy, cacher, key_root=spec.key_root, admission=self.admission)
            self.stores[store_key(spec.resource)] = store
            subresources = {name: make(strategy) for name, make in spec.subresources.items()}
            self.installer.install(Binding(spec.resource, store, subresources))
        for store in self.stores.values():
            store.strategy.attach(self.stores)
            store.strategy.attach_auth(self.authorizer, self.service_account_tokens)
        # Authenticators, authorizers and admission plugins that read API objects.
        for component in (self.authenticator, self.authorizer, *self.admission.plugins):
            if hasattr(component, "attach"):
                component.attach(self.stores)
        for resource, stored_as, view in self.views:
            converted = view(resource, self.stores[store_key(stored_as)])
            self.installer.install(Binding(resource, converted, converted.subresources))
        for endpoint in self.endpoints:
            rest = endpoint.rest(endpoint.resource, self.authenticator, self.authorizer)
            if hasattr(rest, "attach_auth"):  # TokenReview reads the service account audiences
                rest.attach_auth(self.authorizer, self.service_account_tokens)
            self.installer.install(Binding(endpoint.resource, rest))
        await self._bootstrap_namespaces()
        await self._bootstrap_objects()
        await reconcile_bootstrap_policy(self.stores)
        apiservices = self.stores.get("apiservices.apiregistration.k8s.io")
        if apiservices is not None:
            await sync_local_apiservices(apiservices, self.resources)
        await ensure_default_service_cidr(self.stores, self.service_cluster_ip_range)
        if self.advertise is not None:
            address, port = self.advertise
            await ensure_kubernetes_service(
                self.stores,
                service_cluster_ip_range=self.service_cluster_ip_range,
                address=address,
                port=port,
            )
        namespaces = self.stores.get("namespaces")
        if namespaces is not None:
            self.namespace_controller = NamespaceController(
                namespaces, namespaces.cache, list(self.stores.values())
            )
            self.namespace_controller.start()
        self.garbage_collector = GarbageCollector(list(self.stores.values()))
        self.garbage_collector.start()
        services = self.stores.get("services")
        addresses = self.stores.get("ipaddresses.networking.k8s.io")
        if services is not None and addresses is not None:
            self.ipaddress_controller = IPAddressController(services, addresses)
            self.ipaddress_controller.start()
        # What kube-controller-manager would keep for a cluster's users, kept here since nothing
        # else will: default ServiceAccounts, kube-root-ca.crt, legacy token Secrets, and
        # aggregated ClusterRoles (the last is kube-apiserver's own).
        self.controllers = [
            ServiceAccountsController(self.stores),
            RootCAPublisher(self.stores, root_ca=self.root_ca),
            LegacyTokenController(
                self.stores, tokens=self.service_account_tokens, root_ca=self.root_ca
            ),
            ClusterRoleAggregationController(self.stores),
        ]
        for controller in self.controllers:
            controller.start()
        leases = self.stores.get("leases.coordination.k8s.io")
        if self.identity is not None and leases is not None:
            self.identity_controller = IdentityLeaseController(leases, *self.identity)
            self.identity_controller.start()

    async def _bootstrap_namespaces(self) -> None:
        store = self.stores.get("namespaces")
        if store is None:
            return
        for name in SYSTEM_NAMESPACES:
            try:
                await store.create(
                    "", {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}
                )
                log.info("created system namespace %s", name)
            except errors.StatusError as exc:
                if exc.code != 409:
                    raise

    async def _bootstrap_objects(self) -> None:
        """Create the objects kube-apiserver itself keeps present (bootstrap PriorityClasses, ...)."""
        for resource, obj in BOOTSTRAP:
            store = self.stores.get(store_key(resource))
            if store is None:
                continue
            try:
                await store.create(obj.get("metadata", {}).get("namespace", ""), copy.deepcopy(obj))
            except errors.StatusError as exc:
                if exc.code != 409:
                    raise

    async def ready(self) -> None:
        """Raises unless every watch cache is filled and following its backend."""
        for cacher in self.cachers.values():
            if not cacher.ready.is_set():
                raise RuntimeError(f"watch cache for {cacher.prefix} not ready")

    async def stop(self) -> None:
        for controller in (
            *self.controllers,
            self.namespace_controller,
            self.garbage_collector,
            self.identity_controller,
            self.ipaddress_controller,
        ):
            if controller is not None:
                await controller.stop()
        await asyncio.gather(*(c.stop() for c in self.cachers.values()))
