"""What the commands share: usage errors, help texts built on demand, and reading a data file.

Nothing here imports scikit-learn or Keras at module level, so that
``skltext --help`` and argument errors answer at once.
"""

import argparse
import ast
import shlex
import sys
from collections import Counter

__all__ = ["UsageError", "LazyHelpParser", "LABELLED_DATA", "NEAR_DUPLICATES", "add_command", "add_shared_options",
           "add_reading_options", "add_fitting_options", "model_names", "check_imbalance", "parse_params",
           "command_line", "read_table", "labelled_rows", "check_classes", "describe_groups", "labelled_data"]

# Help of the DATA argument of the commands that read labels.
LABELLED_DATA = "labelled file: .csv, .tsv, .jsonl (each optionally .gz) or .parquet"
_SHOWN_ROWS = 10
# Cells of a single-label column holding one of these on most rows are likely several labels.
_LABEL_SEPARATORS = ("|", ";", ",")
# `--group near-duplicates` groups the texts by skltext.model_selection.near_duplicate_groups instead of a column.
NEAR_DUPLICATES = "near-duplicates"
# Its threshold unless --near-duplicate-threshold is given; near_duplicate_groups' default (a test pins the two).
NEAR_DUPLICATE_THRESHOLD = 0.8


class UsageError(Exception):
    """A problem with the command's input that the user can fix; reported without a traceback."""


class LazyHelpParser(argparse.ArgumentParser):
    """An argument parser whose help texts may be functions, called only when the help is shown.

    The model names come from :mod:`skltext.compare`, which imports
    scikit-learn; only ``--help`` needs them.
    """

    def format_help(self):
        for action in self._actions:
            if callable(action.help):
                action.help = action.help()
        return super().format_help()


def model_names():
    """The names ``skltext compare`` knows (:data:`skltext.compare.MODEL_NAMES`)."""
    from ..compare import MODEL_NAMES

    return MODEL_NAMES


def _imbalance_remedies():
    from ..compare import IMBALANCE_REMEDIES

    return IMBALANCE_REMEDIES


def add_command(commands, name, *, help, description, model_dir=False, data_help=LABELLED_DATA,
                data_optional=False):
    """The parser of a sub-command, with its positional arguments: MODEL_DIR (with ``model_dir``) and DATA."""
    parser = commands.add_parser(name, help=help, description=description)
    if model_dir:
        parser.add_argument("model_dir", metavar="MODEL_DIR", help="folder written by skltext train")
    parser.add_argument("data", nargs="?" if data_optional else None, metavar="DATA", help=data_help)
    return parser


def add_shared_options(parser, *, verbose_help, labelled=True, grouped=True, fitting=False):
    """The options after a command's own: reading DATA (``--group`` with ``labelled`` and ``grouped``), the
    models' fitting options (with ``fitting``) and ``-v``/``--verbose`` (counted: ``-vv`` is 2)."""
    add_reading_options(parser, labelled=labelled, grouped=grouped)
    if fitting:
        add_fitting_options(parser)
    parser.add_argument("-v", "--verbose", action="count", default=0, help=verbose_help)


def add_reading_options(parser, *, labelled=True, grouped=True):
    """Options that say how to read DATA: format, columns, delimiter, encoding, header; labels with
    ``labelled``, and groups too with ``grouped`` (for commands that cross-validate)."""
    group = parser.add_argument_group("reading DATA")
    group.add_argument("--text", default=None, help="column of the documents (default: text, or the column the "
                       "model was trained on)" if not labelled else "column of the documents (default: text)")
    if labelled:
        group.add_argument("--label", default="label", help="column of the labels")
    if labelled and grouped:
        group.add_argument("--group", default=None,
                           help="column of groups that must not be split across folds (grouped CV), or "
                                f"'{NEAR_DUPLICATES}': group the texts that are near-duplicates of one another "
                                "(Jaccard similarity of their word sets, see --near-duplicate-threshold)")
        group.add_argument("--near-duplicate-threshold", type=_similarity, default=None, metavar="SIMILARITY",
                           help=f"with --group {NEAR_DUPLICATES}: least Jaccard similarity of two texts' word "
                                f"sets that makes them near-duplicates, in (0, 1] (default: "
                                f"{NEAR_DUPLICATE_THRESHOLD})")
    if labelled:
        group.add_argument("--label-sep", default=None,
                           help="separator of several labels in one cell (multi-label), e.g. '|'; JSON lists "
                                "are read as multi-label without it")
    group.add_argument("--format", default="auto", choices=["auto", "csv", "tsv", "jsonl", "parquet"],
                       help="file format; auto reads it from the file name")
    group.add_argument("--delimiter", default=None,
                       help="field delimiter of a CSV/TSV file (default: read from the header line), e.g. ';'")
    group.add_argument("--encoding", default="utf-8", help="text encoding of the file, e.g. cp1252, latin-1")
    group.add_argument("--no-header", dest="header", action="store_false",
                       help="the CSV/TSV file has no header line; name its columns with --columns")
    group.add_argument("--columns", default=None,
                       help="comma-separated names of the columns of a file without a header line, e.g. "
                            "text,label (default: column1, column2, ...)")
    if labelled:
        group.add_argument("--drop-empty", action="store_true",
                           help="drop rows with empty text, no label or (with --group) no group instead of "
                                "stopping")


def add_fitting_options(parser):
    """Options of the models: imbalance remedy, threshold tuning, seed and parameters."""
    parser.add_argument("--imbalance", default="none",
                        help=lambda: f"remedy for imbalanced classes, one of {', '.join(_imbalance_remedies())} "
                                     "(class_weight: 'balanced' for the linear models, 'balanced_log' for the deep "
                                     "ones, 'balanced' for multi-label) (default: none)")
    parser.add_argument("--tune-thresholds", action="store_true",
                        help="tune decision thresholds (multi-class: class weights) on inner out-of-fold scores "
                             "of the training rows (ThresholdOptimizer)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the folds, models and samplers (default: 0)")
    parser.add_argument("--param", action="append", default=[], metavar="MODEL.NAME=VALUE",
                        help="set a model parameter, e.g. cnn.epochs=5, lstm.units=32, tfidf-lr.C=1.0, "
                             "cnn.tokenizer__max_len=50; repeatable")


def _similarity(value):
    """A number in (0, 1], for --near-duplicate-threshold."""
    try:
        number = float(value)
    except ValueError:
        number = None
    if number is None or not 0 < number <= 1:
        raise argparse.ArgumentTypeError(f"expected a similarity in (0, 1], e.g. 0.8; got {value!r}")
    return number


def check_imbalance(args):
    remedies = _imbalance_remedies()
    if args.imbalance not in remedies:
        raise UsageError(f"--imbalance: unknown remedy {args.imbalance!r}; choose from {', '.join(remedies)}.")


def parse_params(items):
    """``['cnn.epochs=5', ...]`` as ``{'cnn': {'epochs': 5}}``; values are Python literals or strings."""
    names = model_names()
    params = {}
    for item in items:
        key, sep, value = item.partition("=")
        model, dot, name = key.partition(".")
        if not sep or not dot or not model or not name:
            raise UsageError(f"--param {item!r}: expected MODEL.NAME=VALUE, e.g. cnn.epochs=5.")
        if model not in names:
            raise UsageError(f"--param {item!r}: unknown model {model!r}; choose from {', '.join(names)}.")
        try:
            parsed = ast.literal_eval(value)
        except (ValueError, SyntaxError):
            parsed = value
        params.setdefault(model, {})[name] = parsed
    return params


def command_line(argv):
    """The command that reproduces this run, for reports and ``training.json``."""
    return "skltext " + " ".join(shlex.quote(arg) for arg in argv)


def read_table(args, *, labelled=True, text=None, id=None):
    """The corpus of ``args.data`` read with the reading options; errors become usage errors."""
    from ..datasets import load_table

    if args.columns is not None and args.header:
        raise UsageError("--columns names the columns of a file without a header line; add --no-header.")
    names = None if args.columns is None else [name.strip() for name in args.columns.split(",")]
    options = dict(text=text or args.text or "text", format=args.format, delimiter=args.delimiter,
                   encoding=args.encoding, header=args.header, names=names, id=id)
    if labelled:
        group = getattr(args, "group", None)
        if getattr(args, "near_duplicate_threshold", None) is not None and group != NEAR_DUPLICATES:
            raise UsageError(f"--near-duplicate-threshold applies only with --group {NEAR_DUPLICATES}.")
        group = None if group == NEAR_DUPLICATES else group  # detected later, from the texts
        options.update(label=args.label, group=group, label_sep=args.label_sep)
    else:
        options.update(label=None)
    try:
        corpus = load_table(args.data, **options)
    except (ValueError, FileNotFoundError, ImportError, OSError) as exc:
        raise UsageError(str(exc)) from None
    if labelled and getattr(args, "group", None) == NEAR_DUPLICATES and NEAR_DUPLICATES in corpus.columns:
        # The keyword and the column would both be a reading of --group; neither is taken silently.
        raise UsageError(f"DATA has a column named {NEAR_DUPLICATES!r}, and --group {NEAR_DUPLICATES} asks for "
                         "groups detected from the texts. Rename that column to group by it.")
    if labelled and not corpus.multilabel and args.label_sep is None:
        _hint_label_sep(corpus.labels, args.label)
    return corpus


def _hint_label_sep(labels, column):
    """A note when most labels look like several labels joined by a separator."""
    present = [label for label in labels if label is not None]
    for separator in _LABEL_SEPARATORS:
        joined = [label for label in present if separator in label]
        if present and len(joined) > len(present) / 2:
            print(f"Note: {len(joined)} of {len(present)} labels in column {column!r} contain {separator!r} "
                  f"(e.g. {joined[0]!r}); if a cell holds several labels, pass --label-sep {separator!r} to read "
                  "them as multi-label.", file=sys.stderr)
            return


def _rows_list(rows):
    shown = ", ".join(str(row) for row in rows[:_SHOWN_ROWS])
    return shown + (", ..." if len(rows) > _SHOWN_ROWS else "")


def labelled_rows(corpus, args):
    """Texts, labels and groups with problem rows dropped (--drop-empty) or reported."""
    n_rows = len(corpus.texts)
    no_text = [i for i, text in enumerate(corpus.texts) if text is None or not text.strip()]
    no_label = [i for i, label in enumerate(corpus.labels) if label is None or label == []]
    no_group = [] if corpus.groups is None else [
        i for i, group in enumerate(corpus.groups) if group is None or str(group).strip() == ""]
    problems = []
    if no_text:
        problems.append((no_text, f"{len(no_text)} of {n_rows} rows have empty text (column {args.text or 'text'!r})"))
    if no_label:
        problems.append((no_label, f"{len(no_label)} of {n_rows} rows have no label (column {args.label!r})"))
    if no_group:
        problems.append((no_group, f"{len(no_group)} of {n_rows} rows have no group (column {args.group!r})"))
    if problems and not args.drop_empty:
        details = "; ".join(f"{message}: data rows {_rows_list([i + 1 for i in rows])}"
                            for rows, message in problems)
        raise UsageError(f"{details}. Fix those rows, or pass --drop-empty to leave them out.")
    drop = set(no_text) | set(no_label) | set(no_group)
    if drop:
        what = "empty text, no label" + (" or no group" if corpus.groups is not None else "")
        print(f"Dropped {len(drop)} of {n_rows} rows with {what}.", file=sys.stderr)
    keep = [i for i in range(n_rows) if i not in drop]
    if not keep:
        raise UsageError("No rows are left with both a text and a label.")
    texts = [corpus.texts[i] for i in keep]
    labels = [corpus.labels[i] for i in keep]
    groups = None
    if corpus.groups is not None:
        import numpy as np

        groups = np.array([str(corpus.groups[i]) for i in keep], dtype=object)
    return texts, labels, groups


def check_classes(labels, args, multilabel, n_folds=None):
    """Refuse a label column with fewer than two classes; warn about classes smaller than the folds."""
    counts = Counter(label for row in labels for label in row) if multilabel else Counter(labels)
    if len(counts) < 2:
        (label, count), = counts.items()
        kind = "label" if multilabel else "class"
        raise UsageError(f"The label column {args.label!r} has a single {kind}, {label!r} ({count} rows); a "
                         "classifier needs at least two.")
    rare = sorted((count, label) for label, count in counts.items() if n_folds and count < n_folds)
    if rare:
        shown = ", ".join(f"{label!r} ({count})" for count, label in rare[:_SHOWN_ROWS])
        print(f"Note: {len(rare)} classes have fewer documents than the {n_folds} folds, so some test folds "
              f"miss them and their scores are unreliable: {shown}.", file=sys.stderr)


def _near_duplicate_groups(texts, args):
    """Groups of near-duplicate texts (``--group near-duplicates``), seeded by ``--seed``."""
    from ..model_selection import near_duplicate_groups

    threshold = args.near_duplicate_threshold or NEAR_DUPLICATE_THRESHOLD
    return near_duplicate_groups(texts, threshold=threshold, random_state=getattr(args, "seed", 0))


def describe_groups(args):
    """What the groups of ``--group`` are, for messages and reports."""
    if args.group != NEAR_DUPLICATES:
        return f"groups of column {args.group!r}"
    threshold = args.near_duplicate_threshold or NEAR_DUPLICATE_THRESHOLD
    return f"near-duplicate groups (Jaccard similarity of word sets >= {threshold:g})"


def labelled_data(corpus, args, *, n_folds=None):
    """Texts, labels, groups and multi-label flag of a corpus, checked by :func:`labelled_rows` and
    :func:`check_classes`; with ``--group near-duplicates`` the groups are detected here. How many
    documents share a group is printed."""
    texts, labels, groups = labelled_rows(corpus, args)
    multilabel = bool(corpus.get("multilabel", False))
    check_classes(labels, args, multilabel, n_folds=n_folds)
    if getattr(args, "group", None) == NEAR_DUPLICATES:
        groups = _near_duplicate_groups(texts, args)
    if groups is not None:
        from ..model_selection import near_duplicate_summary

        what = describe_groups(args)
        print(f"{what[:1].upper()}{what[1:]}: {near_duplicate_summary(groups).describe()}.", file=sys.stderr)
    return texts, labels, groups, multilabel
