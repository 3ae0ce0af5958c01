"""Layer blocks shared by the network builders: token embedding and output head."""

import itertools

import keras
import numpy as np

from ._scalars import accepts_numpy_scalars

__all__ = ["PaddingPositionsToZero", "ZeroPadding", "classification_head", "embedding_block", "layer_seeds"]

# Spread of Keras' default ('uniform') embedding initialiser.
_EMBEDDING_INIT_SCALE = 0.05


def layer_seeds(seed):
    """An endless stream of seeds for the random parts of a network, derived from ``seed``.

    Keras gives a layer or initialiser without a seed one drawn from Python's
    global ``random``, which other threads of the process (a Dask worker's,
    for one) draw from too, so a fit seeded only globally can still differ
    between runs. Seeding every part from the stream makes the network depend
    on ``seed`` alone; each part gets a different seed, so no two layers start
    alike. With ``seed=None`` every part gets None: Keras' unseeded behaviour.

    Parameters
    ----------
    seed : int or None

    Returns
    -------
    seeds : iterator of int or None
    """
    if seed is None:
        return itertools.repeat(None)
    rng = np.random.default_rng(seed)
    return (int(rng.integers(1, np.iinfo(np.int32).max)) for _ in itertools.count())


@keras.saving.register_keras_serializable(package="skltext")
class ZeroPadding(keras.constraints.Constraint):
    """Keeps row 0 of an embedding (the padding id) at zero through training."""

    def __call__(self, w):
        return keras.ops.concatenate([keras.ops.zeros_like(w[:1]), w[1:]], axis=0)


@keras.saving.register_keras_serializable(package="skltext")
class PaddingPositionsToZero(keras.layers.Layer):
    """Sets the values at padding positions (token id 0) to zero.

    Called on ``[values, ids]`` with values of shape (batch, length, channels)
    and ids of shape (batch, length); returns the values with every padding
    position's channels zeroed. Unlike a Keras mask, the zeros are in the
    values themselves, so every following layer sees them.
    """

    def call(self, inputs):
        values, ids = inputs
        keep = keras.ops.cast(keras.ops.not_equal(ids, 0), values.dtype)
        return values * keras.ops.expand_dims(keep, -1)

    def compute_output_shape(self, input_shape):
        return input_shape[0]


@keras.saving.register_keras_serializable(package="skltext")
class TokenMaxPooling(keras.layers.Layer):
    """The maximum of each channel over a document's token positions, padding (id 0) left out.

    Called on ``[values, ids]`` with values of shape (batch, length, channels)
    and ids of shape (batch, length); returns (batch, channels). Unlike
    zeroing the padding before a plain max pool, this suits values that can
    be negative (recurrent outputs); a document without tokens pools to zeros.
    A Keras mask on the values (``mask_padding``) marks the same positions as
    the ids, so it is taken and not passed on.
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def compute_mask(self, inputs, mask=None):
        return None

    def call(self, inputs):
        values, ids = inputs
        present = keras.ops.expand_dims(keras.ops.not_equal(ids, 0), -1)
        # Far below any tanh output or activation, so padding never wins; finite, so no inf * 0 in gradients.
        pooled = keras.ops.max(keras.ops.where(present, values, -1e9), axis=1)
        return keras.ops.where(keras.ops.any(present, axis=1), pooled, 0.0)

    def compute_output_shape(self, input_shape):
        values_shape = input_shape[0]
        return (values_shape[0], values_shape[2])


@accepts_numpy_scalars
def embedding_block(*, vocab_size, sequence_length, embedding_dim, spatial_dropout, mask_padding=False,
                    zero_padding_positions=False, pretrained=False, seed=None):
    """Integer token ids in, a (batch, sequence_length, embedding_dim) tensor out.

    With ``pretrained``, the weights are set afterwards from word vectors and
    the padding row is held at zero, so fine-tuning cannot move it. With
    ``zero_padding_positions``, the embedded sequence is zero at every
    padding position, whatever the padding row holds, so padding looks the
    same as the zeros a 'same' convolution pads its input with. ``seed``
    fixes the initial embeddings and the dropout masks (see :func:`layer_seeds`).

    Returns
    -------
    inputs : keras.KerasTensor
        The model input.
    embedded : keras.KerasTensor
        The embedded (and spatially dropped-out) sequence.
    """
    seeds = layer_seeds(seed)
    inputs = keras.Input(shape=(sequence_length,), dtype="int32", name="token_ids")
    initializer = keras.initializers.RandomUniform(-_EMBEDDING_INIT_SCALE, _EMBEDDING_INIT_SCALE, seed=next(seeds))
    x = keras.layers.Embedding(vocab_size, embedding_dim, mask_zero=mask_padding, name="embedding",
                               embeddings_initializer=initializer,
                               embeddings_constraint=ZeroPadding() if pretrained else None)(inputs)
    if zero_padding_positions:
        x = PaddingPositionsToZero(name="zero_padding_positions")([x, inputs])
    spatial_dropout_seed = next(seeds)
    if spatial_dropout > 0:
        # Drops whole embedding channels, which regularises better than per-value dropout.
        x = keras.layers.SpatialDropout1D(spatial_dropout, seed=spatial_dropout_seed, name="spatial_dropout")(x)
    return inputs, x


@accepts_numpy_scalars
def classification_head(x, *, n_outputs, output_activation, dropout, dense_units, seed=None, extra_logits=None):
    """Dropout, an optional hidden dense layer, then the output layer; ``seed`` as in :func:`layer_seeds`.

    ``extra_logits``, a tensor of shape (batch, n_outputs), is added to the
    output layer's logits before the activation.
    """
    # Seeds are drawn in a fixed order whatever the options, so one part's seed never depends on another's.
    dropout_seed, dense_seed, dense_dropout_seed, output_seed = itertools.islice(layer_seeds(seed), 4)
    if dropout > 0:
        x = keras.layers.Dropout(dropout, seed=dropout_seed, name="dropout")(x)
    if dense_units:
        x = keras.layers.Dense(dense_units, activation="relu", name="dense",
                               kernel_initializer=keras.initializers.GlorotUniform(dense_seed))(x)
        if dropout > 0:
            x = keras.layers.Dropout(dropout, seed=dense_dropout_seed, name="dense_dropout")(x)
    # float32 under any dtype policy: bfloat16 probabilities would round to 1/256 near 1 and feed the loss.
    output = keras.layers.Dense(n_outputs, activation=output_activation if extra_logits is None else None,
                                name="output", dtype="float32",
                                kernel_initializer=keras.initializers.GlorotUniform(output_seed))
    if extra_logits is None:
        return output(x)
    logits = keras.layers.Add(name="logits", dtype="float32")([output(x), extra_logits])
    return keras.layers.Activation(output_activation, name="probabilities", dtype="float32")(logits)
