"""Plots of fitted text classifiers and their out-of-fold predictions (matplotlib).

- :func:`plot_history`: training against validation loss per epoch of a deep
  model (or of one per cross-validation fold), the picture that shows
  over-fitting;
- :func:`plot_per_class_f1`: F1 of each class, for several models side by side;
- :func:`plot_precision_recall`: precision-recall curve of each class or label
  (scikit-learn's ``PrecisionRecallDisplay``), with the operating point of the
  predicted labels marked, so tuned and default thresholds can be compared;
- :func:`plot_confusion_matrix`: scikit-learn's ``ConfusionMatrixDisplay``,
  normalised by true class;
- :class:`ThresholdCurveDisplay`: the out-of-fold metric against the
  threshold (or class offset) of each label or class of a fitted
  :class:`~skltext.ThresholdOptimizer`, in scikit-learn's Display pattern.

Every function draws on ``ax`` when given (a new figure's axes otherwise)
and returns the axes.
"""

import inspect
import warnings

import numpy as np
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.metrics import ConfusionMatrixDisplay, PrecisionRecallDisplay, f1_score, precision_score, recall_score
from sklearn.utils.validation import check_is_fitted

__all__ = ["plot_history", "plot_per_class_f1", "plot_precision_recall", "plot_confusion_matrix",
           "ThresholdCurveDisplay"]


def _axes(ax):
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots()
    return ax


def model_with_history(estimator):
    """The Keras classifier inside a pipeline or a ThresholdOptimizer (fitted ones first)."""
    seen = estimator
    for _ in range(10):  # wrappers nest only a few levels deep
        if hasattr(seen, "history_"):
            return seen
        if hasattr(seen, "estimator_"):
            seen = seen.estimator_
        elif hasattr(seen, "steps"):
            seen = seen.steps[-1][1]
        else:
            break
    raise ValueError(f"plot_history needs a fitted skltext classifier, or a pipeline or ThresholdOptimizer "
                     f"ending in one; {type(seen).__name__} has no training history (history_).")


def plot_history(estimator, *, metric="loss", ax=None):
    """Plot the training and validation ``metric`` per epoch of fitted deep models.

    Solid lines are the training data, dashed lines the early-stopping
    validation data, one colour per model; a dot marks the epoch whose
    weights were kept (``best_epoch_``). A validation curve that turns up
    while the training curve keeps falling is over-fitting.

    Parameters
    ----------
    estimator : estimator or list of estimators
        Fitted :class:`~skltext.LSTMClassifier` or
        :class:`~skltext.CNNClassifier`, or a pipeline or
        :class:`~skltext.ThresholdOptimizer` ending in one; a list (e.g. one
        per cross-validation fold) draws one pair of curves each.
    metric : str, default='loss'
        Key of ``history_``: ``'loss'`` or ``'accuracy'`` (the validation
        curve is ``'val_' + metric``).
    ax : matplotlib Axes, default=None
        Axes to draw on; a new figure's when None.

    Returns
    -------
    ax : matplotlib Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn.pipeline import make_pipeline
    >>> from skltext import CNNClassifier, TextTokenizer
    >>> from skltext.plotting import plot_history
    >>> texts, y = ["good", "bad", "fine", "awful"] * 10, ["pos", "neg", "pos", "neg"] * 10
    >>> pipe = make_pipeline(TextTokenizer(), CNNClassifier(filters=2, kernel_sizes=(1,), embedding_dim=4,
    ...                                                     epochs=2, random_state=0)).fit(texts, y)
    >>> ax = plot_history(pipe)
    >>> [line.get_label() for line in ax.get_lines()][:2]
    ['training', 'validation']
    """
    estimators = list(estimator) if isinstance(estimator, (list, tuple)) else [estimator]
    models = [model_with_history(est) for est in estimators]
    ax = _axes(ax)
    for number, model in enumerate(models):
        history = model.history_
        if metric not in history:
            raise ValueError(f"history_ has no {metric!r}; it has {sorted(history)}.")
        color = f"C{number % 10}"
        prefix = f"fold {number + 1} " if len(models) > 1 else ""
        epochs = np.arange(1, len(history[metric]) + 1)
        ax.plot(epochs, history[metric], color=color, label=f"{prefix}training")
        validation = history.get(f"val_{metric}")
        if validation:
            ax.plot(epochs, validation, color=color, linestyle="--", label=f"{prefix}validation")
            best = getattr(model, "best_epoch_", None)
            if best is not None and 1 <= best <= len(validation):
                ax.plot(best, validation[best - 1], "o", color=color)
    ax.set_xlabel("epoch")
    ax.set_ylabel(metric)
    ax.set_title(f"{metric} per epoch (solid: training, dashed: validation)")
    if len(models) <= 5:
        ax.legend(fontsize="small")
    return ax


def _indicator(y_true, classes):
    """0/1 matrix of ``y_true`` (labels or indicator) with one column per class, and the class names."""
    y_true = np.asarray(y_true)
    if y_true.ndim == 2:
        names = np.arange(y_true.shape[1]) if classes is None else np.asarray(classes)
        return y_true != 0, names
    names = np.unique(y_true) if classes is None else np.asarray(classes)
    return y_true[:, None] == names[None, :], names


def plot_per_class_f1(y_true, predictions, *, classes=None, ax=None):
    """Plot the F1 of each class (label) for several models side by side.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,) or (n_samples, n_labels)
        True class labels, or a 0/1 indicator matrix.
    predictions : dict of str to array-like
        Predicted labels (or indicator matrices) per model name.
    classes : array-like, default=None
        Classes to show, in this order (for an indicator matrix: the names
        of its columns); None shows every class of ``y_true``.
    ax : matplotlib Axes, default=None
        Axes to draw on; a new figure's when None.

    Returns
    -------
    ax : matplotlib Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from skltext.plotting import plot_per_class_f1
    >>> y = ["a", "a", "b", "c"]
    >>> ax = plot_per_class_f1(y, {"one": ["a", "b", "b", "c"], "two": ["a", "a", "b", "b"]})
    >>> [text.get_text() for text in ax.get_xticklabels()]
    ['a', 'b', 'c']
    """
    y_true = np.asarray(y_true)
    multilabel = y_true.ndim == 2
    _, names = _indicator(y_true, classes)
    ax = _axes(ax)
    width = 0.8 / max(len(predictions), 1)
    positions = np.arange(len(names))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        for number, (name, y_pred) in enumerate(predictions.items()):
            if multilabel:
                scores = f1_score(y_true, np.asarray(y_pred), average=None, zero_division=0)
            else:
                scores = f1_score(y_true, np.asarray(y_pred), labels=names, average=None, zero_division=0)
            ax.bar(positions + (number - (len(predictions) - 1) / 2) * width, scores, width, label=str(name))
    ax.set_xticks(positions, [str(name) for name in names], rotation=90 if len(names) > 8 else 0)
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("F1")
    ax.set_title("F1 per class")
    ax.legend(fontsize="small")
    return ax


def _curve_style(**style):
    """Line style for PrecisionRecallDisplay: ``curve_kwargs`` from scikit-learn 1.8, plain keywords before."""
    if "curve_kwargs" in inspect.signature(PrecisionRecallDisplay.from_predictions).parameters:
        return {"curve_kwargs": style}
    return style


def plot_precision_recall(y_true, y_score, *, classes=None, y_pred=None, max_curves=10, ax=None):
    """Plot the precision-recall curve of each class or label, with the predictions' operating points.

    Each class (label) is scored against the rest with its column of
    ``y_score`` (scikit-learn's ``PrecisionRecallDisplay``). With
    ``y_pred``, a marker on each curve shows the precision and recall of the
    predicted labels: where the decision threshold (default or tuned, e.g.
    by :class:`~skltext.ThresholdOptimizer`) puts the model.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,) or (n_samples, n_labels)
        True class labels, or a 0/1 indicator matrix.
    y_score : array-like of shape (n_samples, n_classes)
        Scores of each class (probabilities or decision values), in the
        order of ``classes``.
    classes : array-like, default=None
        The class of each column of ``y_score`` (for an indicator matrix:
        the names of its columns); None means ``np.unique(y_true)``.
    y_pred : array-like of shape (n_samples,) or (n_samples, n_labels), default=None
        Predicted labels whose operating points are marked.
    max_curves : int, default=10
        Most curves drawn; with more classes, the rarest ones are drawn.
    ax : matplotlib Axes, default=None
        Axes to draw on; a new figure's when None.

    Returns
    -------
    ax : matplotlib Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from skltext.plotting import plot_precision_recall
    >>> y = ["a", "b", "b", "a"]
    >>> scores = [[0.8, 0.2], [0.3, 0.7], [0.6, 0.4], [0.9, 0.1]]
    >>> ax = plot_precision_recall(y, scores, y_pred=["a", "b", "a", "a"])
    >>> len(ax.get_lines())  # two curves and two operating points
    4
    """
    indicator, names = _indicator(y_true, classes)
    y_score = np.asarray(y_score, dtype=float)
    if y_score.shape != indicator.shape:
        raise ValueError(f"y_score must have shape {indicator.shape} (one column per class), got {y_score.shape}.")
    support = indicator.sum(axis=0)
    shown = [k for k in np.argsort(support, kind="stable") if support[k] > 0][:max_curves]
    shown.sort()
    if y_pred is not None:
        predicted, _ = _indicator(y_pred, names)
    ax = _axes(ax)
    for number, k in enumerate(shown):
        color = f"C{number % 10}"
        known = ~np.isnan(y_score[:, k])
        PrecisionRecallDisplay.from_predictions(indicator[known, k], y_score[known, k], pos_label=True,
                                                name=f"{names[k]} (n={support[k]})", ax=ax,
                                                **_curve_style(color=color))
        if y_pred is not None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UndefinedMetricWarning)
                precision = precision_score(indicator[:, k], predicted[:, k], zero_division=0)
                recall = recall_score(indicator[:, k], predicted[:, k], zero_division=0)
            ax.plot(recall, precision, "o", color=color, markersize=8, markeredgecolor="black")
    ax.set_xlim(0, 1.02)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("recall")
    ax.set_ylabel("precision")
    title = "Precision-recall per class"
    ax.set_title(title + ("; dots: the predictions' operating points" if y_pred is not None else ""),
                 fontsize="medium")
    ax.legend(fontsize="x-small", loc="lower left")
    return ax


def plot_confusion_matrix(y_true, y_pred, *, classes=None, normalize="true", ax=None):
    """Plot the confusion matrix (scikit-learn's ``ConfusionMatrixDisplay``), rows normalised.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
        True and predicted class labels.
    classes : array-like, default=None
        Classes in display order; None means all classes, sorted.
    normalize : {'true', 'pred', 'all'} or None, default='true'
        As in ``sklearn.metrics.confusion_matrix``: 'true' shows each true
        class's share predicted as each class (recall on the diagonal).
    ax : matplotlib Axes, default=None
        Axes to draw on; a new figure's when None.

    Returns
    -------
    ax : matplotlib Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from skltext.plotting import plot_confusion_matrix
    >>> ax = plot_confusion_matrix(["a", "b", "b"], ["a", "a", "b"])
    >>> ax.get_xlabel()
    'Predicted label'
    """
    if np.asarray(y_true).ndim == 2:
        raise ValueError("plot_confusion_matrix takes class labels; a multi-label target has one binary "
                         "confusion matrix per label (sklearn.metrics.multilabel_confusion_matrix).")
    ax = _axes(ax)
    many = classes is not None and len(classes) > 12 or len(np.unique(np.asarray(y_true))) > 12
    ConfusionMatrixDisplay.from_predictions(
        y_true, y_pred, labels=classes, normalize=normalize, ax=ax, colorbar=False, include_values=not many,
        values_format=".2f" if normalize else "d", xticks_rotation="vertical", cmap="Blues")
    return ax


class ThresholdCurveDisplay:
    """Out-of-fold metric against the threshold (or offset) of each label or class.

    Shows what :class:`~skltext.ThresholdOptimizer` chose: one line per key
    of its ``curves_`` and a dot at the best value of each. Create it with
    :meth:`from_estimator`; the constructor only stores the curves, and
    :meth:`plot` draws them (scikit-learn's Display pattern). Needs
    matplotlib, which skltext does not install.

    Parameters
    ----------
    curves : dict
        Per label, class or positive class, a tuple ``(cutoffs, values)`` of
        ascending cut-offs and the metric at each, as
        ``ThresholdOptimizer.curves_``.
    xlabel : str, default='threshold'
        Label of the x axis: 'threshold', 'class offset' or 'tau'.

    Attributes
    ----------
    lines_ : list of matplotlib Line2D
        The curves, in the order drawn.
    markers_ : list of matplotlib Line2D
        The best point of each curve.
    ax_ : matplotlib Axes
        Axes with the curves.
    figure_ : matplotlib Figure
        Figure containing the curves.

    See Also
    --------
    skltext.ThresholdOptimizer.plot_curves : The same plot, returning the axes.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skltext import ThresholdOptimizer
    >>> from skltext.plotting import ThresholdCurveDisplay
    >>> X, y = make_classification(200, weights=[0.8, 0.2], random_state=0)
    >>> tuned = ThresholdOptimizer(LogisticRegression(), cv=3).fit(X, y)
    >>> display = ThresholdCurveDisplay.from_estimator(tuned)
    >>> len(display.lines_), display.ax_.get_xlabel()
    (1, 'threshold')
    """

    def __init__(self, *, curves, xlabel="threshold"):
        self.curves = curves
        self.xlabel = xlabel

    def plot(self, ax=None, *, labels=None):
        """Draw the curves.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw on; a new figure's when None.
        labels : list or None, default=None
            Keys of ``curves`` to draw; None draws all of them.

        Returns
        -------
        display : ThresholdCurveDisplay
            This object, with ``lines_``, ``markers_``, ``ax_`` and ``figure_`` set.
        """
        try:
            import matplotlib.pyplot  # noqa: F401
        except ImportError as exc:
            raise ImportError(f"{type(self).__name__} needs matplotlib: pip install matplotlib") from exc
        ax = _axes(ax)
        self.lines_, self.markers_ = [], []
        for key in self.curves if labels is None else labels:
            cutoffs, values = self.curves[key]
            (line,) = ax.plot(cutoffs, values, label=str(key))
            (marker,) = ax.plot(cutoffs[np.argmax(values)], np.max(values), "o", color=line.get_color())
            self.lines_.append(line)
            self.markers_.append(marker)
        ax.set_xlabel(self.xlabel)
        ax.set_ylabel("out-of-fold score")
        ax.legend()
        self.ax_, self.figure_ = ax, ax.figure
        return self

    @classmethod
    def from_estimator(cls, estimator, *, labels=None, ax=None):
        """Plot the curves of a fitted :class:`~skltext.ThresholdOptimizer`.

        Parameters
        ----------
        estimator : ThresholdOptimizer
            Fitted; its ``curves_`` are drawn.
        labels : list or None, default=None
            Keys of ``curves_`` to draw; None draws all of them.
        ax : matplotlib Axes, default=None
            Axes to draw on; a new figure's when None.

        Returns
        -------
        display : ThresholdCurveDisplay
        """
        check_is_fitted(estimator, "curves_")
        if getattr(estimator, "prior_tau_", None) is not None:
            xlabel = "tau"
        else:
            xlabel = "class offset" if estimator.target_type_ == "multiclass" else "threshold"
        return cls(curves=estimator.curves_, xlabel=xlabel).plot(ax=ax, labels=labels)
