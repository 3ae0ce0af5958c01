"""``skltext predict MODEL_DIR DATA [--out FILE]``: label new documents with a saved model.

The output has one row per document: the ``--id`` column when given, the
predicted label (for multi-label models the predicted labels, joined by
``|`` in CSV) and the per-class probabilities (``proba_<class>``; scores
``score_<class>`` for a model without probabilities, such as a linear SVM),
or with ``--top-k K`` the K most likely classes and their probabilities
(``top1_label``, ``top1_proba``, ...).
The format follows ``--out``'s name: .csv, .tsv, .jsonl or .parquet (CSV on
standard output without ``--out``).
"""

import sys
from pathlib import Path

from ._common import UsageError, add_command, add_shared_options, read_table
from ._model_dir import load_model_dir, read_training_info

__all__ = ["add_parser", "run", "score_matrix"]

_OUTPUT_FORMATS = {".csv": "csv", ".tsv": "tsv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet"}


def add_parser(commands):
    parser = add_command(
        commands, "predict", help="label documents with a saved model",
        description="Predict the label of every document of DATA with a model saved by skltext train; write "
                    "the labels and the per-class probabilities.",
        model_dir=True, data_help="file of documents (.csv, .tsv, .jsonl, each optionally .gz, or .parquet), "
                                  "or - to read standard input, one document per line")
    parser.add_argument("--out", default=None, metavar="FILE",
                        help="output file: .csv, .tsv, .jsonl or .parquet (default: CSV on standard output)")
    parser.add_argument("--id", default=None, help="column of DATA to copy to the output, e.g. a document id")
    parser.add_argument("--top-k", type=int, default=None, metavar="K",
                        help="write the K most likely classes and their probabilities instead of one column per "
                             "class")
    add_shared_options(parser, labelled=False, verbose_help="-vv: the backend's logging")
    return parser


def _output_format(out):
    suffixes = [s.lower() for s in Path(out).suffixes]
    if suffixes and suffixes[-1] == ".gz" and len(suffixes) > 1 and suffixes[-2] in (".csv", ".tsv", ".jsonl"):
        suffixes = suffixes[:-1]
    if not suffixes or suffixes[-1] not in _OUTPUT_FORMATS:
        raise UsageError(f"--out {out}: name the file .csv, .tsv, .jsonl or .parquet (CSV, TSV and JSON lines "
                         "optionally followed by .gz).")
    return _OUTPUT_FORMATS[suffixes[-1]]


def _read_documents(args, info):
    """Texts and ids (None without --id) of DATA or of standard input."""
    if args.data == "-":
        if args.id is not None:
            raise UsageError("--id names a column; standard input has none (one document per line).")
        stream = sys.stdin if args.encoding.lower() in ("utf-8", "utf8") else open(
            sys.stdin.fileno(), encoding=args.encoding, closefd=False)
        texts = [line.rstrip("\r\n") for line in stream]
        return texts, None
    corpus = read_table(args, labelled=False, text=args.text or info.get("text_column"), id=args.id)
    return ["" if text is None else text for text in corpus.texts], corpus.ids


def score_matrix(estimator, documents, target_type):
    """Per-class probabilities (or decision scores) of shape (n_samples, n_classes), and their column prefix."""
    from .._out_of_fold import score_matrix as scores_of

    return scores_of(estimator, documents, target_type), "proba" if hasattr(estimator, "predict_proba") else "score"


def _label_names(estimator, info):
    if info.get("target_type") == "multilabel-indicator":
        return list(info["classes"])
    return [str(c) for c in estimator.classes_]


def predict_rows(estimator, info, texts, ids, id_name, top_k, multilabel_as_list):
    """Output rows (dicts) of the predictions."""
    import numpy as np

    documents = np.empty(len(texts), dtype=object)
    documents[:] = texts
    names = _label_names(estimator, info)
    predicted = np.asarray(estimator.predict(documents))
    # A folder that save_model wrote alone has no target type: a 1-D decision function is read as binary.
    scores, prefix = score_matrix(estimator, documents, info.get("target_type", "multiclass"))
    multilabel = info.get("target_type") == "multilabel-indicator"
    rows = []
    for i in range(len(texts)):
        row = {} if ids is None else {id_name: ids[i]}
        if multilabel:
            chosen = [name for name, on in zip(names, predicted[i]) if on]
            row["labels"] = chosen if multilabel_as_list else "|".join(chosen)
        else:
            row["label"] = predicted[i].item() if hasattr(predicted[i], "item") else predicted[i]
        if top_k is None:
            row.update((f"{prefix}_{name}", round(float(value), 6)) for name, value in zip(names, scores[i]))
        else:
            for rank, k in enumerate(np.argsort(-scores[i], kind="stable")[:top_k], start=1):
                row[f"top{rank}_label"] = names[k]
                row[f"top{rank}_{prefix}"] = round(float(scores[i, k]), 6)
        rows.append(row)
    return rows


def write_rows(rows, out):
    """Write rows as CSV (to standard output when ``out`` is None), TSV, JSON lines or Parquet."""
    import csv
    import gzip
    import json

    kind = "csv" if out is None else _output_format(out)
    if kind == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        pq.write_table(pa.Table.from_pylist(rows), out)
        return
    if out is None:
        stream = sys.stdout
    elif str(out).endswith(".gz"):
        stream = gzip.open(out, "wt", encoding="utf-8", newline="")
    else:
        stream = open(out, "w", encoding="utf-8", newline="")
    try:
        if kind == "jsonl":
            stream.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
        else:
            writer = csv.DictWriter(stream, fieldnames=list(rows[0]) if rows else [],
                                    delimiter="\t" if kind == "tsv" else ",", lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    finally:
        if stream is not sys.stdout:
            stream.close()


def run(args, argv):
    if args.top_k is not None and args.top_k < 1:
        raise UsageError(f"--top-k must be at least 1, got {args.top_k}.")
    kind = "csv" if args.out is None else _output_format(args.out)
    if args.data != "-" and not Path(args.data).is_file():
        raise UsageError(f"{args.data}: no such file.")
    info = read_training_info(args.model_dir)
    texts, ids = _read_documents(args, info)
    if not texts:
        raise UsageError(f"{args.data}: no documents to predict.")
    estimator = load_model_dir(args.model_dir)
    rows = predict_rows(estimator, info, texts, ids, args.id, args.top_k,
                        multilabel_as_list=kind in ("jsonl", "parquet"))
    write_rows(rows, args.out)
    if args.out is not None:
        print(f"Predicted {len(rows)} documents with {info.get('model', 'the model')}: {args.out}",
              file=sys.stderr)
    return 0
