"""Tests of skltext.embeddings and of the models' pre-trained embedding initialisation."""

import gzip
import pickle

import numpy as np
import pytest
from imblearn.over_sampling import RandomOverSampler
from imblearn.pipeline import make_pipeline as make_imblearn_pipeline
from sklearn.base import clone
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline

from skltext import CNNClassifier, LSTMClassifier, TextTokenizer
from skltext.embeddings import WordVectors, load_word_vectors, train_word_vectors
from skltext.models._embedding_init import initial_embedding_matrix
from skltext.models._token_vocabulary import encode_tokens, fit_token_vocabulary

from .conftest import tiny

WORDS = ["the", "cat", "Dog", "sat"]
VECTORS = np.arange(12, dtype=np.float32).reshape(4, 3) / 10 + 0.05


def _glove_text():
    return "".join(f"{w} {' '.join(str(v) for v in row)}\n" for w, row in zip(WORDS, VECTORS))


def _write(path, data):
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "wb") as f:
        f.write(data.encode() if isinstance(data, str) else data)
    return path


def _word2vec_binary(words, vectors, newline):
    body = b"".join(w.encode() + b" " + v.astype("<f4").tobytes() + (b"\n" if newline else b"")
                    for w, v in zip(words, vectors))
    return f"{len(words)} {vectors.shape[1]}\n".encode() + body


@pytest.mark.parametrize("compressed", [False, True], ids=["plain", "gzip"])
@pytest.mark.parametrize("kind", ["glove", "vec", "bin", "bin-newline"])
def test_load_word_vectors_reads_every_format(tmp_path, kind, compressed):
    """Check that GloVe text, .vec text and word2vec binary, gzipped or not, give the same vectors."""
    name = {"glove": "v.txt", "vec": "v.vec", "bin": "v.bin", "bin-newline": "v.bin"}[kind]
    if kind == "glove":
        data = _glove_text()
    elif kind == "vec":
        data = f"{len(WORDS)} 3\n" + _glove_text()
    else:
        data = _word2vec_binary(WORDS, VECTORS, newline=kind == "bin-newline")
    path = _write(tmp_path / (name + (".gz" if compressed else "")), data)
    wv = load_word_vectors(path)
    assert wv.words == WORDS
    assert wv.dim == wv.vector_size == 3
    assert wv.vectors.dtype == np.float32
    np.testing.assert_allclose(wv.vectors, VECTORS, rtol=1e-6)
    assert wv.n_skipped == 0


def test_binary_is_detected_without_bin_extension(tmp_path):
    """Check that a word2vec binary file named like a text file is still read as binary."""
    path = _write(tmp_path / "vectors.w2v", _word2vec_binary(WORDS, VECTORS, newline=False))
    np.testing.assert_allclose(load_word_vectors(path).vectors, VECTORS, rtol=1e-6)


def test_load_word_vectors_keeps_only_the_vocabulary(tmp_path):
    """Check that vocabulary= keeps only those words, matching lowercase tokens to cased entries."""
    path = _write(tmp_path / "v.txt", _glove_text())
    wv = load_word_vectors(path, vocabulary={"cat", "dog", "bird"})
    assert wv.words == ["cat", "Dog"]
    assert "dog" not in wv and wv.rows_of(["dog", "bird", "cat"]).tolist() == [1, -1, 0]
    tokenizer = TextTokenizer().fit(["the cat", "a bird"])
    assert load_word_vectors(path, vocabulary=tokenizer).words == ["the", "cat"]
    assert load_word_vectors(path, limit=2).words == ["the", "cat"]


def test_malformed_lines_are_skipped_and_counted(tmp_path):
    """Check that short lines and non-numbers are skipped with a warning and a count; words with spaces load."""
    lines = _glove_text() + "broken 0.1\nworse 0.1 x 0.3\n. . . 1.0 2.0 3.0\n"
    path = _write(tmp_path / "v.txt", lines)
    with pytest.warns(UserWarning, match="skipped 2 malformed"):
        wv = load_word_vectors(path)
    assert wv.n_skipped == 2
    assert wv.words == [*WORDS, ". . ."]


def test_bad_files_raise_clear_errors(tmp_path):
    """Check the errors for an empty file, disagreeing dimensions and a truncated binary file."""
    with pytest.raises(ValueError, match="empty"):
        load_word_vectors(_write(tmp_path / "empty.txt", ""))
    with pytest.raises(ValueError, match="header says 5 dimensions, but the first vector .* has 3"):
        load_word_vectors(_write(tmp_path / "bad.vec", "4 5\n" + _glove_text()))
    truncated = _word2vec_binary(WORDS, VECTORS, newline=False)[:-5]
    with pytest.raises(ValueError, match="truncated"):
        load_word_vectors(_write(tmp_path / "cut.bin", truncated))
    with pytest.raises(ValueError, match="no valid word vector"), pytest.warns(UserWarning, match="skipped 2"):
        load_word_vectors(_write(tmp_path / "words.txt", "a b c\nd e f\n"))


@pytest.mark.parametrize("binary", [False, True])
def test_save_round_trip(tmp_path, binary):
    """Check that save writes a word2vec file that loads back to the same vectors."""
    wv = WordVectors(WORDS, VECTORS)
    path = tmp_path / ("out.bin.gz" if binary else "out.vec")
    wv.save(path, binary=binary)
    back = load_word_vectors(path)
    assert back.words == WORDS
    np.testing.assert_allclose(back.vectors, VECTORS, rtol=1e-6)


def test_word_vectors_object():
    """Check lookup, coverage (token and type shares, missing words) and that the matrix is read-only."""
    wv = WordVectors(["good", "bad", "good"], [[1, 0], [0, 1], [5, 5]])
    assert len(wv) == 2 and wv["good"].tolist() == [1.0, 0.0]
    with pytest.raises(ValueError, match="read-only"):
        wv.vectors[0, 0] = 3.0
    coverage = wv.coverage(["good film", "bad bad film film film"])
    assert coverage.token_share == pytest.approx(3 / 7)
    assert coverage.type_share == pytest.approx(2 / 3)
    assert coverage.missing == ["film"]
    assert wv.coverage({"good": 1, "meh": 3}).token_share == pytest.approx(0.25)
    with pytest.raises(ValueError, match=r"shape \(len\(words\), dim\)"):
        WordVectors(["a"], np.zeros((2, 3)))


def test_train_word_vectors_is_reproducible_and_tokenizes_like_the_tokenizer():
    """Check that words match TextTokenizer's tokens and a fixed seed gives the same vectors."""
    texts = ["The cat sat on the mat.", "The dog sat on the rug!"] * 30
    first = train_word_vectors(texts, vector_size=6, epochs=2, random_state=0)
    second = train_word_vectors(texts, vector_size=6, epochs=2, random_state=0)
    assert set(first.words) == set(TextTokenizer().fit(texts).vocabulary_)
    assert first.dim == 6
    np.testing.assert_array_equal(first.vectors, second.vectors)
    with pytest.raises(ValueError, match="min_count"):
        train_word_vectors(["one two"], min_count=5)


def test_token_vocabulary_maps_padding_and_unknown_words():
    """Check the model-side vocabulary: '' is padding, '[UNK]' and unseen words are OOV, frequent first."""
    tokens = np.array([["", "b", "a"], ["[UNK]", "a", "a"]], dtype=object)
    vocabulary, ids = fit_token_vocabulary(tokens, name="M")
    assert vocabulary == {"a": 2, "b": 3}
    assert ids.tolist() == [[0, 3, 2], [1, 2, 2]]
    assert encode_tokens(np.array([["", "new", "b"]], dtype=object), vocabulary, name="M").tolist() == [[0, 1, 3]]
    with pytest.raises(TypeError, match="every entry must be a str"):
        encode_tokens(np.array([["a", None]], dtype=object), vocabulary, name="M")


def test_initial_embedding_matrix():
    """Check pre-trained rows for known words, zero padding and random rows of the vectors' spread elsewhere."""
    wv = WordVectors(["cat", "dog", "sat"], [[1.0, -1.0], [3.0, 1.0], [2.0, 0.0]])
    matrix, found = initial_embedding_matrix(wv, {"dog": 2, "bird": 3, "cat": 4}, rng=np.random.default_rng(0))
    assert found == 2 and matrix.shape == (5, 2)
    assert matrix[0].tolist() == [0.0, 0.0]
    assert matrix[2].tolist() == [3.0, 1.0] and matrix[4].tolist() == [1.0, -1.0]
    assert not np.allclose(matrix[3], 0) and not np.allclose(matrix[1], matrix[3])


def test_tokenizer_token_output():
    """Check that output='tokens' gives the words of the id matrix, with '' padding and '[UNK]'."""
    tokenizer = TextTokenizer(max_len=4, min_count=2).fit(["the cat", "the dog", "a cat"])
    tokens = tokenizer.set_params(output="tokens").transform(["the cat sat", "dog"])
    assert tokens.tolist() == [["", "the", "cat", "[UNK]"], ["", "", "", "[UNK]"]]
    ids = tokenizer.set_params(output="ids").transform(["the cat sat", "dog"])
    assert np.array(tokenizer.get_vocabulary(), dtype=object)[ids].tolist() == tokens.tolist()


@pytest.fixture(scope="module")
def vectors(binary_corpus):
    return train_word_vectors(binary_corpus[0], vector_size=8, epochs=2, random_state=0)


@pytest.mark.estimator
@pytest.mark.parametrize("trainable", [False, True])
def test_model_starts_from_the_vectors(model_class, binary_corpus, vectors, trainable):
    """Check the embedding rows after fit: frozen ones equal the vectors, padding stays zero either way."""
    texts, y = binary_corpus
    pipe = make_pipeline(TextTokenizer(output="tokens"),
                         tiny(model_class, embeddings=vectors, trainable_embeddings=trainable, embedding_dim=5))
    pipe.fit(texts, y)
    model = pipe[-1]
    weights = model.model_.get_layer("embedding").get_weights()[0]
    assert weights.shape == (len(model.vocabulary_) + 2, vectors.dim)
    assert model.vocabulary_.keys() <= set(TextTokenizer().fit(texts).vocabulary_)
    assert np.all(weights[0] == 0)
    word, token_id = next(iter(model.vocabulary_.items()))
    assert np.allclose(weights[token_id], vectors[word]) == (not trainable)
    assert model.embedding_coverage_ == pytest.approx(np.mean([w in vectors for w in model.vocabulary_]))
    restored = pickle.loads(pickle.dumps(pipe))
    np.testing.assert_allclose(restored.predict_proba(texts[:20]), pipe.predict_proba(texts[:20]), rtol=1e-5)


def test_each_fold_fits_its_own_vocabulary(binary_corpus, vectors):
    """Check no leakage: the model's vocabulary is the training part's, and clone shares the vectors."""
    texts, y = binary_corpus
    model = tiny(CNNClassifier, embeddings=vectors, epochs=1)
    assert clone(model).embeddings is vectors
    tokens = TextTokenizer(output="tokens").fit(texts).transform(texts)
    train_only = {"zzz_held_out_word"}
    tokens[:5, -1] = "zzz_held_out_word"
    model.fit(tokens[5:], y[5:])
    assert not train_only & model.vocabulary_.keys()
    assert model.predict(tokens[:5]).shape == (5,)
    scores = cross_val_score(make_pipeline(TextTokenizer(output="tokens"), clone(model)), texts, y, cv=2)
    assert scores.shape == (2,) and np.all(scores >= 0)


def test_token_strings_survive_a_resampler(binary_corpus, vectors):
    """Check that RandomOverSampler between tokenizer and model keeps the words."""
    texts, y = binary_corpus
    texts, y = texts[:100], y[:100].copy()
    y[:80] = "neg"
    pipe = make_imblearn_pipeline(TextTokenizer(output="tokens"), RandomOverSampler(random_state=0),
                                  tiny(LSTMClassifier, embeddings=vectors, epochs=1))
    pipe.fit(texts, y)
    assert pipe[-1].embedding_coverage_ > 0.5
    assert set(pipe.predict(texts)) <= {"neg", "pos"}


def test_mismatched_inputs_raise_clear_errors(binary_corpus, vectors):
    """Check the errors for ids with embeddings= and for ids/tokens switching between fit and predict."""
    texts, y = binary_corpus
    ids = TextTokenizer().fit_transform(texts)
    tokens = TextTokenizer(output="tokens").fit_transform(texts)
    with pytest.raises(ValueError, match=r"Use TextTokenizer\(output='tokens'\)"):
        tiny(CNNClassifier, embeddings=vectors).fit(ids, y)
    fitted_on_ids = tiny(CNNClassifier, epochs=1).fit(ids, y)
    with pytest.raises(ValueError, match="fitted on token ids but is given token strings"):
        fitted_on_ids.predict(tokens)
    fitted_on_tokens = tiny(CNNClassifier, epochs=1).fit(tokens, y)
    assert not hasattr(fitted_on_ids, "vocabulary_") and len(fitted_on_tokens.vocabulary_) > 10
    with pytest.raises(ValueError, match="fitted on token strings but is given token ids"):
        fitted_on_tokens.predict(ids)
    with pytest.raises(ValueError, match="embeddings"):
        tiny(CNNClassifier, embeddings="glove.txt").fit(tokens, y)
