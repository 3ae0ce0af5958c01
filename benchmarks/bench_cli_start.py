"""Start-up time of the ``skltext`` command and of ``import skltext``.

Each case runs in a fresh Python process (median of ``--repeats`` runs, wall
clock) and writes ``results/cli_start.md``. ``--before`` also times the
commit before lazy imports (the 0.2.0 development tree) from a git worktree,
for comparison:

    python benchmarks/bench_cli_start.py
    python benchmarks/bench_cli_start.py --before 1e5bee2
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import RESULTS

CASES = {
    "import skltext": ["-c", "import skltext"],
    "skltext --help": ["-m", "skltext", "--help"],
    "skltext compare --help": ["-m", "skltext", "compare", "--help"],
    "skltext predict (argument error)": ["-m", "skltext", "predict", "no-model", "no-file.csv"],
    "import keras (for reference)": ["-c", "import keras"],
}


def _time(args, cwd, env, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--before", default=None, help="a git commit to time as well (from a temporary worktree)")
    args = parser.parse_args()
    root = Path(__file__).resolve().parents[1]
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    trees = {"now": root}
    worktree = None
    if args.before:
        worktree = Path(tempfile.mkdtemp()) / "before"
        subprocess.run(["git", "worktree", "add", "--detach", str(worktree), args.before], cwd=root, check=True,
                       capture_output=True)
        trees = {args.before: worktree, **trees}
    try:
        columns = list(trees)
        rows = []
        for name, case in CASES.items():
            cells = []
            for tree in trees.values():
                cells.append(_time(case, tree, {**env, "PYTHONPATH": str(tree)}, args.repeats))
            rows.append((name, cells))
            print(name, " ".join(f"{cell:.2f}" for cell in cells), flush=True)
    finally:
        if worktree is not None:
            subprocess.run(["git", "worktree", "remove", "--force", str(worktree)], cwd=root, capture_output=True)
    lines = ["# Start-up time of the skltext command", "",
             f"Wall-clock seconds, median of {args.repeats} fresh processes, on {os.cpu_count()} CPU cores "
             "(shared with other work while measured). `python benchmarks/bench_cli_start.py"
             + (f" --before {args.before}" if args.before else "") + "`.", "",
             "| case | " + " | ".join(f"{c} s" for c in columns) + " |", "|---|" + "---:|" * len(columns)]
    lines += [f"| {name} | " + " | ".join(f"{cell:.2f}" for cell in cells) + " |" for name, cells in rows]
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "cli_start.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
