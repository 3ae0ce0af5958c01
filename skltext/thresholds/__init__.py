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

The package has one module per concern: ``_metric`` (the ``scoring``
parameter as a metric of predicted labels), ``_search`` (the threshold and
offset searches, in NumPy only), ``_rules`` (one decision rule per target
type, fitted on out-of-fold scores), ``_scores`` (the splits and the scores
they give), ``_validation`` (checks of the settings against the target) and
``_optimizer`` (the estimator). The curves are drawn by
:class:`skltext.plotting.ThresholdCurveDisplay`.
"""

from ._optimizer import ThresholdOptimizer

__all__ = ["ThresholdOptimizer"]
