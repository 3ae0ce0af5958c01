"""Sigmoid outputs started at the label prior against zero biases, on debtags (one grouped fold).

The n-gram model on its defaults, fitted on fold 0 of debtags' 5-fold
GroupKFold, once with the output biases at each tag's log prior odds (the
default) and once with zero biases (the previous behaviour, restored here by
switching the initialisation off). Scores on the held-out fold without
threshold tuning: macro PR-AUC, micro- and macro-F1 at 0.5.

    KERAS_BACKEND=jax python benchmarks/tune_output_bias.py
"""

import argparse
import time
import warnings

from sklearn.exceptions import UndefinedMetricWarning
from sklearn.metrics import f1_score

import skltext.models._base as base
from _common import data_dir, write_table
from bench_quality import debtags_fold
from skltext.compare import make_model
from skltext.metrics import pr_auc_score


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default=None)
    args = parser.parse_args()
    texts, Y, train, test = debtags_fold(data_dir(args.data_dir))
    prior_bias = base.initial_output_bias
    rows = []
    for name, bias in (("zero biases (before)", lambda *args, **kwargs: None), ("log prior odds (default)", prior_bias)):
        base.initial_output_bias = bias
        model = make_model("ngram", target_type="multilabel-indicator", random_state=0)
        start = time.perf_counter()
        model.fit(texts[train], Y[train])
        seconds = time.perf_counter() - start
        proba = model.predict_proba(texts[test])
        predicted = (proba >= 0.5).astype(int)
        network = model.named_steps["classifier"]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UndefinedMetricWarning)
            rows.append([name, f"{pr_auc_score(Y[test], proba):.3f}",
                         f"{f1_score(Y[test], predicted, average='micro'):.3f}",
                         f"{f1_score(Y[test], predicted, average='macro', zero_division=0):.3f}",
                         f"{network.best_epoch_} of {network.n_iter_}", f"{seconds:.0f}"])
    base.initial_output_bias = prior_bias
    write_table("tune_output_bias", "Multi-label output biases: label prior against zero (debtags, fold 0 of 5)",
                "KERAS_BACKEND=jax python benchmarks/tune_output_bias.py",
                ["output biases", "macro PR-AUC", "micro-F1 at 0.5", "macro-F1 at 0.5", "epoch kept", "fit s"],
                rows, notes=[f"NgramClassifier defaults, {len(train)} training and {len(test)} test documents, "
                             f"{Y.shape[1]} tags; no threshold tuning. Fit times on a machine shared with "
                             "other jobs."])


if __name__ == "__main__":
    main()
