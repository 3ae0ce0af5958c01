"""A long-tailed multi-class corpus where the LSTM "overfits after two epochs" and epochs are slow.

The problem, as users report it: a 2-layer LSTM(40) on a 20,000 x 50
embedding with ``mask_zero=True``, trained for a fixed number of epochs,
reaches its best validation loss early and then memorises the training data;
the rare classes are never predicted; every epoch is slow.

On a sample of the Debian package-section corpus (58 sections, the rarest with
a handful of descriptions, the largest with over a thousand; packages of one
source are kept on one side of the split), this example trains that model,
then the skltext way: early stopping that restores the best epoch's weights
(on by default), log-smoothed class weights (``class_weight='balanced_log'``)
so rare classes count without wrecking the frequent ones, and the library's
default network with its fast settings (one LSTM(64) on pre-padded ids with no
mask, so TensorFlow's fused LSTM kernel runs, and a batch size chosen from
the data size; on JAX the mask costs little, and the default network, larger
than the hand-built one, is no faster per epoch), whose head reads the
maximum of each unit over the tokens, as it does by default from 10
classes. It prints, for both, the epochs run, the best validation epoch,
seconds per epoch and test macro-F1 (overall and over the rarest third of
the sections).

Sections with a handful of training descriptions stay hard for an LSTM. The
model skltext suggests trying first on a corpus like this is the n-gram
model (``NgramClassifier``, fastText-style: pooled word and word-pair
embeddings, the same early stopping, then a retraining on all the training
documents for the chosen number of epochs, rare classes weighed up by
default), which the example trains next; TF-IDF + a linear SVM on the same split shows
where the deep models stand against the usual linear baseline.

    python examples/long_tail_overfitting.py           # a few minutes of CPU time on 2 cores
    python examples/long_tail_overfitting.py --small   # under a minute, used by the tests
"""

import argparse
import time
from collections import Counter

import keras
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import GroupShuffleSplit
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import LabelEncoder
from sklearn.svm import LinearSVC

from _corpora import load_corpus
from skltext import LSTMClassifier, NgramClassifier, TextTokenizer


class EpochTimer(keras.callbacks.Callback):
    """Wall-clock seconds of each epoch."""

    def on_train_begin(self, logs=None):
        self.seconds = []

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds.append(time.perf_counter() - self._start)


def sample_corpus(n_documents):
    """A random sample of the corpus, split 80/20 by source package."""
    corpus = load_corpus("debian_sections")
    rng = np.random.default_rng(0)
    pick = rng.choice(len(corpus["texts"]), size=n_documents, replace=False)
    texts = np.array(corpus["texts"], dtype=object)[pick]
    labels, groups = np.array(corpus["labels"])[pick], np.array(corpus["groups"])[pick]
    train, test = next(GroupShuffleSplit(n_splits=1, test_size=0.2, random_state=0).split(texts, labels, groups))
    return texts[train], labels[train], texts[test], labels[test]


def scores(y_true, y_pred, rare):
    """Accuracy, macro-F1, and macro-F1 over the rare classes only."""
    return (f"accuracy {accuracy_score(y_true, y_pred):.3f}  macro-F1 {f1_score(y_true, y_pred, average='macro'):.3f}"
            f"  rare-class macro-F1 {f1_score(y_true, y_pred, labels=rare, average='macro', zero_division=0):.3f}")


def main(small=False):
    n_documents, epochs, units = (1000, 2, 4) if small else (8000, 8, 40)
    X_train, y_train, X_test, y_test = sample_corpus(n_documents)
    counts = Counter(y_train)
    # The rarest third of the sections seen in training.
    rare = [label for label, _ in counts.most_common()[-len(counts) // 3:]]
    print(f"{len(y_train)} training / {len(y_test)} test descriptions, {len(counts)} sections, "
          f"{min(counts.values())} to {max(counts.values())} training descriptions per section")

    # 1. The user's model: post-padded to 100 tokens, masked, two LSTM(40), fixed epochs.
    tokenizer = TextTokenizer(max_words=20000, max_len=100, padding="post").fit(X_train)
    encoder = LabelEncoder().fit(y_train)
    keras.utils.set_random_seed(0)
    naive = keras.Sequential([
        keras.Input(shape=(100,), dtype="int32"),
        keras.layers.Embedding(20000 + 2, 50, mask_zero=True),
        keras.layers.LSTM(units, return_sequences=True),
        keras.layers.LSTM(units),
        keras.layers.Dense(len(encoder.classes_), activation="softmax"),
    ])
    naive.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    timer = EpochTimer()
    history = naive.fit(tokenizer.transform(X_train), encoder.transform(y_train), validation_split=0.1,
                        epochs=epochs, batch_size=32, callbacks=[timer], verbose=0).history
    y_pred = encoder.inverse_transform(naive.predict(tokenizer.transform(X_test), verbose=0).argmax(axis=1))
    best = int(np.argmin(history["val_loss"])) + 1
    print(f"\nHand-built 2-layer LSTM, mask_zero=True, {epochs} epochs: validation loss lowest at epoch {best} "
          f"({history['val_loss'][best - 1]:.3f}), {history['val_loss'][-1]:.3f} at the last; "
          f"{np.median(timer.seconds):.1f} s per epoch")
    print(f"  last-epoch weights:  {scores(y_test, y_pred, rare)}")

    # 2. skltext: early stopping restores the best epoch, log-smoothed class weights, and the
    # default network (one LSTM(64) on 128-d embeddings, max pooling over the tokens for this many
    # classes, batch size chosen from the data size).
    timer = EpochTimer()
    network = {"units": units, "embedding_dim": 8, "epochs": epochs} if small else {}
    model = LSTMClassifier(class_weight="balanced_log", random_state=0, callbacks=[timer], **network)
    # Same 100 tokens as above, but pre-padded: the real tokens come last, so no mask is needed.
    tokenizer = TextTokenizer(max_words=20000, max_len=100).fit(X_train)
    model.fit(tokenizer.transform(X_train), y_train)
    print(f"\nLSTMClassifier(class_weight='balanced_log'), default network and early stopping: "
          f"stopped after {model.n_iter_} epochs, "
          f"kept epoch {model.best_epoch_}; pre-padding, no mask; "
          f"{np.median(timer.seconds):.1f} s per epoch")
    print(f"  best-epoch weights:  {scores(y_test, model.predict(tokenizer.transform(X_test)), rare)}")

    # 3. The n-gram model on the same ids: its defaults already weigh rare classes up (class_weight='auto').
    timer = EpochTimer()
    network = {"embedding_dim": 8, "epochs": epochs} if small else {}
    ngram = NgramClassifier(random_state=0, callbacks=[timer], **network).fit(tokenizer.transform(X_train), y_train)
    print(f"\nNgramClassifier, defaults (word and word-pair embeddings, pooled): "
          f"stopped after {ngram.n_iter_} epochs, best epoch {ngram.best_epoch_}, then "
          f"{'retrained on all training rows for that many epochs' if ngram.refitted_ else 'kept it'}; "
          f"{np.median(timer.seconds):.1f} s per epoch")
    print(f"  final weights:       {scores(y_test, ngram.predict(tokenizer.transform(X_test)), rare)}")

    # 4. The usual linear baseline, on the same split.
    svm = make_pipeline(TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True), LinearSVC(C=0.5))
    svm.fit(X_train, y_train)
    print("\nTF-IDF + linear SVM (LinearSVC(C=0.5) on words and word pairs), same split:")
    print(f"  linear baseline:     {scores(y_test, svm.predict(X_test), rare)}")

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", action="store_true", help="1,000 documents, tiny networks, for the tests")
    main(parser.parse_args().small)
