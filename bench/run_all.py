"""Run every bench script (bench/*.py except this one and the harness) and print one table.

Each script is bounded in time and targets only 127.0.0.1. A script that ends by printing
one JSON line ``{"script": ..., "figures": {...}}`` (bench.harness.figures) gets one row per
figure; a script that prints its own table gets its last lines shown as they are. A script
that fails is reported, not hidden. ``run_all.py servers load_mixed`` runs only those.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
SKIP = {"run_all.py", "harness.py", "common.py", "__init__.py"}
TIME_LIMIT = 600  # seconds per script


def run(script: Path) -> tuple[dict, str]:
    started = time.monotonic()
    try:
        done = subprocess.run(
            [sys.executable, str(script)],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            capture_output=True,
            text=True,
            timeout=TIME_LIMIT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return {}, f"timed out after {TIME_LIMIT} s"
    took = time.monotonic() - started
    for line in reversed(done.stdout.strip().splitlines()):
        if line.startswith("{"):
            try:
                payload = json.loads(line)
            except ValueError:
                continue
            if isinstance(payload, dict) and "figures" in payload:
                figures = dict(payload["figures"])
                figures["seconds"] = round(took, 1)
                return figures, "" if done.returncode == 0 else f"exit {done.returncode}"
    if done.returncode != 0:
        return {}, f"exit {done.returncode}: {done.stderr.strip()[-800:]}"
    tail = [line for line in done.stdout.rstrip().splitlines() if line.strip()][-25:]
    return {f"out {i:02d}": line for i, line in enumerate(tail, 1)} | {
        "seconds": round(took, 1)
    }, ""


def main() -> int:
    only = set(sys.argv[1:])
    scripts = sorted(p for p in BENCH.glob("*.py") if p.name not in SKIP)
    if only:
        scripts = [p for p in scripts if p.stem in only or p.name in only]
    rows: list[tuple[str, str, str]] = []
    failed = 0
    for script in scripts:
        print(f"running {script.name} ...", file=sys.stderr, flush=True)
        figures, problem = run(script)
        if problem:
            failed += 1
            rows.append((script.stem, "FAILED", problem))
        for key, value in figures.items():
            rows.append((script.stem, key, str(value)))
    width = [max(len(r[i]) for r in rows) if rows else 10 for i in range(3)]
    print()
    print(f"{'script':<{width[0]}}  {'figure':<{width[1]}}  value")
    print(f"{'-' * width[0]}  {'-' * width[1]}  {'-' * max(5, width[2])}")
    for script, key, value in rows:
        print(f"{script:<{width[0]}}  {key:<{width[1]}}  {value}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
