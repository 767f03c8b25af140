"""Load-generator worker processes for bench/run.py (not meant to be run by hand).

Each worker is one process driving many keep-alive HTTPS connections from a plain epoll loop
over non-blocking `ssl.SSLSocket`s: OpenSSL reads and writes the sockets directly (no memory
BIOs, no event-loop framework), responses are parsed by httptools (C). Per request that is a few
microseconds of Python, so one worker keeps a single-process server busy; run.py starts two to
use both cores. Client certificate TLS, like every other client of the server, or a bearer token
(spec["token"], no certificate).

  python loadgen.py http '<json spec>'
      N connections, each with one request in flight (closed loop), from an absolute start time
      until the end of the window or the request budget, whichever comes first. Writes a JSON
      file (spec["out"]): completions and latencies inside the measured window (after warm-up).

  python loadgen.py watch '<json spec>'
      Opens N watch streams and holds them, then obeys line commands on stdin:
        ARM <marker>      forget earlier arrivals; look for <marker> in every stream   -> "armed"
        COLLECT <secs>    wait until every stream has seen it (at most <secs>)        -> arrivals
        QUIT              close everything and exit
      An arrival is stamped with the time epoll reported the stream readable, in
      time.monotonic_ns() (CLOCK_MONOTONIC, shared by all processes on Linux), so the parent can
      subtract the time it received the write's response.

Everything is bounded (budgets, windows, hard deadlines) and only 127.0.0.1 is ever dialled.
"""

from __future__ import annotations

import json
import os
import select
import socket
import ssl
import sys
import time

import httptools

now_ns = time.monotonic_ns


def client_context(spec: dict) -> ssl.SSLContext:
    ctx = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=spec["ca"])
    if spec.get("cert"):  # without one, the client authenticates with a bearer token
        ctx.load_cert_chain(spec["cert"], spec["key"])
    return ctx


def dial(spec: dict, ctx: ssl.SSLContext) -> ssl.SSLSocket:
    raw = socket.create_connection((spec["host"], spec["port"]), timeout=30)
    raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock = ctx.wrap_socket(raw, server_hostname=spec["host"])  # handshake, blocking
    sock.setblocking(False)
    return sock


def send_all(sock: ssl.SSLSocket, data: bytes) -> None:
    view = memoryview(data)
    while view:
        try:
            view = view[sock.send(view):]
        except (ssl.SSLWantWriteError, BlockingIOError):
            select.select([], [sock], [], 1.0)
        except ssl.SSLWantReadError:
            select.select([sock], [], [], 1.0)


def drain(sock: ssl.SSLSocket, parser) -> bool:
    """Read and parse everything available; False once the peer has closed."""
    while True:
        try:
            data = sock.recv(262144)
        except (ssl.SSLWantReadError, BlockingIOError):
            return True
        except (ssl.SSLError, OSError):
            return False
        if not data:
            return False
        parser.feed_data(data)


# --------------------------------------------------------------------------- http load


class Run:
    """Shared state of one closed-loop run."""

    def __init__(self, spec: dict) -> None:
        self.budget = int(spec["max_requests"])
        self.issued = 0
        self.done = 0
        self.window_start = 0
        self.window_end = 0
        self.latencies: list[int] = []  # ns, completions inside the window
        self.last_in_window = 0
        self.statuses: dict[int, int] = {}
        self.last_body = b""
        method = spec["method"].encode()
        head = b"%s %s HTTP/1.1\r\nHost: %s:%d\r\nUser-Agent: kube-apiserver-bench\r\nAccept: application/json\r\n" % (
            method, spec["path"].encode(), spec["host"].encode(), spec["port"])
        if spec.get("token"):
            head += b"Authorization: Bearer %s\r\n" % spec["token"].encode()
        template = spec.get("body_template")
        if template is None:
            self.fixed: bytes | None = head + b"\r\n"
        else:
            self.fixed = None
            self.head = head + b"Content-Type: application/json\r\n"
            self.before, _, self.after = template.encode().partition(b"@@NAME@@")
            self.name_prefix = spec["name_prefix"].encode()

    def next_request(self) -> bytes | None:
        if self.issued >= self.budget or now_ns() >= self.window_end:
            return None
        self.issued += 1
        if self.fixed is not None:
            return self.fixed
        body = self.before + self.name_prefix + b"%d" % self.issued + self.after
        return self.head + b"Content-Length: %d\r\n\r\n" % len(body) + body


class HttpConn:
    def __init__(self, run: Run, sock: ssl.SSLSocket, keep_body: bool) -> None:
        self.run = run
        self.sock = sock
        self.sent_at = 0
        self.open = True
        self.keep_body = keep_body
        self.body: list[bytes] = []
        if not keep_body:
            self.on_body = None  # httptools then skips the callback entirely
        self.parser = httptools.HttpResponseParser(self)

    def on_body(self, body: bytes) -> None:
        self.body.append(body)

    def on_message_complete(self) -> None:
        run = self.run
        t = now_ns()
        status = self.parser.get_status_code()
        run.statuses[status] = run.statuses.get(status, 0) + 1
        run.done += 1
        if run.window_start <= t <= run.window_end:
            run.latencies.append(t - self.sent_at)
            run.last_in_window = t
        if self.keep_body:
            run.last_body = b"".join(self.body)
            self.body = []
        self.send_next()

    def send_next(self) -> None:
        req = self.run.next_request()
        if req is None:
            self.open = False
            return
        self.sent_at = now_ns()
        send_all(self.sock, req)


def http_main(spec: dict) -> dict:
    ctx = client_context(spec)
    run = Run(spec)
    conns = [HttpConn(run, dial(spec, ctx), keep_body=bool(spec.get("keep_last_body")) and i == 0)
             for i in range(int(spec["connections"]))]
    by_fd = {c.sock.fileno(): c for c in conns}
    ep = select.epoll()
    for fd in by_fd:
        ep.register(fd, select.EPOLLIN)
    # All workers of one measurement start at the same absolute time.
    delay = (int(spec["start_at_ns"]) - now_ns()) / 1e9
    late = max(0.0, -delay)
    if delay > 0:
        time.sleep(delay)
    run.window_start = now_ns() + int(spec["warmup_s"] * 1e9)
    run.window_end = run.window_start + int(spec["duration_s"] * 1e9)
    hard_end = run.window_end + int(float(spec.get("grace_s", 15)) * 1e9)
    for c in conns:
        c.send_next()
    active = sum(c.open for c in conns)
    timed_out = False
    errors = 0
    while active:
        if now_ns() > hard_end:
            timed_out = True
            break
        for fd, _ in ep.poll(0.5):
            c = by_fd[fd]
            try:
                alive = drain(c.sock, c.parser)
            except httptools.HttpParserError:
                alive = False
            if not alive or not c.open:
                if not alive and c.open:
                    errors += 1
                c.open = False
                ep.unregister(fd)
                active -= 1
    ep.close()
    for c in conns:
        c.sock.close()
    measured = len(run.latencies)
    # If the budget ran out before the window closed, the window ends at the last reply.
    end = run.window_end if run.issued < run.budget else min(run.window_end, run.last_in_window)
    out = {
        "connections": len(conns),
        "late_start_s": round(late, 4),
        "measured": measured,
        "elapsed_s": max(1e-9, (end - run.window_start) / 1e9),
        "total_completed": run.done,
        "issued": run.issued,
        "statuses": {str(k): v for k, v in run.statuses.items()},
        "connection_errors": errors,
        "timed_out": timed_out,
        "latencies_us": [x // 1000 for x in run.latencies],
    }
    if spec.get("keep_last_body"):
        out["last_body"] = run.last_body.decode("utf-8", "replace")
    return out


# --------------------------------------------------------------------------- watch streams


class Watches:
    def __init__(self) -> None:
        self.marker = b""
        self.arrivals: dict[int, int] = {}
        self.frame = b""
        self.total = 0
        self.now = 0  # time of the current epoll wake-up


class WatchConn:
    def __init__(self, shared: Watches, index: int, sock: ssl.SSLSocket) -> None:
        self.shared = shared
        self.index = index
        self.sock = sock
        self.parser = httptools.HttpResponseParser(self)
        self.status = 0
        self.tail = b""
        self.pending = b""  # body since arming, kept by stream 0 only: the frame for the ceiling
        self.open = True

    def on_headers_complete(self) -> None:
        self.status = self.parser.get_status_code()

    def on_body(self, body: bytes) -> None:
        sh = self.shared
        if not sh.marker or self.index in sh.arrivals:
            return
        if self.index == 0:
            self.pending += body
        hay = self.tail + body
        if sh.marker in hay:
            sh.arrivals[self.index] = sh.now
            if self.index == 0:
                sh.frame = self.pending
        self.tail = hay[-len(sh.marker):]


def watch_main(spec: dict) -> None:
    ctx = client_context(spec)
    shared = Watches()
    request = (
        f"GET {spec['path']} HTTP/1.1\r\nHost: {spec['host']}:{spec['port']}\r\n"
        "User-Agent: kube-apiserver-bench\r\nAccept: application/json\r\n\r\n"
    ).encode()
    t0 = now_ns()
    ep = select.epoll()
    conns: dict[int, WatchConn] = {}
    failures: list[str] = []
    def close(fd: int) -> None:
        c = conns.pop(fd)
        c.open = False
        ep.unregister(fd)
        c.sock.close()

    def read_stream(fd: int) -> None:
        shared.now = now_ns()
        c = conns.get(fd)
        if c is None:
            return
        try:
            alive = drain(c.sock, c.parser)
        except httptools.HttpParserError:
            alive = False
        if not alive:
            close(fd)

    # TLS handshakes, many at a time: non-blocking, driven by epoll (at most 64 in flight).
    todo = list(range(int(spec["connections"])))[::-1]
    shaking: dict[int, tuple[int, ssl.SSLSocket]] = {}
    deadline = time.monotonic() + 60
    while (todo or shaking) and time.monotonic() < deadline:
        while todo and len(shaking) < 64:
            i = todo.pop()
            try:
                raw = socket.create_connection((spec["host"], spec["port"]), timeout=10)
                raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                sock = ctx.wrap_socket(raw, server_hostname=spec["host"], do_handshake_on_connect=False)
                sock.setblocking(False)
            except OSError as exc:
                failures.append(repr(exc))
                continue
            shaking[sock.fileno()] = (i, sock)
            ep.register(sock.fileno(), select.EPOLLOUT)
        for fd, _ in ep.poll(0.5):
            if fd not in shaking:
                read_stream(fd)
                continue
            i, sock = shaking[fd]
            try:
                sock.do_handshake()
            except ssl.SSLWantReadError:
                ep.modify(fd, select.EPOLLIN)
                continue
            except ssl.SSLWantWriteError:
                ep.modify(fd, select.EPOLLOUT)
                continue
            except (OSError, ssl.SSLError) as exc:
                failures.append(repr(exc))
                del shaking[fd]
                ep.unregister(fd)
                sock.close()
                continue
            del shaking[fd]
            ep.modify(fd, select.EPOLLIN)
            conns[fd] = WatchConn(shared, i, sock)
            send_all(sock, request)
    for fd, (_, sock) in shaking.items():
        failures.append("handshake timed out")
        ep.unregister(fd)
        sock.close()

    def pump(timeout: float) -> None:
        for fd, _ in ep.poll(timeout):
            if fd != stdin_fd:
                read_stream(fd)

    stdin_fd = sys.stdin.fileno()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(c.status == 0 for c in conns.values()):
        pump(0.2)
    for fd, c in list(conns.items()):
        if c.status != 200:
            failures.append(f"status {c.status}")
            close(fd)
    shared.total = len(conns)
    emit({"ready": len(conns), "failures": failures[:5], "failed": len(failures),
          "setup_s": (now_ns() - t0) / 1e9})

    os.set_blocking(stdin_fd, False)
    ep.register(stdin_fd, select.EPOLLIN)
    buf = b""
    collect_until = 0.0
    lifetime = time.monotonic() + float(spec.get("max_lifetime_s", 300))
    quit_ = False
    while not quit_ and time.monotonic() < lifetime:
        if collect_until:
            if len(shared.arrivals) >= shared.total or time.monotonic() >= collect_until:
                emit({"arrivals_ns": list(shared.arrivals.values()),
                      "missing": shared.total - len(shared.arrivals), "open": len(conns),
                      "frame": shared.frame.decode("utf-8", "replace")})
                shared.marker = b""
                collect_until = 0.0
        pump(0.05)
        try:
            chunk = os.read(stdin_fd, 4096)
        except BlockingIOError:
            continue
        if not chunk:
            break
        buf += chunk
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            cmd, _, arg = line.decode().strip().partition(" ")
            if cmd == "ARM":
                shared.marker = arg.encode()
                shared.arrivals = {}
                shared.frame = b""
                for c in conns.values():
                    c.tail = b""
                    c.pending = b""
                emit({"armed": True})
            elif cmd == "COLLECT":
                collect_until = time.monotonic() + float(arg or 10)
            elif cmd == "QUIT":
                quit_ = True
    for fd in list(conns):
        close(fd)
    emit({"bye": True})


def emit(obj: dict) -> None:
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def main() -> None:
    mode, spec = sys.argv[1], json.loads(sys.argv[2])
    if spec["host"] != "127.0.0.1":
        raise SystemExit("loadgen only dials 127.0.0.1")
    if mode == "http":
        result = http_main(spec)
        with open(spec["out"], "w") as f:
            json.dump(result, f)
    elif mode == "watch":
        watch_main(spec)
    else:
        raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:  # Ctrl-C reaches the whole process group; run.py cleans up
        sys.exit(130)
