"""Decision thresholds tuned on out-of-fold scores, for binary, multi-class and multi-label targets.

A model that ranks well can still predict badly at its default cut-off: rare
labels never reach 0.5, and a multi-class argmax favours the large classes.
:class:`ThresholdOptimizer` wraps any classifier with ``predict_proba`` or
``decision_function``, collects out-of-fold scores by cross-validation and
chooses, on those scores only,

- binary: one threshold;
- multi-label: one threshold per label ("SCut", Yang 2001), with the "fbr"
  guard that keeps the default threshold for labels whose tuned score stays
  below a floor, and optionally a coordinate ascent on micro-F1;
- multi-class: one multiplicative weight (or additive offset) per class,
  applied to the scores before the argmax, by coordinate ascent.

Metrics computed from confusion counts (F-beta, precision, recall, Jaccard,
accuracy, balanced accuracy, with any average) are evaluated at every distinct
score in one sorted pass; any other metric is called on at most
``max_candidates`` candidate cut-offs.
"""

from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.exceptions import NotFittedError
from sklearn.metrics import (
    accuracy_score,
    balanced_accuracy_score,
    f1_score,
    fbeta_score,
    get_scorer,
    get_scorer_names,
    jaccard_score,
    precision_score,
    recall_score,
)
from sklearn.metrics._scorer import _BaseScorer
from sklearn.model_selection import StratifiedKFold, StratifiedShuffleSplit, check_cv
from sklearn.utils import _safe_indexing, check_random_state, get_tags, indexable
from sklearn.utils._available_if import available_if
from sklearn.utils._param_validation import HasMethods, Interval, RealNotInt, StrOptions
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.parallel import Parallel, delayed
from sklearn.utils.validation import _check_method_params, _num_samples, check_is_fitted, column_or_1d
from sklearn_compat.base import _fit_context

from ._label_lists import check_not_label_lists
from .model_selection import MultilabelStratifiedKFold, _iterative_stratification

__all__ = ["ThresholdOptimizer"]

_TARGET_TYPES = ("binary", "multiclass", "multilabel-indicator")
# Metrics of predicted labels that are functions of the confusion counts.
_COUNT_METRICS = {
    f1_score: "fbeta",
    fbeta_score: "fbeta",
    precision_score: "precision",
    recall_score: "recall",
    jaccard_score: "jaccard",
    accuracy_score: "accuracy",
    balanced_accuracy_score: "balanced_accuracy",
}
_AVERAGED = ("fbeta", "precision", "recall", "jaccard")
# Scores within this distance of the best count as ties.
_TIE = 1e-12


# --------------------------------------------------------------------------- metrics


class _Metric:
    """A metric of (y_true, y_pred), higher is better, evaluated from counts when possible.

    ``kind`` is set for metrics that are functions of per-class true positive,
    false positive and false negative counts; those are evaluated for all
    candidate cut-offs at once by :meth:`from_counts`. Other metrics are
    called on predicted labels.
    """

    def __init__(self, name, func, sign=1, kwargs=None):
        self.name = name
        self.func = func
        self.sign = sign
        self.kwargs = dict(kwargs or {})
        try:
            self.kind = _COUNT_METRICS.get(func)
        except TypeError:  # an unhashable callable
            self.kind = None
        self.average = self.kwargs.get("average", "binary") if self.kind in _AVERAGED else None
        self.beta = float(self.kwargs.get("beta", 1.0))
        self.pos_label = self.kwargs.get("pos_label")
        plain = (
            set(self.kwargs) <= {"average", "beta", "pos_label", "zero_division", "adjusted"}
            and self.kwargs.get("zero_division", 0) in (0, 0.0, "warn")
            and not self.kwargs.get("adjusted", False)
            and self.average in (None, "binary", "micro", "macro", "weighted")
        )
        if not plain:  # computed by calling the metric instead
            self.kind = None

    def __call__(self, y_true, y_pred):
        return self.sign * self.func(y_true, y_pred, **self.kwargs)

    def _per_class(self, tp, fp, fn):
        with np.errstate(divide="ignore", invalid="ignore"):
            if self.kind == "fbeta":
                b2 = self.beta ** 2
                num, den = (1 + b2) * tp, (1 + b2) * tp + b2 * fn + fp
            elif self.kind == "precision":
                num, den = tp, tp + fp
            elif self.kind == "recall":
                num, den = tp, tp + fn
            else:  # jaccard
                num, den = tp, tp + fp + fn
            return np.where(den > 0, num / np.where(den > 0, den, 1), 0.0)

    def from_counts(self, tp, fp, fn, positive=-1):
        """Metric for every row of per-class counts of shape (n_candidates, n_classes).

        ``positive`` is the column of the positive class, for ``average='binary'``.
        """
        tp, fp, fn = (np.asarray(a, dtype=float) for a in (tp, fp, fn))
        support = tp + fn
        if self.kind == "accuracy":
            score = tp.sum(axis=-1) / np.maximum(support.sum(axis=-1), 1)
        elif self.kind == "balanced_accuracy":
            present = support > 0
            recall = np.where(present, tp / np.where(present, support, 1), 0.0)
            score = recall.sum(axis=-1) / np.maximum(present.sum(axis=-1), 1)
        elif self.average == "binary":
            score = self._per_class(tp[..., positive], fp[..., positive], fn[..., positive])
        elif self.average == "micro":
            score = self._per_class(tp.sum(axis=-1), fp.sum(axis=-1), fn.sum(axis=-1))
        else:
            per_class = self._per_class(tp, fp, fn)
            if self.average == "macro":
                weight = (tp + fp + fn) > 0  # the labels of y_true and y_pred, as scikit-learn
            else:  # weighted
                weight = support
            score = (per_class * weight).sum(axis=-1) / np.maximum(weight.sum(axis=-1), 1e-300)
        return self.sign * score

    def pooled(self, tp, fp, fn):
        """Metric of counts summed over labels (micro average of the per-label metric)."""
        return self.sign * self._per_class(np.asarray(tp, float), np.asarray(fp, float), np.asarray(fn, float))


def _resolve_scoring(scoring, target_type):
    """A :class:`_Metric` for ``scoring`` and the target type, or a ValueError saying why not."""
    if scoring is None:
        scoring = "f1_macro" if target_type == "multiclass" else "f1"
    if isinstance(scoring, str):
        scorer, name = get_scorer(scoring), repr(scoring)
    elif isinstance(scoring, _BaseScorer):
        scorer, name = scoring, repr(scoring)
    else:
        scorer, name = None, getattr(scoring, "__name__", repr(scoring))
    if scorer is None:
        metric = _Metric(name, scoring)
    elif scorer._response_method != "predict":
        raise ValueError(
            f"scoring={name} is computed from continuous scores, not from predicted labels, so no "
            "threshold changes it; use a metric of predicted labels such as 'f1', 'f1_macro', "
            "'balanced_accuracy' or 'precision'."
        )
    else:
        metric = _Metric(name, scorer._score_func, scorer._sign, scorer._kwargs)
    if target_type == "multiclass" and metric.average == "binary":
        raise ValueError(
            f"scoring={name} scores one positive class (average='binary'), which a multiclass "
            "target does not have; use an averaged form such as 'f1_macro'."
        )
    if target_type == "multilabel-indicator" and metric.average not in (None, "binary"):
        raise ValueError(
            f"For a multi-label target, scoring is applied to each label as a binary problem, "
            f"so scoring={name} does not apply; use scoring='f1' (the default) and "
            "objective='micro' to tune micro-F1, or objective=None for the per-label (macro) F1."
        )
    return metric


# ------------------------------------------------------------------ threshold search


def _binary_counts(y, scores):
    """Candidate thresholds (ascending) with true and false positive counts of ``scores >= t``.

    Every distinct score is a candidate, plus one above the largest, which
    predicts no positive.
    """
    order = np.argsort(-scores, kind="stable")
    sorted_scores = scores[order]
    positives = y[order].astype(np.int64)
    tp_cum = np.cumsum(positives)
    fp_cum = np.arange(1, len(scores) + 1) - tp_cum
    last = np.r_[np.flatnonzero(np.diff(sorted_scores) != 0), len(scores) - 1]
    above = np.nextafter(sorted_scores[0], np.inf) if len(scores) else 0.0
    thresholds = np.r_[sorted_scores[last][::-1], above]
    return thresholds, np.r_[tp_cum[last][::-1], 0], np.r_[fp_cum[last][::-1], 0]


def _candidate_grid(scores, y, max_candidates):
    """At most ``max_candidates`` thresholds for metrics evaluated one cut-off at a time.

    All distinct scores when few; otherwise quantiles of all scores merged
    with quantiles of the positive rows' scores, so that a rare label's
    positives, at the top of the ranking, are not skipped.
    """
    distinct = np.unique(scores)
    above = np.nextafter(distinct[-1], np.inf)
    if len(distinct) + 1 <= max_candidates:
        return np.r_[distinct, above]
    half = max(max_candidates // 2, 1)
    grid = [np.quantile(distinct, np.linspace(0, 1, half), method="nearest")]
    if y is not None and y.any():
        grid.append(np.quantile(np.unique(scores[y]), np.linspace(0, 1, max_candidates - half - 1),
                                method="nearest"))
    return np.r_[np.unique(np.concatenate(grid)), above]


def _pick(candidates, scores, preferred):
    """Index of the best score; ties go to the candidate nearest ``preferred``, then the larger."""
    best = np.flatnonzero(scores >= scores.max() - _TIE)
    distance = np.abs(candidates[best] - preferred)
    nearest = best[distance <= distance.min() + _TIE * max(1.0, abs(preferred))]
    return nearest[-1]


def _thin(candidates, scores, keep, max_points):
    """At most ``max_points`` points of a curve (always the ``keep`` index), for plotting."""
    if len(candidates) <= max_points:
        return candidates.copy(), scores.copy()
    index = np.unique(np.r_[np.linspace(0, len(candidates) - 1, max_points - 1).round().astype(int), keep])
    return candidates[index], scores[index]


def _binary_curve(y, scores, metric, y_labels, labels, max_candidates):
    """Thresholds and metric values for one binary column.

    ``y`` is the boolean positive indicator; ``labels`` = (negative, positive)
    and ``y_labels`` the original labels, for metrics called on labels.
    """
    if metric.kind is not None:
        thresholds, tp, fp = _binary_counts(y, scores)
        n_pos = int(y.sum())
        n_neg = len(y) - n_pos
        fn, tn = n_pos - tp, n_neg - fp
        # columns: negative class, positive class
        values = metric.from_counts(np.c_[tn, tp], np.c_[fn, fp], np.c_[fp, fn], positive=1)
        return thresholds, values, tp, fp
    thresholds = _candidate_grid(scores, y, max_candidates)
    negative, positive = labels
    values = np.array([metric(y_labels, np.where(scores >= t, positive, negative)) for t in thresholds])
    return thresholds, values, None, None


def _tune_multilabel_micro(curves, frozen, chosen, metric, max_iter):
    """Coordinate ascent of the micro-averaged metric over the labels' thresholds.

    ``curves[l]`` = (thresholds, tp, fp, n_pos); ``chosen[l]`` is the index of
    the current threshold of label l, updated in place. Labels in ``frozen``
    keep theirs. Returns the number of sweeps run.
    """
    tp_now = np.array([c[1][i] for c, i in zip(curves, chosen)], dtype=float)
    fp_now = np.array([c[2][i] for c, i in zip(curves, chosen)], dtype=float)
    n_pos = np.array([c[3] for c in curves], dtype=float)
    total_pos = n_pos.sum()
    n_iter = 0
    for n_iter in range(1, max_iter + 1):
        changed = False
        for label, (thresholds, tp, fp, _) in enumerate(curves):
            if frozen[label]:
                continue
            tp_rest = tp_now.sum() - tp_now[label]
            fp_rest = fp_now.sum() - fp_now[label]
            tp_all = tp_rest + tp
            fp_all = fp_rest + fp
            values = metric.pooled(tp_all, fp_all, total_pos - tp_all)
            current = chosen[label]
            best = _pick(thresholds, values, thresholds[current])
            if values[best] > values[current] + _TIE:
                chosen[label] = best
                tp_now[label], fp_now[label] = tp[best], fp[best]
                changed = True
        if not changed:
            break
    return n_iter


def _offset_sweep(scores, codes, offsets, k, metric, classes, y_labels, max_candidates):
    """Metric as a function of the offset of class ``k``, the other offsets fixed.

    Row i is predicted ``k`` exactly when ``offsets[k]`` exceeds its gap: the
    best other shifted score minus its score for ``k``. Sorting the gaps gives
    every distinct prediction, and cumulative sums of the rows that switch give
    the confusion counts of each. Returns (candidate offsets ascending, metric
    values, index of the candidate holding the current offset).
    """
    n, n_classes = scores.shape
    others = scores + offsets
    others[:, k] = -np.inf
    runner_up = others.argmax(axis=1)
    gap = others[np.arange(n), runner_up] - scores[:, k]
    order = np.argsort(gap, kind="stable")
    gap_sorted = gap[order]
    # Feasible numbers m of rows predicted k (equal gaps switch together).
    cuts = np.r_[0, np.flatnonzero(np.diff(gap_sorted) > 0) + 1, n]
    margin = 0.01 * max(gap_sorted[-1] - gap_sorted[0], 1e-6)
    inner = (gap_sorted[np.maximum(cuts - 1, 0)] + gap_sorted[np.minimum(cuts, n - 1)]) / 2
    candidates = np.where(cuts == 0, gap_sorted[0] - margin, np.where(cuts == n, gap_sorted[-1] + margin, inner))
    switched = np.searchsorted(gap_sorted, offsets[k], side="left")  # rows with gap < offset
    current = int(np.searchsorted(cuts, switched, side="right") - 1)
    candidates[current] = offsets[k]
    if metric.kind is not None:
        y_sorted, r_sorted = codes[order], runner_up[order]
        steps = np.arange(1, n + 1)
        delta_tp = np.zeros((n + 1, n_classes))
        delta_pred = np.zeros((n + 1, n_classes))
        delta_tp[steps, r_sorted] -= y_sorted == r_sorted  # the row leaves its runner-up class
        delta_pred[steps, r_sorted] -= 1
        delta_tp[steps, k] += y_sorted == k  # and joins class k
        delta_pred[steps, k] += 1
        tp = np.bincount(runner_up[codes == runner_up], minlength=n_classes) + np.cumsum(delta_tp, axis=0)[cuts]
        pred = np.bincount(runner_up, minlength=n_classes) + np.cumsum(delta_pred, axis=0)[cuts]
        support = np.bincount(codes, minlength=n_classes)
        values = metric.from_counts(tp, pred - tp, support - tp)
    else:
        values = np.full(len(cuts), -np.inf)
        pick = np.arange(len(cuts))
        if len(cuts) > max_candidates:
            pick = np.unique(np.r_[np.linspace(0, len(cuts) - 1, max_candidates - 1).round().astype(int), current])
        for i in pick:
            predicted = runner_up.copy()
            predicted[order[:cuts[i]]] = k
            values[i] = metric(y_labels, classes[predicted])
    return candidates, values, current


# Strengths of post-hoc logit adjustment tried by class_adjustment='prior'.
_PRIOR_TAUS = np.linspace(0.0, 2.0, 21)


def _tune_prior_offsets(scores, codes, metric, classes, y_labels):
    """Offsets ``-tau * log(prior)`` with the ``tau`` of the grid that scores best (the smallest on ties)."""
    counts = np.bincount(codes, minlength=len(classes)).astype(float)
    # A class absent from the out-of-fold rows gets half a document's share.
    log_prior = np.log(np.maximum(counts, 0.5) / len(codes))
    values = np.array([metric(y_labels, classes[(scores - tau * log_prior).argmax(axis=1)]) for tau in _PRIOR_TAUS])
    best = _PRIOR_TAUS[int(np.argmax(values))]
    return -best * log_prior, {"tau": (_PRIOR_TAUS, values)}, 1


def _tune_offsets(scores, codes, metric, classes, y_labels, max_iter, max_candidates):
    """Coordinate ascent of the metric over per-class offsets added to ``scores``.

    Starts from zero offsets (plain argmax); each step moves one class's
    offset to its best value given the others, and only when that strictly
    improves the metric. Returns (offsets, curves, n_iter).
    """
    n_classes = scores.shape[1]
    offsets = np.zeros(n_classes)
    n_iter = 0
    for n_iter in range(1, max_iter + 1):
        changed = False
        for k in range(n_classes):
            candidates, values, current = _offset_sweep(scores, codes, offsets, k, metric, classes, y_labels,
                                                        max_candidates)
            best = _pick(candidates, values, offsets[k])
            if values[best] > values[current] + _TIE:
                offsets[k] = candidates[best]
                changed = True
        if not changed:
            break
    curves = {}
    for k in range(n_classes):
        candidates, values, current = _offset_sweep(scores, codes, offsets, k, metric, classes, y_labels,
                                                    max_candidates)
        keep = np.isfinite(values)
        index = np.flatnonzero(keep)
        curves[classes[k]] = _thin(candidates[keep], values[keep], int(np.searchsorted(index, current)),
                                   max_candidates)
    return offsets, curves, n_iter


# --------------------------------------------------------------- out-of-fold scores


def _response_method(estimator, response_method):
    """The name of the scoring method of ``estimator`` to use."""
    methods = ["predict_proba", "decision_function"] if response_method == "auto" else [response_method]
    for method in methods:
        if hasattr(estimator, method):
            return method
    raise ValueError(
        f"{type(estimator).__name__} has no {' or '.join(methods)} method, so it gives no score to "
        "tune a threshold on; wrap a classifier that has predict_proba or decision_function."
    )


def _scores(estimator, X, method, target_type, classes, pos_index):
    """Scores of ``estimator`` on ``X``: (n,) for binary, (n, n_outputs) otherwise.

    Columns are aligned with ``classes`` for multi-class targets (a class the
    estimator never saw gets the lowest score); a list of per-label
    ``(n, 2)`` probability arrays (e.g. from a random forest) is stacked.
    """
    raw = getattr(estimator, method)(X)
    fitted_classes = getattr(estimator, "classes_", None)
    if target_type == "multilabel-indicator":
        if isinstance(raw, list):
            columns = []
            for j, part in enumerate(raw):
                part = np.asarray(part)
                if part.ndim == 1:
                    columns.append(part)
                elif part.shape[1] >= 2:
                    columns.append(part[:, -1])
                else:  # a label with a single class in training
                    only = fitted_classes[j][0] if fitted_classes is not None else 0
                    columns.append(np.full(part.shape[0], float(only == 1)))
            raw = np.column_stack(columns)
        raw = raw.toarray() if sp.issparse(raw) else np.asarray(raw)
        return raw.astype(float)
    raw = np.asarray(raw, dtype=float)
    if target_type == "binary":
        if raw.ndim == 1:  # decision_function: positive values favour classes_[1]
            return raw if pos_index == 1 else -raw
        if raw.shape[1] != 2:
            raise ValueError(f"{method} returned {raw.shape[1]} column(s) for a binary target: the model was "
                             "trained on a single class. Use a stratified cv with fewer folds.")
        return raw[:, pos_index]
    if raw.ndim == 1:
        if fitted_classes is None or len(fitted_classes) != 2:
            raise ValueError(f"{method} returned a 1-D array for a multi-class target.")
        # A fold that saw only two of the classes: one decision score, positive for classes_[1].
        raw = np.column_stack([-raw, raw])
    if fitted_classes is not None and raw.shape[1] != len(classes):
        aligned = np.full((raw.shape[0], len(classes)), 0.0 if method == "predict_proba" else -np.inf)
        aligned[:, np.searchsorted(classes, fitted_classes)] = raw
        finite = aligned[np.isfinite(aligned)]
        raw = np.where(np.isfinite(aligned), aligned, (finite.min() if finite.size else 0.0) - 1.0)
    return raw


def _fold_scores(estimator, X, y, train, test, fit_params, method, target_type, classes, pos_index):
    """Fit a clone on ``train`` (unless ``train`` is None: prefit) and score ``test``."""
    if train is not None:
        estimator.fit(_safe_indexing(X, train), _safe_indexing(y, train),
                      **_check_method_params(X, fit_params, indices=train))
    return _scores(estimator, _safe_indexing(X, test), method, target_type, classes, pos_index), estimator


# -------------------------------------------------------------------- the estimator


def _estimator_has(attr):
    def check(self):
        return hasattr(getattr(self, "estimator_", self.estimator), attr)

    return check


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

    def _check_target(self, y):
        name = type(self).__name__
        if y is None:
            raise ValueError(f"{name} requires y to be passed, but the target y is None.")
        check_not_label_lists(y, name=name)
        if not sp.issparse(y):
            y = np.asarray(y)
            if y.ndim == 2 and y.shape[1] == 1:
                y = column_or_1d(y, warn=True)
        target_type = type_of_target(y, input_name="y")
        if target_type not in _TARGET_TYPES:
            raise ValueError(f"Unknown label type: {target_type!r}. {name} takes binary or multi-class labels "
                             "or a 0/1 multi-label indicator matrix.")
        if target_type == "multilabel-indicator":
            Y = (y != 0).toarray() if sp.issparse(y) else np.asarray(y) != 0
            return y, Y, target_type, None
        classes = np.unique(y)
        if len(classes) < 2:
            raise ValueError(f"{name} needs samples of at least 2 classes in the data, but the data contains "
                             f"only one class: {classes[0] if len(classes) else 'none (y is empty)'}.")
        return y, None, target_type, classes

    def _make_splits(self, X, y, Y, groups, target_type):
        """The (train, test) index pairs; train is None for 'prefit'."""
        n_samples = _num_samples(X)
        if isinstance(self.cv, str):  # 'prefit'
            return [(None, np.arange(n_samples))], False
        if isinstance(self.cv, Real) and not isinstance(self.cv, Integral):
            if target_type == "multilabel-indicator":
                seed = check_random_state(self.random_state).randint(np.iinfo(np.int32).max)
                parts = _iterative_stratification(Y, [1 - self.cv, self.cv], np.random.default_rng(seed))
                return [(np.flatnonzero(parts == 0), np.flatnonzero(parts == 1))], True
            cv = StratifiedShuffleSplit(n_splits=1, test_size=self.cv, random_state=self.random_state)
        elif self.cv is None or isinstance(self.cv, Integral):
            n_splits = 5 if self.cv is None else self.cv
            cv = (MultilabelStratifiedKFold(n_splits) if target_type == "multilabel-indicator"
                  else StratifiedKFold(n_splits))
        else:
            cv = check_cv(self.cv, y, classifier=True)
        splits = [(np.asarray(train), np.asarray(test)) for train, test in cv.split(X, y, groups)]
        return splits, len(splits) == 1

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
            The thresholds are chosen without sample weights.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        y, Y, target_type, classes = self._check_target(y)
        X, y = indexable(X, y)
        name = type(self).__name__
        prefit = isinstance(self.cv, str)
        if prefit:
            if self.refit:
                raise ValueError("When cv='prefit', refit cannot be True.")
            try:
                check_is_fitted(self.estimator)
            except NotFittedError as exc:
                raise NotFittedError("When cv='prefit', `estimator` must be fitted.") from exc
        if self.objective is not None and target_type != "multilabel-indicator":
            raise ValueError(f"objective={self.objective!r} applies to multi-label targets only; y is {target_type}.")
        metric = _resolve_scoring(self.scoring, target_type)
        if self.objective == "micro" and metric.kind not in _AVERAGED:
            raise ValueError(f"objective='micro' needs a scoring computed from counts (F-beta, precision, recall "
                             f"or Jaccard); got scoring={metric.name}.")
        method = _response_method(self.estimator, self.response_method)
        if target_type == "multiclass" and self.class_adjustment == "weight" and method != "predict_proba":
            raise ValueError("class_adjustment='weight' multiplies non-negative scores; it needs predict_proba, "
                             f"but {method} is used. Use class_adjustment='offset'.")
        pos_index = None
        if target_type == "binary":
            pos_label = classes[1] if metric.pos_label is None else metric.pos_label
            if pos_label not in classes.tolist():
                raise ValueError(f"pos_label={pos_label!r} of scoring is not a class of y: {classes.tolist()}.")
            pos_index = classes.tolist().index(pos_label)
            self.pos_label_ = classes[pos_index]

        splits, single = self._make_splits(X, y, Y, groups, target_type)
        if not prefit and not self.refit and not single:
            raise ValueError("When cv has several folds, refit cannot be False.")
        if not splits:
            raise ValueError(f"cv={self.cv!r} gave no split.")
        scorer = self.estimator if prefit else None
        results = Parallel(n_jobs=self.n_jobs)(
            delayed(_fold_scores)(scorer if prefit else clone(self.estimator), X, y, train, test, fit_params,
                                  method, target_type, classes, pos_index)
            for train, test in splits
        )
        indices = np.concatenate([test for _, test in splits])
        order = np.argsort(indices, kind="stable")
        self.oof_indices_ = indices[order]
        self.oof_scores_ = np.concatenate([scores for scores, _ in results])[order]
        if not np.isfinite(self.oof_scores_).all():
            raise ValueError(f"The estimator's {method} gave NaN or infinite scores; {name} needs finite scores.")
        self.target_type_ = target_type
        self.response_method_ = method
        self.default_threshold_ = float(
            self.default_threshold if self.default_threshold != "auto"
            else (0.5 if method == "predict_proba" else 0.0)
        )
        self.n_iter_ = 0
        if target_type == "binary":
            self._fit_binary(_safe_indexing(y, self.oof_indices_), classes, pos_index, metric)
        elif target_type == "multiclass":
            self._fit_multiclass(_safe_indexing(y, self.oof_indices_), classes, metric)
        else:
            self._fit_multilabel(Y[self.oof_indices_], metric)

        if prefit:
            self.estimator_ = self.estimator
        elif self.refit:
            self.estimator_ = clone(self.estimator).fit(X, y, **fit_params)
        else:
            self.estimator_ = results[0][1]
        for attribute in ("n_features_in_", "feature_names_in_"):
            if hasattr(self.estimator_, attribute):
                setattr(self, attribute, getattr(self.estimator_, attribute))
        return self

    def _fit_binary(self, y, classes, pos_index, metric):
        positive = np.asarray(y) == classes[pos_index]
        labels = (classes[1 - pos_index], classes[pos_index])
        thresholds, values, _, _ = _binary_curve(positive, self.oof_scores_, metric, y, labels,
                                                 self.max_candidates)
        best = _pick(thresholds, values, self.default_threshold_)
        self.thresholds_ = np.array([thresholds[best]])
        self.best_threshold_ = float(thresholds[best])
        self.best_score_ = float(values[best])
        self.default_score_ = self._binary_score_at(positive, y, labels, metric, self.default_threshold_)
        self.curves_ = {classes[pos_index]: _thin(thresholds, values, best, self.max_candidates)}

    def _binary_score_at(self, positive, y, labels, metric, threshold, scores=None):
        """The metric of one binary column at one threshold."""
        scores = self.oof_scores_ if scores is None else scores
        predicted = scores >= threshold
        if metric.kind is not None:
            tp = np.sum(predicted & positive)
            fp = np.sum(predicted & ~positive)
            fn = np.sum(~predicted & positive)
            tn = len(positive) - tp - fp - fn
            return float(metric.from_counts([[tn, tp]], [[fn, fp]], [[fp, fn]], positive=1)[0])
        return float(metric(y, np.where(predicted, labels[1], labels[0])))

    def _fit_multilabel(self, Y, metric):
        n_labels = Y.shape[1]
        default = self.default_threshold_
        thresholds = np.full(n_labels, default)
        label_scores = np.zeros(n_labels)
        default_scores = np.zeros(n_labels)
        kept = np.zeros(n_labels, dtype=bool)
        curves, count_curves, chosen = {}, [], []
        for label in range(n_labels):
            positive = Y[:, label]
            scores = self.oof_scores_[:, label]
            cutoffs, values, tp, fp = _binary_curve(positive, scores, metric, positive.astype(int), (0, 1),
                                                    self.max_candidates)
            best = _pick(cutoffs, values, default)
            default_scores[label] = self._binary_score_at(positive, positive.astype(int), (0, 1), metric,
                                                          default, scores)
            if self.min_score is not None and values[best] < self.min_score:
                kept[label] = True
                # the candidate that predicts what the default threshold predicts
                best = min(int(np.searchsorted(cutoffs, default, side="left")), len(cutoffs) - 1)
                label_scores[label] = default_scores[label]
            else:
                thresholds[label] = cutoffs[best]
                label_scores[label] = values[best]
            curves[label] = _thin(cutoffs, values, best, self.max_candidates)
            if self.objective == "micro":
                count_curves.append((cutoffs, tp, fp, int(positive.sum())))
                chosen.append(best)
        if self.objective == "micro":
            self.n_iter_ = _tune_multilabel_micro(count_curves, kept, chosen, metric, self.max_iter)
            for label in np.flatnonzero(~kept):
                thresholds[label] = count_curves[label][0][chosen[label]]
            tp = np.array([c[1][i] for c, i in zip(count_curves, chosen)])
            fp = np.array([c[2][i] for c, i in zip(count_curves, chosen)])
            n_pos = Y.sum(axis=0)
            self.best_score_ = float(metric.pooled(tp.sum(), fp.sum(), n_pos.sum() - tp.sum()))
            predicted = self.oof_scores_ >= default
            self.default_score_ = float(metric.pooled((predicted & Y).sum(), (predicted & ~Y).sum(),
                                                      (~predicted & Y).sum()))
            for label in np.flatnonzero(~kept):
                positive = Y[:, label]
                label_scores[label] = self._binary_score_at(positive, positive.astype(int), (0, 1), metric,
                                                            thresholds[label], self.oof_scores_[:, label])
        else:
            self.best_score_ = float(label_scores.mean())
            self.default_score_ = float(default_scores.mean())
        self.thresholds_ = thresholds
        self.kept_default_ = kept
        self.label_scores_ = label_scores
        self.curves_ = curves

    def _fit_multiclass(self, y, classes, metric):
        codes = np.searchsorted(classes, y)
        scores = self.oof_scores_
        vars(self).pop("prior_tau_", None)
        self.class_adjustment_ = self.class_adjustment
        if self.class_adjustment in ("auto", "prior"):
            self.class_adjustment_ = "weight" if self.response_method_ == "predict_proba" else "offset"
        if self.class_adjustment_ == "weight":
            scores = self._log(scores)
        if self.class_adjustment == "prior":
            offsets, curves, n_iter = _tune_prior_offsets(scores, codes, metric, classes, y)
            taus, values = curves["tau"]
            self.prior_tau_ = float(taus[np.argmax(values)])
        else:
            offsets, curves, n_iter = _tune_offsets(scores, codes, metric, classes, y, self.max_iter,
                                                    self.max_candidates)
        self.class_offsets_ = offsets
        if self.class_adjustment_ == "weight":
            self.class_weights_ = np.exp(offsets)
        self.n_iter_ = n_iter
        self.curves_ = curves
        self.best_score_ = float(metric(y, classes[(scores + offsets).argmax(axis=1)]))
        self.default_score_ = float(metric(y, classes[scores.argmax(axis=1)]))

    @staticmethod
    def _log(scores):
        if (scores < 0).any():
            raise ValueError("class_adjustment='weight' needs non-negative scores.")
        return np.log(np.maximum(scores, np.finfo(float).tiny))

    # ------------------------------------------------------------ predict

    @property
    def classes_(self):
        """Class labels of the fitted estimator."""
        return self.estimator_.classes_

    def _final_scores(self, X):
        check_is_fitted(self, "estimator_")
        classes = np.asarray(self.classes_) if self.target_type_ != "multilabel-indicator" else None
        pos_index = None
        if self.target_type_ == "binary":
            pos_index = int(np.flatnonzero(classes == self.pos_label_)[0])
        return _scores(self.estimator_, X, self.response_method_, self.target_type_, classes, pos_index)

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
        if self.target_type_ == "multilabel-indicator":
            return (scores >= self.thresholds_).astype(int)
        classes = np.asarray(self.classes_)
        if self.target_type_ == "binary":
            negative = classes[classes != self.pos_label_][0]
            return np.where(scores >= self.thresholds_[0], self.pos_label_, negative)
        if self.class_adjustment_ == "weight":
            scores = self._log(scores)
        return classes[(scores + self.class_offsets_).argmax(axis=1)]

    @available_if(_estimator_has("predict_proba"))
    def predict_proba(self, X):
        """Probabilities of the fitted estimator, unchanged by the thresholds.

        Parameters
        ----------
        X : array-like, sparse matrix or list of str of shape (n_samples, ...)
            Input accepted by the estimator.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            ``estimator_.predict_proba(X)``.
        """
        check_is_fitted(self, "estimator_")
        return self.estimator_.predict_proba(X)

    @available_if(_estimator_has("predict_log_proba"))
    def predict_log_proba(self, X):
        """Log-probabilities of the fitted estimator, unchanged by the thresholds.

        Parameters
        ----------
        X : array-like, sparse matrix or list of str of shape (n_samples, ...)
            Input accepted by the estimator.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            ``estimator_.predict_log_proba(X)``.
        """
        check_is_fitted(self, "estimator_")
        return self.estimator_.predict_log_proba(X)

    @available_if(_estimator_has("decision_function"))
    def decision_function(self, X):
        """Decision function of the fitted estimator, unchanged by the thresholds.

        Parameters
        ----------
        X : array-like, sparse matrix or list of str of shape (n_samples, ...)
            Input accepted by the estimator.

        Returns
        -------
        scores : ndarray of shape (n_samples,) or (n_samples, n_outputs)
            ``estimator_.decision_function(X)``.
        """
        check_is_fitted(self, "estimator_")
        return self.estimator_.decision_function(X)

    def plot_curves(self, labels=None, *, ax=None):
        """Plot the out-of-fold metric against the threshold (offset) of each label or class.

        Needs matplotlib, which skltext does not install.

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
        check_is_fitted(self, "curves_")
        try:
            import matplotlib.pyplot as plt
        except ImportError as exc:
            raise ImportError("plot_curves needs matplotlib: pip install matplotlib") from exc
        if ax is None:
            _, ax = plt.subplots()
        for key in self.curves_ if labels is None else labels:
            cutoffs, values = self.curves_[key]
            (line,) = ax.plot(cutoffs, values, label=str(key))
            ax.plot(cutoffs[np.argmax(values)], np.max(values), "o", color=line.get_color())
        xlabel = "class offset" if self.target_type_ == "multiclass" else "threshold"
        ax.set_xlabel("tau" if getattr(self, "prior_tau_", None) is not None else xlabel)
        ax.set_ylabel("out-of-fold score")
        ax.legend()
        return ax

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        inner = get_tags(self.estimator)
        tags.input_tags.sparse = inner.input_tags.sparse
        tags.input_tags.string = inner.input_tags.string
        tags.input_tags.allow_nan = inner.input_tags.allow_nan
        tags.input_tags.categorical = inner.input_tags.categorical
        tags.input_tags.positive_only = inner.input_tags.positive_only
        if inner.classifier_tags is not None:
            tags.classifier_tags.multi_label = inner.classifier_tags.multi_label
            tags.classifier_tags.poor_score = inner.classifier_tags.poor_score
        tags.target_tags.required = True
        return tags
