"""TemperatureCalibratedClassifier: probabilities from a decision function with one temperature."""

import numpy as np
import pytest
from scipy.special import softmax
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss
from sklearn.model_selection import cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.svm import LinearSVC
from sklearn.utils.estimator_checks import parametrize_with_checks

from skltext import load_model, save_model
from skltext.calibration import TemperatureCalibratedClassifier


def _svm():
    return make_pipeline(TfidfVectorizer(), LinearSVC(random_state=0))


@parametrize_with_checks([TemperatureCalibratedClassifier(cv=2, random_state=0)])
def test_scikit_learn_estimator_checks(estimator, check):
    check(estimator)


@pytest.mark.parametrize("corpus", ["binary_corpus", "multiclass_corpus"])
def test_probabilities_are_a_softmax_of_the_scaled_decision_function(corpus, request):
    """Check that predict_proba is softmax(decision / T), predict is the classifier's own, and
    the temperature lowers the out-of-fold log loss below that of T=1."""
    texts, y = request.getfixturevalue(corpus)
    model = TemperatureCalibratedClassifier(_svm(), random_state=0).fit(texts, y)
    decision = np.asarray(_svm().fit(texts, y).decision_function(texts), dtype=float)
    if decision.ndim == 1:
        decision = np.column_stack([-decision, decision])
    proba = model.predict_proba(texts)
    np.testing.assert_allclose(proba, softmax(decision / model.temperature_, axis=1), rtol=1e-6)
    np.testing.assert_array_equal(model.predict(texts), _svm().fit(texts, y).predict(texts))
    np.testing.assert_array_equal(model.classes_, np.unique(y))
    assert model.n_calibration_samples_ == len(y)

    oof = cross_val_predict(_svm(), texts, y, cv=3, method="decision_function")
    oof = np.column_stack([-oof, oof]) if oof.ndim == 1 else oof
    codes = np.searchsorted(model.classes_, y)
    fitted = log_loss(codes, softmax(oof / model.temperature_, axis=1), labels=range(len(model.classes_)))
    unscaled = log_loss(codes, softmax(oof, axis=1), labels=range(len(model.classes_)))
    assert fitted < unscaled


def test_temperature_tracks_the_scale_of_the_scores(multiclass_corpus):
    """Check that multiplying a decision function by 10 multiplies the fitted temperature by about 10."""
    texts, y = multiclass_corpus

    class Scaled(LogisticRegression):
        def decision_function(self, X):
            return 10.0 * super().decision_function(X)

    base = TemperatureCalibratedClassifier(make_pipeline(TfidfVectorizer(), LogisticRegression()),
                                           random_state=0).fit(texts, y)
    scaled = TemperatureCalibratedClassifier(make_pipeline(TfidfVectorizer(), Scaled()),
                                             random_state=0).fit(texts, y)
    assert scaled.temperature_ / base.temperature_ == pytest.approx(10.0, rel=1e-3)


def test_a_class_rarer_than_the_folds_is_tolerated(multiclass_corpus):
    """Check that a class with a single document (which CalibratedClassifierCV refuses) is fitted, left
    out of the temperature fit where its fold's model never saw it, and still predicted."""
    texts, y = multiclass_corpus
    texts, y = list(texts) + ["zebra zebra unique words"], np.append(np.asarray(y, dtype=object), "rare")
    model = TemperatureCalibratedClassifier(_svm(), cv=3, random_state=0).fit(texts, y)
    assert "rare" in model.classes_
    assert model.n_calibration_samples_ == len(y) - 1
    proba = model.predict_proba(["zebra zebra unique words"])
    assert model.classes_[proba.argmax()] == "rare"
    np.testing.assert_allclose(proba.sum(), 1.0)


def test_multilabel_target_is_refused(multilabel_corpus):
    texts, y = multilabel_corpus
    with pytest.raises(ValueError, match="binary or multiclass"):
        TemperatureCalibratedClassifier(_svm()).fit(texts, y)


def test_round_trips_through_save_model(tmp_path, multiclass_corpus):
    texts, y = multiclass_corpus
    model = TemperatureCalibratedClassifier(_svm(), random_state=0).fit(texts, y)
    save_model(model, tmp_path)
    loaded = load_model(tmp_path)
    assert loaded.temperature_ == model.temperature_
    np.testing.assert_allclose(loaded.predict_proba(texts), model.predict_proba(texts))


def test_a_training_fold_of_one_class_is_skipped():
    """Check that a binary target with a single positive (one training fold then holds only
    negatives) calibrates on the other folds, and that too few documents get a clear error."""
    texts = [f"common words {i}" for i in range(11)] + ["the single positive"]
    y = [0] * 11 + [1]
    model = TemperatureCalibratedClassifier(_svm(), cv=3, random_state=0).fit(texts, y)
    # The fold that tests the positive has no positive to train on: its 4 rows are left out.
    assert model.n_calibration_samples_ == 8
    assert model.predict(["the single positive"])[0] == 1
    with pytest.raises(ValueError, match="cv=3 needs at least 3 documents of one class; the most common "
                                         "class has 2"):
        TemperatureCalibratedClassifier(_svm()).fit(["a b", "c d", "e f", "g h"], [0, 1, 0, 1])
