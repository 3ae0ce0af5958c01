"""The loss a network is compiled with: from the ``loss`` parameter, its ``loss__*`` settings and the target.

binary -> binary cross-entropy; multi-class -> (sparse) categorical
cross-entropy; multi-label -> binary cross-entropy. A Keras loss that
contradicts the target type is refused. The imbalance losses of
:mod:`skltext.losses` are built here by name, from the training target's
description; multi-label class weights, which are per-label positive weights,
can only be applied inside a loss, so they are built in here too.
"""

import keras

from ..losses import ClassBalancedLoss, FocalLoss, LogitAdjustedLoss, TopKLoss, WeightedCrossentropy, _ProbabilityLoss
from ..weights import class_weights_from_counts

__all__ = ["IMBALANCE_LOSSES", "build_loss", "resolve_loss"]

# Loss names with underscores removed and lowercased, so function names
# ('binary_crossentropy') and class names ('BinaryCrossentropy') both match.
_ONE_OF_K_LOSSES = {
    "categoricalcrossentropy",
    "sparsecategoricalcrossentropy",
    "categoricalfocalcrossentropy",
    "categoricalhinge",
    "kldivergence",
    "kld",
    "kullbackleiblerdivergence",
}
_INDEPENDENT_LOSSES = {"binarycrossentropy", "binaryfocalcrossentropy", "hinge", "squaredhinge"}


# Loss name -> (class, settings accepted as loss__<name>, defaults).
IMBALANCE_LOSSES = {
    "focal": (FocalLoss, {"gamma": 2.0, "alpha": None}),
    "class_balanced": (ClassBalancedLoss, {"beta": 0.999, "gamma": 0.0}),
    "top_k": (TopKLoss, {"fraction": 0.5, "gamma": 0.0}),
    "logit_adjusted": (LogitAdjustedLoss, {"tau": 1.0}),
}


def _loss_key(loss):
    if isinstance(loss, str):
        name = loss
    else:
        name = getattr(loss, "name", None) or getattr(loss, "__name__", None) or type(loss).__name__
    return name.replace("_", "").lower()


def resolve_loss(loss, target_type, *, name):
    """Pick the Keras loss for a target type, or refuse one that contradicts it.

    Parameters
    ----------
    loss : 'auto', str, keras.losses.Loss or callable
        The user's ``loss`` parameter.
    target_type : {'binary', 'multiclass', 'multilabel-indicator'}
    name : str
        Estimator name used in error messages.

    Returns
    -------
    loss : str, keras.losses.Loss or callable
        What to pass to ``Model.compile``.
    one_hot : bool
        Whether multi-class targets must be one-hot encoded for this loss.
    """
    if isinstance(loss, str) and loss == "auto":
        defaults = {
            "binary": "binary_crossentropy",
            "multiclass": "sparse_categorical_crossentropy",
            "multilabel-indicator": "binary_crossentropy",
        }
        return defaults[target_type], False
    if isinstance(loss, type):
        raise TypeError(f"loss must be a loss instance or name, got the class {loss.__name__}; "
                        f"pass {loss.__name__}() instead.")
    if isinstance(loss, str):
        try:
            keras.losses.get(loss)
        except ValueError:
            raise ValueError(f"Unknown loss {loss!r}: use 'auto', 'focal', 'class_balanced', 'top_k', "
                             "'logit_adjusted', a Keras loss name or a Keras loss object.") from None
    elif not callable(loss):
        raise TypeError(f"loss must be 'auto', a Keras loss name, a Keras loss object or a "
                        f"callable, got {type(loss).__name__}.")
    if getattr(loss, "from_logits", False):
        raise ValueError(f"{name} outputs probabilities (sigmoid/softmax head); build the loss "
                         "with from_logits=False.")
    key = _loss_key(loss)
    if target_type == "binary" and key in _ONE_OF_K_LOSSES:
        raise ValueError(
            f"loss={loss!r} does not fit a binary target: the model has one sigmoid output, and "
            "categorical cross-entropy over a single output is constant, so nothing is learnt. "
            "Use loss='auto' (binary cross-entropy)."
        )
    if target_type == "multiclass" and key in _INDEPENDENT_LOSSES:
        raise ValueError(
            f"loss={loss!r} does not fit a multi-class target: it scores each class as an "
            "independent yes/no, while the softmax head makes classes compete. Use loss='auto' "
            "(sparse categorical cross-entropy) or a categorical loss."
        )
    if target_type == "multilabel-indicator" and key in _ONE_OF_K_LOSSES:
        raise ValueError(
            f"loss={loss!r} does not fit a multi-label target: categorical losses assume exactly "
            "one label per document. Multi-label needs one sigmoid per label with binary "
            "cross-entropy: use loss='auto'."
        )
    one_hot = target_type == "multiclass" and not key.startswith("sparse")
    return loss, one_hot


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


def build_loss(loss, loss_params, *, target, class_weight, mu, name):
    """The loss to compile, and whether multi-class targets must be one-hot.

    Parameters
    ----------
    loss : str, keras.losses.Loss or callable
        The estimator's ``loss`` parameter.
    loss_params : dict
        The ``loss__*`` parameters with the prefix removed.
    target : TargetDescription
        The training target (:class:`skltext._target.TargetDescription`).
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
    target_type = target.target_type
    multiclass = target_type == "multiclass"
    if isinstance(loss, str) and loss == "class_balanced" and class_weight is not None:
        raise ValueError("loss='class_balanced' already weights the classes (by their effective "
                         "number of samples); set class_weight=None, or use another loss.")
    positive_weights = None
    if target.multilabel and class_weight is not None:
        positive_weights = class_weights_from_counts(target.counts, target.n_samples, target.classes,
                                                     class_weight=class_weight, mu=mu, multilabel=True).tolist()
    if isinstance(loss, str) and loss in IMBALANCE_LOSSES:
        loss_class = IMBALANCE_LOSSES[loss][0]
        if loss_class is ClassBalancedLoss:
            counts, n_samples = target.output_counts()
            return ClassBalancedLoss(counts.tolist(), n_samples, multiclass=multiclass, **settings), False
        if loss_class is LogitAdjustedLoss:
            if positive_weights is not None:
                raise ValueError("loss='logit_adjusted' already shifts each label by its prior; set "
                                 "class_weight=None, or use another loss.")
            return LogitAdjustedLoss(target.output_prior().tolist(), multiclass=multiclass,
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


