"""Schemathesis against the running API (`make test-api-fuzz`, issue 10).

A bounded, repeatable run: a throwaway SQLite database in a temporary folder is migrated and
given a small demo (``seed_demo``), an API token is made for the demo's administrator through
Django code, a gunicorn serves the app on 127.0.0.1 at a free port, and schemathesis generates
requests for every operation the live schema lists at that moment (``/api/v1/schema/``; nothing
here names an operation but ``DELETE /auth/token/``, which revokes the token it is called with and
so runs last, on a token of its own). Fixed seed, a fixed number of cases per operation, positive
and negative data. Every process of the run keeps the test suite's clock (``--now``, pinned with
time-machine in the generated settings), so a rule that depends on today answers the same way on
every day the build runs. The checks: no server error, status code, content type and body as the schema
says, valid data accepted (``positive_data_acceptance``, schemathesis' "valid request rejected")
and invalid data refused (``negative_data_rejection``). Any finding fails the step (exit 1); the
reports (JUnit, NDJSON) and the server's log stay in the temporary folder, whose path is printed.

    .venv/bin/python scripts/api_fuzz.py                 # 25 fuzzed cases per operation, seed 20260311
    .venv/bin/python scripts/api_fuzz.py -n 300 --seed 7 --paths '^/api/v1/orders/'   # only these operations
    API_FUZZ_EXAMPLES=50 make test-api-fuzz

The server is stopped by its process id whatever happens (normal end, failure, Ctrl-C, SIGTERM).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SEED = 20260311
# The test suite's clock (conftest.DEFAULT_TEST_NOW): Wednesday 11 March 2026, 07:30 in Shanghai.
PINNED_NOW = "2026-03-11T07:30:00+08:00"
EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "25"))
CHECKS = ",".join([
    "not_a_server_error", "status_code_conformance", "content_type_conformance",
    "response_schema_conformance",
    # positive_data_acceptance, less the refusals caused by the data's state (scripts/api_fuzz_hooks.py)
    "valid_request_accepted",
])
# Revokes the token it is called with: run apart, last, with a token of its own.
REVOKE = ("DELETE", "/api/v1/auth/token/")
HTTP_METHODS = {"get", "put", "post", "patch", "delete", "head", "options", "trace"}

SETTINGS = '''\
"""Written by scripts/api_fuzz.py: the test settings on a throwaway SQLite file and media folder."""
import copy

import time_machine

from gendan.settings.base import DATABASES as _BASE_DATABASES
from gendan.settings.test import *  # noqa: F403

# The clock of every process of the run (migrate, seed_demo, the token, each gunicorn worker) is
# the test suite's: the demo and the server agree on "today", and a refusal that depends on the
# date (a committed date in the past, a filing date in the future) is the same on every day the
# build runs. It ticks, so durations and token expiry behave.
time_machine.travel({now!r}, tick=True).start()

DATABASES = copy.deepcopy(_BASE_DATABASES)
DATABASES["default"]["NAME"] = {db!r}
MEDIA_ROOT = {media!r}
ALLOWED_HOSTS = ["127.0.0.1"]
LOGGING = {{
    "version": 1, "disable_existing_loggers": False,
    "handlers": {{"console": {{"class": "logging.StreamHandler"}}}},
    "loggers": {{"django.request": {{"handlers": ["console"], "level": "ERROR", "propagate": False}}}},
}}
'''

TOKENS = '''\
from gendan.accounts.models import User
from gendan.accounts.tokens import token_create

admin = User.objects.get(username="admin")
for name in ("fuzz", "fuzz-revoke"):
    print(token_create(user=admin, name=name, days=1)[1])
'''


CHILDREN: list[subprocess.Popen] = []  # the schemathesis run under way, stopped with the server


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def say(text: str) -> None:
    print(f"api-fuzz: {text}", flush=True)


def manage(env: dict, *args: str, capture: bool = False) -> str:
    done = subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT, check=True,
                          text=True, stdout=subprocess.PIPE if capture else None)
    return done.stdout or ""


def wait_for(url: str, server: subprocess.Popen, seconds: float = 240) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"api-fuzz: the server stopped at start (exit {server.returncode})")
        try:
            # the schema of ~200 operations takes seconds to build on a busy machine
            with urllib.request.urlopen(url, timeout=60) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"api-fuzz: no answer from {url} within {seconds:.0f} s")


def stop(server: subprocess.Popen | None) -> None:
    """Stop gunicorn by its process id: TERM, then KILL after 10 s."""
    if server is None or server.poll() is not None:
        return
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def live_schema(schema_url: str, saved: Path) -> dict:
    """The live schema, read once and kept in a file that schemathesis loads: building it takes seconds
    on a busy machine, longer than schemathesis waits for it."""
    with urllib.request.urlopen(schema_url, timeout=120) as response:
        body = response.read()
    saved.write_bytes(body)
    schema = json.loads(body)
    operations = sum(1 for item in schema["paths"].values() for verb in item if verb in HTTP_METHODS)
    say(f"the live schema lists {operations} operations on {len(schema['paths'])} paths")
    return schema


def operation_id(schema: dict, method: str, path: str) -> str:
    return schema["paths"][path][method.lower()]["operationId"]


def schemathesis(schema: str, base_url: str, token: str, args: argparse.Namespace, report: Path,
                 *filters: str) -> int:
    env = {**os.environ, "SCHEMATHESIS_HOOKS": str(ROOT / "scripts" / "api_fuzz_hooks.py")}
    command = [
        str(BIN / "schemathesis"), "run", schema, "--url", base_url,
        "-H", f"Authorization: Token {token}", "-H", "Accept-Language: en",
        "--checks", CHECKS, "--mode", "all", "--phases", "examples,coverage,fuzzing",
        "--seed", str(args.seed), "--max-examples", str(args.examples), "--workers", str(args.workers),
        "--generation-database", "none", "--generation-allow-x00", "false", "--request-timeout", "60", "--suppress-health-check", "all",
        "--output-truncate", "false", "--no-color",
        "--report", "junit,ndjson", "--report-dir", str(report), *filters, *args.extra,
    ]
    child = subprocess.Popen(command, cwd=report.parent, env=env)
    CHILDREN.append(child)
    try:
        return child.wait()
    finally:
        CHILDREN.remove(child)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--examples", type=int, default=EXAMPLES, help="cases per operation")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--workers", type=int, default=2, help="schemathesis workers (and gunicorn's)")
    parser.add_argument("--orders", type=int, default=20, help="demo orders to seed")
    parser.add_argument("--now", default=PINNED_NOW, help="the run's clock (ISO 8601; default: the test suite's)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder after a green run")
    parser.add_argument("--paths", metavar="REGEX", default="",
                        help="fuzz only the operations whose path matches REGEX (schemathesis' --include-path-regex); "
                             "the token's revocation runs only if its path matches too")
    parser.add_argument("extra", nargs="*", help="more schemathesis options (after --)")
    args = parser.parse_args()

    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="gendan-api-fuzz-"))
    (work / "media").mkdir()
    (work / "api_fuzz_settings.py").write_text(
        SETTINGS.format(db=str(work / "db.sqlite3"), media=str(work / "media"), now=args.now))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "api_fuzz_settings",
           "PYTHONPATH": os.pathsep.join([str(work), str(ROOT), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep),
           "PYTHONHASHSEED": "0"}
    os.environ["NO_PROXY"] = env["NO_PROXY"] = "127.0.0.1,localhost"  # the server is local, never proxied
    env.pop("DATABASE_URL", None)
    server = None
    log = open(work / "server.log", "w")  # noqa: SIM115 — closed in finally

    def on_signal(signum, _frame):
        for child in list(CHILDREN):
            stop(child)
        stop(server)
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    ok = False
    try:
        say(f"work folder {work}")
        manage(env, "migrate", "--noinput", "-v0")
        seeded = manage(env, "seed_demo", "--orders", str(args.orders), "--customers", "6", "--products", "12",
                        capture=True)
        say(next((line.strip() for line in seeded.splitlines() if line.strip().startswith(f"{args.orders} orders")),
                 "demo seeded"))
        output = manage(env, "shell", "-c", TOKENS, capture=True)
        main_token, revoke_token = [word for word in output.split() if word.startswith("gdn_")]
        say(f"database ready in {time.monotonic() - started:.0f} s")

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [str(BIN / "gunicorn"), "gendan.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers),
             "--timeout", "120", "--graceful-timeout", "5", "--access-logfile", "-",
             # the app's answer to a long query string is tested, not gunicorn's HTML 414
             "--limit-request-line", "0"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        schema_url = f"{base}/api/v1/schema/?format=json"
        wait_for(schema_url, server)
        say(f"gunicorn (pid {server.pid}) on {base}; {args.examples} cases per operation, seed {args.seed}")

        fuzz_started = time.monotonic()
        schema_file = work / "schema.json"
        revoke = operation_id(live_schema(schema_url, schema_file), *REVOKE)
        only = ("--include-path-regex", args.paths) if args.paths else ()
        code = schemathesis(str(schema_file), base, main_token, args, work / "report", "--exclude-operation-id", revoke,
                            *only)
        if not args.paths or re.search(args.paths, REVOKE[1]):
            say(f"last, {REVOKE[0]} {REVOKE[1]} with a token of its own")
            code = schemathesis(str(schema_file), base, revoke_token, args, work / "report-revoke",
                                "--include-operation-id", revoke) or code
        say(f"schemathesis done in {time.monotonic() - fuzz_started:.0f} s")
        server_errors = [line for line in (work / "server.log").read_text(errors="replace").splitlines()
                         if "Traceback" in line or "Internal Server Error" in line]
        if server_errors:
            say(f"{len(server_errors)} server error(s) in the server's log ({work / 'server.log'})")
            code = code or 1
        ok = code == 0
        return 0 if ok else 1
    finally:
        stop(server)
        log.close()
        say(f"{'passed' if ok else 'FAILED'} in {time.monotonic() - started:.0f} s")
        if ok and not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            say(f"reports and the server's log kept in {work}")


if __name__ == "__main__":
    sys.exit(main())
