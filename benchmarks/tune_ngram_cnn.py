"""An n-gram branch beside the CNN's windows: one network with both, against each alone (quality folds).

A bag of word n-grams beside the CNN's windows could give one network the
strengths of both (the n-gram model leads on most corpora, the CNN on
TREC-6). This trial builds it without changing the library: a subclass of
NgramClassifier (its training defaults: learning rate, patience, class
weights, refit, and label-wise attention from 10 classes) whose network also
reads the word ids with the CNN's convolutions. Its input is the tokenizer's word ids followed
by the document's bag of word and n-gram ids; the network splits the two at
the column where the word ids end.

- ``'ngram'``: NgramClassifier on its defaults (``skltext compare``'s model);
- ``'ngram+cnn<filters>'``: the same bag of n-grams (pooled, and attended to by every
  class from 10 classes), concatenated with the max-pooled features of the
  CNN's windows of 3, 4 and 5 words (``--filters`` each, on their own
  128-wide word embeddings, padding-invariant), then dropout and the output
  layer.

The CNN on its defaults is read from quality.json (same folds and seeds).
Each fold uses the quality benchmark's seed; TextTokenizer(max_len='auto')
feeds both models.

    KERAS_BACKEND=jax python benchmarks/tune_ngram_cnn.py --corpora mr,trec6

Runs fold by fold, both settings of a fold before the next, and writes each
finished row to benchmarks/results/tune_ngram_cnn.json, so a run resumes;
``--table-only`` re-renders the table.
"""

import argparse
import json

import keras
import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin, clone
from sklearn.pipeline import make_pipeline

from _common import RESULTS, backends_of, chosen_names, data_dir, write_table
from bench_quality import CORPORA, RAW as QUALITY_RAW, SMALL_CORPORA, run_trials, trial_summary_rows
from skltext import NgramClassifier, TextTokenizer
from skltext.models._blocks import _EMBEDDING_INIT_SCALE, PaddingPositionsToZero, classification_head, layer_seeds
from skltext.models._label_attention import LabelAttention
from skltext.models.ngram import _pool

RAW = RESULTS / "tune_ngram_cnn.json"


class WordsAndNgrams(TransformerMixin, BaseEstimator):
    """Word ids, then the NgramEncoder's bag of word and n-gram ids, side by side in one matrix."""

    def __init__(self, ngrams=None):
        self.ngrams = ngrams

    def fit(self, X, y=None):
        X = np.asarray(X)
        self.n_word_columns_ = X.shape[1]
        self.ngrams_ = clone(self.ngrams).fit(X)
        self.n_ids_ = self.ngrams_.n_ids_
        return self

    def transform(self, X):
        X = np.asarray(X)
        if X.shape[1] != self.n_word_columns_:
            raise ValueError(f"expected {self.n_word_columns_} word columns, got {X.shape[1]}")
        return np.concatenate([X.astype(np.int32), self.ngrams_.transform(X)], axis=1)


@keras.saving.register_keras_serializable(package="tune_ngram_cnn")
class Columns(keras.layers.Layer):
    """Columns ``start`` to ``stop`` of an id matrix."""

    def __init__(self, start, stop=None, **kwargs):
        super().__init__(**kwargs)
        self.start, self.stop = start, stop

    def call(self, ids):
        return ids[:, self.start:self.stop]

    def compute_output_shape(self, shape):
        width = None if shape[1] is None else len(range(shape[1])[self.start:self.stop])
        return (shape[0], width)

    def get_config(self):
        return {**super().get_config(), "start": self.start, "stop": self.stop}


class NgramCNNClassifier(NgramClassifier):
    """NgramClassifier whose network also convolves the word sequence (trial only)."""

    _parameter_constraints = {**NgramClassifier._parameter_constraints,
                              "filters": [int], "kernel_sizes": [tuple], "cnn_embedding_dim": [int]}

    def __init__(self, filters=100, kernel_sizes=(3, 4, 5), cnn_embedding_dim=128, **kwargs):
        super().__init__(**kwargs)
        self.filters = filters
        self.kernel_sizes = kernel_sizes
        self.cnn_embedding_dim = cnn_embedding_dim

    @property
    def feature_encoder(self):
        return WordsAndNgrams(super().feature_encoder)

    @property
    def ngram_encoder_(self):
        return self.feature_encoder_.ngrams_

    def _build_network(self, meta):
        encoder, n_outputs = self.feature_encoder_, meta["n_outputs"]
        seeds = layer_seeds(meta["seed"])
        inputs = keras.Input(shape=(None,), dtype="int32", name="token_ids")
        words = Columns(0, encoder.n_word_columns_, name="word_ids")(inputs)
        bag = Columns(encoder.n_word_columns_, name="bag_ids")(inputs)
        dim = int(meta["embedding_dim"])
        scale = 1.0 / dim  # NgramClassifier's initial spread
        embedded_bag = keras.layers.Embedding(
            encoder.n_ids_, dim, name="embedding",
            embeddings_initializer=keras.initializers.RandomUniform(-scale, scale, seed=next(seeds)))(bag)
        features = [_pool(self.pooling, self.pooling)(embedded_bag, bag)]
        embedded_words = keras.layers.Embedding(
            encoder.ngrams_.n_word_ids_, self.cnn_embedding_dim, name="word_embedding",
            embeddings_initializer=keras.initializers.RandomUniform(  # the CNN's initial spread
                -_EMBEDDING_INIT_SCALE, _EMBEDDING_INIT_SCALE, seed=next(seeds)))(words)
        embedded_words = PaddingPositionsToZero(name="zero_padding_positions")([embedded_words, words])
        for size in self.kernel_sizes:
            conv = keras.layers.Conv1D(self.filters, size, padding="same", activation="relu", name=f"conv_{size}",
                                       kernel_initializer=keras.initializers.GlorotUniform(next(seeds)))(
                embedded_words)
            conv = PaddingPositionsToZero(name=f"zero_padding_{size}")([conv, words])
            features.append(keras.layers.GlobalMaxPooling1D(name=f"max_pool_{size}")(conv))
        x = keras.layers.Concatenate(name="concatenate")(features)
        head_seed = next(seeds)
        extra_logits = None
        if self._resolved_label_attention(n_outputs):
            extra_logits = LabelAttention(n_outputs, seed=next(seeds), name="label_attention",
                                          dtype="float32")(embedded_bag, bag)
        outputs = classification_head(x, n_outputs=n_outputs, output_activation=meta["output_activation"],
                                      dropout=self.dropout, dense_units=self.dense_units, seed=head_seed,
                                      extra_logits=extra_logits)
        return keras.Model(inputs, outputs, name="ngram_cnn_classifier")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", default=",".join(SMALL_CORPORA))
    parser.add_argument("--folds", default=None, help="comma-separated fold numbers (default: all)")
    parser.add_argument("--filters", type=int, default=100)
    parser.add_argument("--data-dir", default=None)
    parser.add_argument("--table-only", action="store_true")
    args = parser.parse_args()
    corpora = chosen_names(parser, args.corpora, CORPORA)
    folds = None if args.folds is None else {int(fold) for fold in args.folds.split(",") if fold}
    hybrid = f"ngram+cnn{args.filters}"
    rows = json.loads(RAW.read_text()) if RAW.exists() else []
    if not args.table_only:
        def build(seed):
            return make_pipeline(TextTokenizer(max_len="auto"),
                                 NgramCNNClassifier(filters=args.filters, random_state=seed))

        rows = run_trials(RAW, rows, ["ngram"], corpora, {"ngram": {}, hybrid: {}}, data_dir(args.data_dir),
                          folds=folds, builds={hybrid: build})
    # The CNN on its defaults, from the quality benchmark's rows of the same folds and seeds.
    trial_corpora = {row["corpus"] for row in rows}
    cnn = [{**row, "setting": "CNNClassifier"} for row in json.loads(QUALITY_RAW.read_text())["rows"]
           if row["model"] == "cnn" and row["corpus"] in trial_corpora]
    settings = ["ngram", *sorted({row["setting"] for row in rows} - {"ngram"}), "CNNClassifier"]
    write_table(
        "tune_ngram_cnn", "An n-gram branch beside the CNN's windows, against each alone (quality folds)",
        "KERAS_BACKEND=jax python benchmarks/tune_ngram_cnn.py",
        ["corpus", "model", "folds", "macro-F1", "accuracy", "PR-AUC", "fit s", "epochs run / kept",
         "macro-F1 − n-gram", "folds above n-gram"],
        trial_summary_rows(rows + cnn, settings, "ngram", epochs_kept=True), backend=backends_of(rows),
        notes=["Means in % over the folds a row shares with 'ngram' (TREC: seeds 0-4 of the standard split), "
               "each fold with the quality benchmark's seed. 'CNNClassifier' rows are the quality benchmark's "
               "(results/quality.json, same folds and seeds); the others ran here one after the other, alone "
               "on the machine unless the notes below say otherwise.",
               "",
               "2026-12-05, at a33a3ae, alone on the machine. The n-gram rows equal quality.json's on every fold "
               "(same macro-F1). The joint network lies between its two parts: above the CNN on four corpora of five "
               "(+1.4 to +8.2; TREC-6 -1.0), above the n-gram model only on nps_chat (+1.3, 9 of 10 folds) and "
               "TREC-6 (+0.2, 3 of 5 seeds), below it on MR (-0.4), Subj (-0.7) and TREC-50 (-3.1, 0 of 5 "
               "seeds), at 1.9 to 3.8 times its fit time. It is not the best Keras model on any corpus but "
               "nps_chat, so it became neither a library option nor a default."],
    )


if __name__ == "__main__":
    main()
