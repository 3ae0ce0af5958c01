"""CNNClassifier with 100 filters and patience 3 against its defaults (200 and 5), on the quality folds.

The 0.2.0 defaults (200 filters per window, patience 5) were chosen when the
0.1 setting (100 filters, patience 3) fell 0.8 points behind on TREC-6 under
Kim's protocol. Since the CNN became padding-invariant the two score alike
there (results/kim.md) and the smaller network fits in about two thirds of
the time. This trial sets them side by side on the quality benchmark's folds
of the five small corpora, each fold with the quality benchmark's seed and
model (TextTokenizer(max_len='auto') -> CNNClassifier), so the rows pair up
fold by fold.

    KERAS_BACKEND=jax python benchmarks/tune_cnn_filters.py --corpora trec6,trec50

Runs fold by fold, both settings of a fold before the next, and writes each
finished row to benchmarks/results/tune_cnn_filters.json, so a run resumes;
``--table-only`` re-renders the table.
"""

import argparse
import json

from _common import RESULTS, backends_of, chosen_names, data_dir, write_table
from bench_quality import CORPORA, SMALL_CORPORA, run_trials, trial_summary_rows

RAW = RESULTS / "tune_cnn_filters.json"
REFERENCE = "defaults"
SETTINGS = {"defaults": {}, "filters100-patience3": {"filters": 100, "patience": 3}}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", default=",".join(SMALL_CORPORA))
    parser.add_argument("--folds", default=None, help="comma-separated fold numbers (default: all)")
    parser.add_argument("--data-dir", default=None)
    parser.add_argument("--table-only", action="store_true")
    args = parser.parse_args()
    corpora = chosen_names(parser, args.corpora, CORPORA)
    folds = None if args.folds is None else {int(fold) for fold in args.folds.split(",") if fold}
    rows = json.loads(RAW.read_text()) if RAW.exists() else []
    if not args.table_only:
        rows = run_trials(RAW, rows, ["cnn"], corpora, SETTINGS, data_dir(args.data_dir), folds=folds)
    write_table(
        "tune_cnn_filters", "CNNClassifier: 100 filters and patience 3 against the defaults (quality folds)",
        "KERAS_BACKEND=jax python benchmarks/tune_cnn_filters.py",
        ["corpus", "setting", "folds", "macro-F1", "accuracy", "PR-AUC", "fit s", "epochs run / kept",
         f"macro-F1 − '{REFERENCE}'", f"folds above '{REFERENCE}'"],
        trial_summary_rows(rows, SETTINGS, REFERENCE, epochs_kept=True), backend=backends_of(rows),
        notes=["Means in % over the folds a setting shares with 'defaults' (TREC: seeds of the standard split), "
               "each fold with the quality benchmark's seed. 'defaults': CNNClassifier() (200 filters, "
               "patience 5); 'filters100-patience3': CNNClassifier(filters=100, patience=3). Fit times on a "
               "machine that may have been shared with other jobs; the notes below say when.",
               "",
               "2026-12-05, at ac84e2c, alone on the machine. The smaller setting fits in about two thirds of "
               "the time and is level on MR (+0.1), Subj (-0.3) and TREC-6 (+0.2), 1.1 points up on nps_chat "
               "(6 of 10 folds) and 2.2 down on TREC-50 (2 of 5 seeds; kept epoch 12.0 against 10.4). "
               "The defaults stay. The 'defaults' rows differ from quality.json's CNN rows, which ran on "
               "another machine, by up to 0.9 points on a fold (equal on 21 of 40 folds; means within 0.11)."],
    )


if __name__ == "__main__":
    main()
