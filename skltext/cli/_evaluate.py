"""``skltext evaluate MODEL_DIR DATA --label COL --out REPORT_DIR``: score a saved model on a labelled file.

It writes the report of ``skltext compare`` (results, per-class table,
confusion matrix, precision-recall curves with the operating points) for the
saved model's predictions on every row of DATA.
"""

import sys
import time

from ._common import UsageError, add_command, add_shared_options, command_line, labelled_rows, read_table
from ._model_dir import load_model_dir, read_training_info

__all__ = ["add_parser", "run"]


def add_parser(commands):
    parser = add_command(
        commands, "evaluate", help="score a saved model on a labelled file and write the report",
        description="Score a model saved by skltext train on a labelled file (held out from its training) and "
                    "write report.md with the per-class table, confusion matrix and precision-recall curves.",
        model_dir=True)
    parser.add_argument("--out", default="skltext-evaluation",
                        help="folder for report.md and the figures (default: skltext-evaluation)")
    # Scoring a saved model has no folds, so no --group.
    add_shared_options(parser, grouped=False, verbose_help="-vv: the backend's logging")
    return parser


def _target(labels, info, multilabel):
    """The true labels as the model's target: classes, or a 0/1 matrix over the model's labels."""
    import numpy as np

    if info.get("target_type") == "multilabel-indicator":
        names = list(info["classes"])
        rows = [label if isinstance(label, list) else [label] for label in labels]
        unknown = sorted({label for row in rows for label in row} - set(names))
        if unknown:
            print(f"Note: labels the model does not know are left out: {', '.join(map(repr, unknown[:10]))}.",
                  file=sys.stderr)
        Y = np.array([[int(name in row) for name in names] for row in rows])
        return Y, "multilabel-indicator", np.asarray(names, dtype=object)
    if multilabel:
        raise UsageError("DATA has multi-label rows but the model predicts one class per document.")
    return np.asarray(labels), None, None


def _single_label_classes(estimator, y):
    """The model's classes, then those of DATA it does not know (always mispredicted), and the target type."""
    import numpy as np

    classes = np.asarray(estimator.classes_)
    target_type = "binary" if len(classes) == 2 else "multiclass"
    unknown = sorted(set(map(str, np.unique(y))) - set(map(str, classes)))
    if unknown:
        print(f"Note: {len(unknown)} classes of DATA are unknown to the model and are always mispredicted: "
              f"{', '.join(map(repr, unknown[:10]))}.", file=sys.stderr)
        classes = np.concatenate([classes, np.asarray(unknown, dtype=classes.dtype)])
    return classes, target_type


def _evaluation(estimator, texts, y, target_type, classes, info):
    """The saved model's scores on every row, as a :class:`~skltext.compare.Comparison` of one fold."""
    import numpy as np

    from ..compare import Comparison
    from ..metrics import fold_metrics
    from ._predict import score_matrix

    documents = np.empty(len(texts), dtype=object)
    documents[:] = texts
    start = time.perf_counter()
    predicted = np.asarray(estimator.predict(documents))
    scores, kind = score_matrix(estimator, documents, target_type)
    predict_time = time.perf_counter() - start
    if scores.shape[1] < len(classes):  # columns for the classes the model does not know: below every score
        low = 0.0 if kind == "proba" else float(scores.min(initial=0.0)) - 1.0
        scores = np.column_stack([scores, np.full((len(scores), len(classes) - scores.shape[1]), low)])
    model_classes = None if target_type == "multilabel-indicator" else classes
    values = fold_metrics(y, predicted, scores, model_classes, target_type)
    name = info.get("model", "model")
    fold_scores = {name: {metric: np.array([value]) for metric, value in values.items()}}
    fold_scores[name].update(fit_time=np.array([np.nan]), predict_time=np.array([predict_time]))
    return Comparison(models=[name], target_type=target_type, classes=classes, y=y,
                      folds=[(np.array([], dtype=int), np.arange(len(y)))], fold_scores=fold_scores,
                      oof_predictions={name: predicted}, oof_scores={name: scores}, estimators={name: [estimator]},
                      settings={name: info.get("imbalance", "unknown") + (
                          "; thresholds tuned" if info.get("tune_thresholds") else "")})


def run(args, argv):
    info = read_training_info(args.model_dir)
    args.text = args.text or info.get("text_column")
    corpus = read_table(args)
    texts, labels, _ = labelled_rows(corpus, args)
    y, target_type, classes = _target(labels, info, bool(corpus.multilabel))
    estimator = load_model_dir(args.model_dir)

    import matplotlib

    matplotlib.use("Agg")
    from ..report import write_report

    if target_type is None:
        classes, target_type = _single_label_classes(estimator, y)
    comparison = _evaluation(estimator, texts, y, target_type, classes, info)
    notes = [f"model folder: {args.model_dir} ({info.get('data', 'training data unknown')}, "
             f"{info.get('documents', '?')} documents)"]
    if info.get("command"):
        notes.append(f"trained with: `{info['command']}`")
    paths = write_report(comparison, args.out, title="skltext evaluate", description=corpus.description,
                         command=command_line(argv), notes=notes,
                         evaluated_on=f"{len(y)} documents of {args.data}, predicted by the saved model")
    name = comparison.models[0]
    shown = ", ".join(f"{metric.replace('_', '-')} {comparison.fold_scores[name][metric][0]:.3f}"
                      for metric in comparison.metrics)
    print(f"{name} on {corpus.description}, {len(y)} documents: {shown}")
    print(f"Report: {paths['report']}")
    return 0
