"""NumPy scalars as hyperparameters.

A search over ``np.arange(4, 9, 4)`` hands an estimator ``np.int64`` values.
scikit-learn's parameter validation accepts them (``np.int64`` is an
``Integral``), but Keras layers refuse them ("output_dim must be a positive
integer ... of type int64"). The estimators store their parameters untouched;
these helpers turn NumPy scalars into Python ones where values reach Keras.
"""

import functools

import numpy as np

__all__ = ["python_scalars", "accepts_numpy_scalars"]


def python_scalars(value):
    """``value`` with NumPy scalars, also inside lists, tuples and dicts, as Python int, float or bool.

    Arrays and other objects are returned unchanged.

    Examples
    --------
    >>> from skltext.models._scalars import python_scalars
    >>> python_scalars((np.int64(2), np.float32(0.5), np.bool_(True)))
    (2, 0.5, True)
    """
    if isinstance(value, np.generic):
        return value.item()
    if type(value) in (list, tuple):  # not subclasses such as named tuples
        return type(value)(python_scalars(item) for item in value)
    if type(value) is dict:
        return {key: python_scalars(item) for key, item in value.items()}
    return value


def accepts_numpy_scalars(function):
    """Decorate a network builder so that NumPy scalar arguments reach it as Python scalars."""

    @functools.wraps(function)
    def call(*args, **kwargs):
        return function(*map(python_scalars, args), **{key: python_scalars(v) for key, v in kwargs.items()})

    return call
