"""A typical application's manifests, applied with kubectl as a user would, and the mistakes
users typically make, refused with Kubernetes' own messages."""

from __future__ import annotations

import json

import pytest

APP = """
apiVersion: v1
kind: ConfigMap
metadata: {name: web-config}
data: {LOG_LEVEL: info}
---
apiVersion: v1
kind: Secret
metadata: {name: web-secret}
stringData: {password: s3cret}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {app: web}}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        ports: [{containerPort: 80}]
        envFrom: [{configMapRef: {name: web-config}}]
        resources: {requests: {cpu: 100m, memory: 64Mi}}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 80}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web}
spec:
  rules:
  - host: web.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend: {service: {name: web, port: {number: 80}}}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  maxReplicas: 5
  metrics:
  - type: Resource
    resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web}
spec:
  minAvailable: 1
  selector: {matchLabels: {app: web}}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: cleanup}
spec:
  schedule: "*/5 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers: [{name: cleanup, image: busybox:1.36, command: [sh, -c, "echo done"]}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress: [{ports: [{port: 80}]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: config-reader}
rules: [{apiGroups: [""], resources: [configmaps], verbs: [get, list, watch]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: config-reader}
subjects: [{kind: ServiceAccount, name: default}]
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: config-reader}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
      - name: db
        image: postgres:16
        volumeMounts: [{name: data, mountPath: /var/lib/postgresql/data}]
  volumeClaimTemplates:
  - metadata: {name: data}
    spec:
      accessModes: [ReadWriteOnce]
      resources: {requests: {storage: 1Gi}}
"""


def get(server, ns: str, *what: str) -> dict:
    return json.loads(server.kubectl("get", *what, "-n", ns, "-o", "json").stdout)


def test_a_typical_application_applies_cleanly_and_reads_back_with_defaults(server, ns):
    out = server.kubectl("apply", "-n", ns, "-f", "-", input=APP).stdout
    assert len([line for line in out.splitlines() if line.endswith(" created")]) == 12, out
    again = server.kubectl("apply", "-n", ns, "-f", "-", input=APP).stdout
    # As against a real cluster, kubectl's three-way patch is empty except where the server's
    # form always differs from the manifest: stringData, the PDB selector (patch strategy
    # "replace"), and atomic lists the server defaults (NetworkPolicy ports' protocol, claim
    # templates).
    changed = {line.split()[0] for line in again.splitlines() if not line.endswith(" unchanged")}
    assert changed <= {
        "secret/web-secret",
        "poddisruptionbudget.policy/web",
        "networkpolicy.networking.k8s.io/web",
        "statefulset.apps/db",
    }, again

    deploy = get(server, ns, "deployment", "web")
    assert deploy["spec"]["replicas"] == 1
    assert deploy["spec"]["strategy"] == {
        "type": "RollingUpdate",
        "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"},
    }
    assert deploy["spec"]["revisionHistoryLimit"] == 10
    assert deploy["spec"]["progressDeadlineSeconds"] == 600
    pod = deploy["spec"]["template"]["spec"]
    assert (pod["restartPolicy"], pod["dnsPolicy"], pod["schedulerName"]) == (
        "Always",
        "ClusterFirst",
        "default-scheduler",
    )
    assert pod["terminationGracePeriodSeconds"] == 30
    container = pod["containers"][0]
    assert container["imagePullPolicy"] == "IfNotPresent"
    assert container["terminationMessagePath"] == "/dev/termination-log"
    assert container["ports"][0]["protocol"] == "TCP"

    svc = get(server, ns, "service", "web")["spec"]
    assert svc["type"] == "ClusterIP" and svc["sessionAffinity"] == "None"
    assert svc["ipFamilies"] == ["IPv4"] and svc["ipFamilyPolicy"] == "SingleStack"
    assert svc["internalTrafficPolicy"] == "Cluster" and svc["clusterIP"]

    hpa = get(server, ns, "hpa", "web")["spec"]
    assert hpa["minReplicas"] == 1
    job = get(server, ns, "cronjob", "cleanup")["spec"]
    assert (job["concurrencyPolicy"], job["suspend"]) == ("Allow", False)
    assert (job["successfulJobsHistoryLimit"], job["failedJobsHistoryLimit"]) == (3, 1)
    assert get(server, ns, "networkpolicy", "web")["spec"]["policyTypes"] == ["Ingress"]
    sts = get(server, ns, "statefulset", "db")["spec"]
    assert sts["podManagementPolicy"] == "OrderedReady"
    assert sts["updateStrategy"] == {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}}
    assert sts["volumeClaimTemplates"][0]["spec"]["volumeMode"] == "Filesystem"

    table = server.kubectl("get", "deploy,svc,ing,hpa,pdb,cronjob,sts", "-n", ns).stdout
    for header in (
        "READY   UP-TO-DATE   AVAILABLE",
        "TYPE        CLUSTER-IP",
        "CLASS    HOSTS",
        "REFERENCE",
        "MIN AVAILABLE",
        "SCHEDULE",
        "READY   AGE",
    ):
        assert header in table, (header, table)


MISTAKES = [
    (
        "a bad image pull policy",
        """apiVersion: v1
kind: Pod
metadata: {name: bad-policy}
spec:
  containers: [{name: c, image: nginx, imagePullPolicy: Sometimes}]
""",
        'The Pod "bad-policy" is invalid: spec.containers[0].imagePullPolicy: Unsupported value: '
        '"Sometimes": supported values: "Always", "IfNotPresent", "Never"',
    ),
    (
        "a selector that does not match the template",
        """apiVersion: apps/v1
kind: Deployment
metadata: {name: mismatch}
spec:
  selector: {matchLabels: {app: one}}
  template:
    metadata: {labels: {app: other}}
    spec: {containers: [{name: c, image: nginx}]}
""",
        'The Deployment "mismatch" is invalid: spec.template.metadata.labels: Invalid value: '
        'map[string]string{"app":"other"}: `selector` does not match template `labels`',
    ),
    (
        "a host port taken twice",
        """apiVersion: v1
kind: Pod
metadata: {name: dup-host-port}
spec:
  containers:
  - {name: a, image: nginx, ports: [{containerPort: 80, hostPort: 8080}]}
  - {name: b, image: nginx, ports: [{containerPort: 81, hostPort: 8080}]}
""",
        'The Pod "dup-host-port" is invalid: spec.containers[1].ports[0].hostPort: Duplicate value: "TCP//8080"',
    ),
]


@pytest.mark.parametrize(("what", "manifest", "message"), MISTAKES, ids=[m[0] for m in MISTAKES])
def test_typical_mistakes_are_refused_with_kubernetes_messages(server, ns, what, manifest, message):
    result = server.kubectl("apply", "-n", ns, "-f", "-", input=manifest, check=False)
    assert result.returncode != 0
    assert message in result.stderr, result.stderr


def test_a_changed_immutable_field_is_refused(server, ns):
    server.kubectl(
        "apply", "-n", ns, "-f", "-", input=MISTAKES[1][1].replace("app: other", "app: one")
    )
    changed = MISTAKES[1][1].replace("app: other", "app: two").replace("{app: one}", "{app: two}")
    result = server.kubectl("apply", "-n", ns, "-f", "-", input=changed, check=False)
    assert result.returncode != 0
    assert (
        'The Deployment "mismatch" is invalid: spec.selector: Invalid value: '
        'v1.LabelSelector{MatchLabels:map[string]string{"app":"two"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: '
        "field is immutable"
    ) in result.stderr, result.stderr


def test_a_duplicate_container_port_is_accepted_with_kubernetes_warning(server, ns):
    # Kubernetes accepts it (clients that do not apply server-side never see an error) and warns.
    manifest = """apiVersion: apps/v1
kind: Deployment
metadata: {name: dup-port}
spec:
  selector: {matchLabels: {app: dup}}
  template:
    metadata: {labels: {app: dup}}
    spec:
      containers:
      - {name: a, image: nginx, ports: [{containerPort: 80}]}
      - {name: b, image: nginx, ports: [{containerPort: 80}]}
"""
    result = server.kubectl("apply", "-n", ns, "-f", "-", input=manifest)
    assert "deployment.apps/dup-port created" in result.stdout
    assert (
        "Warning: spec.template.spec.containers[1].ports[0]: duplicate port definition with "
        "spec.template.spec.containers[0].ports[0]"
    ) in result.stderr
    again = server.kubectl(
        "apply", "-n", ns, "-f", "-", input=manifest.replace("image: nginx}", "image: nginx:2}", 1)
    )
    assert "Warning" not in again.stderr  # an update warns only of what it brings
