"""Exit 0 if a PostgreSQL server answers at the given URL, 1 otherwise (used by `make test`)."""

import sys

try:
    import psycopg
except ImportError:
    sys.exit(1)

url = sys.argv[1] if len(sys.argv) > 1 else "postgres://postgres@127.0.0.1:5432/postgres"
# Connect to the maintenance database: the test database is created by the suite.
base, _, _db = url.rpartition("/")
try:
    with psycopg.connect(f"{base}/postgres", connect_timeout=3):
        pass
except Exception as exc:  # noqa: BLE001
    print(f"PostgreSQL not reachable: {exc}".splitlines()[0])
    sys.exit(1)
sys.exit(0)
