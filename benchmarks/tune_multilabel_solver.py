"""The logistic regressions of one-vs-rest: liblinear, lbfgs and saga on debtags tags (one grouped fold).

`make_model('tfidf-lr')` and the default vote of `DeepLinearClassifier`
wrap a logistic regression (C=10) in `OneVsRestClassifier` for multi-label
targets, one binary problem per tag. This script fits the same binary
problems with each solver on fold 0 of debtags' 5-fold GroupKFold (the TF-IDF
of `make_model`: words and word pairs, sublinear tf), for every 20th tag by
training frequency (10 tags, from the most common to rare ones), and reports
the time and the mean average precision on the held-out fold.

    python benchmarks/tune_multilabel_solver.py
"""

import argparse
import time
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score

from _common import data_dir, write_table
from bench_quality import debtags_fold
from skltext.compare import make_model

SOLVERS = ("liblinear", "lbfgs", "saga")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default=None)
    args = parser.parse_args()
    texts, Y, train, test = debtags_fold(data_dir(args.data_dir))
    tfidf = make_model("tfidf-lr", target_type="multilabel-indicator").named_steps["tfidf"]
    X_train, X_test = tfidf.fit_transform(texts[train]), tfidf.transform(texts[test])
    tags = np.argsort(-Y[train].sum(axis=0), kind="stable")[::20][:10]
    rows = []
    for solver in SOLVERS:
        seconds, precisions = 0.0, []
        for tag in tags:
            model = LogisticRegression(C=10.0, solver=solver, max_iter=1000)
            start = time.perf_counter()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                model.fit(X_train, Y[train, tag])
            seconds += time.perf_counter() - start
            if Y[test, tag].any():
                precisions.append(average_precision_score(Y[test, tag], model.decision_function(X_test)))
        rows.append([solver, f"{100 * np.mean(precisions):.2f}", f"{seconds:.1f}", len(precisions)])
        print(rows[-1], flush=True)
    counts = ", ".join(str(int(Y[train, tag].sum())) for tag in tags)
    write_table(
        "tune_multilabel_solver", "One-vs-rest logistic regression on debtags: solvers side by side",
        "python benchmarks/tune_multilabel_solver.py",
        ["solver", "mean average precision (%)", "fit s, all tags", "tags with a positive test document"],
        rows,
        notes=[f"LogisticRegression(C=10, max_iter=1000) on the TF-IDF of make_model, fold 0 of GroupKFold(5) by "
               f"source package ({len(train):,} training, {len(test):,} test documents), every 20th of the 208 "
               f"tags by training frequency (training positives: {counts}). One process on a machine shared "
               "with other jobs; the times compare solvers run minutes apart."])


if __name__ == "__main__":
    main()
