"""Synthetic text corpora and a reader for labelled JSON-lines corpora."""

import gzip
import json
from pathlib import Path

import numpy as np
from sklearn.utils import check_random_state

__all__ = ["make_text_classification", "load_jsonl_corpus"]

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
    rng = check_random_state(random_state)
    seen = set()
    topics = [_words(rng, topic_words, seen) for _ in range(n_classes)]
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
    """
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    corpus = {"texts": [], "labels": [], "splits": [], "groups": []}
    with opener(path, "rt", encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                text, label = row["text"], row["label"]
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                raise ValueError(f"{path}, line {number}: expected a JSON object with 'text' and "
                                 f"'label' ({exc}).") from None
            corpus["texts"].append(text)
            corpus["labels"].append(label)
            corpus["splits"].append(row.get("split"))
            corpus["groups"].append(row.get("group"))
    return corpus
