"""Candidate defaults of NgramClassifier on single folds of nps_chat and MR.

Folds 0 and 3 of nps_chat's 10 session-grouped folds and folds 0 and 5 of
MR's 10 stratified folds (the quality benchmark's folds), one seed; macro-F1
and the epoch early stopping kept. Single folds are noisy: these trials only
choose among candidates, the quality benchmark measures the chosen one.

    KERAS_BACKEND=jax python benchmarks/tune_ngram_defaults.py
"""

import argparse
import time

from sklearn.metrics import f1_score
from sklearn.pipeline import make_pipeline

from _common import data_dir, write_table
from bench_quality import load
from skltext import NgramClassifier, TextTokenizer

CANDIDATES = {
    "learning_rate=0.01, dropout=0 (first version)": {"learning_rate": 0.01, "dropout": 0.0},
    "learning_rate=0.002, dropout=0": {"learning_rate": 0.002, "dropout": 0.0},
    "learning_rate=0.002, dropout=0, class_weight='balanced_log'": {
        "learning_rate": 0.002, "dropout": 0.0, "class_weight": "balanced_log"},
    "learning_rate=0.002, dropout=0.5 (defaults)": {"learning_rate": 0.002, "dropout": 0.5},
}
FOLDS = (("nps_chat", 0), ("nps_chat", 3), ("mr", 0), ("mr", 5))


def fit_and_score(texts, y, train, test, **settings):
    """Fit TextTokenizer + NgramClassifier(**settings) on one fold: (fitted network, test macro-F1, fit seconds)."""
    model = make_pipeline(TextTokenizer(max_len="auto"), NgramClassifier(random_state=0, **settings))
    start = time.perf_counter()
    model.fit(texts[train], y[train])
    seconds = time.perf_counter() - start
    return model[-1], f1_score(y[test], model.predict(texts[test]), average="macro"), seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default=None)
    args = parser.parse_args()
    folder = data_dir(args.data_dir)
    rows = []
    for corpus, fold in FOLDS:
        texts, y, _, folds = load(folder, corpus)
        train, test = folds[fold]
        for name, settings in CANDIDATES.items():
            network, macro, seconds = fit_and_score(texts, y, train, test, **settings)
            rows.append([f"{corpus} fold {fold}", name, f"{100 * macro:.1f}",
                         f"{network.best_epoch_} of {network.n_iter_}", f"{seconds:.0f}"])
            print(*rows[-1], flush=True)
    write_table("tune_ngram_defaults", "NgramClassifier: candidate defaults on single folds",
                "KERAS_BACKEND=jax python benchmarks/tune_ngram_defaults.py",
                ["fold", "settings", "macro-F1", "epoch kept", "fit s"], rows,
                notes=["One seed per fold; fit times on a machine shared with another job."])


if __name__ == "__main__":
    main()
