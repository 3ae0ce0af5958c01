"""Regenerate every benchmark table: run each benchmarks/bench_*.py script in turn.

    python benchmarks/run_all.py
    python benchmarks/run_all.py --only kim,thresholds --data-dir /data/corpora
    python benchmarks/run_all.py --list
    python benchmarks/run_all.py --index-only

Scripts are found by name (bench_<name>.py), so a new benchmark is picked up
without editing this file. Each runs in its own process (with
KERAS_BACKEND=jax unless set otherwise), under ``nice``, and writes its
table to benchmarks/results/<name>.md. Scripts that read the real corpora get
``--data-dir`` (default: $SKLTEXT_DATA_DIR, else ../shared/data).
Afterwards benchmarks/RESULTS.md is rebuilt from every
benchmarks/results/*.md (speed first); ``--index-only`` only rebuilds it.
"""

import argparse
import ast
import datetime
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from _common import RESULTS, data_dir

HERE = Path(__file__).resolve().parent
INDEX = HERE / "RESULTS.md"
# Results shown first in RESULTS.md, in this order; the others follow by name.
FIRST = ("speed",)


def discover():
    """Benchmark name -> script path, for every bench_*.py next to this file, sorted by name."""
    return {path.stem.removeprefix("bench_"): path for path in sorted(HERE.glob("bench_*.py"))}


def reads_corpora(script):
    """Whether a script takes --data-dir (it reads the real corpora)."""
    return "--data-dir" in script.read_text(encoding="utf-8")


def summary(script):
    """First line of a script's docstring."""
    docstring = ast.get_docstring(ast.parse(script.read_text(encoding="utf-8"))) or ""
    return docstring.splitlines()[0] if docstring else ""


def results_files():
    """benchmarks/results/*.md, those named in FIRST first."""
    files = sorted(RESULTS.glob("*.md"))
    rank = {name: position for position, name in enumerate(FIRST)}
    return sorted(files, key=lambda path: (rank.get(path.stem, len(FIRST)), path.stem))


def reproduce_command(text):
    """The command on a results file's 'Reproduce:' line, or None."""
    found = re.search(r"^Reproduce: `(.+?)`", text, flags=re.MULTILINE)
    return found.group(1) if found else None


def demoted(text):
    """Markdown with every heading one level deeper (outside code blocks), to nest under RESULTS.md's own."""
    lines, in_code = [], False
    for line in text.splitlines():
        if line.startswith("```"):
            in_code = not in_code
        lines.append("#" + line if line.startswith("#") and not in_code else line)
    return "\n".join(lines)


def write_index(scripts):
    """Write benchmarks/RESULTS.md: intro, the benchmarks with their commands, then every results table."""
    results = {path.stem: path.read_text(encoding="utf-8") for path in results_files()}
    lines = [
        "# Benchmark results", "",
        ("Every table below was written by a script in benchmarks/ and says how to reproduce it, on which "
         "machine, with which library versions and on which date it was measured. Run them all with "
         "`python benchmarks/run_all.py` (the corpora are read from $SKLTEXT_DATA_DIR, else ../shared/data; "
         "`--only NAME,...` runs some), and rebuild this page from benchmarks/results/ without running anything "
         "with `python benchmarks/run_all.py --index-only`."), "",
        f"Page built {datetime.date.today().isoformat()}.", "",
        "## Benchmarks", "",
    ]
    names = [name for name in FIRST if name in scripts or name in results]
    names += [name for name in sorted({*scripts, *results}) if name not in names]
    for name in names:
        script = scripts.get(name) or next(iter(HERE.glob(f"{name}.py")), None)
        command = reproduce_command(results.get(name, "")) or (
            f"python benchmarks/{script.name}" if script else "see its table")
        what = summary(script) if script else ""
        state = "" if name in results else " (no results yet)"
        lines.append(f"- **{name}**{': ' + what if what else ''} `{command}`{state}")
    lines.append("")
    for name in [name for name in names if name in results]:
        lines += [demoted(results[name]).rstrip(), ""]
    INDEX.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {INDEX.relative_to(HERE.parent)} ({len(results)} result tables)")


def main():
    scripts = discover()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=None,
                        help=f"comma-separated benchmarks to run (default: all of {', '.join(scripts)})")
    parser.add_argument("--data-dir", default=None, help="folder of the corpora (default ../shared/data)")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    parser.add_argument("--keep-going", action="store_true", help="run the others when one fails")
    parser.add_argument("--index-only", action="store_true",
                        help="only rebuild benchmarks/RESULTS.md from benchmarks/results/*.md")
    args = parser.parse_args()
    if args.list:
        for name, script in scripts.items():
            print(f"{name}: {script.relative_to(HERE.parent)}" + (" (real corpora)" if reads_corpora(script) else ""))
        return 0
    if args.index_only:
        write_index(scripts)
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
    write_index(scripts)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
