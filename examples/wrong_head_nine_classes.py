"""A CNN with a sigmoid output and categorical cross-entropy on 9 imbalanced classes.

The problem: a softmax model's loss pushes the true class up *and* the others
down; with sigmoid outputs, categorical cross-entropy only pushes the true
class up, so nothing keeps the other outputs down. Nothing errors, and the
argmax may still rank well, but the outputs are no longer probabilities (they
no longer sum to 1), so thresholds, precision-recall curves and anything else
built on them mean nothing.

On the 9 most frequent dialogue acts of the NPS Chat corpus (posts of whole
chat sessions held out together), this example trains that hand-built Keras
model, then lets skltext choose the head and loss (it refuses a loss that
contradicts the target), adds the focal loss and then log-smoothed class
weights (``class_weight='balanced_log'``) for the rare dialogue acts, and
reports per-class F1 and a confusion-matrix figure. TF-IDF + a linear SVM, trained and scored on the
same split, shows where the CNN stands against the usual linear baseline.

    python examples/wrong_head_nine_classes.py           # about 2 minutes on 2 CPU cores
    python examples/wrong_head_nine_classes.py --small   # under a minute, used by the tests
"""

import argparse
from collections import Counter
from pathlib import Path

import keras
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import ConfusionMatrixDisplay, classification_report, f1_score
from sklearn.model_selection import GroupShuffleSplit
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import LabelEncoder
from sklearn.svm import LinearSVC

from _corpora import load_corpus
from skltext import CNNClassifier, TextTokenizer
from skltext.models import build_cnn

N_CLASSES = 9


def nine_class_corpus():
    """Posts of the 9 most frequent NPS Chat dialogue acts, split by chat session."""
    corpus = load_corpus("nps_chat")
    labels = np.array(corpus["labels"])
    keep = np.isin(labels, [label for label, _ in Counter(labels).most_common(N_CLASSES)])
    texts = np.array(corpus["texts"], dtype=object)[keep]
    labels, groups = labels[keep], np.array(corpus["groups"])[keep]
    # Whole sessions go to one side, so no near-identical post of a session leaks into the test part.
    train, test = next(GroupShuffleSplit(n_splits=1, test_size=0.25, random_state=0).split(texts, labels, groups))
    return texts[train], labels[train], texts[test], labels[test]


def main(small=False, out="."):
    X_train, y_train, X_test, y_test = nine_class_corpus()
    # --small only checks that the example still runs: tiny networks and 2 epochs.
    epochs, size = (2, dict(filters=8, embedding_dim=16)) if small else (10, {})
    counts = Counter(y_train)
    print(f"{len(y_train)} training posts, {len(y_test)} test posts, {N_CLASSES} classes "
          f"({min(counts.values())} to {max(counts.values())} training posts each)")

    tokenizer = TextTokenizer().fit(X_train)
    ids_train, ids_test = tokenizer.transform(X_train), tokenizer.transform(X_test)
    encoder = LabelEncoder().fit(y_train)

    # 1. The hand-built model of the story: sigmoid outputs, categorical cross-entropy, accuracy.
    keras.utils.set_random_seed(0)
    naive = build_cnn(vocab_size=int(ids_train.max()) + 1, sequence_length=ids_train.shape[1],
                      n_outputs=N_CLASSES, output_activation="sigmoid", **size)
    naive.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    naive.fit(ids_train, keras.utils.to_categorical(encoder.transform(y_train), N_CLASSES),
              epochs=epochs, batch_size=64, verbose=0)
    outputs = naive.predict(ids_test, verbose=0)
    naive_pred = encoder.inverse_transform(outputs.argmax(axis=1))
    print("\nHand-built CNN, sigmoid + categorical cross-entropy:")
    print(f"  mean sum of the 9 'probabilities' per post: {outputs.sum(axis=1).mean():.2f} (a distribution sums to 1)")
    naive_f1 = f1_score(y_test, naive_pred, average="macro")
    print(f"  macro-F1 {naive_f1:.3f}")

    # 2. skltext refuses a loss that contradicts the target ...
    try:
        CNNClassifier(loss="binary_crossentropy", epochs=1).fit(ids_train, y_train)
    except ValueError as error:
        print(f"\nskltext with loss='binary_crossentropy' on 9 classes refuses:\n  {error}")

    # 3. ... and by default picks softmax + sparse categorical cross-entropy; focal loss on top, then
    # class weights, so the acts with a hundred-odd posts count against the one with two thousand.
    variants = {
        "auto head and loss": {},
        "focal loss": {"loss": "focal"},
        "focal loss and class_weight='balanced_log'": {"loss": "focal", "class_weight": "balanced_log"},
    }
    scores = {}
    for name, params in variants.items():
        model = CNNClassifier(epochs=epochs, random_state=0, **params, **size).fit(ids_train, y_train)
        y_pred = model.predict(ids_test)
        scores[name] = (model, y_pred, f1_score(y_test, y_pred, average="macro"))
        print(f"\nCNNClassifier, {name}: macro-F1 {scores[name][2]:.3f} "
              f"(softmax head, stopped after {model.n_iter_} epochs, best epoch {model.best_epoch_})")

    # The usual linear baseline on the same split, for scale.
    svm = make_pipeline(TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True), LinearSVC(C=0.5))
    svm_f1 = f1_score(y_test, svm.fit(X_train, y_train).predict(X_test), average="macro")
    print(f"\nTF-IDF + linear SVM, same split: macro-F1 {svm_f1:.3f}")

    best = max(scores, key=lambda name: scores[name][2])
    model, y_pred, best_f1 = scores[best]
    print(f"\nBest CNNClassifier ({best}): macro-F1 {best_f1:.3f}, against {naive_f1:.3f} for the hand-built "
          f"model and {svm_f1:.3f} for TF-IDF + linear SVM.")
    print(f"\nPer-class report of the best, {best}:")
    print(classification_report(y_test, y_pred, digits=3, zero_division=0))

    import matplotlib

    matplotlib.use("Agg")
    display = ConfusionMatrixDisplay.from_predictions(y_test, y_pred, normalize="true", values_format=".2f",
                                                      xticks_rotation=45)
    display.ax_.set_title(f"CNNClassifier ({best}), rows normalised")
    figure_path = Path(out) / "confusion_matrix_nine_classes.png"
    display.figure_.tight_layout()
    display.figure_.savefig(figure_path, dpi=120)
    print(f"Confusion matrix written to {figure_path}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", action="store_true", help="tiny networks and 2 epochs, for the tests")
    parser.add_argument("--out", default=".", help="folder for the confusion-matrix figure")
    arguments = parser.parse_args()
    main(arguments.small, arguments.out)
