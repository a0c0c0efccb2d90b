"""Run `make` targets in parallel lanes: the steps of one lane run one after another, the lanes at once.

`make test` runs its legs in two lanes on the two cores (SQLite leg, then the clocks; PostgreSQL leg, then
the API fuzz and the two-server step), which roughly halves the wall time of the suite. Each step writes to
its own log under test-artifacts/lanes/; when a step ends its log is printed whole, with its duration, so
the output reads as if the steps had run in turn. A lane stops at its first failed step; the other lanes
go on, and the exit status is non-zero if any step failed.

    python scripts/test_lanes.py "test-sqlite test-clocks" "test-postgres test-api-fuzz test-two-servers"
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOG_DIR = ROOT / "test-artifacts" / "lanes"
_print_lock = threading.Lock()


def _run_lane(steps: list[str], results: list[tuple[str, int, float]]) -> None:
    for step in steps:
        log = LOG_DIR / f"{step}.log"
        started = time.monotonic()
        with log.open("wb") as out:
            code = subprocess.call(
                ["make", "--no-print-directory", step], cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                env=os.environ.copy(),
            )
        elapsed = time.monotonic() - started
        results.append((step, code, elapsed))
        with _print_lock:
            sys.stdout.write(f"\n===== {step}: {'passed' if code == 0 else f'FAILED ({code})'} in {elapsed:.0f} s =====\n")
            sys.stdout.write(log.read_text(errors="replace"))
            sys.stdout.flush()
        if code != 0:
            return


def main(argv: list[str]) -> int:
    lanes = [lane.split() for lane in argv if lane.split()]
    if not lanes:
        print(__doc__)
        return 2
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    results: list[tuple[str, int, float]] = []
    threads = [threading.Thread(target=_run_lane, args=(lane, results)) for lane in lanes]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(f"\n===== lanes done in {time.monotonic() - started:.0f} s =====")
    for step, code, elapsed in results:
        print(f"  {step:<20} {'passed' if code == 0 else 'FAILED'}  {elapsed:6.0f} s")
    ran = {step for step, _, _ in results}
    skipped = [step for lane in lanes for step in lane if step not in ran]
    for step in skipped:
        print(f"  {step:<20} not run (an earlier step of its lane failed)")
    return 0 if all(code == 0 for _, code, _ in results) and not skipped else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
