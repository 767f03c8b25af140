#!/usr/bin/env python3
"""Benchmark kube-apiserver against ceilings measured in the same run on the same machine.

    .venv/bin/python bench/run.py [--duration S] [--warmup S] [--watchers N] [--rounds N] ...

Starts a real server process (`python -m kube_apiserver --data-dir <tmp> --secure-port <free>`)
on 127.0.0.1, waits for /readyz with the admin client certificate, then measures:

  GET     one ~2 KB configmap, N keep-alive HTTPS connections          requests/s
  GET SA  the same GET as a service account with a bound token, allowed by an RBAC Role
          (token authentication and RBAC on every request)                 requests/s
  LIST    500 such configmaps in one namespace                          requests/s
  CREATE  configmaps with concurrent clients                            objects/s
  WATCH   one update fanned out to 1,000 watch streams, a few rounds    delivery latency p50/p99/max

and the matching ceilings:

  GET, LIST  a bare uvloop+httptools HTTPS server (bench/bare.py) with the same TLS set-up and
             client-certificate verification, replying with the very bytes our server replied
  CREATE     raw SQLite inserts of the same encoded object, WAL + synchronous=NORMAL, one
             transaction per insert
  WATCH      the bare server pushing the same frame to 1,000 held connections

Load comes from bench/loadgen.py worker processes (epoll over non-blocking ssl.SSLSocket,
httptools), the same client for our server and for the ceiling; ours and the ceiling alternate
--repeats times and the best run of each is kept. Results are printed as a table and written
to bench/results.json. The server is stopped by its PID and the temp dir deleted at the end.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import shutil
import signal
import socket
import sqlite3
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httptools

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
HOST = "127.0.0.1"
NS_GET, NS_LIST, NS_CREATE, NS_WATCH = "bench-get", "bench-list", "bench-create", "bench-watch"
now_ns = time.monotonic_ns  # CLOCK_MONOTONIC: comparable across processes on Linux


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


# --------------------------------------------------------------------------- objects


def configmap(name: str, *, marker: str = "") -> dict:
    """A configmap whose JSON encoding is ~2 KB once the server has added its metadata."""
    lines = "\n".join(f"  setting_{i:02d}: value-{i:02d}-{'x' * 24}" for i in range(34))
    data = {
        "config.yaml": "server:\n" + lines + "\n",
        "mode": "benchmark",
        "marker": marker or "none",
    }
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": name, "labels": {"app": "bench", "tier": "config"},
                     "annotations": {"bench.example.com/owner": "bench"}},
        "data": data,
    }


# --------------------------------------------------------------------------- clients


class Api:
    """A small blocking HTTPS client for setup and for the watch benchmark's writes."""

    def __init__(self, port: int, pki: Path) -> None:
        self.port = port
        self.ctx = ssl.create_default_context(cafile=str(pki / "ca.crt"))
        self.ctx.load_cert_chain(str(pki / "admin.crt"), str(pki / "admin.key"))
        self.conn: http.client.HTTPSConnection | None = None

    def request(self, method: str, path: str, body: dict | bytes | None = None, timeout: float = 30):
        if isinstance(body, dict):
            body = json.dumps(body).encode()
        headers = {"Accept": "application/json"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPSConnection(HOST, self.port, context=self.ctx, timeout=timeout)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                resp = self.conn.getresponse()
                data = resp.read()
                return resp.status, data
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def json(self, method: str, path: str, body=None, ok=(200, 201)) -> dict:
        status, data = self.request(method, path, body)
        if status not in ok:
            raise RuntimeError(f"{method} {path} -> {status}: {data[:300]!r}")
        return json.loads(data)

    def raw(self, path: str) -> bytes:
        """The exact bytes (status line, headers, body) the server sends for GET path."""
        sock = socket.create_connection((HOST, self.port), timeout=30)
        with self.ctx.wrap_socket(sock, server_hostname=HOST) as s:
            s.sendall(
                f"GET {path} HTTP/1.1\r\nHost: {HOST}:{self.port}\r\nUser-Agent: kube-apiserver-bench\r\n"
                "Accept: application/json\r\n\r\n".encode()
            )
            done = []

            class P:
                def on_message_complete(self) -> None:
                    done.append(True)

            parser = httptools.HttpResponseParser(P())
            buf = bytearray()
            while not done:
                chunk = s.recv(1 << 20)
                if not chunk:
                    raise RuntimeError(f"connection closed while reading {path}")
                buf += chunk
                parser.feed_data(chunk)
            if parser.get_status_code() != 200:
                raise RuntimeError(f"GET {path} -> {parser.get_status_code()}")
            return bytes(buf)

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return float("nan")


def busy_seconds() -> tuple[float, float]:
    """CPU seconds the machine (all CPUs) has spent busy, from /proc/stat: (user + nice + system
    + irq + softirq, steal). Softirq is included because network work done in a process's
    context counts as that process's system time in /proc/<pid>/stat but as softirq here."""
    try:
        f = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
        tck = os.sysconf("SC_CLK_TCK")
        return (f[0] + f[1] + f[2] + f[5] + f[6]) / tck, f[7] / tck
    except (OSError, ValueError, IndexError):
        return float("nan"), float("nan")


def wait_quiet(max_wait: float, threshold: float = 0.25) -> float:
    """Wait (at most max_wait s) until the machine is nearly idle: other people's processes
    share these cores. Returns the busy cores seen in the last 0.25 s sample."""
    deadline = time.monotonic() + max_wait
    while True:
        b0, t0 = sum(busy_seconds()), time.monotonic()
        time.sleep(0.25)
        busy = (sum(busy_seconds()) - b0) / (time.monotonic() - t0)
        if busy < threshold or time.monotonic() >= deadline:
            return busy


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    k = min(len(values) - 1, max(0, round(p / 100 * (len(values) - 1))))
    return values[k]


# --------------------------------------------------------------------------- processes


class Procs:
    """Every child process this run started, so all of them are stopped by PID at the end."""

    def __init__(self) -> None:
        self.children: list[subprocess.Popen] = []

    def start(self, args: list[str], **kw) -> subprocess.Popen:
        p = subprocess.Popen(args, **kw)
        self.children.append(p)
        return p

    @staticmethod
    def stop(p: subprocess.Popen, timeout: float = 10) -> None:
        if p.poll() is None:
            try:
                os.kill(p.pid, signal.SIGTERM)
                p.wait(timeout)
            except subprocess.TimeoutExpired:
                os.kill(p.pid, signal.SIGKILL)
                p.wait(5)
            except ProcessLookupError:
                pass
        for f in (p.stdin, p.stdout, p.stderr):
            if f is not None:
                f.close()

    def stop_all(self) -> None:
        for p in reversed(self.children):
            self.stop(p)


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.procs = Procs()
        self.tmp = Path(tempfile.mkdtemp(prefix="kube-apiserver-bench-"))
        self.data_dir = self.tmp / "data"
        self.pki = self.data_dir / "pki"
        self.port = free_port()
        self.bare_port = 0
        self.server: subprocess.Popen | None = None
        self.bare: subprocess.Popen | None = None
        self.results: dict = {}

    # -- server lifecycle --------------------------------------------------------------

    def start_etcd(self) -> None:
        """A private etcd on free loopback ports, as the tests run it."""
        port, peer = free_port(), free_port()
        client_url, peer_url = f"http://{HOST}:{port}", f"http://{HOST}:{peer}"
        self.etcd_log = open(self.tmp / "etcd.log", "wb")  # noqa: SIM115
        etcd = self.procs.start(
            [shutil.which("etcd") or "/usr/bin/etcd", f"--data-dir={self.tmp / 'etcd'}",
             f"--listen-client-urls={client_url}", f"--advertise-client-urls={client_url}",
             f"--listen-peer-urls={peer_url}", f"--initial-advertise-peer-urls={peer_url}",
             f"--initial-cluster=default={peer_url}", "--experimental-watch-progress-notify-interval=5s"],
            stdout=self.etcd_log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection((HOST, port), timeout=0.5).close()
                self.etcd_endpoint = f"{HOST}:{port}"
                log(f"etcd ready (pid {etcd.pid}, port {port})")
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("etcd did not start")

    def start_server(self) -> None:
        self.server_log = open(self.tmp / "server.log", "wb")  # noqa: SIM115
        cmd = [sys.executable, "-m", "kube_apiserver", "--data-dir", str(self.data_dir),
               "--secure-port", str(self.port), "--bind-address", HOST,
               "--authorization-mode=Node,RBAC"]
        if self.args.backend == "etcd":
            self.start_etcd()
            cmd.append(f"--etcd-servers=http://{self.etcd_endpoint}")
        log(f"starting server: {' '.join(cmd)}")
        self.server = self.procs.start(cmd, cwd=ROOT, stdout=self.server_log, stderr=subprocess.STDOUT,
                                       stdin=subprocess.DEVNULL)
        t0 = time.monotonic()
        deadline = t0 + self.args.start_timeout
        while time.monotonic() < deadline:
            if self.server.poll() is not None:
                raise RuntimeError(f"server exited with {self.server.returncode} before ready:\n"
                                   + self.server_tail())
            if (self.pki / "admin.key").exists():
                try:
                    api = Api(self.port, self.pki)
                    status, body = api.request("GET", "/readyz", timeout=2)
                    api.close()
                    if status == 200:
                        log(f"server ready in {time.monotonic() - t0:.1f}s (pid {self.server.pid}, port {self.port})")
                        return
                except (OSError, ssl.SSLError, http.client.HTTPException):
                    pass
            time.sleep(0.2)
        raise RuntimeError(f"server not ready after {self.args.start_timeout}s:\n" + self.server_tail())

    def server_tail(self) -> str:
        try:
            self.server_log.flush()
            return (self.tmp / "server.log").read_text(errors="replace")[-3000:]
        except OSError:
            return ""

    def start_bare(self, canned: dict[str, bytes]) -> None:
        files = {}
        for i, (url, raw) in enumerate(canned.items()):
            path = self.tmp / f"canned-{i}.bin"
            path.write_bytes(raw)
            files[url] = str(path)
        spec = {"port": 0, "cert": str(self.pki / "apiserver.crt"), "key": str(self.pki / "apiserver.key"),
                "ca": str(self.pki / "ca.crt"), "canned": files}
        self.bare = self.procs.start([sys.executable, str(BENCH / "bare.py"), json.dumps(spec)],
                                     stdout=subprocess.PIPE, stdin=subprocess.DEVNULL)
        line = self.bare.stdout.readline().decode().split()
        if not line or line[0] != "READY":
            raise RuntimeError("bare server failed to start")
        self.bare_port = int(line[1])
        log(f"bare ceiling server ready (pid {self.bare.pid}, port {self.bare_port})")

    def cleanup(self) -> None:
        self.procs.stop_all()
        if self.server is not None:
            log(f"stopped server pid {self.server.pid} (exit {self.server.returncode})")
        for f in (getattr(self, "server_log", None), getattr(self, "etcd_log", None)):
            if f is not None:
                f.close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    # -- setup ----------------------------------------------------------------------------

    def setup(self, api: Api) -> None:
        for ns in (NS_GET, NS_LIST, NS_CREATE, NS_WATCH):
            api.json("POST", "/api/v1/namespaces",
                     {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}})
        api.json("POST", f"/api/v1/namespaces/{NS_GET}/configmaps", configmap("cm-get"))
        api.json("POST", f"/api/v1/namespaces/{NS_WATCH}/configmaps", configmap("cm-watch"))
        t0 = time.monotonic()
        for i in range(self.args.list_size):
            api.json("POST", f"/api/v1/namespaces/{NS_LIST}/configmaps", configmap(f"cm-{i:04d}"))
        log(f"created {self.args.list_size} configmaps in {NS_LIST} in {time.monotonic() - t0:.1f}s")

    def service_account_token(self, api: Api) -> str:
        """A bound token of a service account that a Role lets read configmaps in NS_GET."""
        rbac = f"/apis/rbac.authorization.k8s.io/v1/namespaces/{NS_GET}"
        api.json("POST", f"/api/v1/namespaces/{NS_GET}/serviceaccounts",
                 {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "reader"}})
        api.json("POST", f"{rbac}/roles", {
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": {"name": "reader"},
            "rules": [{"apiGroups": [""], "resources": ["configmaps"], "verbs": ["get"]}]})
        api.json("POST", f"{rbac}/rolebindings", {
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": {"name": "reader"},
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "reader"},
            "subjects": [{"kind": "ServiceAccount", "name": "reader", "namespace": NS_GET}]})
        review = api.json("POST", f"/api/v1/namespaces/{NS_GET}/serviceaccounts/reader/token",
                          {"apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest", "spec": {}})
        return review["status"]["token"]

    # -- closed-loop HTTP load -------------------------------------------------------------

    def http_load(self, port: int, *, method: str, path: str, connections: int, processes: int,
                  max_requests: int, body_template: str | None = None, name_prefix: str = "",
                  keep_last_body: bool = False, token: str | None = None) -> dict:
        a = self.args
        idle_busy = wait_quiet(a.quiet_wait)
        start_at = now_ns() + int(a.spawn_margin * 1e9)
        workers = []
        per = [connections // processes + (1 if i < connections % processes else 0) for i in range(processes)]
        for i, n in enumerate(per):
            spec = {"host": HOST, "port": port, "ca": str(self.pki / "ca.crt"),
                    "cert": None if token else str(self.pki / "admin.crt"),
                    "key": str(self.pki / "admin.key"), "token": token,
                    "method": method, "path": path, "connections": n,
                    "max_requests": max_requests // processes, "warmup_s": a.warmup,
                    "duration_s": a.duration, "start_at_ns": start_at,
                    "body_template": body_template, "name_prefix": f"{name_prefix}w{i}-",
                    "keep_last_body": keep_last_body and i == 0,
                    "out": str(self.tmp / f"loadgen-{i}.json")}
            workers.append(self.procs.start([sys.executable, str(BENCH / "loadgen.py"), "http", json.dumps(spec)],
                                            stdin=subprocess.DEVNULL))
        # CPU use over the measured window (all clocks are CLOCK_MONOTONIC): the target's, and
        # everyone else's on the machine (other processes competing for the same two cores).
        target = self.server if port == self.port else self.bare
        ours_pids = [target.pid, *(w.pid for w in workers), os.getpid()]
        window_start = start_at + int(a.warmup * 1e9)
        time.sleep(max(0.0, (window_start - now_ns()) / 1e9))
        t0, busy0 = now_ns(), busy_seconds()
        cpu0 = [cpu_seconds(pid) for pid in ours_pids]
        time.sleep(max(0.0, (window_start + int(a.duration * 1e9) - now_ns()) / 1e9))
        cpu1 = [cpu_seconds(pid) for pid in ours_pids]
        busy1, wall = busy_seconds(), max(1e-9, (now_ns() - t0) / 1e9)
        cpu = (cpu1[0] - cpu0[0]) / wall
        clients_cpu = sum(b - a_ for a_, b in zip(cpu0[1:-1], cpu1[1:-1], strict=True)) / wall
        foreign = (busy1[0] - busy0[0] - sum(b - a_ for a_, b in zip(cpu0, cpu1, strict=True))) / wall
        kernel = (busy1[1] - busy0[1]) / wall
        outs = []
        for i, w in enumerate(workers):
            try:
                w.wait(timeout=a.spawn_margin + a.warmup + a.duration + 30)
            except subprocess.TimeoutExpired:
                Procs.stop(w)
                raise RuntimeError("load generator did not finish in time") from None
            out = self.tmp / f"loadgen-{i}.json"
            if w.returncode != 0 or not out.exists():
                raise RuntimeError(f"load generator failed (exit {w.returncode})")
            outs.append(json.loads(out.read_text()))
            out.unlink()
        lat = [x for o in outs for x in o["latencies_us"]]
        statuses: dict[str, int] = {}
        for o in outs:
            for k, v in o["statuses"].items():
                statuses[k] = statuses.get(k, 0) + v
        rate = sum(o["measured"] / o["elapsed_s"] for o in outs)
        res = {
            "ops_per_s": rate,
            "measured": sum(o["measured"] for o in outs),
            "window_s": max(o["elapsed_s"] for o in outs),
            "statuses": statuses,
            "latency_ms": {"p50": pct(lat, 50) / 1000, "p99": pct(lat, 99) / 1000, "max": max(lat, default=0) / 1000},
            "late_start_s": max(o["late_start_s"] for o in outs),
            "timed_out": any(o["timed_out"] for o in outs),
            "client_processes": processes,
            "connections": sum(o["connections"] for o in outs),
            "target_cpu_cores": round(cpu, 2),
            "clients_cpu_cores": round(clients_cpu, 2),
            "other_processes_cpu_cores": round(foreign, 2),
            "vm_steal_cores": round(kernel, 2),
            "busy_cores_before": round(idle_busy, 2),
        }
        if keep_last_body:
            res["last_body"] = outs[0].get("last_body", "")
        bad = {k: v for k, v in statuses.items() if not k.startswith("2")}
        if bad:
            log(f"  warning: non-2xx responses: {bad}")
        if res["late_start_s"] > 0:
            log(f"  note: a load generator started {res['late_start_s']:.2f}s late")
        return res

    def best_of(self, runs: list[dict]) -> dict:
        """The run with the highest throughput (interference only ever slows a run down)."""
        best = dict(max(runs, key=lambda r: r["ops_per_s"]))
        best["all_ops_per_s"] = [round(r["ops_per_s"], 1) for r in runs]
        best["max_other_processes_cpu_cores"] = max(r.get("other_processes_cpu_cores", 0.0) for r in runs)
        return best

    def show(self, label: str, r: dict, unit: str) -> None:
        log(f"  {label:<16} {r['ops_per_s']:10,.1f} {unit}  p50 {r['latency_ms']['p50']:7.2f} ms  "
            f"p99 {r['latency_ms']['p99']:7.2f} ms  target cpu {r['target_cpu_cores']:.2f}  "
            f"clients cpu {r['clients_cpu_cores']:.2f}  others cpu {r['other_processes_cpu_cores']:.2f}  "
            f"steal {r['vm_steal_cores']:.2f}")

    def bench_read(self, name: str, path: str, connections: int, max_requests: int,
                   token: str | None = None) -> dict:
        """Alternate ours and the ceiling `repeats` times; keep the best of each."""
        a = self.args
        ours_runs, ceil_runs = [], []
        for _ in range(a.repeats):
            r = self.http_load(self.port, method="GET", path=path, connections=connections,
                               processes=a.processes, max_requests=max_requests, token=token)
            self.show(f"{name} ours", r, "req/s")
            ours_runs.append(r)
            r = self.http_load(self.bare_port, method="GET", path=path, connections=connections,
                               processes=a.processes, max_requests=max_requests, token=token)
            self.show(f"{name} ceiling", r, "req/s")
            ceil_runs.append(r)
        ours, ceil = self.best_of(ours_runs), self.best_of(ceil_runs)
        return {"ours": ours, "ceiling": ceil, "ratio": ours["ops_per_s"] / ceil["ops_per_s"]}

    # -- writes -------------------------------------------------------------------------------

    def bench_create(self) -> dict:
        a = self.args
        template = json.dumps(configmap("@@NAME@@"))
        ours_runs, ceil_runs = [], []
        for i in range(a.repeats):
            r = self.http_load(self.port, method="POST", path=f"/api/v1/namespaces/{NS_CREATE}/configmaps",
                               connections=a.create_connections, processes=a.processes,
                               max_requests=a.max_creates, body_template=template, name_prefix=f"cm-r{i}-",
                               keep_last_body=True)
            self.show("CREATE ours", r, "obj/s")
            encoded = r.pop("last_body").encode()
            ours_runs.append(r)
            # The ceiling stores the very bytes our server stored (its create response).
            if a.backend == "etcd":
                c = self.etcd_ceiling(encoded, f"r{i}")
            else:
                c = self.sqlite_ceiling(encoded, f"r{i}")
            log(f"  {'CREATE ceiling':<16} {c['ops_per_s']:10,.1f} inserts/s ({c['value_bytes']} B objects)")
            ceil_runs.append(c)
        ours, ceil = self.best_of(ours_runs), self.best_of(ceil_runs)
        return {"ours": ours, "ceiling": ceil, "ratio": ours["ops_per_s"] / ceil["ops_per_s"]}

    def sqlite_ceiling(self, value: bytes, tag: str) -> dict:
        a = self.args
        db_path = self.tmp / f"ceiling-{tag}.db"
        db = sqlite3.connect(db_path, isolation_level=None)  # autocommit: one transaction per insert
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("CREATE TABLE kv (key TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID")
        insert = "INSERT INTO kv (key, value) VALUES (?, ?)"
        prefix = f"/registry/configmaps/{NS_CREATE}/cm-"
        for i in range(200):  # warm-up
            db.execute(insert, (f"{prefix}warm-{i}", value))
        n = 0
        t0 = time.perf_counter()
        deadline = t0 + a.sqlite_seconds
        while n < a.max_creates and time.perf_counter() < deadline:
            for _ in range(100):
                n += 1
                db.execute(insert, (f"{prefix}{n}", value))
        elapsed = time.perf_counter() - t0
        db.close()
        db_path.unlink()
        return {"ops_per_s": n / elapsed, "inserts": n, "window_s": elapsed, "value_bytes": len(value),
                "journal_mode": "wal", "synchronous": "NORMAL", "transaction_per_insert": True}

    def etcd_ceiling(self, value: bytes, tag: str) -> dict:
        """Raw puts of the same bytes to the same etcd, with the client our backend uses
        (etcd3aio), as many at once as our CREATE has connections."""
        import asyncio

        from etcd3aio import Etcd3Client

        a = self.args
        prefix = f"/ceiling-{tag}/configmaps/{NS_CREATE}/cm-"

        async def measure() -> dict:
            async with Etcd3Client([self.etcd_endpoint]) as client:
                for i in range(200):  # warm-up
                    await client.kv.put(f"{prefix}warm-{i}", value)
                count = 0
                t0 = time.perf_counter()
                deadline = t0 + a.sqlite_seconds

                async def putter(worker: int) -> None:
                    nonlocal count
                    n = 0
                    while time.perf_counter() < deadline and count < a.max_creates:
                        n += 1
                        await client.kv.put(f"{prefix}{worker}-{n}", value)
                        count += 1

                await asyncio.gather(*(putter(w) for w in range(a.create_connections)))
                elapsed = time.perf_counter() - t0
                return {"ops_per_s": count / elapsed, "inserts": count, "window_s": elapsed,
                        "value_bytes": len(value), "client": "etcd3aio", "concurrency": a.create_connections}

        return asyncio.run(measure())

    # -- watch fan-out ------------------------------------------------------------------------

    def watch_workers(self, port: int, path: str) -> list[subprocess.Popen]:
        a = self.args
        per = [a.watchers // a.processes + (1 if i < a.watchers % a.processes else 0) for i in range(a.processes)]
        workers = []
        for n in per:
            spec = {"host": HOST, "port": port, "ca": str(self.pki / "ca.crt"),
                    "cert": str(self.pki / "admin.crt"), "key": str(self.pki / "admin.key"),
                    "path": path, "connections": n, "max_lifetime_s": 240}
            workers.append(self.procs.start([sys.executable, str(BENCH / "loadgen.py"), "watch", json.dumps(spec)],
                                            stdout=subprocess.PIPE, stdin=subprocess.PIPE))
        ready = 0
        for w in workers:
            msg = self.read_msg(w, 60)
            ready += msg["ready"]
            if msg["failed"]:
                log(f"  warning: {msg['failed']} watch streams failed to open: {msg['failures']}")
        if ready < a.watchers:
            log(f"  warning: only {ready}/{a.watchers} watch streams open")
        return workers

    @staticmethod
    def read_msg(w: subprocess.Popen, timeout: float) -> dict:
        import select
        ready, _, _ = select.select([w.stdout], [], [], timeout)
        if not ready:
            raise RuntimeError("watch worker did not answer in time")
        line = w.stdout.readline()
        if not line:
            raise RuntimeError(f"watch worker exited ({w.poll()})")
        return json.loads(line)

    @staticmethod
    def command(workers: list[subprocess.Popen], cmd: str) -> None:
        for w in workers:
            w.stdin.write((cmd + "\n").encode())
            w.stdin.flush()

    def fanout_rounds(self, workers: list[subprocess.Popen], write, markers: list[str]) -> dict:
        """For each marker: arm the watchers, do the write, collect arrival times."""
        all_lat: list[float] = []
        rounds = []
        frames = []
        pids = [p.pid for p in (self.server, self.bare, *workers)] + [os.getpid()]
        cpu0, busy0, t0 = [cpu_seconds(pid) for pid in pids], busy_seconds(), now_ns()
        for marker in markers:
            self.command(workers, f"ARM {marker}")
            for w in workers:
                self.read_msg(w, 10)
            time.sleep(0.1)
            t_send = now_ns()
            fallback_frame, t_resp = write(marker)
            self.command(workers, "COLLECT 10")
            arrivals, missing, frame, still_open = [], 0, "", 0
            for w in workers:
                msg = self.read_msg(w, 20)
                arrivals += msg["arrivals_ns"]
                missing += msg["missing"]
                still_open += msg["open"]
                frame = frame or msg["frame"]
            if missing:
                log(f"  warning: {missing} watchers missed the update ({still_open} streams still open)")
            lat = [(t - t_resp) / 1e6 for t in arrivals]
            all_lat += lat
            frames.append(frame.encode() if frame else fallback_frame)
            rounds.append({"delivered": len(lat), "missing": missing, "write_ms": (t_resp - t_send) / 1e6,
                           "p50_ms": pct(lat, 50), "p99_ms": pct(lat, 99), "max_ms": max(lat, default=float("nan")),
                           "last_arrival_after_write_sent_ms": (max(arrivals) - t_send) / 1e6 if arrivals else None})
            time.sleep(0.2)
        cpu1, busy1, wall = [cpu_seconds(pid) for pid in pids], busy_seconds(), (now_ns() - t0) / 1e9
        foreign = (busy1[0] - busy0[0] - sum(b - a for a, b in zip(cpu0, cpu1, strict=True))) / wall
        self.command(workers, "QUIT")
        for w in workers:
            try:
                w.wait(15)
            except subprocess.TimeoutExpired:
                Procs.stop(w)
        return {
            "watchers": self.args.watchers,
            "rounds": rounds,
            "delivered": len(all_lat),
            "missing": sum(r["missing"] for r in rounds),
            "latency_ms": {"p50": pct(all_lat, 50), "p99": pct(all_lat, 99), "max": max(all_lat, default=float("nan")),
                           "mean": statistics.fmean(all_lat) if all_lat else float("nan")},
            "frames": frames,
            "other_processes_cpu_cores": round(foreign, 2),
            "vm_steal_cores": round((busy1[1] - busy0[1]) / wall, 2),
        }

    def bench_watch(self, api: Api) -> dict:
        a = self.args
        path = f"/api/v1/namespaces/{NS_WATCH}/configmaps/cm-watch"
        current = api.json("GET", path)
        # List, then watch from the list's (current) resourceVersion, as clients do.
        rv = api.json("GET", f"/api/v1/namespaces/{NS_WATCH}/configmaps")["metadata"]["resourceVersion"]
        watch_path = f"/api/v1/namespaces/{NS_WATCH}/configmaps?watch=1&resourceVersion={rv}"
        t0 = time.monotonic()
        workers = self.watch_workers(self.port, watch_path)
        log(f"  {a.watchers} watch streams open on our server in {time.monotonic() - t0:.1f}s")
        state = {"obj": current}

        def update(marker: str):
            obj = state["obj"]
            obj["data"]["marker"] = marker
            status, body = api.request("PUT", path, json.dumps(obj).encode())
            t = now_ns()
            if status != 200:
                raise RuntimeError(f"PUT {path} -> {status}: {body[:300]!r}")
            state["obj"] = json.loads(body)
            return b'{"type":"MODIFIED","object":' + body + b"}\n", t

        markers = [f"round-{i}-{os.urandom(6).hex()}" for i in range(a.rounds)]
        api.request("GET", "/readyz")  # warm the writer's connection
        ours = self.fanout_rounds(workers, update, markers)
        frames = ours.pop("frames")
        log(f"  WATCH ours:    p50 {ours['latency_ms']['p50']:.2f} ms  p99 {ours['latency_ms']['p99']:.2f} ms  "
            f"max {ours['latency_ms']['max']:.2f} ms  ({ours['delivered']} deliveries, {ours['missing']} missing, "
            f"others cpu {ours['other_processes_cpu_cores']:.2f})")

        time.sleep(0.3)
        workers = self.watch_workers(self.bare_port, watch_path)
        push = http.client.HTTPSConnection(HOST, self.bare_port, context=api.ctx, timeout=30)
        by_marker = dict(zip(markers, frames, strict=True))

        def push_frame(marker: str):
            push.request("POST", "/push", body=by_marker[marker], headers={"Content-Type": "application/json"})
            resp = push.getresponse()
            resp.read()
            return b"", now_ns()

        ceil = self.fanout_rounds(workers, push_frame, markers)
        push.close()
        ceil.pop("frames")
        ceil["frame_bytes"] = len(frames[0]) if frames else 0
        log(f"  WATCH ceiling: p50 {ceil['latency_ms']['p50']:.2f} ms  p99 {ceil['latency_ms']['p99']:.2f} ms  "
            f"max {ceil['latency_ms']['max']:.2f} ms  ({ceil['delivered']} deliveries, {ceil['missing']} missing, "
            f"others cpu {ceil['other_processes_cpu_cores']:.2f})")
        ratio = {k: (ours["latency_ms"][k] / ceil["latency_ms"][k]) if ceil["latency_ms"][k] > 0 else None
                 for k in ("p50", "p99", "max")}
        return {"ours": ours, "ceiling": ceil, "ratio": ratio}

    # -- the run ------------------------------------------------------------------------------

    def run(self) -> dict:
        a = self.args
        t_start = time.monotonic()
        self.loadavg_at_start = os.getloadavg()
        self.start_server()
        api = Api(self.port, self.pki)
        self.setup(api)
        get_path = f"/api/v1/namespaces/{NS_GET}/configmaps/cm-get"
        list_path = f"/api/v1/namespaces/{NS_LIST}/configmaps"
        get_raw, list_raw = api.raw(get_path), api.raw(list_path)
        get_body = get_raw.split(b"\r\n\r\n", 1)[1]
        log(f"GET response {len(get_raw)} B ({len(get_body)} B body); LIST response {len(list_raw)} B")
        self.start_bare({get_path: get_raw, list_path: list_raw})
        results: dict = {}

        only = set(a.only.split(",")) if a.only else {"get", "get-sa", "list", "create", "watch"}
        if "get" in only:
            log(f"GET: {a.get_connections} connections, {a.processes} client processes, "
                f"{a.repeats} x ({a.warmup}s warm-up + {a.duration}s)")
            results["get"] = self.bench_read("GET", get_path, a.get_connections, a.max_gets)
            results["get"]["response_bytes"] = len(get_raw)
            results["get"]["body_bytes"] = len(get_body)
        if "get-sa" in only:
            token = self.service_account_token(api)
            log(f"GET as a service account: {a.get_connections} connections, bound token, RBAC")
            results["get_sa"] = self.bench_read("GET SA", get_path, a.get_connections, a.max_gets,
                                                token=token)
        if "list" in only:
            log(f"LIST: {a.list_size} objects, {a.list_connections} connections")
            results["list"] = self.bench_read("LIST", list_path, a.list_connections, a.max_lists)
            results["list"]["response_bytes"] = len(list_raw)
            results["list"]["objects"] = a.list_size
        if "create" in only:
            log(f"CREATE: {a.create_connections} connections")
            results["create"] = self.bench_create()
        if "watch" in only:
            log(f"WATCH: {a.watchers} watchers, {a.rounds} updates")
            results["watch"] = self.bench_watch(api)
        api.close()

        results["meta"] = {
            "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "backend": a.backend,
            "commit": git_commit(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "load_generator": "bench/loadgen.py: epoll over non-blocking ssl.SSLSocket + httptools, "
                              "TLS with the admin client certificate, HTTP/1.1 keep-alive",
            "loadavg_at_start": self.loadavg_at_start,
            "loadavg_at_end": os.getloadavg(),
            "client_processes": a.processes,
            "warmup_s": a.warmup,
            "duration_s": a.duration,
            "elapsed_s": round(time.monotonic() - t_start, 1),
        }
        return results


def git_commit() -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                             text=True, timeout=5)
        return out.stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return ""


def table(results: dict) -> str:
    rows = [("benchmark", "ours", "ceiling", "ours/ceiling")]
    if "get" in results:
        g = results["get"]
        rows.append((f"GET configmap ({g['body_bytes']} B), {g['ours']['connections']} conns",
                     f"{g['ours']['ops_per_s']:,.0f} req/s", f"{g['ceiling']['ops_per_s']:,.0f} req/s",
                     f"{g['ratio']:.3f}"))
    if "get_sa" in results:
        g = results["get_sa"]
        rows.append((f"GET configmap as a service account (token + RBAC), {g['ours']['connections']} conns",
                     f"{g['ours']['ops_per_s']:,.0f} req/s", f"{g['ceiling']['ops_per_s']:,.0f} req/s",
                     f"{g['ratio']:.3f}"))
    if "list" in results:
        li = results["list"]
        rows.append((f"LIST {li['objects']} configmaps ({li['response_bytes'] / 1e6:.2f} MB), "
                     f"{li['ours']['connections']} conns",
                     f"{li['ours']['ops_per_s']:,.1f} req/s", f"{li['ceiling']['ops_per_s']:,.1f} req/s",
                     f"{li['ratio']:.3f}"))
    if "create" in results:
        c = results["create"]
        rows.append((f"CREATE configmap, {c['ours']['connections']} conns",
                     f"{c['ours']['ops_per_s']:,.0f} obj/s", f"{c['ceiling']['ops_per_s']:,.0f} inserts/s",
                     f"{c['ratio']:.4f}"))
    if "watch" in results:
        w = results["watch"]
        for k in ("p50", "p99", "max"):
            r = w["ratio"][k]
            rows.append((f"WATCH 1 update -> {w['ours']['watchers']} watchers, {k} latency",
                         f"{w['ours']['latency_ms'][k]:.2f} ms", f"{w['ceiling']['latency_ms'][k]:.2f} ms",
                         f"{r:.1f}x" if r is not None else "n/a"))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = []
    for n, r in enumerate(rows):
        lines.append("  ".join(cell.ljust(widths[0]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(r)))
        if n == 0:
            lines.append("  ".join("-" * x for x in widths))
    return "\n".join(lines)


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--duration", type=float, default=3.0, help="measured seconds per throughput run (default 3)")
    p.add_argument("--repeats", type=int, default=3, help="alternating runs of ours and the ceiling; best kept (default 3)")
    p.add_argument("--warmup", type=float, default=1.0, help="warm-up seconds before each window (default 1)")
    p.add_argument("--processes", type=int, default=2, help="load-generator processes (default 2)")
    p.add_argument("--get-connections", type=int, default=32)
    p.add_argument("--list-connections", type=int, default=8)
    p.add_argument("--create-connections", type=int, default=16)
    p.add_argument("--list-size", type=int, default=500)
    p.add_argument("--watchers", type=int, default=1000)
    p.add_argument("--rounds", type=int, default=6, help="updates fanned out to the watchers (default 6)")
    p.add_argument("--max-gets", type=int, default=400_000, help="request budget per GET run")
    p.add_argument("--max-lists", type=int, default=20_000, help="request budget per LIST run")
    p.add_argument("--max-creates", type=int, default=100_000, help="budget for creates and for inserts")
    p.add_argument("--sqlite-seconds", type=float, default=1.5, help="seconds of raw SQLite inserts per run")
    p.add_argument("--spawn-margin", type=float, default=1.5, help="seconds for load generators to start")
    p.add_argument("--start-timeout", type=float, default=90.0, help="seconds to wait for /readyz")
    p.add_argument("--backend", choices=("sqlite", "etcd"), default="sqlite",
                   help="the server's storage: the SQLite file, or a private etcd this run starts")
    p.add_argument("--only", default="", help="comma-separated subset of get,get-sa,list,create,watch")
    p.add_argument("--quiet-wait", type=float, default=2.0,
                   help="before each measurement, wait up to this many seconds for other processes to go idle")
    p.add_argument("--output", type=Path, default=None,
                   help="where to write the results (default bench/results.json, results-etcd.json for etcd)")
    args = p.parse_args(argv)
    if args.output is None:
        args.output = BENCH / ("results-etcd.json" if args.backend == "etcd" else "results.json")
    return args


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    bench = Bench(args)
    try:
        results = bench.run()
    except KeyboardInterrupt:
        log("interrupted")
        return 130
    except RuntimeError as exc:
        log(f"FAILED: {exc}")
        return 1
    finally:
        bench.cleanup()
    results["meta"]["args"] = {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()}
    args.output.write_text(json.dumps(results, indent=2, default=str) + "\n")
    print()
    print(table(results))
    print(f"\nwritten to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
