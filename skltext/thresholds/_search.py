"""Threshold search on out-of-fold scores, in NumPy only.

Candidate grids, the metric along one binary column's thresholds, the
coordinate ascent of the micro-averaged metric over multi-label thresholds,
and the per-class offset sweeps of multi-class targets. Metrics computed from
confusion counts are evaluated at every distinct score in one sorted pass;
other metrics are called on at most ``max_candidates`` cut-offs.
"""

import numpy as np

__all__ = [
    "TIE",
    "binary_curve",
    "binary_score_at",
    "pick",
    "thin",
    "tune_multilabel_micro",
    "tune_offsets",
    "tune_prior_offsets",
]

# Scores within this distance of the best count as ties.
TIE = 1e-12


def binary_counts(y, scores):
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


def candidate_grid(scores, y, max_candidates):
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


def pick(candidates, scores, preferred):
    """Index of the best score; ties go to the candidate nearest ``preferred``, then the larger."""
    best = np.flatnonzero(scores >= scores.max() - TIE)
    distance = np.abs(candidates[best] - preferred)
    nearest = best[distance <= distance.min() + TIE * max(1.0, abs(preferred))]
    return nearest[-1]


def _spread(n, max_points, keep):
    """At most ``max_points`` indices of ``range(n)``, evenly spread, always with ``keep``."""
    if n <= max_points:
        return np.arange(n)
    return np.unique(np.r_[np.linspace(0, n - 1, max_points - 1).round().astype(int), keep])


def thin(candidates, scores, keep, max_points):
    """At most ``max_points`` points of a curve (always the ``keep`` index), for plotting."""
    index = _spread(len(candidates), max_points, keep)
    return candidates[index], scores[index]


def _binary_metric(metric, tp, fp, y):
    """The metric of each cut-off from its true and false positive counts on the indicator ``y``."""
    n_pos = int(y.sum())
    fn, tn = n_pos - tp, len(y) - n_pos - fp
    # columns: negative class, positive class
    return metric.from_counts(np.c_[tn, tp], np.c_[fn, fp], np.c_[fp, fn], positive=1)


def binary_curve(y, scores, metric, y_labels, labels, max_candidates):
    """Thresholds and metric values for one binary column.

    ``y`` is the boolean positive indicator; ``labels`` = (negative, positive)
    and ``y_labels`` the original labels, for metrics called on labels.
    """
    if metric.kind is not None:
        thresholds, tp, fp = binary_counts(y, scores)
        return thresholds, _binary_metric(metric, tp, fp, y), tp, fp
    thresholds = candidate_grid(scores, y, max_candidates)
    negative, positive = labels
    values = np.array([metric(y_labels, np.where(scores >= t, positive, negative)) for t in thresholds])
    return thresholds, values, None, None


def binary_score_at(y, scores, threshold, metric, y_labels, labels):
    """The metric of one binary column at one threshold (arguments as :func:`binary_curve`)."""
    predicted = scores >= threshold
    if metric.kind is not None:
        tp, fp = np.sum(predicted & y), np.sum(predicted & ~y)
        return float(_binary_metric(metric, np.array([tp]), np.array([fp]), y)[0])
    return float(metric(y_labels, np.where(predicted, labels[1], labels[0])))


def tune_multilabel_micro(curves, frozen, chosen, metric, max_iter):
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
            best = pick(thresholds, values, thresholds[current])
            if values[best] > values[current] + TIE:
                chosen[label] = best
                tp_now[label], fp_now[label] = tp[best], fp[best]
                changed = True
        if not changed:
            break
    return n_iter


def offset_sweep(scores, codes, offsets, k, metric, classes, y_labels, max_candidates):
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
        for i in _spread(len(cuts), max_candidates, current):
            predicted = runner_up.copy()
            predicted[order[:cuts[i]]] = k
            values[i] = metric(y_labels, classes[predicted])
    return candidates, values, current


# Strengths of post-hoc logit adjustment tried by class_adjustment='prior'.
PRIOR_TAUS = np.linspace(0.0, 2.0, 21)


def tune_prior_offsets(scores, codes, metric, classes, y_labels):
    """Offsets ``-tau * log(prior)`` with the ``tau`` of the grid that scores best (the smallest on ties)."""
    counts = np.bincount(codes, minlength=len(classes)).astype(float)
    # A class absent from the out-of-fold rows gets half a document's share.
    log_prior = np.log(np.maximum(counts, 0.5) / len(codes))
    values = np.array([metric(y_labels, classes[(scores - tau * log_prior).argmax(axis=1)]) for tau in PRIOR_TAUS])
    best = PRIOR_TAUS[int(np.argmax(values))]
    return -best * log_prior, {"tau": (PRIOR_TAUS, values)}, 1


def tune_offsets(scores, codes, metric, classes, y_labels, max_iter, max_candidates):
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
            candidates, values, current = offset_sweep(scores, codes, offsets, k, metric, classes, y_labels,
                                                        max_candidates)
            best = pick(candidates, values, offsets[k])
            if values[best] > values[current] + TIE:
                offsets[k] = candidates[best]
                changed = True
        if not changed:
            break
    curves = {}
    for k in range(n_classes):
        candidates, values, current = offset_sweep(scores, codes, offsets, k, metric, classes, y_labels,
                                                    max_candidates)
        keep = np.isfinite(values)
        index = np.flatnonzero(keep)
        curves[classes[k]] = thin(candidates[keep], values[keep], int(np.searchsorted(index, current)),
                                   max_candidates)
    return offsets, curves, n_iter

