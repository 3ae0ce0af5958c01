"""A multi-label LSTM "stuck at 0.54 accuracy": wrong metric, wrong head, one threshold for all labels.

The problem, as users report it: tags are one-hot-ish rows, so the model gets
a softmax output with categorical cross-entropy, Keras prints an accuracy that
never moves past about one half, and whatever threshold is applied to the
outputs, most tags are never predicted. Three things are wrong: accuracy
(top-1 against any true tag) says nothing about a tag set; a softmax makes
the tags of one document compete for one unit of probability; and one
threshold cannot suit a tag on 40% of the documents and one on 1%.

On 6,000 Debian package descriptions and their debtags (the tags used at
least 30 times in that sample; packages of one source kept on one side of the
split), this example trains that model, then the skltext way: word vectors
pre-trained on the training side's descriptions (word2vec, in-domain: this
machine downloads nothing), handed to the LSTM through the tokenizer's token
output; one sigmoid per tag with binary cross-entropy, chosen from the target;
balanced batches; and per-tag thresholds chosen by ``ThresholdOptimizer`` on
held-out scores; the same for the CNN. Then the model skltext suggests for
tag sets, ``NgramClassifier`` on its defaults (pooled word and word-pair
embeddings, one sigmoid per tag, label-wise attention), alone and in
``DeepLinearClassifier``'s vote with TF-IDF linear models. Beside them, on
the same split, the usual linear baseline: TF-IDF + a linear SVM per tag
(one-vs-rest). Every model gets its per-tag thresholds the same way. It
reports micro-F1, macro-F1 and PR-AUC.

    python examples/multilabel_stuck_accuracy.py           # about 7 minutes on 2 CPU cores
    python examples/multilabel_stuck_accuracy.py --small   # under a minute, used by the tests
"""

import argparse

import keras
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import average_precision_score, f1_score
from sklearn.model_selection import GroupShuffleSplit
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MultiLabelBinarizer
from sklearn.svm import LinearSVC

from _corpora import load_corpus
from skltext import CNNClassifier, LSTMClassifier, NgramClassifier, TextTokenizer, ThresholdOptimizer
from skltext.embeddings import train_word_vectors
from skltext.ensemble import DeepLinearClassifier

MIN_TAG_COUNT, MAX_LEN = 30, 80


def tagged_corpus(n_documents):
    """A sample of debtags, its frequent tags as a 0/1 matrix, split by source package.

    Also returns every description outside the test packages, unlabeled, for the word vectors.
    """
    corpus = load_corpus("debtags")
    texts = np.array(corpus["texts"], dtype=object)
    groups = np.array(corpus["groups"])
    pick = np.random.default_rng(0).choice(len(texts), size=n_documents, replace=False)
    binarizer = MultiLabelBinarizer().fit([corpus["labels"][i] for i in pick])
    Y = binarizer.transform([corpus["labels"][i] for i in pick])
    frequent = Y.sum(axis=0) >= MIN_TAG_COUNT
    Y, tags = Y[:, frequent], binarizer.classes_[frequent]
    train, test = next(GroupShuffleSplit(n_splits=1, test_size=0.2, random_state=0)
                       .split(texts[pick], Y, groups[pick]))
    # Unlabeled text for the vectors: any description whose package is not on the test side.
    unlabeled = texts[~np.isin(groups, groups[pick][test])]
    return texts[pick][train], Y[train], texts[pick][test], Y[test], tags, unlabeled


def report(name, Y_true, Y_pred, scores):
    """Print micro-F1, macro-F1 and PR-AUC, and return them."""
    # PR-AUC over the tags that occur in the test part (average precision is undefined for the others).
    present = Y_true.sum(axis=0) > 0
    row = (f1_score(Y_true, Y_pred, average="micro", zero_division=0),
           f1_score(Y_true, Y_pred, average="macro", zero_division=0),
           average_precision_score(Y_true[:, present], scores[:, present], average="macro"))
    print(f"  {name:58s} micro-F1 {row[0]:.3f}  macro-F1 {row[1]:.3f}  PR-AUC {row[2]:.3f}")
    return row


def tuned_report(name, model, X_train, Y_train, X_test, Y_test, default="threshold 0.5"):
    """Fit ``model`` with per-tag thresholds from a held-out quarter; print its scores at the default and tuned.

    The thresholds are chosen on the quarter's scores, and the model fitted on the other
    three quarters is kept (``refit=False``), so every model is tuned the same way.
    """
    tuned = ThresholdOptimizer(model, cv=0.25, refit=False, random_state=0).fit(X_train, Y_train)
    # The scores the thresholds apply to: probabilities, or a LinearSVC's decision scores (0 by default).
    scores = getattr(tuned, tuned.response_method_)(X_test)
    report(f"{name}, {default} for every tag", Y_test, tuned.estimator_.predict(X_test), scores)
    return report(f"{name}, per-tag thresholds ({tuned.thresholds_.min():.2f} to {tuned.thresholds_.max():.2f})",
                  Y_test, tuned.predict(X_test), scores)


def main(small=False):
    n_documents, epochs, units, vector_size = (1500, 2, 8, 16) if small else (6000, 20, 64, 100)
    X_train, Y_train, X_test, Y_test, tags, unlabeled = tagged_corpus(n_documents)
    if small:
        unlabeled = unlabeled[:3000]
    print(f"{len(X_train)} training / {len(X_test)} test descriptions, {len(tags)} tags, "
          f"{Y_train.sum(axis=1).mean():.1f} tags per description; {Y_train.mean(axis=0).min():.1%} to "
          f"{Y_train.mean(axis=0).max():.1%} of descriptions per tag")

    # 1. The hand-built model of the story: softmax over the tags, categorical cross-entropy, accuracy.
    tokenizer = TextTokenizer(max_len=MAX_LEN).fit(X_train)
    keras.utils.set_random_seed(0)
    naive = keras.Sequential([
        keras.Input(shape=(MAX_LEN,), dtype="int32"),
        keras.layers.Embedding(len(tokenizer.vocabulary_) + 2, 100),
        keras.layers.LSTM(units),
        keras.layers.Dense(len(tags), activation="softmax"),
    ])
    naive.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    history = naive.fit(tokenizer.transform(X_train), Y_train, validation_split=0.1, epochs=min(epochs, 10),
                        batch_size=64, verbose=0).history
    scores = naive.predict(tokenizer.transform(X_test), verbose=0)
    print(f"\nHand-built LSTM, softmax + categorical cross-entropy: Keras 'accuracy' "
          f"{history['accuracy'][-1]:.2f} (validation {history['val_accuracy'][-1]:.2f}) after "
          f"{len(history['accuracy'])} epochs")
    report("threshold 0.5", Y_test, (scores >= 0.5).astype(int), scores)

    # 2. skltext: in-domain vectors, sigmoid head from the target, balanced batches, per-tag thresholds.
    vectors = train_word_vectors(unlabeled, vector_size=vector_size, epochs=2 if small else 5, random_state=0)
    print(f"\nword2vec on {len(unlabeled)} unlabeled training-side descriptions: {len(vectors.words)} words; "
          f"covers {vectors.coverage(X_train).token_share:.0%} of the training tokens")
    print("\nskltext (sigmoid per tag and binary cross-entropy from the target, word2vec, balanced batches);")
    print("thresholds chosen on a held-out quarter of the training data, then kept with the model fitted on the rest:")
    models = {
        "LSTM": LSTMClassifier(units=units, embeddings=vectors, balanced_batches=True, epochs=epochs, random_state=0),
        # The CNN's max-pooling finds a tag's cue words anywhere in a long description.
        "CNN": CNNClassifier(embeddings=vectors, balanced_batches=True, epochs=epochs, random_state=0,
                             **(dict(filters=8) if small else {})),
    }
    results = {}
    for name, model in models.items():
        # output='tokens' hands the words themselves to the model, which looks them up in the vectors.
        pipe = make_pipeline(TextTokenizer(max_len=MAX_LEN, output="tokens"), model)
        results[name] = tuned_report(name, pipe, X_train, Y_train, X_test, Y_test)

    # 3. The model skltext suggests for tag sets, on its defaults (tiny in --small mode), alone and
    # voting with TF-IDF + logistic regression and TF-IDF + LinearSVC.
    print("\nNgramClassifier, defaults (word and word-pair embeddings, label-wise attention), "
          "and its vote with TF-IDF linear models:")
    ngram = make_pipeline(TextTokenizer(max_len="auto"), NgramClassifier(
        random_state=0, **(dict(epochs=2, embedding_dim=16) if small else {})))
    results["NgramClassifier"] = tuned_report("n-gram", ngram, X_train, Y_train, X_test, Y_test)
    results["DeepLinearClassifier"] = tuned_report(
        "n-gram + TF-IDF vote", DeepLinearClassifier(ngram, random_state=0), X_train, Y_train, X_test, Y_test)

    # 4. The linear baseline, tuned the same way.
    print("\nTF-IDF + linear SVM, one per tag (same split, thresholds chosen the same way):")
    svm = make_pipeline(TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True), OneVsRestClassifier(LinearSVC(C=0.5)))
    results["TF-IDF + linear SVM"] = tuned_report("SVM", svm, X_train, Y_train, X_test, Y_test,
                                                  default="threshold 0")

    print("\nWith per-tag thresholds:")
    for index, metric in enumerate(["micro-F1", "macro-F1", "PR-AUC"]):
        best = max(results, key=lambda name: results[name][index])
        print(f"  best {metric}: {best} ({results[best][index]:.3f})")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", action="store_true", help="1,500 documents, tiny networks, for the tests")
    main(parser.parse_args().small)
