"""Which weights the deep + linear soft vote should use on a multi-label target, on every debtags fold.

The quality benchmark's debtags protocol (GroupKFold(5) by source package,
per-tag thresholds from ``ThresholdOptimizer`` on a grouped 20% hold-out of
the training fold, the models fitted on the other 80%) with the three
models of ``DeepLinearClassifier``'s default vote fitted once per fold: the
n-gram model, TF-IDF + logistic regression (one-vs-rest, liblinear) and
TF-IDF + LinearSVC with temperature-scaled probabilities. Their hold-out and
test probabilities are then combined with every candidate weight, each
candidate gets its own per-tag thresholds on the hold-out, and all are
scored on the same fitted models.

    KERAS_BACKEND=jax python benchmarks/tune_multilabel_combination.py

One row per fold goes to benchmarks/results/tune_multilabel_combination.json
as soon as it finishes, so an interrupted run resumes.
"""

import argparse
import json
import time
import warnings

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import ConvergenceWarning, UndefinedMetricWarning
from sklearn.metrics import f1_score
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import Pipeline
from sklearn.svm import LinearSVC

from _common import RESULTS, data_dir, write_table
from bench_quality import load, threshold_holdout
from skltext import ThresholdOptimizer
from skltext.calibration import TemperatureCalibratedClassifier
from skltext.compare import make_model
from skltext.metrics import pr_auc_score

RAW = RESULTS / "tune_multilabel_combination.json"
DEEP_WEIGHTS = (0.0, 0.1, 0.2, 1 / 3, 0.5, 1.0)
LINEAR_PARTS = {"lr+svm": (0.5, 0.5), "svm": (0.0, 1.0), "lr": (1.0, 0.0)}
SEED = 0  # bench_quality's seed for the grouped corpora
CONCLUSION = (
    "No candidate has a higher mean macro-F1 than LinearSVC alone: the best, a tenth of the vote to the "
    "n-gram model beside LinearSVC, is level with it (above on 3 of 5 folds, 44.97 either way). The default "
    "vote (a third each) is 0.8 points below, so DeepLinearClassifier keeps one configuration for every "
    "target type, and for multi-label targets with many rare tags the documentation recommends TF-IDF + "
    "LinearSVC with per-tag thresholds.")


class StoredScores(ClassifierMixin, BaseEstimator):
    """A classifier whose "documents" are row numbers into probabilities computed beforehand."""

    def __init__(self, proba=None):
        self.proba = proba

    def fit(self, X, y):
        self.classes_ = np.arange(np.asarray(y).shape[1])
        return self

    def predict_proba(self, X):
        return self.proba[np.asarray(X, dtype=int).ravel()]


def _svm(random_state):
    tfidf = make_model("tfidf-svm", target_type="multilabel-indicator").named_steps["tfidf"]
    return Pipeline([("tfidf", tfidf), ("classifier", OneVsRestClassifier(
        TemperatureCalibratedClassifier(LinearSVC(random_state=random_state), random_state=random_state)))])


def fold_probabilities(texts, Y, groups, train, test):
    """Hold-out and test probabilities of the three models fitted on 80% of the training fold."""
    fit_part, holdout = next(threshold_holdout(SEED).split(texts[train], Y[train], groups[train]))
    fit_rows, holdout_rows = train[fit_part], train[holdout]
    models = {"ngram": make_model("ngram", target_type="multilabel-indicator", random_state=SEED),
              "lr": make_model("tfidf-lr", target_type="multilabel-indicator", random_state=SEED),
              "svm": _svm(SEED)}
    proba, seconds = {}, {}
    for name, model in models.items():
        start = time.perf_counter()
        model.fit(texts[fit_rows], Y[fit_rows])
        seconds[name] = time.perf_counter() - start
        proba[name] = np.asarray(model.predict_proba(texts[np.concatenate([holdout_rows, test])]), dtype=float)
    return proba, seconds, holdout_rows


def score_candidates(proba, Y_holdout, Y_test):
    """Macro-F1, micro-F1 and macro PR-AUC on the test part of every candidate vote."""
    n_holdout, rows = len(Y_holdout), {}
    for part, (lr_share, svm_share) in LINEAR_PARTS.items():
        linear = lr_share * proba["lr"] + svm_share * proba["svm"]
        for weight in DEEP_WEIGHTS:
            if weight == 1 and part != "lr+svm":
                continue  # the n-gram model alone, once
            vote = weight * proba["ngram"] + (1 - weight) * linear
            index = np.arange(len(vote))
            # Thresholds per tag on the hold-out rows only; the stored "model" needs no fitting.
            tuned = ThresholdOptimizer(StoredScores(vote), cv=[(index[:0], index[:n_holdout])], refit=False,
                                       random_state=SEED)
            tuned.fit(index[:n_holdout].reshape(-1, 1), Y_holdout)
            predicted = tuned.predict(index[n_holdout:].reshape(-1, 1))
            name = "ngram alone" if weight == 1 else f"ngram w={weight:.2f} + {part}"
            rows[name] = {"macro_f1": float(f1_score(Y_test, predicted, average="macro", zero_division=0)),
                          "micro_f1": float(f1_score(Y_test, predicted, average="micro", zero_division=0)),
                          "pr_auc": float(pr_auc_score(Y_test, vote[n_holdout:]))}
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default=None)
    parser.add_argument("--table-only", action="store_true")
    args = parser.parse_args()
    done = json.loads(RAW.read_text()) if RAW.exists() else {}
    if not args.table_only:
        texts, Y, groups, folds = load(data_dir(args.data_dir), "debtags")
        for fold, (train, test) in enumerate(folds):
            if str(fold) in done:
                continue
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                warnings.simplefilter("ignore", UndefinedMetricWarning)
                proba, seconds, holdout_rows = fold_probabilities(texts, Y, groups, train, test)
                done[str(fold)] = {"scores": score_candidates(proba, Y[holdout_rows], Y[test]),
                                   "fit_seconds": seconds}
            RAW.write_text(json.dumps(done, indent=1))
            best = max(done[str(fold)]["scores"].items(), key=lambda item: item[1]["macro_f1"])
            print(f"fold {fold}: best {best[0]} {best[1]['macro_f1']:.4f}, fits {seconds}", flush=True)
    write_results(done)


def write_results(done):
    folds = sorted(done, key=int)
    names = list(done[folds[0]]["scores"])
    mean = {name: {metric: np.mean([done[f]["scores"][name][metric] for f in folds])
                   for metric in ("macro_f1", "micro_f1", "pr_auc")} for name in names}
    svm = mean["ngram w=0.00 + svm"]["macro_f1"]
    rows = [[name, *(f"{100 * mean[name][m]:.2f}" for m in ("macro_f1", "micro_f1", "pr_auc")),
             f"{100 * (mean[name]['macro_f1'] - svm):+.2f}",
             sum(done[f]["scores"][name]["macro_f1"] > done[f]["scores"]["ngram w=0.00 + svm"]["macro_f1"]
                 for f in folds)]
            for name in sorted(names, key=lambda n: -mean[n]["macro_f1"])]
    seconds = {model: np.mean([done[f]["fit_seconds"][model] for f in folds]) for model in ("ngram", "lr", "svm")}
    write_table(
        "tune_multilabel_combination", "Multi-label deep + linear vote: candidate weights on every debtags fold",
        "KERAS_BACKEND=jax python benchmarks/tune_multilabel_combination.py",
        ["candidate", "macro-F1", "micro-F1", "macro PR-AUC", "macro-F1 vs LinearSVC", "folds above LinearSVC"],
        rows,
        notes=[f"Means over {len(folds)} of 5 folds, in %. 'ngram w=W + PART': W times the n-gram model's "
               "probabilities plus 1 - W times PART's ('lr+svm': their mean). 'ngram w=0.00 + svm' is TF-IDF + "
               "LinearSVC alone (the temperature keeps the order of its scores, so its per-tag thresholds pick "
               "the same documents as on its decision values). The default vote is 'ngram w=0.33 + lr+svm'. "
               "Per-tag thresholds: ThresholdOptimizer's defaults (macro-F1) on each candidate's hold-out "
               "probabilities. Fit seconds per fold (on 80% of the training fold, a machine shared with "
               "other jobs): " + ", ".join(f"{m} {s:.0f}" for m, s in seconds.items()) + ".",
               "", CONCLUSION])


if __name__ == "__main__":
    main()
