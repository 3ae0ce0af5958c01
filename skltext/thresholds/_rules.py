"""Decision rules chosen on out-of-fold scores, one per target type.

Each rule takes the pooled out-of-fold scores in :meth:`fit` (``(n,)`` scores
of the positive class for binary targets, ``(n, n_outputs)`` otherwise) and
turns new scores into predictions in :meth:`decide`. Its fitted attributes
(``thresholds_``, ``class_offsets_``, ...) are copied onto the estimator,
which keeps no rule object: :meth:`restore_from` rebuilds one from them, so a
model loaded by :func:`skltext.load_model` predicts as the saved one.
"""

import numpy as np

from ._search import binary_curve, binary_score_at, pick, thin, tune_multilabel_micro, tune_offsets, tune_prior_offsets

__all__ = ["RULES", "BinaryRule", "MulticlassRule", "MultilabelRule", "positive_class"]


def positive_class(classes, metric):
    """The class whose score a binary threshold applies to: the metric's ``pos_label``, else ``classes[1]``."""
    pos_label = classes[1] if metric.pos_label is None else metric.pos_label
    if pos_label not in classes.tolist():
        raise ValueError(f"pos_label={pos_label!r} of scoring is not a class of y: {classes.tolist()}.")
    return classes[classes.tolist().index(pos_label)]


class _Rule:
    """A decision rule; ``attributes`` names the fitted attributes it shares with the estimator."""

    attributes = ()

    def export_to(self, estimator):
        """Set the fitted attributes of this rule on ``estimator``."""
        for name in self.attributes:
            if name in vars(self):
                setattr(estimator, name, getattr(self, name))

    def restore_from(self, estimator):
        """Take the fitted attributes back from ``estimator``; returns self."""
        for name in self.attributes:
            if hasattr(estimator, name):
                setattr(self, name, getattr(estimator, name))
        return self


class BinaryRule(_Rule):
    """One threshold on the positive class's score; a row is positive when its score is at least the threshold."""

    attributes = ("pos_label_", "thresholds_", "best_threshold_", "best_score_", "default_score_", "curves_",
                  "n_iter_")

    def __init__(self, *, classes, pos_label, default_threshold, max_candidates):
        self.classes = np.asarray(classes)
        self.pos_label = pos_label
        self.default_threshold = default_threshold
        self.max_candidates = max_candidates

    def _labels(self):
        """(negative class, positive class)."""
        return self.classes[self.classes != self.pos_label][0], self.pos_label

    def fit(self, oof_scores, y, metric):
        y = np.asarray(y)
        positive = y == self.pos_label
        labels = self._labels()
        thresholds, values, _, _ = binary_curve(positive, oof_scores, metric, y, labels, self.max_candidates)
        best = pick(thresholds, values, self.default_threshold)
        self.pos_label_ = self.pos_label
        self.thresholds_ = np.array([thresholds[best]])
        self.best_threshold_ = float(thresholds[best])
        self.best_score_ = float(values[best])
        self.default_score_ = binary_score_at(positive, oof_scores, self.default_threshold, metric, y, labels)
        self.curves_ = {self.pos_label: thin(thresholds, values, best, self.max_candidates)}
        self.n_iter_ = 0
        return self

    def decide(self, scores):
        negative, positive = self._labels()
        return np.where(scores >= self.thresholds_[0], positive, negative)


class MultilabelRule(_Rule):
    """One threshold per label ("SCut"), with the ``min_score`` guard and an optional micro-average ascent."""

    attributes = ("thresholds_", "kept_default_", "label_scores_", "best_score_", "default_score_", "curves_",
                  "n_iter_")

    def __init__(self, *, default_threshold, min_score, objective, max_candidates, max_iter):
        self.default_threshold = default_threshold
        self.min_score = min_score
        self.objective = objective
        self.max_candidates = max_candidates
        self.max_iter = max_iter

    def fit(self, oof_scores, y, metric):
        Y = np.asarray(y) != 0
        n_labels = Y.shape[1]
        self.thresholds_ = np.full(n_labels, float(self.default_threshold))
        self.label_scores_ = np.zeros(n_labels)
        self.kept_default_ = np.zeros(n_labels, dtype=bool)
        self.curves_ = {}
        self.n_iter_ = 0
        fitted = [self._fit_label(label, oof_scores[:, label], Y[:, label], metric) for label in range(n_labels)]
        if self.objective == "micro":
            self._tune_micro(oof_scores, Y, metric, [curve for curve, _, _ in fitted], [best for _, best, _ in fitted])
        else:
            self.best_score_ = float(self.label_scores_.mean())
            self.default_score_ = float(np.mean([default for _, _, default in fitted]))
        return self

    def _fit_label(self, label, scores, positive, metric):
        """Tune one label; returns its count curve, the index of its chosen candidate and its default score."""
        y01, default = positive.astype(int), self.default_threshold
        cutoffs, values, tp, fp = binary_curve(positive, scores, metric, y01, (0, 1), self.max_candidates)
        best = pick(cutoffs, values, default)
        default_score = binary_score_at(positive, scores, default, metric, y01, (0, 1))
        if self.min_score is not None and values[best] < self.min_score:
            self.kept_default_[label] = True
            # the candidate that predicts what the default threshold predicts
            best = min(int(np.searchsorted(cutoffs, default, side="left")), len(cutoffs) - 1)
            self.label_scores_[label] = default_score
        else:
            self.thresholds_[label] = cutoffs[best]
            self.label_scores_[label] = values[best]
        self.curves_[label] = thin(cutoffs, values, best, self.max_candidates)
        return (cutoffs, tp, fp, int(positive.sum())), best, default_score

    def _tune_micro(self, oof_scores, Y, metric, count_curves, chosen):
        """Coordinate ascent of the micro-averaged metric, from the per-label thresholds."""
        self.n_iter_ = tune_multilabel_micro(count_curves, self.kept_default_, chosen, metric, self.max_iter)
        tp = sum(curve[1][index] for curve, index in zip(count_curves, chosen))
        fp = sum(curve[2][index] for curve, index in zip(count_curves, chosen))
        self.best_score_ = float(metric.pooled(tp, fp, Y.sum() - tp))
        predicted = oof_scores >= self.default_threshold
        self.default_score_ = float(metric.pooled((predicted & Y).sum(), (predicted & ~Y).sum(),
                                                  (~predicted & Y).sum()))
        for label in np.flatnonzero(~self.kept_default_):
            self.thresholds_[label] = count_curves[label][0][chosen[label]]
            positive = Y[:, label]
            self.label_scores_[label] = binary_score_at(positive, oof_scores[:, label], self.thresholds_[label],
                                                        metric, positive.astype(int), (0, 1))

    def decide(self, scores):
        return (scores >= self.thresholds_).astype(int)


class MulticlassRule(_Rule):
    """Per-class offsets added to the scores (or weights multiplying them) before the argmax."""

    attributes = ("class_adjustment_", "prior_tau_", "class_offsets_", "class_weights_", "best_score_",
                  "default_score_", "curves_", "n_iter_")

    def __init__(self, *, classes, class_adjustment, response_method, max_candidates, max_iter):
        self.classes = np.asarray(classes)
        self.class_adjustment = class_adjustment
        self.response_method = response_method
        self.max_candidates = max_candidates
        self.max_iter = max_iter

    def fit(self, oof_scores, y, metric):
        y, classes = np.asarray(y), self.classes
        codes = np.searchsorted(classes, y)
        self.class_adjustment_ = self.class_adjustment
        if self.class_adjustment in ("auto", "prior"):
            self.class_adjustment_ = "weight" if self.response_method == "predict_proba" else "offset"
        scores = self._adjusted(oof_scores)
        if self.class_adjustment == "prior":
            offsets, curves, n_iter = tune_prior_offsets(scores, codes, metric, classes, y)
            taus, values = curves["tau"]
            self.prior_tau_ = float(taus[np.argmax(values)])
        else:
            offsets, curves, n_iter = tune_offsets(scores, codes, metric, classes, y, self.max_iter,
                                                   self.max_candidates)
        self.class_offsets_ = offsets
        if self.class_adjustment_ == "weight":
            self.class_weights_ = np.exp(offsets)
        self.n_iter_ = n_iter
        self.curves_ = curves
        self.best_score_ = float(metric(y, classes[(scores + offsets).argmax(axis=1)]))
        self.default_score_ = float(metric(y, classes[scores.argmax(axis=1)]))
        return self

    def _adjusted(self, scores):
        """The scores the offsets are added to: log-scores when they apply as weights."""
        if self.class_adjustment_ != "weight":
            return scores
        if (scores < 0).any():
            raise ValueError("class_adjustment='weight' needs non-negative scores.")
        return np.log(np.maximum(scores, np.finfo(float).tiny))

    def decide(self, scores):
        return self.classes[(self._adjusted(scores) + self.class_offsets_).argmax(axis=1)]


RULES = {"binary": BinaryRule, "multilabel-indicator": MultilabelRule, "multiclass": MulticlassRule}
