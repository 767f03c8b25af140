"""The built-in API as a Kubernetes 1.33 cluster serves it, seen through `kubectl api-resources`.

The expected table is what `kubectl api-resources` prints against a default kube-apiserver
1.33 (beta and alpha groups off), kept here as data.
"""

from __future__ import annotations

import pytest

# NAME, SHORTNAMES, APIVERSION, NAMESPACED, KIND: one row per resource, as kubectl prints them.
API_RESOURCES_1_33 = """
bindings                                         v1                                true    Binding
componentstatuses                   cs           v1                                false   ComponentStatus
configmaps                          cm           v1                                true    ConfigMap
endpoints                           ep           v1                                true    Endpoints
events                              ev           v1                                true    Event
limitranges                         limits       v1                                true    LimitRange
namespaces                          ns           v1                                false   Namespace
nodes                               no           v1                                false   Node
persistentvolumeclaims              pvc          v1                                true    PersistentVolumeClaim
persistentvolumes                   pv           v1                                false   PersistentVolume
pods                                po           v1                                true    Pod
podtemplates                                     v1                                true    PodTemplate
replicationcontrollers              rc           v1                                true    ReplicationController
resourcequotas                      quota        v1                                true    ResourceQuota
secrets                                          v1                                true    Secret
serviceaccounts                     sa           v1                                true    ServiceAccount
services                            svc          v1                                true    Service
mutatingwebhookconfigurations                    admissionregistration.k8s.io/v1   false   MutatingWebhookConfiguration
validatingadmissionpolicies                      admissionregistration.k8s.io/v1   false   ValidatingAdmissionPolicy
validatingadmissionpolicybindings                admissionregistration.k8s.io/v1   false   ValidatingAdmissionPolicyBinding
validatingwebhookconfigurations                  admissionregistration.k8s.io/v1   false   ValidatingWebhookConfiguration
customresourcedefinitions           crd,crds     apiextensions.k8s.io/v1           false   CustomResourceDefinition
apiservices                                      apiregistration.k8s.io/v1         false   APIService
controllerrevisions                              apps/v1                           true    ControllerRevision
daemonsets                          ds           apps/v1                           true    DaemonSet
deployments                         deploy       apps/v1                           true    Deployment
replicasets                         rs           apps/v1                           true    ReplicaSet
statefulsets                        sts          apps/v1                           true    StatefulSet
selfsubjectreviews                               authentication.k8s.io/v1          false   SelfSubjectReview
tokenreviews                                     authentication.k8s.io/v1          false   TokenReview
localsubjectaccessreviews                        authorization.k8s.io/v1           true    LocalSubjectAccessReview
selfsubjectaccessreviews                         authorization.k8s.io/v1           false   SelfSubjectAccessReview
selfsubjectrulesreviews                          authorization.k8s.io/v1           false   SelfSubjectRulesReview
subjectaccessreviews                             authorization.k8s.io/v1           false   SubjectAccessReview
horizontalpodautoscalers            hpa          autoscaling/v2                    true    HorizontalPodAutoscaler
cronjobs                            cj           batch/v1                          true    CronJob
jobs                                             batch/v1                          true    Job
certificatesigningrequests          csr          certificates.k8s.io/v1            false   CertificateSigningRequest
leases                                           coordination.k8s.io/v1            true    Lease
endpointslices                                   discovery.k8s.io/v1               true    EndpointSlice
events                              ev           events.k8s.io/v1                  true    Event
flowschemas                                      flowcontrol.apiserver.k8s.io/v1   false   FlowSchema
prioritylevelconfigurations                      flowcontrol.apiserver.k8s.io/v1   false   PriorityLevelConfiguration
ingressclasses                                   networking.k8s.io/v1              false   IngressClass
ingresses                           ing          networking.k8s.io/v1              true    Ingress
ipaddresses                         ip           networking.k8s.io/v1              false   IPAddress
networkpolicies                     netpol       networking.k8s.io/v1              true    NetworkPolicy
servicecidrs                                     networking.k8s.io/v1              false   ServiceCIDR
runtimeclasses                                   node.k8s.io/v1                    false   RuntimeClass
poddisruptionbudgets                pdb          policy/v1                         true    PodDisruptionBudget
clusterrolebindings                              rbac.authorization.k8s.io/v1      false   ClusterRoleBinding
clusterroles                                     rbac.authorization.k8s.io/v1      false   ClusterRole
rolebindings                                     rbac.authorization.k8s.io/v1      true    RoleBinding
roles                                            rbac.authorization.k8s.io/v1      true    Role
priorityclasses                     pc           scheduling.k8s.io/v1              false   PriorityClass
csidrivers                                       storage.k8s.io/v1                 false   CSIDriver
csinodes                                         storage.k8s.io/v1                 false   CSINode
csistoragecapacities                             storage.k8s.io/v1                 true    CSIStorageCapacity
storageclasses                      sc           storage.k8s.io/v1                 false   StorageClass
volumeattachments                                storage.k8s.io/v1                 false   VolumeAttachment
"""

# Resources whose verbs differ from the usual eight, and the categories kubectl shows.
SPECIAL_VERBS = {
    ("v1", "bindings"): "create",
    ("v1", "componentstatuses"): "get,list",
    ("authentication.k8s.io/v1", "tokenreviews"): "create",
    ("authentication.k8s.io/v1", "selfsubjectreviews"): "create",
    ("authorization.k8s.io/v1", "subjectaccessreviews"): "create",
    ("authorization.k8s.io/v1", "selfsubjectaccessreviews"): "create",
    ("authorization.k8s.io/v1", "localsubjectaccessreviews"): "create",
    ("authorization.k8s.io/v1", "selfsubjectrulesreviews"): "create",
}
CATEGORIES = {
    ("v1", "pods"): "all",
    ("v1", "services"): "all",
    ("v1", "replicationcontrollers"): "all",
    ("apps/v1", "deployments"): "all",
    ("apps/v1", "statefulsets"): "all",
    ("apps/v1", "daemonsets"): "all",
    ("apps/v1", "replicasets"): "all",
    ("batch/v1", "jobs"): "all",
    ("batch/v1", "cronjobs"): "all",
    ("autoscaling/v2", "horizontalpodautoscalers"): "all",
    ("admissionregistration.k8s.io/v1", "validatingwebhookconfigurations"): "api-extensions",
    ("apiextensions.k8s.io/v1", "customresourcedefinitions"): "api-extensions",
    ("apiregistration.k8s.io/v1", "apiservices"): "api-extensions",
}


def expected_rows() -> set[tuple[str, str, str, str, str]]:
    rows = set()
    for line in API_RESOURCES_1_33.strip().splitlines():
        cells = line.split()
        if len(cells) == 4:  # no short names
            cells.insert(1, "")
        rows.add(tuple(cells))
    return rows


@pytest.fixture(scope="module")
def wide(server) -> list[list[str]]:
    out = server.kubectl("api-resources", "-o", "wide", "--no-headers").stdout
    return [line.split() for line in out.splitlines() if line.strip()]


def test_kubectl_api_resources_lists_what_a_1_33_cluster_lists(server):
    out = server.kubectl("api-resources", "--no-headers").stdout
    served = set()
    for line in out.splitlines():
        cells = line.split()
        if len(cells) == 4:
            cells.insert(1, "")
        served.add(tuple(cells))
    expected = expected_rows()
    assert sorted(expected - served) == [], "missing or different"
    assert sorted(served - expected) == [], "extra or different"


def test_verbs_and_categories_are_kubernetes_own(server, wide):
    by_key = {}
    for cells in wide:
        # NAME [SHORTNAMES] APIVERSION NAMESPACED KIND VERBS [CATEGORIES]
        version_at = next(i for i, c in enumerate(cells) if c in ("v1",) or "/" in c)
        by_key[(cells[version_at], cells[0])] = cells[version_at + 3 :]
    for key, verbs in SPECIAL_VERBS.items():
        assert by_key[key][0] == verbs, key
    for key, categories in CATEGORIES.items():
        assert by_key[key][1:] == [categories], key
    assert (
        by_key[("v1", "configmaps")][0]
        == "create,delete,deletecollection,get,list,patch,update,watch"
    )


def test_autoscaling_v1_is_served_next_to_v2_for_the_same_objects(server):
    groups = server.request("GET", "/apis/autoscaling").json()
    versions = [v["version"] for v in groups["versions"]]
    assert set(versions) == {"v1", "v2"} and groups["preferredVersion"]["version"] == "v2"
