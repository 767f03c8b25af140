"""Go's `%#v` printouts of the internal FlowSchema and PriorityLevelConfiguration specs.

Kubernetes shows a mandatory object's whole spec this way when an update tries to change it;
pointers print as an address or nil, absent lists as nil slices.
"""

from __future__ import annotations

from typing import Any

from kube_apiserver.apis.core.formats import _ADDR, go_quote, go_strings
from kube_apiserver.apis.meta.unstructured import get_dict, get_int, get_str, get_strs, is_set


def _go_ptr(type_name: str, obj: dict, key: str) -> str:
    return f"(*flowcontrol.{type_name})({_ADDR if is_set(obj, key) else 'nil'})"


def _go_list(type_name: str, items: Any, render: Any) -> str:
    if not isinstance(items, list):
        return f"[]flowcontrol.{type_name}(nil)"
    return f"[]flowcontrol.{type_name}{{" + ", ".join(render(i) for i in items) + "}"


def _go_strs(obj: dict, key: str) -> str:
    return go_strings(get_strs(obj, key) if isinstance(obj.get(key), list) else None)


def _go_subject(s: Any) -> str:
    s = s if isinstance(s, dict) else {}
    return (
        f"flowcontrol.Subject{{Kind:{go_quote(get_str(s, 'kind'))}, User:{_go_ptr('UserSubject', s, 'user')}, "
        f"Group:{_go_ptr('GroupSubject', s, 'group')}, "
        f"ServiceAccount:{_go_ptr('ServiceAccountSubject', s, 'serviceAccount')}}}"
    )


def _go_resource_rule(r: Any) -> str:
    r = r if isinstance(r, dict) else {}
    return (
        f"flowcontrol.ResourcePolicyRule{{Verbs:{_go_strs(r, 'verbs')}, APIGroups:{_go_strs(r, 'apiGroups')}, "
        f"Resources:{_go_strs(r, 'resources')}, ClusterScope:{'true' if r.get('clusterScope') is True else 'false'}, "
        f"Namespaces:{_go_strs(r, 'namespaces')}}}"
    )


def _go_non_resource_rule(r: Any) -> str:
    r = r if isinstance(r, dict) else {}
    return f"flowcontrol.NonResourcePolicyRule{{Verbs:{_go_strs(r, 'verbs')}, NonResourceURLs:{_go_strs(r, 'nonResourceURLs')}}}"


def _go_rules(rule: Any) -> str:
    rule = rule if isinstance(rule, dict) else {}
    return (
        "flowcontrol.PolicyRulesWithSubjects{"
        f"Subjects:{_go_list('Subject', rule.get('subjects'), _go_subject)}, "
        f"ResourceRules:{_go_list('ResourcePolicyRule', rule.get('resourceRules'), _go_resource_rule)}, "
        f"NonResourceRules:{_go_list('NonResourcePolicyRule', rule.get('nonResourceRules'), _go_non_resource_rule)}}}"
    )


def go_flow_schema_spec(spec: dict) -> str:
    return (
        "flowcontrol.FlowSchemaSpec{PriorityLevelConfiguration:flowcontrol.PriorityLevelConfigurationReference"
        f"{{Name:{go_quote(get_str(get_dict(spec, 'priorityLevelConfiguration'), 'name'))}}}, "
        f"MatchingPrecedence:{get_int(spec, 'matchingPrecedence') or 0}, "
        f"DistinguisherMethod:{_go_ptr('FlowDistinguisherMethod', spec, 'distinguisherMethod')}, "
        f"Rules:{_go_list('PolicyRulesWithSubjects', spec.get('rules'), _go_rules)}}}"
    )


def go_priority_level_spec(spec: dict) -> str:
    return (
        f"flowcontrol.PriorityLevelConfigurationSpec{{Type:{go_quote(get_str(spec, 'type'))}, "
        f"Limited:{_go_ptr('LimitedPriorityLevelConfiguration', spec, 'limited')}, "
        f"Exempt:{_go_ptr('ExemptPriorityLevelConfiguration', spec, 'exempt')}}}"
    )
