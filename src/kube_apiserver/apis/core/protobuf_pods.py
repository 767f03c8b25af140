"""The protobuf wire form of the pod template, shared by every workload kind, and of Pod,
PodTemplate and ReplicationController (core/v1).

kubectl 1.32+ sends pod templates inside the workloads it creates (`create deployment|job|
cronjob`, and `create job --from=cronjob/...`, which copies a CronJob's whole job template), and
whole pods from `debug --copy-to`. Field numbers are those of k8s.io/api/core/v1/generated.proto;
the workload e2e tests send a template using every field described here through kubectl,
except ephemeral containers, which no template or new pod may carry.

Go embeds some structs in others (`json:",inline"`): on the wire the embedded struct is a
nested message, in JSON its fields are the parent's (kind `inline`).
"""

from __future__ import annotations

from kube_apiserver.apimachinery.protobuf import (
    LABEL_SELECTOR,
    OBJECT_META,
    Field,
    Message,
    register_all,
    spec_and_status,
)
from kube_apiserver.apis.core.protobuf import LOCAL_OBJECT_REFERENCE


def _ptr(name: str, kind: str = "string", message: Message | None = None) -> Field:
    """A Go pointer field: its zero was set on purpose and is kept."""
    return Field(name, kind, message, keep_zero=True)


# Key selectors, env sources and projections embed the LocalObjectReference they name.
_LOCAL_REFERENCE = Field("localObjectReference", "inline", LOCAL_OBJECT_REFERENCE)

# ---- environment ---------------------------------------------------------------------------
_OBJECT_FIELD_SELECTOR: Message = {1: Field("apiVersion"), 2: Field("fieldPath")}
_RESOURCE_FIELD_SELECTOR: Message = {
    1: Field("containerName"),
    2: Field("resource"),
    3: Field("divisor", "quantity"),
}
_KEY_SELECTOR: Message = {  # ConfigMapKeySelector and SecretKeySelector
    1: _LOCAL_REFERENCE,
    2: Field("key"),
    3: _ptr("optional", "bool"),
}
_ENV_VAR_SOURCE: Message = {
    1: Field("fieldRef", "message", _OBJECT_FIELD_SELECTOR),
    2: Field("resourceFieldRef", "message", _RESOURCE_FIELD_SELECTOR),
    3: Field("configMapKeyRef", "message", _KEY_SELECTOR),
    4: Field("secretKeyRef", "message", _KEY_SELECTOR),
}
_ENV_VAR: Message = {
    1: Field("name"),
    2: Field("value"),
    3: Field("valueFrom", "message", _ENV_VAR_SOURCE),
}
_ENV_SOURCE: Message = {  # ConfigMapEnvSource and SecretEnvSource
    1: _LOCAL_REFERENCE,
    2: _ptr("optional", "bool"),
}
_ENV_FROM_SOURCE: Message = {
    1: Field("prefix"),
    2: Field("configMapRef", "message", _ENV_SOURCE),
    3: Field("secretRef", "message", _ENV_SOURCE),
}

# ---- probes and lifecycle hooks ------------------------------------------------------------
# HTTPHeader and Sysctl: Go's JSON writes their value even when empty (no omitempty).
_NAME_VALUE: Message = {1: Field("name"), 2: Field("value", keep_zero=True)}
_EXEC_ACTION: Message = {1: Field("command", repeated=True)}
_HTTP_GET_ACTION: Message = {
    1: Field("path"),
    2: Field("port", "intorstring"),
    3: Field("host"),
    4: Field("scheme"),
    5: Field("httpHeaders", "message", _NAME_VALUE, repeated=True),
}
_TCP_SOCKET_ACTION: Message = {1: Field("port", "intorstring"), 2: Field("host")}
_PROBE_HANDLER: Message = {
    1: Field("exec", "message", _EXEC_ACTION),
    2: Field("httpGet", "message", _HTTP_GET_ACTION),
    3: Field("tcpSocket", "message", _TCP_SOCKET_ACTION),
    4: Field("grpc", "message", {1: Field("port", "int"), 2: _ptr("service")}),
}
_PROBE: Message = {
    1: Field("handler", "inline", _PROBE_HANDLER),
    2: Field("initialDelaySeconds", "int"),
    3: Field("timeoutSeconds", "int"),
    4: Field("periodSeconds", "int"),
    5: Field("successThreshold", "int"),
    6: Field("failureThreshold", "int"),
    7: _ptr("terminationGracePeriodSeconds", "int"),
}
_LIFECYCLE_HANDLER: Message = {
    1: Field("exec", "message", _EXEC_ACTION),
    2: Field("httpGet", "message", _HTTP_GET_ACTION),
    3: Field("tcpSocket", "message", _TCP_SOCKET_ACTION),
    4: Field("sleep", "message", {1: Field("seconds", "int")}),
}
_LIFECYCLE: Message = {
    1: Field("postStart", "message", _LIFECYCLE_HANDLER),
    2: Field("preStop", "message", _LIFECYCLE_HANDLER),
}

# ---- security ------------------------------------------------------------------------------
_SE_LINUX_OPTIONS: Message = {
    1: Field("user"),
    2: Field("role"),
    3: Field("type"),
    4: Field("level"),
}
_WINDOWS_OPTIONS: Message = {
    1: _ptr("gmsaCredentialSpecName"),
    2: _ptr("gmsaCredentialSpec"),
    3: _ptr("runAsUserName"),
    4: _ptr("hostProcess", "bool"),
}
_PROFILE: Message = {1: Field("type"), 2: _ptr("localhostProfile")}  # seccomp and AppArmor
_SECURITY_CONTEXT: Message = {
    1: Field(
        "capabilities",
        "message",
        {1: Field("add", repeated=True), 2: Field("drop", repeated=True)},
    ),
    2: _ptr("privileged", "bool"),
    3: Field("seLinuxOptions", "message", _SE_LINUX_OPTIONS),
    4: _ptr("runAsUser", "int"),
    5: _ptr("runAsNonRoot", "bool"),
    6: _ptr("readOnlyRootFilesystem", "bool"),
    7: _ptr("allowPrivilegeEscalation", "bool"),
    8: _ptr("runAsGroup", "int"),
    9: _ptr("procMount"),
    10: Field("windowsOptions", "message", _WINDOWS_OPTIONS),
    11: Field("seccompProfile", "message", _PROFILE),
    12: Field("appArmorProfile", "message", _PROFILE),
}
_POD_SECURITY_CONTEXT: Message = {
    1: Field("seLinuxOptions", "message", _SE_LINUX_OPTIONS),
    2: _ptr("runAsUser", "int"),
    3: _ptr("runAsNonRoot", "bool"),
    4: Field("supplementalGroups", "int", repeated=True),
    5: _ptr("fsGroup", "int"),
    6: _ptr("runAsGroup", "int"),
    7: Field("sysctls", "message", _NAME_VALUE, repeated=True),
    8: Field("windowsOptions", "message", _WINDOWS_OPTIONS),
    9: _ptr("fsGroupChangePolicy"),
    10: Field("seccompProfile", "message", _PROFILE),
    11: Field("appArmorProfile", "message", _PROFILE),
    12: _ptr("supplementalGroupsPolicy"),
    13: _ptr("seLinuxChangePolicy"),
}

# ---- containers ----------------------------------------------------------------------------
_RESOURCE_REQUIREMENTS: Message = {
    1: Field("limits", "map", value="quantity"),
    2: Field("requests", "map", value="quantity"),
    3: Field("claims", "message", {1: Field("name"), 2: Field("request")}, repeated=True),
}
_CONTAINER_PORT: Message = {
    1: Field("name"),
    2: Field("hostPort", "int"),
    3: Field("containerPort", "int"),
    4: Field("protocol"),
    5: Field("hostIP"),
}
_VOLUME_MOUNT: Message = {
    1: Field("name"),
    2: Field("readOnly", "bool"),
    3: Field("mountPath"),
    4: Field("subPath"),
    5: _ptr("mountPropagation"),
    6: Field("subPathExpr"),
    7: _ptr("recursiveReadOnly"),
}
CONTAINER: Message = {
    1: Field("name"),
    2: Field("image"),
    3: Field("command", repeated=True),
    4: Field("args", repeated=True),
    5: Field("workingDir"),
    6: Field("ports", "message", _CONTAINER_PORT, repeated=True),
    7: Field("env", "message", _ENV_VAR, repeated=True),
    8: Field("resources", "message", _RESOURCE_REQUIREMENTS),
    9: Field("volumeMounts", "message", _VOLUME_MOUNT, repeated=True),
    10: Field("livenessProbe", "message", _PROBE),
    11: Field("readinessProbe", "message", _PROBE),
    12: Field("lifecycle", "message", _LIFECYCLE),
    13: Field("terminationMessagePath"),
    14: Field("imagePullPolicy"),
    15: Field("securityContext", "message", _SECURITY_CONTEXT),
    16: Field("stdin", "bool"),
    17: Field("stdinOnce", "bool"),
    18: Field("tty", "bool"),
    19: Field("envFrom", "message", _ENV_FROM_SOURCE, repeated=True),
    20: Field("terminationMessagePolicy"),
    21: Field(
        "volumeDevices", "message", {1: Field("name"), 2: Field("devicePath")}, repeated=True
    ),
    22: Field("startupProbe", "message", _PROBE),
    23: Field(
        "resizePolicy",
        "message",
        {1: Field("resourceName"), 2: Field("restartPolicy")},
        repeated=True,
    ),
    24: _ptr("restartPolicy"),
}
# EphemeralContainerCommon has Container's fields and numbers.
_EPHEMERAL_CONTAINER: Message = {
    1: Field("ephemeralContainerCommon", "inline", CONTAINER),
    2: Field("targetContainerName"),
}

# ---- volumes -------------------------------------------------------------------------------
_KEY_TO_PATH: Message = {1: Field("key"), 2: Field("path"), 3: _ptr("mode", "int")}
_DOWNWARD_API_FILE: Message = {
    1: Field("path"),
    2: Field("fieldRef", "message", _OBJECT_FIELD_SELECTOR),
    3: Field("resourceFieldRef", "message", _RESOURCE_FIELD_SELECTOR),
    4: _ptr("mode", "int"),
}
_OBJECT_PROJECTION: Message = {  # ConfigMapProjection and SecretProjection
    1: _LOCAL_REFERENCE,
    2: Field("items", "message", _KEY_TO_PATH, repeated=True),
    4: _ptr("optional", "bool"),
}
_VOLUME_PROJECTION: Message = {
    1: Field("secret", "message", _OBJECT_PROJECTION),
    2: Field(
        "downwardAPI",
        "message",
        {1: Field("items", "message", _DOWNWARD_API_FILE, repeated=True)},
    ),
    3: Field("configMap", "message", _OBJECT_PROJECTION),
    4: Field(
        "serviceAccountToken",
        "message",
        {1: Field("audience"), 2: _ptr("expirationSeconds", "int"), 3: Field("path")},
    ),
    5: Field(
        "clusterTrustBundle",
        "message",
        {
            1: _ptr("name"),
            2: _ptr("signerName"),
            3: Field("labelSelector", "message", LABEL_SELECTOR),
            4: Field("path"),
            5: _ptr("optional", "bool"),
        },
    ),
}
_VOLUME_SOURCE: Message = {
    1: Field("hostPath", "message", {1: Field("path"), 2: _ptr("type")}),
    2: Field("emptyDir", "message", {1: Field("medium"), 2: Field("sizeLimit", "quantity")}),
    6: Field(
        "secret",
        "message",
        {
            1: Field("secretName"),
            2: Field("items", "message", _KEY_TO_PATH, repeated=True),
            3: _ptr("defaultMode", "int"),
            4: _ptr("optional", "bool"),
        },
    ),
    10: Field(
        "persistentVolumeClaim",
        "message",
        {1: Field("claimName"), 2: Field("readOnly", "bool")},
    ),
    16: Field(
        "downwardAPI",
        "message",
        {
            1: Field("items", "message", _DOWNWARD_API_FILE, repeated=True),
            2: _ptr("defaultMode", "int"),
        },
    ),
    19: Field(
        "configMap",
        "message",
        {
            1: _LOCAL_REFERENCE,
            2: Field("items", "message", _KEY_TO_PATH, repeated=True),
            3: _ptr("defaultMode", "int"),
            4: _ptr("optional", "bool"),
        },
    ),
    26: Field(
        "projected",
        "message",
        {
            1: Field("sources", "message", _VOLUME_PROJECTION, repeated=True),
            2: _ptr("defaultMode", "int"),
        },
    ),
}
_VOLUME: Message = {1: Field("name"), 2: Field("volumeSource", "inline", _VOLUME_SOURCE)}

# ---- scheduling ----------------------------------------------------------------------------
_NODE_SELECTOR_REQUIREMENT: Message = {
    1: Field("key"),
    2: Field("operator"),
    3: Field("values", repeated=True),
}
_NODE_SELECTOR_TERM: Message = {
    1: Field("matchExpressions", "message", _NODE_SELECTOR_REQUIREMENT, repeated=True),
    2: Field("matchFields", "message", _NODE_SELECTOR_REQUIREMENT, repeated=True),
}
_NODE_AFFINITY: Message = {
    1: Field(
        "requiredDuringSchedulingIgnoredDuringExecution",
        "message",
        {1: Field("nodeSelectorTerms", "message", _NODE_SELECTOR_TERM, repeated=True)},
    ),
    2: Field(
        "preferredDuringSchedulingIgnoredDuringExecution",
        "message",
        {1: Field("weight", "int"), 2: Field("preference", "message", _NODE_SELECTOR_TERM)},
        repeated=True,
    ),
}
_POD_AFFINITY_TERM: Message = {
    1: Field("labelSelector", "message", LABEL_SELECTOR),
    2: Field("namespaces", repeated=True),
    3: Field("topologyKey"),
    4: Field("namespaceSelector", "message", LABEL_SELECTOR),
    5: Field("matchLabelKeys", repeated=True),
    6: Field("mismatchLabelKeys", repeated=True),
}
_POD_AFFINITY: Message = {  # PodAffinity and PodAntiAffinity
    1: Field(
        "requiredDuringSchedulingIgnoredDuringExecution",
        "message",
        _POD_AFFINITY_TERM,
        repeated=True,
    ),
    2: Field(
        "preferredDuringSchedulingIgnoredDuringExecution",
        "message",
        {1: Field("weight", "int"), 2: Field("podAffinityTerm", "message", _POD_AFFINITY_TERM)},
        repeated=True,
    ),
}
_AFFINITY: Message = {
    1: Field("nodeAffinity", "message", _NODE_AFFINITY),
    2: Field("podAffinity", "message", _POD_AFFINITY),
    3: Field("podAntiAffinity", "message", _POD_AFFINITY),
}
_TOLERATION: Message = {
    1: Field("key"),
    2: Field("operator"),
    3: Field("value"),
    4: Field("effect"),
    5: _ptr("tolerationSeconds", "int"),
}
_TOPOLOGY_SPREAD_CONSTRAINT: Message = {
    1: Field("maxSkew", "int"),
    2: Field("topologyKey"),
    3: Field("whenUnsatisfiable"),
    4: Field("labelSelector", "message", LABEL_SELECTOR),
    5: _ptr("minDomains", "int"),
    6: _ptr("nodeAffinityPolicy"),
    7: _ptr("nodeTaintsPolicy"),
    8: Field("matchLabelKeys", repeated=True),
}
_DNS_CONFIG: Message = {
    1: Field("nameservers", repeated=True),
    2: Field("searches", repeated=True),
    3: Field("options", "message", {1: Field("name"), 2: _ptr("value")}, repeated=True),
}

# ---- the pod -------------------------------------------------------------------------------
POD_SPEC: Message = {
    1: Field("volumes", "message", _VOLUME, repeated=True),
    2: Field("containers", "message", CONTAINER, repeated=True),
    3: Field("restartPolicy"),
    4: _ptr("terminationGracePeriodSeconds", "int"),
    5: _ptr("activeDeadlineSeconds", "int"),
    6: Field("dnsPolicy"),
    7: Field("nodeSelector", "map"),
    8: Field("serviceAccountName"),
    9: Field("serviceAccount"),
    10: Field("nodeName"),
    11: Field("hostNetwork", "bool"),
    12: Field("hostPID", "bool"),
    13: Field("hostIPC", "bool"),
    14: Field("securityContext", "message", _POD_SECURITY_CONTEXT),
    15: Field("imagePullSecrets", "message", LOCAL_OBJECT_REFERENCE, repeated=True),
    16: Field("hostname"),
    17: Field("subdomain"),
    18: Field("affinity", "message", _AFFINITY),
    19: Field("schedulerName"),
    20: Field("initContainers", "message", CONTAINER, repeated=True),
    21: _ptr("automountServiceAccountToken", "bool"),
    22: Field("tolerations", "message", _TOLERATION, repeated=True),
    23: Field(
        "hostAliases",
        "message",
        {1: Field("ip"), 2: Field("hostnames", repeated=True)},
        repeated=True,
    ),
    24: Field("priorityClassName"),
    25: _ptr("priority", "int"),
    26: Field("dnsConfig", "message", _DNS_CONFIG),
    27: _ptr("shareProcessNamespace", "bool"),
    28: Field("readinessGates", "message", {1: Field("conditionType")}, repeated=True),
    29: _ptr("runtimeClassName"),
    30: _ptr("enableServiceLinks", "bool"),
    31: _ptr("preemptionPolicy"),
    32: Field("overhead", "map", value="quantity"),
    33: Field("topologySpreadConstraints", "message", _TOPOLOGY_SPREAD_CONSTRAINT, repeated=True),
    34: Field("ephemeralContainers", "message", _EPHEMERAL_CONTAINER, repeated=True),
    35: _ptr("setHostnameAsFQDN", "bool"),
    36: Field("os", "message", {1: Field("name")}),
    37: _ptr("hostUsers", "bool"),
    38: Field("schedulingGates", "message", {1: Field("name")}, repeated=True),
    39: Field(
        "resourceClaims",
        "message",
        {1: Field("name"), 3: _ptr("resourceClaimName"), 4: _ptr("resourceClaimTemplateName")},
        repeated=True,
    ),
    40: Field("resources", "message", _RESOURCE_REQUIREMENTS),
}
POD_TEMPLATE_SPEC: Message = {
    1: Field("metadata", "message", OBJECT_META),
    2: Field("spec", "message", POD_SPEC),
}
_REPLICATION_CONTROLLER_SPEC: Message = {
    1: _ptr("replicas", "int"),
    2: Field("selector", "map"),
    3: Field("template", "message", POD_TEMPLATE_SPEC),
    4: Field("minReadySeconds", "int"),
}

MESSAGES: dict[str, Message] = {
    "Pod": spec_and_status(POD_SPEC),
    "PodTemplate": {
        1: Field("metadata", "message", OBJECT_META),
        2: Field("template", "message", POD_TEMPLATE_SPEC),
    },
    "ReplicationController": spec_and_status(_REPLICATION_CONTROLLER_SPEC),
}


def register_messages() -> None:
    register_all("v1", MESSAGES)
