"""The version this server reports at /version: the Kubernetes API level it implements."""

from __future__ import annotations

import platform

KUBERNETES_VERSION = "v1.33.0"
GIT_VERSION = KUBERNETES_VERSION + "+py"


def info() -> dict[str, str]:
    major, minor, _ = KUBERNETES_VERSION.lstrip("v").split(".")
    return {
        "major": major,
        "minor": minor,
        "gitVersion": GIT_VERSION,
        "gitCommit": "0000000000000000000000000000000000000000",
        "gitTreeState": "clean",
        "buildDate": "2026-11-24T00:00:00Z",
        "goVersion": "python" + platform.python_version(),
        "compiler": "cpython",
        "platform": f"{platform.system().lower()}/{platform.machine()}",
    }
