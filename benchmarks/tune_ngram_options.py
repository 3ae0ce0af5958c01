"""NgramClassifier options against its defaults, on the quality benchmark's folds.

- ``wide=True`` adds one weight per word or n-gram and output, pooled like
  the embeddings, to the output logits: a linear model on the bag of
  n-grams trained with the network.
- ``pooling='tfidf'`` weighs each embedded id by its inverse document
  frequency and divides by the L2 norm of the weights: the embedding of the
  document's TF-IDF row, the features TF-IDF + LinearSVC sees.
- ``embedding_dim=200``: twice the default width of the embeddings.
- ``ngram_range=(1, 3)``: word triples beside words and pairs.
- ``batch_size=128``: twice the documents per step below 10,000 training
  documents, half the steps per epoch.
- ``refit=True``: after early stopping has chosen the epoch, a fresh network
  trains on all the training rows, the hold-out included, for that many
  epochs.

Each option and the defaults run side by side on the same folds with the
quality benchmark's protocol (its folds, seeds and, on debtags, per-tag
thresholds from ThresholdOptimizer on a grouped hold-out), defaults
otherwise, with ``refit=False`` and ``label_attention=False``: the defaults
before ``refit=True`` and multi-label attention became defaults, whose rows
equal the quality benchmark's n-gram rows of that time.

    KERAS_BACKEND=jax python benchmarks/tune_ngram_options.py --options tfidf --corpora mr,trec50

Each finished row goes to benchmarks/results/tune_ngram_options.json, so a
run resumes; ``--table-only`` re-renders the table.
"""

import argparse
import json

import numpy as np

from _common import RESULTS, data_dir, write_table
from bench_quality import CORPORA, fold_seed, load, run_fold

RAW = RESULTS / "tune_ngram_options.json"
OPTIONS = {"wide": {"wide": True}, "tfidf": {"pooling": "tfidf"}, "dim200": {"embedding_dim": 200},
           "trigrams": {"ngram_range": (1, 3)}, "batch128": {"batch_size": 128},
           "refit": {"refit": True}, "label_attention": {"label_attention": True}}
SETTINGS = {**OPTIONS, "defaults": {}}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", default=",".join(CORPORA))
    parser.add_argument("--options", default=",".join(OPTIONS))
    parser.add_argument("--folds", default=None, help="comma-separated fold numbers (default: all)")
    parser.add_argument("--data-dir", default=None)
    parser.add_argument("--table-only", action="store_true")
    args = parser.parse_args()
    rows = json.loads(RAW.read_text()) if RAW.exists() else []
    done = {(row["corpus"], row["fold"], row["setting"]) for row in rows}
    wanted = None if args.folds is None else {int(f) for f in args.folds.split(",")}
    if not args.table_only:
        folder = data_dir(args.data_dir)
        for corpus in args.corpora.split(","):
            texts, y, groups, folds = load(folder, corpus)
            for fold, (train, test) in enumerate(folds):
                if wanted is not None and fold not in wanted:
                    continue
                for setting in [*args.options.split(","), "defaults"]:
                    if setting not in SETTINGS:
                        parser.error(f"unknown option {setting!r}; known: {', '.join(OPTIONS)}")
                    if (corpus, fold, setting) in done:
                        continue
                    # Every row trains as the defaults did before refit=True and label-wise attention.
                    row = run_fold("ngram", corpus, texts, y, groups, train, test, fold_seed(corpus, fold),
                                   params={"refit": False, "label_attention": False, **SETTINGS[setting]})
                    row.update(fold=fold, setting=setting)
                    rows.append(row)
                    done.add((corpus, fold, setting))
                    print(f"{corpus} fold {fold} {setting}: macro-F1 {row['macro_f1']:.4f} "
                          f"fit {row['fit_seconds']:.0f} s", flush=True)
                    RAW.write_text(json.dumps(rows, indent=1) + "\n")
    table = []
    for option in OPTIONS:
        for corpus in CORPORA:
            pairs = {}
            for row in rows:
                if row["corpus"] == corpus and row["setting"] in (option, "defaults"):
                    pairs.setdefault(row["fold"], {})[row["setting"]] = row
            both = {fold: pair for fold, pair in sorted(pairs.items()) if len(pair) == 2}
            if not both:
                continue
            cells = []
            for setting in (option, "defaults"):
                mean = {metric: 100 * np.mean([pair[setting][metric] for pair in both.values()])
                        for metric in ("macro_f1", "accuracy", "pr_auc")}
                seconds = np.mean([pair[setting]["fit_seconds"] for pair in both.values()])
                cells.append(f"{mean['macro_f1']:.2f} / {mean['accuracy']:.2f} / {mean['pr_auc']:.1f} ({seconds:.0f} s)")
            gains = 100 * np.array([pair[option]["macro_f1"] - pair["defaults"]["macro_f1"] for pair in both.values()])
            table.append([", ".join(f"{k}={v!r}" for k, v in OPTIONS[option].items()), corpus,
                          ", ".join(str(fold) for fold in both), *cells, f"{gains.mean():+.2f}",
                          f"{(gains > 0).sum()} of {len(gains)}"])
    write_table("tune_ngram_options", "NgramClassifier options against its defaults (quality benchmark folds)",
                "KERAS_BACKEND=jax python benchmarks/tune_ngram_options.py",
                ["option", "corpus", "folds", "option: macro-F1 / accuracy (micro-F1) / PR-AUC (fit s)",
                 "defaults: same", "option − defaults, macro-F1", "folds where the option is higher"], table,
                notes=["Means over the folds listed, in %; each fold fits the option and the defaults with the "
                       "quality benchmark's seed. debtags: per-tag thresholds as in the quality benchmark. Fit "
                       "times on a machine that may have been shared with other jobs.",
                       "'defaults' are NgramClassifier's defaults before refit=True became one (refit=False); "
                       "every other option is also run with refit=False, so each row changes one setting."])

if __name__ == "__main__":
    main()
