"""Fifty question types, an LSTM "stuck at 76%": set a baseline, then search the pipeline, model included.

The problem: with 30+ classes a deep model's accuracy says little (one frequent
class carries it), there is no reference point, and hand-tuning one setting at
a time is slow. The remedy, on TREC-50 (50 classes, 4 to 962 training
questions each, the standard 500-question test set):

1. a TF-IDF + linear SVM baseline first, so "76%" means something;
2. the default LSTM, scored with accuracy *and* macro-F1;
3. a successive-halving random search (HalvingRandomSearchCV) over the whole
   pipeline, tokenizer included, scored by macro-F1 inside each fold, where
   the classifier itself is one of the settings searched: the LSTM (with the
   top-k, hard-example, loss among its options) or the n-gram model
   (NgramClassifier, fastText-style), the skltext model to try first on
   short texts. Fifty classes from a few thousand questions are mostly told
   apart by their words and word pairs, which the n-gram model learns
   directly; the LSTM has to learn word order it barely needs.

The search's pick is printed beside the baseline on the same test set, with
a bootstrap interval of the gap: 500 test questions over 50 classes are few,
and a gap of a point or two may be noise.

    python examples/many_classes_search.py           # about 5 minutes on 2 CPU cores
    python examples/many_classes_search.py --small   # under a minute, used by the tests
"""

import argparse
import time

import numpy as np
from scipy.stats import loguniform
from sklearn.experimental import enable_halving_search_cv  # noqa: F401  (enables the import below)
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import HalvingRandomSearchCV, StratifiedKFold
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.svm import LinearSVC

from _corpora import load_corpus
from skltext import LSTMClassifier, NgramClassifier, TextTokenizer


def report(name, model, X_test, y_test, seconds):
    """Print the test scores of a fitted model; return its test predictions."""
    y_pred = model.predict(X_test)
    print(f"  {name:46s} accuracy {accuracy_score(y_test, y_pred):.3f}  "
          f"macro-F1 {f1_score(y_test, y_pred, average='macro'):.3f}  ({seconds:.0f} s)")
    return y_pred


def bootstrap_interval(y_true, pred_a, pred_b, n_resamples=500, seed=0):
    """90% interval of macro-F1(a) - macro-F1(b) over resamples of the test questions (paired)."""
    rng = np.random.default_rng(seed)
    gaps = []
    for _ in range(n_resamples):
        rows = rng.integers(0, len(y_true), len(y_true))
        gaps.append(f1_score(y_true[rows], pred_a[rows], average="macro", zero_division=0)
                    - f1_score(y_true[rows], pred_b[rows], average="macro", zero_division=0))
    return np.percentile(gaps, [5, 95])


def main(small=False):
    corpus = load_corpus("trec50")
    texts = np.array(corpus["texts"], dtype=object)
    y = np.array(corpus["labels"])
    test = np.array(corpus["splits"]) == "test"
    X_train, y_train, X_test, y_test = texts[~test], y[~test], texts[test], y[test]
    # --small only checks that the example still runs: a tiny search on part of the data, tiny networks,
    # one epoch. Otherwise each model keeps its own defaults (early stopping ends most fits early).
    n_candidates, folds = (2, 2) if small else (6, 3)
    lstm_size = dict(units=4, embedding_dim=8, epochs=1) if small else {}
    ngram_size = dict(embedding_dim=8, epochs=1) if small else {}
    if small:
        X_train, y_train = X_train[:800], y_train[:800]
    print(f"TREC-50: {len(y_train)} training questions, {len(np.unique(y_train))} classes; "
          f"{len(y_test)} test questions")

    print("\nTest-set scores:")
    start = time.perf_counter()
    baseline = make_pipeline(TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True), LinearSVC(C=0.5))
    baseline_pred = report("TF-IDF + linear SVM (baseline)", baseline.fit(X_train, y_train), X_test, y_test,
                           time.perf_counter() - start)

    start = time.perf_counter()
    lstm = Pipeline([("tokenizer", TextTokenizer()),
                     ("classifier", LSTMClassifier(random_state=0, **lstm_size))])
    report("LSTM, defaults", lstm.fit(X_train, y_train), X_test, y_test, time.perf_counter() - start)

    # The classifier step is a setting like any other; each model's own settings live in its own dict,
    # which the search draws from in turn.
    space = [
        {
            "classifier": [LSTMClassifier(random_state=0, **lstm_size)],
            "tokenizer__min_count": [1, 2],
            "classifier__bidirectional": [False, True],
            "classifier__spatial_dropout": [0.0, 0.2],
            "classifier__loss": ["auto", "top_k"],
            "classifier__learning_rate": loguniform(3e-4, 3e-3),
        },
        {
            "classifier": [NgramClassifier(random_state=0, **ngram_size)],
            "tokenizer__min_count": [1, 2],
            "classifier__ngram_range": [(1, 2), (1, 3)],
            "classifier__learning_rate": loguniform(1e-3, 5e-3),
        },
    ]
    search = HalvingRandomSearchCV(
        lstm, space, n_candidates=n_candidates, factor=3, scoring="f1_macro",
        # Shuffled stratified folds; classes with fewer members than folds only warn.
        cv=StratifiedKFold(folds, shuffle=True, random_state=0), random_state=0,
    )
    start = time.perf_counter()
    search.fit(X_train, y_train)
    chosen = type(search.best_params_["classifier"]).__name__
    search_pred = report(f"best of the halving search ({chosen})", search, X_test, y_test,
                         time.perf_counter() - start)
    print(f"\nBest settings (cross-validated macro-F1 {search.best_score_:.3f} in the last round, "
          f"on {search.n_resources_[-1]} questions):")
    for key, value in sorted(search.best_params_.items()):
        if key == "classifier":
            value = type(value).__name__
        print(f"  {key} = {value:.2g}" if isinstance(value, float) else f"  {key} = {value}")

    # 500 test questions over 50 classes: a few questions move macro-F1 by a point, so give the gap an interval.
    gap = f1_score(y_test, search_pred, average="macro") - f1_score(y_test, baseline_pred, average="macro")
    low, high = bootstrap_interval(y_test, search_pred, baseline_pred)
    verdict = ("the search's pick wins" if low > 0 else "the baseline wins" if high < 0
               else "the two are level within the test set's noise")
    print(f"\nSearch's pick minus the TF-IDF + linear SVM baseline on the test set: macro-F1 {gap:+.3f} "
          f"(90% bootstrap interval {low:+.3f} to {high:+.3f}): {verdict}.")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", action="store_true", help="a tiny search on part of the data, for the tests")
    main(parser.parse_args().small)
