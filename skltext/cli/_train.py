"""``skltext train DATA --model NAME --out MODEL_DIR``: fit one model on every row and save it."""

import shlex
import sys
import time

from ._common import (
    UsageError,
    add_fitting_options,
    add_reading_options,
    check_classes,
    check_imbalance,
    labelled_rows,
    model_names,
    parse_params,
    read_table,
)
from ._model_dir import fit_model, print_saved, save_model_dir

__all__ = ["add_parser", "run"]


def add_parser(commands):
    parser = commands.add_parser(
        "train", help="fit one model on a labelled file and save it (no pickle)",
        description="Fit one of the models of skltext compare on every row of a labelled file and save it "
                    "with skltext.save_model into MODEL_DIR, for skltext predict and skltext evaluate.")
    parser.add_argument("data", metavar="DATA",
                        help="labelled file: .csv, .tsv, .jsonl (each optionally .gz) or .parquet")
    parser.add_argument("--model", required=True,
                        help=lambda: f"the model, one of {', '.join(model_names())}")
    parser.add_argument("--out", required=True, metavar="MODEL_DIR",
                        help="folder to save the model into (replaced if it holds a model)")
    add_reading_options(parser)
    add_fitting_options(parser)
    parser.add_argument("-v", "--verbose", action="count", default=0,
                        help="-vv: the deep models' per-epoch Keras output and the backend's logging")
    return parser


def run(args, argv):
    names = model_names()
    if args.model not in names:
        raise UsageError(f"--model: unknown model {args.model!r}; choose from {', '.join(names)}.")
    check_imbalance(args)
    params = parse_params(args.param)
    unknown = sorted(set(params) - {args.model})
    if unknown:
        raise UsageError(f"--param names {', '.join(map(repr, unknown))}, not the model trained ({args.model!r}).")
    corpus = read_table(args)
    texts, labels, groups = labelled_rows(corpus, args)
    check_classes(labels, args, bool(corpus.multilabel))
    print(f"{corpus.description}: training {args.model} on {len(texts)} documents", file=sys.stderr)
    start = time.perf_counter()
    try:
        estimator, info = fit_model(args.model, texts, labels, groups, imbalance=args.imbalance,
                                    tune_thresholds=args.tune_thresholds, params=params.get(args.model),
                                    seed=args.seed, verbose=args.verbose)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    info.update(text_column=args.text or "text", label_column=args.label, data=corpus.description,
                seconds=round(time.perf_counter() - start, 1),
                command="skltext " + " ".join(shlex.quote(arg) for arg in argv))
    files = save_model_dir(estimator, info, args.out)
    print_saved(info, args.out.rstrip("/"), files)
    return 0
