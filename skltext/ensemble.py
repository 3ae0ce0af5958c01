"""A deep text model and a TF-IDF linear model, voting with their probabilities."""

from numbers import Real

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.validation import check_is_fitted
from sklearn_compat.base import _fit_context

from ._target import check_target

__all__ = ["DeepLinearClassifier"]


class DeepLinearClassifier(ClassifierMixin, BaseEstimator):
    """Soft vote of a deep text model and linear models on TF-IDF n-grams.

    All models are fitted on the raw documents; the probabilities of the
    combination are their weighted average. Where they make different
    errors (a network learns word similarities, a linear model weighs every
    n-gram by itself), the average can beat each of them; ``skltext
    compare`` tells whether it does on your data, and
    benchmarks/results/quality.md has the measurements on the shared
    corpora.

    Parameters
    ----------
    deep : estimator, default=None
        A classifier with ``predict_proba`` that takes raw documents, usually
        a pipeline of :class:`~skltext.TextTokenizer` and a skltext model.
        None takes ``make_pipeline(TextTokenizer(max_len='auto'),
        NgramClassifier(random_state=random_state))``.
    linear : estimator, default=None
        A classifier with ``predict_proba`` that takes raw documents. None
        takes TF-IDF of words and word pairs with sublinear term frequencies
        (``skltext compare``'s 'tfidf-lr' and 'tfidf-svm' features), then
        the soft vote (``sklearn.ensemble.VotingClassifier``) of a logistic
        regression with ``C=10`` and a ``LinearSVC`` whose decision function
        :class:`~skltext.calibration.TemperatureCalibratedClassifier` turns
        into probabilities (one-vs-rest of that vote for multi-label
        targets).
    deep_weight : float in [0, 1] or 'auto', default='auto'
        Weight of the deep model's probabilities; the linear model's get
        ``1 - deep_weight``. 'auto' gives every model an equal vote: 1/3
        with the default linear models (two of them), 1/2 with a ``linear``
        model you pass. Equal thirds of the n-gram model, the logistic
        regression and the LinearSVC (with ``prior_power=0.25``) were chosen
        on five single-label corpora (benchmarks/results/tune_combination.md)
        and are above TF-IDF + LinearSVC's macro-F1 on all six single-label
        corpora of benchmarks/results/quality.md; the n-gram model with the
        logistic regression alone lost on TREC-6. On the multi-label debtags
        (208 tags, per-tag thresholds) they are level with TF-IDF +
        LinearSVC: 45.1 against 45.0 macro-F1 (ahead on 3 of 5 folds), 65.3
        against 65.6 micro-F1. That is with the n-gram model's label-wise
        attention; before it the vote was 0.8 points below and no weight did
        better than LinearSVC alone
        (benchmarks/results/tune_multilabel_combination.md).
    prior_power : float >= 0, default=0.25
        Post-hoc logit adjustment for binary and multi-class targets (Menon
        et al., "Long-tail learning via logit adjustment", ICLR 2021): the
        averaged probabilities are divided by each class's training
        frequency raised to this power, then renormalised, which is
        subtracting ``prior_power * log(prior)`` from the log-probabilities.
        The models learn the training class frequencies, so their argmax
        favours frequent classes; a power of 0.25 to 0.5 trades a little
        accuracy on them for recall on rare classes (higher macro-F1). With
        the default models, 0.25 raised macro-F1 on TREC-50 from 67.5 to
        69.3 and on nps_chat from 48.0 to 49.1, and lowered it on TREC-6
        from 88.4 to 88.3 (benchmarks/results/tune_combination.md). 0
        keeps the plain average. Multi-label targets are not adjusted: each
        label has its own threshold (see :class:`~skltext.ThresholdOptimizer`).
    random_state : int or None, default=None
        Seed of the default models (ignored for models you pass, whose own
        ``random_state`` applies).

    Attributes
    ----------
    deep_ : estimator
        The fitted deep model.
    linear_ : estimator
        The fitted linear model.
    deep_weight_ : float
        The deep model's weight the vote used (``deep_weight`` resolved).
    classes_ : ndarray
        Class labels (``arange(n_labels)`` for multi-label targets).
    target_type_ : {'binary', 'multiclass', 'multilabel-indicator'}
        Target type seen in ``fit``.
    class_prior_ : ndarray of shape (n_classes,) or None
        Share of the training documents in each class (None for multi-label
        targets), which ``prior_power`` divides out.

    See Also
    --------
    sklearn.ensemble.VotingClassifier : Soft voting for single-label targets.

    Examples
    --------
    >>> from skltext import CNNClassifier, TextTokenizer
    >>> from skltext.ensemble import DeepLinearClassifier
    >>> from sklearn.pipeline import make_pipeline
    >>> texts = ["good movie", "great film", "bad movie", "awful film"] * 10
    >>> labels = ["pos", "pos", "neg", "neg"] * 10
    >>> deep = make_pipeline(TextTokenizer(), CNNClassifier(filters=8, epochs=2, random_state=0))
    >>> model = DeepLinearClassifier(deep, random_state=0).fit(texts, labels)
    >>> model.predict(["good film", "awful movie"]).tolist()
    ['pos', 'neg']
    """

    _parameter_constraints = {
        "deep": [HasMethods(["fit", "predict_proba"]), None],
        "linear": [HasMethods(["fit", "predict_proba"]), None],
        "deep_weight": [Interval(Real, 0, 1, closed="both"), StrOptions({"auto"})],
        "prior_power": [Interval(Real, 0, None, closed="left")],
        "random_state": ["random_state"],
    }

    def __init__(self, deep=None, linear=None, *, deep_weight="auto", prior_power=0.25, random_state=None):
        self.deep = deep
        self.linear = linear
        self.deep_weight = deep_weight
        self.prior_power = prior_power
        self.random_state = random_state

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y):
        """Fit the deep and the linear model on the documents.

        Parameters
        ----------
        X : list, 1-D array or pandas Series of str
            The documents.
        y : array-like of shape (n_samples,) or (n_samples, n_labels)
            Class labels, or a 0/1 indicator matrix for multi-label targets.

        Returns
        -------
        self : DeepLinearClassifier
        """
        y, self.target_type_ = check_target(y, name=type(self).__name__)
        multilabel = self.target_type_ == "multilabel-indicator"
        from ._recipes import LINEAR_VOTE, make_model

        # The defaults are skltext compare's 'ngram' model and the linear part of its 'ngram+tfidf'.
        deep = self.deep if self.deep is not None else make_model(
            "ngram", target_type=self.target_type_, random_state=self.random_state)
        linear = self.linear if self.linear is not None else make_model(
            LINEAR_VOTE, target_type=self.target_type_, random_state=self.random_state)
        if self.deep_weight != "auto":
            self.deep_weight_ = float(self.deep_weight)
        else:
            self.deep_weight_ = 1 / 3 if self.linear is None else 0.5
        self.deep_ = clone(deep).fit(X, y)
        self.linear_ = clone(linear).fit(X, y)
        if multilabel:
            self.classes_ = np.arange(y.shape[1])
            self.class_prior_ = None
        else:
            self.classes_, counts = np.unique(y, return_counts=True)
            self.class_prior_ = counts / counts.sum()
            for name, model in (("deep", self.deep_), ("linear", self.linear_)):
                if not np.array_equal(np.asarray(model.classes_), self.classes_):
                    raise ValueError(f"The {name} model's classes_ {model.classes_!r} differ from the "
                                     f"classes of y {self.classes_!r}; both models must predict every class.")
        return self

    def predict_proba(self, X):
        """Weighted average of the deep and the linear probabilities (divided by ``class_prior_ ** prior_power``).

        Parameters
        ----------
        X : list, 1-D array or pandas Series of str
            The documents.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            One probability per class (rows sum to 1), or per label for
            multi-label targets.
        """
        check_is_fitted(self)
        deep = np.asarray(self.deep_.predict_proba(X), dtype=np.float64)
        linear = np.asarray(self.linear_.predict_proba(X), dtype=np.float64)
        proba = self.deep_weight_ * deep + (1.0 - self.deep_weight_) * linear
        if self.class_prior_ is None or self.prior_power == 0:
            return proba
        adjusted = proba / self.class_prior_ ** self.prior_power
        return adjusted / adjusted.sum(axis=1, keepdims=True)

    def predict(self, X):
        """Class of highest (adjusted) averaged probability (labels above 0.5 for multi-label).

        Parameters
        ----------
        X : list, 1-D array or pandas Series of str
            The documents.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_labels)
        """
        proba = self.predict_proba(X)
        if self.target_type_ == "multilabel-indicator":
            return (proba >= 0.5).astype(np.int64)
        return self.classes_[np.argmax(proba, axis=1)]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        tags.classifier_tags.multi_label = True
        return tags
