"""Tests for skltext._out_of_fold: per-fold fits through cross_validate and one scoring pass per test fold."""

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold, cross_val_predict
from sklearn.svm import LinearSVC

from skltext._out_of_fold import fit_and_score_folds, pool_folds, score_matrix

X = np.arange(40.0).reshape(-1, 1) % 7
Y3 = np.array(["a", "b", "c", "a"] * 10)


class _CountingClassifier(ClassifierMixin, BaseEstimator):
    """LogisticRegression that counts its predict and predict_proba calls, and records fit parameters."""

    calls = {"predict": 0, "predict_proba": 0}

    def fit(self, X, y, sample_weight=None):
        self.sample_weight_ = sample_weight
        self.model_ = LogisticRegression().fit(X, y, sample_weight=sample_weight)
        self.classes_ = self.model_.classes_
        return self

    def predict(self, X):
        _CountingClassifier.calls["predict"] += 1
        return self.model_.predict(X)

    def predict_proba(self, X):
        _CountingClassifier.calls["predict_proba"] += 1
        return self.model_.predict_proba(X)


def test_each_test_fold_is_scored_once():
    """Check one predict and one predict_proba per fold, and pooled scores equal to cross_val_predict's."""
    _CountingClassifier.calls.update(predict=0, predict_proba=0)
    folds = fit_and_score_folds(_CountingClassifier(), X, Y3, cv=4, target_type="multiclass", predict=True)
    assert _CountingClassifier.calls == {"predict": 4, "predict_proba": 4}
    indices, scores, predictions = pool_folds(folds)
    assert indices.tolist() == list(range(len(X)))
    expected = cross_val_predict(LogisticRegression(), X, Y3, cv=4, method="predict_proba")
    np.testing.assert_allclose(scores, expected)
    np.testing.assert_array_equal(predictions, cross_val_predict(LogisticRegression(), X, Y3, cv=4))
    assert all(fold.fit_time >= 0 and fold.predict_time >= 0 for fold in folds)


def test_fit_params_are_sliced_and_on_fit_sees_every_fit():
    """Check that per-sample fit parameters reach each fit sliced to its training rows."""
    weights = np.arange(len(X), dtype=float) + 1
    seen = []
    folds = fit_and_score_folds(_CountingClassifier(), X, Y3, cv=KFold(3), target_type="multiclass",
                                params={"sample_weight": weights}, on_fit=seen.append)
    assert len(seen) == 3
    for fold in folds:
        np.testing.assert_array_equal(fold.estimator.sample_weight_, weights[fold.train])


def test_columns_of_a_class_missing_from_training_are_filled():
    """Check that a 1-D decision of a fold trained on two of three classes fills two aligned columns."""
    y = np.array(["a", "b"] * 15 + ["c"])
    X_rare = np.arange(31.0).reshape(-1, 1)
    cv = [(np.arange(30), np.array([30])), (np.arange(1, 31), np.array([0]))]
    first, second = fit_and_score_folds(LinearSVC(), X_rare, y, cv=cv, target_type="multiclass", fill_value=-9.0)
    assert first.columns.tolist() == [0, 1] and first.scores[0, 2] == -9.0
    np.testing.assert_allclose(first.scores[:, 1], first.estimator.decision_function(X_rare[[30]]))
    np.testing.assert_allclose(first.scores[:, 0], -first.scores[:, 1])
    assert second.columns.tolist() == [0, 1, 2]


def test_multilabel_list_outputs_are_stacked():
    """Check that a random forest's per-label probability list becomes one column per label."""
    Y = np.column_stack([X[:, 0] > 2, X[:, 0] % 2 == 0, np.ones(len(X))]).astype(int)
    model = RandomForestClassifier(n_estimators=5, random_state=0).fit(X, Y)
    scores = score_matrix(model, X, "multilabel-indicator")
    assert scores.shape == (len(X), 3)
    np.testing.assert_allclose(scores[:, 0], model.predict_proba(X)[0][:, 1])
    np.testing.assert_array_equal(scores[:, 2], 1.0)  # a label always on in training


def test_response_method_is_checked():
    """Check the choice of scoring method and the message when there is none."""
    model = LogisticRegression().fit(X, Y3)
    assert score_matrix(model, X, "multiclass", response_method="decision_function").shape == (len(X), 3)
    with pytest.raises(ValueError, match="LinearSVC has no predict_proba method"):
        score_matrix(LinearSVC().fit(X, Y3), X, "multiclass", response_method="predict_proba")
    with pytest.raises(ValueError, match="response_method must be one of"):
        score_matrix(model, X, "multiclass", response_method="predict")
