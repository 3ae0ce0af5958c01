"""NgramClassifier read in length buckets against full width, where it has label-wise attention.

With label-wise attention every output scores every position the network
reads, so padding costs time: debtags rows are padded to 2.4 times the mean
document. ``bucket_by_length=True`` feeds batches of documents of similar
length, trimmed to them. The pooling and the attention leave padding out, so
a document gets the same output at any width, but the batches hold other
documents, so training differs. This script measures both the time saved and
the quality moved on the four corpora where the n-gram model's defaults turn
attention on (TREC-50, nps_chat and debian_sections, 10 or more classes;
debtags, a tag set), each fold with the quality benchmark's seed, model and
(debtags) per-tag thresholds.

On the two long-document corpora 'defaults' is fitted here on fold 0 only,
beside 'buckets', so that the two fit times compare; on their other folds
the 'defaults' rows are the quality benchmark's NgramClassifier rows
(results/quality.json), whose scores this script reproduces on fold 0. On
TREC-50 and nps_chat, where a fit takes seconds, both settings run on every
fold.

    KERAS_BACKEND=jax python benchmarks/tune_ngram_buckets.py --corpora debian_sections,debtags --folds 0
    KERAS_BACKEND=jax python benchmarks/tune_ngram_buckets.py --corpora debian_sections,debtags --settings buckets
    KERAS_BACKEND=jax python benchmarks/tune_ngram_buckets.py --corpora trec50,nps_chat

Runs fold by fold and writes each finished row to
benchmarks/results/tune_ngram_buckets.json, so a run resumes;
``--table-only`` re-renders the table.
"""

import argparse
import json

import numpy as np

from _common import RESULTS, backends_of, chosen_names, data_dir, write_table
from bench_quality import RAW as QUALITY_RAW
from bench_quality import run_trials, trial_summary_rows

RAW = RESULTS / "tune_ngram_buckets.json"
REFERENCE = "defaults"
SETTINGS = {"defaults": {}, "buckets": {"bucket_by_length": True}}
CORPORA = ("trec50", "nps_chat", "debian_sections", "debtags")


def quality_ngram_rows():
    """The quality benchmark's NgramClassifier rows of these corpora, by (corpus, fold)."""
    return {(row["corpus"], row["fold"]): row for row in json.loads(QUALITY_RAW.read_text())["rows"]
            if row["model"] == "ngram" and row["corpus"] in CORPORA}


def with_quality_defaults(rows, quality):
    """``rows`` plus the ``quality`` rows as 'defaults' on the folds where 'defaults' was not fitted here."""
    fitted = {(row["corpus"], row["fold"]) for row in rows if row["setting"] == REFERENCE}
    return rows + [{**row, "setting": REFERENCE, "copied_from": "quality.json"}
                   for key, row in quality.items() if key not in fitted]


def side_by_side_times(rows):
    """Per corpus, over the folds where both settings were fitted here: mean fit times and their ratio."""
    by_key = {(row["corpus"], row["fold"], row["setting"]): row for row in rows}
    lines = []
    for corpus in CORPORA:
        pairs = [(by_key[key], by_key[(*key[:2], "buckets")]) for key in by_key
                 if key[0] == corpus and key[2] == REFERENCE and (*key[:2], "buckets") in by_key]
        if pairs:
            full, buckets = (np.mean([pair[i]["fit_seconds"] for pair in pairs]) for i in (0, 1))
            folds = ", ".join(str(pair[0]["fold"]) for pair in sorted(pairs, key=lambda pair: pair[0]["fold"]))
            lines.append(f"- {corpus} (fold{'s' if len(pairs) > 1 else ''} {folds}): {full:.1f} s at full width, "
                         f"{buckets:.1f} s in buckets "
                         f"({full / buckets:.2f} times as fast).")
    return lines


def _folds_text(rows):
    """'corpus folds a, b' per corpus of ``rows``, joined."""
    folds = {}
    for row in rows:
        folds.setdefault(row["corpus"], []).append(row["fold"])
    return "; ".join(f"{corpus} fold{'s' if len(numbers) > 1 else ''} {', '.join(map(str, sorted(numbers)))}"
                     for corpus, numbers in folds.items()) or "no fold"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", default=",".join(CORPORA))
    parser.add_argument("--settings", default=",".join(SETTINGS))
    parser.add_argument("--folds", default=None, help="comma-separated fold numbers (default: all five)")
    parser.add_argument("--data-dir", default=None)
    parser.add_argument("--table-only", action="store_true")
    args = parser.parse_args()
    corpora = chosen_names(parser, args.corpora, CORPORA)
    settings = {name: SETTINGS[name] for name in chosen_names(parser, args.settings, tuple(SETTINGS))}
    folds = None if args.folds is None else {int(fold) for fold in args.folds.split(",") if fold}
    rows = json.loads(RAW.read_text()) if RAW.exists() else []
    if not args.table_only:
        rows = run_trials(RAW, rows, ["ngram"], corpora, settings, data_dir(args.data_dir), folds=folds)
    quality = quality_ngram_rows()
    reproduced = [(row, quality.get((row["corpus"], row["fold"]))) for row in rows if row["setting"] == REFERENCE]
    largest_gap = max((100 * abs(row["macro_f1"] - old["macro_f1"]) for row, old in reproduced if old), default=0)
    write_table(
        "tune_ngram_buckets", "NgramClassifier with label-wise attention: length buckets against full width",
        "KERAS_BACKEND=jax python benchmarks/tune_ngram_buckets.py",
        ["corpus", "setting", "folds", "macro-F1", "accuracy (micro-F1)", "PR-AUC", "fit s", "epochs run / kept",
         f"macro-F1 − '{REFERENCE}'", f"folds above '{REFERENCE}'"],
        trial_summary_rows(with_quality_defaults(rows, quality), SETTINGS, REFERENCE, epochs_kept=True),
        backend=backends_of(rows),
        notes=["Means in % over the folds a setting shares with 'defaults' (NgramClassifier's defaults, which "
               "turn label-wise attention on for these corpora; TREC: seeds of the standard split), each fold "
               "with the quality benchmark's seed; "
               "debtags with per-tag thresholds chosen by ThresholdOptimizer on a grouped 20% of each training "
               "fold. 'buckets': bucket_by_length=True. 'defaults' was fitted here on "
               + _folds_text(row for row, _ in reproduced)
               + "; its other rows are copied from results/quality.json, whose fit times come from a machine "
               "shared with other jobs, so the 'fit s' column of 'defaults' mixes the two. On the folds fitted "
               "here, macro-F1 differs from results/quality.json's by at most "
               + f"{largest_gap:.2f}"
               + " points.",
               "",
               "Fit times of the two settings side by side:",
               *side_by_side_times(rows),
               "",
               "2026-12-05, alone on the machine but for a one-minute test run and script beside debian_sections "
               "fold 1 in buckets. "
               "On long documents buckets fitted 1.5 to 1.6 times as fast where both ran side by side, but "
               "quality did not follow reliably: on debtags macro-F1 fell on all five folds (-0.4 to -2.8; "
               "micro-F1 -0.4, PR-AUC -0.8 on average), on debian_sections it rose on four of five (+0.4) while "
               "PR-AUC fell on four (-0.2). On the short documents of TREC-50 and nps_chat buckets were slower "
               "(more step functions to compile) and level. Training in buckets differs from training at full "
               "width only in which documents share a batch (and in the rows that top up each width's last "
               "batch); why that costs the tag set so much more was not traced. "
               "bucket_by_length stays off by default; the CNN's rule for 'auto' (results/bucket_quality.md) was "
               "not carried over."])


if __name__ == "__main__":
    main()
