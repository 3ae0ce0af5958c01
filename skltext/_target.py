"""One validation and one description of a classification target.

:func:`check_target` is the validator every estimator of the package uses,
with one set of messages. :class:`TargetDescription` is what one ``fit``
knows about its target (type, classes, per-row class codes, counts, prior and
strata), computed once and read by the loss, the class weights, the output
biases, the early-stopping hold-out and the balanced batches, so that none of
them re-infers the target type from an encoded matrix or counts classes again.
"""

import warnings
from numbers import Number

import numpy as np
import scipy.sparse as sp
from sklearn.exceptions import DataConversionWarning
from sklearn.preprocessing import MultiLabelBinarizer
from sklearn.utils.multiclass import type_of_target

from ._label_lists import check_not_label_lists, is_label_lists
from .exceptions import OneHotTargetWarning

__all__ = ["SUPPORTED_TARGET_TYPES", "TargetDescription", "check_target", "encode_labels"]

SUPPORTED_TARGET_TYPES = ("binary", "multiclass", "multilabel-indicator")


def check_target(y, *, name, accept_sparse=False, expected=SUPPORTED_TARGET_TYPES, hint=""):
    """Validate a classification target and return it with its type.

    Parameters
    ----------
    y : array-like of shape (n_samples,) or (n_samples, n_labels)
        Class labels, or a 0/1 label indicator matrix for multi-label.
    name : str
        Estimator name used in error messages.
    accept_sparse : bool, default=False
        Keep a sparse multi-label indicator matrix sparse instead of refusing it.
    expected : tuple of str, default=SUPPORTED_TARGET_TYPES
        The target types ``name`` takes; others are refused.
    hint : str, default=''
        Appended to the message that refuses a target of another type.

    Returns
    -------
    y : ndarray or sparse matrix
    target_type : {'binary', 'multiclass', 'multilabel-indicator'}

    Raises
    ------
    ValueError
        If ``y`` is None, a list of label lists, mixes strings and numbers,
        has missing values, is continuous or of another unsupported type, is
        a multi-label matrix with values other than 0 and 1, or holds a
        single class.

    Warns
    -----
    DataConversionWarning
        If ``y`` is a column vector; it is flattened.
    OneHotTargetWarning
        If ``y`` is a 0/1 matrix with exactly one positive per row (one-hot
        classes): it is read as multi-label, as scikit-learn reads it.
    """
    if y is None:
        raise ValueError(f"{name} requires y to be passed, but the target y is None.")
    if sp.issparse(y):
        if not accept_sparse:
            raise TypeError(f"{name} takes a dense target; convert the sparse label matrix with y.toarray().")
    else:
        y = _as_label_array(y, name)
    try:
        target_type = type_of_target(y, input_name="y")
    except ValueError as exc:
        raise ValueError(f"Unknown label type: {exc}") from None
    if target_type not in expected:
        _refuse_type(y, target_type, name, expected, hint)
    if target_type == "multilabel-indicator":
        values = np.unique(y.data if sp.issparse(y) else y)
        if not np.isin(values, (0, 1)).all():
            raise ValueError(f"A multi-label target must be a 0/1 indicator matrix; got values {values[:5]}.")
        _warn_if_one_hot(y, name)
    else:
        classes = np.unique(y)
        if len(classes) < 2:
            found = f"only one class ({classes[0].tolist()!r})" if len(classes) else "no samples"
            raise ValueError(f"y has {found}; a classifier needs at least two classes to learn from.")
    return y, target_type


def _refuse_type(y, target_type, name, expected, hint):
    if tuple(expected) == SUPPORTED_TARGET_TYPES:
        raise ValueError(
            f"Unknown label type: {target_type!r}. {name} supports binary and multi-class "
            "labels (a 1-D array) and multi-label targets (a 0/1 indicator matrix, e.g. "
            f"from sklearn.preprocessing.MultiLabelBinarizer).{hint}"
        )
    if tuple(expected) != ("multilabel-indicator",):
        raise ValueError(f"{name} takes {' or '.join(expected)} targets; got a {target_type!r} target.{hint}")
    shape = f"shape {y.shape}" if y.ndim else "a scalar"
    raise ValueError(
        f"{name} expects a multi-label target: a 0/1 indicator matrix of shape (n_samples, n_labels) "
        f"with at least two labels, such as the output of MultiLabelBinarizer. Got a {target_type!r} "
        f"target of {shape}.{hint}"
    )


def _as_label_array(y, name):
    """``y`` as a NumPy array, refusing label lists, mixed label kinds and missing values."""
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
            stacklevel=4,
        )
        y = y.ravel()
    return y


def _warn_if_one_hot(Y, name):
    """Warn when every row of a 0/1 matrix has exactly one positive: one-hot classes, read as multi-label.

    scikit-learn reads every 0/1 matrix as multi-label (``type_of_target``, the
    scorers, the splitters), so it stays multi-label here too: switching to a
    softmax head on this condition would give one fold of a multi-label data
    set a different head than the next.
    """
    if (np.asarray(Y.sum(axis=1)).ravel() == 1).all():
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


class TargetDescription:
    """What one fit knows about its (validated) target.

    Parameters
    ----------
    y : ndarray of shape (n_samples,) or (n_samples, n_labels)
        A target that passed :func:`check_target`.
    target_type : {'binary', 'multiclass', 'multilabel-indicator'}
    classes : ndarray, default=None
        The classes the model has, in output order (a warm-started fit keeps
        those of the first fit); by default the sorted labels of ``y``, or
        ``arange(n_labels)`` for multi-label.

    Attributes
    ----------
    target_type : str
    classes : ndarray of shape (n_classes,)
    n_samples : int
    codes : ndarray of shape (n_samples,) or None
        Index into ``classes`` of each row; None for multi-label.
    indicator : ndarray of shape (n_samples, n_labels) of bool or None
        The label matrix; None for binary and multi-class.
    counts : ndarray of shape (n_classes,)
        Rows of each class, or positives of each label.
    """

    def __init__(self, y, target_type, classes=None):
        self.target_type = target_type
        self.multilabel = target_type == "multilabel-indicator"
        if self.multilabel:
            self.indicator = np.asarray(y) != 0
            self.codes = None
            self.classes = np.arange(self.indicator.shape[1]) if classes is None else np.asarray(classes)
            self.counts = self.indicator.sum(axis=0).astype(np.int64)
        else:
            y = np.asarray(y)
            self.indicator = None
            self.classes = np.unique(y) if classes is None else np.asarray(classes)
            codes = np.searchsorted(self.classes, y)
            unseen = (codes >= len(self.classes)) | (self.classes[np.minimum(codes, len(self.classes) - 1)] != y)
            if unseen.any():
                raise ValueError(f"y contains labels not seen in fit: {np.unique(y[unseen])[:5]}")
            self.codes = codes.astype(np.int64)
            self.counts = np.bincount(self.codes, minlength=len(self.classes)).astype(np.int64)
        self.n_samples = len(y)

    def take(self, rows):
        """The description of the rows ``rows`` (indices or a boolean mask), with the same classes."""
        part = object.__new__(TargetDescription)
        part.target_type, part.multilabel, part.classes = self.target_type, self.multilabel, self.classes
        if self.multilabel:
            part.indicator, part.codes = self.indicator[rows], None
            part.counts = part.indicator.sum(axis=0).astype(np.int64)
        else:
            part.indicator, part.codes = None, self.codes[rows]
            part.counts = np.bincount(part.codes, minlength=len(self.classes)).astype(np.int64)
        part.n_samples = len(part.codes if part.codes is not None else part.indicator)
        return part

    def labels(self):
        """The target as given: class labels, or the 0/1 label matrix as int64."""
        return self.indicator.astype(np.int64) if self.multilabel else self.classes[self.codes]

    def output_counts(self):
        """Count behind each network output, and the row count for sigmoid outputs (None for softmax).

        Softmax: rows per class. Sigmoid: positives per output (the second
        class's rows for the single binary output).
        """
        if self.target_type == "multiclass":
            return self.counts, None
        if self.target_type == "binary":
            return self.counts[1:], self.n_samples
        return self.counts, self.n_samples

    def output_prior(self):
        """Training share of each class (softmax) or of the positives of each output (sigmoid), inside (0, 1)."""
        counts, n_samples = self.output_counts()
        counts = counts.astype(float)
        if n_samples is None:
            return counts / counts.sum()
        # A label without positives (or without negatives) gets half a document's share.
        return np.clip(counts / n_samples, 0.5 / n_samples, 1 - 0.5 / n_samples)

    def strata(self):
        """One stratum per row: its class code, or its rarest label for multi-label rows (-1: no label)."""
        if not self.multilabel:
            return self.codes
        rarity = np.where(self.indicator, self.counts, np.iinfo(np.int64).max)
        return np.where(self.indicator.any(axis=1), rarity.argmin(axis=1), -1)


def encode_labels(y, label_names=None):
    """``y`` as an array sklearn accepts, its target type and the names of its classes or labels.

    A list (or pandas Series, or object array) of label lists becomes a 0/1
    indicator matrix; the result is validated by :func:`skltext._target.check_target`.
    """
    listed = not hasattr(y, "shape") and len(y) and all(isinstance(v, (list, tuple, set, frozenset)) for v in y)
    if listed or is_label_lists(y):
        binarizer = MultiLabelBinarizer()
        y, names = binarizer.fit_transform(y), np.asarray(binarizer.classes_, dtype=object)
        if len(names) < 2:
            raise ValueError("A multi-label target needs at least two labels.")
        with warnings.catch_warnings():
            # Label lists say multi-label outright, even where every document has one label.
            warnings.simplefilter("ignore", OneHotTargetWarning)
            return (*check_target(y, name="compare_models"), names)
    y, target_type = check_target(y, name="compare_models")
    if target_type != "multilabel-indicator":
        return y, target_type, np.unique(y)
    names = np.arange(y.shape[1]) if label_names is None else np.asarray(label_names, dtype=object)
    if len(names) != y.shape[1]:
        raise ValueError(f"label_names has {len(names)} names for {y.shape[1]} label columns.")
    return y, target_type, names
