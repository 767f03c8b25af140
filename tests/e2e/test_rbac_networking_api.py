"""rbac.authorization.k8s.io, networking.k8s.io and discovery.k8s.io against a real server,
driven by kubectl and raw HTTP: discovery, defaults, tables, validation, immutable fields, the
status subresources, and what kube-apiserver creates itself (the default ServiceCIDR, the
`kubernetes` Service's Endpoints and EndpointSlice)."""

from __future__ import annotations

import json
import uuid

import pytest

from conftest import invalid_causes, start_server

RBAC = "/apis/rbac.authorization.k8s.io/v1"
NETWORKING = "/apis/networking.k8s.io/v1"
DISCOVERY = "/apis/discovery.k8s.io/v1"
MERGE = {"Content-Type": "application/merge-patch+json"}


@pytest.fixture
def suffix() -> str:
    return uuid.uuid4().hex[:6]


def header(table: str) -> list[str]:
    return table.splitlines()[0].split()


def rows(table: str) -> dict[str, list[str]]:
    return {line.split()[0]: line.split() for line in table.splitlines()[1:]}


def get_json(server, *args: str) -> dict:
    return json.loads(server.kubectl("get", *args, "-o", "json").stdout)


# ---------------------------------------------------------------- discovery

EXPECTED = {
    RBAC: {
        "clusterrolebindings": ("ClusterRoleBinding", False, None),
        "clusterroles": ("ClusterRole", False, None),
        "rolebindings": ("RoleBinding", True, None),
        "roles": ("Role", True, None),
    },
    NETWORKING: {
        "ingressclasses": ("IngressClass", False, None),
        "ingresses": ("Ingress", True, ["ing"]),
        "ingresses/status": ("Ingress", True, None),
        "ipaddresses": ("IPAddress", False, ["ip"]),
        "networkpolicies": ("NetworkPolicy", True, ["netpol"]),
        "servicecidrs": ("ServiceCIDR", False, None),
        "servicecidrs/status": ("ServiceCIDR", False, None),
    },
    DISCOVERY: {"endpointslices": ("EndpointSlice", True, None)},
}


def test_discovery_lists_the_resources_1_33_serves(server):
    for path, expected in EXPECTED.items():
        served = {r["name"]: r for r in server.request("GET", path).json()["resources"]}
        assert set(served) == set(expected), path
        for name, (kind, namespaced, short_names) in expected.items():
            entry = served[name]
            assert (entry["kind"], entry["namespaced"]) == (kind, namespaced), name
            assert entry.get("shortNames") == short_names, name
            assert entry.get("categories") is None, name
    # Only v1 is served: the beta IPAddress/ServiceCIDR API is off by default in 1.33.
    assert server.request("GET", "/apis/networking.k8s.io/v1beta1").status == 404


# ---------------------------------------------------------------- rbac

RBAC_YAML = """
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {{name: pod-reader}}
rules:
- apiGroups: [""]
  resources: [pods, pods/log]
  verbs: [get, list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {{name: read-pods}}
roleRef: {{kind: Role, name: pod-reader}}
subjects:
- {{kind: User, name: jane}}
- {{kind: Group, name: devs}}
- {{kind: ServiceAccount, name: builder, namespace: {ns}}}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {{name: monitoring-{suffix}}}
aggregationRule:
  clusterRoleSelectors:
  - matchLabels: {{aggregate-to-monitoring-{suffix}: "true"}}
rules: []
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {{name: health-{suffix}}}
rules:
- nonResourceURLs: [/healthz, /livez]
  verbs: [get]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {{name: health-{suffix}}}
roleRef: {{apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: health-{suffix}}}
subjects:
- {{kind: Group, name: "system:authenticated"}}
"""


def test_rbac_objects_apply_read_back_with_defaults_and_print_as_kubectl_does(server, ns, suffix):
    server.kubectl("apply", "-n", ns, "-f", "-", input=RBAC_YAML.format(ns=ns, suffix=suffix))
    binding = get_json(server, "rolebinding", "read-pods", "-n", ns)
    assert binding["roleRef"] == {
        "apiGroup": "rbac.authorization.k8s.io",
        "kind": "Role",
        "name": "pod-reader",
    }
    assert [s.get("apiGroup") for s in binding["subjects"]] == [
        "rbac.authorization.k8s.io",
        "rbac.authorization.k8s.io",
        None,
    ]
    aggregated = get_json(server, "clusterrole", f"monitoring-{suffix}")
    assert aggregated["aggregationRule"]["clusterRoleSelectors"] == [
        {"matchLabels": {f"aggregate-to-monitoring-{suffix}": "true"}}
    ]

    roles = server.kubectl("get", "roles", "-n", ns).stdout
    assert header(roles) == ["NAME", "CREATED", "AT"]
    assert rows(roles)["pod-reader"][1].endswith("Z")
    wide = server.kubectl("get", "rolebindings", "-n", ns, "-o", "wide").stdout
    assert header(wide) == ["NAME", "ROLE", "AGE", "USERS", "GROUPS", "SERVICEACCOUNTS"]
    assert rows(wide)["read-pods"][:2] == ["read-pods", "Role/pod-reader"]
    assert rows(wide)["read-pods"][3:] == ["jane", "devs", f"{ns}/builder"]
    crb = server.kubectl("get", "clusterrolebinding", f"health-{suffix}", "-o", "wide").stdout
    assert header(crb) == ["NAME", "ROLE", "AGE", "USERS", "GROUPS", "SERVICEACCOUNTS"]
    assert rows(crb)[f"health-{suffix}"][1] == f"ClusterRole/health-{suffix}"
    assert rows(crb)[f"health-{suffix}"][3] == "system:authenticated"


def test_rbac_validation_names_kubernetes_fields_and_messages(server, ns):
    role = {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "Role",
        "metadata": {"name": "bad"},
        "rules": [
            {"apiGroups": [""], "resources": ["pods"]},
            {"nonResourceURLs": ["/x"], "verbs": ["get"]},
        ],
    }
    assert invalid_causes(server.request("POST", f"{RBAC}/namespaces/{ns}/roles", role)) == [
        ("rules[0].verbs", "Required value: verbs must contain at least one value"),
        (
            "rules[1].nonResourceURLs",
            'Invalid value: []string{"/x"}: namespaced rules cannot apply to non-resource URLs',
        ),
    ]
    binding = {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "RoleBinding",
        "metadata": {"name": "bad"},
        "roleRef": {"kind": "Secret", "name": "x"},
        "subjects": [{"kind": "Robot", "name": "r2"}, {"kind": "ServiceAccount"}],
    }
    assert invalid_causes(
        server.request("POST", f"{RBAC}/namespaces/{ns}/rolebindings", binding)
    ) == [
        ("roleRef.kind", 'Unsupported value: "Secret": supported values: "Role", "ClusterRole"'),
        (
            "subjects[0].kind",
            'Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"',
        ),
        ("subjects[1].name", "Required value"),
    ]


def test_a_binding_role_ref_cannot_change(server, ns):
    server.kubectl(
        "apply",
        "-n",
        ns,
        "-f",
        "-",
        input="""
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: rb}
roleRef: {kind: Role, name: first}
subjects: [{kind: ServiceAccount, name: sa}]
""",
    )
    binding = get_json(server, "rolebinding", "rb", "-n", ns)
    binding["roleRef"]["name"] = "second"
    result = server.kubectl("replace", "-f", "-", input=json.dumps(binding), check=False)
    assert result.returncode == 1
    assert (
        'The RoleBinding "rb" is invalid: roleRef: Invalid value: '
        'rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"Role", Name:"second"}: '
        "cannot change roleRef"
    ) in result.stderr


# ---------------------------------------------------------------- networking

NETWORKING_YAML = """
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {{name: nginx-{suffix}}}
spec:
  controller: k8s.io/ingress-nginx
  parameters: {{apiGroup: k8s.example.com, kind: IngressParameters, name: external-lb}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {{name: web}}
spec:
  ingressClassName: nginx-{suffix}
  tls:
  - hosts: [shop.example.com]
    secretName: shop-tls
  rules:
  - host: shop.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend: {{service: {{name: web, port: {{number: 80}}}}}}
      - path: /api
        pathType: Exact
        backend: {{service: {{name: api, port: {{name: http}}}}}}
  - host: admin.example.com
    http:
      paths:
      - {{path: /, pathType: ImplementationSpecific, backend: {{service: {{name: admin, port: {{number: 8080}}}}}}}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {{name: db}}
spec:
  podSelector: {{matchLabels: {{app: db}}}}
  ingress:
  - from:
    - podSelector: {{matchLabels: {{app: web}}}}
    - ipBlock: {{cidr: 10.0.0.0/8, except: [10.1.0.0/16]}}
    ports:
    - port: 5432
  egress:
  - ports: [{{port: 53, protocol: UDP}}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {{name: deny-all}}
spec: {{}}
"""


def test_networking_objects_apply_read_back_with_defaults_and_print_as_kubectl_does(
    server, ns, suffix
):
    server.kubectl("apply", "-n", ns, "-f", "-", input=NETWORKING_YAML.format(suffix=suffix))
    ingress_class = get_json(server, "ingressclass", f"nginx-{suffix}")
    assert ingress_class["spec"]["parameters"]["scope"] == "Cluster"
    ingress = get_json(server, "ing", "web", "-n", ns)
    assert ingress["status"] == {"loadBalancer": {}}
    assert ingress["metadata"]["generation"] == 1
    db = get_json(server, "netpol", "db", "-n", ns)["spec"]
    assert db["policyTypes"] == ["Ingress", "Egress"]
    assert db["ingress"][0]["ports"] == [{"port": 5432, "protocol": "TCP"}]
    deny = get_json(server, "netpol", "deny-all", "-n", ns)["spec"]
    assert deny == {"podSelector": {}, "policyTypes": ["Ingress"]}

    table = server.kubectl("get", "ingress", "-n", ns, "-o", "wide").stdout
    assert header(table) == ["NAME", "CLASS", "HOSTS", "ADDRESS", "PORTS", "AGE"]
    line = table.splitlines()[1]
    assert line.split()[:3] == ["web", f"nginx-{suffix}", "shop.example.com,admin.example.com"]
    assert "80, 443" in line
    classes = server.kubectl("get", "ingressclass", f"nginx-{suffix}").stdout
    assert header(classes) == ["NAME", "CONTROLLER", "PARAMETERS", "AGE"]
    assert rows(classes)[f"nginx-{suffix}"][1:3] == [
        "k8s.io/ingress-nginx",
        "IngressParameters.k8s.example.com/external-lb",
    ]
    policies = server.kubectl("get", "netpol", "-n", ns).stdout
    assert header(policies) == ["NAME", "POD-SELECTOR", "AGE"]
    assert rows(policies)["db"][1] == "app=db"
    assert rows(policies)["deny-all"][1] == "<none>"


def ingress_yaml(name: str, port: int) -> str:
    return f"""
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {{name: {name}}}
spec:
  rules:
  - host: {name}.example.com
    http:
      paths:
      - {{path: /, pathType: Prefix, backend: {{service: {{name: {name}, port: {{number: {port}}}}}}}}}
"""


def test_ingress_status_is_written_through_its_subresource(server, ns):
    server.kubectl("apply", "-n", ns, "-f", "-", input=ingress_yaml("lb", 80))
    path = f"{NETWORKING}/namespaces/{ns}/ingresses/lb"
    status = {"status": {"loadBalancer": {"ingress": [{"ip": "203.0.113.10"}]}}}
    # The main resource ignores status; the subresource takes it and keeps the spec.
    assert server.request("PATCH", path, status, headers=MERGE).json()["status"] == {
        "loadBalancer": {}
    }
    patched = server.request("PATCH", path + "/status", status, headers=MERGE)
    assert patched.status == 200, patched.body
    assert patched.json()["metadata"]["generation"] == 1
    table = server.kubectl("get", "ing", "lb", "-n", ns).stdout
    assert rows(table)["lb"][3] == "203.0.113.10"
    bad = {"status": {"loadBalancer": {"ingress": [{"ip": "not-an-ip"}]}}}
    assert invalid_causes(server.request("PATCH", path + "/status", bad, headers=MERGE)) == [
        (
            "status.loadBalancer.ingress[0].ip",
            'Invalid value: "not-an-ip": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
        )
    ]


def test_networking_validation_names_kubernetes_fields_and_messages(server, ns, suffix):
    ingress = {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": {"name": "bad"},
        "spec": {
            "rules": [
                {
                    "host": "10.1.2.3",
                    "http": {"paths": [{"path": "/", "backend": {"service": {"name": "web"}}}]},
                }
            ]
        },
    }
    assert invalid_causes(
        server.request("POST", f"{NETWORKING}/namespaces/{ns}/ingresses", ingress)
    ) == [
        ("spec.rules[0].host", 'Invalid value: "10.1.2.3": must be a DNS name, not an IP address'),
        ("spec.rules[0].http.paths[0].pathType", "Required value: pathType must be specified"),
    ]
    result = server.kubectl(
        "apply", "-n", ns, "-f", "-", input=ingress_yaml("x", 70000), check=False
    )
    assert result.returncode == 1
    assert (
        'The Ingress "x" is invalid: spec.rules[0].http.paths[0].backend.service.'
        "port.number: Invalid value: 70000: must be between 1 and 65535, inclusive"
    ) in result.stderr
    policy = {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": {"name": "bad"},
        "spec": {
            "podSelector": {},
            "egress": [
                {
                    "to": [{"ipBlock": {"cidr": "10.0.0.0/16", "except": ["10.0.0.0/8"]}}],
                    "ports": [{"port": 90, "endPort": 80}],
                }
            ],
        },
    }
    assert invalid_causes(
        server.request("POST", f"{NETWORKING}/namespaces/{ns}/networkpolicies", policy)
    ) == [
        (
            "spec.egress[0].ports[0].endPort",
            "Invalid value: 80: must be greater than or equal to `port`",
        ),
        (
            "spec.egress[0].to[0].ipBlock.except[0]",
            'Invalid value: "10.0.0.0/8": must be a strict subset of `cidr`',
        ),
    ]
    ingress_class = {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "IngressClass",
        "metadata": {"name": f"bad-{suffix}"},
        "spec": {"controller": "nginx"},
    }
    assert invalid_causes(
        server.request("POST", f"{NETWORKING}/ingressclasses", ingress_class)
    ) == [
        (
            "spec.controller",
            'Invalid value: "nginx": must be a domain-prefixed path (such as "acme.io/foo")',
        )
    ]


def test_an_ingress_class_controller_cannot_change(server, suffix):
    body = {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "IngressClass",
        "metadata": {"name": f"fixed-{suffix}"},
        "spec": {"controller": "example.com/one"},
    }
    assert server.request("POST", f"{NETWORKING}/ingressclasses", body).status == 201
    patch = {"spec": {"controller": "example.com/two"}}
    resp = server.request(
        "PATCH", f"{NETWORKING}/ingressclasses/fixed-{suffix}", patch, headers=MERGE
    )
    assert invalid_causes(resp) == [
        ("spec.controller", 'Invalid value: "example.com/two": field is immutable')
    ]


# ---------------------------------------------------------------- ServiceCIDRs and IPAddresses


def test_the_default_service_cidr_comes_from_the_service_cluster_ip_range(server):
    default = get_json(server, "servicecidr", "kubernetes")
    assert default["spec"] == {"cidrs": ["10.0.0.0/24"]}
    [ready] = default["status"]["conditions"]
    assert {k: ready[k] for k in ("type", "status", "reason", "message")} == {
        "type": "Ready",
        "status": "True",
        "reason": "",
        "message": "Kubernetes default Service CIDR is ready",
    }
    table = server.kubectl("get", "servicecidr", "kubernetes").stdout
    assert header(table) == ["NAME", "CIDRS", "AGE"]
    assert rows(table)["kubernetes"][1] == "10.0.0.0/24"


def test_service_cidrs_validate_strictly_and_keep_their_ranges(server, suffix):
    name = f"extra-{suffix}"
    server.kubectl(
        "apply",
        "-f",
        "-",
        input=f"""
apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata: {{name: {name}}}
spec: {{cidrs: [10.96.0.0/24]}}
""",
    )
    assert get_json(server, "servicecidr", name)["status"] == {}
    path = f"{NETWORKING}/servicecidrs/{name}"
    dual = {"spec": {"cidrs": ["10.96.0.0/24", "fd00:10:96::/112"]}}
    assert server.request("PATCH", path, dual, headers=MERGE).status == 200
    moved = {"spec": {"cidrs": ["10.97.0.0/24", "fd00:10:96::/112"]}}
    assert invalid_causes(server.request("PATCH", path, moved, headers=MERGE)) == [
        ("spec.cidrs[0]", 'Invalid value: "10.97.0.0/24": field is immutable')
    ]
    condition = {
        "type": "Ready",
        "status": "False",
        "reason": "Overlap",
        "message": "m",
        "lastTransitionTime": "2025-01-01T00:00:00Z",
    }
    resp = server.request(
        "PATCH", path + "/status", {"status": {"conditions": [condition]}}, headers=MERGE
    )
    assert resp.status == 200, resp.body
    assert resp.json()["status"]["conditions"][0]["reason"] == "Overlap"
    bad = {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "ServiceCIDR",
        "metadata": {"name": f"bad-{suffix}"},
        "spec": {"cidrs": ["10.98.0.1/24"]},
    }
    assert invalid_causes(server.request("POST", f"{NETWORKING}/servicecidrs", bad)) == [
        (
            "spec.cidrs[0]",
            'Invalid value: "10.98.0.1/24": must not have bits set beyond the prefix length',
        )
    ]


def test_ip_addresses_are_named_by_their_canonical_ip(server, suffix):
    octet = int(suffix[:2], 16)
    name = f"10.250.{octet}.7"
    body = {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "IPAddress",
        "metadata": {"name": name},
        "spec": {
            "parentRef": {
                "group": "",
                "resource": "services",
                "namespace": "default",
                "name": "web",
            }
        },
    }
    assert server.request("POST", f"{NETWORKING}/ipaddresses", body).status == 201
    table = server.kubectl("get", "ip", name).stdout
    assert header(table) == ["NAME", "PARENTREF"]
    assert rows(table)[name] == [name, "services/default/web"]
    patch = {"spec": {"parentRef": {"name": "other"}}}
    resp = server.request("PATCH", f"{NETWORKING}/ipaddresses/{name}", patch, headers=MERGE)
    assert invalid_causes(resp) == [
        (
            "spec.parentRef",
            'Invalid value: networking.ParentReference{Group:"", Resource:"services", '
            'Namespace:"default", Name:"other"}: field is immutable',
        )
    ]
    body["metadata"]["name"] = "2001:DB8::1"
    assert invalid_causes(server.request("POST", f"{NETWORKING}/ipaddresses", body)) == [
        ("metadata.name", 'Invalid value: "2001:DB8::1": must be in canonical form ("2001:db8::1")')
    ]


# ---------------------------------------------------------------- EndpointSlices

SLICE_YAML = """
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: web-abc12
  labels: {kubernetes.io/service-name: web}
addressType: IPv4
ports:
- {name: http, port: 80}
- {port: 9090, protocol: UDP}
endpoints:
- addresses: [10.244.0.5]
  conditions: {ready: true}
  nodeName: node-1
  zone: zone-a
- addresses: [10.244.0.6]
- addresses: [10.244.0.7]
- addresses: [10.244.0.8]
"""


def test_endpoint_slices_read_back_with_defaults_count_generations_and_print(server, ns):
    server.kubectl("apply", "-n", ns, "-f", "-", input=SLICE_YAML)
    slice_ = get_json(server, "endpointslice", "web-abc12", "-n", ns)
    assert slice_["ports"] == [
        {"name": "http", "port": 80, "protocol": "TCP"},
        {"name": "", "port": 9090, "protocol": "UDP"},
    ]
    assert slice_["endpoints"][1] == {"addresses": ["10.244.0.6"], "conditions": {}}
    assert slice_["metadata"]["generation"] == 1
    path = f"{DISCOVERY}/namespaces/{ns}/endpointslices/web-abc12"
    relabeled = server.request("PATCH", path, {"metadata": {"labels": {"x": "y"}}}, headers=MERGE)
    assert relabeled.json()["metadata"]["generation"] == 2
    table = server.kubectl("get", "endpointslices", "-n", ns).stdout
    assert header(table) == ["NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"]
    assert table.splitlines()[1].split()[:6] == [
        "web-abc12",
        "IPv4",
        "80,9090",
        "10.244.0.5,10.244.0.6,10.244.0.7",
        "+",
        "1",
    ]
    change = {"addressType": "IPv6", "endpoints": [{"addresses": ["fd00::1"]}]}
    assert invalid_causes(server.request("PATCH", path, change, headers=MERGE)) == [
        ("addressType", 'Invalid value: "IPv6": field is immutable')
    ]


def test_endpoint_slice_validation_names_kubernetes_fields_and_messages(server, ns):
    body = {
        "apiVersion": "discovery.k8s.io/v1",
        "kind": "EndpointSlice",
        "metadata": {"name": "bad"},
        "addressType": "IPv4",
        "endpoints": [{"addresses": ["fd00::1"]}, {"addresses": []}],
        "ports": [{"name": "http", "port": 80}, {"name": "http", "port": 81}],
    }
    assert invalid_causes(
        server.request("POST", f"{DISCOVERY}/namespaces/{ns}/endpointslices", body)
    ) == [
        ("endpoints[0].addresses[0]", 'Invalid value: "fd00::1": must be a valid IPv4 address'),
        ("endpoints[1].addresses", "Required value: must contain at least 1 address"),
        ("ports[1].name", 'Duplicate value: "http"'),
    ]
    body["addressType"] = "IP"
    body["endpoints"], body["ports"] = [], []
    assert invalid_causes(
        server.request("POST", f"{DISCOVERY}/namespaces/{ns}/endpointslices", body)
    ) == [("addressType", 'Unsupported value: "IP": supported values: "FQDN", "IPv4", "IPv6"')]


# ---------------------------------------------------------------- the kubernetes Service


def test_the_kubernetes_service_has_endpoints_and_an_endpoint_slice(server):
    endpoints = get_json(server, "endpoints", "kubernetes", "-n", "default")
    [subset] = endpoints["subsets"]
    address = subset["addresses"][0]["ip"]
    assert not address.startswith("127.")
    assert subset["ports"] == [{"name": "https", "port": server.port, "protocol": "TCP"}]
    assert endpoints["metadata"]["labels"] == {"endpointslice.kubernetes.io/skip-mirror": "true"}
    slice_ = get_json(server, "endpointslice", "kubernetes", "-n", "default")
    assert slice_["metadata"]["labels"] == {"kubernetes.io/service-name": "kubernetes"}
    assert slice_["addressType"] == "IPv4"
    assert slice_["endpoints"] == [{"addresses": [address], "conditions": {"ready": True}}]
    assert slice_["ports"] == [{"name": "https", "port": server.port, "protocol": "TCP"}]


def test_the_kubernetes_endpoints_follow_the_advertise_address_across_restarts(tmp_path):
    srv = start_server(tmp_path / "data", "--advertise-address=10.20.30.40")
    try:
        slice_ = get_json(srv, "endpointslice", "kubernetes", "-n", "default")
        assert slice_["endpoints"][0]["addresses"] == ["10.20.30.40"]
        # Drift an operator might cause is put right on the next start.
        srv.kubectl("label", "endpoints", "kubernetes", "-n", "default", "extra=1")
    finally:
        srv.stop()
    srv = start_server(tmp_path / "data", "--advertise-address=10.20.30.41", port=srv.port)
    try:
        endpoints = get_json(srv, "endpoints", "kubernetes", "-n", "default")
        assert endpoints["subsets"][0]["addresses"] == [{"ip": "10.20.30.41"}]
        assert endpoints["metadata"]["labels"] == {
            "endpointslice.kubernetes.io/skip-mirror": "true"
        }
        slice_ = get_json(srv, "endpointslice", "kubernetes", "-n", "default")
        assert slice_["endpoints"][0]["addresses"] == ["10.20.30.41"]
        assert slice_["metadata"]["generation"] == 2
    finally:
        srv.stop()


def test_every_cluster_ip_is_an_ipaddress_object_owned_by_its_service(server, ns):
    import time

    svc = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "ipowner"},
        "spec": {"ports": [{"port": 80}]},
    }
    made = server.request("POST", f"/api/v1/namespaces/{ns}/services", svc)
    assert made.status == 201, made.body
    ip = made.json()["spec"]["clusterIP"]
    path = f"/apis/networking.k8s.io/v1/ipaddresses/{ip}"

    def wait_status(code: int) -> dict:
        deadline = time.monotonic() + 10  # the controller follows the watch cache
        while True:
            resp = server.request("GET", path)
            if resp.status == code or time.monotonic() > deadline:
                assert resp.status == code, resp.body
                return resp.json()
            time.sleep(0.05)

    obj = wait_status(200)
    assert obj["spec"]["parentRef"] == {
        "group": "",
        "resource": "services",
        "namespace": ns,
        "name": "ipowner",
    }
    assert obj["metadata"]["labels"] == {
        "ipaddress.kubernetes.io/ip-family": "IPv4",
        "ipaddress.kubernetes.io/managed-by": "ipallocator.k8s.io",
    }
    kubernetes = server.kubectl("get", "ipaddress", "10.0.0.1", "--no-headers").stdout.split()
    assert kubernetes == ["10.0.0.1", "services/default/kubernetes"]
    assert server.request("DELETE", f"/api/v1/namespaces/{ns}/services/ipowner").status == 200
    wait_status(404)
