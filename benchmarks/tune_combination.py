"""Which linear model and which weight the deep + linear soft vote should use, on every fold.

For each fold of the quality benchmark (same corpora, folds and seeds as
``bench_quality.py``), the n-gram model, TF-IDF + logistic regression
(``C=10``, the current linear half of DeepLinearClassifier) and TF-IDF +
LinearSVC calibrated by ``CalibratedClassifierCV`` (sigmoid, 3 inner folds)
are fitted once (and the logistic regression once more with
``class_weight='balanced'``); their test probabilities are then combined with every
candidate weight, with and without a post-hoc logit adjustment, so all candidates are scored on the same fitted models.
The single-label corpora only: debtags and debian_sections take hours per
model.

    KERAS_BACKEND=jax python benchmarks/tune_combination.py --corpora trec50,nps_chat

One row per (corpus, fold) goes to benchmarks/results/tune_combination.json
as soon as it finishes, so an interrupted run resumes.
"""

import argparse
import json
import time
import warnings

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import f1_score

from _common import RESULTS, data_dir, write_table
from bench_quality import load
from skltext.compare import make_model

RAW = RESULTS / "tune_combination.json"
NOTES = (
    "Seeds: the fold number (TREC: seeds 0-4), so the n-gram rows differ from bench_quality.py's by seed "
    "noise on MR, Subj and nps_chat. Subj stopped after 3 of 10 folds (2026-12-02, to free the machine).",
    "",
    "Chosen: DeepLinearClassifier(prior_power=0.25) with the logistic regression (the 'ngram+lr w=0.5, "
    "prior^-0.25' row). The best rows here need the calibrated LinearSVC ('ngram+lr+svm thirds, "
    "prior^-0.25' is above TF-IDF + LinearSVC on TREC-6, TREC-50 and nps_chat), which the default "
    "combination does not use yet: CalibratedClassifierCV refuses a class with fewer training documents than "
    "its folds, and save_model cannot store it (a DeepLinearClassifier given one as `linear` works unsaved).",
)
SINGLE_LABEL = ("mr", "subj", "trec6", "trec50", "nps_chat")
DEEP_WEIGHTS = (0.3, 0.4, 0.5, 0.6, 0.7)


def _aligned_proba(model, X, classes):
    """Probabilities with one column per corpus class (a training fold may miss a rare class)."""
    proba = np.zeros((len(X), len(classes)))
    proba[:, np.searchsorted(classes, model.classes_)] = model.predict_proba(X)
    return proba


def fold_probabilities(texts, y, train, test, seed):
    """Test probabilities of the models fitted on one fold, and their fit seconds."""
    classes = np.unique(y)
    target_type = "binary" if len(classes) == 2 else "multiclass"
    models = {
        "ngram": make_model("ngram", target_type=target_type, random_state=seed),
        "lr": make_model("tfidf-lr", target_type=target_type, random_state=seed),
        "lr balanced": make_model("tfidf-lr", target_type=target_type, imbalance="class_weight", random_state=seed),
        "svm": CalibratedClassifierCV(make_model("tfidf-svm", target_type=target_type, random_state=seed), cv=3),
    }
    probabilities, seconds = {}, {}
    for name, model in models.items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            start = time.perf_counter()
            model.fit(texts[train], y[train])
            seconds[name] = time.perf_counter() - start
        probabilities[name] = _aligned_proba(model, texts[test], classes)
    return probabilities, seconds


def candidates(probabilities, prior):
    """Every combination scored, by name: the single models, the weighted soft votes, and the
    votes divided by ``prior ** tau`` (post-hoc logit adjustment, Menon et al. 2021)."""
    out = {name: p for name, p in probabilities.items()}
    for linear in ("lr", "lr balanced", "svm"):
        for weight in DEEP_WEIGHTS:
            out[f"ngram+{linear} w={weight}"] = weight * probabilities["ngram"] + (1 - weight) * probabilities[linear]
    out["ngram+lr+svm thirds"] = (probabilities["ngram"] + probabilities["lr"] + probabilities["svm"]) / 3
    for name in ("ngram+lr w=0.5", "ngram+svm w=0.5", "ngram+lr+svm thirds"):
        for tau in (0.25, 0.5):
            out[f"{name}, prior^-{tau}"] = out[name] / prior ** tau
    return out


def run(corpora, folder):
    rows = json.loads(RAW.read_text())["rows"] if RAW.exists() else []
    done = {(r["corpus"], r["fold"]) for r in rows}
    for corpus in corpora:
        texts, y, _, folds = load(folder, corpus)
        classes = np.unique(y)
        for fold, (train, test) in enumerate(folds):
            if (corpus, fold) in done:
                continue
            seed = fold
            probabilities, seconds = fold_probabilities(texts, y, train, test, seed)
            # Smoothed training-fold class frequencies (a class the fold lacks gets one pseudo-count).
            prior = (np.searchsorted(classes, y[train])[:, None] == np.arange(len(classes))).sum(axis=0) + 1.0
            prior /= prior.sum()
            scores = {name: float(f1_score(y[test], classes[p.argmax(axis=1)], average="macro"))
                      for name, p in candidates(probabilities, prior).items()}
            rows.append({"corpus": corpus, "fold": fold, "seed": seed, "macro_f1": scores, "fit_seconds": seconds})
            RAW.write_text(json.dumps({"rows": rows}, indent=1))
            print(f"{corpus} fold {fold}: " + ", ".join(f"{k} {v:.3f}" for k, v in scores.items()
                                                       if k in ("ngram", "lr", "svm", "ngram+lr w=0.5",
                                                                "ngram+svm w=0.5")), flush=True)
    return rows


def table(rows, corpora):
    names = list(rows[0]["macro_f1"]) if rows else []
    out = []
    for name in names:
        line = [name]
        for corpus in corpora:
            mine = [r["macro_f1"][name] for r in rows if r["corpus"] == corpus]
            line.append(f"{100 * np.mean(mine):.1f} ({len(mine)})" if mine else "")
        out.append(line)
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", default=",".join(SINGLE_LABEL))
    parser.add_argument("--data-dir", default=None)
    args = parser.parse_args()
    corpora = [c for c in args.corpora.split(",") if c]
    rows = run(corpora, data_dir(args.data_dir))
    shown = [c for c in SINGLE_LABEL if any(r["corpus"] == c for r in rows)]
    write_table("tune_combination", __doc__.splitlines()[0], "KERAS_BACKEND=jax python benchmarks/tune_combination.py",
                ["candidate", *[f"{c} macro-F1 % (folds)" for c in shown]], table(rows, shown), notes=NOTES)


if __name__ == "__main__":
    main()
