"""The ``skltext`` command: ``skltext compare`` cross-validates deep text models against TF-IDF baselines.

    skltext compare reviews.csv --text review --label stars --out report/
    skltext compare --demo

It reads a labelled file (CSV, TSV, JSON lines, each optionally gzipped, or
Parquet), runs every model on the same cross-validation folds with
:func:`skltext.compare.compare_models`, prints the results table and writes
``report.md`` with figures (:func:`skltext.report.write_report`) into
``--out``.
"""

import argparse
import ast
import shlex
import sys
import time
from collections import Counter

import numpy as np

from .compare import IMBALANCE_REMEDIES, MODEL_NAMES, compare_models
from .datasets import load_table, make_demo_corpus
from .report import write_report

__all__ = ["main"]

# The demo must run in under two minutes on 2 CPU cores: smaller networks, fewer epochs, a faster learning rate.
DEMO_SAMPLES = 1200
_DEMO_TRAINING = {"embedding_dim": 32, "epochs": 10, "patience": 2, "learning_rate": 0.005}
DEMO_MODEL_PARAMS = {"cnn": {"filters": 32, **_DEMO_TRAINING}, "lstm": {"units": 32, **_DEMO_TRAINING}}
_SHOWN_ROWS = 10


class UsageError(Exception):
    """A problem with the command's input that the user can fix; reported without a traceback."""


def _parser():
    parser = argparse.ArgumentParser(prog="skltext", description="Keras text classifiers as scikit-learn "
                                     "estimators.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    compare = commands.add_parser(
        "compare", help="cross-validate deep text models against TF-IDF baselines on a labelled file",
        description="Cross-validate deep text models (CNN, LSTM) against TF-IDF baselines on the same folds, "
                    "print a results table and write report.md with figures.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    compare.add_argument("data", nargs="?", metavar="DATA",
                         help="labelled file: .csv, .tsv, .jsonl (each optionally .gz) or .parquet")
    compare.add_argument("--demo", action="store_true",
                         help=f"use a built-in synthetic corpus ({DEMO_SAMPLES} support tickets, 8 imbalanced "
                              "classes in confusable pairs; no download) and small, fast deep models")
    compare.add_argument("--text", default="text", help="column of the documents")
    compare.add_argument("--label", default="label", help="column of the labels")
    compare.add_argument("--group", default=None,
                         help="column of groups that must not be split across folds (grouped CV)")
    compare.add_argument("--label-sep", default=None,
                         help="separator of several labels in one cell (multi-label), e.g. '|'; JSON lists "
                              "are read as multi-label without it")
    compare.add_argument("--format", default="auto", choices=["auto", "csv", "tsv", "jsonl", "parquet"],
                         help="file format; auto reads it from the file name")
    compare.add_argument("--models", default=",".join(MODEL_NAMES),
                         help=f"comma-separated models from: {', '.join(MODEL_NAMES)}")
    compare.add_argument("--cv", type=int, default=5, help="number of cross-validation folds")
    compare.add_argument("--imbalance", default="none", choices=IMBALANCE_REMEDIES,
                         help="remedy for imbalanced classes (class_weight: 'balanced' for the linear models, "
                              "'balanced_log' for the deep ones, 'balanced' for multi-label)")
    compare.add_argument("--tune-thresholds", action="store_true",
                         help="tune decision thresholds (multi-class: class weights) on inner out-of-fold "
                              "scores of each training fold (ThresholdOptimizer)")
    compare.add_argument("--out", default="skltext-report", help="folder for report.md and the figures")
    compare.add_argument("--seed", type=int, default=0, help="seed of the folds, models and samplers")
    compare.add_argument("--param", action="append", default=[], metavar="MODEL.NAME=VALUE",
                         help="set a model parameter, e.g. cnn.epochs=5, lstm.units=32, tfidf-lr.C=1.0, "
                              "cnn.tokenizer__max_len=50; repeatable")
    compare.add_argument("--drop-empty", action="store_true",
                         help="drop rows with empty text or no label instead of stopping")
    compare.add_argument("-v", "--verbose", action="count", default=0,
                         help="-v: scores of every fold; -vv: also the deep models' per-epoch Keras output")
    compare.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    return parser


def _parse_params(items):
    """``['cnn.epochs=5', ...]`` as ``{'cnn': {'epochs': 5}}``; values are Python literals or strings."""
    params = {}
    for item in items:
        key, sep, value = item.partition("=")
        model, dot, name = key.partition(".")
        if not sep or not dot or not model or not name:
            raise UsageError(f"--param {item!r}: expected MODEL.NAME=VALUE, e.g. cnn.epochs=5.")
        if model not in MODEL_NAMES:
            raise UsageError(f"--param {item!r}: unknown model {model!r}; choose from {', '.join(MODEL_NAMES)}.")
        try:
            parsed = ast.literal_eval(value)
        except (ValueError, SyntaxError):
            parsed = value
        params.setdefault(model, {})[name] = parsed
    return params


def _rows_list(rows):
    shown = ", ".join(str(row) for row in rows[:_SHOWN_ROWS])
    return shown + (", ..." if len(rows) > _SHOWN_ROWS else "")


def _clean(corpus, args):
    """Texts, labels and groups with problem rows dropped (--drop-empty) or reported."""
    n_rows = len(corpus.texts)
    no_text = [i for i, text in enumerate(corpus.texts) if text is None or not text.strip()]
    no_label = [i for i, label in enumerate(corpus.labels) if label is None or label == []]
    problems = []
    if no_text:
        problems.append((no_text, f"{len(no_text)} of {n_rows} rows have empty text (column {args.text!r})"))
    if no_label:
        problems.append((no_label, f"{len(no_label)} of {n_rows} rows have no label (column {args.label!r})"))
    if problems and not args.drop_empty:
        details = "; ".join(f"{message}: data rows {_rows_list([i + 1 for i in rows])}"
                            for rows, message in problems)
        raise UsageError(f"{details}. Fix those rows, or pass --drop-empty to leave them out.")
    drop = set(no_text) | set(no_label)
    if drop:
        print(f"Dropped {len(drop)} of {n_rows} rows with empty text or no label.", file=sys.stderr)
    keep = [i for i in range(n_rows) if i not in drop]
    if not keep:
        raise UsageError("No rows are left with both a text and a label.")
    texts = [corpus.texts[i] for i in keep]
    labels = [corpus.labels[i] for i in keep]
    groups = None
    if corpus.groups is not None:
        groups = [corpus.groups[i] for i in keep]
        missing = [number for number, group in zip(keep, groups) if group is None or str(group).strip() == ""]
        if missing:
            raise UsageError(f"{len(missing)} of {len(keep)} rows have no group (column {args.group!r}): data "
                             f"rows {_rows_list([i + 1 for i in missing])}.")
        groups = np.array([str(group) for group in groups], dtype=object)
    return texts, labels, groups


def _check_classes(labels, args, multilabel):
    """Refuse a label column with fewer than two classes; warn about classes smaller than the folds."""
    if multilabel:
        counts = Counter(label for row in labels for label in row)
    else:
        counts = Counter(labels)
    if len(counts) < 2:
        (label, count), = counts.items()
        kind = "label" if multilabel else "class"
        raise UsageError(f"The label column {args.label!r} has a single {kind}, {label!r} ({count} rows); a "
                         "classifier needs at least two.")
    rare = sorted((count, label) for label, count in counts.items() if count < args.cv)
    if rare:
        shown = ", ".join(f"{label!r} ({count})" for count, label in rare[:_SHOWN_ROWS])
        print(f"Note: {len(rare)} classes have fewer documents than the {args.cv} folds, so some test folds "
              f"miss them and their scores are unreliable: {shown}.", file=sys.stderr)


def _compare(args, argv):
    import matplotlib

    matplotlib.use("Agg")  # figures go to files only
    if args.demo == (args.data is not None):
        raise UsageError("Give a DATA file or --demo (not both).")
    models = [name.strip() for name in args.models.split(",") if name.strip()]
    unknown = [name for name in models if name not in MODEL_NAMES]
    if unknown or not models:
        raise UsageError(f"--models: unknown model(s) {', '.join(map(repr, unknown)) or '(none given)'}; choose "
                         f"from {', '.join(MODEL_NAMES)}.")
    if args.cv < 2:
        raise UsageError(f"--cv must be at least 2, got {args.cv}.")
    params = _parse_params(args.param)
    if args.demo:
        corpus = make_demo_corpus(DEMO_SAMPLES, random_state=args.seed)
        for name, defaults in DEMO_MODEL_PARAMS.items():
            params[name] = {**defaults, **params.get(name, {})}
    else:
        try:
            corpus = load_table(args.data, text=args.text, label=args.label, group=args.group,
                                label_sep=args.label_sep, format=args.format)
        except (ValueError, FileNotFoundError, ImportError) as exc:
            raise UsageError(str(exc)) from None
    params = {name: value for name, value in params.items() if name in models}
    texts, labels, groups = _clean(corpus, args)
    multilabel = bool(corpus.multilabel) if "multilabel" in corpus else False
    _check_classes(labels, args, multilabel)

    print(f"{corpus.description}: {len(texts)} documents; models {', '.join(models)}; {args.cv}-fold "
          f"cross-validation" + (f" grouped by {args.group!r}" if groups is not None else ""), file=sys.stderr)
    start = time.perf_counter()
    try:
        comparison = compare_models(texts, labels, models=models, cv=args.cv, groups=groups,
                                    imbalance=args.imbalance, tune_thresholds=args.tune_thresholds,
                                    model_params=params, random_state=args.seed, progress=not args.quiet,
                                    verbose=args.verbose)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    elapsed = time.perf_counter() - start

    notes = [f"seed {args.seed}; {elapsed:.0f} s in all"]
    for name, values in params.items():
        notes.append(f"{name} parameters: " + ", ".join(f"{key}={value!r}" for key, value in values.items()))
    command = "skltext " + " ".join(shlex.quote(arg) for arg in argv)
    paths = write_report(comparison, args.out, title="skltext compare", description=corpus.description,
                         command=command, notes=notes)

    print(f"\n{corpus.description}, {len(comparison.folds)}-fold cross-validation, mean ± std over folds:\n")
    print(comparison.table())
    print(f"\nBest macro-F1: {comparison.best_model}. Report: {paths['report']} ({elapsed:.0f} s)")
    return 0


def main(argv=None):
    """Run the ``skltext`` command with ``argv`` (default: the process's arguments); return the exit status.

    Examples
    --------
    >>> from skltext.cli import main
    >>> main(["compare", "no-such-file.csv", "--text", "text", "--label", "label"])
    2
    """
    argv = sys.argv[1:] if argv is None else list(argv)
    args = _parser().parse_args(argv)
    try:
        return _compare(args, argv)
    except UsageError as exc:
        print(f"skltext {args.command}: error: {exc}", file=sys.stderr)
        return 2
