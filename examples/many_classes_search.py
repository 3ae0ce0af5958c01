"""Fifty question types, an LSTM "stuck at 76%": set a baseline, then search the pipeline.

The problem: with 30+ classes a deep model's accuracy says little (one frequent
class carries it), there is no reference point, and hand-tuning one setting at
a time is slow. The remedy, on TREC-50 (50 classes, 4 to 962 training
questions each, the standard 500-question test set):

1. a TF-IDF + linear SVM baseline first, so "76%" means something;
2. the default LSTM, scored with accuracy *and* macro-F1;
3. a successive-halving random search (HalvingRandomSearchCV) over the whole
   pipeline, tokenizer included, with the top-k (hard-example) loss as one of
   the options, scored by macro-F1 inside each fold.

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
from sklearn.pipeline import make_pipeline
from sklearn.svm import LinearSVC

from _corpora import load_corpus
from skltext import LSTMClassifier, TextTokenizer


def report(name, model, X_test, y_test, seconds):
    y_pred = model.predict(X_test)
    print(f"  {name:40s} accuracy {accuracy_score(y_test, y_pred):.3f}  "
          f"macro-F1 {f1_score(y_test, y_pred, average='macro'):.3f}  ({seconds:.0f} s)")


def main(small=False):
    corpus = load_corpus("trec50")
    texts = np.array(corpus["texts"], dtype=object)
    y = np.array(corpus["labels"])
    test = np.array(corpus["splits"]) == "test"
    X_train, y_train, X_test, y_test = texts[~test], y[~test], texts[test], y[test]
    # --small only checks that the example still runs: a tiny search on part of the data.
    n_candidates, epochs, folds, size = (2, 1, 2, dict(units=4, embedding_dim=8)) if small else (6, 20, 3, {})
    if small:
        X_train, y_train = X_train[:800], y_train[:800]
    print(f"TREC-50: {len(y_train)} training questions, {len(np.unique(y_train))} classes; "
          f"{len(y_test)} test questions")

    print("\nTest-set scores:")
    start = time.perf_counter()
    baseline = make_pipeline(TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True), LinearSVC(C=0.5))
    report("TF-IDF + linear SVM (baseline)", baseline.fit(X_train, y_train), X_test, y_test,
           time.perf_counter() - start)

    start = time.perf_counter()
    lstm = make_pipeline(TextTokenizer(), LSTMClassifier(epochs=epochs, random_state=0, **size))
    report("LSTM, defaults", lstm.fit(X_train, y_train), X_test, y_test, time.perf_counter() - start)

    # Settings of the top-k loss only exist for that loss, so the search space is two dicts.
    shared = {
        "texttokenizer__min_count": [1, 2],
        "lstmclassifier__embedding_dim": [64, 128, 200],
        "lstmclassifier__bidirectional": [False, True],
        "lstmclassifier__spatial_dropout": [0.0, 0.2],
        "lstmclassifier__learning_rate": loguniform(3e-4, 3e-3),
    }
    space = [
        {**shared, "lstmclassifier__loss": ["auto"]},
        {**shared, "lstmclassifier__loss": ["top_k"], "lstmclassifier__loss__fraction": [0.25, 0.5]},
    ]
    if small:
        space = [{"lstmclassifier__units": [4, 8], "lstmclassifier__loss": ["auto", "top_k"]}]
    search = HalvingRandomSearchCV(
        lstm, space, n_candidates=n_candidates, factor=3, scoring="f1_macro",
        # Shuffled stratified folds; classes with fewer members than folds only warn.
        cv=StratifiedKFold(folds, shuffle=True, random_state=0), random_state=0,
    )
    start = time.perf_counter()
    search.fit(X_train, y_train)
    report("LSTM, best of the halving search", search, X_test, y_test, time.perf_counter() - start)
    print(f"\nBest settings (cross-validated macro-F1 {search.best_score_:.3f}):")
    for key, value in sorted(search.best_params_.items()):
        print(f"  {key} = {value:.2g}" if isinstance(value, float) else f"  {key} = {value}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", action="store_true", help="a tiny search on part of the data, for the tests")
    main(parser.parse_args().small)
