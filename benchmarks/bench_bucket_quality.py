"""Does reading in length buckets change the CNN's quality? 0.2.0's CNN against today's, over seeds.

bench_speed.py's 'long' section times 0.2.0's CNN against today's defaults
(length buckets where 'auto' turns them on) with one seed, and its test
macro-F1 moved by -0.9 points on the synthetic corpus and +0.1 on
debian_sections. Global max pooling over the real tokens makes the network's
output independent of the padding, so buckets change only which documents
share a batch; this script says whether such a difference is larger than
the spread between training seeds. On the same two corpora and splits as
that section (bench_speed.long_splits), each contender is fitted with
``random_state`` = seed for every seed, at most bench_speed.LONG_EPOCHS
epochs, early stopping as the defaults have it. The table gives the test
macro-F1 per contender (mean ± standard deviation over the seeds) and the
paired difference to 0.2.0's CNN seed by seed.

    KERAS_BACKEND=jax nice -n 10 python benchmarks/bench_bucket_quality.py
    KERAS_BACKEND=jax python benchmarks/bench_bucket_quality.py --seeds 0,1,2,3,4 --contenders cnn-0.2.0,cnn,cnn-full
    python benchmarks/bench_bucket_quality.py --table-only

Rows are kept per (corpus, contender, seed) in
benchmarks/results/bucket_quality.json, so an interrupted run resumes.
"""

import argparse
import json
import time

import numpy as np
from sklearn.metrics import f1_score
from sklearn.pipeline import Pipeline

from _common import RESULTS, chosen_names, environment_lines, git_commit, write_table
from bench_speed import LONG_EPOCHS, epoch_summary, long_estimator, long_splits, make_timer, token_lengths
from skltext import TextTokenizer

RAW = RESULTS / "bucket_quality.json"
# key -> (label, bench_speed.long_estimator model, estimator settings, tokenizer max_len)
CONTENDERS = {
    "cnn-0.2.0": ("CNN as in 0.2.0 (no buckets, padding enters the network)", "cnn-0.2.0", {}, "p95"),
    "cnn": ("CNNClassifier() defaults", "cnn", {}, "auto"),
    "cnn-full": ("CNNClassifier(bucket_by_length=False)", "cnn", {"bucket_by_length": False}, "auto"),
}
REFERENCE = "cnn-0.2.0"


def fit_and_score(train_texts, test_texts, y_train, y_test, key, seed):
    """Fit contender ``key`` with ``random_state=seed``; its test macro-F1, epochs and times."""
    _, model, params, max_len = CONTENDERS[key]
    if max_len == "p95":  # 0.2.0's max_len='auto'
        max_len = int(np.ceil(np.percentile(token_lengths(train_texts), 95)))
    timer = make_timer()
    pipe = Pipeline([("tokenizer", TextTokenizer(max_len=max_len)),
                     ("model", long_estimator(model, {**params, "random_state": seed, "callbacks": [timer]}))])
    start = time.perf_counter()
    pipe.fit(train_texts, y_train)
    fit_s = time.perf_counter() - start
    summary = epoch_summary(timer.times)
    return {"seed": seed, "macro_f1": float(f1_score(y_test, pipe.predict(test_texts), average="macro",
                                                        zero_division=0)),
            "fit_s": fit_s, "epochs_run": summary["epochs_run"], "median_epoch_s": summary["median_epoch_s"],
            "best_epoch": int(pipe[-1].best_epoch_), "buckets": bool(getattr(pipe[-1], "bucket_by_length_", False)),
            "commit": git_commit()}


def table(raw):
    """One row per (corpus, contender): macro-F1 over seeds, and the paired difference to 0.2.0's CNN."""
    rows = []
    for corpus, by_key in raw["corpora"].items():
        reference = {run["seed"]: run["macro_f1"] for run in by_key.get(REFERENCE, [])}
        for key in (k for k in CONTENDERS if k in by_key):
            runs = by_key[key]
            f1 = 100 * np.array([run["macro_f1"] for run in runs])
            paired = 100 * np.array([run["macro_f1"] - reference[run["seed"]] for run in runs
                                     if run["seed"] in reference])
            difference = ("" if key == REFERENCE or not len(paired) else
                          f"{paired.mean():+.1f} ± {paired.std():.1f} ({int((paired > 0).sum())} of {len(paired)} "
                          "seeds above)")
            buckets = sorted({"yes" if run["buckets"] else "no" for run in runs})
            rows.append([corpus, CONTENDERS[key][0], "/".join(buckets), len(runs), f"{f1.mean():.1f} ± {f1.std():.1f}",
                         f"{f1.min():.1f} to {f1.max():.1f}", difference,
                         f"{np.mean([run['epochs_run'] for run in runs]):.1f}",
                         f"{np.mean([run['fit_s'] for run in runs]):.0f}"])
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="0,1,2", help="comma-separated training seeds")
    parser.add_argument("--contenders", default="cnn-0.2.0,cnn", help=f"comma-separated, of {', '.join(CONTENDERS)}")
    parser.add_argument("--long-docs", type=int, default=8_000, help="synthetic documents (as bench_speed)")
    parser.add_argument("--shared-docs", type=int, default=6_000,
                        help="debian_sections documents (as bench_speed; 0 skips the corpus)")
    parser.add_argument("--data-dir", default=None, help="folder of the corpora (default ../shared/data)")
    parser.add_argument("--fresh", action="store_true", help="ignore results of earlier runs")
    parser.add_argument("--table-only", action="store_true", help="only rewrite the table from the kept results")
    args = parser.parse_args()
    keys = chosen_names(parser, args.contenders, tuple(CONTENDERS))
    seeds = [int(seed) for seed in args.seeds.split(",")]

    raw = {"corpora": {}} if args.fresh or not RAW.exists() else json.loads(RAW.read_text())
    if not args.table_only:
        splits = list(long_splits(args))
        # Seed by seed, every corpus and contender, so an interrupted run leaves paired rows.
        for seed in seeds:
            for name, train_texts, test_texts, y_train, y_test, _ in splits:
                by_key = raw["corpora"].setdefault(name, {})
                for key in keys:
                    if any(run["seed"] == seed for run in by_key.get(key, [])):
                        continue
                    run = fit_and_score(train_texts, test_texts, y_train, y_test, key, seed)
                    by_key.setdefault(key, []).append(run)
                    raw["environment"] = environment_lines()
                    RAW.write_text(json.dumps(raw, indent=1))
                    print(f"{name[:24]} {key} seed {seed}: macro-F1 {run['macro_f1']:.4f}, fit {run['fit_s']:.0f} s, "
                          f"{run['epochs_run']} epochs", flush=True)

    write_table(
        "bucket_quality", "CNN quality with length buckets: 0.2.0's CNN against today's, over training seeds",
        "KERAS_BACKEND=jax nice -n 10 python benchmarks/bench_bucket_quality.py",
        ["corpus", "contender", "buckets", "seeds", "test macro-F1 (%)", "range", "paired difference to 0.2.0 (points)",
         "epochs run", "fit s"],
        table(raw),
        notes=[
            "Corpora and splits are bench_speed.py's 'long' section: the synthetic long-tailed corpus (8,000 "
            "documents, median 98 tokens, 95th percentile 462, 6 classes, stratified 20% test) and 6,000 "
            "descriptions of debian_sections' 12 most common sections (grouped 20% test). The split is fixed; "
            "the seed is the model's random_state (initial weights, validation hold-out, batch order). "
            f"At most {LONG_EPOCHS} epochs, early stopping as the defaults have it. 0.2.0's CNN reads every "
            "document at the 95th percentile of the training lengths with the padding inside the max pool; "
            "today's CNN excludes the padding and, where `bucket_by_length='auto'` turns buckets on "
            "('buckets' column), reads in length buckets.",
            "'paired difference': today's macro-F1 minus 0.2.0's with the same seed, mean ± standard deviation "
            "over the seeds. Fit s: wall-clock, on 2 CPU cores shared with other jobs.",
            f"Rows from commit(s) {', '.join(sorted({run['commit'] for c in raw['corpora'].values() for runs in c.values() for run in runs}))}.",
        ],
        backend=None,
    )


if __name__ == "__main__":
    main()
