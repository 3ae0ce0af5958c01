"""Early stopping on the validation loss against early stopping on a scorer (``scoring=``), for the CNN.

The same CNN (library defaults, ``random_state`` = seed) is trained with
``scoring='loss'`` (the default for single-label targets, and for tag sets too
when this ran) and with a scorer computed on the early-stopping hold-out after
every epoch: ``'f1_macro'`` on TREC-50 (50 question types, 4 to 1,017 training
questions each; the standard 5,452 / 500 split, seeds 0-2) and
``'average_precision'`` on a debtags sample (multi-label; 8,000 package
descriptions, tags with at least 20 uses in the sample, 3-fold GroupKFold by
source package). Each row gives the test macro-F1, accuracy (micro-F1 for
multi-label, at the 0.5 threshold), macro PR-AUC, the epoch kept
(``best_epoch_``) and run (``n_iter_``), and the fit time.

    KERAS_BACKEND=jax nice -n 10 python benchmarks/bench_early_stopping.py
    python benchmarks/bench_early_stopping.py --table-only

Results are kept per (corpus, scoring) and seed or fold in
benchmarks/results/early_stopping.json, so an interrupted run resumes.
"""

import os

os.environ.setdefault("KERAS_BACKEND", "jax")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import argparse  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402

import numpy as np  # noqa: E402
from sklearn.metrics import accuracy_score, average_precision_score, f1_score  # noqa: E402
from sklearn.model_selection import GroupKFold  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import MultiLabelBinarizer, label_binarize  # noqa: E402

from _common import RESULTS, data_dir, environment_lines, write_table  # noqa: E402
from skltext import CNNClassifier, TextTokenizer  # noqa: E402
from skltext.datasets import load_jsonl_corpus  # noqa: E402

RAW = RESULTS / "early_stopping.json"
# corpus -> the scorers compared with scoring='loss'
SCORINGS = {"trec50": ["loss", "f1_macro"], "debtags": ["loss", "average_precision"]}
SEEDS = (0, 1, 2)
DEBTAGS_SAMPLE = 8000
DEBTAGS_MIN_USES = 20
DEBTAGS_FOLDS = 3


def trec50(data):
    """Texts, labels and the (train, test, seed) runs of the standard split."""
    corpus = load_jsonl_corpus(data / "trec50.jsonl.gz")
    splits = np.array(corpus["splits"])
    train, test = np.flatnonzero(splits == "train"), np.flatnonzero(splits == "test")
    return corpus["texts"], np.array(corpus["labels"]), [(train, test, seed) for seed in SEEDS]


def debtags(data):
    """Texts, tag matrix and the (train, test, seed 0) GroupKFold runs of an 8,000-document sample."""
    corpus = load_jsonl_corpus(data / "debtags.jsonl.gz")
    rows = np.sort(np.random.default_rng(0).choice(len(corpus["texts"]), DEBTAGS_SAMPLE, replace=False))
    texts = [corpus["texts"][i] for i in rows]
    Y = MultiLabelBinarizer().fit_transform([corpus["labels"][i] for i in rows])
    Y = Y[:, Y.sum(axis=0) >= DEBTAGS_MIN_USES]
    groups = np.array([corpus["groups"][i] for i in rows])
    folds = GroupKFold(n_splits=DEBTAGS_FOLDS).split(texts, Y, groups)
    return texts, Y, [(train, test, 0) for train, test in folds]


CORPORA = {"trec50": trec50, "debtags": debtags}
PLANNED_RUNS = {"trec50": len(SEEDS), "debtags": DEBTAGS_FOLDS}


def macro_pr_auc(y_true, proba, classes):
    """Mean average precision over the classes (labels) with a positive in y_true."""
    Y = y_true if y_true.ndim == 2 else label_binarize(y_true, classes=classes)
    present = Y.sum(axis=0) > 0
    return float(average_precision_score(Y[:, present], proba[:, present], average="macro"))


def run(texts, y, train, test, seed, scoring):
    """Fit the default CNN with ``scoring`` on ``train`` and score it on ``test``."""
    model = CNNClassifier(scoring=scoring, random_state=seed)
    pipe = make_pipeline(TextTokenizer(), model)
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # undefined-metric warnings on labels absent from the hold-out
        pipe.fit([texts[i] for i in train], y[train])
    fit_s = time.perf_counter() - start
    test_texts = [texts[i] for i in test]
    proba = pipe.predict_proba(test_texts)
    y_pred = pipe.predict(test_texts)
    y_true = y[test]
    multilabel = y.ndim == 2
    return {
        "macro_f1": float(f1_score(y_true, y_pred, average="macro", zero_division=0)),
        "accuracy": float(f1_score(y_true, y_pred, average="micro", zero_division=0) if multilabel
                          else accuracy_score(y_true, y_pred)),
        "pr_auc": macro_pr_auc(y_true, proba, model.classes_),
        "best_epoch": model.best_epoch_,
        "epochs_run": model.n_iter_,
        "fit_s": fit_s,
    }


def table(raw):
    rows = []
    for corpus, scorings in SCORINGS.items():
        for scoring in scorings:
            runs = raw.get(f"{corpus} | {scoring}")
            if not runs:
                continue

            def stat(name, scale=100, digits=1):
                values = scale * np.array([r[name] for r in runs])
                return f"{values.mean():.{digits}f} ± {values.std():.{digits}f}"

            rows.append([
                corpus, f"`{scoring!r}`", f"{len(runs)}/{PLANNED_RUNS[corpus]}", stat("macro_f1"), stat("accuracy"), stat("pr_auc"),
                f"{np.mean([r['best_epoch'] for r in runs]):.1f} / {np.mean([r['epochs_run'] for r in runs]):.1f}",
                f"{np.mean([r['fit_s'] for r in runs]):.0f}",
            ])
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", nargs="+", default=list(CORPORA), choices=list(CORPORA))
    parser.add_argument("--data-dir", default=None, help="folder of the corpora (default ../shared/data)")
    parser.add_argument("--fresh", action="store_true", help="ignore results of earlier runs")
    parser.add_argument("--table-only", action="store_true", help="only rewrite the table from the kept results")
    args = parser.parse_args()

    raw = {} if args.fresh or not RAW.exists() else json.loads(RAW.read_text())
    raw.pop("environment", None)
    for corpus in [] if args.table_only else args.corpora:
        texts, y, runs = CORPORA[corpus](data_dir(args.data_dir))
        # Run by run, both scorings on the same split and seed, so an interrupted run stays paired.
        for index, (train, test, seed) in enumerate(runs):
            for scoring in SCORINGS[corpus]:
                key = f"{corpus} | {scoring}"
                done = raw.setdefault(key, [])
                if len(done) > index:
                    continue
                done.append({"seed": seed, **run(texts, y, train, test, seed, scoring)})
                RAW.write_text(json.dumps({**raw, "environment": environment_lines()}, indent=1))
                print(key, f"run {index + 1}/{len(runs)}:",
                      ", ".join(f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}"
                                for k, v in done[-1].items()), flush=True)

    write_table(
        "early_stopping", "CNN early stopping: validation loss against a scorer on the hold-out (%)",
        "KERAS_BACKEND=jax nice -n 10 python benchmarks/bench_early_stopping.py",
        ["corpus", "scoring", "runs", "macro-F1", "accuracy / micro-F1", "macro PR-AUC",
         "epoch kept / run", "fit s"],
        table(raw),
        notes=[
            "- `make_pipeline(TextTokenizer(), CNNClassifier(scoring=..., random_state=seed))`, every other "
            "setting the library default (epochs=20, patience=5, validation_fraction=0.1).",
            "- trec50: the standard 5,452 / 500 split, mean ± std over seeds 0-2; accuracy column = accuracy.",
            f"- debtags: {DEBTAGS_SAMPLE:,} documents drawn at random (seed 0), tags with at least "
            f"{DEBTAGS_MIN_USES} uses in the sample, {DEBTAGS_FOLDS}-fold GroupKFold by source package, "
            "mean ± std over folds; F1 at the 0.5 threshold (no ThresholdOptimizer); accuracy column = "
            "micro-F1.",
            "- runs: seeds or folds finished of those planned; an interrupted run resumes where it stopped.",
            "- macro PR-AUC: mean average precision over the classes (tags) with a positive in the test part.",
            "- Both scorings of a row pair share the split and the seed, so they share the hold-out and "
            "the initial weights; only the epoch kept (and so when training stops) differs.",
            "- fit s includes tokenizing; the 2 CPU cores were shared with other jobs, so times are rough.",
        ],
    )


if __name__ == "__main__":
    main()
