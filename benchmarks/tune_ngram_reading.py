"""NgramClassifier read at full width or in length buckets, on single folds.

Fold 0 of MR, TREC-50 (seed 0 on the standard split) and nps_chat (the
quality benchmark's folds), each pipeline fitted with
``bucket_by_length=False`` (the default) and ``True`` one after the other, in
alternating order from fold to fold. Under JAX every reading width is one more
step function to compile, which on short documents costs more than the
averaging of padding that buckets skip. Both readings give the same outputs
for the same weights; only the training batches differ, so macro-F1 moves by
noise only.

    KERAS_BACKEND=jax python benchmarks/tune_ngram_reading.py
"""

import argparse

from _common import data_dir, write_table
from bench_quality import load
from tune_ngram_defaults import fit_and_score

FOLDS = (("mr", 0), ("trec50", 0), ("nps_chat", 0))
READINGS = {"full width (default)": False, "length buckets": True}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default=None)
    args = parser.parse_args()
    folder = data_dir(args.data_dir)
    rows = []
    for index, (corpus, fold) in enumerate(FOLDS):
        texts, y, _, folds = load(folder, corpus)
        train, test = folds[fold]
        # Alternate which reading goes first, so that a change of machine load does not favour one.
        readings = list(READINGS.items())[::1 if index % 2 == 0 else -1]
        for name, bucketed in readings:
            network, macro, seconds = fit_and_score(texts, y, train, test, bucket_by_length=bucketed)
            rows.append([f"{corpus} fold {fold}", name, f"{100 * macro:.1f}", network.n_iter_, f"{seconds:.1f}",
                         f"{seconds / network.n_iter_:.2f}"])
            print(*rows[-1], flush=True)
    write_table("tune_ngram_reading", "NgramClassifier: full width against length buckets on single folds",
                "KERAS_BACKEND=jax python benchmarks/tune_ngram_reading.py",
                ["fold", "reading", "macro-F1", "epochs run", "fit s", "fit s per epoch"], rows,
                notes=["One seed per fold; fit s is the whole pipeline fit (tokenizing, counting n-grams, "
                       "compiling, every epoch); times on a machine shared with another job."])


if __name__ == "__main__":
    main()
