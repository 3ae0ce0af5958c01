"""The metric a threshold is tuned for: a scorer name, a metric of labels, or a scorer object.

:func:`resolve_scoring` turns the ``scoring`` parameter into a :class:`Metric`.
Metrics that are functions of per-class confusion counts (F-beta, precision,
recall, Jaccard, accuracy, balanced accuracy) are recognised from their name,
their function or a ``functools.partial`` of it, and evaluated at every
candidate cut-off at once from counts; any other metric is called on predicted
labels. A scorer object (``make_scorer``) is called through the scorer
protocol, ``scorer(estimator, X, y_true)``, with a stand-in estimator whose
``predict`` returns the labels to score: scikit-learn exposes no public way to
read its metric, keyword arguments or positive class.
"""

import functools
import inspect
import warnings

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.metrics import (
    accuracy_score,
    balanced_accuracy_score,
    f1_score,
    fbeta_score,
    get_scorer,
    jaccard_score,
    precision_score,
    recall_score,
)

__all__ = ["COUNT_AVERAGED", "Metric", "resolve_scoring"]

# Metrics of predicted labels that are functions of the confusion counts.
_COUNT_METRICS = {
    f1_score: "fbeta",
    fbeta_score: "fbeta",
    precision_score: "precision",
    recall_score: "recall",
    jaccard_score: "jaccard",
    accuracy_score: "accuracy",
    balanced_accuracy_score: "balanced_accuracy",
}
COUNT_AVERAGED = ("fbeta", "precision", "recall", "jaccard")


def _named_count_metrics():
    """Scorer names of count metrics -> (metric, keyword arguments), as scikit-learn documents them."""
    named = {"accuracy": (accuracy_score, {}), "balanced_accuracy": (balanced_accuracy_score, {})}
    for prefix, func in (("f1", f1_score), ("precision", precision_score), ("recall", recall_score),
                         ("jaccard", jaccard_score)):
        named[prefix] = (func, {"average": "binary"})
        for average in ("micro", "macro", "weighted", "samples"):
            named[f"{prefix}_{average}"] = (func, {"pos_label": None, "average": average})
    return named


_NAMED_COUNT_METRICS = _named_count_metrics()


class Metric:
    """A metric of (y_true, y_pred), higher is better, evaluated from counts when possible.

    ``kind`` is set for metrics that are functions of per-class true positive,
    false positive and false negative counts; those are evaluated for all
    candidate cut-offs at once by :meth:`from_counts`. Other metrics are
    called on predicted labels.
    """

    def __init__(self, name, func, kwargs=None):
        self.name = name
        self.func = func
        self.kwargs = dict(kwargs or {})
        try:
            self.kind = _COUNT_METRICS.get(func)
        except TypeError:  # an unhashable callable
            self.kind = None
        self.average = self.kwargs.get("average", "binary") if self.kind in COUNT_AVERAGED else None
        self.beta = float(self.kwargs.get("beta", 1.0))
        self.pos_label = self.kwargs.get("pos_label")
        plain = (
            set(self.kwargs) <= {"average", "beta", "pos_label", "zero_division", "adjusted"}
            and self.kwargs.get("zero_division", 0) in (0, 0.0, "warn")
            and not self.kwargs.get("adjusted", False)
            and self.average in (None, "binary", "micro", "macro", "weighted")
        )
        if not plain:  # computed by calling the metric instead
            self.kind = None

    def __call__(self, y_true, y_pred):
        return self.func(y_true, y_pred, **self.kwargs)

    def _per_class(self, tp, fp, fn):
        with np.errstate(divide="ignore", invalid="ignore"):
            if self.kind == "fbeta":
                b2 = self.beta ** 2
                num, den = (1 + b2) * tp, (1 + b2) * tp + b2 * fn + fp
            elif self.kind == "precision":
                num, den = tp, tp + fp
            elif self.kind == "recall":
                num, den = tp, tp + fn
            else:  # jaccard
                num, den = tp, tp + fp + fn
            return np.where(den > 0, num / np.where(den > 0, den, 1), 0.0)

    def from_counts(self, tp, fp, fn, positive=-1):
        """Metric for every row of per-class counts of shape (n_candidates, n_classes).

        ``positive`` is the column of the positive class, for ``average='binary'``.
        """
        tp, fp, fn = (np.asarray(a, dtype=float) for a in (tp, fp, fn))
        support = tp + fn
        if self.kind == "accuracy":
            return tp.sum(axis=-1) / np.maximum(support.sum(axis=-1), 1)
        if self.kind == "balanced_accuracy":
            present = support > 0
            recall = np.where(present, tp / np.where(present, support, 1), 0.0)
            return recall.sum(axis=-1) / np.maximum(present.sum(axis=-1), 1)
        if self.average == "binary":
            return self._per_class(tp[..., positive], fp[..., positive], fn[..., positive])
        if self.average == "micro":
            return self._per_class(tp.sum(axis=-1), fp.sum(axis=-1), fn.sum(axis=-1))
        per_class = self._per_class(tp, fp, fn)
        if self.average == "macro":
            weight = (tp + fp + fn) > 0  # the labels of y_true and y_pred, as scikit-learn
        else:  # weighted
            weight = support
        return (per_class * weight).sum(axis=-1) / np.maximum(weight.sum(axis=-1), 1e-300)

    def pooled(self, tp, fp, fn):
        """Metric of counts summed over labels (micro average of the per-label metric)."""
        return self._per_class(np.asarray(tp, float), np.asarray(fp, float), np.asarray(fn, float))


class _NeedsScores(Exception):
    """Raised by the stand-in estimator when a scorer asks for continuous scores."""


class _GivenLabels(BaseEstimator):
    """Stand-in estimator whose ``predict`` returns its input, so a scorer scores given labels."""

    def predict(self, X):
        return X

    def predict_proba(self, X):
        raise _NeedsScores

    decision_function = predict_log_proba = predict_proba


class _ScorerMetric:
    """A scorer object ``scorer(estimator, X, y_true)`` as a metric ``metric(y_true, y_pred)``."""

    def __init__(self, scorer):
        self.scorer = scorer

    def __call__(self, y_true, y_pred):
        return self.scorer(_GivenLabels(), np.asarray(y_pred), y_true)


def _is_scorer(scoring):
    """Whether ``scoring`` is called as ``scorer(estimator, X, y_true)`` (three positional arguments)."""
    try:
        parameters = inspect.signature(scoring).parameters.values()
    except (TypeError, ValueError):  # no signature: taken for a metric
        return False
    positional = [p for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
                  and p.default is p.empty]
    return len(positional) >= 3


def _metric_of(scoring):
    """A :class:`Metric` for a scorer name, a metric of labels or a scorer object, and the scorer if any."""
    if isinstance(scoring, str):
        if scoring in _NAMED_COUNT_METRICS:
            return Metric(repr(scoring), *_NAMED_COUNT_METRICS[scoring]), None
        scorer = get_scorer(scoring)
        return Metric(repr(scoring), _ScorerMetric(scorer)), scorer
    if _is_scorer(scoring):
        return Metric(repr(scoring), _ScorerMetric(scoring)), scoring
    if isinstance(scoring, functools.partial) and not scoring.args and scoring.func in _COUNT_METRICS:
        return Metric(repr(scoring), scoring.func, scoring.keywords), None
    return Metric(getattr(scoring, "__name__", repr(scoring)), scoring), None


def _check_scorer(scorer, name, labels):
    """Refuse a scorer of continuous scores, or one that cannot score ``labels`` predicted as themselves."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            scorer(_GivenLabels(), labels, labels)
    except _NeedsScores:
        raise ValueError(
            f"scoring={name} is computed from continuous scores, not from predicted labels, so no "
            "threshold changes it; use a metric of predicted labels such as 'f1', 'f1_macro', "
            "'balanced_accuracy' or 'precision'."
        ) from None
    except Exception as exc:
        raise ValueError(f"scoring={name} cannot score the predicted labels of this target: {exc}") from exc


def resolve_scoring(scoring, target_type, labels):
    """A :class:`Metric` for ``scoring`` and the target type, or a ValueError saying why not.

    Parameters
    ----------
    scoring : str, callable or None
        The ``scoring`` parameter of :class:`~skltext.ThresholdOptimizer`.
    target_type : {'binary', 'multiclass', 'multilabel-indicator'}
        The target type.
    labels : ndarray
        The labels a prediction can hold (the classes, or 0 and 1 for the
        columns of a multi-label target), to try a scorer object on.

    Returns
    -------
    metric : Metric
    """
    if scoring is None:
        scoring = "f1_macro" if target_type == "multiclass" else "f1"
    metric, scorer = _metric_of(scoring)
    if scorer is not None:
        _check_scorer(scorer, metric.name, np.asarray(labels))
    if target_type == "multiclass" and metric.average == "binary":
        raise ValueError(
            f"scoring={metric.name} scores one positive class (average='binary'), which a multiclass "
            "target does not have; use an averaged form such as 'f1_macro'."
        )
    if target_type == "multilabel-indicator" and metric.average not in (None, "binary"):
        raise ValueError(
            f"For a multi-label target, scoring is applied to each label as a binary problem, "
            f"so scoring={metric.name} does not apply; use scoring='f1' (the default) and "
            "objective='micro' to tune micro-F1, or objective=None for the per-label (macro) F1."
        )
    return metric
