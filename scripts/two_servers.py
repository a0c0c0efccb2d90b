#!/usr/bin/env python
"""Two app servers, one database: the README's "app servers are stateless", shown (`make test-two-servers`).

Starts, all on 127.0.0.1 and at ports free at run time: a private Redis (or, when no `redis-server`
is installed, TWO_SERVERS_REDIS_URL, default redis://127.0.0.1:6379/5, flushed at the end), two
gunicorn instances (2 workers each) with the production settings sharing one PostgreSQL database,
that Redis (cache, sessions, the task queue) and one media folder, the RQ task worker
(`manage.py rqworker … --job-class django_tasks_rq.Job`) and a real SMTP server (tests/smtp.py).
Then it drives the golden path alternately through server A and server B and checks that nothing
depends on which one answered:

- a CSRF token from one server is accepted by the other, a session made on one is valid on the other,
  and a logout on one ends it on both;
- wrong passwords split across A and B lock the account exactly at the limit, on both;
- a PI issued on B downloads from A and B as the same PDF; a file uploaded on A downloads from B
  with the same bytes; the API answers the same JSON on both;
- a digest e-mail (`manage.py chase_run`) is sent by the worker from the Redis queue and arrives.

Last, the backup and restore drill: `manage.py backup` of that database and media folder, `manage.py
restore` into a new empty database and folder, and the row count of every table and the SHA-256 of
every media file compared (source against restored).

Every process is stopped by its PID (its process group) on exit, the databases are dropped and the
temporary folder removed. Exits non-zero with a message saying what differed. PG_URL (default
postgres://postgres@127.0.0.1:5432/gendan) names the server; the databases are
gendan_twoservers_<pid> and gendan_twoservers_<pid>_restored.

`--break-secret` checks the checker: server B gets another SECRET_KEY (a server that does not share
what it must), and the run has to fail at the first session used across servers.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import uuid
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PASSWORD = "gendan-demo-2026"  # the demo's published password (seed_demo)
TIME_LIMIT = int(os.environ.get("TWO_SERVERS_TIME_LIMIT", "420"))  # seconds for the whole run, then stop


class Difference(Exception):
    """Something depended on which server answered (or the drill failed): the message says what."""


def log(message: str) -> None:
    print(f"[two-servers {time.monotonic() - STARTED:6.1f}s] {message}", flush=True)


STARTED = time.monotonic()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- processes --------------------------------------------------------------------------------


class Processes:
    """Started processes, each the leader of its own process group, stopped by PID on exit."""

    def __init__(self, logs: Path) -> None:
        self.logs = logs
        self.started: dict[str, subprocess.Popen] = {}

    def start(self, name: str, command: list[str], env: dict) -> subprocess.Popen:
        out = open(self.logs / f"{name}.log", "wb")  # noqa: SIM115 (closed with the process)
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
        self.started[name] = proc
        log(f"started {name} (pid {proc.pid})")
        return proc

    def check_alive(self) -> None:
        for name, proc in self.started.items():
            if proc.poll() is not None:
                raise Difference(f"{name} exited with {proc.returncode}:\n{self.tail(name)}")

    def tail(self, name: str, lines: int = 30) -> str:
        path = self.logs / f"{name}.log"
        if not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self, name: str) -> None:
        proc = self.started.pop(name, None)
        if proc is None or proc.poll() is not None:
            return
        try:
            os.killpg(proc.pid, signal.SIGTERM)  # the group led by this PID: gunicorn's workers, RQ's work horse
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)

    def stop_all(self) -> None:
        for name in reversed(list(self.started)):
            self.stop(name)


def run(command: list[str], env: dict, what: str, timeout: int = 180) -> str:
    started = time.monotonic()
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout,
                            stdin=subprocess.DEVNULL)
    if result.returncode != 0:
        raise Difference(f"{what} failed ({result.returncode}):\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    log(f"{what}: {time.monotonic() - started:.1f}s")
    return result.stdout


# --- HTTP: a browser whose cookies go to whichever server it asks --------------------------


@dataclass
class Answer:
    server: str
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def json(self):
        return json.loads(self.body)


class Browser:
    """One person's browser. The cookie jar is the browser's, not a server's: what A sets is sent
    to B, as behind a load balancer. Redirects are not followed."""

    def __init__(self, servers: dict[str, int]) -> None:
        self.servers = servers
        self.cookies: dict[str, str] = {}

    def request(self, server: str, method: str, path: str, *, form: dict | None = None,
                files: dict | None = None, payload=None, headers: dict | None = None) -> Answer:
        headers = {"Accept-Language": "en", "Host": "127.0.0.1", **(headers or {})}
        body = None
        if files:
            boundary = uuid.uuid4().hex
            body = _multipart(boundary, form or {}, files)
            headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        elif form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif payload is not None:
            body = json.dumps(payload).encode()
            headers["Content-Type"] = "application/json"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection = http.client.HTTPConnection("127.0.0.1", self.servers[server], timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            answer = Answer(server, response.status, response.headers, response.read())
        finally:
            connection.close()
        for header in answer.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel.value == "" or morsel["max-age"] == "0" or "1970" in morsel["expires"]:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        if answer.status >= 500:
            raise Difference(f"server {server}: {method} {path} answered {answer.status}:\n{answer.text[:2000]}")
        return answer

    def get(self, server: str, path: str, **kwargs) -> Answer:
        return self.request(server, "GET", path, **kwargs)

    def post(self, server: str, path: str, **kwargs) -> Answer:
        return self.request(server, "POST", path, **kwargs)

    def form_token(self, server: str, path: str) -> str:
        page = self.get(server, path)
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        if page.status != 200 or not match:
            raise Difference(f"server {server}: no form with a CSRF token at {path} ({page.status})")
        return match.group(1)

    def login(self, get_on: str, post_on: str, username: str, password: str) -> Answer:
        token = self.form_token(get_on, "/accounts/login/")
        return self.post(post_on, "/accounts/login/", form={
            "csrfmiddlewaretoken": token, "username": username, "password": password})

    def api_headers(self) -> dict:
        return {"X-CSRFToken": self.cookies.get("csrftoken", ""), "Referer": "http://127.0.0.1/"}


def _multipart(boundary: str, fields: dict, files: dict) -> bytes:
    out = []
    for name, value in fields.items():
        out.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content, mime) in files.items():
        out.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                   f"Content-Type: {mime}\r\n\r\n".encode() + content + b"\r\n")
    out.append(f"--{boundary}--\r\n".encode())
    return b"".join(out)


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise Difference(message)


def wait_http(port: int, processes: Processes, name: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        processes.check_alive()
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/accounts/login/", headers={"Host": "127.0.0.1"})
            status = connection.getresponse().status
            connection.close()
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise Difference(f"{name} did not answer on port {port} within {timeout} s:\n{processes.tail(name)}")


# --- the drive ------------------------------------------------------------------------------


def small_pdf(marker: str) -> bytes:
    """A real one-page PDF, different every run (the upload must be these bytes, not a copy of another)."""
    from io import BytesIO

    from reportlab.pdfgen import canvas

    buffer = BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, f"Uploaded on server A, read on server B: {marker}")
    page.save()
    return buffer.getvalue()


def drive(servers: dict[str, int], smtp, env: dict, checked: list[str], work_logs: Path) -> None:

    # Sessions and CSRF: the login form from B, sent to A; the session from A used on B.
    merch = Browser(servers)
    answer = merch.login("B", "A", "merch", PASSWORD)
    expect(answer.status == 302, f"login: the form from B posted to A answered {answer.status}, not 302 "
                                 "(a CSRF token of one server refused by the other?)")
    expect("sessionid" in merch.cookies, "login on A set no session cookie")
    me = {s: merch.get(s, "/api/v1/auth/me/") for s in ("A", "B")}
    for server, reply in me.items():
        expect(reply.status == 200 and reply.json().get("username") == "merch",
               f"the session made on A is not valid on {server}: {reply.status} {reply.text[:200]}")
    home = merch.get("B", "/")
    expect(home.status == 200, f"home page on B with A's session: {home.status}")
    checked.append("login on A with B's CSRF token; the session works on A and B")

    # The same API answer from both servers.
    orders = []
    for status in ("confirmed", "in_production", "ready"):  # an order whose PI may be issued
        orders = orders or merch.get("A", f"/api/v1/orders/?status={status}").json()["results"]
    expect(bool(orders), "merch sees no confirmed, in-production or ready order in the demo")
    order_id = orders[0]["id"]
    one = {s: merch.get(s, f"/api/v1/orders/{order_id}/") for s in ("A", "B")}
    expect(one["A"].status == 200 and one["A"].body == one["B"].body,
           f"GET /api/v1/orders/{order_id}/ differs between A and B")
    checked.append(f"order {orders[0].get('number')}: the same JSON from A and B")

    # A PI issued on B (a PDF written to the shared media folder), read from A and B.
    issued = merch.post("B", f"/api/v1/orders/{order_id}/documents/", payload={"kind": "pi"},
                        headers=merch.api_headers())
    expect(issued.status == 201, f"issuing the PI on B (CSRF token set by A): {issued.status} {issued.text[:300]}")
    document_id = issued.json()["id"]
    pdf_a = merch.get("A", f"/sales/orders/{order_id}/documents/{document_id}/")
    pdf_b = merch.get("B", f"/api/v1/orders/{order_id}/documents/{document_id}/file/")
    for reply in (pdf_a, pdf_b):
        expect(reply.status == 200 and reply.body.startswith(b"%PDF"),
               f"the PI from {reply.server}: {reply.status}, starts {reply.body[:8]!r}")
    expect(pdf_a.body == pdf_b.body, "the PI issued on B reads differently from A and from B")
    checked.append(f"PI issued on B: the same PDF ({len(pdf_a.body)} bytes) from A and B")

    # An upload on A, downloaded from B.
    marker = secrets.token_hex(8)
    content = small_pdf(marker)
    page = f"/sales/orders/{order_id}/?tab=files"  # the order page's files tab lists the attachments
    before = set(re.findall(r"/documents/files/(\d+)/", merch.get("A", page).text))
    token = merch.form_token("A", page)
    uploaded = merch.post("A", f"/documents/attach/sales.salesorder/{order_id}/", form={
        "csrfmiddlewaretoken": token, "kind": "other", "description": f"two servers {marker}"},
        files={"file": (f"two-servers-{marker}.pdf", content, "application/pdf")})
    expect(uploaded.status == 302, f"upload on A: {uploaded.status} {uploaded.text[:300]}")
    after = set(re.findall(r"/documents/files/(\d+)/", merch.get("B", page).text))
    new = after - before
    expect(len(new) == 1, f"the order page on B lists {len(new)} new attachments after the upload on A, not 1 "
                          f"(messages: {re.findall(r'class=.alert[^>]*>([^<]+)', merch.get('A', page).text)})")
    attachment_id = new.pop()
    download = merch.get("B", f"/documents/files/{attachment_id}/")
    expect(download.status == 200 and download.body == content,
           f"the file uploaded on A downloads from B as {download.status}, {len(download.body)} bytes "
           f"(sent {len(content)})")
    checked.append(f"upload on A ({len(content)} bytes), the same bytes downloaded from B")

    # Logout on B ends the session on A too.
    token = merch.form_token("A", "/")
    merch.post("B", "/accounts/logout/", form={"csrfmiddlewaretoken": token})
    gone = merch.get("A", "/api/v1/auth/me/")
    expect(gone.status in (401, 403), f"after logout on B, A still accepts the session: {gone.status}")
    checked.append("logout on B ends the session on A")

    checked += throttle(servers)
    checked += digest(servers, smtp, env, work_logs)


def throttle(servers: dict[str, int]) -> list[str]:
    """Wrong passwords alternately on A and B: the lock comes exactly at the limit, on both."""
    limit = 5  # GENDAN_LOGIN_MAX_FAILURES (base settings)
    below = Browser(servers)
    for attempt in range(limit - 1):
        server = "AB"[attempt % 2]
        reply = below.login("AB"[(attempt + 1) % 2], server, "merch2", "wrong-password")
        expect(reply.status == 200 and "Too many failed logins" not in reply.text,
               f"merch2: wrong password {attempt + 1} on {server} already locked (limit {limit})")
    reply = below.login("A", "B", "merch2", PASSWORD)
    expect(reply.status == 302, f"merch2: after {limit - 1} failures (below the limit) the right password on B "
                                f"was refused: {reply.status}")
    locked = Browser(servers)
    for attempt in range(limit):
        server = "AB"[attempt % 2]
        locked.login("AB"[(attempt + 1) % 2], server, "sales2", "wrong-password")
    for server in ("A", "B"):
        reply = locked.login(server, server, "sales2", PASSWORD)
        expect(reply.status == 200 and "Too many failed logins" in reply.text,
               f"sales2: after {limit} failures split over A and B, the right password on {server} answered "
               f"{reply.status} (not locked)")
    return [f"{limit - 1} wrong passwords over A and B: not locked; {limit}: locked on A and on B"]


def digest(servers: dict[str, int], smtp, env: dict, work_logs: Path) -> list[str]:
    """``chase_run`` enqueues the digests into Redis; the RQ worker sends them to the SMTP server."""
    from gendan.settings.base import TIME_ZONE

    local_day = dt.datetime.now(ZoneInfo(TIME_ZONE)).date().isoformat()
    out = run([sys.executable, "manage.py", "chase_run", "--at", f"{local_day} 23:00"], env, "chase_run")
    how = f"chase_run: {' '.join(out.split())}"
    if " 0 digest(s)" in out:  # not a working day: the digest of one person, enqueued directly
        code = ("from gendan.accounts.models import User; from gendan.tracking import tasks; "
                f"tasks.send_digest.enqueue(User.objects.get(username='merch').pk, '{local_day}')")
        run([sys.executable, "manage.py", "shell", "-v0", "-c", code], env, "enqueue merch's digest")
        how = "a non-working day: merch's digest enqueued directly"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if any("merch@demo.gendan.local" in d.rcpt_tos for d in smtp.deliveries):
            break
        time.sleep(0.3)
    else:
        raise Difference(f"no digest for merch reached the SMTP server in 60 s ({how}; "
                         f"{len(smtp.deliveries)} message(s) arrived)")
    mail = next(d for d in smtp.deliveries if "merch@demo.gendan.local" in d.rcpt_tos)
    worker_log = (work_logs / "worker.log").read_text(errors="replace")
    expect("gendan.tracking.tasks.send_digest" in worker_log,
           "the digest arrived, but the RQ worker's log shows no send_digest job: who sent it?")
    return [f"{how}; the worker sent {len(smtp.deliveries)} e-mail(s), merch's: {mail.message['Subject']!r}"]


# --- backup and restore drill -------------------------------------------------------------------


def pg_counts(url: str) -> dict[str, int]:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        tables = [row[0] for row in connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")]
        return {t: connection.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}  # noqa: S608


def backup_drill(env: dict, work: Path, source_url: str, restored_url: str, checked: list[str]) -> None:
    from gendan.core.backup import media_hashes

    run([sys.executable, "manage.py", "backup", "--out", str(work / "backup")], env, "manage.py backup")
    restored_env = {**env, "DATABASE_URL": restored_url, "GENDAN_VAR_DIR": str(work / "restored")}
    run([sys.executable, "manage.py", "restore", str(work / "backup")], restored_env, "manage.py restore")
    source, restored = pg_counts(source_url), pg_counts(restored_url)
    differing = {t: (source.get(t), restored.get(t)) for t in set(source) | set(restored)
                 if source.get(t) != restored.get(t)}
    expect(not differing, f"row counts differ after the restore (source, restored): {differing}")
    files, files_back = media_hashes(work / "var" / "media"), media_hashes(work / "restored" / "media")
    expect(files == files_back, "media files differ after the restore: "
           f"{sorted(set(files.items()) ^ set(files_back.items()))[:10]}")
    expect(len(files) > 0, "the media folder was empty: nothing to check the restore with")
    checked.append(f"backup and restore: {len(source)} tables, {sum(source.values())} rows and {len(files)} media "
                   "files equal (counts and SHA-256)")


# --- main -----------------------------------------------------------------------------------------


def main() -> int:
    import psycopg

    from tests.smtp import SmtpServer

    pg_url = os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432/gendan")
    base = urlsplit(pg_url)
    name = f"gendan_twoservers_{os.getpid()}"
    source_url = base._replace(path=f"/{name}").geturl()
    restored_url = base._replace(path=f"/{name}_restored").geturl()
    admin_url = base._replace(path="/postgres").geturl()
    work = Path(tempfile.mkdtemp(prefix="gendan-two-servers-"))
    (work / "logs").mkdir()
    processes = Processes(work / "logs")
    smtp = None
    redis_flush = None
    ok = False
    checked: list[str] = []

    def on_signal(signum, _frame):
        raise Difference(f"stopped by signal {signum} (time limit {TIME_LIMIT} s?)")

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGALRM, on_signal)
    signal.alarm(TIME_LIMIT)
    try:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            for db in (name, f"{name}_restored"):
                admin.execute(f'DROP DATABASE IF EXISTS "{db}"')
                admin.execute(f'CREATE DATABASE "{db}"')

        if shutil.which("redis-server"):
            redis_port = free_port()
            processes.start("redis", ["redis-server", "--bind", "127.0.0.1", "--port", str(redis_port),
                                      "--save", "", "--appendonly", "no"], dict(os.environ))
            redis_url = f"redis://127.0.0.1:{redis_port}/0"
        else:
            redis_url = os.environ.get("TWO_SERVERS_REDIS_URL", "redis://127.0.0.1:6379/5")  # flushed at the end
            redis_flush = redis_url
        smtp = SmtpServer("127.0.0.1").start()

        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GENDAN_", "DATABASE_"))}
        env.update({
            "DJANGO_SETTINGS_MODULE": "gendan.settings.prod",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": source_url,
            "REDIS_URL": redis_url,
            "GENDAN_TASKS_BACKEND": "rq",
            "GENDAN_VAR_DIR": str(work / "var"),  # one media folder for both servers and the worker
            "SECURE_SSL_REDIRECT": "false", "SECURE_COOKIES": "false", "SECURE_HSTS_SECONDS": "0",
            "EMAIL_HOST": smtp.host, "EMAIL_PORT": str(smtp.port),
            "GENDAN_SITE_URL": "http://127.0.0.1",
            "PYTHONUNBUFFERED": "1",
        })
        # collectstatic (the production storage needs its manifest) beside migrate: neither needs the other.
        static_started = time.monotonic()
        static = subprocess.Popen([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT,
                                  env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, start_new_session=True)
        processes.started["collectstatic"] = static
        run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], env, "migrate (production settings)")
        # The demo is refused under production settings: seed it with them plus GENDAN_DEMO_ALLOWED only.
        (work / "seedsettings").mkdir()
        (work / "seedsettings" / "two_servers_seed.py").write_text(
            "from gendan.settings.prod import *  # noqa: F403\nGENDAN_DEMO_ALLOWED = True\n")
        run([sys.executable, "manage.py", "seed_demo", "--orders", "40", "--customers", "8", "--products", "12"],
            {**env, "DJANGO_SETTINGS_MODULE": "two_servers_seed", "PYTHONPATH": str(work / "seedsettings")},
            "seed_demo (small)")
        output, _ = static.communicate(timeout=120)
        processes.started.pop("collectstatic")
        expect(static.returncode == 0, f"collectstatic failed:\n{output.decode(errors='replace')[-3000:]}")
        log(f"collectstatic (beside migrate): {time.monotonic() - static_started:.1f}s")

        servers = {"A": free_port(), "B": free_port()}
        for server, port in servers.items():
            server_env = env
            if server == "B" and "--break-secret" in sys.argv:  # self-check: a server that differs must fail the run
                server_env = {**env, "SECRET_KEY": secrets.token_urlsafe(50)}
                log("--break-secret: B has another SECRET_KEY, so this run must FAIL")
            processes.start(f"gunicorn-{server}", [
                sys.executable, "-m", "gunicorn", "gendan.wsgi:application", "--workers", "2",
                "--bind", f"127.0.0.1:{port}", "--timeout", "60", "--graceful-timeout", "5",
                "--no-control-socket",
                "--access-logfile", "-"], server_env)
        processes.start("worker", [sys.executable, "manage.py", "rqworker", "default",
                                   "--job-class", "django_tasks_rq.Job"], env)
        for server, port in servers.items():
            wait_http(port, processes, f"gunicorn-{server}")
        log(f"servers up: A on {servers['A']}, B on {servers['B']}, SMTP on {smtp.port}, Redis {redis_url}")

        drive(servers, smtp, env, checked, work / "logs")
        processes.check_alive()
        for name_ in ("gunicorn-A", "gunicorn-B", "worker"):
            processes.stop(name_)
        log("servers and worker stopped")
        backup_drill(env, work, source_url, restored_url, checked)
        ok = True
        return 0
    except Exception as error:  # noqa: BLE001 (any failure: say what, show the processes' last lines)
        for line in checked:
            log(f"OK  {line}")
        if not isinstance(error, Difference):
            traceback.print_exc()
        print(f"\ntwo-servers: FAILED: {error}", file=sys.stderr)
        for name_ in list(processes.started):
            print(f"--- {name_} (last lines) ---\n{processes.tail(name_)}", file=sys.stderr)
        return 1
    finally:
        signal.alarm(0)
        processes.stop_all()
        if smtp is not None:
            smtp.stop()
        if redis_flush:
            try:
                import redis

                redis.Redis.from_url(redis_flush).flushdb()
            except Exception as error:  # noqa: BLE001 (clean-up: say it, go on)
                print(f"two-servers: could not flush {redis_flush}: {error}", file=sys.stderr)
        log("processes stopped")
        try:
            with psycopg.connect(admin_url, autocommit=True) as admin:
                for db in (name, f"{name}_restored"):
                    admin.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
            log("databases dropped")
        except Exception as error:  # noqa: BLE001
            print(f"two-servers: could not drop the databases: {error}", file=sys.stderr)
        if ok or not os.environ.get("TWO_SERVERS_KEEP"):
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"two-servers: logs kept in {work / 'logs'}", file=sys.stderr)
        log(f"cleaned up; {'passed' if ok else 'failed'} in {time.monotonic() - STARTED:.0f} s")
        if ok:
            for line in checked:
                print(f"  ok  {line}")
        print(f"two-servers: {len(checked)} passed, {0 if ok else 1} failed")


if __name__ == "__main__":
    sys.exit(main())
