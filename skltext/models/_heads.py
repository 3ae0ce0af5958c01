"""The output head, loss and target encoding that follow from the target type.

binary -> 1 sigmoid unit + binary cross-entropy; multi-class -> K softmax
units + (sparse) categorical cross-entropy; multi-label -> K sigmoid units +
binary cross-entropy. A loss that contradicts the target type is refused.
"""

import warnings
from numbers import Number

import keras
import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.exceptions import DataConversionWarning
from sklearn.utils.multiclass import type_of_target

from .._label_lists import check_not_label_lists
from ..exceptions import OneHotTargetWarning

__all__ = ["TargetEncoder", "check_target", "resolve_loss", "SUPPORTED_TARGET_TYPES"]

SUPPORTED_TARGET_TYPES = ("binary", "multiclass", "multilabel-indicator")

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


def check_target(y, *, name):
    """Validate a classification target and return it with its type.

    Parameters
    ----------
    y : array-like of shape (n_samples,) or (n_samples, n_labels)
        Class labels, or a 0/1 label indicator matrix for multi-label.
    name : str
        Estimator name used in error messages.

    Returns
    -------
    y : ndarray
    target_type : {'binary', 'multiclass', 'multilabel-indicator'}

    Warns
    -----
    OneHotTargetWarning
        If ``y`` is a 0/1 matrix with exactly one positive per row (one-hot
        classes): it is read as multi-label, as scikit-learn reads it.
    """
    if y is None:
        raise ValueError(f"{name} requires y to be passed, but the target y is None.")
    check_not_label_lists(y, name=name)
    if isinstance(y, (list, tuple)):
        # np.asarray would silently turn [1, "a"] into ["1", "a"].
        _check_one_label_kind(y)
    y = np.asarray(y)
    if y.dtype == object and _check_one_label_kind(y.ravel()) == {"number"}:
        y = np.asarray(y.tolist())  # numbers in an object array, e.g. from a pandas column
    if y.dtype == object or y.dtype.kind == "f":
        missing = _missing_mask(y)
        if missing.any():
            raise ValueError(
                f"y contains {int(missing.sum())} missing value(s) (NaN or None), first at "
                f"row {int(np.flatnonzero(missing.reshape(len(y), -1).any(axis=1))[0])}; "
                "drop or label those rows before fitting."
            )
    if y.ndim == 2 and y.shape[1] == 1:
        warnings.warn(
            "A column-vector y was passed when a 1d array was expected. Please change "
            "the shape of y to (n_samples,), for example using ravel().",
            DataConversionWarning,
            stacklevel=3,
        )
        y = y.ravel()
    try:
        target_type = type_of_target(y, input_name="y")
    except ValueError as exc:
        raise ValueError(f"Unknown label type: {exc}") from None
    if target_type not in SUPPORTED_TARGET_TYPES:
        raise ValueError(
            f"Unknown label type: {target_type!r}. {name} supports binary and multi-class "
            "labels (a 1-D array) and multi-label targets (a 0/1 indicator matrix, e.g. "
            "from sklearn.preprocessing.MultiLabelBinarizer)."
        )
    if target_type == "multilabel-indicator":
        values = np.unique(y)
        if not np.isin(values, (0, 1)).all():
            raise ValueError(f"A multi-label target must be a 0/1 indicator matrix; got values {values[:5]}.")
        _warn_if_one_hot(y, name)
    else:
        classes = np.unique(y)
        if len(classes) < 2:
            raise ValueError(
                f"y has only one class ({classes[0].tolist()!r}); a classifier needs at least two "
                "classes to learn from."
            )
    return y, target_type


def _warn_if_one_hot(Y, name):
    """Warn when every row of a 0/1 matrix has exactly one positive: one-hot classes, read as multi-label.

    scikit-learn reads every 0/1 matrix as multi-label (``type_of_target``, the
    scorers, the splitters), so it stays multi-label here too: switching to a
    softmax head on this condition would give one fold of a multi-label data
    set a different head than the next.
    """
    if (np.asarray(Y).sum(axis=1) == 1).all():
        warnings.warn(
            f"y is a 0/1 matrix with exactly one positive per row, as one-hot encoded classes are "
            f"(LabelBinarizer, keras.utils.to_categorical, pandas.get_dummies). {name} reads it as a "
            f"multi-label target: one independent sigmoid per column, so predict may return zero or several "
            f"labels per row and predict_proba rows need not sum to 1. For one class per document pass the "
            f"class labels instead, e.g. y.argmax(axis=1) or LabelBinarizer().inverse_transform(y), which "
            f"trains a softmax head. If the labels are independent and each document happens to have one, "
            f"ignore this warning (skltext.exceptions.OneHotTargetWarning).",
            OneHotTargetWarning,
            stacklevel=4,
        )


def _label_kind(value):
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None  # reported as a missing value
    if isinstance(value, (str, np.str_)):
        return "str"
    if isinstance(value, (bool, np.bool_, Number)):
        return "number"
    return type(value).__name__


def _check_one_label_kind(labels):
    kinds = {_label_kind(value) for value in labels} - {None}
    if len(kinds) > 1:
        raise ValueError(
            f"y mixes label types ({' and '.join(sorted(kinds))}); labels must be all strings or all "
            "numbers, so that they compare and sort. Convert them first, e.g. y = np.asarray(y, dtype=str)."
        )
    return kinds


def _missing_mask(y):
    if y.dtype.kind == "f":
        return np.isnan(y)
    flat = y.ravel()
    mask = np.fromiter(
        (v is None or (isinstance(v, float) and np.isnan(v)) for v in flat), dtype=bool, count=flat.size
    )
    return mask.reshape(y.shape)


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


class TargetEncoder(TransformerMixin, BaseEstimator):
    """Encode class labels for the Keras head and decode its outputs.

    This follows scikeras' target-encoder interface (``inverse_transform``
    with ``return_proba`` and ``get_metadata``).

    Parameters
    ----------
    target_type : {'binary', 'multiclass', 'multilabel-indicator'}
        Type of the target, from :func:`check_target`.
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
            Target validated by :func:`check_target`.

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
