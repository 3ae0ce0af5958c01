"""Multi-label targets given as one collection of labels per sample.

``[["sports", "news"], ["news"], []]`` is how multi-label data is usually
stored, but scikit-learn reads a multi-label target only as a 0/1 indicator
matrix; NumPy turns the ragged lists into an "inhomogeneous shape" error or
an object array. The estimators refuse this form with the conversion to use;
:func:`skltext.compare.compare_models` converts it itself.
"""

import numpy as np

__all__ = ["is_label_lists", "check_not_label_lists"]

_COLLECTIONS = (list, tuple, set, frozenset, np.ndarray)


def _rows(y):
    """The samples of a 1-D ``y`` (list, tuple, pandas Series, 1-D object array), else None."""
    if hasattr(y, "to_numpy") and getattr(y, "ndim", None) == 1:
        y = y.to_numpy()
    if isinstance(y, np.ndarray):
        return y if y.ndim == 1 and y.dtype == object else None
    return y if isinstance(y, (list, tuple)) else None


def is_label_lists(y):
    """Whether ``y`` holds a collection of labels per sample rather than a label or an indicator row.

    Equal-length rows of numbers are left alone: they may be the rows of a 0/1
    indicator matrix. Rows of different lengths, sets, empty rows, rows of
    strings and a mix of labels and collections are label lists.
    """
    rows = _rows(y)
    if rows is None or len(rows) == 0:
        return False
    is_collection = [isinstance(row, _COLLECTIONS) for row in rows]
    if not any(is_collection):
        return False
    if not all(is_collection):
        return True
    lengths = {len(row) for row in rows}
    if len(lengths) > 1 or 0 in lengths or any(isinstance(row, (set, frozenset)) for row in rows):
        return True
    first = next(iter(rows[0]))
    return isinstance(first, (str, bytes))


def check_not_label_lists(y, *, name):
    """Raise a ValueError naming :class:`~sklearn.preprocessing.MultiLabelBinarizer` if ``y`` is label lists.

    Parameters
    ----------
    y : object
        The target given to ``fit``.
    name : str
        Estimator name used in the message.
    """
    if is_label_lists(y):
        raise ValueError(
            f"{name} got y as a collection of labels per sample (such as [['news', 'sport'], ['news']]); "
            "a multi-label target must be a 0/1 indicator matrix. Convert it with "
            "sklearn.preprocessing.MultiLabelBinarizer: Y = MultiLabelBinarizer().fit_transform(y) "
            "(keep the binarizer: its classes_ name the columns)."
        )
