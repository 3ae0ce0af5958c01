"""Tests for the ``skltext compare`` command, end to end on small files."""

import argparse
import csv
import gzip
import io
import json
import os
import re
import runpy
import signal
import subprocess
import sys
import textwrap

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


def test_demo_settings_are_parameters_of_the_models_they_name():
    """Check that every demo setting is a valid parameter of its compare model and that --param overrides it."""
    from skltext.cli import _compare

    for name, settings in _compare.DEMO_MODEL_PARAMS.items():
        values = make_model(name, target_type="multiclass", params=settings).get_params()
        # A pipeline's classifier step, or the DeepLinearClassifier of 'ngram+tfidf' itself.
        assert {key: values.get(f"classifier__{key}", values.get(key)) for key in settings} == settings
    args = argparse.Namespace(demo=True, seed=0, param=["ngram.learning_rate=0.1"])
    _, params = _compare._corpus_and_params(args, ["ngram", "ngram+tfidf"])
    assert params == {"ngram": {"learning_rate": 0.1},
                      "ngram+tfidf": {"deep__classifier__learning_rate": 0.01}}


def test_python_dash_m_runs_the_command(tmp_path, monkeypatch, capsys):
    """Check that ``python -m skltext`` runs the same command and exits with its status."""
    monkeypatch.setattr(sys, "argv", ["skltext", "compare", str(tmp_path / "none.csv")])
    with pytest.raises(SystemExit) as exit_info:
        runpy.run_module("skltext", run_name="__main__")
    assert exit_info.value.code == 2
    assert re.search(r"skltext compare: error: .*none\.csv: no such file", capsys.readouterr().err)


# ------------------------------------------------------------------------ train, predict, evaluate

TINY_CNN = [f"--param=cnn.{key}={value!r}" for key, value in TINY[CNNClassifier].items() if key != "random_state"]
_BACKEND_NOISE = re.compile(r"^[IWE]\d{4} |absl::InitializeLog|cuInit|oneDNN|retracing", re.MULTILINE)


def _user_env():
    """The environment of a user's shell: no TF_CPP_MIN_LOG_LEVEL set by the test suite."""
    env = dict(os.environ)
    env.pop("TF_CPP_MIN_LOG_LEVEL", None)
    return env


def _command(*args, stdin=None, check=True):
    """Run ``skltext ARGS`` as a user does, in a new process."""
    result = subprocess.run([sys.executable, "-m", "skltext", *map(str, args)], input=stdin, capture_output=True,
                            text=True, env=_user_env(), timeout=300)
    if check:
        assert result.returncode == 0, result.stderr
    return result


def test_import_and_argument_errors_do_not_load_keras(tmp_path):
    """Check that import skltext, --help and argument errors of every command run without Keras or TensorFlow."""
    code = textwrap.dedent(f"""
        import contextlib, io, sys
        import skltext
        assert "CNNClassifier" in dir(skltext) and "CNNClassifier" in skltext.__all__
        from skltext.cli import main
        with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
            codes = [main(["predict", {str(tmp_path)!r}, "-", "--top-k", "0"]),
                     main(["predict", {str(tmp_path)!r}, "none.csv"]),
                     main(["train", "none.csv", "--model", "bert", "--out", "m"]),
                     main(["compare", "none.csv", "--models", "bert"])]
            try:
                main(["--help"])
            except SystemExit:
                pass
        print(codes, sorted(name for name in ("keras", "tensorflow", "jax") if name in sys.modules))
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=_user_env(),
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[2, 2, 2, 2] []"


def test_train_predict_evaluate_round_trip(tmp_path):
    """Check train -> predict -> evaluate on a small file, each as a command of its own."""
    rows = _rows(150, n_classes=3)
    train = _write(tmp_path / "train.csv", rows[:100])
    held_out = _write(tmp_path / "held_out.jsonl", [{**row, "id": f"doc{i}"} for i, row in enumerate(rows[100:])])
    model = tmp_path / "model"

    result = _command("train", train, "--text", "doc", "--label", "category", "--model", "tfidf-lr", "--out", model)
    assert f"Saved {model}/ (skltext.json, training.json)" in result.stdout
    assert "tfidf-lr: 3 classes (class_0, class_1, class_2), 100 documents" in result.stdout
    assert not [path for path in tmp_path.iterdir() if "partial" in path.name]

    out = tmp_path / "predictions.csv"
    _command("predict", model, held_out, "--id", "id", "--out", out)
    with open(out, newline="") as stream:
        predicted = list(csv.DictReader(stream))
    assert list(predicted[0]) == ["id", "label", "proba_class_0", "proba_class_1", "proba_class_2"]
    assert [row["id"] for row in predicted] == [f"doc{i}" for i in range(50)]
    probabilities = np.array([[float(row[f"proba_class_{k}"]) for k in range(3)] for row in predicted])
    np.testing.assert_allclose(probabilities.sum(axis=1), 1, atol=1e-5)
    accuracy = np.mean([row["label"] == source["category"] for row, source in zip(predicted, rows[100:])])
    assert accuracy > 0.8

    # Standard input, one document per line, top-2 classes: the same labels as from the file.
    documents = "".join(row["doc"] + "\n" for row in rows[100:110])
    piped = _command("predict", model, "-", "--top-k", "2", stdin=documents).stdout
    lines = list(csv.DictReader(io.StringIO(piped)))
    assert list(lines[0]) == ["label", "top1_label", "top1_proba", "top2_label", "top2_proba"]
    assert [line["label"] for line in lines] == [row["label"] for row in predicted[:10]]
    assert all(line["top1_label"] == line["label"] for line in lines)

    report_dir = tmp_path / "evaluation"
    result = _command("evaluate", model, held_out, "--label", "category", "--out", report_dir)
    assert re.search(rf"accuracy {accuracy:.3f}, macro-f1 \d\.\d{{3}}", result.stdout)
    report = (report_dir / "report.md").read_text()
    assert "| tfidf-lr | " in report and "| class_2 |" in report
    for figure in ("confusion_matrix.png", "precision_recall.png", "per_class_f1.png"):
        assert (report_dir / figure).stat().st_size > 1000


def test_evaluate_on_a_class_the_model_does_not_know(tmp_path, capsys):
    """Check that evaluate scores a file with a class missing from training, notes it and scores it zero."""
    rows = _rows(90)
    train = _write(tmp_path / "train.csv", [row for row in rows if row["category"] != "class_2"])
    held_out = _write(tmp_path / "held_out.csv", rows[:30])
    assert main(["train", str(train), "--text", "doc", "--label", "category", "--model", "tfidf-svm", "--out",
                 str(tmp_path / "model")]) == 0
    assert main(["evaluate", str(tmp_path / "model"), str(held_out), "--label", "category", "--out",
                 str(tmp_path / "report")]) == 0
    err = capsys.readouterr().err
    assert "1 classes of DATA are unknown to the model and are always mispredicted: 'class_2'" in err
    report = (tmp_path / "report" / "report.md").read_text()
    assert re.search(r"\| class_2 \| \d+ \| 0\.000 \| 0\.000 \| 0\.000 \|", report)


def test_train_deep_model_quietly_and_predict_label_sets(tmp_path, capsys):
    """Check a tiny multi-label CNN: train prints no backend logging, predict writes label sets as JSON lists."""
    path = _write(tmp_path / "tags.jsonl", _rows(90, n_classes=3, multilabel=True))
    model = tmp_path / "cnn-model"
    result = _command("train", path, "--text", "doc", "--label", "category", "--model", "cnn", "--out", model,
                      *TINY_CNN)
    assert not _BACKEND_NOISE.search(result.stderr), result.stderr
    assert re.search(r"cnn: 3 labels \(tag0, tag1, tag2\), 90 documents, epochs kept \d of 3 run", result.stdout)
    assert (model / "model_0.keras").is_file()
    assert main(["predict", str(model), str(path), "--out", str(tmp_path / "p.jsonl")]) == 0
    first = json.loads((tmp_path / "p.jsonl").read_text().splitlines()[0])
    assert set(first) == {"labels", "proba_tag0", "proba_tag1", "proba_tag2"}
    assert set(first["labels"]) == {name for name in ("tag0", "tag1", "tag2") if first[f"proba_{name}"] >= 0.5}


def test_predict_refuses_a_model_of_another_version(tmp_path, capsys):
    """Check that a model folder written by another skltext version is refused with load_model's message."""
    path = _write(tmp_path / "d.csv", _rows(60))
    model = tmp_path / "m"
    assert main(["train", str(path), "--text", "doc", "--label", "category", "--model", "tfidf-svm",
                 "--out", str(model)]) == 0
    description = json.loads((model / "skltext.json").read_text())
    description["skltext_version"] = "0.1.0"
    (model / "skltext.json").write_text(json.dumps(description))
    capsys.readouterr()
    assert main(["predict", str(model), str(path), "--text", "doc"]) == 2
    assert "was saved by skltext 0.1.0; this is skltext" in capsys.readouterr().err


def test_train_replaces_only_model_folders(tmp_path, capsys):
    """Check that train refuses to write into a folder that holds something else, and leaves it untouched."""
    path = _write(tmp_path / "d.csv", _rows(60))
    other = tmp_path / "photos"
    other.mkdir()
    (other / "cat.jpg").write_text("x")
    code = main(["train", str(path), "--text", "doc", "--label", "category", "--model", "tfidf-lr",
                 "--out", str(other)])
    assert code == 2 and "is not a model folder" in capsys.readouterr().err
    assert [p.name for p in other.iterdir()] == ["cat.jpg"]


def test_compare_save_best(tmp_path, capsys):
    """Check that --save-best trains the winner on every row and saves it."""
    path = _write(tmp_path / "d.csv", _rows())
    code, out, err = _run(capsys, path, "--text", "doc", "--label", "category", "--out", tmp_path / "r",
                          "--save-best", tmp_path / "best", *FAST)
    assert code == 0, err
    best = re.search(r"Best macro-F1: (\S+)\.", out).group(1)
    info = json.loads((tmp_path / "best" / "training.json").read_text())
    assert info["model"] == best and info["documents"] == 120


def _default_sigint():
    """Start the command with Ctrl-C delivered and handled as usual: an ignored or blocked SIGINT is inherited,
    and the full suite once left the worker process that way (the command then ran to its end)."""
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_sigint_during_compare_writes_a_partial_report(tmp_path):
    """Check that Ctrl-C during compare prints one line, writes the finished models' report and exits 130."""
    path = _write(tmp_path / "d.csv", _rows(60))
    # Keras' verbose=2 prints "Epoch n/1000" as each epoch of the CNN starts.
    slow_cnn = [*TINY_CNN, "--param=cnn.epochs=1000", "--param=cnn.early_stopping=False", "--param=cnn.verbose=2"]
    process = subprocess.Popen(
        [sys.executable, "-m", "skltext", "compare", str(path), "--text", "doc", "--label", "category", "--models",
         "tfidf-lr,cnn", "--cv", "2", "-q", "-v", "--out", str(tmp_path / "r"), *slow_cnn],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_user_env(), preexec_fn=_default_sigint)
    for line in process.stdout:
        if line.startswith("Epoch 2/1000"):  # inside the first CNN fit, whatever the machine's speed
            break
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 130, err
    assert "Traceback" not in err
    assert "skltext compare: interrupted after 2 of 4 fits; partial report of tfidf-lr" in err
    report = (tmp_path / "r" / "report.md").read_text()
    assert "partial report: interrupted after 2 of 4 fits" in report
    assert "| tfidf-lr |" in report and "| cnn |" not in report


# ------------------------------------------------------------------------ files as people have them


def test_semicolon_csv_latin1_without_header(tmp_path, capsys):
    """Check a spreadsheet's export: semicolons, cp1252, no header line (--no-header --columns)."""
    rows = _rows(60)
    lines = [f"{row['doc']} café;{row['category']}" for row in rows]
    path = tmp_path / "excel.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    code, _, err = _run(capsys, path, "--no-header", "--columns", "doc,category", "--text", "doc",
                        "--label", "category", *FAST)
    assert code == 2
    assert re.search(r"excel\.csv, line 1, byte \d+ of the line .*0xe9 is not valid utf-8.*--encoding", err)
    code, out, err = _run(capsys, path, "--no-header", "--columns", "doc,category", "--text", "doc",
                          "--label", "category", "--encoding", "cp1252", "--out", tmp_path / "r", *FAST)
    assert code == 0, err
    assert "60 documents" in err and set(_table(out)) == {"tfidf-lr", "tfidf-svm"}


def test_duplicate_columns_and_label_sep_hint(tmp_path, capsys):
    """Check that duplicate column names are refused and separated labels get a --label-sep hint."""
    path = tmp_path / "dup.csv"
    path.write_text("text,label,text\na,b,c\n")
    code, _, err = _run(capsys, path, *FAST)
    assert code == 2 and "the column name 'text' appears twice (columns 1 and 3)" in err
    rows = _rows(90, n_classes=3, multilabel=True)
    path = _write(tmp_path / "tags.csv", [{**row, "category": row["category"] + ["x"]} for row in rows],
                  label_sep=";")
    code, _, err = _run(capsys, path, "--text", "doc", "--label", "category", "--out", tmp_path / "r", *FAST)
    assert "contain ';'" in err and "pass --label-sep ';'" in err


def test_drop_empty_drops_rows_without_a_group(tmp_path, capsys):
    """Check that rows with an empty --group cell are reported, and dropped with --drop-empty."""
    rows = _rows()
    for i in (3, 7):
        rows[i]["source"] = ""
    path = _write(tmp_path / "g.csv", rows)
    code, _, err = _run(capsys, path, "--text", "doc", "--label", "category", "--group", "source", *FAST)
    assert code == 2 and "2 of 120 rows have no group (column 'source'): data rows 4, 8" in err
    code, _, err = _run(capsys, path, "--text", "doc", "--label", "category", "--group", "source", "--drop-empty",
                        "--out", tmp_path, *FAST)
    assert code == 0 and "Dropped 2 of 120 rows" in err and "118 documents" in err


def _rows_with_copies(n=120):
    """Rows in which every second document repeats the one before it, in capitals and with a word added."""
    rows = _rows(n)
    for i in range(1, 60, 2):
        rows[i] = {**rows[i - 1], "doc": rows[i - 1]["doc"].upper() + " again"}
    return rows


def test_group_near_duplicates_reports_the_leakage_and_groups_the_folds(tmp_path, capsys):
    """Check that --group near-duplicates detects the groups, states the plain folds' leakage and groups the folds."""
    from skltext.model_selection import near_duplicate_groups, near_duplicate_leakage, near_duplicate_summary

    rows = _rows_with_copies()
    path = _write(tmp_path / "d.csv", rows)
    code, out, err = _run(capsys, path, "--text", "doc", "--label", "category", "--group", "near-duplicates",
                          "--out", tmp_path, *FAST)
    assert code == 0, err
    texts, labels = [row["doc"] for row in rows], np.array([row["category"] for row in rows])
    groups = near_duplicate_groups(texts)
    summary = near_duplicate_summary(groups)
    assert summary.n_shared >= 60
    assert (f"Near-duplicate groups (Jaccard similarity of word sets >= 0.8): {summary.describe()}." in err)
    leakage = near_duplicate_leakage(groups, make_cv("multiclass", n_splits=3, random_state=0).split(texts, labels))
    assert leakage.share > 0.2
    assert (f"Leakage: under ungrouped StratifiedKFold(3) folds, {leakage.share:.1%} of test documents "
            f"({leakage.n_leaked} of 120;") in err
    report = (tmp_path / "report.md").read_text()
    assert "StratifiedGroupKFold" in report and summary.describe() in report and f"{leakage.share:.1%}" in report


def test_near_duplicate_threshold_option(tmp_path, capsys):
    """Check --near-duplicate-threshold: it changes the groups, needs --group near-duplicates and a similarity."""
    path = _write(tmp_path / "d.csv", _rows_with_copies())
    args = ("--text", "doc", "--label", "category", "--out", tmp_path, *FAST)
    code, _, err = _run(capsys, path, "--group", "near-duplicates", "--near-duplicate-threshold", "1", *args)
    # The copies have a word more: at 1 only texts with the very same words are grouped.
    assert code == 0 and ">= 1): 0 of 120 documents" in err
    code, _, err = _run(capsys, path, "--group", "source", "--near-duplicate-threshold", "0.5", *args)
    assert code == 2 and "--near-duplicate-threshold applies only with --group near-duplicates" in err
    with pytest.raises(SystemExit):
        main(["compare", str(path), "--group", "near-duplicates", "--near-duplicate-threshold", "1.5"])
    assert "expected a similarity in (0, 1], e.g. 0.8; got '1.5'" in capsys.readouterr().err


def test_column_groups_report_their_leakage_and_train_detects_near_duplicates(tmp_path, capsys):
    """Check that a group column gets the same statement, and that train groups threshold tuning by near-duplicates."""
    path = _write(tmp_path / "d.csv", _rows_with_copies())
    code, _, err = _run(capsys, path, "--text", "doc", "--label", "category", "--group", "source",
                        "--out", tmp_path, *FAST)
    assert code == 0 and "Groups of column 'source': 120 of 120 documents" in err
    assert "Leakage: under ungrouped StratifiedKFold(3) folds" in err
    code = main(["train", str(path), "--text", "doc", "--label", "category", "--model", "tfidf-lr",
                 "--group", "near-duplicates", "--tune-thresholds", "--out", str(tmp_path / "model")])
    assert code == 0 and "Near-duplicate groups (Jaccard similarity of word sets >= 0.8)" in capsys.readouterr().err


def test_the_commands_default_threshold_is_the_functions():
    """Check that the threshold the commands state is the one near_duplicate_groups uses."""
    import inspect

    from skltext.cli._common import NEAR_DUPLICATE_THRESHOLD
    from skltext.model_selection import near_duplicate_groups

    assert inspect.signature(near_duplicate_groups).parameters["threshold"].default == NEAR_DUPLICATE_THRESHOLD


def test_group_is_refused_where_nothing_would_use_it(tmp_path, capsys):
    """Check that train refuses --group without --tune-thresholds and evaluate does not take --group."""
    path = _write(tmp_path / "d.csv", _rows_with_copies())
    code = main(["train", str(path), "--text", "doc", "--label", "category", "--model", "tfidf-lr",
                 "--group", "source", "--out", str(tmp_path / "model")])
    assert code == 2 and "--group applies to train only with --tune-thresholds" in capsys.readouterr().err
    assert not (tmp_path / "model").exists()
    with pytest.raises(SystemExit) as stop:
        main(["evaluate", str(tmp_path / "model"), str(path), "--group", "source"])
    assert stop.value.code == 2 and "unrecognized arguments: --group source" in capsys.readouterr().err


def test_a_column_named_like_the_keyword_is_not_read_silently(tmp_path, capsys):
    """Check that --group near-duplicates refuses a file with a column of that name instead of picking one reading."""
    rows = [{**row, "near-duplicates": str(i % 3)} for i, row in enumerate(_rows_with_copies())]
    path = _write(tmp_path / "d.csv", rows)
    code, _, err = _run(capsys, path, "--text", "doc", "--label", "category", "--group", "near-duplicates",
                        "--out", tmp_path, *FAST)
    assert code == 2 and "has a column named 'near-duplicates'" in err and "Rename that column" in err
