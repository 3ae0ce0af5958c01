"""Raw strings in, cross-validated scores out: an LSTM and a CNN against TF-IDF.

    python examples/quickstart.py            # about a minute on 2 CPU cores
    python examples/quickstart.py --small    # a few seconds, used by the tests
"""

import argparse

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline

from skltext import CNNClassifier, LSTMClassifier, TextTokenizer
from skltext.datasets import make_text_classification


def main(small=False):
    n_samples, epochs, folds = (300, 3, 3) if small else (2000, 20, 5)
    # An imbalanced corpus of 4 classes; synthetic, so nothing is downloaded.
    texts, y = make_text_classification(n_samples, n_classes=4, weights=[6, 3, 2, 1], signal=0.1, random_state=0)
    candidates = {
        "tf-idf + logistic regression": make_pipeline(TfidfVectorizer(), LogisticRegression(max_iter=1000)),
        "LSTM": make_pipeline(TextTokenizer(), LSTMClassifier(units=32, epochs=epochs, random_state=0)),
        "CNN": make_pipeline(TextTokenizer(), CNNClassifier(filters=32, epochs=epochs, random_state=0)),
    }
    for name, pipe in candidates.items():
        scores = cross_val_score(pipe, texts, y, cv=folds, scoring="f1_macro")
        print(f"{name:30s} macro-F1 {scores.mean():.3f} ± {scores.std():.3f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", action="store_true", help="tiny data, 3 epochs, 3 folds")
    main(parser.parse_args().small)
