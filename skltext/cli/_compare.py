"""``skltext compare``: cross-validate models on a labelled file, print the table, write the report."""

import sys
import time

from ._common import (
    UsageError,
    add_command,
    add_shared_options,
    check_imbalance,
    command_line,
    describe_groups,
    labelled_data,
    model_names,
    parse_params,
    read_table,
)

__all__ = ["add_parser", "run", "DEMO_SAMPLES", "DEMO_MODEL_PARAMS"]

# The demo must run in about two minutes on 2 CPU cores: smaller networks, fewer epochs, faster learning rates. On the
# demo's 960 training documents the n-gram model's default rate (0.002) runs 33 epochs where 0.01 runs 7.
DEMO_SAMPLES = 1200
_DEMO_TRAINING = {"embedding_dim": 32, "epochs": 10, "patience": 2, "learning_rate": 0.005}
DEMO_MODEL_PARAMS = {"cnn": {"filters": 32, **_DEMO_TRAINING}, "lstm": {"units": 32, **_DEMO_TRAINING},
                     "ngram": {"learning_rate": 0.01}, "ngram+tfidf": {"deep__classifier__learning_rate": 0.01}}


def add_parser(commands):
    parser = add_command(
        commands, "compare", help="cross-validate deep text models against TF-IDF baselines on a labelled file",
        description="Cross-validate deep text models (n-gram, CNN, LSTM, and the n-gram model voting with TF-IDF) "
                    "against TF-IDF baselines on the same folds, "
                    "print a results table and write report.md with figures.", data_optional=True)
    parser.add_argument("--demo", action="store_true",
                        help=f"use a built-in synthetic corpus ({DEMO_SAMPLES} support tickets, 8 imbalanced "
                             "classes in confusable pairs; no download) and small, fast deep models")
    parser.add_argument("--models", default=None,
                        help=lambda: f"comma-separated models from: {', '.join(model_names())} (default: all)")
    parser.add_argument("--cv", type=int, default=5, help="number of cross-validation folds (default: 5)")
    parser.add_argument("--out", default="skltext-report",
                        help="folder for report.md and the figures (default: skltext-report)")
    parser.add_argument("--save-best", default=None, metavar="MODEL_DIR",
                        help="also train the model with the best macro-F1 on every row and save it into MODEL_DIR "
                             "(as skltext train does)")
    add_shared_options(parser, fitting=True, verbose_help="-v: scores of every fold; -vv: also the deep models' "
                                                          "per-epoch Keras output and the backend's logging")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    return parser


def _selected_models(args):
    names = model_names()
    if args.models is None:
        return list(names)
    models = [name.strip() for name in args.models.split(",") if name.strip()]
    unknown = [name for name in models if name not in names]
    if unknown or not models:
        raise UsageError(f"--models: unknown model(s) {', '.join(map(repr, unknown)) or '(none given)'}; choose "
                         f"from {', '.join(names)}.")
    return models


def _report(comparison, args, argv, description, params, elapsed, interrupted=None, group_notes=()):
    from ..report import write_report

    notes = [f"seed {args.seed}; {elapsed:.0f} s in all", *group_notes]
    if interrupted:
        notes.insert(0, f"partial report: {interrupted}; only the models that finished every fold are shown")
    for name, values in params.items():
        if name in comparison.models:
            notes.append(f"{name} parameters: " + ", ".join(f"{key}={value!r}" for key, value in values.items()))
    return write_report(comparison, args.out, title="skltext compare", description=description,
                        command=command_line(argv), notes=notes)


def _checked_models(args):
    """The models to compare, once the arguments that need no data are checked."""
    if args.demo == (args.data is not None):
        raise UsageError("Give a DATA file or --demo (not both).")
    models = _selected_models(args)
    if args.cv < 2:
        raise UsageError(f"--cv must be at least 2, got {args.cv}.")
    check_imbalance(args)
    return models


def _corpus_and_params(args, models):
    """The corpus (DATA or the demo's) and the parameters of the compared models (the demo's smaller ones)."""
    params = parse_params(args.param)
    if args.demo:
        from ..datasets import make_demo_corpus

        corpus = make_demo_corpus(DEMO_SAMPLES, random_state=args.seed)
        for name, defaults in DEMO_MODEL_PARAMS.items():
            params[name] = {**defaults, **params.get(name, {})}
        corpus.multilabel = False
    else:
        corpus = read_table(args)
    return corpus, {name: value for name, value in params.items() if name in models}


def _group_notes(texts, labels, groups, multilabel, args):
    """How many documents share a group, and the share of test documents that plain (ungrouped) folds would
    have tested with another document of their group in training: the leakage that grouping removes."""
    import warnings

    import numpy as np
    from sklearn.preprocessing import MultiLabelBinarizer

    from ..compare import make_cv
    from ..model_selection import near_duplicate_leakage, near_duplicate_summary

    # The folds compare_models makes without groups: same splitter, folds and seed.
    y = MultiLabelBinarizer().fit_transform(labels) if multilabel else np.asarray(labels)
    cv = make_cv("multilabel-indicator" if multilabel else "multiclass", n_splits=args.cv, random_state=args.seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # classes smaller than the folds: noted already
        leakage = near_duplicate_leakage(groups, cv.split(np.zeros((len(y), 1)), y))
    folds = ", ".join(f"{share:.1%}" for share in leakage.fold_shares)
    return [f"{describe_groups(args)}: {near_duplicate_summary(groups).describe()}",
            f"under ungrouped {type(cv).__name__}({args.cv}) folds, {leakage.share:.1%} of test documents "
            f"({leakage.n_leaked:,} of {leakage.n_test:,}; per fold {folds}) would have had another document of "
            "their group in training; the grouped folds used here keep each group in one fold"]


def _report_interrupted(stop, args, argv, corpus, params, elapsed, group_notes):
    message = f"interrupted after {stop.n_fits} of {stop.n_total} fits"
    if stop.comparison is None:
        print(f"\nskltext compare: {message}; no model finished, so no report.", file=sys.stderr)
    else:
        paths = _report(stop.comparison, args, argv, corpus.description, params, elapsed, interrupted=message,
                        group_notes=group_notes)
        print(f"\nskltext compare: {message}; partial report of {', '.join(stop.comparison.models)}: "
              f"{paths['report']}", file=sys.stderr)
    return 130


def run(args, argv):
    models = _checked_models(args)
    corpus, params = _corpus_and_params(args, models)
    texts, labels, groups, multilabel = labelled_data(corpus, args, n_folds=args.cv)
    group_notes = [] if groups is None else _group_notes(texts, labels, groups, multilabel, args)
    if group_notes:
        print(f"Leakage: {group_notes[-1]}.", file=sys.stderr)

    import matplotlib

    matplotlib.use("Agg")  # figures go to files only
    from ..compare import ComparisonInterrupted, compare_models

    print(f"{corpus.description}: {len(texts)} documents; models {', '.join(models)}; {args.cv}-fold "
          f"cross-validation" + (f" grouped by {args.group!r}" if groups is not None else ""), file=sys.stderr)
    start = time.perf_counter()
    try:
        comparison = compare_models(texts, labels, models=models, cv=args.cv, groups=groups,
                                    imbalance=args.imbalance, tune_thresholds=args.tune_thresholds,
                                    model_params=params, random_state=args.seed, progress=not args.quiet,
                                    verbose=args.verbose)
    except ComparisonInterrupted as stop:
        return _report_interrupted(stop, args, argv, corpus, params, time.perf_counter() - start, group_notes)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    elapsed = time.perf_counter() - start
    paths = _report(comparison, args, argv, corpus.description, params, elapsed, group_notes=group_notes)
    print(f"\n{corpus.description}, {len(comparison.folds)}-fold cross-validation, mean ± std over folds:\n")
    print(comparison.table())
    print(f"\nBest macro-F1: {comparison.best_model}. Report: {paths['report']} ({elapsed:.0f} s)")
    sys.stdout.flush()
    if args.save_best is not None:
        from ._model_dir import fit_and_save

        print(f"Training {comparison.best_model} on all {len(texts)} documents for --save-best", file=sys.stderr)
        fit_and_save(comparison.best_model, texts, labels, groups, args, argv, data=corpus.description,
                     params=params.get(comparison.best_model), out=args.save_best)
    return 0
