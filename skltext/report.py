"""A markdown report with figures of a :class:`~skltext.compare.Comparison`.

:func:`results_table` renders the results table in markdown, and
:func:`write_report` writes ``report.md`` (that table, the settings,
the per-class scores of the best model) and PNG figures next to it: the
per-class F1 of every model, the confusion matrix of the best model
(binary and multi-class targets), the training curves of the deep models and
the precision-recall curves of every model with their operating points
marked. Figures are drawn on ``matplotlib.figure.Figure`` objects, so no
window opens and no pyplot state is touched.
"""

import warnings
from pathlib import Path

import numpy as np

from .plotting import (
    model_with_history,
    plot_confusion_matrix,
    plot_history,
    plot_per_class_f1,
    plot_precision_recall,
)

__all__ = ["results_table", "write_report"]

# Column titles of the results tables.
_TITLES = {"accuracy": "accuracy", "micro_f1": "micro-F1", "macro_f1": "macro-F1", "pr_auc": "PR-AUC",
           "fit_time": "fit s", "predict_time": "predict s"}


def _figure(width, height):
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def _save(figure, path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # constrained layout may warn on crowded axes
        figure.savefig(path, dpi=110)
    return path


def _has_history(estimator):
    try:
        model_with_history(estimator)
    except ValueError:
        return False
    return True


def _per_class_table(comparison):
    """Markdown rows: precision, recall, F1 and support of the best model, and every model's F1."""
    best = comparison.best_model
    reports = {name: comparison.per_class_report(name) for name in comparison.models}
    others = [name for name in comparison.models if name != best]
    header = ["class", "support", f"precision ({best})", f"recall ({best})", f"F1 ({best})",
              *[f"F1 ({name})" for name in others]]
    lines = ["| " + " | ".join(header) + " |", "|---|" + "---:|" * (len(header) - 1)]
    for label in comparison.classes:
        row = reports[best][str(label)]
        cells = [str(label), str(int(row["support"])), f"{row['precision']:.3f}", f"{row['recall']:.3f}",
                 f"{row['f1-score']:.3f}", *[f"{reports[name][str(label)]['f1-score']:.3f}" for name in others]]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _describe_target(comparison):
    y = comparison.y
    if comparison.target_type == "multilabel-indicator":
        per_row = y.sum(axis=1)
        counts = y.sum(axis=0)
        return (f"multi-label, {len(comparison.classes)} labels ({per_row.mean():.2f} per document; "
                f"{int(counts.min())} to {int(counts.max())} documents per label)")
    _, counts = np.unique(y, return_counts=True)
    kind = "binary" if comparison.target_type == "binary" else "multi-class"
    return f"{kind}, {len(comparison.classes)} classes ({int(counts.min())} to {int(counts.max())} documents each)"


def _header(columns):
    return ["| model | " + " | ".join(_TITLES[c] for c in columns) + " |", "|---|" + "---:|" * len(columns)]


def _scores_table(comparison):
    """Markdown table of single scores (one fold: no standard deviation)."""
    columns = (*comparison.metrics, "predict_time")
    lines = _header(columns)
    for row in comparison.summary():
        cells = [f"{row[c]:.3f}" if c in comparison.metrics else f"{row[c]:.2f}" for c in columns]
        lines.append(f"| {row['model']} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def results_table(comparison):
    """The results table of a comparison in markdown: mean ± std over folds, best quality scores in bold.

    Parameters
    ----------
    comparison : :class:`~skltext.compare.Comparison`
        What :func:`~skltext.compare.compare_models` returned.

    Returns
    -------
    table : str
        One row per model; a column per quality metric (3 decimals) and for
        the fit and predict times (seconds, 2 decimals).

    Examples
    --------
    >>> from skltext.compare import compare_models
    >>> from skltext.datasets import make_text_classification
    >>> from skltext.report import results_table
    >>> texts, y = make_text_classification(90, n_classes=3, random_state=0)
    >>> print(results_table(compare_models(texts, y, models=["tfidf-svm"], cv=3)).splitlines()[0])
    | model | accuracy | macro-F1 | PR-AUC | fit s | predict s |
    """
    columns = (*comparison.metrics, "fit_time", "predict_time")
    rows = comparison.summary()
    best = {metric: max(row[metric] for row in rows) for metric in comparison.metrics}
    lines = _header(columns)
    for row in rows:
        cells = []
        for metric in columns:
            digits = 3 if metric in comparison.metrics else 2
            cell = f"{row[metric]:.{digits}f} ± {row[metric + '_std']:.{digits}f}"
            if metric in best and len(rows) > 1 and row[metric] == best[metric]:
                cell = f"**{cell}**"
            cells.append(cell)
        lines.append(f"| {row['model']} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


# ------------------------------------------------------------------------ figures


def _draw_per_class_f1(comparison, out):
    n_classes = len(comparison.classes)
    figure = _figure(max(6.0, 0.35 * n_classes * max(len(comparison.models), 2) / 2 + 2), 4.5)
    plot_per_class_f1(comparison.y, comparison.oof_predictions, classes=comparison.classes,
                      ax=figure.add_subplot())
    return _save(figure, out / "per_class_f1.png")


def _draw_confusion_matrix(comparison, out, held_out):
    best = comparison.best_model
    size = min(max(4.5, 0.45 * len(comparison.classes) + 2), 16)
    figure = _figure(size, size)
    ax = figure.add_subplot()
    plot_confusion_matrix(comparison.y, comparison.oof_predictions[best], classes=comparison.classes, ax=ax)
    ax.set_title(f"{best}: share of each true class" + ("" if held_out else " (out-of-fold)"))
    return _save(figure, out / "confusion_matrix.png")


def _draw_training_curves(comparison, out, deep):
    figure = _figure(5.5 * len(deep), 4.0)
    for name, ax in zip(deep, np.atleast_1d(figure.subplots(1, len(deep)))):
        plot_history(comparison.estimators[name], ax=ax)
        ax.set_title(f"{name}: loss per epoch, each fold\n(solid: training, dashed: validation)",
                     fontsize="medium")
    return _save(figure, out / "training_curves.png")


def _draw_precision_recall(comparison, out):
    columns = min(len(comparison.models), 2)
    rows = -(-len(comparison.models) // columns)
    figure = _figure(6.0 * columns, 5.0 * rows)
    axes = np.atleast_1d(figure.subplots(rows, columns)).ravel()
    for name, ax in zip(comparison.models, axes):
        plot_precision_recall(comparison.y, comparison.oof_scores[name], classes=comparison.classes,
                              y_pred=comparison.oof_predictions[name], ax=ax)
        ax.set_title(f"{name} (dots: operating points of its predictions)", fontsize="medium")
    for ax in axes[len(comparison.models):]:
        ax.set_visible(False)
    return _save(figure, out / "precision_recall.png")


def _draw_figures(comparison, out, held_out):
    """Save the figures into ``out``: {figure name: path}."""
    paths = {"per_class_f1": _draw_per_class_f1(comparison, out)}
    if comparison.target_type != "multilabel-indicator":
        paths["confusion_matrix"] = _draw_confusion_matrix(comparison, out, held_out)
    deep = [name for name in comparison.models if all(_has_history(e) for e in comparison.estimators[name])]
    if deep:
        paths["training_curves"] = _draw_training_curves(comparison, out, deep)
    paths["precision_recall"] = _draw_precision_recall(comparison, out)
    return paths


# ------------------------------------------------------------------------ report sections


def _heading_lines(comparison, title, description, command, evaluated_on):
    lines = [f"# {title}", ""]
    if description:
        lines.append(f"- data: {description}")
    lines.append(f"- target: {_describe_target(comparison)}")
    if evaluated_on is not None:
        lines.append(f"- evaluated on: {evaluated_on}")
    else:
        lines.append(f"- cross-validation: {comparison.cv!r}, {len(comparison.folds)} folds; every model ran on "
                     "the same folds")
    if command:
        lines.append(f"- reproduce: `{command}`")
    return lines


def _results_lines(comparison, held_out):
    first = comparison.metrics[0].replace("_", "-")
    if held_out:
        return ["", "## Results", "", _scores_table(comparison), "",
                f"{first}, macro-F1 and PR-AUC (average precision, macro-averaged over classes one-vs-rest) on "
                "every row of the file; predict time in seconds (labels and scores of all rows).", ""]
    return ["", f"## Results (mean ± std over {len(comparison.folds)} folds)", "", results_table(comparison), "",
            f"{first}, macro-F1 and PR-AUC (average precision, macro-averaged over classes one-vs-rest) of "
            "each test fold; fit and predict times in seconds per fold (predict: labels and scores of the "
            "test fold). Best quality scores in bold.", ""]


def _settings_lines(comparison, notes, held_out):
    best = comparison.best_model
    lines = ["## Settings", ""]
    lines += [f"- {name}: imbalance remedy {setting}" for name, setting in comparison.settings.items()]
    lines += [f"- {note}" for note in notes]
    if held_out:
        lines += ["", f"## Per-class scores of {best}", "", "Predictions of the saved model on every row of the file.",
                  ""]
    else:
        lines += ["", f"## Per-class scores of the best model ({best}, highest macro-F1)", "",
                  "Out-of-fold predictions: every document predicted by the model of the fold that did not "
                  "train on it.", ""]
    return [*lines, *_per_class_table(comparison), ""]


def _figure_lines(comparison, paths, held_out):
    lines = ["## Figures", "", "![F1 per class](per_class_f1.png)", ""]
    if "confusion_matrix" in paths:
        lines += [f"Confusion matrix of {comparison.best_model}, each row divided by the true class's count:", "",
                  "![Confusion matrix](confusion_matrix.png)", ""]
    if "training_curves" in paths:
        runs = "in the training run of the saved model" if held_out else "one colour per fold"
        lines += [f"Training against validation loss of the deep models, {runs}; the dot is the "
                  "epoch whose weights early stopping kept. Validation loss rising while training loss falls "
                  "is over-fitting.", "", "![Training curves](training_curves.png)", ""]
    scores = "the saved model's scores" if held_out else "the out-of-fold scores"
    return [*lines, f"Precision-recall curve of each class from {scores} (at most 10, the rarest); the dot "
            "is where the model's predicted labels operate, at the default or tuned threshold.", "",
            "![Precision-recall curves](precision_recall.png)", ""]


# ------------------------------------------------------------------------ the report


def write_report(comparison, out_dir, *, title="Model comparison", description=None, command=None, notes=(),
                 evaluated_on=None):
    """Write ``report.md`` and its PNG figures for a comparison.

    The report of ``skltext evaluate`` (``evaluated_on``) has the same
    sections and figures for saved models scored on one labelled file: its
    only "fold" is every row of the file, and the predictions are those of
    the saved models rather than out-of-fold ones.

    Parameters
    ----------
    comparison : :class:`~skltext.compare.Comparison`
        What :func:`~skltext.compare.compare_models` returned.
    out_dir : str or pathlib.Path
        Folder to write into (created if missing); existing files of the
        same names are replaced.
    title : str, default='Model comparison'
        Heading of the report.
    description : str or None, default=None
        What the data is (e.g. the file name), shown under the heading.
    command : str or None, default=None
        The command that reproduces the report, shown under the heading.
    notes : sequence of str, default=()
        Extra lines for the settings section.
    evaluated_on : str or None, default=None
        What the models were scored on, for a report of saved models on a
        labelled file (one fold holding every row); None for a
        cross-validation report.

    Returns
    -------
    paths : dict of str to pathlib.Path
        ``'report'`` and one entry per figure: ``'per_class_f1'``,
        ``'confusion_matrix'`` (not for multi-label targets),
        ``'training_curves'`` (when a model has a training history) and
        ``'precision_recall'``.

    Examples
    --------
    >>> import tempfile
    >>> from skltext.compare import compare_models
    >>> from skltext.datasets import make_text_classification
    >>> from skltext.report import write_report
    >>> texts, y = make_text_classification(90, n_classes=3, random_state=0)
    >>> comparison = compare_models(texts, y, models=["tfidf-svm"], cv=3)
    >>> paths = write_report(comparison, tempfile.mkdtemp())
    >>> sorted(paths)
    ['confusion_matrix', 'per_class_f1', 'precision_recall', 'report']
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    held_out = evaluated_on is not None
    paths = _draw_figures(comparison, out, held_out)
    lines = [*_heading_lines(comparison, title, description, command, evaluated_on),
             *_results_lines(comparison, held_out), *_settings_lines(comparison, notes, held_out),
             *_figure_lines(comparison, paths, held_out)]
    paths["report"] = out / "report.md"
    paths["report"].write_text("\n".join(lines), encoding="utf-8")
    return {key: paths[key] for key in sorted(paths)}
