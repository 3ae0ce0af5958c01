"""Seeded fits do not depend on Python's or NumPy's global generators, which other threads (e.g. a Dask
worker's) use too."""

import random

import keras
import numpy as np
import pytest

from skltext import TextTokenizer
from skltext.models import build_cnn, build_lstm

from .conftest import tiny


class _DrawFromTheGlobalGenerators(keras.callbacks.Callback):
    """Draw from Python's and NumPy's global generators at every epoch and batch of a fit, as another
    thread of the process may do while the fit runs; deterministic where a real thread would not be."""

    def __init__(self):
        super().__init__()
        self.draws = 0

    def _draw(self, *args, **kwargs):
        random.random()
        np.random.random()
        self.draws += 1

    on_epoch_begin = on_train_batch_begin = on_test_batch_begin = _draw


@pytest.mark.parametrize("balanced_batches", [False, True])
def test_draws_from_the_global_generators_during_a_fit_change_nothing(model_class, balanced_batches,
                                                                      binary_corpus):
    """Check that a seeded fit gives the same network whatever the global generators hold beforehand
    and whatever else draws from them between its batches."""
    texts, y = binary_corpus
    ids = TextTokenizer(max_len=12).fit_transform(texts)
    # Every seeded part is used: embedding, dropouts, hidden and output layers (and the cells or windows),
    # the validation split, the shuffling of two epochs or the balanced batches.
    params = dict(epochs=2, early_stopping=True, patience=2, dropout=0.3, spatial_dropout=0.2, dense_units=4,
                  balanced_batches=balanced_batches)
    random.seed(1)
    np.random.seed(1)
    quiet = tiny(model_class, **params).fit(ids, y)
    drawing = _DrawFromTheGlobalGenerators()
    random.seed(2)
    np.random.seed(2)
    busy = tiny(model_class, callbacks=[drawing], **params).fit(ids, y)
    assert drawing.draws > 2 * (len(y) // 16)
    assert busy.history_ == quiet.history_
    for kept, expected in zip(busy.model_.get_weights(), quiet.model_.get_weights()):
        np.testing.assert_array_equal(kept, expected)
    np.testing.assert_array_equal(busy.predict_proba(ids), quiet.predict_proba(ids))


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
