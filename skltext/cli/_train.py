"""``skltext train DATA --model NAME --out MODEL_DIR``: fit one model on every row and save it."""

import sys

from ._common import (
    UsageError,
    add_command,
    add_shared_options,
    check_imbalance,
    labelled_data,
    model_names,
    parse_params,
    read_table,
)
from ._model_dir import fit_and_save

__all__ = ["add_parser", "run"]


def add_parser(commands):
    parser = add_command(
        commands, "train", help="fit one model on a labelled file and save it (no pickle)",
        description="Fit one of the models of skltext compare on every row of a labelled file and save it "
                    "with skltext.save_model into MODEL_DIR, for skltext predict and skltext evaluate.")
    parser.add_argument("--model", required=True,
                        help=lambda: f"the model, one of {', '.join(model_names())}")
    parser.add_argument("--out", required=True, metavar="MODEL_DIR",
                        help="folder to save the model into (replaced if it holds a model)")
    add_shared_options(parser, fitting=True,
                       verbose_help="-vv: the deep models' per-epoch Keras output and the backend's logging")
    return parser


def run(args, argv):
    names = model_names()
    if args.model not in names:
        raise UsageError(f"--model: unknown model {args.model!r}; choose from {', '.join(names)}.")
    check_imbalance(args)
    if args.group is not None and not args.tune_thresholds:
        # Groups only shape the folds of the threshold search; without it they would be read and ignored.
        raise UsageError("--group applies to train only with --tune-thresholds, whose cross-validation it "
                         "groups; train fits one model on every row.")
    params = parse_params(args.param)
    unknown = sorted(set(params) - {args.model})
    if unknown:
        raise UsageError(f"--param names {', '.join(map(repr, unknown))}, not the model trained ({args.model!r}).")
    corpus = read_table(args)
    texts, labels, groups, _ = labelled_data(corpus, args)
    print(f"{corpus.description}: training {args.model} on {len(texts)} documents", file=sys.stderr)
    fit_and_save(args.model, texts, labels, groups, args, argv, data=corpus.description,
                 params=params.get(args.model), out=args.out)
    return 0
