"""Out-of-fold scores: fit a clone per split with ``cross_validate`` and score each test fold once.

:func:`score_matrix` turns a classifier's ``predict_proba`` or
``decision_function`` into one column per class (per label), and
:func:`fit_and_score_folds` fits a clone of an estimator on each training
fold (through :func:`sklearn.model_selection.cross_validate`, so fit
parameters are sliced, ``n_jobs`` parallelises the fits and errors surface as
scikit-learn reports them), then scores every test fold once, its columns
aligned with the full list of classes. :func:`pool_folds` stacks the folds
in row order. :func:`skltext.compare.compare_models` and
:class:`skltext.ThresholdOptimizer` collect their out-of-fold results here.
"""

import time
from typing import NamedTuple

import numpy as np
import scipy.sparse as sp
from sklearn.model_selection import cross_validate
from sklearn.utils import _safe_indexing

__all__ = ["FoldResult", "align_scores", "fit_and_score_folds", "pool_folds", "resolve_response_method", "score_matrix"]

_RESPONSE_METHODS = ("auto", "predict_proba", "decision_function")


def resolve_response_method(estimator, response_method):
    if response_method not in _RESPONSE_METHODS:
        raise ValueError(f"response_method must be one of {', '.join(map(repr, _RESPONSE_METHODS))}, got "
                         f"{response_method!r}.")
    methods = ("predict_proba", "decision_function") if response_method == "auto" else (response_method,)
    for method in methods:
        if hasattr(estimator, method):
            return method
    raise ValueError(f"{type(estimator).__name__} has no {' or '.join(methods)} method, so it gives no scores.")


def _stack_label_outputs(outputs, fitted_classes):
    """One column per label from a list of per-label outputs (e.g. a random forest's ``predict_proba``)."""
    columns = []
    for j, part in enumerate(outputs):
        part = np.asarray(part, dtype=float)
        if part.ndim == 1:
            columns.append(part)
        elif part.shape[1] >= 2:
            columns.append(part[:, -1])
        else:  # the label had a single value in training: certain of it
            only = fitted_classes[j][0] if fitted_classes is not None else 0
            columns.append(np.full(part.shape[0], float(only == 1)))
    return np.column_stack(columns)


def score_matrix(estimator, X, target_type, *, response_method="auto"):
    """Per-class (per-label) scores of a fitted classifier, one column per ``estimator.classes_``.

    Parameters
    ----------
    estimator : fitted classifier
        Has ``predict_proba`` or ``decision_function``.
    X : array-like of shape (n_samples, ...)
        Input accepted by ``estimator``, e.g. a list of documents.
    target_type : {'binary', 'multiclass', 'multilabel-indicator'}
        The target the estimator was fitted on, as returned by
        :func:`sklearn.utils.multiclass.type_of_target`.
    response_method : {'auto', 'predict_proba', 'decision_function'}, default='auto'
        The scoring method; ``'auto'`` means ``predict_proba`` when the
        estimator has it, else ``decision_function``.

    Returns
    -------
    scores : ndarray of shape (n_samples, n_columns)
        Float scores. A 1-D decision function (positive values favour
        ``classes_[1]``) of a binary or multi-class target is widened to
        the two columns ``[-d, d]``: that also happens on a multi-class
        target whose training fold held only two classes. Multi-label
        outputs given as a list of per-label arrays are stacked (the
        positive column of each), and a sparse output is made dense.

    Examples
    --------
    >>> from sklearn.svm import LinearSVC
    >>> from skltext._out_of_fold import score_matrix
    >>> model = LinearSVC().fit([[0.0], [1.0], [2.0], [3.0]], ["a", "a", "b", "b"])
    >>> score_matrix(model, [[0.0], [3.0]], "binary").shape
    (2, 2)
    """
    method = resolve_response_method(estimator, response_method)
    raw = getattr(estimator, method)(X)
    if target_type == "multilabel-indicator" and isinstance(raw, list):
        raw = _stack_label_outputs(raw, getattr(estimator, "classes_", None))
    scores = np.asarray(raw.toarray() if sp.issparse(raw) else raw, dtype=float)
    if scores.ndim == 1 and target_type != "multilabel-indicator":
        # One score for the second class: the estimator saw two classes in fit.
        scores = np.column_stack([-scores, scores])
    return scores


class FoldResult(NamedTuple):
    """One split of :func:`fit_and_score_folds`.

    Attributes
    ----------
    estimator : estimator
        The clone fitted on ``train``.
    train, test : ndarray of int
        Row indices of the training and the test fold.
    fit_time : float
        Seconds the fit took.
    scores : ndarray of shape (len(test), n_classes)
        :func:`score_matrix` of the test fold, columns aligned with
        ``classes`` (``fill_value`` in the columns of classes the training
        fold lacked).
    columns : ndarray of int or None
        The columns of ``scores`` that the fitted estimator scored (the
        positions of its ``classes_`` in ``classes``); None for multi-label
        targets, whose every column is scored.
    predictions : ndarray or None
        ``estimator.predict`` of the test fold, with ``predict=True``.
    predict_time : float
        Seconds the test fold's scoring (and prediction) took.
    """

    estimator: object
    train: np.ndarray
    test: np.ndarray
    fit_time: float
    scores: np.ndarray
    columns: np.ndarray | None
    predictions: np.ndarray | None
    predict_time: float


class _FitDone:
    """A no-op scorer that reports each finished fit, the hook ``cross_validate`` offers per fold.

    It runs where the fit ran. A copy sent to a worker process (``n_jobs``)
    leaves the callback behind: it may hold what does not pickle (a progress
    bar), and its calls there would never reach the caller anyway.
    """

    def __init__(self, on_fit):
        self.on_fit = on_fit

    def __getstate__(self):
        return {"on_fit": None}

    def __call__(self, estimator, X, y):
        if self.on_fit is not None:
            self.on_fit(estimator)
        return 0.0


def align_scores(scores, fitted_classes, classes, target_type, fill_value):
    """``scores`` with one column per ``classes``; the positions of ``fitted_classes`` in it."""
    if target_type == "multilabel-indicator" or fitted_classes is None:
        return scores, None
    fitted_classes = np.asarray(fitted_classes)
    columns = np.searchsorted(classes, fitted_classes)
    if (columns >= len(classes)).any() or (classes[np.minimum(columns, len(classes) - 1)] != fitted_classes).any():
        raise ValueError(f"The estimator's classes_ {fitted_classes.tolist()} are not all in classes "
                         f"{classes.tolist()}.")
    aligned = np.full((scores.shape[0], len(classes)), fill_value, dtype=float)
    aligned[:, columns] = scores
    return aligned, columns


def fit_and_score_folds(estimator, X, y, *, cv, target_type, classes=None, groups=None, params=None,
                        response_method="auto", predict=False, fill_value=np.nan, n_jobs=None, on_fit=None):
    """Fit a clone of ``estimator`` per split and score each test fold once.

    The fits run in :func:`sklearn.model_selection.cross_validate`
    (``return_estimator=True, return_indices=True``); each fitted clone then
    scores its test fold with :func:`score_matrix` (and, with
    ``predict=True``, predicts it) in the calling process, one call per fold.

    Parameters
    ----------
    estimator : classifier
        Unfitted; cloned for every split.
    X : array-like of shape (n_samples, ...)
        Input accepted by ``estimator``, e.g. a 1-D object array of documents.
    y : array-like of shape (n_samples,) or (n_samples, n_labels)
        Class labels, or a 0/1 multi-label indicator matrix.
    cv : int, cross-validation splitter or iterable of (train, test) index arrays
        The splits, as ``cross_validate`` takes them.
    target_type : {'binary', 'multiclass', 'multilabel-indicator'}
        The target type of ``y``.
    classes : array-like of shape (n_classes,), default=None
        Sorted class labels the score columns are aligned with (a training
        fold may lack a class); None means ``np.unique(y)``. Ignored for
        multi-label targets, whose columns are the labels.
    groups : array-like of shape (n_samples,), default=None
        Passed to the ``split`` of a group-aware ``cv``. To pass groups to
        ``estimator.fit`` too, put them in ``params``.
    params : dict, default=None
        Passed to ``estimator.fit``; per-sample arrays (length
        ``n_samples``) are sliced to each training fold.
    response_method : {'auto', 'predict_proba', 'decision_function'}, default='auto'
        See :func:`score_matrix`.
    predict : bool, default=False
        Also keep ``estimator.predict`` of each test fold.
    fill_value : float, default=np.nan
        Score of the classes a training fold lacked.
    n_jobs : int, default=None
        Fits run in parallel (``cross_validate``'s ``n_jobs``); None runs
        them one after another in this process.
    on_fit : callable, default=None
        Called with each fitted clone as soon as its fit ends (before the
        scoring), e.g. to advance a progress bar. Fits in worker processes
        (``n_jobs``) do not call it.

    Returns
    -------
    folds : list of :class:`FoldResult`
        One per split, in the order of the splits.

    Raises
    ------
    Exception
        Whatever a fit raises (``error_score='raise'``); a
        ``KeyboardInterrupt`` stops at once.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skltext._out_of_fold import fit_and_score_folds, pool_folds
    >>> X, y = np.arange(12.0).reshape(-1, 1), np.array([0, 1, 2] * 4)
    >>> folds = fit_and_score_folds(LogisticRegression(), X, y, cv=2, target_type="multiclass")
    >>> [fold.scores.shape for fold in folds]
    [(6, 3), (6, 3)]
    >>> indices, scores, _ = pool_folds(folds)
    >>> indices.tolist() == list(range(12)), scores.shape
    (True, (12, 3))
    """
    multilabel = target_type == "multilabel-indicator"
    if not multilabel:
        classes = np.unique(y) if classes is None else np.asarray(classes)
    fitted = cross_validate(estimator, X, y, groups=groups, cv=cv, n_jobs=n_jobs, params=params,
                            scoring={"fit_done": _FitDone(on_fit)}, return_estimator=True, return_indices=True,
                            error_score="raise")
    folds = []
    for model, train, test, fit_time in zip(fitted["estimator"], fitted["indices"]["train"],
                                            fitted["indices"]["test"], fitted["fit_time"]):
        X_test = _safe_indexing(X, test)
        start = time.perf_counter()
        predictions = np.asarray(model.predict(X_test)) if predict else None
        scores = score_matrix(model, X_test, target_type, response_method=response_method)
        predict_time = time.perf_counter() - start
        scores, columns = align_scores(scores, None if multilabel else getattr(model, "classes_", None), classes,
                                   target_type, fill_value)
        folds.append(FoldResult(model, np.asarray(train), np.asarray(test), float(fit_time), scores, columns,
                                predictions, predict_time))
    return folds


def pool_folds(folds):
    """The test rows of all folds stacked in row order, as ``cross_val_predict`` pools them.

    Parameters
    ----------
    folds : list of :class:`FoldResult`
        What :func:`fit_and_score_folds` returned.

    Returns
    -------
    indices : ndarray of int
        The test rows, sorted (a row in several test folds appears once per fold).
    scores : ndarray of shape (len(indices), n_classes)
        Their scores.
    predictions : ndarray or None
        Their predictions, when the folds kept them.
    """
    indices = np.concatenate([fold.test for fold in folds])
    order = np.argsort(indices, kind="stable")
    scores = np.concatenate([fold.scores for fold in folds])[order]
    predictions = None
    if all(fold.predictions is not None for fold in folds):
        predictions = np.concatenate([fold.predictions for fold in folds])[order]
    return indices[order], scores, predictions
