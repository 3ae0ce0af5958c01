"""Scores of the wrapped classifier, in the layout the decision rules take.

Out-of-fold scores come from :func:`skltext._out_of_fold.fit_and_score_folds`
(a clone fitted per training fold, each test fold scored once); the scores of
the fitted estimator from :func:`skltext._out_of_fold.score_matrix`. Binary
targets keep the positive class's column; multi-class columns follow the
classes of ``y``, a class a training fold lacked getting the lowest score.
"""

from numbers import Integral, Real

import numpy as np
from sklearn.model_selection import StratifiedKFold, StratifiedShuffleSplit, check_cv
from sklearn.utils import check_random_state

from .._out_of_fold import align_scores, fit_and_score_folds, pool_folds, score_matrix
from .._iterative_stratification import iterative_stratification
from ..model_selection import MultilabelStratifiedKFold

__all__ = ["estimator_scores", "make_splits", "out_of_fold_scores"]


def _check_columns(columns, method, target_type):
    if target_type == "binary" and columns is not None and len(columns) != 2:
        raise ValueError(f"{method} returned {len(columns)} column(s) for a binary target: the model was "
                         "trained on a single class. Use a stratified cv with fewer folds.")


def _fill_missing(scores, columns, method):
    """Scores with the classes a model did not see (outside ``columns``) below every score it gave."""
    if columns is None or len(columns) == scores.shape[1]:
        return scores
    value = 0.0
    if method != "predict_proba":
        seen = scores[:, columns]
        finite = seen[np.isfinite(seen)]
        value = (finite.min() if finite.size else 0.0) - 1.0
    scores = scores.copy()
    scores[:, np.setdiff1d(np.arange(scores.shape[1]), columns)] = value
    return scores


def _for_rule(scores, target_type, pos_index):
    return scores[:, pos_index] if target_type == "binary" else scores


def estimator_scores(estimator, X, *, method, target_type, classes=None, pos_index=None):
    """Scores of a fitted ``estimator`` on ``X``: (n,) for binary targets, (n, n_outputs) otherwise.

    ``classes`` (binary and multi-class) are the labels the columns follow;
    None keeps the estimator's own columns.
    """
    scores = score_matrix(estimator, X, target_type, response_method=method)
    if classes is not None and target_type != "multilabel-indicator":
        scores, columns = align_scores(scores, getattr(estimator, "classes_", None), np.asarray(classes), target_type,
                                   np.nan)
        _check_columns(columns, method, target_type)
        scores = _fill_missing(scores, columns, method)
    return _for_rule(scores, target_type, pos_index)


def out_of_fold_scores(estimator, X, y, splits, *, method, target_type, classes, pos_index, params, n_jobs):
    """Fit a clone of ``estimator`` per (train, test) split and pool the scores of the test rows.

    Returns
    -------
    indices : ndarray of int
        The test rows, sorted (a row in several test folds appears once per fold).
    scores : ndarray of shape (len(indices),) or (len(indices), n_outputs)
        Their scores, as :func:`estimator_scores` gives them.
    estimators : list of estimators
        The fitted clones, one per split.
    """
    folds = fit_and_score_folds(estimator, X, y, cv=splits, target_type=target_type, classes=classes,
                                params=params, response_method=method, n_jobs=n_jobs)
    for fold in folds:
        _check_columns(fold.columns, method, target_type)
    folds = [fold._replace(scores=_fill_missing(fold.scores, fold.columns, method)) for fold in folds]
    indices, scores, _ = pool_folds(folds)
    return indices, _for_rule(scores, target_type, pos_index), [fold.estimator for fold in folds]


def make_splits(cv, X, y, Y, target_type, *, split_params, random_state):
    """The (train, test) index pairs of the ``cv`` parameter (any value but 'prefit').

    An int means stratified folds (of the labels' matrix ``Y`` for
    multi-label targets), a float one stratified hold-out drawn with
    ``random_state``; splitters and iterables are used as given, with
    ``split_params`` (``groups``) passed to their ``split``.
    """
    if isinstance(cv, Real) and not isinstance(cv, Integral):
        if target_type == "multilabel-indicator":
            seed = check_random_state(random_state).randint(np.iinfo(np.int32).max)
            parts = iterative_stratification(Y, [1 - cv, cv], np.random.default_rng(seed))
            return [(np.flatnonzero(parts == 0), np.flatnonzero(parts == 1))]
        cv = StratifiedShuffleSplit(n_splits=1, test_size=cv, random_state=random_state)
    elif cv is None or isinstance(cv, Integral):
        n_splits = 5 if cv is None else cv
        cv = MultilabelStratifiedKFold(n_splits) if target_type == "multilabel-indicator" else StratifiedKFold(n_splits)
    else:
        cv = check_cv(cv, y, classifier=True)
    return [(np.asarray(train), np.asarray(test)) for train, test in cv.split(X, y, **split_params)]
