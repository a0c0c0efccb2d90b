#!/usr/bin/env python
"""Speed under load (issue 10): simulated merchandisers against one gunicorn, headless and bounded.

    .venv/bin/python bench/load.py --sqlite /tmp/load100k/db.sqlite3 --users 30,60,100
    .venv/bin/python bench/load.py --postgres postgres://postgres@127.0.0.1:5432/gendan_load100k --users 30,60,100
    .venv/bin/python bench/load.py --url http://127.0.0.1:8000 --users 10       # a server already running

It starts gunicorn itself (``--workers 5``, production settings: ``gendan.settings.prod`` with DEBUG
off, the cached template loader, persistent connections, the manifest static storage; on SQLite
the embedded database's own options — WAL, IMMEDIATE transactions), on 127.0.0.1 only, and stops
it by its PID (its process group) at the end. Then, for each step of ``--users``:

- every simulated user is a merchandiser of the demo (``merch``, ``merch2``, ``merch3`` … —
  ``seed_demo --orders 100000`` makes merch3 … merch100), logged in through the login form once
  (the session cookie is kept across steps), who knows the orders on the first page of their list;
- in a loop, each opens one of five pages at random — the chase board, the order list, one of their
  orders, the late-orders filter (T&A risk "late"), the production orders — and thinks for an
  exponentially distributed time (mean ``--think`` seconds) before the next;
- after ``--warmup`` seconds, requests are recorded for ``--duration`` seconds; the step reports
  requests/s, p50 / p95 / p99 per page and overall, errors (not 200, or no answer), the load
  average, and the CPU the gunicorn workers spent per request (read from /proc: what a page costs,
  whatever else the machine is doing); with ``--postgres`` also the CPU of the PostgreSQL server's
  processes per request (all of the machine's: run it quiet), and always this driver's own.

``REDIS_URL`` in the environment reaches gunicorn (the documented deployment: the cache and the
sessions in Redis, shared by the workers — the chase board's kept sections then serve every worker;
without it each worker keeps its own). Only the Python standard library on the client side (threads + http.client). ``--json FILE``
writes the figures. ``--code DIR`` serves another checkout (e.g. a worktree of an older commit,
for a "before" run) with this driver. Nothing here runs in ``make test``; see bench/README.md.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "gendan-demo-2026"  # the demo's published password (seed_demo)
PAGES = {
    "board": "/tracking/board/",
    "order list": "/sales/orders/",
    "order page": None,  # one of the user's orders, chosen per request
    "late orders": "/sales/orders/?risk=late",
    "production orders": "/production/orders/",
}
ORDER_LINK = re.compile(r'href="/sales/orders/(\d+)/"')

SETTINGS = '''"""Written by bench/load.py: the production settings, plus SQLite's own options when the database is SQLite."""
import copy

from gendan.settings.base import DATABASES as _EMBEDDED
from gendan.settings.prod import *  # noqa: F403

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["OPTIONS"] = copy.deepcopy(_EMBEDDED["default"]["OPTIONS"])  # noqa: F405
STATIC_ROOT = {static!r}
'''


def log(message: str) -> None:
    print(f"[load {time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- the server -----------------------------------------------------------------------------


class Server:
    """gunicorn with the production settings, started and stopped by its PID (process group)."""

    def __init__(self, args) -> None:
        self.args = args
        self.code = Path(args.code).resolve()
        self.work = Path(args.work_dir).resolve()
        self.port = args.port or free_port()
        self.proc: subprocess.Popen | None = None
        self.python = str(self.code / ".venv" / "bin" / "python") if (self.code / ".venv").exists() else sys.executable

    def env(self) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GENDAN_", "DATABASE_"))}
        url = self.args.postgres or f"sqlite:///{Path(self.args.sqlite).resolve()}"
        env.update({
            "DJANGO_SETTINGS_MODULE": "load_settings",
            "PYTHONPATH": f"{self.work}{os.pathsep}{self.code}",
            "SECRET_KEY": self.args.secret,
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": url,
            "GENDAN_VAR_DIR": str(self.work / "var"),  # media (nothing is uploaded)
            "SECURE_SSL_REDIRECT": "false", "SECURE_COOKIES": "false", "SECURE_HSTS_SECONDS": "0",
            "PYTHONUNBUFFERED": "1",
        })
        return env

    def prepare(self) -> None:
        self.work.mkdir(parents=True, exist_ok=True)
        (self.work / "load_settings.py").write_text(SETTINGS.format(static=str(self.work / "static")))
        started = time.monotonic()
        result = subprocess.run([self.python, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=self.code,
                                env=self.env(), capture_output=True, text=True, stdin=subprocess.DEVNULL)
        if result.returncode:
            sys.exit(f"collectstatic failed:\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}")
        log(f"collectstatic: {time.monotonic() - started:.1f} s")

    def start(self) -> None:
        out = open(self.work / "gunicorn.log", "ab")  # noqa: SIM115 (closed with the process)
        self.proc = subprocess.Popen(
            [self.python, "-m", "gunicorn", "gendan.wsgi:application", "--workers", str(self.args.workers),
             "--bind", f"127.0.0.1:{self.port}", "--timeout", "120", "--graceful-timeout", "5",
             "--no-control-socket"],
            cwd=self.code, env=self.env(), stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True)
        log(f"gunicorn pid {self.proc.pid}, {self.args.workers} workers, 127.0.0.1:{self.port} "
            f"(log {self.work / 'gunicorn.log'})")
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                sys.exit(f"gunicorn exited with {self.proc.returncode}; see {self.work / 'gunicorn.log'}")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                connection.request("GET", "/accounts/login/", headers={"Host": "127.0.0.1"})
                status = connection.getresponse().status
                connection.close()
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        self.stop()
        sys.exit("gunicorn did not answer within 120 s")

    def worker_pids(self) -> list[int]:
        """gunicorn's workers: the children of the arbiter."""
        if self.proc is None:
            return []
        try:
            children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text().split()
        except OSError:
            return []
        return [int(pid) for pid in children]

    def cpu_seconds(self) -> float:
        """User + system CPU of the arbiter and its workers so far."""
        return processes_cpu(([self.proc.pid] if self.proc else []) + self.worker_pids())

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)  # the group this PID leads: the arbiter and its workers
            self.proc.wait(timeout=15)
        except ProcessLookupError:
            return
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=5)
        log(f"gunicorn {self.proc.pid} stopped")


# --- the simulated users --------------------------------------------------------------------


class LoginFailed(Exception):
    pass


@dataclass
class User:
    username: str
    host: str
    port: int
    cookies: dict = field(default_factory=dict)
    orders: list = field(default_factory=list)

    def request(self, method: str, path: str, form: dict | None = None, timeout: float = 60) -> tuple[int, bytes]:
        headers = {"Host": "127.0.0.1", "Accept-Language": "zh-hans"}
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    if morsel.value == "" or morsel["max-age"] == "0":
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value
            return response.status, data
        finally:
            connection.close()

    def login(self) -> None:
        status, page = self.request("GET", "/accounts/login/")
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or not match:
            raise LoginFailed(f"{self.username}: the login page answered {status}")
        status, _ = self.request("POST", "/accounts/login/", form={
            "csrfmiddlewaretoken": match.group(1).decode(), "username": self.username, "password": PASSWORD})
        if status != 302 or "sessionid" not in self.cookies:
            raise LoginFailed(f"{self.username}: login answered {status} (wrong user or password?)")
        status, page = self.request("GET", PAGES["order list"])
        if status != 200:
            raise LoginFailed(f"{self.username}: the order list answered {status}")
        self.orders = sorted({int(pk) for pk in ORDER_LINK.findall(page.decode("utf-8", "replace"))})
        if not self.orders:
            raise LoginFailed(f"{self.username}: no order on the first page of their list")


def usernames(count: int, prefix: str, accounts: int) -> list[str]:
    """merch, merch2, merch3 … (seed_demo's names); beyond ``accounts`` the names wrap around (two
    simulated users of one account have a session each)."""
    return [prefix if n == 1 else f"{prefix}{n}" for n in ((i % accounts) + 1 for i in range(count))]


def log_in_all(users: list[User], parallel: int) -> None:
    """Log in before the steps (password hashing is deliberately slow; it is not a page view)."""
    started = time.monotonic()
    errors: list[str] = []
    pending = list(users)
    lock = threading.Lock()

    def work():
        while True:
            with lock:
                if not pending:
                    return
                user = pending.pop()
            try:
                user.login()
            except (LoginFailed, OSError) as exc:
                with lock:
                    errors.append(str(exc))

    threads = [threading.Thread(target=work) for _ in range(parallel)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        sys.exit("log-in failed:\n" + "\n".join(errors[:10]))
    log(f"{len(users)} users logged in in {time.monotonic() - started:.1f} s")


@dataclass
class Sample:
    page: str
    started: float
    ms: float
    ok: bool


def run_step(users: list[User], warmup: float, duration: float, think: float, seed: int,
             server: Server | None, *, postgres: bool = False) -> dict:
    samples: list[Sample] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + warmup + duration
    window = [0.0, 0.0]
    names = list(PAGES)

    def simulate(user: User, rng: random.Random):
        time.sleep(rng.uniform(0, think))  # arrive spread over one think time, not all at once
        while time.monotonic() < stop_at:
            page = rng.choice(names)
            path = PAGES[page] or f"/sales/orders/{rng.choice(user.orders)}/"
            started = time.monotonic()
            ok, what = False, ""
            try:
                status, body = user.request("GET", path)
                ok = status == 200
                what = f"{status}"
            except OSError as exc:
                what = type(exc).__name__
            elapsed = (time.monotonic() - started) * 1000
            with lock:
                samples.append(Sample(page, started, elapsed, ok))
                if not ok and len(errors) < 20:
                    errors.append(f"{user.username} {path}: {what}")
            time.sleep(max(0.0, min(rng.expovariate(1 / think), stop_at - time.monotonic())))

    rng = random.Random(seed)
    threads = [threading.Thread(target=simulate, args=(user, random.Random(rng.random())), daemon=True)
               for user in users]
    window[0] = time.monotonic() + warmup
    window[1] = window[0] + duration
    for thread in threads:
        thread.start()
    time.sleep(warmup)
    cpu_before = server.cpu_seconds() if server else None
    db_before = postgres_cpu_seconds() if postgres else None
    client_before = time.process_time()
    load_before = os.getloadavg()
    time.sleep(duration)
    cpu_after = server.cpu_seconds() if server else None
    db_after = postgres_cpu_seconds() if postgres else None
    client_after = time.process_time()
    load_after = os.getloadavg()
    for thread in threads:
        thread.join(timeout=120)
    recorded = [s for s in samples if window[0] <= s.started < window[1]]
    result = {
        "users": len(users), "duration_s": duration, "requests": len(recorded),
        "requests_per_s": round(len(recorded) / duration, 1),
        "errors": sum(not s.ok for s in recorded), "error_examples": errors[:5],
        "load_average_1m": [round(load_before[0], 2), round(load_after[0], 2)],
        "pages": {},
    }
    if cpu_before is not None and recorded:
        result["server_cpu_ms_per_request"] = round((cpu_after - cpu_before) * 1000 / len(recorded), 1)
    if db_before is not None and recorded:
        result["database_cpu_ms_per_request"] = round((db_after - db_before) * 1000 / len(recorded), 1)
    if recorded:  # this driver's own threads, on the same two cores
        result["client_cpu_ms_per_request"] = round((client_after - client_before) * 1000 / len(recorded), 1)
    for page in [*names, "all"]:
        times = sorted(s.ms for s in recorded if page == "all" or s.page == page)
        if times:
            result["pages"][page] = {"n": len(times), "p50": round(percentile(times, 50)),
                                     "p95": round(percentile(times, 95)), "p99": round(percentile(times, 99)),
                                     "mean": round(statistics.fmean(times))}
    return result


def processes_cpu(pids) -> float:
    """User + system CPU seconds of the processes ``pids`` so far (those gone are skipped)."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return total


def postgres_cpu_seconds() -> float:
    """CPU of every PostgreSQL server process on this machine (its backends, one per connection,
    and its background processes): what the database spent, which gunicorn's figure leaves out.
    Every database of the cluster counts — run on a quiet machine."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "postgres":
                    pids.append(int(entry.name))
            except OSError:
                continue
    return processes_cpu(pids)


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest rank."""
    rank = max(1, -(-len(sorted_values) * p // 100))
    return sorted_values[int(rank) - 1]


def print_step(result: dict) -> None:
    cpu = result.get("server_cpu_ms_per_request")
    db = result.get("database_cpu_ms_per_request")
    client = result.get("client_cpu_ms_per_request")
    log(f"{result['users']} users: {result['requests']} requests in {result['duration_s']:.0f} s = "
        f"{result['requests_per_s']} /s, {result['errors']} errors, load average {result['load_average_1m']}"
        + (f", gunicorn CPU {cpu} ms per request" if cpu is not None else "")
        + (f", PostgreSQL CPU {db} ms" if db is not None else "")
        + (f", driver CPU {client} ms" if client is not None else ""))
    print(f"    {'page':<18} {'n':>6} {'p50':>7} {'p95':>7} {'p99':>7} {'mean':>7}  (ms)")
    for page, figures in result["pages"].items():
        print(f"    {page:<18} {figures['n']:>6} {figures['p50']:>7} {figures['p95']:>7} {figures['p99']:>7} "
              f"{figures['mean']:>7}")
    for example in result["error_examples"]:
        print(f"    error: {example}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--sqlite", metavar="FILE", help="a seeded SQLite database file")
    where.add_argument("--postgres", metavar="URL", help="a seeded PostgreSQL database")
    where.add_argument("--url", help="a server already running (nothing is started)")
    parser.add_argument("--users", default="30,60,100", help="simulated users per step, comma separated")
    parser.add_argument("--duration", type=float, default=60, help="seconds recorded per step")
    parser.add_argument("--warmup", type=float, default=15, help="seconds before recording, per step")
    parser.add_argument("--think", type=float, default=3.0, help="mean think time in seconds (exponential)")
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--port", type=int, default=0, help="gunicorn's port on 127.0.0.1 (default: a free one)")
    parser.add_argument("--prefix", default="merch", help="usernames: PREFIX, PREFIX2, PREFIX3 …")
    parser.add_argument("--accounts", type=int, default=100,
                        help="how many such accounts exist (100 at seed_demo --orders 100000, 2 at its default size)")
    parser.add_argument("--code", default=str(ROOT), help="the checkout gunicorn serves (default: this one)")
    parser.add_argument("--work-dir", help="settings, static files and the server log (default: a temporary folder)")
    parser.add_argument("--login-parallel", type=int, default=4)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--json", metavar="FILE", help="write the figures as JSON")
    args = parser.parse_args()
    steps = [int(n) for n in args.users.split(",")]
    if any(n < 1 or n > 1000 for n in steps) or args.duration > 900 or args.warmup > 300:
        sys.exit("bounded: 1–1000 users, at most 900 s recorded and 300 s of warm-up per step")
    args.secret = secrets.token_urlsafe(50)
    own_work_dir = not args.work_dir
    args.work_dir = args.work_dir or f"/tmp/gendan-load-{os.getpid()}"

    server = None
    if args.url:
        parts = urlsplit(args.url)
        if parts.hostname not in ("127.0.0.1", "localhost"):
            sys.exit("127.0.0.1 only")
        host, port = "127.0.0.1", parts.port or 80
    else:
        server = Server(args)
        host, port = "127.0.0.1", server.port
    results = {"started": time.strftime("%Y-%m-%d %H:%M:%S %Z"), "code": args.code,
               "database": args.postgres or args.sqlite or args.url, "workers": args.workers,
               "think_s": args.think, "warmup_s": args.warmup, "steps": []}
    try:
        if server:
            server.prepare()
            server.start()
        users = [User(name, host, port) for name in usernames(max(steps), args.prefix, args.accounts)]
        log_in_all(users, args.login_parallel)
        for number, count in enumerate(steps):
            log(f"step: {count} users, {args.warmup:.0f} s warm-up + {args.duration:.0f} s recorded")
            result = run_step(users[:count], args.warmup, args.duration, args.think, args.seed + number, server,
                              postgres=bool(args.postgres))
            print_step(result)
            results["steps"].append(result)
            if args.json:
                Path(args.json).write_text(json.dumps(results, indent=2, ensure_ascii=False))
    finally:
        if server:
            server.stop()
            if own_work_dir:
                shutil.rmtree(args.work_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
