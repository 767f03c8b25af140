#!/usr/bin/env python3
"""The project's two commands, each doing its own set-up with nothing but Python 3.11+:

    python3 dev.py serve [kube-apiserver flags...]   start the server on its embedded default
    python3 dev.py test  [pytest args...]            run the whole test suite

Both create ./.venv on first use and install the project (and, for tests, its test
dependencies) into it; later runs reuse it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".installed"


def ensure_venv(extras: str) -> None:
    if not (BIN / "python").exists():
        print("creating .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = f"{extras}:{(ROOT / 'pyproject.toml').stat().st_mtime}"
    if STAMP.exists() and STAMP.read_text() in (wanted, f"test:{wanted.split(':', 1)[1]}"):
        return
    print(f"installing kube-apiserver{f'[{extras}]' if extras else ''} into .venv ...", flush=True)
    target = f".[{extras}]" if extras else "."
    subprocess.run([str(BIN / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                    "-e", target], cwd=ROOT, check=True)
    STAMP.write_text(wanted)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("serve", "test"):
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    if command == "serve":
        ensure_venv("")
        os.execv(str(BIN / "kube-apiserver"), [str(BIN / "kube-apiserver"), *rest])
    ensure_venv("test")
    return subprocess.run([str(BIN / "python"), "-m", "pytest", *rest], cwd=ROOT).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
