"""Helpers shared by the benchmark scripts: environment header and table output."""

import collections
import datetime
import functools
import os
import platform
import subprocess
import time
from importlib.metadata import version
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
# The corpora are read in place; SKLTEXT_DATA_DIR points elsewhere when they live in another folder.
DEFAULT_DATA_DIR = RESULTS.parents[2] / "shared" / "data"


def data_dir(path=None):
    """Folder of the benchmark corpora: ``path``, else $SKLTEXT_DATA_DIR, else ../shared/data."""
    folder = Path(path or os.environ.get("SKLTEXT_DATA_DIR") or DEFAULT_DATA_DIR)
    if not folder.is_dir():
        raise SystemExit(f"corpus folder {folder} not found; pass --data-dir or set SKLTEXT_DATA_DIR")
    return folder


def chosen_names(parser, text, known):
    """The comma-separated names in ``text``; a usage error through ``parser`` names any not in ``known``."""
    names = [name for name in text.split(",") if name]
    unknown = sorted(set(names) - set(known))
    if unknown:
        parser.error(f"unknown {unknown}; choose from {', '.join(known)}")
    return names


def git_commit():
    """The short hash of the checked-out commit, or 'unknown' outside a git checkout."""
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


@functools.lru_cache(maxsize=None)
def predates(commit, later):
    """Whether the code of ``commit`` lacks commit ``later``: not ``later`` nor a descendant of it.

    True for an unknown commit. A commit recorded as '<hash> with uncommitted changes' is read as <hash>.
    """
    try:
        return subprocess.run(["git", "merge-base", "--is-ancestor", later, str(commit).split()[0]],
                              capture_output=True, cwd=Path(__file__).resolve().parent).returncode != 0
    except OSError:
        return True


def backends_of(rows):
    """The Keras backends that stored result rows ran on (their 'backend' entries), for a table header."""
    counts = collections.Counter(row.get("backend", "not recorded") for row in rows)
    return ", ".join(f"{name} ({count} rows)" if len(counts) > 1 else name
                     for name, count in sorted(counts.items()))


def environment_lines(backend=None):
    """Machine, versions and date, for the header of a results table.

    ``backend`` describes the Keras backend the rows ran on, where that is not the backend of the
    process writing the table (a table rebuilt from stored rows).
    """
    import keras

    packages = ["skltext", "keras", "tensorflow", "jax", "scikit-learn", "scikeras", "numpy"]
    versions = []
    for name in packages:
        try:
            versions.append(f"{name} {version(name)}")
        except Exception:
            pass
    return [
        f"- date: {datetime.date.today().isoformat()}",
        f"- machine: {platform.machine()}, {os.cpu_count()} CPU cores, {platform.system()}, "
        f"Python {platform.python_version()}",
        f"- Keras backend: {backend or keras.backend.backend()}",
        f"- versions: {', '.join(versions)}",
    ]


def best_of(function, repeats):
    """Smallest wall time of ``repeats`` calls of ``function``, in seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def markdown_table(header, rows):
    """Lines of a markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return lines + ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]


def write_table(name, title, command, header, rows, notes=(), backend=None):
    """Print a markdown table and save it under benchmarks/results/NAME.md (``backend``: see
    `environment_lines`)."""
    lines = [f"# {title}", "", f"Reproduce: `{command}`", "", *environment_lines(backend), "",
             *markdown_table(header, rows), "", *notes]
    text = "\n".join(lines) + "\n"
    print(text)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{name}.md").write_text(text)
