"""Validation of containers: ports, env, resources, mounts, security context, probes and
lifecycle handlers, and the rules for a pod's containers, init containers and ephemeral
containers as lists (unique names, sidecar restart policies, what ephemeral ones may not set).
"""

from __future__ import annotations

from kube_apiserver.apis.core.formats import (
    _ADDR,
    _HEADER,
    _RANGE,
    PROTOCOLS,
    PULL_POLICIES,
    _each,
    _enum,
    _label,
    _local_descending,
    _nonnegative,
    _port_num_errors,
    _port_num_or_name,
    _subdomain,
    config_key_errors,
    go_pointers,
    go_quote,
    not_found,
    port_name_errors,
)
from kube_apiserver.apis.core.quantities import validate_resource_requirements
from kube_apiserver.apis.core.volumes import (
    _field_selector,
    _resource_selector,
    _volume_devices,
    _volume_mounts,
)
from kube_apiserver.apis.meta.field import (
    FieldError,
    duplicate,
    forbidden,
    invalid,
    invalid_rendered,
    not_supported,
    path,
    required,
    too_long,
)
from kube_apiserver.apis.meta.unstructured import (
    get_bool,
    get_dict,
    get_dicts,
    get_int,
    get_str,
    get_strs,
    is_set,
)

# ---------------------------------------------------------------- containers

_ENV_FIELD_PATHS = [
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
    "spec.nodeName",
    "spec.serviceAccountName",
    "status.hostIP",
    "status.hostIPs",
    "status.podIP",
    "status.podIPs",
]


def _container_ports(ports: list[dict], fld: str) -> list[FieldError]:
    errs: list[FieldError] = []
    names: set[str] = set()
    for i, port in enumerate(ports):
        p = path(fld, i)
        name = get_str(port, "name")
        if name:
            if msgs := port_name_errors(name):
                errs += _each(path(p, "name"), name, msgs)
            elif name in names:
                errs.append(duplicate(path(p, "name"), name))
            else:
                names.add(name)
        cp, hp = get_int(port, "containerPort") or 0, get_int(port, "hostPort") or 0
        if cp == 0:
            errs.append(required(path(p, "containerPort")))
        else:
            errs += _each(path(p, "containerPort"), cp, _port_num_errors(cp))
        if hp:
            errs += _each(path(p, "hostPort"), hp, _port_num_errors(hp))
        errs += _enum(path(p, "protocol"), get_str(port, "protocol"), PROTOCOLS)
    return errs


def _env_name(fld: str, name: str) -> list[FieldError]:
    # RelaxedEnvironmentVariableValidation is on by default in 1.33.
    if any(ord(c) > 126 or ord(c) < 32 or c == "=" for c in name):
        return [
            invalid(
                fld,
                name,
                "a valid environment variable name must consist only of printable ASCII "
                "characters other than '='",
            )
        ]
    return []


def _key_selector(sel: dict, fld: str) -> list[FieldError]:
    errs = _subdomain(path(fld, "name"), get_str(sel, "name"))
    key = get_str(sel, "key")
    return errs + (
        [required(path(fld, "key"))]
        if not key
        else _each(path(fld, "key"), key, config_key_errors(key))
    )


def _env(env: list[dict], fld: str) -> list[FieldError]:
    errs: list[FieldError] = []
    for i, ev in enumerate(env):
        p = path(fld, i)
        name = get_str(ev, "name")
        errs += [required(path(p, "name"))] if not name else _env_name(path(p, "name"), name)
        if not is_set(ev, "valueFrom"):
            continue
        vf, vp = get_dict(ev, "valueFrom"), path(p, "valueFrom")
        sources = [
            k
            for k in ("fieldRef", "resourceFieldRef", "configMapKeyRef", "secretKeyRef")
            if is_set(vf, k)
        ]
        for k in sources:
            if k == "fieldRef":
                errs += _field_selector(get_dict(vf, k), _ENV_FIELD_PATHS, path(vp, k))
            elif k == "resourceFieldRef":
                errs += _resource_selector(get_dict(vf, k), path(vp, k), volume=False)
            else:
                errs += _key_selector(get_dict(vf, k), path(vp, k))
        if not sources:
            errs.append(
                invalid(
                    vp,
                    "",
                    "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` "
                    "or `secretKeyRef`",
                )
            )
        elif get_str(ev, "value"):
            errs.append(invalid(vp, "", "may not be specified when `value` is not empty"))
        elif len(sources) > 1:
            errs.append(invalid(vp, "", "may not have more than one field specified at a time"))
    return errs


def _env_from(sources: list[dict], fld: str) -> list[FieldError]:
    errs: list[FieldError] = []
    for i, src in enumerate(sources):
        p = path(fld, i)
        if get_str(src, "prefix"):
            errs += _env_name(path(p, "prefix"), get_str(src, "prefix"))
        refs = [k for k in ("configMapRef", "secretRef") if is_set(src, k)]
        for k in refs:
            name = get_str(get_dict(src, k), "name")
            errs += (
                [required(path(p, k, "name"))] if not name else _subdomain(path(p, k, "name"), name)
            )
        if not refs:
            errs.append(invalid(fld, "", "must specify one of: `configMapRef` or `secretRef`"))
        elif len(refs) > 1:
            errs.append(invalid(fld, "", "may not have more than one field specified at a time"))
    return errs


def _resize_policy(policies: list[dict], fld: str, restart_policy: str) -> list[FieldError]:
    errs: list[FieldError] = []
    seen: set[str] = set()
    for i, pol in enumerate(policies):
        res, rp = get_str(pol, "resourceName"), get_str(pol, "restartPolicy")
        if res in seen:
            errs.append(duplicate(path(fld, i), res))
        seen.add(res)
        errs += _enum(fld, res, ["cpu", "memory"])
        errs += _enum(fld, rp, ["NotRequired", "RestartContainer"])
        if restart_policy == "Never" and rp != "NotRequired":
            errs.append(invalid(fld, rp, "must be 'NotRequired' when `restartPolicy` is 'Never'"))
    return errs


def _ids(sc: dict, fld: str, keys: tuple[str, ...]) -> list[FieldError]:
    errs: list[FieldError] = []
    for k in keys:
        v = get_int(sc, k)
        if v is not None and not 0 <= v <= 0xFFFFFFFF:
            errs.append(invalid(path(fld, k), v, _RANGE.format(0, 4294967295)))
    return errs


def _seccomp(sp: dict | None, fld: str) -> list[FieldError]:
    if sp is None:
        return []
    t = get_str(sp, "type")
    errs: list[FieldError] = []
    if t == "":
        errs.append(required(path(fld, "type"), "type is required when seccompProfile is set"))
    elif t not in ("Localhost", "RuntimeDefault", "Unconfined"):
        errs.append(
            not_supported(path(fld, "type"), t, ["Localhost", "RuntimeDefault", "Unconfined"])
        )
    if t == "Localhost":
        if not is_set(sp, "localhostProfile"):
            errs.append(
                required(
                    path(fld, "localhostProfile"), "must be set when seccomp type is Localhost"
                )
            )
        else:
            errs += _local_descending(
                path(fld, "localhostProfile"), get_str(sp, "localhostProfile")
            )
    elif is_set(sp, "localhostProfile"):
        rendered = f"core.SeccompProfile{{Type:{go_quote(t)}, LocalhostProfile:(*string)({_ADDR})}}"
        errs.append(
            invalid_rendered(
                path(fld, "localhostProfile"),
                rendered,
                "can only be set when seccomp type is Localhost",
            )
        )
    return errs


def _apparmor(ap: dict | None, fld: str) -> list[FieldError]:
    if ap is None:
        return []
    t, lp = get_str(ap, "type"), get_str(ap, "localhostProfile")
    if t == "Localhost":
        lp_path = path(fld, "localhostProfile")
        if not is_set(ap, "localhostProfile"):
            return [required(lp_path, "must be set when AppArmor type is Localhost")]
        errs = []
        if lp.strip() != lp:
            errs.append(invalid(lp_path, lp, "must not be padded with whitespace"))
        elif not lp:
            errs.append(required(lp_path, "must be set when AppArmor type is Localhost"))
        return errs + ([too_long(lp_path, 4095)] if len(lp) > 4095 else [])
    if t in ("RuntimeDefault", "Unconfined"):
        return (
            [
                invalid(
                    path(fld, "localhostProfile"),
                    lp,
                    "can only be set when AppArmor type is Localhost",
                )
            ]
            if is_set(ap, "localhostProfile")
            else []
        )
    if t == "":
        return [required(path(fld, "type"), "type is required when appArmorProfile is set")]
    return [not_supported(path(fld, "type"), t, ["Localhost", "RuntimeDefault", "Unconfined"])]


_SC_FIELDS = [
    ("capabilities", "Capabilities", "core.Capabilities"),
    ("privileged", "Privileged", "bool"),
    ("seLinuxOptions", "SELinuxOptions", "core.SELinuxOptions"),
    ("windowsOptions", "WindowsOptions", "core.WindowsSecurityContextOptions"),
    ("runAsUser", "RunAsUser", "int64"),
    ("runAsGroup", "RunAsGroup", "int64"),
    ("runAsNonRoot", "RunAsNonRoot", "bool"),
    ("readOnlyRootFilesystem", "ReadOnlyRootFilesystem", "bool"),
    ("allowPrivilegeEscalation", "AllowPrivilegeEscalation", "bool"),
    ("procMount", "ProcMount", "core.ProcMountType"),
    ("seccompProfile", "SeccompProfile", "core.SeccompProfile"),
    ("appArmorProfile", "AppArmorProfile", "core.AppArmorProfile"),
]


def _container_security_context(sc: dict | None, fld: str, host_users: bool) -> list[FieldError]:
    if sc is None:
        return []
    errs = _ids(sc, fld, ("runAsUser", "runAsGroup"))
    if is_set(sc, "procMount"):
        pm = get_str(sc, "procMount")
        if pm not in ("Default", "Unmasked"):
            errs.append(not_supported(path(fld, "procMount"), pm, ["Default", "Unmasked"]))
        if host_users and pm == "Unmasked":
            errs.append(
                invalid(path(fld, "procMount"), pm, "`hostUsers` must be false to use `Unmasked`")
            )
    errs += _seccomp(
        get_dict(sc, "seccompProfile") if is_set(sc, "seccompProfile") else None,
        path(fld, "seccompProfile"),
    )
    if sc.get("allowPrivilegeEscalation") is False:
        rendered = go_pointers("core.SecurityContext", sc, _SC_FIELDS)
        if get_bool(sc, "privileged"):
            errs.append(
                invalid_rendered(
                    fld,
                    rendered,
                    "cannot set `allowPrivilegeEscalation` to false and `privileged` to true",
                )
            )
        if "CAP_SYS_ADMIN" in get_strs(get_dict(sc, "capabilities"), "add"):
            errs.append(
                invalid_rendered(
                    fld,
                    rendered,
                    "cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` "
                    "CAP_SYS_ADMIN",
                )
            )
    return errs + _apparmor(
        get_dict(sc, "appArmorProfile") if is_set(sc, "appArmorProfile") else None,
        path(fld, "appArmorProfile"),
    )


def _handler(h: dict, kinds: tuple[str, ...], grace: int | None, fld: str) -> list[FieldError]:
    errs: list[FieldError] = []
    count = 0
    for kind in kinds:
        if not is_set(h, kind):
            continue
        kp, action = path(fld, kind), get_dict(h, kind)
        if count:
            errs.append(forbidden(kp, "may not specify more than 1 handler type"))
            continue
        count += 1
        if kind == "exec" and not get_strs(action, "command"):
            errs.append(required(path(kp, "command")))
        elif kind == "httpGet":
            if not get_str(action, "path"):
                errs.append(required(path(kp, "path")))
            errs += _port_num_or_name(action.get("port"), path(kp, "port"))
            if get_str(action, "scheme") not in ("HTTP", "HTTPS"):
                errs.append(
                    not_supported(path(kp, "scheme"), get_str(action, "scheme"), ["HTTP", "HTTPS"])
                )
            for header in get_dicts(action, "httpHeaders"):
                if not _HEADER.fullmatch(get_str(header, "name")):
                    errs.append(
                        invalid(
                            path(kp, "httpHeaders"),
                            get_str(header, "name"),
                            "a valid HTTP header must consist of alphanumeric characters or '-' (e.g. "
                            "'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')",
                        )
                    )
        elif kind in ("tcpSocket", "grpc"):
            port = action.get("port")
            errs += _port_num_or_name(
                port if kind == "tcpSocket" else (get_int(action, "port") or 0), path(kp, "port")
            )
        elif kind == "sleep":
            secs = get_int(action, "seconds") or 0
            if grace is not None and not 0 <= secs <= grace:
                errs.append(
                    invalid(
                        kp,
                        secs,
                        "must be non-negative and less than terminationGracePeriodSeconds "
                        f"({grace})",
                    )
                )
    if count == 0:
        errs.append(required(fld, "must specify a handler type"))
    return errs


def _probe(probe: dict | None, grace: int | None, fld: str, kind: str) -> list[FieldError]:
    if probe is None:
        return []
    errs = _handler(probe, ("exec", "httpGet", "tcpSocket", "grpc"), grace, fld)
    for k in (
        "initialDelaySeconds",
        "timeoutSeconds",
        "periodSeconds",
        "successThreshold",
        "failureThreshold",
    ):
        errs += _nonnegative(path(fld, k), get_int(probe, k))
    tg = get_int(probe, "terminationGracePeriodSeconds")
    if tg is not None and tg <= 0:
        errs.append(
            invalid(path(fld, "terminationGracePeriodSeconds"), tg, "must be greater than 0")
        )
    if kind in ("liveness", "startup") and (get_int(probe, "successThreshold") or 0) != 1:
        errs.append(
            invalid(
                path(fld, "successThreshold"), get_int(probe, "successThreshold") or 0, "must be 1"
            )
        )
    if kind == "readiness" and is_set(probe, "terminationGracePeriodSeconds"):
        errs.append(
            invalid(
                path(fld, "terminationGracePeriodSeconds"),
                tg,
                "must not be set for readinessProbes",
            )
        )
    return errs


def _lifecycle_and_probes(c: dict, grace: int | None, fld: str) -> list[FieldError]:
    errs: list[FieldError] = []
    lc = get_dict(c, "lifecycle")
    for hook in ("postStart", "preStop"):
        if is_set(lc, hook):
            errs += _handler(
                get_dict(lc, hook),
                ("exec", "httpGet", "tcpSocket", "sleep"),
                grace,
                path(fld, "lifecycle", hook),
            )
    for kind in ("liveness", "readiness", "startup"):
        key = kind + "Probe"
        errs += _probe(get_dict(c, key) if is_set(c, key) else None, grace, path(fld, key), kind)
    return errs


def _container_common(
    c: dict,
    volumes: dict[str, dict],
    claim_names: set[str],
    fld: str,
    restart_policy: str,
    host_users: bool,
) -> list[FieldError]:
    errs: list[FieldError] = []
    name = get_str(c, "name")
    errs += [required(path(fld, "name"))] if not name else _label(path(fld, "name"), name)
    if not get_str(c, "image"):
        errs.append(required(path(fld, "image")))
    errs += _enum(
        path(fld, "terminationMessagePolicy"),
        get_str(c, "terminationMessagePolicy"),
        ["File", "FallbackToLogsOnError"],
    )
    mounts = {get_str(m, "name"): get_str(m, "mountPath") for m in get_dicts(c, "volumeMounts")}
    devices = {get_str(d, "name"): get_str(d, "devicePath") for d in get_dicts(c, "volumeDevices")}
    errs += _container_ports(get_dicts(c, "ports"), path(fld, "ports"))
    errs += _env(get_dicts(c, "env"), path(fld, "env"))
    errs += _env_from(get_dicts(c, "envFrom"), path(fld, "envFrom"))
    privileged = get_bool(get_dict(c, "securityContext"), "privileged")
    errs += _volume_mounts(
        get_dicts(c, "volumeMounts"), devices, volumes, privileged, path(fld, "volumeMounts")
    )
    errs += _volume_devices(
        get_dicts(c, "volumeDevices"), mounts, volumes, path(fld, "volumeDevices")
    )
    errs += _enum(path(fld, "imagePullPolicy"), get_str(c, "imagePullPolicy"), PULL_POLICIES)
    errs += validate_resource_requirements(
        get_dict(c, "resources"), claim_names, path(fld, "resources")
    )
    errs += _resize_policy(get_dicts(c, "resizePolicy"), path(fld, "resizePolicy"), restart_policy)
    return errs + _container_security_context(
        get_dict(c, "securityContext") if is_set(c, "securityContext") else None,
        path(fld, "securityContext"),
        host_users,
    )


def _host_port_conflicts(containers: list[dict], fld: str) -> list[FieldError]:
    errs: list[FieldError] = []
    seen: set[str] = set()
    for ci, c in enumerate(containers):
        for pi, port in enumerate(get_dicts(c, "ports")):
            hp = get_int(port, "hostPort") or 0
            if hp:
                key = f"{get_str(port, 'protocol')}/{get_str(port, 'hostIP')}/{hp}"
                if key in seen:
                    errs.append(duplicate(path(fld, ci, "ports", pi, "hostPort"), key))
                seen.add(key)
    return errs


# ---------------------------------------------------------------- the pod's container lists

_EPHEMERAL_FORBIDDEN = [
    "ports",
    "resources",
    "resizePolicy",
    "lifecycle",
    "livenessProbe",
    "readinessProbe",
    "startupProbe",
    "restartPolicy",
]


def _containers(
    containers: list[dict],
    volumes: dict[str, dict],
    claims: set[str],
    grace: int | None,
    fld: str,
    restart_policy: str,
    host_users: bool,
) -> list[FieldError]:
    if not containers:
        return [required(fld)]
    errs: list[FieldError] = []
    names: set[str] = set()
    for i, c in enumerate(containers):
        p = path(fld, i)
        errs += _container_common(c, volumes, claims, p, restart_policy, host_users)
        if get_str(c, "name") in names:
            errs.append(duplicate(path(p, "name"), get_str(c, "name")))
        names.add(get_str(c, "name"))
        errs += _lifecycle_and_probes(c, grace, p)
        if is_set(c, "restartPolicy"):
            errs.append(
                forbidden(path(p, "restartPolicy"), "may not be set for non-init containers")
            )
    return errs + _host_port_conflicts(containers, fld)


def _init_containers(
    inits: list[dict],
    regular: list[dict],
    volumes: dict[str, dict],
    claims: set[str],
    grace: int | None,
    fld: str,
    restart_policy: str,
    host_users: bool,
) -> list[FieldError]:
    errs: list[FieldError] = []
    names = {get_str(c, "name") for c in regular}
    for i, c in enumerate(inits):
        p = path(fld, i)
        errs += _container_common(c, volumes, claims, p, restart_policy, host_users)
        always = False
        if is_set(c, "restartPolicy"):
            rp = get_str(c, "restartPolicy")
            always = rp == "Always"
            if not always:
                errs.append(not_supported(path(p, "restartPolicy"), rp, ["Always"]))
        if get_str(c, "name") in names:
            errs.append(duplicate(path(p, "name"), get_str(c, "name")))
        elif get_str(c, "name"):
            names.add(get_str(c, "name"))
        errs += _host_port_conflicts([c], fld)
        if always:
            errs += _lifecycle_and_probes(c, grace, p)
        else:
            for k in ("lifecycle", "livenessProbe", "readinessProbe", "startupProbe"):
                if is_set(c, k):
                    errs.append(
                        forbidden(
                            path(p, k),
                            "may not be set for init containers without restartPolicy=Always",
                        )
                    )
    return errs


def _ephemeral_containers(
    ephemeral: list[dict],
    others: list[dict],
    volumes: dict[str, dict],
    claims: set[str],
    fld: str,
    restart_policy: str,
    host_users: bool,
) -> list[FieldError]:
    errs: list[FieldError] = []
    other_names = {get_str(c, "name") for c in others}
    names = set(other_names)
    for i, c in enumerate(ephemeral):
        p = path(fld, i)
        errs += _container_common(c, volumes, claims, p, restart_policy, host_users)
        errs += _image_whitespace(c, p)
        if get_str(c, "name") in names:
            errs.append(duplicate(path(p, "name"), get_str(c, "name")))
        names.add(get_str(c, "name"))
        target = get_str(c, "targetContainerName")
        if target and target not in other_names:
            errs.append(not_found(path(p, "targetContainerName"), target))
        errs += [
            forbidden(path(p, k), "cannot be set for an Ephemeral Container")
            for k in _EPHEMERAL_FORBIDDEN
            if c.get(k) not in (None, [], {}, "")
        ]
        for j, m in enumerate(get_dicts(c, "volumeMounts")):
            errs += [
                forbidden(path(p, "volumeMounts", j, k), "cannot be set for an Ephemeral Container")
                for k in ("subPath", "subPathExpr")
                if get_str(m, k)
            ]
    return errs


def _image_whitespace(c: dict, fld: str) -> list[FieldError]:
    image = get_str(c, "image")
    return (
        [invalid(path(fld, "image"), image, "must not have leading or trailing whitespace")]
        if image != image.strip()
        else []
    )
