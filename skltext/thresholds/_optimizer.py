"""The :class:`ThresholdOptimizer` estimator: parameters, validation, splits, refit and prediction.

The settings are checked by :mod:`._validation`, the out-of-fold scores come
from :mod:`._scores`, and the decision rule of the target type
(:mod:`._rules`) is fitted on them; ``predict`` hands new scores to the same
rule.
"""

from numbers import Integral, Real

import numpy as np
from sklearn import get_config
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.metrics import get_scorer_names
from sklearn.utils import get_tags, indexable
from sklearn.utils._param_validation import HasMethods, Interval, RealNotInt, StrOptions
from sklearn.utils.metadata_routing import MetadataRouter, MethodMapping, process_routing
from sklearn.utils.validation import check_is_fitted
from sklearn_compat.base import _fit_context

from ._delegation import delegated
from ._rules import RULES, BinaryRule, MulticlassRule, MultilabelRule
from ._scores import estimator_scores, make_splits, out_of_fold_scores
from ._validation import check_settings, check_target, n_samples

__all__ = ["ThresholdOptimizer"]

# Every fitted attribute a rule sets, cleared before a new fit sets those of its rule.
_RULE_ATTRIBUTES = frozenset(name for rule in RULES.values() for name in rule.attributes)


class ThresholdOptimizer(MetaEstimatorMixin, ClassifierMixin, BaseEstimator):
    """Classifier whose decision thresholds are tuned on out-of-fold scores.

    Wraps any classifier with ``predict_proba`` or ``decision_function`` (a
    skltext pipeline, TF-IDF + LogisticRegression or LinearSVC, ...). ``fit``
    collects out-of-fold scores with ``cv`` (clones of ``estimator`` fitted on
    the other folds), chooses the decision rule on those scores alone, then
    refits ``estimator`` on all the data. No threshold is ever chosen on
    scores of a model that saw the row.

    The rule depends on the target:

    - **binary**: one threshold on the positive class's score, maximising
      ``scoring`` (F1 by default); a row is positive when its score is at
      least the threshold;
    - **multi-label** (0/1 indicator matrix): one threshold per label, each
      maximising ``scoring`` on its label (the "SCut" strategy). A label whose
      best out-of-fold score stays below ``min_score`` keeps
      ``default_threshold`` (the "fbr" guard of SCutFBR): a threshold fitted
      to a handful of positives floods the predictions with false positives.
      ``objective='micro'`` then runs a coordinate ascent of the
      micro-averaged metric over the other labels' thresholds;
    - **multi-class**: one weight per class multiplying the probabilities
      before the argmax (or one offset added to decision scores), tuned by
      coordinate ascent to maximise ``scoring`` (macro-F1 by default).

    Candidate thresholds are all distinct out-of-fold scores (plus one above
    the largest, which predicts nothing) for metrics computed from confusion
    counts, which are evaluated in one sorted pass; other metrics are called
    on at most ``max_candidates`` quantiles of the scores. Ties between
    candidates go to the one nearest the default threshold (or the current
    offset), so equal scores never move a threshold.

    Out-of-fold scores are pooled over the folds, as ``cross_val_predict``
    does, and one curve is maximised. scikit-learn's
    ``TunedThresholdClassifierCV`` (binary only) instead averages per-fold
    curves on a grid of 100 thresholds; the chosen thresholds agree up to
    that grid, and pooling is what makes labels with a few positives per
    fold tunable at all.

    Parameters
    ----------
    estimator : estimator instance
        The classifier, with ``fit`` and ``predict_proba`` or
        ``decision_function``. Fitted already when ``cv='prefit'``.
    scoring : str, callable or None, default=None
        Metric of predicted labels to maximise: a scikit-learn scorer name
        (``'f1'``, ``'balanced_accuracy'``, ``'f1_macro'``, ...), a scorer
        made with ``make_scorer``, or a callable ``metric(y_true, y_pred)``
        returning a higher-is-better float. None means F1 of the positive
        class for binary targets, per-label F1 for multi-label targets and
        macro-F1 for multi-class targets. For multi-label targets the metric
        is applied to each label as a binary problem (use ``objective`` for
        global averages). Metrics of continuous scores (``'roc_auc'``,
        ``'neg_log_loss'``) are refused: no threshold changes them.
    objective : {'micro', 'macro'} or None, default=None
        Multi-label only: the global average to maximise. None and
        ``'macro'`` tune each label on its own, which maximises the macro
        average (labels are independent under it). ``'micro'`` follows with
        a coordinate ascent over the labels' thresholds on the micro-averaged
        metric (micro-F1 with the default ``scoring``); labels held by
        ``min_score`` are not moved. Needs a count-based ``scoring``
        (F-beta, precision, recall or Jaccard).
    class_adjustment : {'auto', 'offset', 'weight', 'prior'}, default='auto'
        Multi-class only: add a per-class offset to the scores
        (``argmax(scores + class_offsets_)``) or multiply them by a per-class
        weight (``argmax(scores * class_weights_)``, for non-negative scores
        such as probabilities; the offsets are then tuned on log-scores).
        'auto' uses weights for ``predict_proba`` and offsets for
        ``decision_function``: rescaling probabilities by class is the
        classical prior-shift correction, and it beat additive offsets on
        the multi-class benchmarks. 'prior' is post-hoc logit adjustment
        (Menon et al., 2021): the offsets are ``-tau * log(prior)`` with the
        class shares of the training data and one ``tau`` in [0, 2] tuned
        on the out-of-fold scores (``prior_tau_``), one number instead of
        one per class, which rare classes with few out-of-fold documents
        cannot overfit. Offsets apply to log-probabilities with
        ``predict_proba``, to the scores themselves otherwise.
    response_method : {'auto', 'predict_proba', 'decision_function'}, default='auto'
        Scores to threshold; 'auto' uses ``predict_proba`` when the
        estimator has it, else ``decision_function``.
    cv : int, float, cross-validation generator, iterable or 'prefit', default=5
        How out-of-fold scores are obtained:

        - int: that many stratified folds (``StratifiedKFold``, or
          :class:`~skltext.model_selection.MultilabelStratifiedKFold` for
          multi-label targets), without shuffling;
        - float in (0, 1): one stratified hold-out of that share (iterative
          stratification for multi-label targets), drawn with
          ``random_state``;
        - a splitter (e.g. ``GroupKFold``; ``groups`` given to ``fit`` are
          passed to its ``split``) or an iterable of (train, test) indices,
          used as given; rows in several test sets count once per set;
        - 'prefit': ``estimator`` is already fitted and the thresholds are
          chosen on the ``X, y`` given to ``fit``, which must be data the
          estimator was not trained on; requires ``refit=False``.
    refit : bool, default=True
        Refit ``estimator`` on all the data after choosing the thresholds.
        With False, a single train/test split (a float ``cv`` or a
        one-split splitter) keeps the model fitted on its training part, and
        ``cv='prefit'`` keeps ``estimator`` itself.
    min_score : float or None, default=0.1
        Multi-label only: the floor ("fbr") below which a label's best
        out-of-fold ``scoring`` keeps ``default_threshold``. None disables
        the guard. The F1-optimal threshold of a weak label is low (about
        half its best F1, for calibrated probabilities), so every such label
        adds many false positives: raising the floor trades macro-F1 for
        micro-F1. 0.1 removes the labels a model has not learnt at all; use
        0.3 or ``objective='micro'`` when micro-F1 matters more.
    default_threshold : float or 'auto', default='auto'
        The untuned threshold: 0.5 for probabilities and 0.0 for decision
        functions with 'auto'. Used by the ``min_score`` guard, as the
        preferred value among tied candidates and for ``default_score_``.
    max_candidates : int, default=200
        Most cut-offs at which a metric that is not computed from counts is
        evaluated, per label or class; also the most points per curve kept in
        ``curves_``.
    max_iter : int, default=20
        Most sweeps over the labels or classes in coordinate ascent.
    n_jobs : int or None, default=None
        Folds fitted in parallel (joblib); None means 1.
    random_state : int, RandomState instance or None, default=None
        Seed of the hold-out drawn when ``cv`` is a float.

    Attributes
    ----------
    estimator_ : estimator instance
        The fitted classifier that scores new data.
    target_type_ : {'binary', 'multiclass', 'multilabel-indicator'}
        The target type seen in ``fit``.
    response_method_ : str
        The scoring method used: 'predict_proba' or 'decision_function'.
    thresholds_ : ndarray of shape (1,) or (n_labels,)
        Binary and multi-label: the decision thresholds; a row is positive
        for a label when its score is at least the label's threshold.
    best_threshold_ : float
        Binary only: ``thresholds_[0]``, under scikit-learn's name.
    pos_label_ : object
        Binary only: the class whose score is thresholded (``classes_[1]``
        unless the scorer names another ``pos_label``).
    kept_default_ : ndarray of shape (n_labels,) of bool
        Multi-label only: labels held at ``default_threshold`` by ``min_score``.
    label_scores_ : ndarray of shape (n_labels,)
        Multi-label only: each label's out-of-fold ``scoring`` at its
        threshold.
    class_adjustment_ : {'offset', 'weight'}
        Multi-class only: how the offsets apply (see ``class_adjustment``;
        'prior' applies as 'weight' with ``predict_proba``, else as 'offset').
    prior_tau_ : float
        Multi-class, with ``class_adjustment='prior'`` only: the tuned ``tau``.
    class_offsets_ : ndarray of shape (n_classes,)
        Multi-class only: the offsets added to the scores (to their
        logarithms when ``class_adjustment_`` is 'weight').
    class_weights_ : ndarray of shape (n_classes,)
        Multi-class, when ``class_adjustment_`` is 'weight' only:
        ``exp(class_offsets_)``, the factors applied to the scores.
    default_threshold_ : float
        The default threshold actually used (see ``default_threshold``).
    best_score_ : float
        The tuned objective on the out-of-fold scores: ``scoring`` for binary
        and multi-class targets; for multi-label targets the micro-averaged
        metric with ``objective='micro'``, else the mean of ``label_scores_``.
    default_score_ : float
        The same objective with the default thresholds (binary, multi-label)
        or the plain argmax (multi-class): what tuning gained, measured
        out-of-fold.
    curves_ : dict
        Per positive class, label index or class: a tuple ``(cutoffs,
        values)`` of ascending thresholds (offsets, for multi-class) and the
        out-of-fold metric at each, with the other labels' or classes'
        settings at their final values; thinned to ``max_candidates``
        points. With ``class_adjustment='prior'``, one curve, keyed 'tau',
        of the metric against ``tau``. See :meth:`plot_curves`.
    oof_scores_ : ndarray of shape (n_oof,) or (n_oof, n_outputs)
        The out-of-fold scores the rule was chosen on (the scores of ``X``
        itself with ``cv='prefit'``).
    oof_indices_ : ndarray of shape (n_oof,)
        Row of ``X`` of each entry of ``oof_scores_``, ascending; equal to
        ``arange(n_samples)`` when the test folds partition the rows.
    n_iter_ : int
        Coordinate-ascent sweeps run (0 when none ran).
    classes_ : ndarray of shape (n_classes,)
        The class labels of ``estimator_``.
    n_features_in_ : int
        Number of features seen in ``fit``, when ``estimator_`` defines it.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Feature names seen in ``fit``, when ``estimator_`` defines them.

    See Also
    --------
    sklearn.model_selection.TunedThresholdClassifierCV : One threshold for a
        binary classifier, from averaged per-fold curves.
    skltext.model_selection.MultilabelStratifiedKFold : The default splitter
        for multi-label targets.

    References
    ----------
    Y. Yang (2001). "A study of thresholding strategies for text
    categorization." SIGIR, 137-145.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.metrics import f1_score
    >>> from skltext.thresholds import ThresholdOptimizer
    >>> X, y = make_classification(1000, weights=[0.9, 0.1], class_sep=0.6, random_state=0)
    >>> X_train, X_test, y_train, y_test = X[:700], X[700:], y[:700], y[700:]
    >>> plain = LogisticRegression().fit(X_train, y_train)
    >>> tuned = ThresholdOptimizer(LogisticRegression()).fit(X_train, y_train)
    >>> print(f"threshold {tuned.best_threshold_:.2f}")
    threshold 0.33
    >>> print(f"F1 {f1_score(y_test, plain.predict(X_test)):.2f} -> {f1_score(y_test, tuned.predict(X_test)):.2f}")
    F1 0.65 -> 0.71
    >>> print(f"out-of-fold F1 {tuned.default_score_:.2f} -> {tuned.best_score_:.2f}")
    out-of-fold F1 0.54 -> 0.64
    """

    _parameter_constraints = {
        "estimator": [HasMethods(["fit", "predict_proba"]), HasMethods(["fit", "decision_function"])],
        "scoring": [StrOptions(set(get_scorer_names())), callable, None],
        "objective": [StrOptions({"micro", "macro"}), None],
        "class_adjustment": [StrOptions({"auto", "offset", "weight", "prior"})],
        "response_method": [StrOptions({"auto", "predict_proba", "decision_function"})],
        "cv": ["cv_object", StrOptions({"prefit"}), Interval(RealNotInt, 0.0, 1.0, closed="neither")],
        "refit": ["boolean"],
        "min_score": [Interval(Real, None, None, closed="neither"), None],
        "default_threshold": [Interval(Real, None, None, closed="neither"), StrOptions({"auto"})],
        "max_candidates": [Interval(Integral, 2, None, closed="left")],
        "max_iter": [Interval(Integral, 0, None, closed="left")],
        "n_jobs": [Integral, None],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        estimator,
        *,
        scoring=None,
        objective=None,
        class_adjustment="auto",
        response_method="auto",
        cv=5,
        refit=True,
        min_score=0.1,
        default_threshold="auto",
        max_candidates=200,
        max_iter=20,
        n_jobs=None,
        random_state=None,
    ):
        self.estimator = estimator
        self.scoring = scoring
        self.objective = objective
        self.class_adjustment = class_adjustment
        self.response_method = response_method
        self.cv = cv
        self.refit = refit
        self.min_score = min_score
        self.default_threshold = default_threshold
        self.max_candidates = max_candidates
        self.max_iter = max_iter
        self.n_jobs = n_jobs
        self.random_state = random_state

    # ---------------------------------------------------------------- fit

    def _prefit(self):
        return isinstance(self.cv, str)  # the only string cv is 'prefit'

    def _route_params(self, groups, fit_params):
        """Parameters of ``estimator.fit`` and of the splitter's ``split``.

        With metadata routing enabled they follow the requests of the
        estimator and of ``cv``; otherwise every fit parameter goes to the
        estimator and ``groups`` to the splitter.
        """
        if not get_config().get("enable_metadata_routing", False):
            return fit_params, {"groups": groups}
        params = dict(fit_params) if groups is None else {**fit_params, "groups": groups}
        routed = process_routing(self, "fit", **params)
        return routed.estimator.fit, routed.splitter.split

    def _collect_scores(self, X, y, Y, target_type, scoring, fit_params, split_params):
        """Set ``oof_indices_`` and ``oof_scores_``; returns the clones fitted for them (none with 'prefit')."""
        if self._prefit():
            self.oof_indices_ = np.arange(n_samples(X))
            self.oof_scores_ = estimator_scores(self.estimator, X, **scoring)
            fitted = []
        else:
            splits = make_splits(self.cv, X, y, Y, target_type, split_params=split_params,
                                 random_state=self.random_state)
            if not self.refit and len(splits) != 1:
                raise ValueError("When cv has several folds, refit cannot be False.")
            if not splits:
                raise ValueError(f"cv={self.cv!r} gave no split.")
            self.oof_indices_, self.oof_scores_, fitted = out_of_fold_scores(
                self.estimator, X, y, splits, params=fit_params, n_jobs=self.n_jobs, **scoring)
        if not np.isfinite(self.oof_scores_).all():
            raise ValueError(f"The estimator's {scoring['method']} gave NaN or infinite scores; "
                             f"{type(self).__name__} needs finite scores.")
        return fitted

    def _new_rule(self, classes, pos_label=None):
        """The decision rule of ``target_type_``, unfitted, with this estimator's settings."""
        if self.target_type_ == "binary":
            return BinaryRule(classes=classes, pos_label=pos_label, default_threshold=self.default_threshold_,
                              max_candidates=self.max_candidates)
        if self.target_type_ == "multilabel-indicator":
            return MultilabelRule(default_threshold=self.default_threshold_, min_score=self.min_score,
                                  objective=self.objective, max_candidates=self.max_candidates,
                                  max_iter=self.max_iter)
        return MulticlassRule(classes=classes, class_adjustment=self.class_adjustment,
                              response_method=self.response_method_, max_candidates=self.max_candidates,
                              max_iter=self.max_iter)

    @_fit_context(prefer_skip_nested_validation=False)  # the inner estimator validates its own parameters
    def fit(self, X, y, groups=None, **fit_params):
        """Collect out-of-fold scores, choose the thresholds, refit the estimator.

        Parameters
        ----------
        X : array-like, sparse matrix or list of str of shape (n_samples, ...)
            Input accepted by ``estimator``: a list of documents for a text
            pipeline.
        y : array-like of shape (n_samples,) or (n_samples, n_labels)
            Class labels, or a 0/1 multi-label indicator matrix.
        groups : array-like of shape (n_samples,), default=None
            Group labels passed to the ``split`` of a group-aware ``cv``
            (e.g. ``GroupKFold``).
        **fit_params : dict
            Passed to ``estimator.fit`` (sliced to the training rows of each
            fold when they are per-sample arrays, e.g. ``sample_weight``).
            With metadata routing enabled
            (``sklearn.set_config(enable_metadata_routing=True)``), they and
            ``groups`` go where the estimator's and the splitter's requests
            say. The thresholds are chosen without sample weights.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        y, Y, target_type, classes = check_target(y, name=type(self).__name__)
        X, y = indexable(X, y)
        fit_params, split_params = self._route_params(groups, fit_params)
        metric, method, pos_label = check_settings(self, target_type, classes)
        pos_index = None if pos_label is None else int(np.flatnonzero(classes == pos_label)[0])
        scoring = {"method": method, "target_type": target_type, "classes": classes, "pos_index": pos_index}
        fitted = self._collect_scores(X, y, Y, target_type, scoring, fit_params, split_params)
        self.target_type_ = target_type
        self.response_method_ = method
        self.default_threshold_ = float(
            self.default_threshold if self.default_threshold != "auto"
            else (0.5 if method == "predict_proba" else 0.0)
        )
        y_oof = Y[self.oof_indices_] if target_type == "multilabel-indicator" else y[self.oof_indices_]
        rule = self._new_rule(classes, pos_label).fit(self.oof_scores_, y_oof, metric)
        for name in _RULE_ATTRIBUTES & set(vars(self)):  # those of an earlier fit
            delattr(self, name)
        rule.export_to(self)
        if self._prefit():
            self.estimator_ = self.estimator
        elif self.refit:
            self.estimator_ = clone(self.estimator).fit(X, y, **fit_params)
        else:
            self.estimator_ = fitted[0]
        for attribute in ("n_features_in_", "feature_names_in_"):
            if hasattr(self.estimator_, attribute):
                setattr(self, attribute, getattr(self.estimator_, attribute))
        return self

    def get_metadata_routing(self):
        """Get metadata routing of this object.

        Returns
        -------
        routing : MetadataRouter
            Routes the parameters of ``fit`` to ``estimator.fit`` and to the
            ``split`` of ``cv``.
        """
        return (
            MetadataRouter(owner=self)
            .add(estimator=self.estimator, method_mapping=MethodMapping().add(caller="fit", callee="fit"))
            .add(splitter=self.cv, method_mapping=MethodMapping().add(caller="fit", callee="split"))
        )

    # ------------------------------------------------------------ predict

    @property
    def classes_(self):
        """Class labels of the fitted estimator."""
        return self.estimator_.classes_

    def _final_scores(self, X):
        check_is_fitted(self, "estimator_")
        pos_index = None
        if self.target_type_ == "binary":
            pos_index = int(np.flatnonzero(np.asarray(self.classes_) == self.pos_label_)[0])
        return estimator_scores(self.estimator_, X, method=self.response_method_, target_type=self.target_type_,
                                pos_index=pos_index)

    def predict(self, X):
        """Predict with the tuned thresholds (or class offsets).

        Parameters
        ----------
        X : array-like, sparse matrix or list of str of shape (n_samples, ...)
            Input accepted by the estimator.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_labels)
            Class labels, or a 0/1 indicator matrix for multi-label targets.
        """
        scores = self._final_scores(X)
        classes = None if self.target_type_ == "multilabel-indicator" else np.asarray(self.classes_)
        rule = self._new_rule(classes, getattr(self, "pos_label_", None)).restore_from(self)
        return rule.decide(scores)

    predict_proba = delegated("predict_proba", "proba : ndarray of shape (n_samples, n_classes)",
                               "Probabilities")
    predict_log_proba = delegated("predict_log_proba", "log_proba : ndarray of shape (n_samples, n_classes)",
                                   "Log-probabilities")
    decision_function = delegated("decision_function",
                                   "scores : ndarray of shape (n_samples,) or (n_samples, n_outputs)",
                                   "Decision function")

    def plot_curves(self, labels=None, *, ax=None):
        """Plot the out-of-fold metric against the threshold (offset) of each label or class.

        Needs matplotlib, which skltext does not install. A shortcut for
        :meth:`skltext.plotting.ThresholdCurveDisplay.from_estimator`.

        Parameters
        ----------
        labels : list or None, default=None
            Keys of ``curves_`` to draw; None draws all of them.
        ax : matplotlib Axes, default=None
            Axes to draw on; a new figure's when None.

        Returns
        -------
        ax : matplotlib Axes
        """
        from ..plotting import ThresholdCurveDisplay

        return ThresholdCurveDisplay.from_estimator(self, labels=labels, ax=ax).ax_

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        inner = get_tags(self.estimator)
        for accepted in ("sparse", "string", "allow_nan", "categorical", "positive_only"):
            setattr(tags.input_tags, accepted, getattr(inner.input_tags, accepted))
        if inner.classifier_tags is not None:
            tags.classifier_tags.multi_label = inner.classifier_tags.multi_label
            tags.classifier_tags.poor_score = inner.classifier_tags.poor_score
        tags.target_tags.required = True
        return tags
