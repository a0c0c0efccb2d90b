#!/usr/bin/env python
"""What one request of each page of the load test costs: time and queries, in process.

    .venv/bin/python bench/load_pages.py --sqlite /tmp/load100k/db.sqlite3 [--user merch4] [--runs 20] [--sql]
    .venv/bin/python bench/load_pages.py --postgres postgres://postgres@127.0.0.1:5432/gendan_load100k

The same production settings as ``bench/load.py`` (its generated settings module: DEBUG off, cached
templates, persistent connections), Django's test client logged in as one merchandiser, the same
five pages (the order page: the first order of their list). For each page: p50 / p95 over ``--runs``
requests after 3 warm-up requests, the p50 of the CPU time this process spent on one (on SQLite
that includes the database's work; a figure that other work on the machine disturbs less than the
wall-clock time), the number of queries of one request and the time they took;
``--sql`` also lists one request's queries, slowest first. ``--calls`` adds the Python function calls of
one request (cProfile: deterministic, unlike times on a shared machine — the figure to compare a
change by), ``--profile N`` prints that request's N most expensive functions (cumulative).
"""

from __future__ import annotations

import argparse
import atexit
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import PAGES, ROOT, SETTINGS  # noqa: E402


def configure(args) -> None:
    work = Path(tempfile.mkdtemp(prefix="gendan-load-pages-"))
    atexit.register(shutil.rmtree, work, ignore_errors=True)
    (work / "load_settings.py").write_text(SETTINGS.format(static=str(ROOT / "var" / "staticfiles")))
    sys.path[:0] = [str(work), str(ROOT)]
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "load_settings", "SECRET_KEY": "bench-" + "x" * 50, "ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": args.postgres or f"sqlite:///{Path(args.sqlite).resolve()}",
        "SECURE_SSL_REDIRECT": "false", "SECURE_COOKIES": "false", "SECURE_HSTS_SECONDS": "0",
        "GENDAN_VAR_DIR": str(work / "var"),
    })
    import django
    from django.conf import settings

    django.setup()
    # The test client needs no collected manifest: serve {% static %} names as they are.
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--sqlite", metavar="FILE")
    where.add_argument("--postgres", metavar="URL")
    parser.add_argument("--user", default="merch4")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--sql", action="store_true", help="list one request's queries, slowest first")
    parser.add_argument("--page", action="append", help="only these pages (by name); repeatable")
    parser.add_argument("--calls", action="store_true", help="count one request's function calls (cProfile)")
    parser.add_argument("--profile", type=int, metavar="N", default=0,
                        help="also print that request's N most expensive functions (cumulative)")
    args = parser.parse_args()
    configure(args)

    import cProfile
    import pstats
    import re

    from django.db import connection
    from django.test import Client

    from gendan.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=args.user))
    listing = client.get(PAGES["order list"])
    order = re.search(r'href="/sales/orders/(\d+)/"', listing.content.decode()).group(1)
    print(f"user {args.user}, order page /sales/orders/{order}/, {connection.vendor}, {args.runs} runs")
    calls = args.calls or args.profile
    print(f"{'page':<18} {'p50':>7} {'p95':>7} {'CPU p50':>8} {'queries':>8} {'query ms':>9}"
          + (f" {'calls':>9}" if calls else ""))
    for name, path in PAGES.items():
        if args.page and name not in args.page:
            continue
        path = path or f"/sales/orders/{order}/"
        for _ in range(3):
            assert client.get(path).status_code == 200, (name, path)
        samples, cpu = [], []
        for _ in range(args.runs):
            started, started_cpu = time.perf_counter(), time.process_time()
            client.get(path)
            samples.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        samples.sort()
        queries: list[tuple[float, str]] = []

        def record(execute, sql, params, many, context):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                queries.append(((time.perf_counter() - started) * 1000, sql))  # noqa: B023

        with connection.execute_wrapper(record):
            client.get(path)
        p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
        stats = None
        if calls:
            profile = cProfile.Profile()
            profile.runcall(client.get, path)
            stats = pstats.Stats(profile)
        print(f"{name:<18} {statistics.median(samples):>7.1f} {p95:>7.1f} {statistics.median(cpu):>8.1f} {len(queries):>8} "
              f"{sum(ms for ms, _ in queries):>9.1f}" + (f" {stats.total_calls:>9}" if stats else ""))
        if stats and args.profile:
            stats.sort_stats("cumulative").print_stats(args.profile)
        if args.sql:
            for ms, sql in sorted(queries, reverse=True):
                print(f"      {ms:7.2f}  {sql[:220]}")


if __name__ == "__main__":
    main()
