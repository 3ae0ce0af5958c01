"""refit=True against refit=False for the CNN and the LSTM, on the quality benchmark's folds.

With ``refit=True``, after early stopping has chosen the epoch on the
hold-out, a fresh network trains on all the training rows, the hold-out
included, for that many epochs. It is NgramClassifier's default; this
measures it on the sequence models, whose default is ``refit=False``. Both
settings run side by side on each fold with the quality benchmark's seed,
the models' defaults otherwise.

    KERAS_BACKEND=jax python benchmarks/tune_deep_refit.py --models cnn --corpora trec6,trec50

Each finished row goes to benchmarks/results/tune_deep_refit.json, so a run
resumes; ``--table-only`` re-renders the table.
"""

import argparse
import json

import numpy as np

from _common import RESULTS, backends_of, chosen_names, data_dir, write_table
from bench_quality import CORPORA, TITLES, run_trials

RAW = RESULTS / "tune_deep_refit.json"
MODELS = ("cnn", "lstm")
SETTINGS = {"refit": {"refit": True}, "defaults": {"refit": False}}


def _table(rows):
    table = []
    for model in MODELS:
        for corpus in CORPORA:
            pairs = {}
            for row in rows:
                if row["model"] == model and row["corpus"] == corpus:
                    pairs.setdefault(row["fold"], {})[row["setting"]] = row
            both = {fold: pair for fold, pair in sorted(pairs.items()) if len(pair) == 2}
            if not both:
                continue
            cells = []
            for setting in SETTINGS:
                mean = {metric: 100 * np.mean([pair[setting][metric] for pair in both.values()])
                        for metric in ("macro_f1", "accuracy", "pr_auc")}
                seconds = np.mean([pair[setting]["fit_seconds"] for pair in both.values()])
                cells.append(f"{mean['macro_f1']:.2f} / {mean['accuracy']:.2f} / {mean['pr_auc']:.1f} "
                             f"({seconds:.0f} s)")
            gains = 100 * np.array([pair["refit"]["macro_f1"] - pair["defaults"]["macro_f1"]
                                    for pair in both.values()])
            table.append([TITLES[model], corpus, ", ".join(str(fold) for fold in both), *cells,
                          f"{gains.mean():+.2f}", f"{(gains > 0).sum()} of {len(gains)}"])
    return table


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default=",".join(MODELS))
    parser.add_argument("--corpora", default="trec6,trec50,nps_chat")
    parser.add_argument("--data-dir", default=None)
    parser.add_argument("--table-only", action="store_true")
    args = parser.parse_args()
    models = chosen_names(parser, args.models, MODELS)
    corpora = chosen_names(parser, args.corpora, CORPORA)
    rows = json.loads(RAW.read_text()) if RAW.exists() else []
    if not args.table_only:
        run_trials(RAW, rows, models, corpora, SETTINGS, data_dir(args.data_dir))
    write_table("tune_deep_refit", "refit=True against refit=False for the CNN and the LSTM (quality benchmark folds)",
                "KERAS_BACKEND=jax python benchmarks/tune_deep_refit.py",
                ["model", "corpus", "folds", "refit=True: macro-F1 / accuracy / PR-AUC (fit s)",
                 "refit=False (the default): same", "refit − default, macro-F1", "folds where refit is higher"],
                _table(rows), backend=backends_of(rows),
                notes=["Means over the folds listed (TREC: seeds of the standard split), in %; each fold fits both "
                       "settings with the quality benchmark's seed, the model's defaults otherwise. Fit times on "
                       "a machine that may have been shared with other jobs."])


if __name__ == "__main__":
    main()
