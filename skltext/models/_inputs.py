"""Validation of the token-id matrices that the models take as X."""

import numpy as np
from sklearn.utils.validation import check_array

__all__ = ["check_token_ids"]

_INT32_MAX = np.iinfo(np.int32).max


def _is_text(X):
    values = X.to_numpy() if hasattr(X, "to_numpy") else X
    if isinstance(values, (str, bytes)):
        return True
    if isinstance(values, np.ndarray):
        if values.dtype.kind in "US":
            return True
        return values.dtype == object and values.size > 0 and isinstance(values.flat[0], (str, bytes))
    if isinstance(values, (list, tuple)) and values:
        return isinstance(values[0], (str, bytes))
    return False


def check_token_ids(X, *, name):
    """Validate a matrix of token ids and return it as int32.

    Parameters
    ----------
    X : array-like of shape (n_samples, sequence_length)
        Non-negative integer token ids, e.g. the output of
        :class:`~skltext.TextTokenizer`. Integral floats are accepted.
    name : str
        Estimator name used in error messages.

    Returns
    -------
    X : ndarray of shape (n_samples, sequence_length), dtype int32

    Raises
    ------
    TypeError
        If ``X`` holds raw text or is sparse.
    ValueError
        If ``X`` is not 2-D, is empty, or holds NaN, infinite, non-integer,
        negative or too large values.
    """
    if _is_text(X):
        raise TypeError(
            f"{name} takes token ids (a 2-D integer matrix), not raw text. Put a TextTokenizer "
            f"in front of it: make_pipeline(TextTokenizer(), {name}())."
        )
    X = check_array(X, dtype="numeric", accept_sparse=False, input_name="X", estimator=name)
    if X.dtype.kind == "f" and not np.array_equal(X, np.floor(X)):
        example = X[X != np.floor(X)].flat[0]
        raise ValueError(
            f"X must hold integer token ids, but it contains non-integer values such as {example}. "
            "Feed the model the output of TextTokenizer; samplers that interpolate features "
            "(SMOTE and friends) do not apply to token ids."
        )
    if X.size and X.min() < 0:
        raise ValueError(f"Negative values in data passed to {name}: token ids start at 0 (padding); "
                         f"smallest id found: {X.min()}.")
    if X.size and X.max() > _INT32_MAX:
        raise ValueError(f"X contains token ids above {_INT32_MAX} (largest: {X.max()}).")
    return X.astype(np.int32, copy=False)
