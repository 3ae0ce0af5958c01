"""Checks of :class:`~skltext.ThresholdOptimizer`'s settings against each other and against the target.

The types and ranges of single parameters are checked by
``_parameter_constraints``; what depends on several parameters, on the
target or on the estimator is checked here, at the start of ``fit``.
"""

import numpy as np
from sklearn.exceptions import NotFittedError
from sklearn.utils.validation import check_is_fitted

from .._out_of_fold import resolve_response_method
from .._target import check_target as _check_target
from ._metric import COUNT_AVERAGED, resolve_scoring
from ._rules import positive_class

__all__ = ["check_settings", "check_target", "n_samples"]


def n_samples(X):
    """Rows of ``X``: a list of documents, an array, a sparse matrix or a data frame."""
    return X.shape[0] if hasattr(X, "shape") else len(X)


def check_target(y, *, name):
    """The target, its boolean indicator matrix (multi-label) or its classes, and its type."""
    if (hasattr(y, "shape") or hasattr(y, "__len__")) and n_samples(y) == 0:
        raise ValueError(f"{name} needs samples of at least 2 classes; y is empty.")
    y, target_type = _check_target(y, name=name, accept_sparse=True)
    if target_type == "multilabel-indicator":
        Y = (y != 0).toarray() if hasattr(y, "toarray") else np.asarray(y) != 0
        return y, Y, target_type, None
    return y, None, target_type, np.unique(y)


def check_settings(optimizer, target_type, classes):
    """Checks that span parameters and the target; returns the metric, scoring method and positive class."""
    if isinstance(optimizer.cv, str):  # 'prefit'
        if optimizer.refit:
            raise ValueError("When cv='prefit', refit cannot be True.")
        try:
            check_is_fitted(optimizer.estimator)
        except NotFittedError as exc:
            raise NotFittedError("When cv='prefit', `estimator` must be fitted.") from exc
    if optimizer.objective is not None and target_type != "multilabel-indicator":
        raise ValueError(f"objective={optimizer.objective!r} applies to multi-label targets only; y is {target_type}.")
    labels = np.array([0, 1]) if target_type == "multilabel-indicator" else classes
    metric = resolve_scoring(optimizer.scoring, target_type, labels)
    if optimizer.objective == "micro" and metric.kind not in COUNT_AVERAGED:
        raise ValueError(f"objective='micro' needs a scoring computed from counts (F-beta, precision, recall "
                         f"or Jaccard); got scoring={metric.name}.")
    method = resolve_response_method(optimizer.estimator, optimizer.response_method)
    if target_type == "multiclass" and optimizer.class_adjustment == "weight" and method != "predict_proba":
        raise ValueError("class_adjustment='weight' multiplies non-negative scores; it needs predict_proba, "
                         f"but {method} is used. Use class_adjustment='offset'.")
    pos_label = positive_class(classes, metric) if target_type == "binary" else None
    return metric, method, pos_label
