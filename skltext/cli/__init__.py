"""The ``skltext`` command: compare models, train one, predict with it, evaluate it.

    skltext compare reviews.csv --text review --label stars --out report/
    skltext train reviews.csv --text review --label stars --model tfidf-lr --out model/
    skltext predict model/ new.csv --id review_id --out predictions.csv
    skltext evaluate model/ held_out.csv --text review --label stars --out evaluation/

Each command lives in its own module (``_compare``, ``_train``, ``_predict``,
``_evaluate``) with an ``add_parser`` and a ``run``; the reading options they
share are in ``_common``. Nothing heavy is imported before a command needs it:
``skltext --help`` and argument errors do not load scikit-learn or Keras, and
Keras' backend logging is kept off the terminal below ``-vv`` (``_quiet``).
"""

import argparse
import importlib
import os
import sys
import warnings

from ._common import LazyHelpParser, UsageError

__all__ = ["main"]

# Sub-command name -> module; to add a command, add its module here.
_COMMANDS = {"compare": "._compare", "train": "._train", "predict": "._predict", "evaluate": "._evaluate"}


def _parser():
    parser = argparse.ArgumentParser(
        prog="skltext", description="Keras text classifiers as scikit-learn estimators: compare models on a "
                                    "labelled file, train one, predict with it, evaluate it.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND",
                                     parser_class=LazyHelpParser)
    for name, module in _COMMANDS.items():
        importlib.import_module(module, __name__).add_parser(commands)
    return parser


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
    from ._quiet import quiet_backend

    quiet_backend(args.verbose)
    command = importlib.import_module(_COMMANDS[args.command], __name__)
    try:
        with warnings.catch_warnings():
            if args.verbose < 2:  # Ctrl-C during a fit: the one line below says it
                from ..exceptions import TrainingInterruptedWarning

                warnings.simplefilter("ignore", TrainingInterruptedWarning)
            return command.run(args, argv)
    except UsageError as exc:
        print(f"skltext {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"\nskltext {args.command}: interrupted.", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader of standard output stopped early (| head)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
