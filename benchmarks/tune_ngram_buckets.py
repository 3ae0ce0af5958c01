"""NgramClassifier read in length buckets against full width, where label-wise attention reads long documents.

With label-wise attention every output scores every position the network
reads, so on long documents padding costs time: debtags rows are padded to
2.4 times the mean document. ``bucket_by_length=True`` feeds batches of
documents of similar length, trimmed to them. The pooling and the attention
leave padding out, so a document gets the same output at any width, but the
batches hold other documents, so training differs. This script measures
both the time saved and the quality moved on the two corpora of long
documents where the n-gram model's defaults turn attention on
(debian_sections, 10 or more classes; debtags, a tag set), each fold with the
quality benchmark's seed, model and (debtags) per-tag thresholds.

'defaults' is fitted here on fold 0 of each corpus, beside 'buckets', so
that the two fit times compare; on the other folds the 'defaults' rows are
the quality benchmark's NgramClassifier rows (results/quality.json), whose
scores this script reproduces on fold 0.

    KERAS_BACKEND=jax python benchmarks/tune_ngram_buckets.py --folds 0
    KERAS_BACKEND=jax python benchmarks/tune_ngram_buckets.py --settings buckets

Runs fold by fold and writes each finished row to
benchmarks/results/tune_ngram_buckets.json, so a run resumes;
``--table-only`` re-renders the table.
"""

import argparse
import json

from _common import RESULTS, backends_of, chosen_names, data_dir, write_table
from bench_quality import RAW as QUALITY_RAW
from bench_quality import run_trials, trial_summary_rows

RAW = RESULTS / "tune_ngram_buckets.json"
REFERENCE = "defaults"
SETTINGS = {"defaults": {}, "buckets": {"bucket_by_length": True}}
CORPORA = ("debian_sections", "debtags")


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
    """Per corpus and fold where both settings were fitted here: the two fit times and their ratio."""
    by_key = {(row["corpus"], row["fold"], row["setting"]): row for row in rows}
    lines = []
    for corpus, fold in sorted({(row["corpus"], row["fold"]) for row in rows if row["setting"] == REFERENCE}):
        full, buckets = by_key[(corpus, fold, REFERENCE)], by_key.get((corpus, fold, "buckets"))
        if buckets is not None:
            lines.append(f"- {corpus} fold {fold}: {full['fit_seconds']:.0f} s at full width, "
                         f"{buckets['fit_seconds']:.0f} s in buckets "
                         f"({full['fit_seconds'] / buckets['fit_seconds']:.2f} times as fast).")
    return lines


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
    write_table(
        "tune_ngram_buckets", "NgramClassifier with label-wise attention: length buckets against full width",
        "KERAS_BACKEND=jax python benchmarks/tune_ngram_buckets.py",
        ["corpus", "setting", "folds", "macro-F1", "accuracy (micro-F1)", "PR-AUC", "fit s", "epochs run / kept",
         f"macro-F1 − '{REFERENCE}'", f"folds above '{REFERENCE}'"],
        trial_summary_rows(with_quality_defaults(rows, quality), SETTINGS, REFERENCE, epochs_kept=True),
        backend=backends_of(rows),
        notes=["Means in % over the folds a setting shares with 'defaults' (NgramClassifier's defaults, which "
               "turn label-wise attention on for both corpora), each fold with the quality benchmark's seed; "
               "debtags with per-tag thresholds chosen by ThresholdOptimizer on a grouped 20% of each training "
               "fold. 'buckets': bucket_by_length=True. 'defaults' was fitted here on "
               + (", ".join(f"{row['corpus']} fold {row['fold']}" for row, _ in reproduced) or "no fold")
               + "; its other rows are copied from results/quality.json, whose fit times come from a machine "
               "shared with other jobs, so the 'fit s' column of 'defaults' mixes the two. Macro-F1 of the "
               "folds fitted here, against results/quality.json: "
               + (", ".join(f"{row['corpus']} fold {row['fold']} {100 * row['macro_f1']:.2f} against "
                            f"{100 * old['macro_f1']:.2f}" for row, old in reproduced if old is not None) or "none")
               + ".",
               "",
               "Fit times of the two settings side by side, alone on the machine:",
               *side_by_side_times(rows)])


if __name__ == "__main__":
    main()
