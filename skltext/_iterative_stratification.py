"""Iterative stratification of multi-label rows into parts of given sizes.

Sechidis, Tsoumakas & Vlahavas (2011), "On the stratification of multi-label
data": take the label with the fewest unassigned rows, give each of those rows
to the part that most lacks that label (then the part that most lacks rows),
and repeat. :class:`~skltext.model_selection.MultilabelStratifiedKFold`, the
early-stopping hold-out and ThresholdOptimizer's inner splits use it.
"""

import numpy as np
import scipy.sparse as sp
from sklearn.utils.multiclass import type_of_target

__all__ = ["as_indicator", "iterative_stratification"]


def as_indicator(y, name):
    """Return ``y`` as a boolean CSR matrix of shape (n_samples, n_labels).

    A 1-D target (or a single column) becomes a one-hot matrix of its classes,
    so that stratifying it is stratifying by class.
    """
    if y is None:
        raise ValueError(f"{name} requires y to be passed, but the target y is None.")
    if not sp.issparse(y):
        y = np.asarray(y)
        if y.ndim == 2 and y.shape[1] == 1:
            y = y[:, 0]
    target_type = type_of_target(y, input_name="y")
    if target_type in ("binary", "multiclass") and not sp.issparse(y) and np.ndim(y) == 1:
        _, codes = np.unique(y, return_inverse=True)
        n = len(codes)
        return sp.csr_matrix((np.ones(n, dtype=bool), (np.arange(n), codes.ravel())),
                             shape=(n, int(codes.max(initial=-1)) + 1))
    if target_type == "multilabel-indicator" or (
        target_type in ("binary", "multiclass") and sp.issparse(y)
    ):
        return sp.csr_matrix(y != 0) if sp.issparse(y) else sp.csr_matrix(np.asarray(y) != 0)
    raise ValueError(
        f"{name} stratifies class labels or a 0/1 multi-label indicator matrix; "
        f"got a {target_type!r} target."
    )


def _best_fold(label_need, row_need, noise):
    """Index of the fold that most lacks the label, then most lacks rows, then by ``noise``."""
    best = 0
    best_key = (label_need[0], row_need[0], noise[0] if noise is not None else 0)
    for j in range(1, len(label_need)):
        key = (label_need[j], row_need[j], noise[j] if noise is not None else -j)
        if key > best_key:
            best, best_key = j, key
    return best


def iterative_stratification(y, proportions, rng=None):
    """Assign every row of a multi-label target to a part, stratifying each label.

    Implements Algorithm 1 of Sechidis, Tsoumakas & Vlahavas (2011). Each part
    ``j`` wants ``proportions[j]`` of the rows and of the positives of every
    label. Repeatedly, the label with the fewest unassigned positive rows is
    taken (its rows are the hardest to spread), and each of its rows goes to
    the part that lacks most positives of that label; ties go to the part
    that lacks most rows, then are broken at random (``rng``) or towards the
    lowest part index (``rng=None``). Rows without any label are given last,
    one by one, to the part that lacks most rows.

    The work is one short Python loop per row plus one sparse product per
    label, so 30,000 rows and 200 labels take a fraction of a second.

    Parameters
    ----------
    y : {array-like, sparse matrix} of shape (n_samples, n_labels)
        0/1 (or boolean) indicator matrix; a 1-D array of class labels is
        stratified by class.
    proportions : sequence of float
        Desired share of rows of each part, non-negative and summing to 1:
        ``[0.9, 0.1]`` for a hold-out, ``[1 / k] * k`` for k folds.
    rng : numpy.random.Generator or None, default=None
        Source of randomness: it shuffles the order in which rows are
        assigned and breaks ties. None assigns rows in index order and breaks
        ties deterministically.

    Returns
    -------
    parts : ndarray of shape (n_samples,) of int
        The part of each row, in ``range(len(proportions))``.

    Examples
    --------
    >>> import numpy as np
    >>> from skltext._iterative_stratification import iterative_stratification
    >>> y = np.array([[1, 0], [1, 0], [1, 1], [0, 1], [0, 1], [0, 0]])
    >>> iterative_stratification(y, [0.5, 0.5])
    array([0, 1, 0, 1, 0, 1])
    """
    Y = as_indicator(y, "iterative_stratification")
    proportions = np.asarray(proportions, dtype=float)
    if proportions.ndim != 1 or len(proportions) < 1 or (proportions < 0).any() or not np.isclose(
        proportions.sum(), 1.0
    ):
        raise ValueError(f"proportions must be non-negative and sum to 1; got {proportions.tolist()}.")
    n_samples, n_labels = Y.shape
    n_parts = len(proportions)
    parts = np.full(n_samples, -1, dtype=np.int64)
    row_need = [float(v) for v in n_samples * proportions]
    label_totals = np.asarray(Y.sum(axis=0)).ravel().astype(np.int64)
    label_need = np.outer(proportions, label_totals)  # (n_parts, n_labels)
    remaining = label_totals.copy()
    columns = Y.tocsc()
    columns.sort_indices()

    while True:
        active = np.flatnonzero(remaining > 0)
        if not active.size:
            break
        fewest = active[remaining[active] == remaining[active].min()]
        label = fewest[0] if rng is None else fewest[rng.integers(len(fewest))]
        rows = columns.indices[columns.indptr[label]:columns.indptr[label + 1]]
        rows = rows[parts[rows] < 0]
        if rng is not None:
            rows = rng.permutation(rows)
        noise = rng.random((len(rows), n_parts)) if rng is not None else None
        need = label_need[:, label].tolist()
        chosen = np.empty(len(rows), dtype=np.int64)
        for i in range(len(rows)):
            j = _best_fold(need, row_need, None if noise is None else noise[i])
            chosen[i] = j
            need[j] -= 1
            row_need[j] -= 1
        parts[rows] = chosen
        # Every label of the rows just placed is now less needed by their parts.
        assigned = Y[rows]
        placement = sp.csr_matrix((np.ones(len(rows)), (chosen, np.arange(len(rows)))),
                                  shape=(n_parts, len(rows)))
        label_need -= (placement @ assigned).toarray()
        remaining -= np.asarray(assigned.sum(axis=0)).ravel().astype(np.int64)

    unlabelled = np.flatnonzero(parts < 0)
    if rng is not None:
        unlabelled = rng.permutation(unlabelled)
    noise = rng.random((len(unlabelled), n_parts)) if rng is not None else None
    zeros = [0.0] * n_parts
    for i, row in enumerate(unlabelled):
        j = _best_fold(row_need, zeros, None if noise is None else noise[i])
        parts[row] = j
        row_need[j] -= 1
    return parts
