"""Regenerate every benchmark table: run each benchmarks/bench_*.py script in turn.

    python benchmarks/run_all.py
    python benchmarks/run_all.py --only kim,thresholds --data-dir /data/corpora
    python benchmarks/run_all.py --list

Scripts are found by name (bench_<name>.py), so a new benchmark is picked up
without editing this file. Each runs in its own process (with
KERAS_BACKEND=jax unless set otherwise), under ``nice``, and writes its
table to benchmarks/results/<name>.md. Scripts that read the real corpora get
``--data-dir`` (default: $SKLTEXT_DATA_DIR, else ../shared/data).
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

from _common import data_dir

HERE = Path(__file__).resolve().parent


def discover():
    """Benchmark name -> script path, for every bench_*.py next to this file, sorted by name."""
    return {path.stem.removeprefix("bench_"): path for path in sorted(HERE.glob("bench_*.py"))}


def reads_corpora(script):
    """Whether a script takes --data-dir (it reads the real corpora)."""
    return "--data-dir" in script.read_text(encoding="utf-8")


def main():
    scripts = discover()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=None,
                        help=f"comma-separated benchmarks to run (default: all of {', '.join(scripts)})")
    parser.add_argument("--data-dir", default=None, help="folder of the corpora (default ../shared/data)")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    parser.add_argument("--keep-going", action="store_true", help="run the others when one fails")
    args = parser.parse_args()
    if args.list:
        for name, script in scripts.items():
            print(f"{name}: {script.relative_to(HERE.parent)}" + (" (real corpora)" if reads_corpora(script) else ""))
        return 0
    names = list(scripts) if args.only is None else [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = [name for name in names if name not in scripts]
    if unknown:
        parser.error(f"unknown benchmark(s) {', '.join(unknown)}; choose from {', '.join(scripts)}")
    needs_data = [name for name in names if reads_corpora(scripts[name])]
    folder = data_dir(args.data_dir) if needs_data else None

    env = {**os.environ, "KERAS_BACKEND": os.environ.get("KERAS_BACKEND", "jax"), "TF_CPP_MIN_LOG_LEVEL": "2"}
    failed = []
    for name in names:
        command = ["nice", "-n", "10", sys.executable, str(scripts[name])]
        if name in needs_data:
            command += ["--data-dir", str(folder)]
        print(f"== {name}: {' '.join(command[3:])}", flush=True)
        start = time.perf_counter()
        code = subprocess.call(command, cwd=HERE, env=env)
        print(f"== {name}: {'done' if code == 0 else f'failed (exit {code})'} in {time.perf_counter() - start:.0f} s",
              flush=True)
        if code:
            failed.append(name)
            if not args.keep_going:
                break
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
