"""Turn the ``loss``, ``loss__*`` and ``class_weight`` parameters into what Keras trains with.

Binary and multi-class class weights become sample weights. Multi-label class
weights are per-label positive weights, which only a loss can apply, so they
go into the loss together with the imbalance losses built here by name.
"""

import numpy as np

from ..losses import ClassBalancedLoss, FocalLoss, LogitAdjustedLoss, TopKLoss, WeightedCrossentropy, _ProbabilityLoss
from ..weights import compute_class_weights
from ._heads import resolve_loss

__all__ = ["IMBALANCE_LOSSES", "build_loss", "class_weight_per_row", "initial_output_bias"]

# Loss name -> (class, settings accepted as loss__<name>, defaults).
IMBALANCE_LOSSES = {
    "focal": (FocalLoss, {"gamma": 2.0, "alpha": None}),
    "class_balanced": (ClassBalancedLoss, {"beta": 0.999, "gamma": 0.0}),
    "top_k": (TopKLoss, {"fraction": 0.5, "gamma": 0.0}),
    "logit_adjusted": (LogitAdjustedLoss, {"tau": 1.0}),
}


def _label_counts(y, target_type, classes):
    """Class counts (softmax) or positives per output plus the row count (sigmoid)."""
    if target_type == "multilabel-indicator":
        return np.asarray(y).sum(axis=0).astype(int).tolist(), len(y)
    counts = np.bincount(np.searchsorted(classes, y), minlength=len(classes)).tolist()
    if target_type == "binary":
        return counts[1:], len(y)
    return counts, None


def _class_prior(y, target_type, classes):
    """Training share of each class (softmax) or of positives per output (sigmoid), kept inside (0, 1)."""
    counts, n_samples = _label_counts(y, target_type, classes)
    counts = np.asarray(counts, dtype=float)
    if n_samples is None:
        return (counts / counts.sum()).tolist()
    # A label without positives (or without negatives) in this fold gets half a document's share.
    return np.clip(counts / n_samples, 0.5 / n_samples, 1 - 0.5 / n_samples).tolist()


def _check_loss_params(loss, loss_params, name):
    if not loss_params:
        return {}
    if not (isinstance(loss, str) and loss in IMBALANCE_LOSSES):
        raise ValueError(
            f"{', '.join('loss__' + key for key in loss_params)} given, but loss={loss!r}; loss__ settings "
            f"apply to the losses built by name: {', '.join(repr(k) for k in IMBALANCE_LOSSES)}. Set them "
            "on the loss object instead."
        )
    accepted = IMBALANCE_LOSSES[loss][1]
    unknown = sorted(set(loss_params) - set(accepted))
    if unknown:
        raise ValueError(f"{name}: loss={loss!r} takes {', '.join('loss__' + k for k in accepted)}; "
                         f"got unknown {', '.join('loss__' + k for k in unknown)}.")
    return {**accepted, **loss_params}


def build_loss(loss, loss_params, *, target_type, y, classes, class_weight, mu, name):
    """The loss to compile, and whether multi-class targets must be one-hot.

    Parameters
    ----------
    loss : str, keras.losses.Loss or callable
        The estimator's ``loss`` parameter.
    loss_params : dict
        The ``loss__*`` parameters with the prefix removed.
    target_type : {'binary', 'multiclass', 'multilabel-indicator'}
    y : ndarray
        The validated training target (labels, or the indicator matrix).
    classes : ndarray
        Sorted classes of ``y``.
    class_weight, mu
        The estimator's ``class_weight`` and ``class_weight_mu``.
    name : str
        Estimator name used in error messages.

    Returns
    -------
    loss : str, keras.losses.Loss or callable
    one_hot : bool
    """
    settings = _check_loss_params(loss, loss_params, name)
    multiclass = target_type == "multiclass"
    multilabel = target_type == "multilabel-indicator"
    if isinstance(loss, str) and loss == "class_balanced" and class_weight is not None:
        raise ValueError("loss='class_balanced' already weights the classes (by their effective "
                         "number of samples); set class_weight=None, or use another loss.")
    positive_weights = None
    if multilabel and class_weight is not None:
        positive_weights = compute_class_weights(y, class_weight=class_weight, mu=mu).tolist()
    if isinstance(loss, str) and loss in IMBALANCE_LOSSES:
        loss_class = IMBALANCE_LOSSES[loss][0]
        if loss_class is ClassBalancedLoss:
            counts, n_samples = _label_counts(y, target_type, classes)
            return ClassBalancedLoss(counts, n_samples, multiclass=multiclass, **settings), False
        if loss_class is LogitAdjustedLoss:
            if positive_weights is not None:
                raise ValueError("loss='logit_adjusted' already shifts each label by its prior; set "
                                 "class_weight=None, or use another loss.")
            return LogitAdjustedLoss(_class_prior(y, target_type, classes), multiclass=multiclass,
                                     **settings), False
        return loss_class(multiclass=multiclass, positive_weights=positive_weights, **settings), False
    if positive_weights is not None:
        if not (isinstance(loss, str) and loss == "auto"):
            raise ValueError(
                "class_weight for a multi-label target weighs each label's positives inside the loss, "
                f"which works with loss='auto', 'focal' or 'top_k', not loss={loss!r}. Give the weights "
                "to the loss yourself (e.g. skltext.losses.WeightedCrossentropy(positive_weights=...)) "
                "and set class_weight=None."
            )
        return WeightedCrossentropy(positive_weights), False
    if isinstance(loss, _ProbabilityLoss) and loss.multiclass != multiclass:
        head = "softmax" if multiclass else "sigmoid"
        raise ValueError(
            f"{type(loss).__name__}(multiclass={loss.multiclass}) does not fit a {target_type} target, "
            f"whose head is a {head}: build it with multiclass={multiclass}, or use the loss name "
            "(e.g. loss='focal'), which follows the target."
        )
    return resolve_loss(loss, target_type, name=name)


def class_weight_per_row(codes, classes, *, class_weight, mu):
    """Weight of each row's class for binary and multi-class targets.

    Parameters
    ----------
    codes : ndarray of int
        Index into ``classes`` of each training row.
    classes : ndarray
        The fitted classes.
    class_weight, mu
        The estimator's ``class_weight`` and ``class_weight_mu``.

    Returns
    -------
    ndarray of shape (n_samples,)
    """
    try:
        weights = compute_class_weights(classes[codes], class_weight=class_weight, mu=mu, classes=classes)
    except ValueError as exc:
        raise ValueError(f"Invalid class_weight: {exc}") from None
    return weights[codes]


def initial_output_bias(y, target_type, loss, *, reweighted):
    """Biases that start each sigmoid output at its training prior (Lin et al., 2017, section 4.1), or None.

    With zero biases every label of a multi-label head starts at probability
    0.5, and the first epochs go into pushing the many rare labels down, in
    which they can stay for good; starting at the log prior odds skips that.
    It only holds where training sees the data's own class balance: softmax
    heads keep zero biases, and so do re-weighted classes (class weights,
    balanced batches, the class-balanced loss), whose effective prior is
    not the data's, and the logit-adjusted loss, which adds the prior itself.

    Parameters
    ----------
    y : ndarray
        The validated training target.
    target_type : {'binary', 'multiclass', 'multilabel-indicator'}
    loss : object
        The loss to compile.
    reweighted : bool
        Whether class weights or balanced batches change the classes' balance.

    Returns
    -------
    bias : ndarray of shape (n_outputs,) or None
    """
    if (target_type == "multiclass" or reweighted
            or isinstance(loss, (LogitAdjustedLoss, ClassBalancedLoss, WeightedCrossentropy))):
        return None
    classes = np.unique(y) if target_type == "binary" else np.arange(np.shape(y)[1])
    prior = np.asarray(_class_prior(y, target_type, classes))
    return np.log(prior / (1 - prior)).astype("float32")
