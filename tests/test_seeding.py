"""Seeded fits do not depend on Python's global `random`, which other threads (e.g. a Dask worker's) use too."""

import random
import threading

import keras
import numpy as np
import pytest

from skltext import TextTokenizer
from skltext.models import build_cnn, build_lstm

from .conftest import tiny


@pytest.fixture()
def busy_global_random():
    """A thread drawing from Python's global `random` thousands of times a second, as a Dask worker's threads do."""
    stop = threading.Event()

    def draw():
        # A short pause between draws leaves the fits their share of the GIL; thousands of draws a second remain.
        while not stop.wait(1e-4):
            random.random()

    thread = threading.Thread(target=draw, daemon=True)
    thread.start()
    yield
    stop.set()
    thread.join()


@pytest.mark.estimator
def test_seeded_fits_agree_while_another_thread_draws_from_global_random(model_class, binary_corpus,
                                                                         busy_global_random):
    """Check that two fits with one random_state give identical predictions despite another thread."""
    texts, y = binary_corpus
    ids = TextTokenizer(max_len=12).fit_transform(texts)
    # Every seeded part is used: embedding, dropouts, hidden and output layers (and the cells or windows).
    params = {"epochs": 1, "dropout": 0.3, "spatial_dropout": 0.2, "dense_units": 4}
    first = tiny(model_class, **params).fit(ids, y).predict_proba(ids)
    second = tiny(model_class, **params).fit(ids, y).predict_proba(ids)
    np.testing.assert_array_equal(first, second)


@pytest.mark.estimator
@pytest.mark.parametrize("balanced_batches", [False, True])
def test_seeded_fit_leaves_global_random_untouched(model_class, balanced_batches, binary_corpus):
    """Check that a seeded fit draws nothing from Python's global `random` after seeding it."""
    texts, y = binary_corpus
    ids = TextTokenizer(max_len=12).fit_transform(texts)
    model = tiny(model_class, epochs=2, dropout=0.3, spatial_dropout=0.2, dense_units=4,
                 balanced_batches=balanced_batches)
    model.fit(ids, y)
    # fit seeds the global generator with the fit seed; an unchanged state means no draws.
    expected = random.Random(model._seed).getstate()
    assert random.getstate() == expected


def _initial_weights(builder, seed, **params):
    model = builder(vocab_size=30, sequence_length=6, n_outputs=3, output_activation="softmax",
                    embedding_dim=4, spatial_dropout=0.1, dropout=0.2, dense_units=3, seed=seed, **params)
    return {weight.path: keras.ops.convert_to_numpy(weight) for weight in model.weights}


@pytest.mark.parametrize(
    "builder, params",
    [(build_lstm, {"units": 3, "num_layers": 2, "bidirectional": True, "cell": "gru"}),
     (build_cnn, {"filters": 3, "kernel_sizes": (2, 3)})],
    ids=["lstm", "cnn"],
)
def test_builder_seed_fixes_every_initial_weight(builder, params):
    """Check that a builder seed fixes all initial weights, and that its layers do not share random draws."""
    random.seed(1)
    first = _initial_weights(builder, 7, **params)
    random.seed(2)
    again = _initial_weights(builder, 7, **params)
    other = _initial_weights(builder, 8, **params)
    unseeded = _initial_weights(builder, None, **params)
    assert first.keys() == again.keys() == other.keys() == unseeded.keys()
    kernels = [name for name in first if "kernel" in name or "embeddings" in name]
    assert kernels
    for name in first:
        np.testing.assert_array_equal(first[name], again[name])
    assert all(not np.array_equal(first[name], other[name]) for name in kernels)
    assert all(not np.array_equal(first[name], unseeded[name]) for name in kernels)
    # The two directions of a bidirectional layer start from different weights.
    forward = [name for name in first if "forward_" in name and "kernel" in name]
    for name in forward:
        assert not np.array_equal(first[name], first[name.replace("forward_", "backward_")])
