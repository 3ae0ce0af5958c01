"""Settings that keep training and prediction fast: batch size, length buckets, fused kernels, warnings."""

import warnings

import numpy as np
import pytest

from skltext import CNNClassifier, LSTMClassifier, TextTokenizer
from skltext.exceptions import SlowSettingWarning
from skltext.models import _slow_settings, build_cnn
from skltext.models._accelerator import runs_on_accelerator
from skltext.models._base import auto_batch_size
from skltext.models import _length_buckets
from skltext.models._length_buckets import BUCKET_STEP, LengthBuckets, reading_widths

from .conftest import tiny


@pytest.fixture(scope="module")
def varied_lengths():
    """Pre-padded ids of documents from 1 to 30 tokens, with a learnable label."""
    rng = np.random.default_rng(0)
    lengths = rng.integers(1, 31, size=240)
    labels = np.array(["short", "long"])[(lengths > 15).astype(int)]
    docs = [" ".join(rng.choice(["a", "b", "c", "d"], size=n)) + (" zz" if label == "long" else "")
            for n, label in zip(lengths, labels)]
    return TextTokenizer(max_len=32).fit_transform(docs), labels


def test_auto_batch_size_grows_with_the_training_set():
    assert [auto_batch_size(n) for n in (1, 9_999, 10_000, 49_999, 50_000, 10**6)] == [64, 64, 128, 128, 256, 256]


def test_default_lstm_keeps_the_fused_kernel_settings(varied_lengths):
    # cuDNN (GPU) needs tanh/sigmoid, no recurrent dropout, no unrolling, a bias and, with
    # pre-padding, no mask; the default must keep all of them.
    X, y = varied_lengths
    clf = LSTMClassifier(epochs=1, random_state=0).fit(X, y)
    config = clf.model_.get_layer("lstm_0").get_config()
    assert (config["activation"], config["recurrent_activation"]) == ("tanh", "sigmoid")
    assert config["recurrent_dropout"] == 0 and not config["unroll"] and config["use_bias"]
    assert clf.model_.get_layer("lstm_0").use_cudnn == "auto"
    assert not clf.model_.get_layer("embedding").get_config()["mask_zero"]
    assert clf.batch_size_ == 64 and clf.bucket_by_length_ is False  # small data: 'auto' keeps both off


def test_reading_widths_cut_leading_padding_to_whole_steps():
    X = np.zeros((4, 20), dtype=np.int32)
    X[0, -3:] = 5      # 3 tokens -> one step
    X[1, -9:] = 5      # 9 tokens -> two steps
    X[2, :] = 5        # full row
    # row 3 is empty: still one step, so the network gets a non-empty sequence
    assert reading_widths(X).tolist() == [BUCKET_STEP, 2 * BUCKET_STEP, 20, BUCKET_STEP]
    post_padded = np.zeros((1, 20), dtype=np.int32)
    post_padded[0, :3] = 5
    assert reading_widths(post_padded).tolist() == [20]


def test_geometric_widths_have_four_steps_per_doubling_and_waste_under_a_quarter():
    lengths = np.arange(1, 301)
    X = np.zeros((len(lengths), 300), dtype=np.int32)
    X[np.arange(300)[None, :] >= 300 - lengths[:, None]] = 5
    widths = reading_widths(X, "geometric")
    assert sorted(set(widths.tolist())) == [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128,
                                            160, 192, 224, 256, 300]
    assert (widths >= lengths).all() and (widths[64:] <= 1.25 * lengths[64:]).all()


def _padded_to(X, width, side="pre"):
    """The rows of a pre-padded id matrix laid out at another width (wide enough for every row)."""
    out = np.zeros((len(X), width), dtype=X.dtype)
    for row, ids in enumerate(X):
        tokens = ids[ids != 0]
        if len(tokens):
            out[row, width - len(tokens):] = tokens if side == "pre" else 0
            if side == "post":
                out[row, :len(tokens)] = tokens
    return out


@pytest.mark.estimator
def test_cnn_output_does_not_depend_on_padding(varied_lengths):
    """Check that a document gets the same CNN output at any width, pre- or post-padded, and bucketed."""
    X, y = varied_lengths
    X = np.concatenate([X, np.zeros((1, X.shape[1]), dtype=X.dtype)])  # and an empty document
    clf = tiny(CNNClassifier, bucket_by_length=False, epochs=2).fit(X[:-1], y)
    expected = clf.model_.predict_on_batch(X)
    for layout in (_padded_to(X, 32), _padded_to(X, 75), _padded_to(X, 40, side="post")):
        np.testing.assert_allclose(clf.model_.predict_on_batch(layout), expected, atol=1e-5)
    # Each document alone, trimmed to its own length (at least the widest window).
    for row in (0, 7, 100, len(X) - 1):
        width = max(int((X[row] != 0).sum()), 3)
        np.testing.assert_allclose(clf.model_.predict_on_batch(X[row:row + 1, -width:]), expected[row:row + 1],
                                   atol=1e-5)
    bucketed = clf.set_params(bucket_by_length=True)
    bucketed.bucket_by_length_ = True
    np.testing.assert_allclose(bucketed.predict_proba(X)[:, 1], expected[:, 0], atol=1e-5)


def test_unmasked_cnn_of_0_2_depends_on_padding(varied_lengths):
    """Check that the test above can fail: the 0.2.0 network's output changes with the padding."""
    X, _ = varied_lengths
    settings = dict(vocab_size=int(X.max()) + 1, sequence_length=None, n_outputs=1, output_activation="sigmoid",
                    filters=4, embedding_dim=8, seed=0)
    old = build_cnn(padding_invariant=False, **settings)
    embeddings = old.get_layer("embedding").embeddings
    embeddings.assign(np.concatenate([np.ones((1, 8)), np.asarray(embeddings)[1:]]))  # a trained padding row
    longest = X[(X != 0).sum(axis=1) == 30]
    assert not np.allclose(old.predict_on_batch(_padded_to(longest, 30)), old.predict_on_batch(_padded_to(longest, 75)),
                           atol=1e-5)
    new = build_cnn(padding_invariant=True, **settings)
    new.set_weights(old.get_weights())
    np.testing.assert_allclose(new.predict_on_batch(_padded_to(longest, 30)),
                               new.predict_on_batch(_padded_to(longest, 75)), atol=1e-5)


@pytest.mark.estimator
def test_cnn_buckets_train_on_trimmed_batches_and_auto_follows_the_padding(varied_lengths):
    X, y = varied_lengths
    # Six epochs: with three, the 4-filter network can still sit at the majority class.
    clf = tiny(CNNClassifier, epochs=6).fit(_padded_to(X, 128), y)
    assert clf.bucket_by_length_ is True and clf.model_.input_shape == (None, None)
    assert clf.score(_padded_to(X, 128), y) > 0.6
    dense = X[(X != 0).sum(axis=1) >= 25, -24:]  # rows with no padding at all
    assert tiny(CNNClassifier, epochs=1).fit(dense, np.arange(len(dense)) % 2).bucket_by_length_ is False
    balanced = tiny(CNNClassifier, bucket_by_length=True, balanced_batches=True, epochs=1).fit(X, y)
    assert balanced.bucket_by_length_ is False


@pytest.mark.estimator
def test_cnn_auto_buckets_stay_off_on_an_accelerator(varied_lengths, monkeypatch):
    X, y = varied_lengths
    assert isinstance(runs_on_accelerator(), bool)
    monkeypatch.setattr(_length_buckets, "runs_on_accelerator", lambda: True)
    # The same long-tailed padding that turns 'auto' on for the CPU above.
    assert tiny(CNNClassifier, epochs=1).fit(_padded_to(X, 128), y).bucket_by_length_ is False
    assert tiny(CNNClassifier, bucket_by_length=True, epochs=1).fit(_padded_to(X, 128), y).bucket_by_length_ is True


def test_training_buckets_hold_one_width_each_and_cover_every_row(varied_lengths):
    X, y = varied_lengths
    buckets = LengthBuckets(X, y, None, batch_size=16, rng=np.random.default_rng(0))
    widths = reading_widths(X)
    seen = []
    for index in range(len(buckets)):
        x, _ = buckets[index]
        rows = buckets.batches[index]
        assert len(rows) == 16  # topped up: one batch shape per width
        assert set(widths[rows]) == {x.shape[1]}
        assert np.array_equal(x, X[rows, -x.shape[1]:]) and not X[rows, :-x.shape[1]].any()
        seen.extend(rows)
    assert set(seen) == set(range(len(X)))
    assert buckets[0][0].shape[1] != buckets[1][0].shape[1]


def test_validation_buckets_keep_every_row_once(varied_lengths):
    X, y = varied_lengths
    buckets = LengthBuckets(X, y, np.ones(len(y)), batch_size=16, rng=None)
    rows = np.concatenate(buckets.batches)
    assert sorted(rows) == list(range(len(X)))
    assert len(buckets[0]) == 3  # sample weights travel with the batch


@pytest.mark.estimator
def test_bucketed_predictions_do_not_depend_on_the_batch(varied_lengths):
    X, y = varied_lengths
    clf = tiny(LSTMClassifier, bucket_by_length=True).fit(X, y)
    assert clf.bucket_by_length_ is True and clf.model_.input_shape == (None, None)
    together = clf.predict_proba(X)
    alone = np.concatenate([clf.predict_proba(X[i:i + 1]) for i in range(0, len(X), 20)])
    np.testing.assert_allclose(together[::20], alone, atol=1e-5)
    assert clf.score(X, y) > 0.6


def test_balanced_batches_read_documents_whole(varied_lengths):
    X, y = varied_lengths
    clf = tiny(LSTMClassifier, bucket_by_length=True, balanced_batches=True, epochs=1).fit(X, y)
    assert clf.bucket_by_length_ is False


def test_predict_matches_keras_predict_and_honours_routed_arguments(varied_lengths):
    X, y = varied_lengths
    clf = tiny(LSTMClassifier, bucket_by_length=False, epochs=1).fit(X, y)
    expected = clf.model_.predict(X, verbose=0)
    np.testing.assert_allclose(clf.predict_proba(X)[:, 1], expected[:, 0], atol=1e-6)
    routed = clf.set_params(predict__batch_size=7, predict__verbose=0)
    np.testing.assert_allclose(routed.predict_proba(X)[:, 1], expected[:, 0], atol=1e-6)


def test_recurrent_dropout_on_an_accelerator_warns_once(varied_lengths, monkeypatch):
    monkeypatch.setattr(_slow_settings, "_already_warned", set())
    monkeypatch.setattr(_slow_settings, "accelerator_available", lambda: True)
    X, y = varied_lengths
    with pytest.warns(SlowSettingWarning, match="recurrent_dropout=0.1.*cuDNN"):
        tiny(LSTMClassifier, recurrent_dropout=0.1, epochs=1).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error", SlowSettingWarning)
        tiny(LSTMClassifier, recurrent_dropout=0.1, epochs=1).fit(X, y)


def test_no_slow_setting_warning_on_cpu_defaults(monkeypatch):
    monkeypatch.setattr(_slow_settings, "_already_warned", set())
    monkeypatch.setattr(_slow_settings, "accelerator_available", lambda: False)
    monkeypatch.setattr(_slow_settings, "_backend", lambda: "jax")
    with warnings.catch_warnings():
        warnings.simplefilter("error", SlowSettingWarning)
        _slow_settings.warn_slow_recurrent_settings("LSTMClassifier", recurrent_dropout=0.2)


def test_torch_backend_warns_for_recurrent_layers(monkeypatch):
    monkeypatch.setattr(_slow_settings, "_already_warned", set())
    monkeypatch.setattr(_slow_settings, "_backend", lambda: "torch")
    with pytest.warns(SlowSettingWarning, match="torch backend.*JAX"):
        _slow_settings.warn_slow_recurrent_settings("LSTMClassifier", recurrent_dropout=0.0)


@pytest.mark.estimator
def test_mixed_bfloat16_computes_in_bfloat16_with_a_float32_head(multiclass_corpus):
    """Check that dtype_policy reaches the hidden layers only, and leaves the global policy alone."""
    import keras

    texts, y = multiclass_corpus
    X = TextTokenizer().fit_transform(texts)
    clf = tiny(CNNClassifier, dtype_policy="mixed_bfloat16").fit(X, y)
    assert clf.model_.get_layer("conv_2").compute_dtype == "bfloat16"
    assert clf.model_.get_layer("conv_2").variable_dtype == "float32"
    assert clf.model_.get_layer("output").compute_dtype == "float32"
    assert np.asarray(clf.model_.predict_on_batch(X[:8])).dtype == np.float32
    np.testing.assert_allclose(clf.predict_proba(X).sum(axis=1), 1, atol=1e-5)
    assert keras.config.dtype_policy().name == "float32"
    plain = tiny(CNNClassifier).fit(X, y)
    assert plain.model_.get_layer("conv_2").compute_dtype == "float32"
    assert clf.score(X, y) > plain.score(X, y) - 0.1


def test_unknown_dtype_policy_is_refused(multiclass_corpus):
    texts, y = multiclass_corpus
    with pytest.raises(ValueError, match="dtype_policy='bf16', which is not a Keras dtype policy"):
        tiny(LSTMClassifier, dtype_policy="bf16", epochs=1).fit(TextTokenizer().fit_transform(texts), y)
