"""The output head that follows from the target type: its activation, initial biases and target encoding.

binary -> 1 sigmoid unit; multi-class -> K softmax units; multi-label -> K
sigmoid units. The loss that goes with each is chosen in ``_loss``.
"""

import keras
import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

from ..losses import ClassBalancedLoss, LogitAdjustedLoss, WeightedCrossentropy

__all__ = ["OUTPUT_ACTIVATION", "TargetEncoder", "initial_output_bias"]

OUTPUT_ACTIVATION = {"binary": "sigmoid", "multiclass": "softmax", "multilabel-indicator": "sigmoid"}


def initial_output_bias(target, loss, *, reweighted):
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
    target : TargetDescription
        The training target.
    loss : object
        The loss to compile.
    reweighted : bool
        Whether class weights or balanced batches change the classes' balance.

    Returns
    -------
    bias : ndarray of shape (n_outputs,) or None
    """
    if (target.target_type == "multiclass" or reweighted
            or isinstance(loss, (LogitAdjustedLoss, ClassBalancedLoss, WeightedCrossentropy))):
        return None
    prior = target.output_prior()
    return np.log(prior / (1 - prior)).astype("float32")


class TargetEncoder(TransformerMixin, BaseEstimator):
    """Encode class labels for the Keras head and decode its outputs.

    This follows scikeras' target-encoder interface (``inverse_transform``
    with ``return_proba`` and ``get_metadata``).

    Parameters
    ----------
    target_type : {'binary', 'multiclass', 'multilabel-indicator'}
        Type of the target, from :func:`skltext._target.check_target`.
    one_hot : bool, default=False
        One-hot encode multi-class labels instead of integer ids.

    Attributes
    ----------
    classes_ : ndarray
        Sorted class labels; ``arange(n_labels)`` for multi-label.
    n_classes_ : int
        Number of classes (labels for multi-label).
    n_outputs_expected_ : int
        Number of Keras model outputs (always 1).
    """

    def __init__(self, target_type, *, one_hot=False):
        self.target_type = target_type
        self.one_hot = one_hot

    def fit(self, y):
        """Learn the classes of ``y``.

        Parameters
        ----------
        y : ndarray
            Target validated by :func:`skltext._target.check_target`.

        Returns
        -------
        self : TargetEncoder
        """
        if self.target_type == "multilabel-indicator":
            self.classes_ = np.arange(y.shape[1])
        else:
            self.classes_ = np.unique(y)
        self.n_classes_ = len(self.classes_)
        self.n_outputs_expected_ = 1
        return self

    def transform(self, y):
        """Encode labels as the float matrix or int vector the Keras loss expects."""
        floatx = keras.backend.floatx()
        if self.target_type == "multilabel-indicator":
            return np.asarray(y, dtype=floatx)
        codes = np.searchsorted(self.classes_, y)
        unseen = (codes >= self.n_classes_) | (self.classes_[np.minimum(codes, self.n_classes_ - 1)] != y)
        if unseen.any():
            raise ValueError(f"y contains labels not seen in fit: {np.unique(np.asarray(y)[unseen])[:5]}")
        if self.target_type == "binary":
            return codes.astype(floatx).reshape(-1, 1)
        if self.one_hot:
            return np.eye(self.n_classes_, dtype=floatx)[codes]
        return codes.astype(np.int32)

    def inverse_transform(self, y, return_proba=False):
        """Turn model outputs into labels, or into scikit-learn shaped probabilities.

        Parameters
        ----------
        y : ndarray of shape (n_samples, n_outputs)
            Raw Keras model outputs.
        return_proba : bool, default=False
            Return probabilities: (n, 2) for binary, (n, K) otherwise. Rows
            of binary and multi-class probabilities sum to 1 in float64.

        Returns
        -------
        ndarray
        """
        y = np.asarray(y, dtype=np.float64).reshape(len(y), -1)
        if self.target_type == "binary":
            y = np.hstack([1.0 - y, y])
        elif self.target_type == "multiclass":
            # A float32 softmax sums to 1 only within ~1e-7; scikit-learn's log_loss checks
            # within sqrt(float64 eps) ~ 1.5e-8 and warns otherwise, so renormalise in float64.
            y = y / y.sum(axis=1, keepdims=True)
        if return_proba:
            return y
        if self.target_type == "multilabel-indicator":
            return (y >= 0.5).astype(np.int64)
        return self.classes_[np.argmax(y, axis=1)]

    def get_metadata(self):
        """Fitted attributes that scikeras copies onto the estimator."""
        return {
            "classes_": self.classes_,
            "n_classes_": self.n_classes_,
            "n_outputs_expected_": self.n_outputs_expected_,
        }
