"""Tests of the vocabulary that a model fits on token strings (TextTokenizer(output='tokens'))."""

from collections import Counter

import numpy as np
import pytest
from sklearn.pipeline import make_pipeline

import skltext.models._token_vocabulary
import skltext.text
from skltext import CNNClassifier, TextTokenizer
from skltext.models._token_vocabulary import fit_token_vocabulary

from .conftest import tiny

DOCS = ["the cat sat on the mat", "the dog sat", "a cat and a dog", "The END."]


def _reference_vocabulary(tokens):
    """Words by falling count, ties alphabetical, ids from 2; padding and '[UNK]' get none."""
    counts = Counter(token for token in np.ravel(tokens) if token not in ("", "[UNK]"))
    ranked = sorted(counts, key=lambda token: (-counts[token], token))
    return {token: token_id for token_id, token in enumerate(ranked, start=2)}


def test_model_vocabulary_is_unchanged_on_a_fixed_corpus():
    """Check the model's vocabulary and ids of a fixed token matrix against their pinned values."""
    tokens = TextTokenizer(output="tokens", max_len=5, max_words=6).fit_transform(DOCS)
    vocabulary, ids = fit_token_vocabulary(tokens, name="M")
    assert vocabulary == {"the": 2, "a": 3, "cat": 4, "dog": 5, "sat": 6, "and": 7}
    assert ids.tolist() == [[2, 4, 6, 1, 2], [0, 0, 2, 5, 6], [3, 4, 7, 3, 5], [0, 0, 0, 2, 1]]


@pytest.mark.parametrize("seed", range(3))
def test_model_vocabulary_matches_reference(seed):
    """Check random token matrices against a Counter-based reference ranking."""
    rng = np.random.default_rng(seed)
    tokens = rng.choice(np.array(["", "[UNK]", "b", "a", "c", "dd", "é", "z"], dtype=object), size=(40, 7))
    vocabulary, ids = fit_token_vocabulary(tokens, name="M")
    assert vocabulary == _reference_vocabulary(tokens)
    expected = [[0 if t == "" else vocabulary.get(t, 1) for t in row] for row in tokens]
    assert ids.tolist() == expected


def test_model_ranks_whole_documents_as_the_tokenizer_does():
    """Check that on untruncated, uncapped token matrices the model's vocabulary is the tokenizer's."""
    tokenizer = TextTokenizer(output="tokens", max_len=10)
    vocabulary, _ = fit_token_vocabulary(tokenizer.fit_transform(DOCS * 3), name="M")
    assert vocabulary == tokenizer.vocabulary_


@pytest.mark.estimator
def test_pipeline_fit_ranks_each_vocabulary_once(monkeypatch, binary_corpus):
    """Check that a pipeline fit on token strings counts tokens once in the tokenizer and
    once in the model, and that the model's vocabulary is the ranking of its input."""
    texts, y = binary_corpus
    calls = []
    rank = skltext.text.rank_vocabulary

    def counted_rank(codes, types, **kwargs):
        calls.append(len(codes))
        return rank(codes, types, **kwargs)

    monkeypatch.setattr(skltext.text, "rank_vocabulary", counted_rank)
    monkeypatch.setattr(skltext.models._token_vocabulary, "rank_vocabulary", counted_rank)
    pipe = make_pipeline(TextTokenizer(output="tokens", max_len=8), tiny(CNNClassifier, epochs=1)).fit(texts, y)
    tokens = pipe[0].transform(texts)
    assert len(calls) == 2 and calls[1] == tokens.size  # the tokenizer's pass, then the model's
    assert pipe[-1].vocabulary_ == _reference_vocabulary(tokens)
