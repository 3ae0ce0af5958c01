"""Early stopping and model selection on a scikit-learn scorer computed after every epoch."""

import keras
import numpy as np
import pytest
from sklearn.base import clone
from sklearn.metrics import average_precision_score, get_scorer
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.utils._param_validation import InvalidParameterError

from skltext import CNNClassifier, LSTMClassifier, NgramClassifier, TextTokenizer
from skltext.models._epoch_scoring import HoldoutPredictor

from .conftest import TINY, tiny

pytestmark = pytest.mark.estimator


class _RecordingScorer:
    """A scikit-learn scorer that also keeps what it was called with."""

    def __init__(self, name):
        self.scorer = get_scorer(name)
        self.calls = []

    def __call__(self, estimator, X, y, **kwargs):
        self.calls.append((X, y))
        return self.scorer(estimator, X, y, **kwargs)


class _ScriptedScorer:
    """Returns the given scores epoch after epoch, whatever the network predicts."""

    def __init__(self, scores):
        self.scores = list(scores)
        self.seen = []

    def __call__(self, estimator, X, y):
        self.seen.append((estimator.classes_, estimator.predict(X), estimator.predict_proba(X), y))
        return self.scores[len(self.seen) - 1]


class _WeightsPerEpoch(keras.callbacks.Callback):
    """Keeps the network's weights at the end of every epoch."""

    def on_train_begin(self, logs=None):
        self.weights = []

    def on_epoch_end(self, epoch, logs=None):
        self.weights.append(self.model.get_weights())


class _PredictTraces(keras.callbacks.Callback):
    """Counts how often the network's prediction step is traced (compiled) during training."""

    def on_train_begin(self, logs=None):
        self.count = 0
        step = self.model.predict_step

        def counted(*args, **kwargs):
            self.count += 1
            return step(*args, **kwargs)

        self.model.predict_step = counted


def _always_half(estimator, X, y):
    return 0.5


@pytest.fixture(scope="module")
def multiclass_ids(multiclass_corpus):
    texts, y = multiclass_corpus
    return TextTokenizer(max_len=12).fit_transform(texts), y


def test_history_has_the_score_of_every_epoch_and_it_is_the_fitted_estimators(multiclass_ids):
    """Check that val_f1_macro is recorded per epoch and equals the scorer on the kept network."""
    X, y = multiclass_ids
    scorer = _RecordingScorer("f1_macro")
    traces = _PredictTraces()
    model = tiny(CNNClassifier, epochs=4, patience=4, scoring=scorer, callbacks=[traces]).fit(X, y)
    # Scoring the hold-out every epoch compiles the prediction step once, not once per epoch.
    assert traces.count == 1
    scores = model.history_["val_score"]
    assert len(scores) == len(model.history_["val_loss"]) == model.n_iter_ == 4
    assert model.best_epoch_ == int(np.argmax(scores)) + 1
    X_val, y_val = scorer.calls[0]
    # The hold-out, with the labels as given to fit, the same rows every epoch.
    assert len(X_val) == 24 and set(y_val) <= set(y)
    assert all(x is X_val for x, _ in scorer.calls)
    assert get_scorer("f1_macro")(model, X_val, y_val) == pytest.approx(scores[model.best_epoch_ - 1])

    named = tiny(CNNClassifier, epochs=4, patience=4, scoring="f1_macro").fit(X, y)
    np.testing.assert_allclose(named.history_["val_f1_macro"], scores)


def test_the_kept_weights_are_those_of_the_best_scoring_epoch(multiclass_ids):
    """Check that early stopping watches the score (greater is better) and restores its best epoch."""
    X, y = multiclass_ids
    weights = _WeightsPerEpoch()
    scorer = _ScriptedScorer([0.1, 0.5, 0.2, 0.3, 0.1, 0.9])
    model = tiny(CNNClassifier, epochs=10, patience=3, scoring=scorer, callbacks=[weights]).fit(X, y)
    # Epoch 2 scored best; three epochs without improvement stop training after epoch 5.
    assert model.history_["val_score"] == [0.1, 0.5, 0.2, 0.3, 0.1]
    assert model.n_iter_ == 5 and model.best_epoch_ == 2
    # User callbacks run after the scorer, so they see the score in the logs too.
    for kept, best in zip(model.model_.get_weights(), weights.weights[1]):
        np.testing.assert_array_equal(kept, best)
    assert any(not np.array_equal(a, b) for a, b in zip(weights.weights[1], weights.weights[-1]))
    # The scorer saw the classifier's labels and probabilities, as predict/predict_proba give them.
    classes, y_pred, proba, y_val = scorer.seen[1]
    np.testing.assert_array_equal(classes, model.classes_)
    assert set(y_pred) <= set(model.classes_) and proba.shape == (len(y_val), 4)
    np.testing.assert_allclose(proba.sum(axis=1), 1, rtol=1e-5)


def test_multilabel_scorers(multilabel_corpus):
    """Check that multi-label targets are scored from the indicator matrix and the label probabilities."""
    texts, Y = multilabel_corpus
    X = TextTokenizer(max_len=12).fit_transform(texts)
    names = ["average_precision", "f1_macro", "roc_auc"]
    seen = []

    def scorer(estimator, X_val, Y_val):
        seen.append((X_val, Y_val, [get_scorer(name)(estimator, X_val, Y_val) for name in names]))
        return seen[-1][2][0]

    model = tiny(CNNClassifier, epochs=3, patience=3, scoring=scorer).fit(X, Y)
    assert model.history_["val_score"] == [scores[0] for _, _, scores in seen]
    X_val, Y_val, best = seen[model.best_epoch_ - 1]
    assert Y_val.shape == (len(X_val), Y.shape[1]) and set(np.unique(Y_val)) == {0, 1}
    assert all(0 <= score <= 1 for score in best)
    for name, score in zip(names, best):
        assert get_scorer(name)(model, X_val, Y_val) == pytest.approx(score)


def test_length_buckets_are_honoured(binary_corpus):
    """Check that the LSTM, reading in length buckets, is scored as it predicts after fit."""
    texts, y = binary_corpus
    X = TextTokenizer(max_len=12).fit_transform(texts)
    recorder = _RecordingScorer("roc_auc")
    model = tiny(LSTMClassifier, epochs=3, patience=3, bucket_by_length=True, scoring=recorder).fit(X, y)
    assert model.bucket_by_length_
    X_val, y_val = recorder.calls[0]
    assert set(y_val) == {"neg", "pos"}
    assert get_scorer("roc_auc")(model, X_val, y_val) == pytest.approx(
        model.history_["val_score"][model.best_epoch_ - 1])


def test_sample_weights_reach_the_scorer(multiclass_ids):
    """Check that the hold-out is scored with its weights, as the validation loss is."""
    X, y = multiclass_ids
    received = []

    def scorer(estimator, X_val, y_val, sample_weight=None):
        received.append(sample_weight)
        return 0.0

    weight = np.linspace(0.5, 2.0, len(y))
    tiny(CNNClassifier, epochs=1, scoring=scorer).fit(X, y, sample_weight=weight)
    assert received[0] is not None and len(received[0]) == 24
    assert np.isin(received[0], weight.astype(received[0].dtype)).all()


def test_without_a_hold_out_no_score_is_computed(multiclass_ids):
    """Check that data too small to hold anything out trains all epochs and records no score."""
    X, y = multiclass_ids
    rows = np.concatenate([np.flatnonzero(y == label)[:3] for label in np.unique(y)])
    model = tiny(CNNClassifier, epochs=2, scoring="f1_macro").fit(X[rows], y[rows])
    assert model.n_iter_ == model.best_epoch_ == 2
    assert "val_f1_macro" not in model.history_ and "val_loss" not in model.history_


def test_default_watches_the_validation_loss_of_classes(multiclass_ids):
    """Check that the default, scoring='auto', watches the validation loss of a multi-class target: it adds
    nothing to the history and keeps the lowest validation loss."""
    X, y = multiclass_ids
    model = tiny(CNNClassifier, epochs=2, patience=2).fit(X, y)
    assert model.scoring == "auto"
    assert set(model.history_) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert model.best_epoch_ == int(np.argmin(model.history_["val_loss"])) + 1


@pytest.mark.parametrize("corpus, watched", [("multilabel_corpus", "val_average_precision"),
                                             ("multiclass_corpus", "val_loss")])
@pytest.mark.parametrize("model_class", [NgramClassifier, CNNClassifier, LSTMClassifier])
def test_auto_watches_average_precision_for_multilabel_targets_only(model_class, corpus, watched, request):
    """Check scoring='auto' (every model's default): the macro average precision of the hold-out for
    multi-label targets, the validation loss otherwise; without early stopping it is no error."""
    texts, y = request.getfixturevalue(corpus)
    X = TextTokenizer(max_len=12).fit_transform(texts)
    small = {"embedding_dim": 8, "random_state": 0, **TINY.get(model_class, {})}
    model = model_class(**{**small, "epochs": 3, "patience": 3, "learning_rate": 0.05}).fit(X, y)
    assert model.scoring == "auto"
    scores = model.history_[watched]
    assert len(scores) == model.n_iter_
    best = np.argmax(scores) if watched == "val_average_precision" else np.argmin(scores)
    assert model.best_epoch_ == int(best) + 1
    unstopped = model_class(**{**small, "epochs": 2, "early_stopping": False}).fit(X, y)
    assert unstopped.n_iter_ == 2 and "val_average_precision" not in unstopped.history_


@pytest.mark.parametrize("model_class", [CNNClassifier, NgramClassifier])
def test_a_two_label_target_is_scored_on_both_labels(model_class, multilabel_corpus):
    """Check that the default scoring trains on a tag set of two tags, and that a scorer scores both
    tags: scikit-learn reads two label indices as a binary target and would score one column."""
    texts, Y = multilabel_corpus
    Y = Y[:, :2]
    X = TextTokenizer(max_len=12).fit_transform(texts)
    small = {"embedding_dim": 8, "random_state": 0, **TINY.get(model_class, {}), "epochs": 2}
    model = model_class(**small).fit(X, Y)
    assert len(model.history_["val_average_precision"]) == model.n_iter_
    predictor = HoldoutPredictor(model, lambda ids: model.model_.predict(model.feature_encoder_.transform(ids),
                                                                         verbose=0))
    proba = predictor.predict_proba(X)
    assert proba.shape == Y.shape
    expected = average_precision_score(Y, proba, average="macro")
    assert expected != pytest.approx(average_precision_score(Y[:, 1], proba[:, 1]))
    assert get_scorer("average_precision")(predictor, X, Y) == pytest.approx(expected)


@pytest.mark.parametrize(
    "params, error, match",
    [
        ({"scoring": "f1_macor"}, ValueError, "scoring='f1_macor', which is not a scorer name"),
        ({"scoring": 3}, InvalidParameterError, "'scoring' parameter"),
        ({"scoring": "f1_macro", "early_stopping": False}, ValueError,
         r"scoring='f1_macro' is computed on the early-stopping hold-out, so it needs early_stopping=True"),
        ({"scoring": lambda est, X, y: 1.0, "early_stopping": False}, ValueError,
         "scoring=a callable is computed on the early-stopping hold-out"),
    ],
)
def test_bad_scoring_is_refused_before_training(params, error, match, multiclass_ids):
    X, y = multiclass_ids
    model = tiny(CNNClassifier, **params)
    with pytest.raises(error, match=match):
        model.fit(X, y)
    assert not hasattr(model, "model_")


@pytest.mark.parametrize(
    "scorer, match",
    [
        (lambda est, X, y: float("nan"), r"got val_score=nan .* after epoch 1; early stopping needs a finite"),
        (lambda est, X, y: 1 / 0, r"could not compute val_score .* after epoch 1: ZeroDivisionError"),
    ],
)
def test_a_failing_scorer_stops_training_with_a_clear_message(scorer, match, multiclass_ids):
    X, y = multiclass_ids
    with pytest.raises(ValueError, match=match):
        tiny(CNNClassifier, epochs=2, scoring=scorer).fit(X, y)


def test_clone_and_grid_search_over_scoring(binary_corpus):
    """Check that scoring is an ordinary parameter: cloned as given and searchable."""
    texts, y = binary_corpus
    assert clone(tiny(CNNClassifier, scoring=_always_half)).scoring is _always_half
    assert LSTMClassifier().get_params()["scoring"] == CNNClassifier().get_params()["scoring"] == "auto"
    pipe = make_pipeline(TextTokenizer(max_len=12), tiny(CNNClassifier, epochs=1))
    search = GridSearchCV(pipe, {"cnnclassifier__scoring": ["loss", "balanced_accuracy"]}, cv=2,
                          scoring="f1_macro", refit=False, error_score="raise").fit(texts, y)
    assert list(search.cv_results_["param_cnnclassifier__scoring"]) == ["loss", "balanced_accuracy"]
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
