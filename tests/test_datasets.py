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


def test_confusion_shares_topic_words_within_pairs():
    """Check that confusion=0 keeps the old corpus and confusion=1 makes a pair indistinguishable in words."""
    from skltext.datasets import make_text_classification as make

    assert make(40, random_state=1)[0] == make(40, random_state=1, confusion=0.0)[0]
    texts, y = make(400, n_classes=2, signal=0.9, topic_words=5, common_words=5, confusion=1.0, random_state=0)
    vocabulary = [set(" ".join(t for t, label in zip(texts, y) if label == c).split()) for c in ("class_0", "class_1")]
    assert vocabulary[0] == vocabulary[1]
    with pytest.raises(ValueError, match="confusion"):
        make(10, confusion=1.5)


def test_demo_corpus_is_imbalanced_and_seeded():
    """Check the demo corpus's classes, imbalance and seed."""
    from skltext.datasets import make_demo_corpus

    corpus = make_demo_corpus(1000)
    counts = {label: corpus.labels.count(label) for label in set(corpus.labels)}
    assert len(counts) == 8 and counts["billing"] > 5 * counts["praise"]
    assert make_demo_corpus(50, random_state=1).texts == make_demo_corpus(50, random_state=1).texts


def test_load_table_reads_label_forms(tmp_path):
    """Check CSV labels: plain, a JSON list in a cell, a separated string, numbers; a BOM is dropped."""
    from skltext.datasets import load_table

    (tmp_path / "a.csv").write_text('\ufeffbody,tags,author\nx y,"[""a"", ""b""]",p\nz,c,q\n', encoding="utf-8")
    corpus = load_table(tmp_path / "a.csv", text="body", label="tags", group="author")
    assert corpus.labels == [["a", "b"], ["c"]] and corpus.multilabel and corpus.groups == ["p", "q"]
    (tmp_path / "b.tsv").write_text("text\tlabel\nx\ta| b\ny\t3\n")
    assert load_table(tmp_path / "b.tsv", label_sep="|").labels == [["a", "b"], ["3"]]
    assert load_table(tmp_path / "b.tsv").labels == ["a| b", "3"]


def test_load_table_errors(tmp_path):
    """Check the messages for a missing column, an empty file, no rows, an unknown suffix and bad JSON."""
    from skltext.datasets import load_jsonl, load_table

    (tmp_path / "a.csv").write_text("doc,y\nx,1\n")
    with pytest.raises(ValueError, match="no label column 'label'; its columns are: 'doc', 'y'"):
        load_table(tmp_path / "a.csv", text="doc")
    (tmp_path / "e.csv").write_text("")
    with pytest.raises(ValueError, match="is empty"):
        load_table(tmp_path / "e.csv")
    (tmp_path / "h.tsv").write_text("text\tlabel\n")
    with pytest.raises(ValueError, match="has no rows"):
        load_table(tmp_path / "h.tsv")
    (tmp_path / "d.txt").write_text("x")
    with pytest.raises(ValueError, match="file format"):
        load_table(tmp_path / "d.txt")
    (tmp_path / "j.jsonl").write_text('{"text": "a", "label": "x"}\n{"text": \n')
    with pytest.raises(ValueError, match="line 2: not valid JSON"):
        load_jsonl(tmp_path / "j.jsonl")
    with pytest.raises(FileNotFoundError):
        load_table(tmp_path / "missing.csv")


def test_load_jsonl_reads_the_shared_corpus_format(tmp_path):
    """Check the benchmark corpus format, gzipped, with split and group."""
    from skltext.datasets import load_jsonl

    rows = [{"text": "a", "label": "x", "split": "train", "group": "g"}, {"text": "b", "label": "y", "split": None,
                                                                          "group": None}]
    with gzip.open(tmp_path / "c.jsonl.gz", "wt") as f:
        f.write("\n".join(json.dumps(row) for row in rows))
    corpus = load_jsonl(tmp_path / "c.jsonl.gz", group="group", split="split")
    assert corpus.texts == ["a", "b"] and corpus.labels == ["x", "y"] and not corpus.multilabel
    assert corpus.splits == ["train", None] and corpus.groups == ["g", None]
