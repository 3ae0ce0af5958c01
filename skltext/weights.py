"""Class weights for imbalanced targets: balanced, log-smoothed and effective-number.

For binary and multi-class targets a weight per class multiplies each
document's loss. For multi-label targets each label is its own yes/no
problem, so the weight is a per-label *positive* weight: how much a positive
of that label counts against a negative (negatives keep weight 1).
"""

from numbers import Real

import numpy as np

__all__ = ["class_weights_from_counts", "compute_class_weights", "effective_number_weights"]


def _is_number(value):
    return isinstance(value, Real) and not isinstance(value, bool)


def check_number(value, name, accept, requirement):
    """Raise ``ValueError('<name> must be <requirement>, got <value>.')`` unless ``accept(value)``.

    Used for the settings of the weights and losses, which are checked where
    they are built.
    """
    if not (_is_number(value) and accept(value)):
        raise ValueError(f"{name} must be {requirement}, got {value!r}.")


def _log_weights(n_samples, counts, mu):
    with np.errstate(divide="ignore"):
        return np.maximum(1.0, np.log(mu * n_samples / counts))


def _weights_from_dict(class_weight, classes, what):
    position = {label: i for i, label in enumerate(classes.tolist())}
    unknown = [key for key in class_weight if key not in position]
    if unknown:
        raise ValueError(f"class_weight has keys that are not {what}: {unknown[:5]}; the {what} are "
                         f"{classes.tolist()[:10]}{' ...' if len(classes) > 10 else ''}.")
    weights = np.ones(len(classes))
    for key, value in class_weight.items():
        check_number(value, f"class_weight[{key!r}]", lambda v: np.isfinite(v) and v >= 0, "a finite number >= 0")
        weights[position[key]] = value
    return weights


def compute_class_weights(y, *, class_weight="balanced", mu=0.15, classes=None):
    """Weight of each class, or the positive weight of each label for multi-label ``y``.

    Parameters
    ----------
    y : array-like of shape (n_samples,) or (n_samples, n_labels)
        Class labels, or a 0/1 label indicator matrix.
    class_weight : {'balanced', 'balanced_log'} or dict, default='balanced'
        - 'balanced': ``n_samples / (n_classes * count_c)``; for multi-label,
          the positive weight ``n_negatives_l / n_positives_l`` of each label,
          which makes positives and negatives of the label weigh the same.
        - 'balanced_log': ``max(1, log(mu * n_samples / count_c))``, with
          ``count_c`` the positives of the label for multi-label. Frequent
          classes get 1 and rare ones a moderate, logarithmic boost, instead
          of the thousands-fold weights 'balanced' gives a class of 3
          documents next to one of 48,000.
        - dict: ``{label: weight}`` (``{label_index: positive_weight}`` for
          multi-label); classes left out weigh 1.
    mu : float, default=0.15
        Smoothing of 'balanced_log': a class's weight exceeds 1 once it
        holds fewer than ``mu / e`` of the documents.
    classes : array-like of shape (n_classes,), default=None
        The classes the weights are for, in order; by default the sorted
        unique labels of ``y`` (label indices for multi-label).

    Returns
    -------
    weights : ndarray of shape (n_classes,) or (n_labels,)
        Labels with no positive example get weight 1 under 'balanced' and
        'balanced_log': there is nothing to weigh.

    Examples
    --------
    >>> from skltext.weights import compute_class_weights
    >>> y = ["a"] * 48000 + ["b"] * 1997 + ["c"] * 3
    >>> compute_class_weights(y, class_weight="balanced").round(2).tolist()
    [0.35, 8.35, 5555.56]
    >>> compute_class_weights(y, class_weight="balanced_log").round(2).tolist()
    [1.0, 1.32, 7.82]
    """
    y = np.asarray(y)
    if y.ndim == 2:
        labels = np.arange(y.shape[1]) if classes is None else np.asarray(classes)
        counts = (y > 0).sum(axis=0)
    elif classes is None:
        labels, counts = np.unique(y, return_counts=True)
    else:
        labels = np.asarray(classes)
        present, present_counts = np.unique(y, return_counts=True)
        count_of = dict(zip(present.tolist(), present_counts.tolist()))
        counts = np.array([count_of.get(label, 0) for label in labels.tolist()])
    return class_weights_from_counts(counts, len(y), labels, class_weight=class_weight, mu=mu,
                                     multilabel=y.ndim == 2)


def class_weights_from_counts(counts, n_samples, classes, *, class_weight, mu=0.15, multilabel=False):
    """:func:`compute_class_weights` from counts already taken.

    Parameters
    ----------
    counts : array-like of shape (n_classes,)
        Rows of each class, or positives of each label for multi-label.
    n_samples : int
        Number of rows.
    classes : ndarray of shape (n_classes,)
        The classes (label indices for multi-label), in the order of ``counts``.
    class_weight : {'balanced', 'balanced_log'} or dict
    mu : float, default=0.15
    multilabel : bool, default=False
        Whether the weights are per-label positive weights.

    Returns
    -------
    weights : ndarray of shape (n_classes,)
    """
    check_number(mu, "mu", lambda v: v > 0, "a number > 0")
    counts = np.asarray(counts, dtype=float)
    if isinstance(class_weight, dict):
        return _weights_from_dict(class_weight, classes, "label indices" if multilabel else "classes")
    if class_weight not in ("balanced", "balanced_log"):
        raise ValueError(f"class_weight must be 'balanced', 'balanced_log' or a dict, got {class_weight!r}.")
    if multilabel:
        has_positives = counts > 0
        if class_weight == "balanced":
            weights = np.divide(n_samples - counts, counts, out=np.ones_like(counts), where=has_positives)
        else:
            weights = _log_weights(n_samples, np.where(has_positives, counts, n_samples), mu)
        return np.where(has_positives, weights, 1.0)
    if (counts == 0).any():
        raise ValueError(f"classes {classes[counts == 0].tolist()[:5]} do not occur in y, so "
                         f"class_weight={class_weight!r} cannot weigh them.")
    if class_weight == "balanced":
        return n_samples / (len(classes) * counts)
    return _log_weights(n_samples, counts, mu)


def effective_number_weights(counts, *, beta=0.999):
    """Class-balanced weights from the effective number of samples (Cui et al., 2019).

    The effective number of ``n`` samples is ``(1 - beta**n) / (1 - beta)``;
    each class is weighted by its inverse, ``(1 - beta) / (1 - beta**n_c)``,
    and the weights are scaled to sum to the number of classes. ``beta=0``
    gives equal weights and ``beta`` close to 1 approaches inverse frequency.

    Parameters
    ----------
    counts : array-like of shape (n_classes,)
        Number of training examples of each class.
    beta : float in [0, 1), default=0.999
        How quickly extra examples of a class stop adding information.

    Returns
    -------
    weights : ndarray of shape (n_classes,)
        Classes with no example get weight 0.

    Examples
    --------
    >>> from skltext.weights import effective_number_weights
    >>> effective_number_weights([1000, 10], beta=0.99).round(3)
    array([0.175, 1.825])
    """
    counts = np.asarray(counts, dtype=float)
    if counts.ndim != 1 or (counts < 0).any():
        raise ValueError("counts must be a 1-D array of non-negative class counts.")
    check_number(beta, "beta", lambda v: 0 <= v < 1, "in [0, 1)")
    present = counts > 0
    if not present.any():
        raise ValueError("counts must hold at least one class with examples.")
    inverse = np.zeros_like(counts)
    inverse[present] = (1.0 - beta) / (1.0 - np.power(beta, counts[present]))
    return inverse * present.sum() / inverse.sum()
