"""Where a small n-gram fit's time goes: JAX compiling against training, beside TF-IDF + LinearSVC.

On a small corpus the n-gram model's fit is dominated by a fixed cost: JAX
traces, lowers and compiles one step function per batch shape (training,
validation, refit's last batch, prediction). This fits the quality
benchmark's ``ngram`` and ``tfidf-svm`` models one after the other on the
same folds, and sums the compile time JAX reports through its public
``jax.monitoring`` events during each n-gram fit. Rows carry the commit they
ran at, so a run at an older commit adds its rows beside the current ones.

    KERAS_BACKEND=jax python benchmarks/bench_fit_overhead.py
    git checkout 32e8215 -- skltext && KERAS_BACKEND=jax python benchmarks/bench_fit_overhead.py --commit 32e8215
    git checkout HEAD -- skltext    # back to this commit's skltext

Rows go to benchmarks/results/fit_overhead.json; ``--table-only`` re-renders.
"""

import argparse
import json
import time

import jax.monitoring
import keras
import numpy as np

from _common import RESULTS, chosen_names, data_dir, git_commit, write_table
from bench_quality import CORPORA, fold_seed, load, run_fold

RAW = RESULTS / "fit_overhead.json"
# JAX's duration events of one compilation: tracing to a jaxpr, lowering to MLIR, XLA compiling.
COMPILE_EVENTS = ("/jax/core/compile/jaxpr_trace_duration", "/jax/core/compile/jaxpr_to_mlir_module_duration",
                  "/jax/core/compile/backend_compile_duration")


class CompileClock:
    """Seconds and number of XLA compilations JAX reports while it listens."""

    def __init__(self):
        self.seconds, self.compiles = 0.0, 0
        jax.monitoring.register_event_duration_secs_listener(self._record)

    def _record(self, event, duration, **kwargs):
        if event in COMPILE_EVENTS:
            self.seconds += duration
            self.compiles += event == COMPILE_EVENTS[-1]

    def reset(self):
        self.seconds, self.compiles = 0.0, 0


def _table(rows):
    table = []
    for commit in dict.fromkeys(row["commit"] for row in rows):
        for corpus in CORPORA:
            mine = [row for row in rows if row["commit"] == commit and row["corpus"] == corpus]
            if not mine:
                continue
            mean = {key: float(np.mean([row[key] for row in mine]))
                    for key in ("ngram_seconds", "compile_seconds", "compiles", "svm_seconds", "macro_f1")}
            table.append([commit, corpus, len(mine), f"{mean['ngram_seconds']:.1f}",
                          f"{mean['compile_seconds']:.1f} ({mean['compiles']:.0f})",
                          f"{100 * mean['compile_seconds'] / mean['ngram_seconds']:.0f}%",
                          f"{mean['svm_seconds']:.2f}", f"{mean['ngram_seconds'] / mean['svm_seconds']:.1f}x",
                          f"{100 * mean['macro_f1']:.2f}"])
    return table


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", default="trec6,mr")
    parser.add_argument("--folds", type=int, default=3, help="the first folds of each corpus to run")
    parser.add_argument("--data-dir", default=None)
    parser.add_argument("--table-only", action="store_true")
    parser.add_argument("--commit", default=None,
                        help="label the rows with this commit (default: the checked-out one), for a run with "
                             "an older commit's skltext checked out (git checkout <commit> -- skltext)")
    args = parser.parse_args()
    corpora = chosen_names(parser, args.corpora, CORPORA)
    rows = json.loads(RAW.read_text()) if RAW.exists() else []
    if not args.table_only:
        if keras.backend.backend() != "jax":
            parser.error("run with KERAS_BACKEND=jax: the compile times are JAX's")
        commit, clock = args.commit or git_commit(), CompileClock()
        folder = data_dir(args.data_dir)
        for corpus in corpora:
            texts, y, groups, folds = load(folder, corpus)
            train, test = folds[0]
            run_fold("ngram", corpus, texts, y, groups, train, test, 0)  # warm-up: imports, first traces
            for fold, (train, test) in enumerate(folds[:args.folds]):
                if any(r["commit"] == commit and r["corpus"] == corpus and r["fold"] == fold for r in rows):
                    continue
                seed = fold_seed(corpus, fold)
                clock.reset()
                start = time.perf_counter()
                ngram = run_fold("ngram", corpus, texts, y, groups, train, test, seed)
                elapsed = time.perf_counter() - start
                svm = run_fold("tfidf-svm", corpus, texts, y, groups, train, test, seed)
                rows.append({"commit": commit, "corpus": corpus, "fold": fold, "macro_f1": ngram["macro_f1"],
                             "ngram_seconds": ngram["fit_seconds"], "compile_seconds": clock.seconds,
                             "compiles": clock.compiles, "fold_seconds": elapsed,
                             "svm_seconds": svm["fit_seconds"]})
                RAW.write_text(json.dumps(rows, indent=1))
                print(f"{commit} {corpus} fold {fold}: n-gram fit {ngram['fit_seconds']:.1f} s, compiling "
                      f"{clock.seconds:.1f} s ({clock.compiles}), LinearSVC {svm['fit_seconds']:.2f} s", flush=True)
    write_table(
        "fit_overhead", "Where a small n-gram fit's time goes: JAX compiling, beside TF-IDF + LinearSVC",
        "KERAS_BACKEND=jax python benchmarks/bench_fit_overhead.py",
        ["commit", "corpus", "folds", "n-gram fit s", "compiling s (compilations)", "compiling share",
         "LinearSVC fit s", "n-gram / LinearSVC", "n-gram macro-F1"],
        _table(rows),
        notes=["Means over the first folds of the quality benchmark's protocol (TREC: seeds), the quality "
               "benchmark's models and seeds, after one warm-up fit. Compiling: JAX's tracing, lowering and XLA "
               "compile durations during the n-gram fit, which include its prediction of the hold-out after "
               "every epoch; the count is XLA compilations. The two models ran one after the other on each fold. "
               "A commit's rows ran in one process; rows of an older commit were run with that commit's "
               "skltext (`git checkout <commit> -- skltext`) and this script's `--commit <commit>`."],
    )


if __name__ == "__main__":
    main()
