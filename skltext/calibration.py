"""Probabilities for classifiers that only have a decision function, by temperature scaling."""

import warnings
from numbers import Integral

import numpy as np
from scipy.optimize import minimize_scalar
from scipy.special import log_softmax, softmax
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC
from sklearn.utils import indexable
from sklearn.utils._param_validation import HasMethods, Interval
from sklearn.utils.validation import check_is_fitted
from sklearn_compat.base import _fit_context

from ._out_of_fold import fit_and_score_folds, pool_folds, score_matrix
from ._target import check_target

__all__ = ["TemperatureCalibratedClassifier"]

# Temperatures searched, as log10: wide enough for decision functions of any scale.
_LOG10_TEMPERATURE_BOUNDS = (-4.0, 4.0)


class TemperatureCalibratedClassifier(MetaEstimatorMixin, ClassifierMixin, BaseEstimator):
    """A classifier's decision function turned into probabilities by a softmax with one temperature.

    The temperature ``T`` is fitted on out-of-fold decision values (the
    classifier refitted on ``cv`` stratified folds) to minimise the log loss
    of ``softmax(decision_function(X) / T)``; the returned model is the
    classifier fitted on all the documents. One parameter for all classes
    (Guo et al., "On calibration of modern neural networks", ICML 2017),
    so a class with one or two documents does not stop the calibration, as
    it stops ``sklearn.calibration.CalibratedClassifierCV`` (which needs at
    least ``cv`` documents of every class). Dividing by ``T`` keeps the
    order of the scores, so ``predict`` is the classifier's own.

    The default, a ``LinearSVC`` on TF-IDF features, is the strongest
    linear text classifier without probabilities; with them it can vote in a
    :class:`~skltext.DeepLinearClassifier`.

    Parameters
    ----------
    estimator : estimator, default=None
        A binary or multi-class classifier with ``decision_function``
        (a pipeline of a vectorizer and a linear model, for documents).
        None takes ``LinearSVC(random_state=random_state)``.
    cv : int >= 2, default=3
        Stratified folds whose out-of-fold decision values fit the
        temperature. A class with fewer documents than folds is missing
        from some training folds; the documents of a class their fold's
        model did not see are left out of the fit, and so is a fold whose
        training part holds one class only.
    random_state : int or None, default=None
        Seed of the fold shuffling and of the default ``LinearSVC``.

    Attributes
    ----------
    estimator_ : estimator
        The classifier fitted on all the training data.
    temperature_ : float
        The fitted temperature (scores are divided by it).
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    n_calibration_samples_ : int
        Out-of-fold rows the temperature was fitted on.
    n_features_in_ : int
        Number of features of ``X``, where the classifier records it (not
        for documents).

    See Also
    --------
    sklearn.calibration.CalibratedClassifierCV : Sigmoid, isotonic or
        temperature calibration with an ensemble of per-fold models.

    Examples
    --------
    >>> from sklearn.feature_extraction.text import TfidfVectorizer
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.svm import LinearSVC
    >>> from skltext.calibration import TemperatureCalibratedClassifier
    >>> texts = ["good movie", "great film", "bad movie", "awful film"] * 10
    >>> labels = ["pos", "pos", "neg", "neg"] * 10
    >>> svm = make_pipeline(TfidfVectorizer(), LinearSVC(random_state=0))
    >>> model = TemperatureCalibratedClassifier(svm, random_state=0).fit(texts, labels)
    >>> model.predict_proba(["good film"]).round(2).tolist()[0][1] > 0.5
    True
    """

    _parameter_constraints = {
        "estimator": [HasMethods(["fit", "decision_function"]), None],
        "cv": [Interval(Integral, 2, None, closed="left")],
        "random_state": ["random_state"],
    }

    def __init__(self, estimator=None, *, cv=3, random_state=None):
        self.estimator = estimator
        self.cv = cv
        self.random_state = random_state

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y):
        """Fit the temperature on out-of-fold decision values, then the classifier on everything.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
            Input the classifier takes, e.g. a list of documents.
        y : array-like of shape (n_samples,)
            Class labels (binary or multi-class).

        Returns
        -------
        self : TemperatureCalibratedClassifier
        """
        y, target_type = check_target(y, name=type(self).__name__, expected=("binary", "multiclass"))
        estimator = self.estimator if self.estimator is not None else LinearSVC(random_state=self.random_state)
        X, y = indexable(X, y)
        self.classes_, counts = np.unique(y, return_counts=True)
        largest = counts.max()
        if largest < self.cv:
            # Then every training fold would lack some class: nothing to calibrate on.
            raise ValueError(f"{type(self).__name__} with cv={self.cv} needs at least {self.cv} documents of "
                             f"one class; the most common class has {largest}.")
        splitter = StratifiedKFold(self.cv, shuffle=True, random_state=self.random_state)
        with warnings.catch_warnings():
            # Rare classes are expected here: they are what this calibration tolerates.
            warnings.filterwarnings("ignore", message="The least populated class", category=UserWarning)
            splits = list(splitter.split(np.zeros(len(y)), y))
        # A training fold of one class (a class of one document, out in its test fold) fits no classifier.
        splits = [(train, test) for train, test in splits if len(np.unique(y[train])) > 1]
        folds = fit_and_score_folds(estimator, X, y, cv=splits, target_type=target_type, classes=self.classes_,
                                    response_method="decision_function", fill_value=-np.inf)
        rows, scores, _ = pool_folds(folds)
        truth = np.searchsorted(self.classes_, y[rows])
        # With ``largest >= cv`` every kept fold's model saw the largest class, so some rows remain.
        seen = np.isfinite(scores[np.arange(len(rows)), truth])
        self.temperature_ = _fit_temperature(scores[seen], truth[seen])
        self.n_calibration_samples_ = int(seen.sum())
        self.estimator_ = clone(estimator).fit(X, y)
        if hasattr(self.estimator_, "n_features_in_"):
            self.n_features_in_ = self.estimator_.n_features_in_
        return self

    def decision_function(self, X):
        """The classifier's decision function.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)

        Returns
        -------
        scores : ndarray of shape (n_samples,) or (n_samples, n_classes)
        """
        check_is_fitted(self)
        return self.estimator_.decision_function(X)

    def predict_proba(self, X):
        """Softmax of the decision values divided by ``temperature_``.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
        """
        check_is_fitted(self)
        target_type = "binary" if len(self.classes_) == 2 else "multiclass"
        scores = score_matrix(self.estimator_, X, target_type, response_method="decision_function")
        return softmax(scores / self.temperature_, axis=1)

    def predict(self, X):
        """The classifier's predictions (the class of highest probability).

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
        """
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.sparse = True
        return tags


def _fit_temperature(scores, truth):
    """The temperature minimising the mean log loss of ``softmax(scores / T)`` on the true classes."""
    rows = np.arange(len(truth))

    def log_loss(log10_temperature):
        with np.errstate(invalid="ignore"):  # -inf columns (classes a fold lacked) stay -inf
            return -log_softmax(scores / 10.0 ** log10_temperature, axis=1)[rows, truth].mean()

    result = minimize_scalar(log_loss, bounds=_LOG10_TEMPERATURE_BOUNDS, method="bounded")
    return float(10.0 ** result.x)
