"""Tests for the ``skltext compare`` command, end to end on small files."""

import csv
import gzip
import json
import re
import runpy
import sys

import numpy as np
import pytest
from sklearn.model_selection import cross_validate

from skltext import CNNClassifier
from skltext.cli import main
from skltext.compare import make_cv, make_model, make_scorers
from skltext.datasets import make_text_classification

from .conftest import TINY

FAST = ["--models", "tfidf-lr,tfidf-svm", "--cv", "3", "-q"]


def _rows(n=120, n_classes=3, multilabel=False, seed=0):
    texts, y = make_text_classification(n, n_classes=n_classes, multilabel=multilabel, signal=0.5,
                                        max_length=12, random_state=seed)
    if multilabel:
        labels = [[f"tag{k}" for k in np.flatnonzero(row)] for row in y]
    else:
        labels = [str(label) for label in y]
    return [{"doc": text, "category": label, "source": f"s{i // 3}"} for i, (text, label) in
            enumerate(zip(texts, labels))]


def _write(path, rows, label_sep="|"):
    """Write rows as CSV, TSV, JSON lines (optionally gzipped) or Parquet, by the file name."""
    name = path.name
    if name.endswith((".jsonl", ".jsonl.gz")):
        opener = gzip.open if name.endswith(".gz") else open
        with opener(path, "wt", encoding="utf-8") as stream:
            stream.writelines(json.dumps(row) + "\n" for row in rows)
    elif name.endswith(".parquet"):
        import pyarrow as pa
        import pyarrow.parquet as pq

        pq.write_table(pa.Table.from_pylist(rows), path)
    else:
        delimiter = "\t" if name.endswith(".tsv") else ","
        with open(path, "w", newline="", encoding="utf-8") as stream:
            writer = csv.DictWriter(stream, fieldnames=list(rows[0]), delimiter=delimiter)
            writer.writeheader()
            for row in rows:
                label = row["category"]
                writer.writerow({**row, "category": label_sep.join(label) if isinstance(label, list) else label})
    return path


def _table(text):
    """Model name -> list of (mean, std) cells of a printed results table."""
    table = {}
    for line in text.splitlines():
        cells = [cell.strip().strip("*") for cell in line.strip().strip("|").split("|")]
        if len(cells) > 2 and "±" in cells[1]:
            table[cells[0]] = [tuple(float(x) for x in cell.split("±")) for cell in cells[1:]]
    return table


def _run(capsys, *args):
    code = main(["compare", *map(str, args)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("name", ["data.csv", "data.tsv", "data.jsonl", "data.jsonl.gz", "data.parquet"])
def test_each_input_format_runs_end_to_end(tmp_path, capsys, name):
    """Check that every format is read and gives a report and the same table."""
    path = _write(tmp_path / name, _rows())
    code, out, err = _run(capsys, path, "--text", "doc", "--label", "category", "--out", tmp_path / "out", *FAST)
    assert code == 0, err
    table = _table(out)
    assert set(table) == {"tfidf-lr", "tfidf-svm"}
    report = (tmp_path / "out" / "report.md").read_text()
    assert _table(report) == table
    for figure in ("per_class_f1.png", "confusion_matrix.png", "precision_recall.png"):
        assert (tmp_path / "out" / figure).stat().st_size > 1000


def test_table_equals_cross_validate(tmp_path, capsys):
    """Check the printed means and stds against cross_validate on the command's folds."""
    rows = _rows(150, n_classes=4)
    path = _write(tmp_path / "d.csv", rows)
    code, out, _ = _run(capsys, path, "--text", "doc", "--label", "category", "--seed", 3, "--out", tmp_path, *FAST)
    assert code == 0
    texts = np.array([row["doc"] for row in rows], dtype=object)
    y = np.array([row["category"] for row in rows])
    folds = list(make_cv("multiclass", n_splits=3, random_state=3).split(texts, y))
    table = _table(out)
    for name in ("tfidf-lr", "tfidf-svm"):
        model = make_model(name, target_type="multiclass", random_state=3)
        direct = cross_validate(model, texts, y, cv=folds, scoring=make_scorers("multiclass"))
        for cell, metric in zip(table[name], ("accuracy", "macro_f1", "pr_auc")):
            scores = direct[f"test_{metric}"]
            assert cell == (round(scores.mean(), 3), round(scores.std(), 3))


def test_binary_deep_model_with_training_curves(tmp_path, capsys):
    """Check a binary target with a tiny CNN set through --param, and its training-curve figure."""
    rows = [{**row, "category": "spam" if row["category"] == "class_0" else "ham"} for row in _rows(90, 2)]
    path = _write(tmp_path / "b.jsonl", rows)
    params = [f"--param=cnn.{key}={value!r}" for key, value in TINY[CNNClassifier].items() if key != "random_state"]
    code, out, err = _run(capsys, path, "--text", "doc", "--label", "category", "--models", "cnn,tfidf-lr",
                          "--cv", 2, "-q", "--out", tmp_path / "r", *params)
    assert code == 0, err
    assert set(_table(out)) == {"cnn", "tfidf-lr"}
    assert (tmp_path / "r" / "training_curves.png").stat().st_size > 1000
    report = (tmp_path / "r" / "report.md").read_text()
    assert "binary, 2 classes" in report and "cnn parameters: filters=4" in report


@pytest.mark.parametrize("name, extra", [("m.jsonl", []), ("m.csv", ["--label-sep", "|"])])
def test_multilabel_json_lists_and_separated_strings(tmp_path, capsys, name, extra):
    """Check multi-label labels as JSON lists and as separated strings: micro-F1 first, no confusion matrix."""
    path = _write(tmp_path / name, _rows(150, n_classes=4, multilabel=True))
    code, out, err = _run(capsys, path, "--text", "doc", "--label", "category", "--out", tmp_path / "o", *extra, *FAST)
    assert code == 0, err
    header = next(line for line in out.splitlines() if line.startswith("| model"))
    assert header.split("|")[2].strip() == "micro-F1"
    report = (tmp_path / "o" / "report.md").read_text()
    assert "multi-label, 4 labels" in report and "| tag3 |" in report
    assert not (tmp_path / "o" / "confusion_matrix.png").exists()


def test_grouped_cross_validation(tmp_path, capsys):
    """Check that --group selects stratified group folds."""
    path = _write(tmp_path / "g.csv", _rows())
    code, out, err = _run(capsys, path, "--text", "doc", "--label", "category", "--group", "source",
                          "--out", tmp_path, *FAST)
    assert code == 0, err
    assert "grouped by 'source'" in err
    assert "StratifiedGroupKFold" in (tmp_path / "report.md").read_text()


def test_missing_column_lists_the_columns(tmp_path, capsys):
    """Check that a wrong column name is reported with the columns that exist."""
    path = _write(tmp_path / "d.csv", _rows())
    code, _, err = _run(capsys, path, "--text", "body", "--label", "category", *FAST)
    assert code == 2
    assert "no text column 'body'" in err and "'doc', 'category', 'source'" in err


@pytest.mark.parametrize("content, match", [("", "is empty"), ("doc,category\n", "has no rows")])
def test_empty_file(tmp_path, capsys, content, match):
    """Check an empty file and a header without rows."""
    path = tmp_path / "e.csv"
    path.write_text(content)
    code, _, err = _run(capsys, path, "--text", "doc", "--label", "category", *FAST)
    assert code == 2 and match in err


def test_one_class_label_column(tmp_path, capsys):
    """Check that a label column with a single class is refused with its count."""
    rows = [{**row, "category": "same"} for row in _rows(30)]
    code, _, err = _run(capsys, _write(tmp_path / "o.csv", rows), "--text", "doc", "--label", "category", *FAST)
    assert code == 2 and "single class, 'same' (30 rows)" in err


def test_empty_text_rows_are_counted_and_can_be_dropped(tmp_path, capsys):
    """Check that empty texts are reported with their count and rows, and dropped with --drop-empty."""
    rows = _rows()
    for i in (4, 9, 20):
        rows[i]["doc"] = "  "
    path = _write(tmp_path / "t.csv", rows)
    code, _, err = _run(capsys, path, "--text", "doc", "--label", "category", *FAST)
    assert code == 2
    assert "3 of 120 rows have empty text (column 'doc'): data rows 5, 10, 21" in err and "--drop-empty" in err
    code, out, err = _run(capsys, path, "--text", "doc", "--label", "category", "--drop-empty",
                          "--out", tmp_path, *FAST)
    assert code == 0 and "Dropped 3 of 120 rows" in err and "117 documents" in err


def test_other_usage_errors(tmp_path, capsys):
    """Check a missing file, an unknown model, a bad --param and DATA with --demo."""
    path = _write(tmp_path / "d.csv", _rows(30))
    code, _, err = _run(capsys, tmp_path / "none.csv", *FAST)
    assert code == 2 and "no such file" in err
    code, _, err = _run(capsys, path, "--text", "doc", "--label", "category", "--models", "tfidf-lr,bert")
    assert code == 2 and "unknown model(s) 'bert'" in err
    code, _, err = _run(capsys, path, "--text", "doc", "--label", "category", "--param", "cnn.epochs")
    assert code == 2 and "MODEL.NAME=VALUE" in err
    code, _, err = _run(capsys, path, "--demo")
    assert code == 2 and "not both" in err


def test_python_dash_m_runs_the_command(tmp_path, monkeypatch, capsys):
    """Check that ``python -m skltext`` runs the same command and exits with its status."""
    monkeypatch.setattr(sys, "argv", ["skltext", "compare", str(tmp_path / "none.csv")])
    with pytest.raises(SystemExit) as exit_info:
        runpy.run_module("skltext", run_name="__main__")
    assert exit_info.value.code == 2
    assert re.search(r"skltext compare: error: .*none\.csv: no such file", capsys.readouterr().err)
