"""TextTokenizer against CountVectorizer's analyzer + dict lookup and Keras' TextVectorization.

Each contender does the same job: learn a vocabulary from the documents, then
turn them into a padded (n_documents, max_len) matrix of int ids. Times are the
best of --repeats runs, measured side by side in one process.

    python benchmarks/bench_tokenizer.py --sizes 100000
"""

import argparse
import re
from collections import Counter
from itertools import chain

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer

from _common import best_of, data_dir, write_table
from skltext import TextTokenizer
from skltext.datasets import load_jsonl_corpus, make_text_classification

MAX_LEN = 40
PATTERN = r"(?u)\b\w+\b"
WORDS = re.compile(PATTERN)


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
    # dtype=object: a fixed-width unicode array would be as wide as the longest document, per row.
    return np.asarray(layer(np.asarray(docs, dtype=object)))


def skltext_fit_transform(docs):
    """What a Pipeline calls while fitting."""
    return TextTokenizer(max_len=MAX_LEN, token_pattern=PATTERN).fit_transform(docs)


def skltext_fit_then_transform(docs):
    """Two separate passes over the documents, as when fitting and predicting."""
    return TextTokenizer(max_len=MAX_LEN, token_pattern=PATTERN).fit(docs).transform(docs)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--real-corpus", default="debian_sections",
                        help="corpus of the data folder also timed ('' for none)")
    parser.add_argument("--data-dir", default=None)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    corpora = []
    for size in args.sizes:
        docs, _ = make_text_classification(size, n_classes=5, min_length=10, max_length=70,
                                           common_words=20_000, random_state=0)
        corpora.append(("synthetic", docs))
    if args.real_corpus:
        path = data_dir(args.data_dir) / f"{args.real_corpus}.jsonl.gz"
        corpora.append((args.real_corpus, load_jsonl_corpus(path)["texts"]))

    rows = []
    for corpus, docs in corpora:
        n_tokens = sum(len(WORDS.findall(doc)) for doc in docs)
        n_non_ascii = sum(not doc.isascii() for doc in docs)
        repeats = args.repeats if len(docs) <= 200_000 else 1
        timings = {name: best_of(lambda f=f: f(docs), repeats) for name, f in [
            ("TextTokenizer.fit_transform", skltext_fit_transform),
            ("TextTokenizer.fit, then .transform", skltext_fit_then_transform),
            ("CountVectorizer analyzer + dict", countvectorizer_lookup),
            ("keras TextVectorization", text_vectorization),
        ]}
        ours = timings["TextTokenizer.fit_transform"]
        for name, seconds in timings.items():
            rows.append([corpus, f"{len(docs):,}", f"{n_non_ascii:,}", f"{n_tokens:,}", name, f"{seconds:.2f}",
                         f"{seconds / ours:.2f}x"])
    command = "python benchmarks/bench_tokenizer.py --sizes " + " ".join(map(str, args.sizes))
    if args.real_corpus != "debian_sections":
        command += f" --real-corpus '{args.real_corpus}'"
    write_table(
        "tokenizer", "Tokenizer speed: vocabulary fit + transform to padded ids", command,
        ["corpus", "documents", "documents with non-ASCII text", "tokens", "tokenizer", "seconds (best of runs)",
         "time relative to TextTokenizer.fit_transform"],
        rows,
        notes=["Synthetic documents: 10 to 70 tokens over a 20,000-word Zipf vocabulary "
               "(`skltext.datasets.make_text_classification`). Real corpus: the texts of "
               "`../shared/data/<name>.jsonl.gz`, all splits. Every contender learns the vocabulary and "
               f"returns a ({MAX_LEN}-column) padded id matrix; times are the best of {args.repeats} runs "
               "(1 run above 200,000 documents)."],
    )

if __name__ == "__main__":
    main()
