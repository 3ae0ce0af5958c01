"""The bag-of-n-grams model: its n-gram table, its network and its place in pipelines."""

import keras
import numpy as np
import pytest
from sklearn.base import clone
from sklearn.pipeline import make_pipeline

from skltext import NgramClassifier, TextTokenizer
from skltext.datasets import make_text_classification
from skltext.models import build_ngram
from skltext.models._ngrams import NgramEncoder
from skltext.persistence import load_model, save_model

from .conftest import label_attention_logits

TINY_NGRAM = dict(embedding_dim=8, epochs=3, batch_size=16, learning_rate=0.05, random_state=0)

# Pre-padded word ids: 0 = padding, 1 = out-of-vocabulary.
IDS = np.array([
    [0, 0, 2, 3, 4],
    [0, 2, 3, 4, 5],
    [0, 0, 0, 2, 3],
    [6, 7, 2, 3, 1],
])


def test_encoder_keeps_ngrams_seen_in_enough_documents():
    """Check that an n-gram gets an id only when min_count documents contain it."""
    encoder = NgramEncoder(ngram_range=(1, 2), min_count=2).fit(IDS)
    assert encoder.n_word_ids_ == 8
    # (2, 3) is in all four documents and (3, 4) in two; every other pair in one.
    assert len(encoder.ngram_keys_[0]) == 2
    assert encoder.n_ids_ == 10
    # Six different pairs in all: (2, 3), (3, 4), (4, 5), (6, 7), (7, 2), (3, 1).
    assert NgramEncoder(ngram_range=(1, 2), min_count=1).fit(IDS).n_ids_ == 8 + 6


def test_encoder_counts_documents_not_occurrences():
    """Check that a pair repeated inside one document still counts once."""
    repeated = np.array([[2, 3, 2, 3, 2, 3], [0, 0, 0, 0, 4, 5]])
    assert len(NgramEncoder(min_count=2).fit(repeated).ngram_keys_[0]) == 0


def test_encoder_output_is_pre_padded_bag_of_ids():
    """Check that a row holds its word ids and known n-gram ids, with all padding first."""
    encoder = NgramEncoder(ngram_range=(1, 2), min_count=2).fit(IDS)
    out = encoder.transform(IDS)
    assert out.shape == (4, 5 + 4) and out.dtype == np.int32
    for row, words in zip(out, IDS):
        present = row[row != 0]
        assert (row[:len(row) - len(present)] == 0).all()
        assert sorted(present[present < 8]) == sorted(words[words != 0])
    pair_23 = 8 + int(np.searchsorted(encoder.ngram_keys_[0], 2 * 8 + 3))
    assert all(pair_23 in row for row in out)
    # An unseen pair gets no id; only the words remain.
    unseen = encoder.transform(np.array([[0, 5, 6]]))[0]
    assert sorted(unseen[unseen != 0].tolist()) == [5, 6]


def test_encoder_bigrams_only_and_trigrams():
    """Check ngram_range without unigrams and with trigrams."""
    encoder = NgramEncoder(ngram_range=(2, 3), min_count=2).fit(IDS)
    assert [len(keys) for keys in encoder.ngram_keys_] == [2, 1]  # (2,3),(3,4) and (2,3,4)
    out = encoder.transform(IDS[:1])
    assert sorted(out[out != 0].tolist()) == [8, 9, 10]


def test_encoder_max_ngrams_keeps_the_most_frequent():
    encoder = NgramEncoder(ngram_range=(1, 2), min_count=1, max_ngrams=1).fit(IDS)
    assert encoder.ngram_keys_[0].tolist() == [2 * 8 + 3]
    # Words only: nothing to count or cut.
    words = NgramEncoder(ngram_range=(1, 1), max_ngrams=1).fit(IDS)
    assert words.n_ids_ == 8
    np.testing.assert_array_equal(words.transform(IDS), IDS)


def test_encoder_refuses_ids_too_large_to_number_ngrams():
    with pytest.raises(ValueError, match="max_words"):
        NgramEncoder(ngram_range=(1, 3)).fit(np.array([[0, 2, 3_000_000]]))


@pytest.mark.estimator
@pytest.mark.parametrize("corpus", ["binary_corpus", "multiclass_corpus", "multilabel_corpus"])
def test_fits_every_target_type(corpus, request):
    """Check that the n-gram model learns each target type and predicts in scikit-learn's shapes."""
    texts, y = request.getfixturevalue(corpus)
    pipe = make_pipeline(TextTokenizer(max_len=12), NgramClassifier(**{**TINY_NGRAM, "epochs": 10})).fit(texts, y)
    proba = pipe.predict_proba(texts)
    assert proba.shape[0] == len(texts)
    if corpus != "multilabel_corpus":
        np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-6)
        assert np.mean(pipe.predict(texts) == np.asarray(y)) > 0.6
    model = pipe[-1]
    assert model.ngram_encoder_.n_ids_ > model.vocab_size_
    assert model.model_.get_layer("embedding").input_dim == model.ngram_encoder_.n_ids_


@pytest.mark.estimator
def test_network_output_does_not_depend_on_padding():
    """Check that the averaged embedding ignores padding: more leading zeros, same output."""
    network = build_ngram(vocab_size=20, n_outputs=3, output_activation="softmax", embedding_dim=4, seed=0)
    ids = np.array([[0, 0, 5, 6, 7], [0, 3, 4, 1, 9]], dtype=np.int32)
    wider = np.hstack([np.zeros((2, 11), dtype=np.int32), ids])
    np.testing.assert_allclose(np.asarray(network(wider)), np.asarray(network(ids)), rtol=1e-6, atol=1e-7)
    # A document of only padding gets the output layer's bias, not NaN.
    assert np.isfinite(np.asarray(network(np.zeros((1, 5), dtype=np.int32)))).all()


@pytest.mark.estimator
def test_sqrtn_pooling_divides_the_sum_by_the_root_of_the_id_count():
    """Check pooling='sqrtn' against the sum over sqrt(n) of the embedding rows, padding left out."""
    network = build_ngram(vocab_size=20, n_outputs=2, output_activation="softmax", embedding_dim=4,
                          pooling="sqrtn", seed=0)
    table = network.get_layer("embedding").get_weights()[0]
    pool = keras.Model(network.input, network.get_layer("sqrtn").output)
    ids = np.array([[0, 0, 5, 6, 7], [0, 3, 4, 4, 9], [0, 0, 0, 0, 0]], dtype=np.int32)
    expected = np.stack([table[row[row != 0]].sum(axis=0) / np.sqrt(max(np.count_nonzero(row), 1)) for row in ids])
    np.testing.assert_allclose(np.asarray(pool(ids)), expected, rtol=1e-5, atol=1e-7)
    wider = np.hstack([np.zeros((3, 7), dtype=np.int32), ids])
    np.testing.assert_allclose(np.asarray(network(wider)), np.asarray(network(ids)), rtol=1e-6, atol=1e-7)
    with pytest.raises(ValueError, match="pooling"):
        build_ngram(vocab_size=20, n_outputs=2, output_activation="softmax", pooling="max")


def test_encoder_inverse_document_frequencies_match_tfidf_vectorizer():
    """Check idf_ (weigh_ids=True): TfidfVectorizer's smoothed idf of every word and n-gram id, each counted
    once per document, 0 for padding and for ids no training document holds."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    encoder = NgramEncoder(ngram_range=(1, 2), min_count=1, weigh_ids=True).fit(IDS)
    assert not hasattr(NgramEncoder().fit(IDS), "idf_")
    documents = [" ".join(f"w{i}" for i in row if i) for row in IDS]
    vectorizer = TfidfVectorizer(ngram_range=(1, 2), token_pattern=r"\S+").fit(documents)
    expected = dict(zip(vectorizer.get_feature_names_out(), vectorizer.idf_))
    bags = encoder.transform(IDS)
    for row, document in zip(bags, documents):
        words = document.split()
        terms = words + [" ".join(pair) for pair in zip(words, words[1:])]
        # The bag holds the document's words then its bigrams, in order, after the padding.
        for term, id_ in zip(terms, row[row != 0]):
            assert encoder.idf_[id_] == pytest.approx(expected[term], rel=1e-6)
    assert encoder.idf_[0] == 0.0
    # Without its last document the training matrix holds no out-of-vocabulary id (1).
    assert NgramEncoder(min_count=1, weigh_ids=True).fit(IDS[:3]).idf_[1] == 0.0


def _tfidf_pooled(table, weights, ids):
    """Each row's embedding rows weighed by ``weights``, summed and divided by the L2 norm of the weights."""
    return np.stack([(weights[row, None] * table[row]).sum(axis=0) / max(np.sqrt((weights[row] ** 2).sum()), 1e-6)
                     for row in ids])


@pytest.mark.estimator
def test_tfidf_pooling_embeds_the_normalised_tfidf_row():
    """Check pooling='tfidf': the weighted sum of the embedding rows over the L2 norm of the weights,
    padding left out, and a clear error without the weights."""
    weights = np.linspace(0.0, 3.0, 20)
    network = build_ngram(vocab_size=20, n_outputs=2, output_activation="softmax", embedding_dim=4,
                          pooling="tfidf", id_weights=weights, seed=0)
    table = network.get_layer("embedding").get_weights()[0]
    pool = keras.Model(network.input, network.get_layer("tfidf").output)
    ids = np.array([[0, 0, 5, 6, 7], [0, 3, 4, 4, 9], [0, 0, 0, 0, 0]], dtype=np.int32)
    expected = _tfidf_pooled(table, weights, ids)
    np.testing.assert_allclose(np.asarray(pool(ids)), expected, rtol=1e-5, atol=1e-6)
    assert not network.get_layer("id_weights").trainable
    with pytest.raises(ValueError, match="id_weights"):
        build_ngram(vocab_size=20, n_outputs=2, output_activation="softmax", pooling="tfidf")


@pytest.mark.estimator
@pytest.mark.parametrize("pooling", ["sqrtn", "mean", "tfidf"])
def test_wide_part_adds_pooled_per_output_weights_to_the_logits(pooling):
    """Check wide=True: zero at the start (same output as without it), then logits + the pooled wide rows."""
    weights = np.linspace(0.0, 3.0, 20)
    settings = dict(vocab_size=20, n_outputs=3, output_activation="softmax", embedding_dim=4, pooling=pooling,
                    id_weights=weights, seed=0)
    plain, wide = build_ngram(**settings), build_ngram(**settings, wide=True)
    ids = np.array([[0, 0, 5, 6, 7], [0, 3, 4, 4, 9], [0, 0, 0, 0, 0]], dtype=np.int32)
    np.testing.assert_allclose(np.asarray(wide(ids)), np.asarray(plain(ids)), rtol=1e-6, atol=1e-7)
    table = np.random.default_rng(0).normal(size=(20, 3)).astype("float32")
    wide.get_layer("wide").set_weights([table])
    logits = np.asarray(keras.Model(wide.input, wide.get_layer("output").output)(ids))
    counts = np.maximum(np.count_nonzero(ids, axis=1), 1)
    if pooling == "tfidf":
        pooled = _tfidf_pooled(table, weights, ids)
    else:
        divisor = np.sqrt(counts) if pooling == "sqrtn" else counts
        pooled = np.stack([table[row[row != 0]].sum(axis=0) for row in ids]) / divisor[:, None]
    expected = logits + pooled
    np.testing.assert_allclose(np.asarray(wide(ids)), np.asarray(keras.ops.softmax(expected)), rtol=1e-5, atol=1e-6)


@pytest.mark.estimator
@pytest.mark.parametrize("corpus", ["binary_corpus", "multilabel_corpus"])
def test_wide_model_learns_and_survives_save_and_load(tmp_path, corpus, request):
    """Check that the wide table (n-gram ids x outputs) is trained and that save_model / load_model keep
    its predictions."""
    texts, y = request.getfixturevalue(corpus)
    pipe = make_pipeline(TextTokenizer(max_len=12), NgramClassifier(**{**TINY_NGRAM, "epochs": 5}, wide=True))
    pipe.fit(texts, y)
    model = pipe[-1]
    table = model.model_.get_layer("wide").get_weights()[0]
    assert table.shape == (model.ngram_encoder_.n_ids_, model.model_.output_shape[-1])
    assert np.abs(table).max() > 0
    if corpus == "binary_corpus":
        assert np.mean(pipe.predict(texts) == np.asarray(y)) > 0.6
    save_model(pipe, tmp_path / "model")
    np.testing.assert_allclose(load_model(tmp_path / "model").predict_proba(texts), pipe.predict_proba(texts),
                               rtol=1e-5, atol=1e-6)


@pytest.mark.estimator
def test_label_attention_adds_each_outputs_own_reading_of_the_ids_to_its_logits():
    """Check label_attention=True: the same outputs as without it at the start (zero evidence, the other
    layers seeded alike), then each output's attention-weighted evidence added to its logit, padding
    ignored and zero for an empty document."""
    settings = dict(vocab_size=20, n_outputs=3, output_activation="sigmoid", embedding_dim=4, seed=0)
    plain, attending = build_ngram(**settings), build_ngram(**settings, label_attention=True)
    ids = np.array([[0, 0, 5, 6, 7], [0, 3, 4, 4, 9], [0, 0, 0, 0, 0], [0, 0, 0, 0, 11]], dtype=np.int32)
    np.testing.assert_allclose(np.asarray(attending(ids)), np.asarray(plain(ids)), rtol=1e-6, atol=1e-7)
    rng = np.random.default_rng(0)
    layer = attending.get_layer("label_attention")
    attention, evidence = (rng.normal(size=(4, 3)).astype("float32") for _ in range(2))
    layer.set_weights([attention, evidence])
    table = attending.get_layer("embedding").get_weights()[0]
    logits = np.asarray(keras.Model(attending.input, attending.get_layer("output").output)(ids))
    expected = 1 / (1 + np.exp(-(logits + label_attention_logits(table[ids], ids, attention, evidence))))
    np.testing.assert_allclose(np.asarray(attending(ids)), expected, rtol=1e-5, atol=1e-6)
    # Padding columns in front change nothing; the evidence does reach the outputs.
    wider = np.hstack([np.zeros((4, 6), dtype=np.int32), ids])
    np.testing.assert_allclose(np.asarray(attending(wider)), np.asarray(attending(ids)), rtol=1e-5, atol=1e-6)
    assert np.abs(np.asarray(attending(ids)) - np.asarray(plain(ids)))[[0, 1, 3]].min() > 0
    np.testing.assert_allclose(np.asarray(attending(ids))[2], np.asarray(plain(ids))[2], rtol=1e-6)


@pytest.mark.estimator
@pytest.mark.parametrize("wide", [False, True])
def test_label_attention_learns_and_survives_save_and_load(tmp_path, multilabel_corpus, wide):
    """Check that the attention and evidence vectors train (beside the wide part too) and that
    save_model / load_model keep the predictions."""
    texts, y = multilabel_corpus
    pipe = make_pipeline(TextTokenizer(max_len=12),
                         NgramClassifier(**{**TINY_NGRAM, "epochs": 5}, label_attention=True, wide=wide))
    pipe.fit(texts, y)
    attention, evidence = pipe[-1].model_.get_layer("label_attention").get_weights()
    assert attention.shape == evidence.shape == (8, np.asarray(y).shape[1])
    assert np.abs(evidence).max() > 0
    save_model(pipe, tmp_path / "model")
    np.testing.assert_allclose(load_model(tmp_path / "model").predict_proba(texts), pipe.predict_proba(texts),
                               rtol=1e-5, atol=1e-6)


@pytest.mark.estimator
@pytest.mark.parametrize("pooling, corpus", [
    (None, "multilabel_corpus"),
    (None, "multiclass_corpus"),
    ("mean", "binary_corpus"),
    ("mean", "multilabel_corpus"),
])
def test_pooling_builds_its_layer_for_every_target(pooling, corpus, request):
    """Check that the network pools as asked ('sqrtn' by default) whatever the target, parameter untouched."""
    texts, y = request.getfixturevalue(corpus)
    ids = TextTokenizer(max_len=12).fit_transform(texts)
    settings = {} if pooling is None else {"pooling": pooling}
    model = NgramClassifier(**TINY_NGRAM, **settings).fit(ids, y)
    expected = pooling or "sqrtn"
    assert model.pooling == expected
    assert [layer.name for layer in model.model_.layers if layer.name in ("mean", "sqrtn")] == [expected]


@pytest.mark.estimator
@pytest.mark.parametrize("corpus, expected", [("multilabel_corpus", 0.01), ("multiclass_corpus", 0.002)])
def test_learning_rate_auto_follows_the_target(corpus, expected, request):
    """Check learning_rate='auto' (the default): 0.01 for multi-label targets, 0.002 otherwise, given to
    the optimizer; a number is used as given."""
    texts, y = request.getfixturevalue(corpus)
    ids = TextTokenizer(max_len=12).fit_transform(texts)
    model = NgramClassifier(embedding_dim=8, epochs=1, random_state=0).fit(ids, y)
    assert model.learning_rate == "auto" and model.learning_rate_ == expected
    assert float(model.model_.optimizer.learning_rate) == pytest.approx(expected)
    given = NgramClassifier(embedding_dim=8, epochs=1, learning_rate=0.03, random_state=0).fit(ids, y)
    assert given.learning_rate_ == 0.03 and float(given.model_.optimizer.learning_rate) == pytest.approx(0.03)


@pytest.mark.estimator
@pytest.mark.parametrize("corpus, expected", [("multilabel_corpus", True), ("multiclass_corpus", False),
                                              ("binary_corpus", False), ("ten_class_corpus", True)])
def test_label_attention_auto_follows_the_target(corpus, expected, request):
    """Check label_attention='auto' (the default): on for multi-label targets and for 10 or more classes,
    off for fewer; a bool is used as given."""
    texts, y = request.getfixturevalue(corpus)
    ids = TextTokenizer(max_len=12).fit_transform(texts)
    model = NgramClassifier(embedding_dim=8, epochs=1, random_state=0).fit(ids, y)
    assert model.label_attention == "auto" and model.label_attention_ is expected
    assert ("label_attention" in [layer.name for layer in model.model_.layers]) is expected
    given = NgramClassifier(embedding_dim=8, epochs=1, label_attention=not expected, random_state=0).fit(ids, y)
    assert given.label_attention_ is (not expected)
    assert ("label_attention" in [layer.name for layer in given.model_.layers]) is (not expected)


@pytest.mark.estimator
def test_reads_at_full_width_unless_asked_and_buckets_do_not_change_predictions(multiclass_corpus):
    """Check bucket_by_length: off by default, on when asked (not with balanced batches), same outputs."""
    texts, y = multiclass_corpus
    tokenizer = TextTokenizer(max_len=12).fit(texts)
    ids = tokenizer.transform(texts)
    full = NgramClassifier(**TINY_NGRAM).fit(ids, y)
    assert full.bucket_by_length_ is False
    expected = full.predict_proba(ids)
    full.bucket_by_length_ = True  # the same weights, read in length buckets
    np.testing.assert_allclose(full.predict_proba(ids), expected, rtol=1e-5, atol=1e-6)
    assert NgramClassifier(**TINY_NGRAM, bucket_by_length=True).fit(ids, y).bucket_by_length_ is True
    balanced = NgramClassifier(**TINY_NGRAM, bucket_by_length=True, balanced_batches=True).fit(ids, y)
    assert balanced.bucket_by_length_ is False


@pytest.mark.estimator
def test_empty_document_gets_finite_probabilities(binary_corpus):
    texts, y = binary_corpus
    pipe = make_pipeline(TextTokenizer(max_len=12), NgramClassifier(**TINY_NGRAM)).fit(texts, y)
    proba = pipe.predict_proba(["", "zzz unseen words"])
    assert np.isfinite(proba).all()


@pytest.mark.estimator
@pytest.mark.parametrize("pooling", ["mean", "sqrtn", "tfidf"])
def test_save_and_load_round_trip(tmp_path, multiclass_corpus, pooling):
    """Check that the n-gram table and the pooling survive save_model / load_model, predictions the same."""
    texts, y = multiclass_corpus
    pipe = make_pipeline(TextTokenizer(max_len=12), NgramClassifier(**TINY_NGRAM, pooling=pooling)).fit(texts, y)
    save_model(pipe, tmp_path / "model")
    loaded = load_model(tmp_path / "model")
    np.testing.assert_allclose(loaded.predict_proba(texts), pipe.predict_proba(texts), rtol=1e-6)
    assert loaded[-1].model_.get_layer(pooling) is not None


@pytest.mark.parametrize("params, message", [
    ({"ngram_range": (2, 1)}, "ngram_range"),
    ({"ngram_range": (1, 4)}, "ngram_range"),
    ({"spatial_dropout": 0.2}, "spatial_dropout"),
    ({"bucket_by_length": "auto"}, "bucket_by_length"),
    ({"pooling": "max"}, "pooling"),
    ({"learning_rate": "fast"}, "learning_rate"),
    ({"wide": "yes"}, "wide"),
    ({"label_attention": "yes"}, "label_attention"),
])
def test_bad_parameters_are_refused(params, message, binary_corpus):
    texts, y = binary_corpus
    tokens = TextTokenizer(max_len=12).fit_transform(texts)
    with pytest.raises(ValueError, match=message):
        NgramClassifier(**{**TINY_NGRAM, **params}).fit(tokens, y)


def test_clone_keeps_parameters():
    model = NgramClassifier(ngram_range=(1, 3), min_ngram_count=5, max_ngrams=100)
    assert clone(model).get_params()["ngram_range"] == (1, 3)


@pytest.mark.parametrize(
    "settings, target, expected",
    [
        ({}, "multiclass", "balanced_log"),
        ({}, "binary", None),
        ({}, "multilabel", None),
        ({"balanced_batches": True}, "multiclass", None),
        ({"loss": "logit_adjusted"}, "multiclass", None),
        ({"class_weight": None}, "multiclass", None),
        ({"class_weight": "balanced"}, "binary", "balanced"),
    ],
)
def test_class_weight_auto_follows_the_target(settings, target, expected):
    """Check the default class_weight='auto': 'balanced_log' for multi-class targets only, and none where
    balanced batches or the loss weigh the classes already; the parameter itself stays untouched."""
    texts, y = make_text_classification(120, n_classes=2 if target == "binary" else 4,
                                        multilabel=target == "multilabel", max_length=8, random_state=0)
    model = make_pipeline(TextTokenizer(), NgramClassifier(epochs=1, random_state=0, **settings)).fit(texts, y)
    assert model[-1].class_weight_ == expected
    assert model[-1].class_weight == settings.get("class_weight", "auto")
