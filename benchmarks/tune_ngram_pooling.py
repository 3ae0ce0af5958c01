"""Mean against sqrtn pooling for NgramClassifier on single-label targets, one fold of each corpus.

On multi-label debtags 'sqrtn' pooling (the sum of the embeddings over the
square root of their number) beat the mean (benchmarks/results/
tune_multilabel_defaults.md); this asked whether it should be the default
for binary and multi-class targets too, and it became the default for all.
One fold (TREC: seed 0 on the standard split) of each single-label corpus of
the quality benchmark, its folds, NgramClassifier defaults otherwise, one
seed. Single folds are noisy: the trials choose, the quality benchmark
measures.

    KERAS_BACKEND=jax python benchmarks/tune_ngram_pooling.py

Each finished row goes to benchmarks/results/tune_ngram_pooling.json, so a
run resumes; ``--table-only`` re-renders the table.
"""

import argparse
import json

from _common import RESULTS, data_dir, write_table
from bench_quality import load
from tune_ngram_defaults import fit_and_score

RAW = RESULTS / "tune_ngram_pooling.json"
FOLDS = (("mr", 0), ("subj", 0), ("trec6", 0), ("trec50", 0), ("nps_chat", 0), ("debian_sections", 0))
POOLINGS = ("sqrtn", "mean")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default=None)
    parser.add_argument("--table-only", action="store_true")
    args = parser.parse_args()
    rows = json.loads(RAW.read_text()) if RAW.exists() else []
    done = {(row["corpus"], row["fold"], row["pooling"]) for row in rows}
    if not args.table_only:
        folder = data_dir(args.data_dir)
        # Small corpora first, so that their rows are in before the long debian_sections fits.
        for pooling in POOLINGS:
            for corpus, fold in FOLDS:
                if (corpus, fold, pooling) in done:
                    continue
                texts, y, _, folds = load(folder, corpus)
                train, test = folds[fold]
                network, macro, seconds = fit_and_score(texts, y, train, test, pooling=pooling)
                rows.append({"corpus": corpus, "fold": fold, "pooling": pooling, "macro_f1": 100 * macro,
                             "epochs": f"{network.best_epoch_} of {network.n_iter_}", "fit_s": seconds})
                print(rows[-1], flush=True)
                RAW.write_text(json.dumps(rows, indent=1) + "\n")
    by_key = {(row["corpus"], row["fold"], row["pooling"]): row for row in rows}
    table = []
    for corpus, fold in FOLDS:
        cells = [by_key.get((corpus, fold, pooling)) for pooling in POOLINGS]
        table.append([f"{corpus} fold {fold}"]
                     + [f"{cell['macro_f1']:.1f} ({cell['epochs']}, {cell['fit_s']:.0f} s)" if cell else "not run"
                        for cell in cells]
                     + [f"{cells[0]['macro_f1'] - cells[1]['macro_f1']:+.1f}" if all(cells) else ""])
    write_table("tune_ngram_pooling", "NgramClassifier on single-label targets: sqrtn against mean pooling",
                "KERAS_BACKEND=jax python benchmarks/tune_ngram_pooling.py",
                ["fold", "sqrtn: macro-F1 (epoch kept, fit)", "mean (the default before): macro-F1 (epoch kept, fit)",
                 "sqrtn − mean"], table,
                notes=["Macro-F1 in %, one seed (0); TREC: seed 0 on the standard split. Fit times on a machine "
                       "shared with other jobs."])


if __name__ == "__main__":
    main()
