"""Tests for skltext.metrics: the quality metrics of the results table and their scorers."""

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_validate
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import make_pipeline
from sklearn.svm import LinearSVC

import skltext.compare
from skltext.metrics import fold_metrics, make_scorers, metric_names, pr_auc_score

SCORER_KEYS = {"accuracy": "accuracy", "micro_f1": "f1_micro", "macro_f1": "f1_macro"}


def _one_fold(model, texts, y, target_type):
    """Train on the first half, score the second with fold_metrics and with the scorers."""
    documents = np.asarray(texts, dtype=object)
    half = len(documents) // 2
    train, test = np.arange(half), np.arange(half, len(documents))
    fitted = model.fit(documents[train], y[train])
    scores = fitted.predict_proba(documents[test]) if hasattr(fitted, "predict_proba") else (
        fitted.decision_function(documents[test]))
    if scores.ndim == 1:
        scores = np.column_stack([-scores, scores])
    classes = None if target_type == "multilabel-indicator" else fitted.classes_
    values = fold_metrics(y[test], fitted.predict(documents[test]), scores, classes, target_type)
    scoring = {name: SCORER_KEYS.get(name, scorer) for name, scorer in make_scorers(target_type).items()}
    direct = cross_validate(model, documents, y, cv=[(train, test)], scoring=scoring)
    return values, direct


@pytest.mark.parametrize("target, model", [
    ("binary", make_pipeline(TfidfVectorizer(), LinearSVC())),
    ("multiclass", make_pipeline(TfidfVectorizer(), LogisticRegression())),
    ("multilabel", make_pipeline(TfidfVectorizer(), OneVsRestClassifier(LogisticRegression()))),
])
def test_fold_metrics_equal_the_scorers(target, model, binary_corpus, multiclass_corpus, multilabel_corpus):
    """Check that the table's metrics of one fold equal what the scorers give cross_validate."""
    texts, y = {"binary": binary_corpus, "multiclass": multiclass_corpus, "multilabel": multilabel_corpus}[target]
    target_type = "multilabel-indicator" if target == "multilabel" else target
    values, direct = _one_fold(model, texts, np.asarray(y), target_type)
    assert tuple(values) == metric_names(target_type)
    for metric, value in values.items():
        assert value == pytest.approx(direct[f"test_{metric}"][0])


def test_metric_names_and_bad_target_type():
    """Check the metric names per target and the message for an unknown target type."""
    assert metric_names("binary") == ("accuracy", "macro_f1", "pr_auc")
    assert metric_names("multilabel-indicator")[0] == "micro_f1"
    with pytest.raises(ValueError, match="target_type must be 'binary'"):
        make_scorers("continuous")


def test_pr_auc_score_of_a_multilabel_matrix_and_no_positives():
    """Check the per-label average on an indicator matrix, and NaN when no class has a positive."""
    Y = np.array([[1, 0], [0, 1], [1, 1]])
    scores = np.array([[0.9, 0.2], [0.1, 0.7], [0.6, 0.4]])
    assert pr_auc_score(Y, scores) == pytest.approx(np.mean([1.0, 1.0]))
    assert np.isnan(pr_auc_score(np.zeros((2, 2)), scores[:2]))


def test_compare_re_exports_the_metrics():
    """Check that the names first published in skltext.compare still import from there."""
    assert skltext.compare.pr_auc_score is pr_auc_score
    assert skltext.compare.make_scorers is make_scorers
