"""Stratified splitting of multi-label data, and groups of near-duplicate documents.

scikit-learn's ``StratifiedKFold`` stratifies one class per row; a multi-label
indicator matrix has none, so cross-validation falls back to ``KFold`` and rare
labels can be missing from whole test folds. Iterative stratification
(Sechidis, Tsoumakas & Vlahavas, 2011, "On the stratification of multi-label
data") spreads the positives of every label over the folds instead: it takes
the label with the fewest unassigned rows, gives each of those rows to the
fold that most lacks that label (then the fold that most lacks rows), and
repeats.

Near-duplicate documents on both sides of a split inflate cross-validated
scores; :func:`near_duplicate_groups` finds them (see
:mod:`skltext._near_duplicates`) so that group-aware splitters keep each group
in one fold, and :func:`near_duplicate_leakage` measures how many test
documents had a near-duplicate in training.
"""

import numbers

import numpy as np
from sklearn.model_selection import BaseCrossValidator
from sklearn.utils import _safe_indexing, check_random_state, indexable

from ._iterative_stratification import as_indicator, iterative_stratification
from ._near_duplicates import (
    GroupSummary,
    Leakage,
    lsh_bands,
    near_duplicate_groups,
    near_duplicate_leakage,
    near_duplicate_summary,
)

__all__ = ["MultilabelStratifiedKFold", "multilabel_train_test_split", "near_duplicate_groups",
           "near_duplicate_leakage", "near_duplicate_summary", "lsh_bands", "GroupSummary", "Leakage"]


def _n_rows(data):
    """Rows of an array, sparse matrix, DataFrame or list."""
    return data.shape[0] if hasattr(data, "shape") else len(data)


class MultilabelStratifiedKFold(BaseCrossValidator):
    """K-fold cross-validation that stratifies every label of a multi-label target.

    Folds are made by iterative stratification (Sechidis, Tsoumakas &
    Vlahavas, 2011): each fold receives about ``1 / n_splits`` of the positive
    rows of every label, rare labels first, and about ``1 / n_splits`` of all
    rows. Use it where scikit-learn would fall back to plain ``KFold`` for an
    indicator matrix (e.g. from ``MultiLabelBinarizer``). A 1-D ``y`` is
    stratified by class, like ``StratifiedKFold``.

    A label with fewer positive rows than ``n_splits`` cannot appear in every
    test fold; its rows still go to different folds. No warning is given, as
    rare labels are the rule in multi-label data.

    Parameters
    ----------
    n_splits : int, default=5
        Number of folds, at least 2.
    shuffle : bool, default=False
        Shuffle the order in which rows are assigned and break ties at random.
        Without shuffling, the folds depend only on ``y`` and ties go to the
        lowest fold.
    random_state : int, RandomState instance or None, default=None
        Seed used when ``shuffle=True``; must be None otherwise.

    See Also
    --------
    multilabel_train_test_split : One stratified hold-out split.
    sklearn.model_selection.StratifiedKFold : Stratification of single-label targets.

    Examples
    --------
    >>> import numpy as np
    >>> from skltext.model_selection import MultilabelStratifiedKFold
    >>> y = np.array([[1, 0, 0], [1, 1, 0], [0, 1, 0], [0, 1, 1],
    ...               [1, 0, 1], [0, 0, 1], [1, 1, 1], [0, 0, 0]])
    >>> cv = MultilabelStratifiedKFold(n_splits=2)
    >>> for train, test in cv.split(np.zeros((8, 1)), y):
    ...     print(test, y[test].sum(axis=0))
    [0 2 3 4] [2 2 2]
    [1 5 6 7] [2 2 2]
    """

    def __init__(self, n_splits=5, *, shuffle=False, random_state=None):
        # Checked here, as scikit-learn's own KFold splitters check them.
        if not isinstance(n_splits, numbers.Integral) or isinstance(n_splits, bool) or n_splits <= 1:
            raise ValueError("k-fold cross-validation requires at least one train/test split by setting "
                             f"n_splits=2 or more, got n_splits={n_splits!r}.")
        if not isinstance(shuffle, bool):
            raise TypeError(f"shuffle must be True or False; got {shuffle!r}.")
        if not shuffle and random_state is not None:
            raise ValueError("Setting a random_state has no effect since shuffle is False. Leave "
                             "random_state to its default (None), or set shuffle=True.")
        self.n_splits = int(n_splits)
        self.shuffle = shuffle
        self.random_state = random_state

    def get_n_splits(self, X=None, y=None, groups=None):
        """Return the number of splitting iterations, ``n_splits``.

        Parameters
        ----------
        X, y, groups : object
            Ignored; present for API compatibility.

        Returns
        -------
        n_splits : int
        """
        return self.n_splits

    def _rng(self):
        if not self.shuffle:
            return None
        seed = check_random_state(self.random_state).randint(np.iinfo(np.int32).max)
        return np.random.default_rng(seed)

    def _iter_test_masks(self, X, y=None, groups=None):
        parts = iterative_stratification(y, [1.0 / self.n_splits] * self.n_splits, self._rng())
        for fold in range(self.n_splits):
            yield parts == fold

    def split(self, X, y, groups=None):
        """Generate indices to split data into training and test set.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data; only its length is used, so a list of strings works.
        y : {array-like, sparse matrix} of shape (n_samples, n_labels) or (n_samples,)
            0/1 multi-label indicator matrix, or class labels.
        groups : object
            Ignored; present for API compatibility.

        Yields
        ------
        train : ndarray
            The training set indices for that split.
        test : ndarray
            The testing set indices for that split.
        """
        as_indicator(y, type(self).__name__)  # a clear error before any index is made
        X, y, groups = indexable(X, y, groups)
        if self.n_splits > _n_rows(X):
            raise ValueError(f"Cannot have number of splits n_splits={self.n_splits} greater than the "
                             f"number of samples: n_samples={_n_rows(X)}.")
        return super().split(X, y, groups)


def multilabel_train_test_split(*arrays, stratify, test_size=0.25, random_state=None):
    """Split arrays into a training and a test part, stratifying every label.

    The multi-label counterpart of ``train_test_split(..., stratify=y)``: the
    test part receives about ``test_size`` of the rows and of the positives
    of every label of ``stratify``, by iterative stratification.

    Parameters
    ----------
    *arrays : sequence of indexables of the same length
        Lists, arrays, sparse matrices or pandas objects.
    stratify : {array-like, sparse matrix} of shape (n_samples, n_labels) or (n_samples,)
        0/1 multi-label indicator matrix (or class labels) to stratify on;
        usually the target, passed again here.
    test_size : float or int, default=0.25
        Share of rows in the test part, in (0, 1), or their number.
    random_state : int, RandomState instance or None, default=None
        Seed for the order of assignment and the tie-breaking.

    Returns
    -------
    splitting : list of length 2 * len(arrays)
        ``[a_train, a_test, b_train, b_test, ...]``.

    See Also
    --------
    MultilabelStratifiedKFold : Stratified k-fold cross-validation.

    Examples
    --------
    >>> import numpy as np
    >>> from skltext.model_selection import multilabel_train_test_split
    >>> texts = [f"document {i}" for i in range(8)]
    >>> y = np.array([[1, 0], [1, 0], [1, 1], [0, 1], [0, 1], [1, 1], [0, 0], [0, 0]])
    >>> texts_train, texts_test, y_train, y_test = multilabel_train_test_split(
    ...     texts, y, stratify=y, test_size=0.5, random_state=0)
    >>> texts_test
    ['document 0', 'document 1', 'document 3', 'document 4']
    >>> y_train.sum(axis=0), y_test.sum(axis=0)
    (array([2, 2]), array([2, 2]))
    """
    if not arrays:
        raise ValueError("At least one array required as input.")
    arrays = indexable(*arrays)
    n_samples = _n_rows(arrays[0])
    if _n_rows(stratify) != n_samples:
        raise ValueError(f"stratify has {_n_rows(stratify)} rows but the arrays have {n_samples}.")
    if isinstance(test_size, numbers.Integral) and not isinstance(test_size, bool):
        if not 1 <= test_size < n_samples:
            raise ValueError(f"test_size={test_size} should be between 1 and n_samples - 1 = {n_samples - 1}.")
        share = test_size / n_samples
    elif isinstance(test_size, numbers.Real) and 0 < test_size < 1:
        share = float(test_size)
    else:
        raise ValueError(f"test_size must be a float in (0, 1) or an int in [1, n_samples); got {test_size!r}.")
    seed = check_random_state(random_state).randint(np.iinfo(np.int32).max)
    parts = iterative_stratification(stratify, [1.0 - share, share], np.random.default_rng(seed))
    train, test = np.flatnonzero(parts == 0), np.flatnonzero(parts == 1)
    if not len(train) or not len(test):
        raise ValueError(f"test_size={test_size} leaves an empty training or test part for {n_samples} rows.")
    return [part for array in arrays for part in (_safe_indexing(array, train), _safe_indexing(array, test))]
