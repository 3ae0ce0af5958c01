"""Losses for imbalanced targets, written with ``keras.ops`` so every backend runs them.

They take probabilities, as the skltext heads output them (one sigmoid unit
for binary targets, one sigmoid per label for multi-label, a softmax for
multi-class), never logits. ``multiclass=True`` selects the softmax form.
Each is a registered Keras loss, so models compiled with one can be saved,
pickled and cloned.

The estimators build these from a name (``loss='focal'``) with settings
routed as ``loss__gamma=1.0``; the classes are public for use in plain Keras.
"""

import math

import keras
from keras import ops

from .weights import check_number, effective_number_weights

__all__ = ["ClassBalancedLoss", "FocalLoss", "LogitAdjustedLoss", "TopKLoss", "WeightedCrossentropy"]


def _check_weights(weights, name):
    if weights is None:
        return None
    weights = [float(w) for w in weights]
    if not weights or any(not math.isfinite(w) or w < 0 for w in weights):
        raise ValueError(f"{name} must be a non-empty sequence of finite numbers >= 0.")
    return weights


class _ProbabilityLoss(keras.losses.Loss):
    """Per-document cross-entropy with an optional focal factor and per-output weights.

    Sigmoid form (``multiclass=False``): the mean over outputs of
    ``-w * (1 - p_t) ** gamma * log(p_t)``, where ``p_t`` is the probability
    given to the true value of each output and ``w`` is the output's
    positive weight for a positive, its negative weight for a negative.
    Softmax form: ``-w_y * (1 - p_y) ** gamma * log(p_y)`` for the true class
    ``y``; targets may be class indices or one-hot rows.
    """

    def __init__(self, *, gamma=0.0, multiclass=False, positive_weights=None, negative_weights=None,
                 name=None, reduction="sum_over_batch_size", dtype=None):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        check_number(gamma, "gamma", lambda v: v >= 0, "a number >= 0")
        if multiclass and negative_weights is not None:
            raise ValueError("negative_weights apply to sigmoid outputs only; with multiclass=True "
                             "pass one weight per class as positive_weights.")
        self.gamma = float(gamma)
        self.multiclass = bool(multiclass)
        self.positive_weights = _check_weights(positive_weights, "positive_weights")
        self.negative_weights = _check_weights(negative_weights, "negative_weights")

    def _check_width(self, y_pred):
        width = y_pred.shape[-1]
        for name in ("positive_weights", "negative_weights"):
            weights = getattr(self, name)
            if weights is not None and width is not None and len(weights) != width:
                raise ValueError(f"{type(self).__name__} has {len(weights)} {name} but the model "
                                 f"has {width} outputs.")

    def _per_document(self, y_true, y_pred):
        self._check_width(y_pred)
        y_pred = ops.convert_to_tensor(y_pred)
        epsilon = keras.config.epsilon()
        y_pred = ops.clip(y_pred, epsilon, 1.0 - epsilon)
        if self.multiclass:
            n_classes = y_pred.shape[-1]
            if len(y_true.shape) < len(y_pred.shape) or y_true.shape[-1] != n_classes:
                y_true = ops.one_hot(ops.cast(ops.reshape(y_true, (-1,)), "int32"), n_classes)
            y_true = ops.cast(y_true, y_pred.dtype)
            terms = -y_true * ops.log(y_pred)
            if self.gamma:
                terms = terms * ops.power(1.0 - y_pred, self.gamma)
            if self.positive_weights is not None:
                terms = terms * ops.convert_to_tensor(self.positive_weights, dtype=y_pred.dtype)
            return ops.sum(terms, axis=-1)
        y_true = ops.cast(ops.reshape(y_true, ops.shape(y_pred)), y_pred.dtype)
        p_true = y_true * y_pred + (1.0 - y_true) * (1.0 - y_pred)
        terms = -ops.log(p_true)
        if self.gamma:
            terms = terms * ops.power(1.0 - p_true, self.gamma)
        weights = self._sigmoid_weights(y_true)
        if weights is not None:
            terms = terms * weights
        return ops.mean(terms, axis=-1)

    def _sigmoid_weights(self, y_true):
        positive = negative = None
        if self.positive_weights is not None:
            positive = y_true * ops.convert_to_tensor(self.positive_weights, dtype=y_true.dtype)
        if self.negative_weights is not None:
            negative = (1.0 - y_true) * ops.convert_to_tensor(self.negative_weights, dtype=y_true.dtype)
        if positive is None and negative is None:
            return None
        return (y_true if positive is None else positive) + ((1.0 - y_true) if negative is None else negative)

    def call(self, y_true, y_pred):
        return self._per_document(y_true, y_pred)

    def get_config(self):
        return {
            **super().get_config(),
            "gamma": self.gamma,
            "multiclass": self.multiclass,
            "positive_weights": self.positive_weights,
            "negative_weights": self.negative_weights,
        }


@keras.saving.register_keras_serializable(package="skltext")
class WeightedCrossentropy(_ProbabilityLoss):
    """Cross-entropy with a weight per output: per-label positive weights for multi-label.

    Keras weighs whole documents (``sample_weight``); a multi-label document
    holds positives of rare labels and negatives of common ones at once, so
    label weights have to act inside the loss.

    Parameters
    ----------
    positive_weights : sequence of float, default=None
        Sigmoid outputs: weight of a positive of each output. Softmax: weight
        of each class.
    negative_weights : sequence of float, default=None
        Sigmoid outputs only: weight of a negative of each output (1 when None).
    multiclass : bool, default=False
        Softmax head (one class per document) instead of sigmoid outputs.
    name : str, default='weighted_crossentropy'
    reduction : str, default='sum_over_batch_size'
    dtype : str, default=None

    Examples
    --------
    >>> import numpy as np
    >>> from skltext.losses import WeightedCrossentropy
    >>> loss = WeightedCrossentropy(positive_weights=[1.0, 4.0])
    >>> y_true, y_pred = np.array([[0.0, 1.0]]), np.array([[0.2, 0.6]])
    >>> round(float(loss(y_true, y_pred)), 4)  # (-log 0.8 - 4 log 0.6) / 2
    1.1332
    """

    def __init__(self, positive_weights=None, negative_weights=None, *, multiclass=False,
                 name="weighted_crossentropy", reduction="sum_over_batch_size", dtype=None, gamma=0.0):
        super().__init__(gamma=gamma, multiclass=multiclass, positive_weights=positive_weights,
                         negative_weights=negative_weights, name=name, reduction=reduction, dtype=dtype)


@keras.saving.register_keras_serializable(package="skltext")
class FocalLoss(_ProbabilityLoss):
    """Focal loss (Lin et al., 2017): cross-entropy scaled down on well-classified examples.

    Each term is multiplied by ``(1 - p_t) ** gamma``, where ``p_t`` is the
    probability of the true value, so the many easy examples of frequent
    classes stop dominating the gradient. ``gamma=0`` is cross-entropy.

    Parameters
    ----------
    gamma : float >= 0, default=2.0
        Focusing strength.
    alpha : float in (0, 1), default=None
        Sigmoid outputs only: weight of positives, ``1 - alpha`` for
        negatives (Lin et al. use 0.25 with gamma=2). None weighs both 1.
        For class weights of a softmax head use ``positive_weights``.
    multiclass : bool, default=False
        Softmax head (one class per document) instead of sigmoid outputs.
    positive_weights : sequence of float, default=None
        Per-output weight of positives (sigmoid) or per-class weight (softmax),
        multiplied with ``alpha``.
    name : str, default='focal_loss'
    reduction : str, default='sum_over_batch_size'
    dtype : str, default=None

    Examples
    --------
    >>> import numpy as np
    >>> from skltext.losses import FocalLoss
    >>> y_true, y_pred = np.array([[1.0]]), np.array([[0.9]])
    >>> round(float(FocalLoss(gamma=2.0)(y_true, y_pred)), 6)  # -(0.1 ** 2) * log(0.9)
    0.001054
    """

    def __init__(self, gamma=2.0, alpha=None, *, multiclass=False, positive_weights=None,
                 name="focal_loss", reduction="sum_over_batch_size", dtype=None, negative_weights=None):
        if alpha is not None:
            check_number(alpha, "alpha", lambda v: 0 < v < 1, "a number in (0, 1) or None")
            if multiclass:
                raise ValueError("alpha weighs positives against negatives of sigmoid outputs; with "
                                 "multiclass=True give per-class weights as positive_weights (or "
                                 "class_weight on the estimator) instead.")
        self.alpha = None if alpha is None else float(alpha)
        super().__init__(gamma=gamma, multiclass=multiclass, positive_weights=positive_weights,
                         negative_weights=negative_weights, name=name, reduction=reduction, dtype=dtype)

    def _sigmoid_weights(self, y_true):
        weights = super()._sigmoid_weights(y_true)
        if self.alpha is None:
            return weights
        alpha = y_true * self.alpha + (1.0 - y_true) * (1.0 - self.alpha)
        return alpha if weights is None else alpha * weights

    def get_config(self):
        return {**super().get_config(), "alpha": self.alpha}


@keras.saving.register_keras_serializable(package="skltext")
class ClassBalancedLoss(_ProbabilityLoss):
    """Class-balanced loss (Cui et al., 2019): weights from the effective number of samples.

    Each class ``c`` is weighted by ``(1 - beta) / (1 - beta ** n_c)``,
    scaled so the weights sum to the number of classes. For sigmoid outputs
    (binary, multi-label) each output is its own two-class problem: its
    positives and negatives are weighted from their counts, scaled to sum
    to 2. With ``gamma > 0`` it is the class-balanced focal loss.

    Parameters
    ----------
    class_counts : sequence of int
        Softmax: training documents per class. Sigmoid: positives per output.
    n_samples : int, default=None
        Number of training documents; required for sigmoid outputs, whose
        negative counts are ``n_samples - class_counts``.
    beta : float in [0, 1), default=0.999
        0 weighs classes equally; close to 1 approaches inverse frequency.
    gamma : float >= 0, default=0.0
        Focal factor, as in :class:`FocalLoss`.
    multiclass : bool, default=False
        Softmax head (one class per document) instead of sigmoid outputs.
    name : str, default='class_balanced_loss'
    reduction : str, default='sum_over_batch_size'
    dtype : str, default=None

    Examples
    --------
    >>> from skltext.losses import ClassBalancedLoss
    >>> loss = ClassBalancedLoss([1000, 10], beta=0.99, multiclass=True)
    >>> [round(w, 3) for w in loss.positive_weights]
    [0.175, 1.825]
    """

    def __init__(self, class_counts, n_samples=None, *, beta=0.999, gamma=0.0, multiclass=False,
                 name="class_balanced_loss", reduction="sum_over_batch_size", dtype=None):
        counts = [int(c) for c in class_counts]
        if any(c < 0 for c in counts) or not counts:
            raise ValueError("class_counts must be a non-empty sequence of non-negative counts.")
        self.class_counts = counts
        self.n_samples = None if n_samples is None else int(n_samples)
        self.beta = beta
        if multiclass:
            positive = effective_number_weights(counts, beta=beta).tolist()
            negative = None
        else:
            if self.n_samples is None or self.n_samples < max(counts):
                raise ValueError("ClassBalancedLoss for sigmoid outputs needs n_samples, the number of "
                                 "training documents (at least the largest class count).")
            positive, negative = [], []
            for count in counts:
                pair = effective_number_weights([count, self.n_samples - count], beta=beta)
                positive.append(float(pair[0]))
                negative.append(float(pair[1]))
        super().__init__(gamma=gamma, multiclass=multiclass, positive_weights=positive,
                         negative_weights=negative, name=name, reduction=reduction, dtype=dtype)

    def get_config(self):
        config = super().get_config()
        # The weights follow from the counts; storing both would let them disagree.
        del config["positive_weights"], config["negative_weights"]
        return {**config, "class_counts": self.class_counts, "n_samples": self.n_samples, "beta": self.beta}


@keras.saving.register_keras_serializable(package="skltext")
class TopKLoss(_ProbabilityLoss):
    """Online hard-example mining: only the hardest documents of each batch are learnt from.

    The per-document cross-entropy is computed for the batch, and only the
    ``ceil(fraction * batch_size)`` highest losses (ties included) count;
    the loss is their mean. Easy documents, mostly of frequent classes,
    stop contributing once the model has them right.

    Parameters
    ----------
    fraction : float in (0, 1], default=0.5
        Share of each batch kept. 1 is plain cross-entropy.
    multiclass : bool, default=False
        Softmax head (one class per document) instead of sigmoid outputs.
    positive_weights, negative_weights : sequence of float, default=None
        Per-output weights, as in :class:`WeightedCrossentropy`.
    gamma : float >= 0, default=0.0
        Focal factor, as in :class:`FocalLoss`.
    name : str, default='top_k_loss'
    reduction : str, default='sum_over_batch_size'
    dtype : str, default=None

    Examples
    --------
    >>> import numpy as np
    >>> from skltext.losses import TopKLoss
    >>> y_true = np.array([[1.0], [1.0], [1.0], [1.0]])
    >>> y_pred = np.array([[0.9], [0.5], [0.8], [0.2]])
    >>> round(float(TopKLoss(fraction=0.5)(y_true, y_pred)), 4)  # (-log 0.5 - log 0.2) / 2
    1.1513
    """

    def __init__(self, fraction=0.5, *, multiclass=False, positive_weights=None, negative_weights=None,
                 gamma=0.0, name="top_k_loss", reduction="sum_over_batch_size", dtype=None):
        check_number(fraction, "fraction", lambda v: 0 < v <= 1, "a number in (0, 1]")
        self.fraction = float(fraction)
        super().__init__(gamma=gamma, multiclass=multiclass, positive_weights=positive_weights,
                         negative_weights=negative_weights, name=name, reduction=reduction, dtype=dtype)

    def call(self, y_true, y_pred):
        losses = self._per_document(y_true, y_pred)
        n_documents = ops.shape(losses)[0]
        n_kept = ops.maximum(ops.cast(ops.ceil(self.fraction * ops.cast(n_documents, "float32")), "int32"), 1)
        # The n_kept-th largest loss: everything at or above it is kept.
        cutoff = ops.take(ops.sort(losses), n_documents - n_kept)
        kept = ops.stop_gradient(ops.cast(losses >= cutoff, losses.dtype))
        # Scaled so the batch mean that Keras takes is the mean over the kept documents.
        return losses * kept * ops.cast(n_documents, losses.dtype) / ops.sum(kept)

    def get_config(self):
        return {**super().get_config(), "fraction": self.fraction}


@keras.saving.register_keras_serializable(package="skltext")
class LogitAdjustedLoss(keras.losses.Loss):
    """Logit-adjusted cross-entropy (Menon et al., 2021), also called balanced softmax (Ren et al., 2020).

    The model is trained as if each output's logit were shifted by ``tau``
    times its log prior: softmax over ``logit_c + tau * log(prior_c)`` for
    multi-class, ``sigmoid(logit_k + tau * log(prior_k / (1 - prior_k)))``
    per sigmoid output. The frequent classes get that head start for free,
    so the network's own logits learn the part the prior does not explain:
    predicting with them (as the model does) is the balanced decision rule,
    which raises the recall of rare classes and macro-F1. ``tau=0`` is plain
    cross-entropy.

    Parameters
    ----------
    class_prior : sequence of float
        Softmax: the training share of each class. Sigmoid: the share of
        training documents that are positive for each output.
    tau : float >= 0, default=1.0
        Strength of the adjustment.
    multiclass : bool, default=False
        Softmax head (one class per document) instead of sigmoid outputs.
    name : str, default='logit_adjusted_loss'
    reduction : str, default='sum_over_batch_size'
    dtype : str, default=None

    Examples
    --------
    >>> import numpy as np
    >>> from skltext.losses import LogitAdjustedLoss
    >>> loss = LogitAdjustedLoss([0.9, 0.1], multiclass=True)
    >>> y_pred = np.array([[0.5, 0.5]])
    >>> # The rare class's 0.5 counts as 0.1 / (0.9 + 0.1) = 0.1 after the adjustment.
    >>> round(float(loss(np.array([1]), y_pred)), 4)
    2.3026
    """

    def __init__(self, class_prior, tau=1.0, *, multiclass=False, name="logit_adjusted_loss",
                 reduction="sum_over_batch_size", dtype=None):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        prior = [float(p) for p in class_prior]
        if not prior or any(not (0.0 < p < 1.0 or (multiclass and p == 1.0)) for p in prior):
            raise ValueError("class_prior must be a non-empty sequence of shares in (0, 1); a class or "
                             "label without training documents has no prior.")
        check_number(tau, "tau", lambda v: v >= 0, "a number >= 0")
        self.class_prior = prior
        self.tau = float(tau)
        self.multiclass = bool(multiclass)

    def call(self, y_true, y_pred):
        y_pred = ops.convert_to_tensor(y_pred)
        epsilon = keras.config.epsilon()
        y_pred = ops.clip(y_pred, epsilon, 1.0 - epsilon)
        log_prior = ops.log(ops.convert_to_tensor(self.class_prior, dtype=y_pred.dtype))
        if self.multiclass:
            n_classes = y_pred.shape[-1]
            if len(y_true.shape) < len(y_pred.shape) or y_true.shape[-1] != n_classes:
                y_true = ops.one_hot(ops.cast(ops.reshape(y_true, (-1,)), "int32"), n_classes)
            # log softmax(logits + tau log prior), from the softmax output: logits = log p + const.
            adjusted = ops.log(y_pred) + self.tau * log_prior
            log_adjusted = adjusted - ops.logsumexp(adjusted, axis=-1, keepdims=True)
            return -ops.sum(ops.cast(y_true, y_pred.dtype) * log_adjusted, axis=-1)
        y_true = ops.cast(ops.reshape(y_true, ops.shape(y_pred)), y_pred.dtype)
        log_odds_prior = log_prior - ops.log(1.0 - ops.exp(log_prior))
        logits = ops.log(y_pred) - ops.log(1.0 - y_pred) + self.tau * log_odds_prior
        # Binary cross-entropy on logits: log(1 + exp(-z)) for positives, log(1 + exp(z)) for negatives.
        terms = ops.softplus(-logits) * y_true + ops.softplus(logits) * (1.0 - y_true)
        return ops.mean(terms, axis=-1)

    def get_config(self):
        return {**super().get_config(), "class_prior": self.class_prior, "tau": self.tau,
                "multiclass": self.multiclass}
