"""How fast is skltext? Wrapper tax, defaults against a user's Keras setup, scale and latency.

    python benchmarks/bench_speed.py
    python benchmarks/bench_speed.py --sections tax,latency --backends jax
    python benchmarks/bench_speed.py --table-only

Sections:

- tax: skltext's LSTMClassifier and CNNClassifier against the same network
  written out by hand in Keras (same data, batch size and epochs): fit time
  per epoch and predict time. A second run of the hand-written network in
  every round is the control: its ratio to the first is the machine's noise.
- defaults: a user's report (2-layer LSTM(40), 20,000 x 50 embedding,
  mask_zero=True, batch 128: 943 s per epoch on 700,000 documents) on a
  synthetic long-tail corpus of up to 40 tokens, against skltext's LSTM as it
  was ("before") and with its defaults.
- scale: --scale-docs documents through tokenize, one training epoch and
  predict, with the time of each stage and the peak memory.
- latency: single-document predict latency and batch throughput of the
  default LSTM and CNN pipelines.
- long: long documents. A synthetic corpus with long-tailed lengths (median
  about 100 tokens, 95th percentile about 450) and a sample of the longest
  shared corpus (Debian package descriptions, ../shared/data), through
  skltext 0.2.0's CNN (no length buckets, the network whose output depends on
  padding), today's CNN and LSTM defaults: seconds per epoch, epochs run,
  whole fit, predict throughput and latency, test macro-F1.
- precision: float32 against dtype_policy='mixed_bfloat16' for the default
  CNN and LSTM on a smaller long-document corpus, a fixed number of epochs.

Keras fixes its backend at import, so every (section, backend) runs in its own
process (``--worker``) that writes its rows as JSON; this process merges them
into benchmarks/results/speed.json (``--table-only`` re-renders from it) and
writes benchmarks/results/speed.md. Epoch times are the median of epochs 2 and
later (epoch 1 includes compiling the step function; it is shown apart).
Nothing is asserted: the script prints and writes tables.
"""

import argparse
import datetime
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from functools import partial
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import numpy as np
from _common import RESULTS, best_of, environment_lines, markdown_table, predates

RAW = RESULTS / "speed.json"
SECTIONS = ("tax", "defaults", "scale", "latency", "long", "precision")
BACKENDS = ("tensorflow", "jax", "torch")

# ---------------------------------------------------------------- contenders
# Every contender's settings, in one place. Estimator parameters that the
# installed skltext does not have yet are left out at run time and recorded
# (the table notes list them), so the script runs on older versions too.

# tax: identical work on both sides. bucket_by_length=False keeps the LSTM's
# batches the same as the hand-written model's.
TAX_EPOCHS = 3
# Every round runs each contender once, in an order rotated from round to round. The control
# trains the hand-written network a second time: its ratio to the first is the noise of the machine.
TAX_ROUNDS = 5
TAX_CONTENDERS = ("skltext", "hand-written Keras", "hand-written Keras, again (control)")
TAX_BATCH_SIZE = 128
TAX_MAX_LEN = 40
TAX_SKLTEXT = {
    # pooling='last': the hand-written network's head (the default reads max pooling from 10 classes).
    "lstm": {"early_stopping": False, "epochs": TAX_EPOCHS, "batch_size": TAX_BATCH_SIZE, "random_state": 0,
             "bucket_by_length": False, "pooling": "last"},
    "cnn": {"early_stopping": False, "epochs": TAX_EPOCHS, "batch_size": TAX_BATCH_SIZE, "random_state": 0},
}
TAX_KERAS_FIT = {"batch_size": TAX_BATCH_SIZE, "epochs": TAX_EPOCHS, "shuffle": True}
TAX_KERAS_PREDICT = {"batch_size": 1024}
# skltext predicts in batches of its own default size unless predict__batch_size says otherwise;
# the extra row predicts with the hand-written model's batch size, to tell the two apart.
TAX_SKLTEXT_PREDICT_LIKE_KERAS = {"predict__batch_size": TAX_KERAS_PREDICT["batch_size"]}

# defaults: the user's configuration, and skltext before and after the speed defaults.
USER_KERAS = {"max_words": 20_000, "max_len": 40, "embedding_dim": 50, "units": 40, "num_layers": 2,
              "batch_size": 128, "validation_split": 0.1, "patience": 2}
DEFAULTS_CONTENDERS = {
    "a": {"label": "user config (raw Keras, mask_zero=True)", "kind": "keras", "mask_zero": True},
    "b": {"label": "user config without the mask (raw Keras)", "kind": "keras", "mask_zero": False},
    "c": {"label": "skltext before", "kind": "skltext",
          "params": {"batch_size": 64, "bucket_by_length": False, "pooling": "last"}},
    "d": {"label": "skltext defaults", "kind": "skltext", "params": {}},
}
REFERENCE = ("tensorflow", "a")  # epoch times of the defaults table are relative to this row

# scale and latency: default estimators, only these set.
SCALE_PARAMS = {"epochs": 1, "random_state": 0}
LATENCY_PARAMS = {"epochs": 2, "random_state": 0}
LATENCY_WARMUP, LATENCY_CALLS, BATCH_REPEATS = 5, 200, 3

# long: the synthetic long-document corpus. Documents are drawn at LONG_MAX_TOKENS tokens and cut to
# a log-normal length (median 100, 95th percentile 450), so the share of topic words stays `signal`.
LONG_CLASSES = 6
LONG_CORPUS = {"n_classes": LONG_CLASSES, "weights": [1 / k for k in range(1, LONG_CLASSES + 1)],
               "common_words": 20_000, "signal": 0.05, "confusion": 0.5, "random_state": 0}
LONG_MEDIAN, LONG_P95, LONG_MAX_TOKENS = 100, 450, 1_200
# The shared corpus: package descriptions of the most common Debian sections, grouped by source package.
SHARED_CORPUS, SHARED_SECTIONS = "debian_sections.jsonl.gz", 12
LONG_TEST_SHARE = 0.2
# At most this many epochs (early stopping usually ends a fit sooner), to keep the section's runtime bounded.
LONG_EPOCHS = 6
LONG_LATENCY_CALLS = 50
# Contenders: (key, label, model, estimator settings, tokenizer max_len: 'p95' is 0.2.0's 'auto', 'p99').
LONG_CONTENDERS = (
    ("cnn-0.2.0", "CNN as in 0.2.0 (no buckets, padding enters the network)", "cnn-0.2.0", {}, "p95"),
    ("cnn", "CNNClassifier() defaults", "cnn", {}, "auto"),
    ("cnn-p99", "CNNClassifier() defaults, TextTokenizer(max_len=99th percentile)", "cnn", {}, "p99"),
    ("lstm", "LSTMClassifier() defaults", "lstm", {}, "auto"),
    ("ngram", "NgramClassifier() defaults", "ngram", {}, "auto"),
)
# The shared corpus skips the 99th-percentile CNN (the section's runtime).
SHARED_CONTENDERS = ("cnn-0.2.0", "cnn", "lstm", "ngram")

# precision: the same long-tailed lengths, fewer documents, a fixed number of epochs.
PRECISION_EPOCHS = 3
PRECISION_POLICIES = ("float32", "mixed_bfloat16")

# The synthetic corpus: 30 classes with a long tail (weights 1/k**2).
N_CLASSES = 30
CORPUS = {"n_classes": N_CLASSES, "weights": [1 / k ** 2 for k in range(1, N_CLASSES + 1)],
          "min_length": 10, "max_length": 40, "common_words": 20_000, "random_state": 0}


# Default changes that alter rows already measured: (first commit with the new default, sections whose
# rows it alters, which rows). A run from an older commit gets a note under the header.
DEFAULT_CHANGES = [
    ("241b229", ("defaults", "scale", "latency", "long"),
     "LSTMClassifier(pooling='auto') reads max pooling from 10 classes: the rows of LSTMClassifier's defaults "
     "on the 30-class synthetic corpus and on the 12 debian_sections (the long section's synthetic corpus has "
     "6 classes and is unchanged) ran with the last state"),
    ("be5e5ab", ("long", "precision"),
     "LSTMClassifier(pooling='auto') reads max pooling from a median of 40 tokens a document: the LSTM rows on "
     "the long-tailed synthetic corpora (6 classes, median about 100 tokens) ran with the last state"),
]


# ------------------------------------------------------------------- helpers

def make_corpus(n_docs):
    """The synthetic long-tail corpus used by every section: (texts, string labels)."""
    from skltext.datasets import make_text_classification

    return make_text_classification(n_docs, **CORPUS)


def peak_rss_mib():
    """Peak resident memory of this process so far, in MiB (ru_maxrss is KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def epoch_summary(times):
    """Epoch 1 and the median of epochs 2.. (epoch 1 includes compilation), in seconds."""
    later = times[1:]
    return {"epoch1_s": times[0] if times else None,
            "median_epoch_s": statistics.median(later) if later else None,
            "epochs_run": len(times), "epoch_times_s": list(times)}


def supported(estimator_class, params):
    """The params the installed estimator accepts, and the names of those it does not have yet."""
    known = estimator_class().get_params()
    kept = {key: value for key, value in params.items() if key in known or "__" in key}
    return kept, sorted(set(params) - set(kept))


def reading(estimator):
    """How a fitted estimator read its training data: batch size (resolved, where the
    estimator resolves 'auto'), and whether in length buckets."""
    size = getattr(estimator, "batch_size_", None) or estimator.batch_size
    return f"{size}, length buckets" if getattr(estimator, "bucket_by_length_", False) else str(size)


def multiply_adds_per_position(network):
    """Multiply-adds a Keras network spends on each token position it reads, in the forward pass.

    The kernels of its convolutions and recurrent layers (both directions of a
    bidirectional one) and of label-wise attention, which every position
    multiplies; the embedding lookup adds none, and the output layer's work per
    document is left out. Used to set measured speed against a chip's peak.
    """
    import keras

    def per_position(layer):
        if isinstance(layer, keras.layers.Bidirectional):
            return per_position(layer.forward_layer) + per_position(layer.backward_layer)
        if isinstance(layer, (keras.layers.RNN, keras.layers.Conv1D)) or type(layer).__name__ == "LabelAttention":
            # Kernels only: biases are additions.
            return sum(int(np.prod(w.shape)) for w in layer.weights if len(w.shape) >= 2)
        return 0

    return sum(per_position(layer) for layer in network.layers)


def make_timer():
    """A Keras callback recording the wall time of each epoch (validation included) in ``times``."""
    import keras

    class EpochTimer(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.times = []
            self.steps = None

        def on_epoch_begin(self, epoch, logs=None):
            self._start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            self.times.append(time.perf_counter() - self._start)
            self.steps = (self.params or {}).get("steps")

    return EpochTimer()


def log(message):
    print(f"[{datetime.datetime.now():%H:%M:%S}] {message}", flush=True)


# --------------------------------------------------------- hand-written Keras

def keras_lstm(vocab_size, n_classes):
    """LSTMClassifier's default network, written out: Embedding(128) -> LSTM(64) -> Dropout(0.2) -> softmax."""
    import keras

    inputs = keras.Input(shape=(TAX_MAX_LEN,), dtype="int32")
    x = keras.layers.Embedding(vocab_size, 128)(inputs)
    x = keras.layers.LSTM(64)(x)
    x = keras.layers.Dropout(0.2)(x)
    return _compiled(keras.Model(inputs, keras.layers.Dense(n_classes, activation="softmax")(x)))


def keras_cnn(vocab_size, n_classes):
    """CNNClassifier's default network, written out: Embedding(128), Conv1D 3/4/5, max pool, Dropout(0.5)."""
    import keras

    from skltext import CNNClassifier

    filters = CNNClassifier().filters  # the installed default (100 before 0.2.0, 200 since)
    inputs = keras.Input(shape=(TAX_MAX_LEN,), dtype="int32")
    x = keras.layers.Embedding(vocab_size, 128)(inputs)
    pooled = [keras.layers.GlobalMaxPooling1D()(keras.layers.Conv1D(filters, size, padding="same", activation="relu")(x))
              for size in (3, 4, 5)]
    x = keras.layers.Dropout(0.5)(keras.layers.Concatenate()(pooled))
    return _compiled(keras.Model(inputs, keras.layers.Dense(n_classes, activation="softmax")(x)))


def user_lstm(n_classes, mask_zero):
    """The user's network: Embedding(20,002 x 50) -> LSTM(40, sequences) -> LSTM(40) -> softmax."""
    import keras

    inputs = keras.Input(shape=(USER_KERAS["max_len"],), dtype="int32")
    x = keras.layers.Embedding(USER_KERAS["max_words"] + 2, USER_KERAS["embedding_dim"], mask_zero=mask_zero)(inputs)
    for depth in range(USER_KERAS["num_layers"]):
        x = keras.layers.LSTM(USER_KERAS["units"], return_sequences=depth < USER_KERAS["num_layers"] - 1)(x)
    return _compiled(keras.Model(inputs, keras.layers.Dense(n_classes, activation="softmax")(x)))


def _compiled(model):
    import keras

    # The same loss, optimizer and metric as skltext compiles, so both do the same work per step.
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy",
                  metrics=[keras.metrics.SparseCategoricalAccuracy(name="accuracy")])
    return model


# ----------------------------------------------------------------- sections

def run_tax(args):
    import keras
    from sklearn.preprocessing import LabelEncoder

    from skltext import CNNClassifier, LSTMClassifier, TextTokenizer

    texts, labels = make_corpus(args.tax_docs)
    X = TextTokenizer(max_len=TAX_MAX_LEN).fit_transform(texts).astype(np.int32)
    y = LabelEncoder().fit_transform(labels).astype(np.int32)
    vocab_size, n_classes = max(int(X.max()) + 1, 2), int(y.max()) + 1
    builders = {"lstm": (LSTMClassifier, keras_lstm), "cnn": (CNNClassifier, keras_cnn)}
    rows, missing = [], {}
    for model_name, (estimator_class, build) in builders.items():
        params, missing[model_name] = supported(estimator_class, TAX_SKLTEXT[model_name])
        rounds = {contender: [] for contender in TAX_CONTENDERS}
        fitted = {}
        for round_ in range(TAX_ROUNDS):
            # Rotated order: drift in machine load, and running first or last, hit every contender alike.
            shift = round_ % len(TAX_CONTENDERS)
            for contender in TAX_CONTENDERS[shift:] + TAX_CONTENDERS[:shift]:
                timer = make_timer()
                start = time.perf_counter()
                if contender == "skltext":
                    model = estimator_class(callbacks=[timer], **params).fit(X, labels)
                else:
                    keras.utils.set_random_seed(0)
                    model = build(vocab_size, n_classes)
                    model.fit(X, y, callbacks=[timer], verbose=0, **TAX_KERAS_FIT)
                summary = {**epoch_summary(timer.times), "fit_s": time.perf_counter() - start, "round": round_ + 1}
                log(f"tax {model_name} {contender} round {round_ + 1}: {_s(summary['median_epoch_s'])} s/epoch")
                rounds[contender].append(summary)
                fitted[contender] = model
        reference = [run["median_epoch_s"] for run in rounds["hand-written Keras"]]
        by_contender = {}
        for contender, runs in rounds.items():
            fastest = min(runs, key=lambda run: run["median_epoch_s"])
            # Paired within each round, so load that changes between rounds cancels out.
            ratios = [run["median_epoch_s"] / ref for run, ref in zip(runs, reference)]
            by_contender[contender] = {"model": model_name, "contender": contender, **fastest,
                                       "round_ratios": ratios, "rounds": runs}
        skl, raw = fitted["skltext"], fitted["hand-written Keras"]
        by_contender["skltext"]["missing_params"] = missing[model_name]
        by_contender["skltext"]["predict_s"] = best_of(partial(skl.predict_proba, X), 3)
        by_contender["hand-written Keras"]["predict_s"] = best_of(
            partial(raw.predict, X, verbose=0, **TAX_KERAS_PREDICT), 3)
        skl.set_params(**TAX_SKLTEXT_PREDICT_LIKE_KERAS)
        by_contender["skltext"]["predict_s_at_keras_batch"] = best_of(partial(skl.predict_proba, X), 3)
        rows.extend(by_contender.values())
    return {"rows": rows, "n_docs": args.tax_docs, "n_classes": n_classes, "vocab_size": vocab_size,
            "rounds": TAX_ROUNDS,
            "skltext_params": TAX_SKLTEXT, "keras_fit": TAX_KERAS_FIT, "keras_predict": TAX_KERAS_PREDICT}


def run_defaults(args):
    import keras
    from sklearn.metrics import accuracy_score, f1_score
    from sklearn.model_selection import train_test_split
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import LabelEncoder

    from skltext import LSTMClassifier, TextTokenizer

    texts, labels = make_corpus(args.n_docs)
    _, counts = np.unique(labels, return_counts=True)
    stratify = labels if counts.min() >= 2 else None  # a toy-sized corpus can hold a class once
    train_texts, test_texts, y_train, y_test = train_test_split(
        texts, labels, test_size=0.1, stratify=stratify, random_state=0)
    encoder = LabelEncoder().fit(labels)
    class_labels = encoder.classes_
    rows = []
    for key, contender in DEFAULTS_CONTENDERS.items():
        timer = make_timer()
        row = {"key": key, "contender": contender["label"], "kind": contender["kind"]}
        start = time.perf_counter()
        if contender["kind"] == "keras":
            tokenizer = TextTokenizer(max_words=USER_KERAS["max_words"], max_len=USER_KERAS["max_len"])
            X_train = tokenizer.fit_transform(train_texts).astype(np.int32)
            keras.utils.set_random_seed(0)
            model = user_lstm(len(class_labels), contender["mask_zero"])
            stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=USER_KERAS["patience"],
                                                 restore_best_weights=True)
            model.fit(X_train, encoder.transform(y_train).astype(np.int32), batch_size=USER_KERAS["batch_size"],
                      epochs=args.epochs, validation_split=USER_KERAS["validation_split"],
                      callbacks=[stop, timer], verbose=0)
            row["fit_s"] = time.perf_counter() - start
            X_test = tokenizer.transform(test_texts).astype(np.int32)
            predicted = class_labels[model.predict(X_test, batch_size=1024, verbose=0).argmax(axis=1)]
            row["training"] = str(USER_KERAS["batch_size"])
        else:
            params, row["missing_params"] = supported(LSTMClassifier, contender["params"])
            model = Pipeline([("tokenizer", TextTokenizer()),
                              ("model", LSTMClassifier(epochs=args.epochs, random_state=0, callbacks=[timer],
                                                       **params))])
            model.fit(train_texts, y_train)
            row["fit_s"] = time.perf_counter() - start
            predicted = model.predict(test_texts)
            row["training"] = reading(model[-1])
            row["sequence_length"] = int(model[0].max_len_)
        row.update(epoch_summary(timer.times))
        row["steps_per_epoch"] = timer.steps
        row["macro_f1"] = f1_score(y_test, predicted, labels=class_labels, average="macro", zero_division=0)
        row["accuracy"] = accuracy_score(y_test, predicted)
        log(f"defaults {key} {contender['label']}: {_s(row['median_epoch_s'])} s/epoch, {row['epochs_run']} epochs, "
            f"macro-F1 {row['macro_f1']:.3f}")
        rows.append(row)
    return {"rows": rows, "n_docs": args.n_docs, "n_train": len(train_texts), "n_test": len(test_texts),
            "stratified": stratify is not None, "max_epochs": args.epochs, "user_keras": USER_KERAS}


def run_scale(args):
    from skltext import LSTMClassifier, TextTokenizer

    stages = []

    def stage(name, function):
        start = time.perf_counter()
        result = function()
        stages.append({"stage": name, "seconds": time.perf_counter() - start, "peak_rss_mib": peak_rss_mib()})
        log(f"scale {name}: {stages[-1]['seconds']:.1f} s, peak {stages[-1]['peak_rss_mib']:.0f} MiB")
        return result

    texts, labels = stage("generate", lambda: make_corpus(args.scale_docs))
    X = stage("tokenize", lambda: TextTokenizer().fit_transform(texts))
    model, missing = supported(LSTMClassifier, SCALE_PARAMS)
    clf = stage("train 1 epoch", lambda: LSTMClassifier(**model).fit(X, labels))
    stage("predict", lambda: clf.predict_proba(X))
    return {"rows": stages, "n_docs": args.scale_docs, "sequence_length": int(X.shape[1]),
            "training": reading(clf), "missing_params": missing}


def run_latency(args):
    from sklearn.pipeline import Pipeline

    from skltext import CNNClassifier, LSTMClassifier, NgramClassifier, TextTokenizer

    texts, labels = make_corpus(args.latency_docs)
    rows = []
    for model_name, estimator_class in (("lstm", LSTMClassifier), ("cnn", CNNClassifier),
                                        ("ngram", NgramClassifier)):
        params, missing = supported(estimator_class, LATENCY_PARAMS)
        pipe = Pipeline([("tokenizer", TextTokenizer()), ("model", estimator_class(**params))]).fit(texts, labels)
        for i in range(LATENCY_WARMUP):
            pipe.predict_proba([texts[i]])
        single = []
        for i in range(LATENCY_CALLS):
            document = texts[(LATENCY_WARMUP + i) % len(texts)]
            start = time.perf_counter()
            pipe.predict_proba([document])
            single.append(time.perf_counter() - start)
        batch_s = best_of(partial(pipe.predict_proba, texts), BATCH_REPEATS)
        row = {"model": model_name, "median_ms": 1000 * float(np.median(single)),
               "p95_ms": 1000 * float(np.percentile(single, 95)), "batch_docs": len(texts), "batch_s": batch_s,
               "docs_per_s": len(texts) / batch_s, "training": reading(pipe[-1]),
               "missing_params": missing}
        log(f"latency {model_name}: {row['median_ms']:.1f} ms median, {row['docs_per_s']:.0f} docs/s")
        rows.append(row)
    return {"rows": rows, "n_docs": args.latency_docs}


def make_long_corpus(n_docs):
    """Synthetic documents with long-tailed lengths (median LONG_MEDIAN, 95th percentile LONG_P95 tokens)."""
    from skltext.datasets import make_text_classification

    texts, labels = make_text_classification(n_docs, min_length=LONG_MAX_TOKENS, max_length=LONG_MAX_TOKENS,
                                             **LONG_CORPUS)
    rng = np.random.default_rng(LONG_CORPUS["random_state"])
    sigma = np.log(LONG_P95 / LONG_MEDIAN) / 1.6449  # 1.6449: the standard normal's 95th percentile
    lengths = np.clip(np.round(rng.lognormal(np.log(LONG_MEDIAN), sigma, n_docs)), 5, LONG_MAX_TOKENS)
    return [" ".join(text.split()[:int(n)]) for text, n in zip(texts, lengths)], labels


def long_splits(args):
    """(name, train texts, test texts, train labels, test labels, note) of each long-document corpus."""
    from sklearn.model_selection import GroupShuffleSplit, train_test_split

    from _common import data_dir
    from skltext.datasets import load_jsonl_corpus

    texts, labels = make_long_corpus(args.long_docs)
    yield ("synthetic long-tailed", *train_test_split(texts, labels, test_size=LONG_TEST_SHARE, stratify=labels,
                                                       random_state=0),
           f"make_text_classification, {LONG_CLASSES} classes (weights 1/k), lengths log-normal")
    if args.shared_docs <= 0:
        return
    corpus = load_jsonl_corpus(data_dir(args.data_dir) / SHARED_CORPUS)
    labels = np.array(corpus["labels"])
    sections, counts = np.unique(labels, return_counts=True)
    kept = np.flatnonzero(np.isin(labels, sections[np.argsort(-counts)[:SHARED_SECTIONS]]))
    rows = np.random.default_rng(0).choice(kept, size=min(args.shared_docs, len(kept)), replace=False)
    texts, labels, groups = [corpus["texts"][i] for i in rows], labels[rows], np.array(corpus["groups"])[rows]
    train, test = next(GroupShuffleSplit(n_splits=1, test_size=LONG_TEST_SHARE, random_state=0)
                       .split(texts, labels, groups))
    yield (f"{SHARED_CORPUS.split('.')[0]} ({SHARED_SECTIONS} most common sections, {len(rows):,} of "
           f"{len(kept):,} descriptions)", [texts[i] for i in train], [texts[i] for i in test], labels[train],
           labels[test], "grouped by source package, test 20%")


def token_lengths(texts):
    """Tokens per document under TextTokenizer's default pattern."""
    import re

    pattern = re.compile(r"(?u)\b\w+\b")
    return np.array([len(pattern.findall(text.lower())) for text in texts])


def long_estimator(model, params):
    from skltext import CNNClassifier, LSTMClassifier, NgramClassifier

    settings = {"epochs": LONG_EPOCHS, "random_state": 0, **params}
    if model == "lstm":
        return LSTMClassifier(**settings)
    if model == "ngram":
        return NgramClassifier(**settings)
    if model == "cnn":
        return CNNClassifier(**settings)

    class CNNClassifier020(CNNClassifier):
        """CNNClassifier as 0.2.0 built it: padding enters the max pool, documents read at full width."""

        _padding_invariant = False

    return CNNClassifier020(bucket_by_length=False, **settings)


def run_long(args):
    from sklearn.metrics import f1_score
    from sklearn.pipeline import Pipeline

    from skltext import TextTokenizer

    corpora = []
    for name, train_texts, test_texts, y_train, y_test, note in long_splits(args):
        lengths = token_lengths(train_texts)
        max_lens = {"auto": "auto", **{f"p{q}": int(np.ceil(np.percentile(lengths, q))) for q in (95, 99)}}
        keys = [key for key, *_ in LONG_CONTENDERS] if not corpora else list(SHARED_CONTENDERS)
        rows = []
        for key, label, model, params, max_len in (c for c in LONG_CONTENDERS if c[0] in keys):
            timer = make_timer()
            pipe = Pipeline([("tokenizer", TextTokenizer(max_len=max_lens[max_len])),
                             ("model", long_estimator(model, {"callbacks": [timer], **params}))])
            start = time.perf_counter()
            pipe.fit(train_texts, y_train)
            row = {"key": key, "contender": label, "fit_s": time.perf_counter() - start,
                   **epoch_summary(timer.times), "max_len": int(pipe[0].max_len_), "training": reading(pipe[-1]),
                   "trained_docs": int(round(len(train_texts) * (1 - pipe[-1].validation_fraction)))
                   if pipe[-1].early_stopping else len(train_texts),
                   "mean_tokens_read": float(np.minimum(lengths, pipe[0].max_len_).mean()),
                   "multiply_adds_per_position": multiply_adds_per_position(pipe[-1].model_)}
            predict_s = best_of(partial(pipe.predict_proba, test_texts), 2)
            row["predict_docs_per_s"] = len(test_texts) / predict_s
            single = []
            for i in range(5 + LONG_LATENCY_CALLS):
                begin = time.perf_counter()
                pipe.predict_proba([test_texts[i % len(test_texts)]])
                single.append(time.perf_counter() - begin)
            row["single_median_ms"] = 1000 * float(np.median(single[5:]))
            row["macro_f1"] = f1_score(y_test, pipe.predict(test_texts), average="macro", zero_division=0)
            log(f"long {name[:20]} {key}: fit {row['fit_s']:.0f} s, {row['epochs_run']} epochs, "
                f"{_s(row['median_epoch_s'])} s/epoch, macro-F1 {row['macro_f1']:.3f}")
            rows.append(row)
        corpora.append({"corpus": name, "note": note, "n_train": len(train_texts), "n_test": len(test_texts),
                        "n_classes": len(np.unique(y_train)),
                        "length_percentiles": {q: float(np.percentile(lengths, q)) for q in (50, 95, 99, 100)},
                        "rows": rows})
    return {"rows": [], "corpora": corpora, "max_epochs": LONG_EPOCHS}


def run_precision(args):
    from sklearn.metrics import f1_score
    from sklearn.model_selection import train_test_split

    from skltext import CNNClassifier, LSTMClassifier, TextTokenizer

    texts, labels = make_long_corpus(args.precision_docs)
    train_texts, test_texts, y_train, y_test = train_test_split(texts, labels, test_size=LONG_TEST_SHARE,
                                                                stratify=labels, random_state=0)
    tokenizer = TextTokenizer().fit(train_texts)
    X_train, X_test = tokenizer.transform(train_texts), tokenizer.transform(test_texts)
    rows = []
    for model_name, estimator_class in (("cnn", CNNClassifier), ("lstm", LSTMClassifier)):
        for policy in PRECISION_POLICIES:
            timer = make_timer()
            clf = estimator_class(dtype_policy=policy, epochs=PRECISION_EPOCHS, early_stopping=False,
                                  random_state=0, callbacks=[timer])
            start = time.perf_counter()
            clf.fit(X_train, y_train)
            row = {"model": model_name, "policy": policy, "fit_s": time.perf_counter() - start,
                   **epoch_summary(timer.times), "training": reading(clf),
                   "compute_dtypes": sorted({layer.compute_dtype for layer in clf.model_.layers
                                             if layer.name != "token_ids"}),
                   "output_dtype": clf.model_.get_layer("output").compute_dtype}
            row["predict_s"] = best_of(partial(clf.predict_proba, X_test), 2)
            row["macro_f1"] = f1_score(y_test, clf.predict(X_test), average="macro", zero_division=0)
            log(f"precision {model_name} {policy}: {_s(row['median_epoch_s'])} s/epoch, macro-F1 {row['macro_f1']:.3f}")
            rows.append(row)
    return {"rows": rows, "n_train": len(train_texts), "n_test": len(test_texts), "epochs": PRECISION_EPOCHS,
            "max_len": int(tokenizer.max_len_), "cpu_flags": cpu_bfloat16_flags()}


def cpu_bfloat16_flags():
    """The CPU's bfloat16 and AMX flags (from /proc/cpuinfo; None where it cannot be read)."""
    try:
        flags = set(Path("/proc/cpuinfo").read_text().split())
    except OSError:
        return None
    return sorted(flags & {"avx512_bf16", "amx_bf16", "amx_tile", "amx_int8"})


RUNNERS = {"tax": run_tax, "defaults": run_defaults, "scale": run_scale, "latency": run_latency, "long": run_long,
           "precision": run_precision}


def backend_versions():
    """Versions of Keras, its backend and skltext, from inside a worker."""
    import keras

    found = {"keras_backend": keras.backend.backend()}
    for name in ("skltext", "keras", "tensorflow", "jax", "jaxlib", "torch"):
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = None
    return found


def worker(args):
    start = time.perf_counter()
    result = RUNNERS[args.worker](args)
    result.update(section=args.worker, backend=args.backend, versions=backend_versions(),
                  finished=datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
                  wall_s=time.perf_counter() - start, peak_rss_mib=peak_rss_mib())
    Path(args.out).write_text(json.dumps(result, indent=1, default=_jsonable))


def _jsonable(value):
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


# ------------------------------------------------------------------ parent

def installed(backend):
    try:
        return version(backend)
    except PackageNotFoundError:
        return None


def run_workers(args, sections, backends):
    """Run each (section, backend) in its own process; merge its rows into speed.json as they come."""
    raw = json.loads(RAW.read_text()) if RAW.exists() else {"runs": {}}
    options, commit = size_options(args), source_commit()
    failed = []
    for section in sections:
        for backend in backends:
            key = f"{section}/{backend}"
            if installed(backend) is None:
                log(f"{key}: {backend} not installed, skipped")
                raw["runs"][key] = {"section": section, "backend": backend, "status": "not installed"}
            else:
                result = run_worker(section, backend, args)
                if result is None:
                    failed.append(key)
                    continue
                if raw["runs"].get(key, {}).get("status") == "ok":
                    # Runs vary by 10-30% on a shared machine: the replaced run stays on record.
                    raw.setdefault("earlier", []).append(raw["runs"][key])
                raw["runs"][key] = {**result, "status": "ok", "options": options, "commit": commit}
            RESULTS.mkdir(exist_ok=True)
            RAW.write_text(json.dumps(raw, indent=1))
    return raw, failed


def run_worker(section, backend, args):
    """One worker process under KERAS_BACKEND=backend; its result, or None when it failed."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "rows.json"
        command = [sys.executable, str(Path(__file__).resolve()), "--worker", section, "--backend", backend,
                   "--out", str(out), *worker_options(args)]
        env = {**os.environ, "KERAS_BACKEND": backend, "TF_CPP_MIN_LOG_LEVEL": "2"}
        log(f"{section}/{backend}: starting")
        start = time.perf_counter()
        code = subprocess.call(command, env=env, cwd=Path(__file__).resolve().parent)
        if code or not out.exists():
            log(f"{section}/{backend}: failed (exit {code})")
            return None
        log(f"{section}/{backend}: done in {time.perf_counter() - start:.0f} s")
        return json.loads(out.read_text())


def source_commit():
    """The checked-out commit, marked when skltext/ differs from it (the timings depend on the code)."""
    def git(*arguments):
        return subprocess.run(["git", *arguments], cwd=Path(__file__).resolve().parent, capture_output=True,
                              check=False, text=True).stdout.strip()

    commit = git("rev-parse", "--short", "HEAD")
    if not commit:
        return None
    return commit + (" with uncommitted changes" if git("status", "--porcelain", "--", "../skltext") else "")


SIZE_OPTIONS = ("n_docs", "scale_docs", "epochs", "tax_docs", "latency_docs", "long_docs", "shared_docs",
                "precision_docs")


def worker_options(args):
    options = [part for name in SIZE_OPTIONS for part in (f"--{name.replace('_', '-')}", str(getattr(args, name)))]
    return options + (["--data-dir", str(args.data_dir)] if args.data_dir else [])


def size_options(args):
    """The size options that differ from their defaults, as command-line text (leading space)."""
    defaults = build_parser().parse_args([])
    return "".join(f" --{name.replace('_', '-')} {getattr(args, name)}" for name in SIZE_OPTIONS
                   if getattr(args, name) != getattr(defaults, name))


# ------------------------------------------------------------------ tables

def _s(value, digits=2):
    return "–" if value is None else f"{value:.{digits}f}"


def _ratio(value, reference):
    return "–" if value is None or not reference else f"{value / reference:.3f}"


def _runs(raw, section):
    return [run for key, run in raw["runs"].items() if key.startswith(section + "/") and run.get("status") == "ok"]


def _missing_note(runs):
    missing = sorted({name for run in runs for row in run["rows"] for name in row.get("missing_params") or ()}
                     | {name for run in runs for name in run.get("missing_params") or ()})
    if not missing:
        return []
    pronoun = "it" if len(missing) == 1 else "them"
    return [f"The installed skltext has no {', '.join(missing)}: these rows ran without {pronoun}."]


def _round_ratios(row):
    """Median and range of the per-round fit ratios to the hand-written model, as text."""
    ratios = row["round_ratios"]
    return f"{statistics.median(ratios):.3f} ({min(ratios):.3f}–{max(ratios):.3f})"


def tax_lines(raw):
    runs = _runs(raw, "tax")
    if not runs:
        return []
    rows = []
    for run in runs:
        for model_name in ("lstm", "cnn"):
            pair = {row["contender"]: row for row in run["rows"] if row["model"] == model_name}
            keras_row = pair["hand-written Keras"]
            for contender, row in pair.items():
                rows.append([run["backend"], model_name, contender, _s(row["epoch1_s"]), _s(row["median_epoch_s"]),
                             _ratio(row["median_epoch_s"], keras_row["median_epoch_s"]), _round_ratios(row),
                             _s(row.get("predict_s")), _ratio(row.get("predict_s"), keras_row["predict_s"])])
            skl = pair["skltext"]
            rows.append([run["backend"], model_name, f"skltext, predict__batch_size={TAX_KERAS_PREDICT['batch_size']}",
                         "", "", "", "", _s(skl["predict_s_at_keras_batch"]),
                         _ratio(skl["predict_s_at_keras_batch"], keras_row["predict_s"])])
    first = runs[0]
    return [
        "## Wrapper tax: skltext against the same network written in Keras", "",
        (f"{first['n_docs']:,} synthetic documents ({first['n_classes']} classes, {TAX_MAX_LEN} tokens), "
         f"{TAX_EPOCHS} epochs at batch size {TAX_BATCH_SIZE}, no early stopping on either side. Each round trains "
         "skltext, the hand-written network and the hand-written network again (the control), in an order rotated "
         f"from round to round; {first['rounds']} rounds. An epoch time is the median of epochs 2 "
         "and later of one run. 'Fastest run' keeps each contender's fastest run; 'per round' divides each round's "
         "time by the hand-written network's time in the same round and gives the median and range of those "
         "ratios, so a change in machine load between rounds cancels. The control row shows how far two runs of "
         "the very same model differ on this machine. Predict: best of 3 over the "
         f"{first['n_docs']:,} documents; the hand-written model predicts with "
         f"batch_size={TAX_KERAS_PREDICT['batch_size']}, skltext with its own default, and in the last row of each "
         f"model with predict__batch_size={TAX_KERAS_PREDICT['batch_size']}, so both predict in the same batches."),
        "",
        *markdown_table(["backend", "model", "contender", "epoch 1 s", "median epoch s (fastest run)",
                         "fit ratio to Keras (fastest runs)", "fit ratio to Keras, per round: median (range)",
                         "predict s", "predict ratio to Keras"], rows),
        "", *_missing_note(runs), "",
    ]


def defaults_lines(raw):
    runs = _runs(raw, "defaults")
    if not runs:
        return []
    reference_run = raw["runs"].get(f"defaults/{REFERENCE[0]}", {})
    reference = next((row["median_epoch_s"] for row in reference_run.get("rows", ()) if row["key"] == REFERENCE[1]),
                     None)
    rows = []
    for run in runs:
        for row in run["rows"]:
            epoch = row["median_epoch_s"]
            faster = "–" if not reference or not epoch else f"{reference / epoch:.1f}x"
            rows.append([run["backend"], f"({row['key']}) {row['contender']}", row.get("training", "–"),
                         _s(row["median_epoch_s"]), faster, row["epochs_run"], _s(row["fit_s"], 1),
                         _s(row["macro_f1"], 3), _s(row["accuracy"], 3)])
    first = runs[0]
    return [
        "## Defaults against the user's Keras setup", "",
        (f"{first['n_docs']:,} synthetic documents of 10 to 40 tokens, {N_CLASSES} classes with weights 1/k² "
        f"(long tail); a {'stratified ' if first['stratified'] else ''}10% test split ({first['n_test']:,} "
        f"documents); all contenders train on the other {first['n_train']:,} for at most {first['max_epochs']} "
        "epochs, with early stopping on a 10% validation part (patience 2 for (a) and (b), skltext's default 3 for "
         "(c) and (d)). (a) and (b): "
        f"TextTokenizer(max_words={USER_KERAS['max_words']:,}, max_len={USER_KERAS['max_len']}), "
        f"Embedding({USER_KERAS['max_words'] + 2:,}, {USER_KERAS['embedding_dim']}) -> "
        f"LSTM({USER_KERAS['units']}) x {USER_KERAS['num_layers']} -> softmax, Adam, batch "
        f"{USER_KERAS['batch_size']}, validation_split={USER_KERAS['validation_split']}, EarlyStopping(patience="
        f"{USER_KERAS['patience']}, restore_best_weights=True). (c) "
        f"LSTMClassifier({', '.join(f'{k}={v!r}' for k, v in DEFAULTS_CONTENDERS['c']['params'].items())}) and "
        "(d) LSTMClassifier() after TextTokenizer(), both with epochs and random_state=0 only otherwise. "
        f"'x faster' is the median epoch time of ({REFERENCE[1]}) on {REFERENCE[0]} divided by the row's. "
        "Fit s includes tokenizing."), "",
        *markdown_table(["backend", "contender", "trained with batch size", "median epoch s", "x faster than (a) on TensorFlow",
                "epochs run", "fit s (total)", "test macro-F1", "test accuracy"], rows),
        "", *_missing_note(runs), *_earlier_defaults_note(raw), "",
    ]


def _earlier_defaults_note(raw):
    """One line per earlier run of the defaults section: its epoch times and (a) / (d)."""
    lines = []
    for run in raw.get("earlier", ()):
        if run.get("section") != "defaults":
            continue
        epochs = {row["key"]: row["median_epoch_s"] for row in run["rows"]}
        times = ", ".join(f"({key}) {_s(seconds)}" for key, seconds in sorted(epochs.items()))
        ratio = (f"; (d) {epochs['a'] / epochs['d']:.2f}x faster than (a) on {run['backend']}"
                 if epochs.get("a") and epochs.get("d") else "")
        lines.append(f"- Earlier run, {run['backend']}, finished {run['finished']}: median epoch s {times}{ratio}.")
    if lines:
        lines[:0] = ["", "The same section run before (kept in speed.json; the table shows the latest run):"]
    return lines


def scale_lines(raw):
    runs = _runs(raw, "scale")
    if not runs:
        return []
    rows = []
    for run in runs:
        for stage in run["rows"]:
            rows.append([run["backend"], stage["stage"], _s(stage["seconds"], 1), f"{stage['peak_rss_mib']:,.0f}",
                         "yes" if stage["peak_rss_mib"] < 4096 else "no"])
    first = runs[0]
    return [
        "## Scale", "",
        (f"{first['n_docs']:,} synthetic documents (10 to 40 tokens) through TextTokenizer().fit_transform, one "
        f"epoch of LSTMClassifier({', '.join(f'{k}={v!r}' for k, v in SCALE_PARAMS.items())}) (defaults otherwise, "
        "so 10% is held out for early stopping) and predict_proba on all documents. Peak memory is the worker "
        "process's peak resident set size after each stage (it includes the Keras backend itself)."), "",
        *markdown_table(["backend", "stage", "seconds", "peak memory MiB", "under 4 GB"], rows),
        "", *_missing_note(runs), "",
    ]


def latency_lines(raw):
    runs = _runs(raw, "latency")
    if not runs:
        return []
    rows = [[run["backend"], row["model"], _s(row["median_ms"], 1), _s(row["p95_ms"], 1), f"{row['docs_per_s']:,.0f}",
             row.get("training", "–")] for run in runs for row in run["rows"]]
    first = runs[0]
    return [
        "## Inference latency and throughput", "",
        (f"Pipelines TextTokenizer() -> model ({', '.join(f'{k}={v!r}' for k, v in LATENCY_PARAMS.items())}, "
        f"defaults otherwise) fitted on {first['n_docs']:,} documents. Single document: "
        f"pipe.predict_proba([doc]) on {LATENCY_CALLS} different documents after {LATENCY_WARMUP} warm-up calls. "
        f"Batch: pipe.predict_proba on all {first['n_docs']:,} documents, best of {BATCH_REPEATS}."), "",
        *markdown_table(["backend", "model", "single doc median ms", "single doc p95 ms", "batch docs/s",
                "trained with batch size"], rows),
        "", *_missing_note(runs), "",
    ]


def long_lines(raw):
    runs = _runs(raw, "long")
    if not runs:
        return []
    lines = ["## Long documents", "",
             ("0.2.0's CNN (CNNClassifier as released in 0.2.0: every document read at the full padded width, the "
              "padding row of the embedding trained and windows over padding in the max pool) against today's "
              "defaults, side by side in one process, one after the other. Each pipeline is TextTokenizer -> model "
              f"with random_state=0 and at most {runs[0]['max_epochs']} epochs (early stopping as the defaults "
              "have it: 10% held out, patience 5 for the CNN, 3 for the LSTM and the n-gram model); 0.2.0's "
              "tokenizer took the 95th percentile of the training lengths as max_len, as max_len='auto' does. "
              "Fit s is the whole pipeline fit (tokenizing, compiling, every epoch, validation); an epoch time "
              "is the median of epochs 2 and later. Predict: pipe.predict_proba on the test documents (docs/s, best of 2) and on one document at "
              f"a time ({LONG_LATENCY_CALLS} test documents after 5 warm-up calls, median). 'x' columns are "
              "0.2.0's CNN divided by the row (higher: faster). The machine was shared with other jobs during the "
              "run, so absolute times carry their load; the ratios come from runs minutes apart."), ""]
    for run in runs:
        for corpus in run["corpora"]:
            by_key = {row["key"]: row for row in corpus["rows"]}
            base = by_key.get("cnn-0.2.0", {})
            rows = []
            for row in corpus["rows"]:
                rows.append([row["contender"], row["max_len"], row["training"], _s(row["epoch1_s"], 1),
                             _s(row["median_epoch_s"], 1), _times(base.get("median_epoch_s"), row["median_epoch_s"]),
                             row["epochs_run"], _s(row["fit_s"], 0), _times(base.get("fit_s"), row["fit_s"]),
                             f"{row['predict_docs_per_s']:,.0f}",
                             _times(row["predict_docs_per_s"], base.get("predict_docs_per_s")),
                             _s(row["single_median_ms"], 1), _s(100 * row["macro_f1"], 1),
                             _points(row["macro_f1"], base.get("macro_f1"))])
            p = corpus["length_percentiles"]
            lines += [f"### {corpus['corpus']}, {run['backend']}", "",
                      (f"{corpus['n_train']:,} training and {corpus['n_test']:,} test documents, "
                       f"{corpus['n_classes']} classes ({corpus['note']}); training lengths in tokens: median "
                       f"{p['50']:.0f}, 95th percentile {p['95']:.0f}, 99th {p['99']:.0f}, longest {p['100']:.0f}."),
                      "",
                      *markdown_table(["contender", "max_len", "trained with batch size", "epoch 1 s",
                                       "median epoch s", "x epoch", "epochs run", "fit s", "x fit",
                                       "predict docs/s", "x predict", "1 doc ms", "test macro-F1",
                                       "macro-F1 vs 0.2.0 (points)"], rows), ""]
    return lines


def precision_lines(raw):
    runs = _runs(raw, "precision")
    if not runs:
        return []
    rows = []
    for run in runs:
        by = {(row["model"], row["policy"]): row for row in run["rows"]}
        for (model, policy), row in by.items():
            base = by[(model, PRECISION_POLICIES[0])]
            rows.append([run["backend"], model, policy, row["training"], _s(row["epoch1_s"], 1),
                         _s(row["median_epoch_s"], 1), _times(base["median_epoch_s"], row["median_epoch_s"]),
                         _s(row["predict_s"], 2), _times(base["predict_s"], row["predict_s"]),
                         _s(100 * row["macro_f1"], 1), ", ".join(row["compute_dtypes"]), row["output_dtype"]])
    first = runs[0]
    return [
        "## Precision: float32 against mixed bfloat16", "",
        (f"The long-tailed synthetic corpus at a smaller size ({first['n_train']:,} training, {first['n_test']:,} "
         f"test documents, max_len {first['max_len']}), default CNN and LSTM with dtype_policy='float32' and "
         f"'mixed_bfloat16', exactly {first['epochs']} epochs each (no early stopping), so the macro-F1 compares "
         "equal training, not converged models. 'x' columns: float32 time divided by the row's (above 1: "
         "bfloat16 is faster). Compute dtypes are those of the network's layers; the output layer stays float32. "
         f"The CPU's bfloat16 and AMX flags: {_flags(first.get('cpu_flags'))}."), "",
        *markdown_table(["backend", "model", "dtype_policy", "trained with batch size", "epoch 1 s",
                         "median epoch s", "x epoch", "predict s", "x predict", "test macro-F1",
                         "layer compute dtypes", "output layer"], rows),
        "",
    ]


def _flags(flags):
    if flags is None:
        return "not recorded"
    return ", ".join(flags) or "none"


def _times(reference, value):
    return "–" if not reference or not value else f"{reference / value:.2f}x"


def _points(value, reference):
    return "–" if reference is None else f"{100 * (value - reference):+.1f}"


def render(raw):
    """speed.md from the merged results."""
    versions = {}
    for run in raw["runs"].values():
        versions.update({name: value for name, value in run.get("versions", {}).items() if value})
    backend_line = ", ".join(f"{name} {installed(name) or 'not installed'}" for name in BACKENDS)
    header = [line for line in environment_lines() if not line.startswith("- Keras backend")]
    done = {key: run for key, run in raw["runs"].items() if run.get("status") == "ok"}
    options = {run.get("options", "") for run in done.values()}
    commits = {run.get("commit") for run in done.values()} - {None}
    if len(options) <= 1:
        reproduce = [f"Reproduce: `python benchmarks/bench_speed.py{''.join(options)}`"]
    else:  # sections kept from runs with other sizes
        reproduce = ["Reproduce, per section and backend:", "",
                     *(f"- {key}: `python benchmarks/bench_speed.py --sections {run['section']} --backends "
                       f"{run['backend']}{run.get('options', '')}`" for key, run in done.items())]
    lines = [
        "# Speed: wrapper tax, defaults against a hand-written Keras setup, scale, latency, long documents, "
        "precision", "",
        *reproduce, "",
        *header,
        *([f"- skltext source: commit {', '.join(sorted(commits))}"] if commits else []),
        f"- Keras backends: each table row names its own; {backend_line}",
        "- runs finished (UTC): " + ", ".join(f"{key} {run['finished']}" for key, run in done.items()),
        "",
        "Times are wall-clock seconds on the machine above; nothing is asserted.", "",
        *stale_lines(done),
    ]
    for section_lines in (tax_lines, defaults_lines, scale_lines, latency_lines, long_lines, precision_lines):
        lines += section_lines(raw)
    text = "\n".join(lines).rstrip() + "\n"
    print(text)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "speed.md").write_text(text)


def stale_lines(done):
    """A note per default change that runs of ``done`` predate, naming those runs."""
    lines = []
    for commit, sections, what in DEFAULT_CHANGES:
        older = [key for key, run in done.items() if run["section"] in sections
                 and predates(run.get("commit", "unknown"), commit)]
        if older:
            lines += [f"Measured before commit {commit} ({', '.join(older)}): {what}.", ""]
    return lines


def _names(value, allowed, what):
    names = [name.strip() for name in value.split(",") if name.strip()]
    unknown = [name for name in names if name not in allowed]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown {what} {', '.join(unknown)}; choose from {', '.join(allowed)}")
    return names


def build_parser():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sections", default=",".join(SECTIONS), help=f"comma-separated, of {', '.join(SECTIONS)}")
    parser.add_argument("--backends", default="tensorflow,jax", help=f"comma-separated, of {', '.join(BACKENDS)}")
    parser.add_argument("--n-docs", type=int, default=100_000, help="documents of the defaults section")
    parser.add_argument("--scale-docs", type=int, default=700_000, help="documents of the scale section")
    parser.add_argument("--epochs", type=int, default=8, help="maximum epochs of the defaults section")
    parser.add_argument("--tax-docs", type=int, default=20_000, help="documents of the tax section")
    parser.add_argument("--latency-docs", type=int, default=20_000, help="documents of the latency section")
    parser.add_argument("--long-docs", type=int, default=8_000, help="synthetic documents of the long section")
    parser.add_argument("--shared-docs", type=int, default=6_000,
                        help=f"documents sampled from {SHARED_CORPUS} for the long section (0: skip it)")
    parser.add_argument("--precision-docs", type=int, default=3_000, help="documents of the precision section")
    parser.add_argument("--data-dir", help="folder of the shared corpora (default: $SKLTEXT_DATA_DIR or ../shared/data)")
    parser.add_argument("--table-only", action="store_true", help="re-render speed.md from speed.json")
    parser.add_argument("--worker", choices=SECTIONS, help=argparse.SUPPRESS)
    parser.add_argument("--backend", choices=BACKENDS, help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    return parser


def main():
    parser = build_parser()
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return 0
    try:
        sections = _names(args.sections, SECTIONS, "section")
        backends = _names(args.backends, BACKENDS, "backend")
    except argparse.ArgumentTypeError as exc:
        parser.error(str(exc))
    if args.table_only:
        if not RAW.exists():
            parser.error(f"{RAW} not found: run the benchmark first")
        render(json.loads(RAW.read_text()))
        return 0
    raw, failed = run_workers(args, sections, backends)
    render(raw)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
