"""End-to-end tests of LSTMClassifier and CNNClassifier inside scikit-learn tooling."""

import pickle
import subprocess
import sys
import textwrap

import joblib
import keras
import numpy as np
import pytest
from imblearn.over_sampling import RandomOverSampler
from imblearn.pipeline import make_pipeline as make_imblearn_pipeline
from sklearn.base import clone, is_classifier
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import (
    GridSearchCV,
    RandomizedSearchCV,
    StratifiedKFold,
    check_cv,
    cross_val_score,
)
from sklearn.pipeline import make_pipeline

from skltext import CNNClassifier, LSTMClassifier, TextTokenizer
from skltext.models.lstm import MAX_POOLING_MIN_TOKENS

from .conftest import TINY, RecordingFit, label_attention_logits, sample_weight_given_to_keras, tiny

pytestmark = pytest.mark.estimator


def _pipe(model_class, **params):
    return make_pipeline(TextTokenizer(max_len=12), tiny(model_class, **params))


def test_binary_end_to_end(model_class, binary_corpus):
    """Check a binary pipeline: one sigmoid unit, (n, 2) probabilities, string labels back."""
    texts, y = binary_corpus
    pipe = _pipe(model_class, epochs=8).fit(texts, y)
    model = pipe[-1]
    assert model.target_type_ == "binary"
    assert model.model_.output_shape == (None, 1)
    assert model.model_.layers[-1].activation.__name__ == "sigmoid"
    proba = pipe.predict_proba(texts)
    assert proba.shape == (len(texts), 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1, rtol=1e-5)
    assert list(model.classes_) == ["neg", "pos"]
    np.testing.assert_array_equal(pipe.predict(texts), model.classes_[proba.argmax(axis=1)])
    assert accuracy_score(y, pipe.predict(texts)) > 0.8


def test_multiclass_string_labels_end_to_end(multiclass_pipeline, multiclass_corpus):
    """Check a multi-class pipeline: softmax over K classes, sparse categorical cross-entropy."""
    texts, y = multiclass_corpus
    pipe = multiclass_pipeline
    model = pipe[-1]
    assert model.target_type_ == "multiclass"
    assert model.model_.output_shape == (None, 4)
    assert model.model_.layers[-1].activation.__name__ == "softmax"
    assert model.model_.loss == "sparse_categorical_crossentropy"
    proba = pipe.predict_proba(texts[:7])
    assert proba.shape == (7, 4)
    np.testing.assert_allclose(proba.sum(axis=1), 1, rtol=1e-5)
    assert set(pipe.predict(texts)) <= set(y)
    assert accuracy_score(y, pipe.predict(texts)) > 0.5  # 4 classes: chance is 0.25


def test_multilabel_end_to_end(model_class, multilabel_corpus):
    """Check a multi-label pipeline: K sigmoids, binary cross-entropy, 0/1 predictions."""
    texts, y = multilabel_corpus
    y = y.copy()
    y[0] = 0  # a document without labels is allowed
    pipe = _pipe(model_class, epochs=10).fit(texts, y)
    model = pipe[-1]
    assert model.target_type_ == "multilabel-indicator"
    assert model.model_.output_shape == (None, 4)
    assert model.model_.layers[-1].activation.__name__ == "sigmoid"
    assert model.model_.loss == "binary_crossentropy"
    proba = pipe.predict_proba(texts)
    assert proba.shape == y.shape
    np.testing.assert_array_equal(pipe.predict(texts), (proba >= 0.5).astype(int))
    np.testing.assert_array_equal(model.classes_, np.arange(4))


def test_single_sample_probabilities_keep_two_dimensions(multiclass_pipeline, multiclass_corpus):
    """Check that predicting one document gives a (1, K) array, not a squeezed one."""
    texts, _ = multiclass_corpus
    one = multiclass_pipeline.predict_proba(texts[:1])
    assert one.shape == (1, 4)
    np.testing.assert_allclose(one, multiclass_pipeline.predict_proba(texts[:7])[:1], rtol=1e-6)


def test_estimators_and_pipelines_are_classifiers(model_class):
    """Check is_classifier on the estimator, a pipeline and an imblearn pipeline."""
    assert is_classifier(model_class())
    assert is_classifier(make_pipeline(TextTokenizer(), model_class()))
    assert is_classifier(make_imblearn_pipeline(TextTokenizer(), RandomOverSampler(), model_class()))


def test_cross_val_score_uses_stratified_folds(model_class, binary_corpus):
    """Check that cross-validation of a pipeline splits with StratifiedKFold, and that each score is the
    macro-F1 of a model fitted on that fold's training part."""
    texts, y = binary_corpus
    pipe = _pipe(model_class, epochs=1)
    assert isinstance(check_cv(3, y, classifier=is_classifier(pipe)), StratifiedKFold)
    scores = cross_val_score(pipe, texts, y, cv=3, scoring="f1_macro")
    assert scores.shape == (3,)
    for score, (train, test) in zip(scores, StratifiedKFold(3).split(texts, y)):
        fold_model = clone(pipe).fit([texts[i] for i in train], y[train])
        predicted = fold_model.predict([texts[i] for i in test])
        assert score == pytest.approx(f1_score(y[test], predicted, average="macro"), rel=1e-12)


def test_imblearn_pipeline_with_oversampler(binary_corpus):
    """Check tokenizer -> RandomOverSampler -> CNN, fitted on raw strings."""
    texts, y = binary_corpus
    keep = np.flatnonzero(y == "pos")[:20].tolist() + np.flatnonzero(y == "neg").tolist()
    texts, y = [texts[i] for i in keep], y[keep]
    pipe = make_imblearn_pipeline(TextTokenizer(max_len=12), RandomOverSampler(random_state=0),
                                  tiny(CNNClassifier, epochs=2))
    pipe.fit(texts, y)
    assert pipe.predict_proba(texts).shape == (len(texts), 2)
    # The oversampler ran inside fit: the model saw balanced classes.
    sampler = pipe.named_steps["randomoversampler"]
    counts = np.unique(y[sampler.sample_indices_], return_counts=True)[1]
    assert counts[0] == counts[1] == (y == "neg").sum()


def test_grid_search_over_tokenizer_and_model(binary_corpus):
    """Check GridSearchCV over tokenizer and model parameters of a pipeline."""
    texts, y = binary_corpus
    pipe = make_pipeline(TextTokenizer(), tiny(LSTMClassifier, epochs=1))
    grid = {"texttokenizer__max_len": [6, 12], "lstmclassifier__units": [2, 4]}
    search = GridSearchCV(pipe, grid, cv=2, scoring="f1_macro").fit(texts, y)
    assert len(search.cv_results_["params"]) == 4
    best = search.best_estimator_
    assert best.named_steps["texttokenizer"].max_len_ == search.best_params_["texttokenizer__max_len"]
    assert best.named_steps["lstmclassifier"].model_.get_layer("lstm_0").units == \
        search.best_params_["lstmclassifier__units"]


def test_randomized_search(binary_corpus):
    """Check RandomizedSearchCV over CNN parameters, including a routed optimizer argument."""
    texts, y = binary_corpus
    pipe = make_pipeline(TextTokenizer(max_len=12), tiny(CNNClassifier, epochs=1))
    distributions = {"cnnclassifier__filters": [2, 3, 4], "cnnclassifier__optimizer__beta_1": [0.8, 0.9]}
    search = RandomizedSearchCV(pipe, distributions, n_iter=2, cv=2, random_state=0).fit(texts, y)
    model = search.best_estimator_[-1]
    assert model.model_.optimizer.beta_1 == search.best_params_["cnnclassifier__optimizer__beta_1"]


def test_clone_keeps_every_parameter(model_class):
    """Check that clone copies all parameters, epochs and routed ones included."""
    model = tiny(model_class, epochs=7, patience=1, optimizer__beta_2=0.99, fit__shuffle=False)
    cloned = clone(model)
    assert cloned.get_params() == model.get_params()
    assert cloned.epochs == 7 and cloned.optimizer__beta_2 == 0.99 and cloned.fit__shuffle is False


def test_pickle_and_joblib_round_trips(multiclass_pipeline, multiclass_corpus, tmp_path):
    """Check pickle and joblib round trips, and loading in a fresh process."""
    texts, _ = multiclass_corpus
    pipe = multiclass_pipeline
    expected = pipe.predict_proba(texts)
    np.testing.assert_array_equal(pickle.loads(pickle.dumps(pipe)).predict_proba(texts), expected)
    path = tmp_path / "pipe.joblib"
    joblib.dump(pipe, path)
    np.testing.assert_array_equal(joblib.load(path).predict_proba(texts), expected)
    np.save(tmp_path / "expected.npy", expected)
    pickle.dump(texts, open(tmp_path / "texts.pkl", "wb"))
    script = textwrap.dedent(f"""
        import pickle, joblib, numpy as np
        pipe = joblib.load({str(path)!r})
        texts = pickle.load(open({str(tmp_path / 'texts.pkl')!r}, "rb"))
        np.testing.assert_array_equal(pipe.predict_proba(texts), np.load({str(tmp_path / 'expected.npy')!r}))
        print("identical")
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "identical" in result.stdout


class _WeightsPerEpoch(keras.callbacks.Callback):
    """Keep a copy of the network's weights at the end of every epoch."""

    def on_train_begin(self, logs=None):
        self.weights = []

    def on_epoch_end(self, epoch, logs=None):
        self.weights.append(self.model.get_weights())


def test_early_stopping_restores_best_epoch(multiclass_corpus):
    """Check that training stops after `patience` epochs without improvement and keeps the weights of
    the epoch with the lowest validation loss, not the last epoch's."""
    texts, y = multiclass_corpus
    weights = _WeightsPerEpoch()
    # A large learning rate makes the validation loss climb after a few epochs.
    model = tiny(CNNClassifier, epochs=40, patience=2, learning_rate=0.1, filters=16, callbacks=[weights])
    make_pipeline(TextTokenizer(max_len=12), model).fit(texts, y)
    val_loss = model.history_["val_loss"]
    assert model.n_iter_ == len(val_loss) == len(weights.weights) < 40
    assert model.best_epoch_ == int(np.argmin(val_loss)) + 1
    assert model.n_iter_ == model.best_epoch_ + 2
    assert {"loss", "val_loss", "accuracy", "val_accuracy"} <= set(model.history_)
    best, last = weights.weights[model.best_epoch_ - 1], weights.weights[-1]
    for kept, expected in zip(model.model_.get_weights(), best, strict=True):
        np.testing.assert_array_equal(kept, expected)
    assert any(not np.array_equal(a, b) for a, b in zip(best, last))


class _StepsPerTraining(keras.callbacks.Callback):
    """Gradient steps of each epoch, one list per ``keras.Model.fit`` call."""

    def on_train_begin(self, logs=None):
        self.trainings = getattr(self, "trainings", []) + [[]]

    def on_epoch_begin(self, epoch, logs=None):
        self.trainings[-1].append(0)

    def on_train_batch_end(self, batch, logs=None):
        self.trainings[-1][-1] += 1


def test_refit_trains_again_on_every_row_for_the_chosen_epochs(multiclass_corpus):
    """Check that refit=True trains the network again on all rows, hold-out included, for best_epoch_ epochs,
    after the run with the hold-out, whose history stays in history_."""
    texts, y = multiclass_corpus
    steps = _StepsPerTraining()
    model = tiny(CNNClassifier, epochs=40, patience=2, learning_rate=0.1, batch_size=8, bucket_by_length=False,
                 refit=True, callbacks=[steps])
    make_pipeline(TextTokenizer(max_len=12), model).fit(texts, y)
    assert model.refitted_
    chosen, refit = steps.trainings
    assert len(chosen) == model.n_iter_ == len(model.history_["val_loss"]) == model.best_epoch_ + 2
    assert len(refit) == model.best_epoch_
    # Batches of 8: the refit's epochs see every row, the first training's all but the hold-out's tenth.
    assert set(refit) == {-(-len(y) // 8)} and set(chosen) == {-(-(len(y) - len(y) // 10) // 8)}
    reference = tiny(CNNClassifier, epochs=40, patience=2, learning_rate=0.1, batch_size=8,
                     bucket_by_length=False)
    pipeline = make_pipeline(TextTokenizer(max_len=12), reference).fit(texts, y)
    assert not reference.refitted_ and reference.history_ == model.history_
    ids = pipeline[:-1].transform(texts)
    assert not np.allclose(model.predict_proba(ids), reference.predict_proba(ids))


class _StartOfTraining(keras.callbacks.Callback):
    """The network, its compiled training step, weights and optimizer step count as each ``fit`` call begins."""

    def on_train_begin(self, logs=None):
        self.starts = getattr(self, "starts", []) + [{
            "network": self.model, "train_function": self.model.train_function,
            "weights": self.model.get_weights(), "iterations": int(self.model.optimizer.iterations.numpy()),
        }]


def test_refit_restarts_the_same_compiled_network_from_its_initial_state(multiclass_corpus):
    """Check that refit=True trains the network again from the weights and optimizer state it started from,
    reusing the compiled training step instead of building and compiling a new network."""
    texts, y = multiclass_corpus
    start = _StartOfTraining()
    model = tiny(CNNClassifier, epochs=4, patience=4, refit=True, callbacks=[start])
    make_pipeline(TextTokenizer(max_len=12), model).fit(texts, y)
    assert model.refitted_
    chosen, refit = start.starts
    assert refit["network"] is chosen["network"] is model.model_
    assert refit["train_function"] is chosen["train_function"] is not None
    assert chosen["iterations"] == refit["iterations"] == 0
    for again, initial in zip(refit["weights"], chosen["weights"], strict=True):
        np.testing.assert_array_equal(again, initial)
    assert any(not np.array_equal(a, b) for a, b in zip(model.model_.get_weights(), chosen["weights"]))


@pytest.mark.parametrize(
    "params",
    [{"early_stopping": False}, {"validation_fraction": 0.001}],
    ids=["no early stopping", "no hold-out"],
)
def test_refit_needs_a_hold_out(params, binary_corpus):
    """Check that refit changes nothing where no hold-out chose the epoch."""
    texts, y = binary_corpus
    steps = _StepsPerTraining()
    model = tiny(LSTMClassifier, epochs=2, refit=True, callbacks=[steps], **params)
    make_pipeline(TextTokenizer(max_len=12), model).fit(texts, y)
    assert not model.refitted_ and len(steps.trainings) == 1 and model.n_iter_ == 2


def test_refit_leaves_a_warm_started_network_alone(binary_corpus):
    """Check that a warm-start fit that continues the network does not replace it with a fresh one."""
    texts, y = binary_corpus
    ids = TextTokenizer(max_len=12).fit_transform(texts)
    steps = _StepsPerTraining()
    model = tiny(LSTMClassifier, epochs=2, patience=5, refit=True, warm_start=True, callbacks=[steps])
    model.fit(ids, y)
    assert model.refitted_ and len(steps.trainings) == 2
    network = model.model_
    model.fit(ids, y)
    assert not model.refitted_ and model.model_ is network and len(steps.trainings) == 3
    assert model.n_iter_ == 4


def test_without_early_stopping_all_epochs_run(binary_corpus):
    """Check early_stopping=False trains on everything for `epochs` epochs."""
    texts, y = binary_corpus
    model = tiny(LSTMClassifier, epochs=2, early_stopping=False)
    make_pipeline(TextTokenizer(max_len=12), model).fit(texts, y)
    assert model.n_iter_ == 2 and "val_loss" not in model.history_


def test_unseen_token_ids_map_to_oov(model_class, binary_corpus):
    """Check that ids beyond the fitted vocabulary are read as OOV instead of crashing."""
    texts, y = binary_corpus
    ids = TextTokenizer(max_len=12).fit_transform(texts)
    model = tiny(model_class, epochs=1).fit(ids, y)
    large = ids.copy()
    large[:, -1] = model.vocab_size_ + 1000
    as_oov = ids.copy()
    as_oov[:, -1] = 1
    np.testing.assert_array_equal(model.predict_proba(large), model.predict_proba(as_oov))


def test_categorical_loss_gets_one_hot_targets(multiclass_corpus):
    """Check that a non-sparse categorical loss is accepted for multi-class and trains."""
    texts, y = multiclass_corpus
    model = tiny(CNNClassifier, loss="categorical_crossentropy", epochs=2)
    make_pipeline(TextTokenizer(max_len=12), model).fit(texts, y)
    assert model.target_encoder_.one_hot and model.model_.loss == "categorical_crossentropy"
    assert set(model.history_) >= {"loss", "accuracy"}


@pytest.mark.parametrize(
    "target, loss, match",
    [
        ("multilabel", "categorical_crossentropy", "does not fit a multi-label target"),
        ("multilabel", keras.losses.SparseCategoricalCrossentropy(), "does not fit a multi-label target"),
        ("multiclass", "binary_crossentropy", "does not fit a multi-class target"),
        ("multiclass", keras.losses.BinaryFocalCrossentropy(), "does not fit a multi-class target"),
        ("binary", "categorical_crossentropy", "does not fit a binary target"),
        ("binary", keras.losses.BinaryCrossentropy(from_logits=True), "from_logits=False"),
        ("binary", "no_such_loss", "Unknown loss"),
    ],
)
def test_loss_contradicting_target_is_refused(target, loss, match, binary_corpus, multiclass_corpus,
                                              multilabel_corpus):
    """Check that a loss that does not fit the target type is refused before training."""
    texts, y = {"binary": binary_corpus, "multiclass": multiclass_corpus, "multilabel": multilabel_corpus}[target]
    with pytest.raises(ValueError, match=match):
        make_pipeline(TextTokenizer(max_len=12), tiny(CNNClassifier, loss=loss)).fit(texts, y)


def test_rows_of_weight_zero_leave_the_class_weights(monkeypatch, multiclass_corpus):
    """Check that rows of weight 0 are dropped before the class weights are counted, and their classes with them."""
    texts, y = multiclass_corpus
    ids = TextTokenizer(max_len=12).fit_transform(texts)
    recorder = RecordingFit(monkeypatch)
    weight = (np.arange(len(y)) % 3 != 0).astype(float)
    tiny(CNNClassifier, class_weight="balanced", early_stopping=False, epochs=1).fit(ids, y, sample_weight=weight)
    kept = y[weight != 0]
    classes, counts = np.unique(kept, return_counts=True)
    expected = (len(kept) / (len(classes) * counts))[np.searchsorted(classes, kept)]
    np.testing.assert_allclose(sample_weight_given_to_keras(recorder.calls[-1]), expected, rtol=1e-6)
    with pytest.raises(ValueError, match="Only one class has a non-zero sample_weight"):
        tiny(CNNClassifier, epochs=1).fit(ids, y, sample_weight=(y == y[0]).astype(float))


def test_class_weight_multiplies_sample_weight(monkeypatch, multiclass_corpus):
    """Check that class_weight='balanced' weights come from the training y and reach Keras."""
    texts, y = multiclass_corpus
    ids = TextTokenizer(max_len=12).fit_transform(texts)
    recorder = RecordingFit(monkeypatch)
    tiny(CNNClassifier, class_weight="balanced", early_stopping=False, epochs=1).fit(ids, y)
    classes, counts = np.unique(y, return_counts=True)
    expected = (len(y) / (len(classes) * counts))[np.searchsorted(classes, y)]
    np.testing.assert_allclose(sample_weight_given_to_keras(recorder.calls[-1]), expected, rtol=1e-6)

    tiny(CNNClassifier, class_weight={"class_3": 5.0}, early_stopping=False, epochs=1).fit(
        ids, y, sample_weight=np.full(len(y), 2.0))
    np.testing.assert_allclose(sample_weight_given_to_keras(recorder.calls[-1]), np.where(y == "class_3", 10.0, 2.0))


def test_class_weight_with_unknown_label_is_refused(binary_corpus):
    """Check that a class_weight naming a label absent from y raises."""
    texts, y = binary_corpus
    ids = TextTokenizer(max_len=12).fit_transform(texts)
    with pytest.raises(ValueError, match="Invalid class_weight"):
        tiny(CNNClassifier, class_weight={"nope": 2.0}).fit(ids, y)


def test_real_corpus_beats_the_majority_baseline(trec6_sample):
    """Check a cross-validated CNN on 600 real TREC-6 questions against always-majority."""
    texts, y = trec6_sample
    pipe = make_pipeline(TextTokenizer(), tiny(CNNClassifier, filters=32, embedding_dim=32, epochs=15))
    scores = cross_val_score(pipe, texts, y, cv=3, scoring="accuracy")
    majority = np.unique(y, return_counts=True)[1].max() / len(y)
    assert scores.mean() > majority + 0.25, (scores, majority)


def test_token_max_pooling_leaves_padding_out():
    """Check that padding never wins the max, even over negative values, and an empty document pools to zeros."""
    from skltext.models._blocks import TokenMaxPooling

    values = np.array([[[-0.5, -2.0], [-0.7, -1.0], [0.0, 0.0]],
                       [[0.0, 0.0], [0.0, 0.0], [0.0, 0.0]]], dtype="float32")
    ids = np.array([[4, 9, 0], [0, 0, 0]], dtype="int32")
    pooled = keras.ops.convert_to_numpy(TokenMaxPooling()([values, ids]))
    np.testing.assert_allclose(pooled, [[-0.5, -1.0], [0.0, 0.0]])


@pytest.mark.parametrize("bidirectional", [False, True])
def test_lstm_max_pooling_reads_post_padding_like_pre_padding(bidirectional):
    """Check that with pooling='max' and the mask, the padding side does not change the output.

    The last-state network without the mask reads post-padding as input, so the same check fails for it.
    """
    from skltext.models import build_lstm

    settings = dict(vocab_size=30, sequence_length=None, n_outputs=3, output_activation="softmax", units=6,
                    bidirectional=bidirectional, seed=0)
    ids = np.array([[0, 0, 0, 5, 6, 7, 8], [0, 0, 0, 0, 0, 2, 3]], dtype="int32")
    post = np.array([[5, 6, 7, 8, 0, 0, 0], [2, 3, 0, 0, 0, 0, 0]], dtype="int32")
    pooled = build_lstm(pooling="max", mask_padding=True, **settings)
    assert pooled.get_layer("max_pool") is not None
    np.testing.assert_allclose(pooled.predict_on_batch(ids), pooled.predict_on_batch(post), atol=1e-5)
    last = build_lstm(pooling="last", **settings)
    assert not np.allclose(last.predict_on_batch(ids), last.predict_on_batch(post), atol=1e-5)


@pytest.mark.parametrize("corpus, expected", [("binary_corpus", "last"), ("multiclass_corpus", "last"),
                                              ("multilabel_corpus", "max"), ("ten_class_corpus", "max")])
def test_lstm_pooling_auto_follows_the_target(corpus, expected, request):
    """Check pooling='auto' (the default): the max over tokens for 10 or more classes and for tag sets,
    the last state for fewer classes; a setting given is used as given."""
    texts, y = request.getfixturevalue(corpus)
    ids = TextTokenizer(max_len=12).fit_transform(texts)
    model = LSTMClassifier(units=4, embedding_dim=8, epochs=1, random_state=0).fit(ids, y)
    layer_names = [layer.name for layer in model.model_.layers]
    assert model.pooling == "auto" and model.pooling_ == expected
    assert ("max_pool" in layer_names) is (expected == "max")
    other = "last" if expected == "max" else "max"
    given = LSTMClassifier(units=4, embedding_dim=8, epochs=1, pooling=other, random_state=0).fit(ids, y)
    assert given.pooling_ == other
    assert ("max_pool" in [layer.name for layer in given.model_.layers]) is (other == "max")


@pytest.mark.parametrize("tokens, expected", [(MAX_POOLING_MIN_TOKENS - 1, "last"), (MAX_POOLING_MIN_TOKENS, "max")])
def test_lstm_pooling_auto_reads_the_maximum_over_long_documents(tokens, expected):
    """Check pooling='auto' on two classes: the max over tokens once the median training document has
    MAX_POOLING_MIN_TOKENS ids that are not padding, the last state below; pre- or post-padded alike."""
    rng = np.random.default_rng(0)
    n_docs, width = 41, MAX_POOLING_MIN_TOKENS + 20
    lengths = np.full(n_docs, tokens)
    lengths[:20] = 3  # under half the documents are short: the median, not the mean, decides
    pre_padded = np.zeros((n_docs, width), dtype=np.int32)
    for row, length in enumerate(lengths):
        pre_padded[row, width - length:] = rng.integers(2, 30, size=length)
    post_padded = np.array([np.roll(row, -np.count_nonzero(row == 0)) for row in pre_padded])
    y = np.arange(n_docs) % 2
    for X in (pre_padded, post_padded):
        model = LSTMClassifier(units=4, embedding_dim=8, epochs=1, early_stopping=False, random_state=0).fit(X, y)
        assert model.pooling_ == expected


@pytest.mark.parametrize("corpus, attention, rate", [("multilabel_corpus", True, 0.003),
                                                    ("multiclass_corpus", False, 0.001),
                                                    ("ten_class_corpus", False, 0.001)])
def test_lstm_label_attention_and_learning_rate_auto_follow_the_target(corpus, attention, rate, request):
    """Check label_attention='auto' and learning_rate='auto' (the defaults): attention and a rate of 0.003
    for tag sets, neither attention nor a rate above 0.001 for classes; settings given are used as given."""
    texts, y = request.getfixturevalue(corpus)
    ids = TextTokenizer(max_len=12).fit_transform(texts)
    model = LSTMClassifier(units=4, embedding_dim=8, epochs=1, random_state=0).fit(ids, y)
    assert model.label_attention == "auto" and model.label_attention_ is attention
    assert ("label_attention" in [layer.name for layer in model.model_.layers]) is attention
    assert model.learning_rate == "auto" and model.learning_rate_ == rate
    assert float(model.model_.optimizer.learning_rate) == pytest.approx(rate)
    given = LSTMClassifier(units=4, embedding_dim=8, epochs=1, label_attention=not attention, learning_rate=0.02,
                           random_state=0).fit(ids, y)
    assert given.label_attention_ is (not attention) and given.learning_rate_ == 0.02
    assert ("label_attention" in [layer.name for layer in given.model_.layers]) is (not attention)
    assert float(given.model_.optimizer.learning_rate) == pytest.approx(0.02)


@pytest.mark.parametrize("model_class, explicit", [
    (CNNClassifier, {"scoring": "average_precision"}),
    (LSTMClassifier, {"scoring": "average_precision", "pooling": "max", "label_attention": True,
                      "learning_rate": 0.003}),
])
def test_multilabel_defaults_are_the_settings_they_name(model_class, explicit, multilabel_corpus):
    """Check that on a tag set the 'auto' defaults train the very model of the settings they stand for
    (those benchmarks/tune_deep_multilabel.py measured): same history, same predictions."""
    texts, y = multilabel_corpus
    ids = TextTokenizer(max_len=12).fit_transform(texts)
    small = {key: value for key, value in TINY[model_class].items() if key != "learning_rate"}
    by_default = model_class(**small).fit(ids, y)
    given = model_class(**small, **explicit).fit(ids, y)
    assert "val_average_precision" in by_default.history_
    assert by_default.history_ == given.history_
    np.testing.assert_array_equal(by_default.predict_proba(ids), given.predict_proba(ids))


def test_lstm_max_pooling_learns_and_survives_save_and_load(binary_corpus, tmp_path):
    from skltext import load_model, save_model

    texts, y = binary_corpus
    pipe = _pipe(LSTMClassifier, pooling="max", epochs=4).fit(texts, y)
    assert pipe[-1].model_.get_layer("max_pool") is not None
    assert accuracy_score(y, pipe.predict(texts)) > 0.7
    save_model(pipe, tmp_path / "model")
    np.testing.assert_allclose(load_model(tmp_path / "model").predict_proba(texts), pipe.predict_proba(texts),
                               atol=1e-6)


def test_cnn_label_attention_adds_each_outputs_reading_of_the_windows_to_its_logits():
    """Check build_cnn(label_attention=True): the plain network's outputs at the start (zero evidence, the
    other layers seeded alike), then each output's attention over the window features at the token
    positions added to its logit; padding gets no attention and an empty document none at all."""
    from skltext.models import build_cnn

    settings = dict(vocab_size=20, sequence_length=None, n_outputs=3, output_activation="sigmoid",
                    embedding_dim=4, filters=3, kernel_sizes=(2, 3), seed=0)
    plain, attending = build_cnn(**settings), build_cnn(**settings, label_attention=True)
    ids = np.array([[0, 0, 5, 6, 7], [0, 3, 4, 4, 9], [0, 0, 0, 0, 0], [0, 0, 0, 0, 11]], dtype=np.int32)
    np.testing.assert_allclose(np.asarray(attending(ids)), np.asarray(plain(ids)), rtol=1e-6, atol=1e-7)
    rng = np.random.default_rng(0)
    attention, evidence = (rng.normal(size=(6, 3)).astype("float32") for _ in range(2))
    attending.get_layer("label_attention").set_weights([attention, evidence])
    windows = np.asarray(keras.Model(attending.input, attending.get_layer("concatenate_windows").output)(ids))
    logits = np.asarray(keras.Model(attending.input, attending.get_layer("output").output)(ids))
    expected = 1 / (1 + np.exp(-(logits + label_attention_logits(windows, ids, attention, evidence))))
    np.testing.assert_allclose(np.asarray(attending(ids)), expected, rtol=1e-5, atol=1e-6)
    wider = np.hstack([np.zeros((4, 6), dtype=np.int32), ids])
    np.testing.assert_allclose(np.asarray(attending(wider)), np.asarray(attending(ids)), rtol=1e-5, atol=1e-6)
    assert np.abs(np.asarray(attending(ids)) - np.asarray(plain(ids)))[[0, 1, 3]].min() > 0
    np.testing.assert_allclose(np.asarray(attending(ids))[2], np.asarray(plain(ids))[2], rtol=1e-6)


def test_cnn_label_attention_learns_and_survives_save_and_load(multilabel_corpus, tmp_path):
    """Check that the CNN's attention and evidence vectors train on a multi-label target, that the layer is
    built only when asked for, and that save_model / load_model keep the predictions."""
    from skltext import load_model, save_model

    texts, y = multilabel_corpus
    assert "label_attention" not in [layer.name for layer in _pipe(CNNClassifier).fit(texts, y)[-1].model_.layers]
    pipe = _pipe(CNNClassifier, label_attention=True, epochs=5).fit(texts, y)
    attention, evidence = pipe[-1].model_.get_layer("label_attention").get_weights()
    assert attention.shape == evidence.shape == (8, np.asarray(y).shape[1])  # 4 filters x 2 window sizes
    assert np.abs(evidence).max() > 0
    save_model(pipe, tmp_path / "model")
    np.testing.assert_allclose(load_model(tmp_path / "model").predict_proba(texts), pipe.predict_proba(texts),
                               rtol=1e-5, atol=1e-6)


def test_label_attention_must_be_a_bool(model_class, binary_corpus):
    texts, y = binary_corpus
    with pytest.raises(ValueError, match="label_attention"):
        _pipe(model_class, label_attention="yes").fit(texts, y)


@pytest.mark.parametrize("cell, bidirectional, pooling, mask_padding", [
    ("lstm", False, "last", False), ("lstm", True, "last", False), ("gru", True, "last", True),
    ("gru", False, "last", False), ("lstm", True, "max", True), ("lstm", False, "max", False),
])
def test_lstm_label_attention_starts_as_the_plain_network(cell, bidirectional, pooling, mask_padding):
    """Check build_lstm(label_attention=True): with its evidence at zero and the other layers seeded alike,
    the outputs are the plain network's, so 'last' reads the same final states from the layer's states
    as the plain network does without sequences, for either cell, direction and padding mask."""
    from skltext.models import build_lstm

    settings = dict(vocab_size=20, sequence_length=None, n_outputs=3, output_activation="sigmoid",
                    embedding_dim=4, units=5, cell=cell, bidirectional=bidirectional, pooling=pooling,
                    mask_padding=mask_padding, seed=0)
    plain, attending = build_lstm(**settings), build_lstm(**settings, label_attention=True)
    ids = np.array([[0, 0, 5, 6, 7], [0, 3, 4, 4, 9], [0, 0, 0, 0, 11]], dtype=np.int32)
    np.testing.assert_allclose(np.asarray(attending(ids)), np.asarray(plain(ids)), rtol=1e-5, atol=1e-6)
    evidence_shape = (10 if bidirectional else 5, 3)
    assert [w.shape for w in attending.get_layer("label_attention").get_weights()] == [evidence_shape] * 2


def test_lstm_label_attention_adds_each_outputs_reading_of_the_states_to_its_logits():
    """Check that each output's attention over the top layer's outputs at the token positions is added
    to its logit, padding left out."""
    from skltext.models import build_lstm

    attending = build_lstm(vocab_size=20, sequence_length=None, n_outputs=3, output_activation="sigmoid",
                           embedding_dim=4, units=5, pooling="last", label_attention=True, seed=0)
    ids = np.array([[0, 0, 5, 6, 7], [0, 3, 4, 4, 9], [0, 0, 0, 0, 11]], dtype=np.int32)
    rng = np.random.default_rng(0)
    attention, evidence = (rng.normal(size=(5, 3)).astype("float32") for _ in range(2))
    attending.get_layer("label_attention").set_weights([attention, evidence])
    sequences = np.asarray(keras.Model(attending.input, attending.get_layer("lstm_0").output[0])(ids))
    logits = np.asarray(keras.Model(attending.input, attending.get_layer("output").output)(ids))
    expected = 1 / (1 + np.exp(-(logits + label_attention_logits(sequences, ids, attention, evidence))))
    np.testing.assert_allclose(np.asarray(attending(ids)), expected, rtol=1e-5, atol=1e-6)


def test_lstm_label_attention_learns_and_survives_save_and_load(multilabel_corpus, tmp_path):
    """Check that the LSTM's attention and evidence vectors train on a multi-label target and that
    save_model / load_model keep the predictions, here beside the last state."""
    from skltext import load_model, save_model

    texts, y = multilabel_corpus
    pipe = _pipe(LSTMClassifier, label_attention=True, pooling="last", epochs=5).fit(texts, y)
    assert pipe[-1].pooling_ == "last" and pipe[-1].label_attention_ is True
    assert np.abs(pipe[-1].model_.get_layer("label_attention").get_weights()[1]).max() > 0
    save_model(pipe, tmp_path / "model")
    np.testing.assert_allclose(load_model(tmp_path / "model").predict_proba(texts), pipe.predict_proba(texts),
                               rtol=1e-5, atol=1e-6)
