"""The quality metrics of ``skltext compare`` and ``skltext evaluate``, and their scorers.

Binary and multi-class targets are scored by accuracy, multi-label ones by
micro-F1; all by macro-F1 and by :func:`pr_auc_score`, the macro-averaged
area under the precision-recall curves. :func:`make_scorers` gives the same
metrics as scorers for ``cross_validate(..., scoring=...)``.
"""

import warnings

import numpy as np
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.metrics import accuracy_score, average_precision_score, f1_score

from ._out_of_fold import score_matrix
from ._target import SUPPORTED_TARGET_TYPES

__all__ = ["TARGET_TYPES", "metric_names", "fold_metrics", "make_scorers", "pr_auc_score"]

# The target types every skltext estimator takes (one list, in skltext._target).
TARGET_TYPES = SUPPORTED_TARGET_TYPES


def pr_auc_score(y_true, y_score, *, classes=None):
    """Area under the precision-recall curve (average precision), macro-averaged one-vs-rest.

    Each class (binary and multi-class targets: both classes of a binary
    target count) or label (multi-label 0/1 targets) is scored as its own
    binary problem on its column of ``y_score``; classes without a positive
    row in ``y_true`` are left out, since their average precision is
    undefined.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,) or (n_samples, n_labels)
        Class labels, or a 0/1 indicator matrix.
    y_score : array-like of shape (n_samples, n_classes)
        Scores (probabilities or decision values) of each class or label,
        columns in the order of ``classes``.
    classes : array-like of shape (n_classes,), default=None
        The class of each column (ignored for multi-label targets); None
        means ``np.unique(y_true)``.

    Returns
    -------
    score : float
        Mean average precision over the classes present in ``y_true``.

    Examples
    --------
    >>> from skltext.metrics import pr_auc_score
    >>> pr_auc_score(["a", "b", "b", "a"], [[0.9, 0.1], [0.2, 0.8], [0.6, 0.4], [0.3, 0.7]])
    0.8333333333333333
    """
    y_score = np.asarray(y_score, dtype=float)
    y_arr = np.asarray(y_true)
    if y_arr.ndim == 2:
        indicator = y_arr != 0
    else:
        classes = np.unique(y_arr) if classes is None else np.asarray(classes)
        indicator = y_arr[:, None] == classes[None, :]
    if y_score.ndim != 2 or y_score.shape[1] != indicator.shape[1]:
        raise ValueError(f"y_score must have one column per class ({indicator.shape[1]}), got shape "
                         f"{y_score.shape}.")
    present = np.flatnonzero(indicator.any(axis=0))
    if len(present) == 0:
        return float("nan")
    return float(np.mean([average_precision_score(indicator[:, k], y_score[:, k]) for k in present]))


def metric_names(target_type):
    """The quality metrics of a target: ``('accuracy', 'macro_f1', 'pr_auc')``, micro-F1 first if multi-label.

    Parameters
    ----------
    target_type : {'binary', 'multiclass', 'multilabel-indicator'}
        The target type.

    Returns
    -------
    names : tuple of str
    """
    first = "micro_f1" if target_type == "multilabel-indicator" else "accuracy"
    return (first, "macro_f1", "pr_auc")


def fold_metrics(y_true, y_pred, scores, classes, target_type):
    """The quality metrics of one test fold from its predictions and scores (those of :func:`make_scorers`).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,) or (n_samples, n_labels)
        Class labels, or a 0/1 indicator matrix.
    y_pred : array-like of the shape of ``y_true``
        Predicted labels.
    scores : array-like of shape (n_samples, n_classes)
        Per-class (per-label) scores, see :func:`pr_auc_score`.
    classes : array-like of shape (n_classes,) or None
        The class of each column of ``scores``; ignored for multi-label
        targets.
    target_type : {'binary', 'multiclass', 'multilabel-indicator'}
        The target type.

    Returns
    -------
    values : dict of str to float
        One value per :func:`metric_names` entry.

    Examples
    --------
    >>> from skltext.metrics import fold_metrics
    >>> fold_metrics(["a", "b"], ["a", "a"], [[0.9, 0.1], [0.6, 0.4]], ["a", "b"], "binary")["accuracy"]
    0.5
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        if target_type == "multilabel-indicator":
            first = f1_score(y_true, y_pred, average="micro")
        else:
            first = accuracy_score(y_true, y_pred)
        macro = f1_score(y_true, y_pred, average="macro")
    columns = None if target_type == "multilabel-indicator" else classes
    values = (float(first), float(macro), pr_auc_score(y_true, scores, classes=columns))
    return dict(zip(metric_names(target_type), values))


def make_scorers(target_type):
    """The scorers behind the results table, for ``cross_validate(..., scoring=make_scorers(...))``.

    Parameters
    ----------
    target_type : {'binary', 'multiclass', 'multilabel-indicator'}
        As returned by :func:`sklearn.utils.multiclass.type_of_target`.

    Returns
    -------
    scorers : dict of str to callable
        ``accuracy`` (``micro_f1`` for multi-label), ``macro_f1`` and
        ``pr_auc`` (:func:`pr_auc_score` of ``predict_proba``, or of
        ``decision_function`` when there is none).

    Examples
    --------
    >>> from skltext.metrics import make_scorers
    >>> sorted(make_scorers("multiclass"))
    ['accuracy', 'macro_f1', 'pr_auc']
    """
    if target_type not in TARGET_TYPES:
        raise ValueError(f"target_type must be 'binary', 'multiclass' or 'multilabel-indicator', got "
                         f"{target_type!r}.")

    def pr_auc(estimator, X, y):
        scores = score_matrix(estimator, X, target_type)
        classes = None if target_type == "multilabel-indicator" else estimator.classes_
        return pr_auc_score(y, scores, classes=classes)

    first = "f1_micro" if target_type == "multilabel-indicator" else "accuracy"
    return dict(zip(metric_names(target_type), (first, "f1_macro", pr_auc)))
