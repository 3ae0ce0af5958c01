"""Tests for skltext.datasets."""

import gzip
import json

import numpy as np
import pytest

from skltext.datasets import load_jsonl_corpus, make_text_classification


def test_synthetic_corpus_shapes_and_imbalance():
    """Check sizes, labels and class weights of the generator."""
    texts, y = make_text_classification(2000, n_classes=3, weights=[8, 1, 1], random_state=0)
    assert len(texts) == 2000 and all(isinstance(t, str) and t for t in texts)
    counts = {label: int((y == label).sum()) for label in np.unique(y)}
    assert counts["class_0"] > 5 * counts["class_1"]


def test_synthetic_corpus_is_reproducible_and_multilabel():
    """Check the seed and the multi-label indicator output."""
    assert make_text_classification(50, random_state=3)[0] == make_text_classification(50, random_state=3)[0]
    _, y = make_text_classification(100, n_classes=5, multilabel=True, random_state=0)
    assert y.shape == (100, 5) and set(np.unique(y)) == {0, 1} and (y.sum(axis=1) >= 1).all()


def test_load_jsonl_corpus_reads_plain_and_gzip(tmp_path):
    """Check reading single- and multi-label rows, plain and gzipped."""
    rows = [{"text": "a b", "label": "x", "split": "train", "group": "g1"},
            {"text": "c", "label": ["y", "z"]}]
    payload = "\n".join(json.dumps(row) for row in rows) + "\n\n"
    (tmp_path / "c.jsonl").write_text(payload)
    with gzip.open(tmp_path / "c.jsonl.gz", "wt") as f:
        f.write(payload)
    for name in ("c.jsonl", "c.jsonl.gz"):
        corpus = load_jsonl_corpus(tmp_path / name)
        assert corpus["texts"] == ["a b", "c"]
        assert corpus["labels"] == ["x", ["y", "z"]]
        assert corpus["splits"] == ["train", None] and corpus["groups"] == ["g1", None]


def test_load_jsonl_corpus_names_the_bad_line(tmp_path):
    """Check that a malformed line is reported with its number."""
    (tmp_path / "bad.jsonl").write_text('{"text": "a", "label": "x"}\n{"text": "b"}\n')
    with pytest.raises(ValueError, match="line 2"):
        load_jsonl_corpus(tmp_path / "bad.jsonl")
