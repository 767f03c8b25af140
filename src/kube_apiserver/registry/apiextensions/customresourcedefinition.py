"""CustomResourceDefinitions, stored as objects: generation counts spec changes and the status
(names accepted, conditions, stored versions) belongs to the server.

A new CRD starts with an empty status recording its storage version; an update adds a new
storage version to the stored ones. Establishing the names and serving the custom resources
come with the apiextensions issue, so no condition is set here.
"""

from __future__ import annotations

from kube_apiserver.apis.apiextensions import defaults, validation
from kube_apiserver.registry.rest import Obj, Strategy


def _record_storage_version(obj: Obj) -> None:
    status = obj["status"]
    for version in (obj.get("spec") or {}).get("versions") or []:
        if isinstance(version, dict) and version.get("storage") is True:
            stored = status.get("storedVersions") or []
            if version.get("name") not in stored:
                status["storedVersions"] = [*stored, version.get("name")]
            return


class CustomResourceDefinitionStrategy(Strategy):
    tracks_generation = True
    status_subresource = True
    allow_unconditional_update = False
    defaulter = staticmethod(defaults.default_crd)
    validator = staticmethod(validation.validate_crd)
    update_validator = staticmethod(validation.validate_crd_update)
    status_update_validator = staticmethod(validation.validate_crd_status_update)

    def prepare_for_create(self, obj: Obj) -> None:
        # Kubernetes writes every status field, empty ones included.
        obj["status"] = {
            "conditions": None,
            "acceptedNames": {"plural": "", "kind": ""},
            "storedVersions": None,
        }
        _record_storage_version(obj)

    def prepare_for_update(self, new: Obj, old: Obj) -> None:
        super().prepare_for_update(new, old)
        new["status"] = dict(new.get("status") or {})
        _record_storage_version(new)
