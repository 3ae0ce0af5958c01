"""TextTokenizer against CountVectorizer's analyzer + dict lookup and Keras' TextVectorization.

Each contender does the same job: learn a vocabulary from the documents, then
turn them into a padded (n_documents, max_len) matrix of int ids. Times are the
best of --repeats runs, measured side by side in one process.

    python benchmarks/bench_tokenizer.py --sizes 100000
"""

import argparse
from collections import Counter
from itertools import chain

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer

from _common import best_of, write_table
from skltext import TextTokenizer
from skltext.datasets import make_text_classification

MAX_LEN = 40
PATTERN = r"(?u)\b\w+\b"


def countvectorizer_lookup(docs):
    """CountVectorizer's analyzer for tokens, then a Python dict lookup per token."""
    analyzer = CountVectorizer(token_pattern=PATTERN).build_analyzer()
    tokenized = [analyzer(doc) for doc in docs]
    counts = Counter(chain.from_iterable(tokenized))
    vocabulary = {token: i for i, (token, _) in enumerate(counts.most_common(), start=2)}
    out = np.zeros((len(docs), MAX_LEN), dtype=np.int32)
    for row, tokens in enumerate(tokenized):
        ids = [vocabulary.get(token, 1) for token in tokens[:MAX_LEN]]
        if ids:
            out[row, MAX_LEN - len(ids):] = ids
    return out


def text_vectorization(docs):
    """keras.layers.TextVectorization: adapt, then map to ids (post-padded, its only layout)."""
    import keras

    layer = keras.layers.TextVectorization(output_mode="int", output_sequence_length=MAX_LEN)
    layer.adapt(docs, batch_size=4096)
    return np.asarray(layer(np.asarray(docs)))


def skltext_fit_transform(docs):
    """What a Pipeline calls while fitting."""
    return TextTokenizer(max_len=MAX_LEN, token_pattern=PATTERN).fit_transform(docs)


def skltext_fit_then_transform(docs):
    """Two separate passes over the documents, as when fitting and predicting."""
    return TextTokenizer(max_len=MAX_LEN, token_pattern=PATTERN).fit(docs).transform(docs)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    rows = []
    for size in args.sizes:
        docs, _ = make_text_classification(size, n_classes=5, min_length=10, max_length=70,
                                           common_words=20_000, random_state=0)
        n_tokens = sum(map(len, (doc.split() for doc in docs)))
        repeats = args.repeats if size <= 200_000 else 1
        timings = {name: best_of(lambda f=f: f(docs), repeats) for name, f in [
            ("TextTokenizer.fit_transform", skltext_fit_transform),
            ("TextTokenizer.fit, then .transform", skltext_fit_then_transform),
            ("CountVectorizer analyzer + dict", countvectorizer_lookup),
            ("keras TextVectorization", text_vectorization),
        ]}
        ours = timings["TextTokenizer.fit_transform"]
        for name, seconds in timings.items():
            rows.append([f"{size:,}", f"{n_tokens:,}", name, f"{seconds:.2f}", f"{seconds / ours:.2f}x"])
    write_table(
        "tokenizer", "Tokenizer speed: vocabulary fit + transform to padded ids",
        "python benchmarks/bench_tokenizer.py --sizes " + " ".join(map(str, args.sizes)),
        ["documents", "tokens", "tokenizer", "seconds (best of runs)", "time relative to TextTokenizer.fit_transform"],
        rows,
        notes=["Synthetic documents of 10 to 70 tokens over a 20,000-word Zipf vocabulary "
               "(`skltext.datasets.make_text_classification`). Every contender learns the vocabulary "
               f"and returns a ({MAX_LEN}-column) padded id matrix."],
    )


if __name__ == "__main__":
    main()
