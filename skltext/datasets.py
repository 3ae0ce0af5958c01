"""Synthetic text corpora and readers for labelled text files.

The readers take the corpus format of the benchmark data (one row per
document with ``text``, ``label``, and optionally ``split`` and ``group``)
from CSV, TSV, JSON lines (each optionally gzipped) or Parquet files, under
any column names.
"""

import json
from pathlib import Path

import numpy as np
from sklearn.utils import Bunch, check_random_state

from ._file_formats import detect_format, read_delimited, read_jsonl, read_parquet

__all__ = ["make_text_classification", "make_demo_corpus", "load_table", "load_jsonl", "load_jsonl_corpus"]

# The demo corpus: support-ticket topics in confusable pairs (made-up words), most frequent first.
_DEMO_CLASSES = ["billing", "refund", "login", "password", "bug", "crash", "feature", "praise"]
_DEMO_WEIGHTS = [30, 18, 14, 10, 9, 7, 4, 3]

_SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "be", "da", "fo", "gu", "pe", "ti", "zo", "xa"]


def _words(rng, n_words, seen):
    """``n_words`` new made-up words of 2 to 5 syllables (about a million possible)."""
    words = []
    while len(words) < n_words:
        word = "".join(rng.choice(_SYLLABLES, size=rng.randint(2, 6)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


def make_text_classification(
    n_samples=600,
    *,
    n_classes=3,
    weights=None,
    multilabel=False,
    min_length=5,
    max_length=30,
    topic_words=15,
    common_words=300,
    signal=0.25,
    confusion=0.0,
    random_state=None,
):
    """Generate a labelled corpus of synthetic documents.

    Each class has its own topic words; a document mixes its classes' topic
    words (a share ``signal`` of its tokens) with common words drawn from a
    Zipf-like distribution shared by all classes. Classes can be made
    imbalanced with ``weights``. No download involved.

    Parameters
    ----------
    n_samples : int, default=600
        Number of documents.
    n_classes : int, default=3
        Number of classes (labels, for multi-label).
    weights : array-like of shape (n_classes,), default=None
        Relative class frequencies; None for balanced classes.
    multilabel : bool, default=False
        Give each document one to three labels and return an indicator matrix.
    min_length, max_length : int, default=5, 30
        Range of document lengths, in tokens.
    topic_words : int, default=15
        Topic words per class.
    common_words : int, default=300
        Size of the shared vocabulary.
    signal : float, default=0.25
        Share of a document's tokens drawn from its classes' topic words.
    confusion : float in [0, 1], default=0.0
        Share of topic words that classes ``2k`` and ``2k + 1`` have in
        common, which makes each such pair hard to tell apart: 0 gives every
        class its own topic words, 1 makes a pair indistinguishable.
    random_state : int, RandomState instance or None, default=None
        Seed.

    Returns
    -------
    texts : list of str
    y : ndarray of shape (n_samples,) of str, or (n_samples, n_classes) of int
        Class names ``'class_0'``, ... or, with ``multilabel``, a 0/1 matrix.

    Examples
    --------
    >>> from skltext.datasets import make_text_classification
    >>> texts, y = make_text_classification(10, n_classes=2, random_state=0)
    >>> len(texts), sorted(set(y.tolist()))
    (10, ['class_0', 'class_1'])
    """
    if n_classes * topic_words + common_words > 500_000:
        raise ValueError("make_text_classification makes up at most 500,000 distinct words; lower "
                         "topic_words or common_words.")
    if not 0.0 <= confusion <= 1.0:
        raise ValueError(f"confusion must be between 0 and 1, got {confusion!r}.")
    rng = check_random_state(random_state)
    seen = set()
    topics = [_words(rng, topic_words, seen) for _ in range(n_classes)]
    n_shared = int(round(confusion * topic_words))
    for first in range(0, n_classes - 1, 2):  # pairs of confusable classes share words
        topics[first + 1][:n_shared] = topics[first][:n_shared]
    common = np.array(_words(rng, common_words, seen))
    zipf = 1.0 / np.arange(1, common_words + 1)
    zipf /= zipf.sum()
    p = np.full(n_classes, 1.0 / n_classes) if weights is None else np.asarray(weights, float) / np.sum(weights)

    if multilabel:
        y = np.zeros((n_samples, n_classes), dtype=np.int64)
        for row in range(n_samples):
            n_labels = min(n_classes, rng.randint(1, 4))
            y[row, rng.choice(n_classes, size=n_labels, replace=False, p=p)] = 1
    else:
        codes = rng.choice(n_classes, size=n_samples, p=p)
        y = np.array([f"class_{c}" for c in codes])

    # Every token of every document at once: a common word, or a topic word of one of
    # the document's labels (picked uniformly) with probability `signal`.
    labels = y if multilabel else np.eye(n_classes, dtype=np.int64)[codes]
    lengths = rng.randint(min_length, max_length + 1, size=n_samples)
    doc_of_token = np.repeat(np.arange(n_samples), lengths)
    words = common[rng.choice(common_words, size=lengths.sum(), p=zipf)]
    topical = np.flatnonzero(rng.rand(len(words)) < signal)
    label_lists = [np.flatnonzero(row) for row in labels]
    n_labels = labels.sum(axis=1)
    padded = np.zeros((n_samples, max(n_labels.max(), 1)), dtype=np.int64)
    for row, found in enumerate(label_lists):
        padded[row, : len(found)] = found
    docs = doc_of_token[topical]
    chosen = padded[docs, (rng.rand(len(topical)) * n_labels[docs]).astype(np.int64)]
    topic_words_array = np.array(topics)
    words[topical] = topic_words_array[chosen, rng.randint(topic_words, size=len(topical))]
    bounds = np.concatenate([[0], np.cumsum(lengths)])
    texts = [" ".join(words[bounds[i] : bounds[i + 1]]) for i in range(n_samples)]
    return texts, y


def load_jsonl_corpus(path):
    """Read a labelled corpus stored as (optionally gzipped) JSON lines.

    Each line is an object with at least ``"text"`` and ``"label"`` (a string,
    or a list of strings for multi-label corpora); ``"split"`` and
    ``"group"`` are read when present.

    Parameters
    ----------
    path : str or pathlib.Path
        File name; a ``.gz`` suffix means gzip.

    Returns
    -------
    corpus : dict
        ``texts`` (list of str), ``labels`` (list of str or list of lists),
        ``splits`` and ``groups`` (lists, None where absent).

    Examples
    --------
    >>> import json, tempfile
    >>> from pathlib import Path
    >>> from skltext.datasets import load_jsonl_corpus
    >>> path = Path(tempfile.mkdtemp()) / "tiny.jsonl"
    >>> _ = path.write_text(json.dumps({"text": "what is a cat", "label": "DESC", "split": "train"}))
    >>> corpus = load_jsonl_corpus(path)
    >>> corpus["texts"], corpus["labels"], corpus["groups"]
    (['what is a cat'], ['DESC'], [None])
    """
    path = Path(path)
    rows, _ = read_jsonl(path, required=("text", "label"))
    return {"texts": [row["text"] for row in rows], "labels": [row["label"] for row in rows],
            "splits": [row.get("split") for row in rows], "groups": [row.get("group") for row in rows]}


def make_demo_corpus(n_samples=1500, *, random_state=0):
    """The corpus of ``skltext compare --demo``: imbalanced, with confusable classes.

    Eight support-ticket topics written in made-up words
    (:func:`make_text_classification`), from 30 % of the documents down to
    3 %, in pairs that share 60 % of their topic words (billing and refund,
    login and password, bug and crash, feature and praise). A linear model
    on word counts separates the pairs only partly, so the per-class scores
    differ between models.

    Parameters
    ----------
    n_samples : int, default=1500
        Number of documents.
    random_state : int, RandomState instance or None, default=0
        Seed.

    Returns
    -------
    corpus : :class:`~sklearn.utils.Bunch`
        ``texts`` (list of str), ``labels`` (list of str), ``groups`` and
        ``splits`` (None) and ``description``, as returned by :func:`load_table`.

    Examples
    --------
    >>> from skltext.datasets import make_demo_corpus
    >>> corpus = make_demo_corpus(200)
    >>> len(corpus.texts), sorted(set(corpus.labels))[:3]
    (200, ['billing', 'bug', 'crash'])
    """
    texts, y = make_text_classification(
        n_samples, n_classes=len(_DEMO_CLASSES), weights=_DEMO_WEIGHTS, signal=0.2, confusion=0.6,
        topic_words=20, common_words=2000, min_length=8, max_length=40, random_state=random_state)
    labels = [_DEMO_CLASSES[int(name.split("_")[1])] for name in y]
    return Bunch(texts=texts, labels=labels, groups=None, splits=None, columns=["text", "label"],
                 description=f"synthetic support tickets ({n_samples} documents, {len(_DEMO_CLASSES)} "
                             "imbalanced classes in confusable pairs)")


def _parse_label(value, label_sep):
    """A label as a string, a list of strings (multi-label) or None (missing)."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, (list, tuple, np.ndarray)):
        return [str(v).strip() for v in value if v is not None and str(v).strip()]
    value = str(value).strip()
    if not value:
        return None
    if value.startswith("[") and value.endswith("]"):
        try:
            parsed = json.loads(value)
        except json.JSONDecodeError:
            parsed = None
        if isinstance(parsed, list):
            return [str(v).strip() for v in parsed if v is not None and str(v).strip()]
    if label_sep is not None:
        return [part.strip() for part in value.split(label_sep) if part.strip()]
    return value


def load_table(path, *, text="text", label="label", group=None, split=None, id=None, label_sep=None,
               format="auto", delimiter=None, encoding="utf-8", header=True, names=None):
    """Read labelled documents from a CSV, TSV, JSON-lines or Parquet file.

    The format follows the file name: ``.csv``, ``.tsv`` (or ``.tab``),
    ``.jsonl`` (``.ndjson``, ``.json``: one JSON object per line),
    each optionally followed by ``.gz``, and ``.parquet``. CSV and TSV files
    start with a header line naming the columns (unless ``header=False``);
    their field delimiter is read from that line (the one of ``,``, tab,
    ``;`` and ``|`` it holds, preferring the format's own), so a ``.csv``
    file written with semicolons by a spreadsheet reads as it is. Column
    names must be unique.

    A label is a string, or for multi-label data a list of strings: a JSON
    list (``["sports", "politics"]``, also as a string in a CSV cell) or,
    with ``label_sep``, a string such as ``"sports|politics"``. Numbers are
    read as strings. When any row holds a list, every row's label is a list.

    Parameters
    ----------
    path : str or pathlib.Path
        The file.
    text : str, default='text'
        Column of the documents.
    label : str or None, default='label'
        Column of the labels; None reads no labels (documents to predict).
    group : str or None, default=None
        Column of the groups (rows of one group must stay in one fold, e.g.
        near-duplicates or documents of one author); None reads no groups.
    split : str or None, default=None
        Column of a predefined split (e.g. 'train' / 'test'); None reads none.
    id : str or None, default=None
        Column of document identifiers, returned as ``ids``; None reads none.
    label_sep : str or None, default=None
        Separator of the labels of a multi-label row stored as one string.
    format : {'auto', 'csv', 'tsv', 'jsonl', 'parquet'}, default='auto'
        File format; 'auto' reads it from the file name.
    delimiter : str or None, default=None
        Field delimiter of a CSV or TSV file; None reads it from the header
        line (without a header, from the first lines).
    encoding : str, default='utf-8'
        Text encoding of a CSV, TSV or JSON-lines file (a UTF-8 byte-order
        mark is skipped). A byte that does not decode is reported with its
        line.
    header : bool, default=True
        Whether a CSV or TSV file starts with a line naming the columns.
    names : list of str or None, default=None
        Column names of a CSV or TSV file without a header line; None names
        them ``'column1'``, ``'column2'``, ...

    Returns
    -------
    corpus : :class:`~sklearn.utils.Bunch`
        ``texts`` (list of str; None where a row has no text), ``labels``
        (list of str, or of lists of str for multi-label data; None where a
        row has no label; None when ``label`` is None), ``groups``,
        ``splits`` and ``ids`` (lists, or None when not requested),
        ``columns`` (the columns of the file), ``multilabel`` (bool) and
        ``description``.

    Raises
    ------
    ValueError
        If the file is empty, a requested column does not exist (the
        message lists those that do), two columns have the same name, a
        line is not valid JSON or a byte does not decode in ``encoding``.

    See Also
    --------
    load_jsonl : The same for JSON-lines files only.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from skltext.datasets import load_table
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "reviews.csv"
    >>> _ = path.write_text("review,stars\\ngreat phone,5\\nbroke in a week,1\\n")
    >>> corpus = load_table(path, text="review", label="stars")
    >>> corpus.texts, corpus.labels
    (['great phone', 'broke in a week'], ['5', '1'])
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file.")
    kind = detect_format(path, format)
    if kind in ("csv", "tsv"):
        rows, columns = read_delimited(path, delimiter, default="," if kind == "csv" else "\t",
                                        encoding=encoding, header=header, names=names)
    elif kind == "jsonl":
        rows, columns = read_jsonl(path, encoding=encoding)
    else:
        rows, columns = read_parquet(path)
    if not rows:
        raise ValueError(f"{path} has no rows" + (f" (columns: {', '.join(columns)})." if columns else "."))
    wanted = {"text": text, "label": label, "group": group, "split": split, "id": id}
    for role, column in wanted.items():
        if column is not None and column not in columns:
            raise ValueError(f"{path} has no {role} column {column!r}; its columns are: "
                             f"{', '.join(repr(c) for c in columns)}.")

    texts = [None if row.get(text) is None else str(row.get(text)) for row in rows]
    labels, multilabel = None, False
    if label is not None:
        labels = [_parse_label(row.get(label), label_sep) for row in rows]
        multilabel = any(isinstance(value, list) for value in labels)
        if multilabel:
            labels = [[value] if isinstance(value, str) else value for value in labels]
    column = {name: None if name is None else [row.get(name) for row in rows] for name in (group, split, id)}
    return Bunch(texts=texts, labels=labels, groups=column[group], splits=column[split], ids=column[id],
                 columns=columns, multilabel=multilabel, description=f"{path.name} ({len(rows)} rows)")


def load_jsonl(path, *, text="text", label="label", group=None, split=None, label_sep=None):
    """Read labelled documents from a JSON-lines file (optionally gzipped).

    Each line is a JSON object; the benchmark corpora use
    ``{"text": ..., "label": ..., "split": ..., "group": ...}``, where a
    multi-label row's label is a list. See :func:`load_table` for the
    parameters and the returned corpus.

    Parameters
    ----------
    path : str or pathlib.Path
        The file; a name ending in ``.gz`` is gunzipped.
    text, label : str, default='text', 'label'
        Keys of the documents and of their labels.
    group, split : str or None, default=None
        Keys of the groups and of a predefined split; None reads none.
    label_sep : str or None, default=None
        Separator of the labels of a multi-label row stored as one string.

    Returns
    -------
    corpus : :class:`~sklearn.utils.Bunch`
        As :func:`load_table`.

    Examples
    --------
    >>> import json, tempfile, pathlib
    >>> from skltext.datasets import load_jsonl
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "tags.jsonl"
    >>> rows = [{"text": "a b", "label": ["x", "y"], "group": "g1"}, {"text": "c", "label": "x", "group": "g2"}]
    >>> _ = path.write_text("\\n".join(json.dumps(row) for row in rows))
    >>> corpus = load_jsonl(path, group="group")
    >>> corpus.labels, corpus.groups, corpus.multilabel
    ([['x', 'y'], ['x']], ['g1', 'g2'], True)
    """
    return load_table(path, text=text, label=label, group=group, split=split, label_sep=label_sep,
                      format="jsonl")
