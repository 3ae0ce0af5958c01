"""Tests for skltext.text: TextTokenizer and document validation."""

import pickle
import re

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.utils.estimator_checks import (
    check_get_params_invariance,
    check_no_attributes_set_in_init,
    check_parameters_default_constructible,
    check_set_params,
)

from skltext import TextTokenizer
from skltext.text import OOV_ID, PAD_ID, check_documents

DOCS = ["the cat sat on the mat", "the dog sat", "a cat and a dog", "The END."]


def _reference_ids(tokens, vocabulary, width, padding, truncating):
    """Token-by-token reference implementation of padding and truncation."""
    ids = [vocabulary.get(token, OOV_ID) for token in tokens]
    ids = (ids[:width] if truncating == "post" else ids[-width:]) if len(ids) > width else ids
    pad = [PAD_ID] * (width - len(ids))
    return pad + ids if padding == "pre" else ids + pad


def test_ids_are_frequency_ranked_from_two():
    """Check that padding is 0, OOV is 1 and tokens get ids from 2, most frequent first."""
    tokenizer = TextTokenizer().fit(DOCS)
    # 'the' x4; 'a', 'cat', 'dog', 'sat' x2 (alphabetical among ties); the rest once.
    assert list(tokenizer.vocabulary_)[:5] == ["the", "a", "cat", "dog", "sat"]
    assert tokenizer.vocabulary_["the"] == 2
    assert sorted(tokenizer.vocabulary_.values()) == list(range(2, 2 + len(tokenizer.vocabulary_)))
    assert tokenizer.get_vocabulary()[:3] == ["", "[UNK]", "the"]


@pytest.mark.parametrize("padding", ["pre", "post"])
@pytest.mark.parametrize("truncating", ["pre", "post"])
@pytest.mark.parametrize("max_len", [1, 3, 8])
def test_padding_and_truncating_match_reference(padding, truncating, max_len):
    """Check the vectorised layout against a token-by-token reference."""
    tokenizer = TextTokenizer(max_len=max_len, padding=padding, truncating=truncating).fit(DOCS)
    new_docs = ["the unknown cat sat on a very long mat today", "", "dog", *DOCS]
    ids = tokenizer.transform(new_docs)
    assert ids.dtype == np.int32 and ids.shape == (len(new_docs), max_len)
    for row, doc in zip(ids, new_docs):
        tokens = doc.lower().replace(".", " ").split()
        expected = _reference_ids(tokens, tokenizer.vocabulary_, max_len, padding, truncating)
        assert row.tolist() == expected


def test_matches_countvectorizer_tokens():
    """Check that the default pattern keeps single-letter words, unlike CountVectorizer."""
    tokenizer = TextTokenizer(max_len=20).fit(DOCS)
    tokens = tokenizer.inverse_transform(tokenizer.transform(DOCS))
    cv_tokens = CountVectorizer(token_pattern=r"(?u)\b\w+\b").build_analyzer()
    assert tokens == [cv_tokens(doc) for doc in DOCS]


def test_max_words_and_min_count():
    """Check that the vocabulary cap and the frequency floor apply."""
    assert list(TextTokenizer(max_words=2).fit(DOCS).vocabulary_) == ["the", "a"]
    assert set(TextTokenizer(min_count=2).fit(DOCS).vocabulary_) == {"the", "a", "cat", "dog", "sat"}
    ids = TextTokenizer(max_words=1, max_len=3).fit(DOCS).transform(["the cat"])
    assert ids.tolist() == [[0, 2, OOV_ID]]


def test_auto_max_len_is_95th_percentile():
    """Check that max_len='auto' ignores a few very long documents."""
    docs = ["word " * 10] * 96 + ["word " * 500] * 4
    assert TextTokenizer().fit(docs).max_len_ == 10
    assert TextTokenizer(max_len=7).fit(docs).max_len_ == 7


def test_vocabulary_comes_from_fit_documents_only():
    """Check that words only seen at transform time become OOV."""
    tokenizer = TextTokenizer(max_len=3).fit(["alpha beta"])
    assert tokenizer.transform(["alpha gamma delta"]).tolist() == [[2, OOV_ID, OOV_ID]]


def test_lowercase_pattern_and_callable_tokenizer():
    """Check lowercase=False, a custom token_pattern and a callable tokenizer."""
    assert "The" in TextTokenizer(lowercase=False).fit(DOCS).vocabulary_
    assert "end." in TextTokenizer(token_pattern=r"\S+").fit(DOCS).vocabulary_
    tokenizer = TextTokenizer(tokenizer=str.split, max_len=2).fit(["x-y z", "x-y"])
    assert list(tokenizer.vocabulary_) == ["x-y", "z"]


def test_empty_and_whitespace_documents_become_padding():
    """Check that documents without tokens give all-padding rows."""
    ids = TextTokenizer(max_len=4).fit(DOCS).transform(["", "   ", "?!"])
    assert (ids == PAD_ID).all()


@pytest.mark.parametrize("container", [list, tuple, np.array, pd.Series])
def test_accepts_1d_collections(container):
    """Check lists, tuples, 1-D arrays and pandas Series (with any index)."""
    docs = container(DOCS)
    if isinstance(docs, pd.Series):
        docs.index = [10, 3, 7, 1]
    expected = TextTokenizer(max_len=5).fit_transform(DOCS)
    np.testing.assert_array_equal(TextTokenizer(max_len=5).fit_transform(docs), expected)


@pytest.mark.parametrize(
    "docs, error, match",
    [
        ("just one string", TypeError, "single str"),
        (["ok", None], TypeError, "document 1 is a missing value"),
        (["ok", float("nan")], TypeError, "document 1 is a missing value"),
        ([b"bytes"], TypeError, "document 0 is bytes; decode"),
        (["ok", 3], TypeError, "document 1 is of type int"),
        (np.array([["a", "b"], ["c", "d"]]), ValueError, "1-D collection"),
        (pd.DataFrame({"text": ["a"]}), ValueError, "1-D collection"),
        (5, TypeError, "iterable of str documents"),
    ],
)
def test_bad_documents_are_named(docs, error, match):
    """Check that invalid documents raise an error naming the problem."""
    with pytest.raises(error, match=match):
        TextTokenizer().fit(docs)


def test_empty_collection_is_refused():
    """Check that fitting on zero documents raises."""
    with pytest.raises(ValueError, match="at least one document"):
        TextTokenizer().fit([])


@pytest.mark.parametrize(
    "params, match",
    [
        ({"max_len": 0}, "'max_len' parameter"),
        ({"padding": "middle"}, "'padding' parameter"),
        ({"max_words": 0}, "'max_words' parameter"),
        ({"token_pattern": "("}, "not a valid regex"),
    ],
)
def test_invalid_parameters_raise_in_fit(params, match):
    """Check that parameters are validated in fit, not in __init__."""
    tokenizer = TextTokenizer(**params)  # storing never raises
    with pytest.raises(ValueError, match=match):
        tokenizer.fit(DOCS)


def test_inverse_transform_round_trip():
    """Check that ids map back to their tokens, with OOV as [UNK] and padding dropped."""
    tokenizer = TextTokenizer(max_len=6).fit(DOCS)
    assert tokenizer.inverse_transform(tokenizer.transform(["the cat zebra"])) == [["the", "cat", "[UNK]"]]
    with pytest.raises(ValueError, match="must lie in"):
        tokenizer.inverse_transform([[0, 999]])


def test_feature_names_and_pandas_output():
    """Check get_feature_names_out and set_output(transform='pandas')."""
    tokenizer = TextTokenizer(max_len=3).fit(DOCS)
    names = tokenizer.get_feature_names_out()
    assert names.tolist() == ["texttokenizer0", "texttokenizer1", "texttokenizer2"]
    frame = TextTokenizer(max_len=3).set_output(transform="pandas").fit(DOCS).transform(DOCS)
    assert list(frame.columns) == names.tolist()


def test_pickle_and_clone():
    """Check that a fitted tokenizer pickles and an unfitted clone keeps parameters."""
    tokenizer = TextTokenizer(max_words=5, max_len=4, padding="post").fit(DOCS)
    restored = pickle.loads(pickle.dumps(tokenizer))
    np.testing.assert_array_equal(restored.transform(DOCS), tokenizer.transform(DOCS))
    assert clone(tokenizer).get_params() == tokenizer.get_params()


@pytest.mark.parametrize(
    "check",
    [check_no_attributes_set_in_init, check_parameters_default_constructible,
     check_get_params_invariance, check_set_params],
    ids=lambda check: check.__name__,
)
def test_scikit_learn_api_checks(check):
    """Run the API checks that apply to a text transformer.

    parametrize_with_checks skips every check for string-input estimators, so
    the data-free ones are run here directly.
    """
    check("TextTokenizer", TextTokenizer())


def test_check_documents_returns_plain_strings():
    """Check that numpy string scalars come back as str."""
    assert check_documents(np.array(["a", "b"])) == ["a", "b"]
    assert all(type(doc) is str for doc in check_documents(np.array(["a", "b"])))


@pytest.fixture
def arrow_path(monkeypatch):
    """Send even the tests' few documents through the Arrow path (small inputs take re)."""
    import skltext._tokenize

    monkeypatch.setattr(skltext._tokenize, "_ARROW_MIN_CHARACTERS", 0)


def _random_documents(seed, n_docs=300):
    """Documents mixing ASCII, accents, dashes, quotes, emoji, CJK, RTL and combining marks."""
    alphabet = list("abcXYZ019_ .,;:!?'\"-()\t\n") + list("éÉßİıøœ—–“”’«»…€😀👍🏽中文字日本語العربيةעבריתа́б̈\u3000\u00a0\u200b\x0b")
    rng = np.random.RandomState(seed)
    return ["".join(rng.choice(alphabet, size=rng.randint(0, 60))) for _ in range(n_docs)]


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("lowercase", [True, False])
def test_fast_path_matches_regex_on_unicode(arrow_path, seed, lowercase):
    """Check that the Arrow fast path gives exactly the tokens of re.findall."""
    docs = _random_documents(seed)
    fast = TextTokenizer(lowercase=lowercase, max_len=80).fit(docs)
    # Any other spelling of the pattern takes the per-document regex path.
    slow = TextTokenizer(lowercase=lowercase, max_len=80, token_pattern=r"(?:\w)+").fit(docs)
    assert fast.vocabulary_ == slow.vocabulary_
    np.testing.assert_array_equal(fast.transform(docs), slow.transform(docs))


@pytest.mark.parametrize("lowercase", [True, False])
def test_fast_path_matches_regex_on_edge_documents(arrow_path, monkeypatch, lowercase):
    """Check empty, blank and punctuation-only documents, case mappings that change
    lengths, glued non-ASCII punctuation and lone surrogates (no UTF-8 form), with
    ASCII and non-ASCII documents in separate processing chunks."""
    import skltext._tokenize
    from skltext.embeddings import tokenize_documents

    docs = ["", "   ", "...", "a", " a ", "A b.", "İstanbul ΟΔΟΣ.A", "don’t—stop", "x\ud800y", "end\u2028 x",
            "\tTab\x00nul", "ǄA ǅ"]
    monkeypatch.setattr(skltext._tokenize, "_CHUNK_CHARACTERS", 12)
    fast = TextTokenizer(lowercase=lowercase, max_len=6).fit(docs)
    slow = TextTokenizer(lowercase=lowercase, max_len=6, token_pattern=r"(?:\w)+").fit(docs)
    assert fast.vocabulary_ == slow.vocabulary_
    assert fast.token_counts_ == slow.token_counts_
    np.testing.assert_array_equal(fast.transform(docs), slow.transform(docs))
    expected = [re.findall(r"\w+", doc.lower() if lowercase else doc) for doc in docs]
    assert tokenize_documents(docs, fast) == expected


def test_large_inputs_take_the_arrow_path(monkeypatch):
    """Check that the default pattern on a large input never tokenizes document by document."""
    import skltext._tokenize

    def refuse(*args, **kwargs):
        raise AssertionError("per-document path taken")

    docs = [f"Word{i % 50} and, the other-{i % 7}." for i in range(2_000)]
    expected = TextTokenizer(max_len=6, token_pattern=r"(?:\w)+").fit_transform(docs)
    monkeypatch.setattr(skltext._tokenize, "_encode_per_document", refuse)
    np.testing.assert_array_equal(TextTokenizer(max_len=6).fit_transform(docs), expected)


def test_many_documents_span_chunks(arrow_path, monkeypatch):
    """Check that documents split across processing chunks give the same result."""
    import skltext._tokenize

    docs = [f"doc {i} word{i % 7} w{i % 3}" for i in range(50)]
    expected = TextTokenizer(max_len=5).fit_transform(docs)
    monkeypatch.setattr(skltext._tokenize, "_CHUNK_CHARACTERS", 40)
    np.testing.assert_array_equal(TextTokenizer(max_len=5).fit_transform(docs), expected)
    np.testing.assert_array_equal(TextTokenizer(max_len=5).fit(docs).transform(docs), expected)


@pytest.mark.parametrize("params", [{}, {"max_words": 3}, {"min_count": 2, "padding": "post"},
                                    {"max_len": 2, "truncating": "pre"}, {"tokenizer": str.split}])
@pytest.mark.parametrize("large", [False, True], ids=["re", "arrow"])
def test_token_output_comes_straight_from_the_split(monkeypatch, params, large):
    """Check that output='tokens' equals the id matrix read through get_vocabulary, without
    building ids and without reading the vocabulary by id to get the strings."""
    docs = DOCS * 300 if large else DOCS  # 300 copies pass the Arrow path's size threshold
    new_docs = ["the zebra sat on a cat", "", "END end end", *DOCS]
    reference = TextTokenizer(**params).fit(docs)
    vocabulary = np.array(reference.get_vocabulary(), dtype=object)
    expected_fit, expected_new = vocabulary[reference.transform(docs)], vocabulary[reference.transform(new_docs)]

    def refuse(*args, **kwargs):
        raise AssertionError("token strings went through ids")

    monkeypatch.setattr(TextTokenizer, "get_vocabulary", refuse)
    monkeypatch.setattr(TextTokenizer, "inverse_transform", refuse)
    tokenizer = TextTokenizer(output="tokens", **params)
    tokens = tokenizer.fit_transform(docs)
    assert tokens.dtype == object and tokens.shape == expected_fit.shape
    assert tokens.tolist() == expected_fit.tolist()
    assert tokenizer.transform(new_docs).tolist() == expected_new.tolist()
    assert tokenizer.vocabulary_ == reference.vocabulary_
    assert tokenizer.token_counts_ == reference.token_counts_


def test_fit_splits_and_counts_once(monkeypatch):
    """Check that one fit splits the documents once and ranks one vocabulary, with either output."""
    import skltext.text

    calls = {"split": 0, "rank": 0}
    split, rank = TextTokenizer._encode_corpus, skltext.text.rank_vocabulary

    def counted_split(self, *args):
        calls["split"] += 1
        return split(self, *args)

    def counted_rank(*args, **kwargs):
        calls["rank"] += 1
        return rank(*args, **kwargs)

    monkeypatch.setattr(TextTokenizer, "_encode_corpus", counted_split)
    monkeypatch.setattr(skltext.text, "rank_vocabulary", counted_rank)
    for output in ["ids", "tokens"]:
        calls.update(split=0, rank=0)
        TextTokenizer(output=output).fit_transform(DOCS)
        assert calls == {"split": 1, "rank": 1}


def test_vocabulary_is_unchanged_on_a_fixed_corpus():
    """Check the vocabulary, counts and ids of a fixed corpus against their pinned values."""
    tokenizer = TextTokenizer(min_count=1, max_len=5).fit(DOCS)
    assert tokenizer.vocabulary_ == {"the": 2, "a": 3, "cat": 4, "dog": 5, "sat": 6, "and": 7, "end": 8,
                                     "mat": 9, "on": 10}
    assert tokenizer.token_counts_ == {"the": 4, "a": 2, "cat": 2, "dog": 2, "sat": 2, "and": 1, "end": 1,
                                       "mat": 1, "on": 1}
    assert tokenizer.transform(DOCS).tolist() == [[2, 4, 6, 10, 2], [0, 0, 2, 5, 6], [3, 4, 7, 3, 5],
                                                  [0, 0, 0, 2, 8]]


def test_tokenize_splits_like_fit():
    """Check that tokenize gives each document's tokens as fit sees them, without fitting."""
    tokenizer = TextTokenizer(max_len=20)
    tokens = tokenizer.tokenize(DOCS)
    assert not hasattr(tokenizer, "vocabulary_")
    assert tokens == tokenizer.fit(DOCS).inverse_transform(tokenizer.transform(DOCS))
    assert tokens[3] == ["the", "end"]
    assert TextTokenizer(lowercase=False, tokenizer=str.split).tokenize(["A-b c", ""]) == [["A-b", "c"], []]
    assert TextTokenizer().tokenize([]) == []
    with pytest.raises(ValueError, match="not a valid regex"):
        TextTokenizer(token_pattern="(").tokenize(DOCS)
    with pytest.raises(ValueError, match="'lowercase' parameter"):
        TextTokenizer(lowercase="yes").tokenize(DOCS)
    with pytest.raises(TypeError, match="single str"):
        TextTokenizer().tokenize("one document")
