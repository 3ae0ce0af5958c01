"""Layer blocks shared by the network builders: token embedding and output head."""

import keras

__all__ = ["embedding_block", "classification_head", "ZeroPadding"]


@keras.saving.register_keras_serializable(package="skltext")
class ZeroPadding(keras.constraints.Constraint):
    """Keeps row 0 of an embedding (the padding id) at zero through training."""

    def __call__(self, w):
        return keras.ops.concatenate([keras.ops.zeros_like(w[:1]), w[1:]], axis=0)


def embedding_block(*, vocab_size, sequence_length, embedding_dim, spatial_dropout, mask_padding=False,
                    pretrained=False):
    """Integer token ids in, a (batch, sequence_length, embedding_dim) tensor out.

    With ``pretrained``, the weights are set afterwards from word vectors and
    the padding row is held at zero, so fine-tuning cannot move it.

    Returns
    -------
    inputs : keras.KerasTensor
        The model input.
    embedded : keras.KerasTensor
        The embedded (and spatially dropped-out) sequence.
    """
    inputs = keras.Input(shape=(sequence_length,), dtype="int32", name="token_ids")
    x = keras.layers.Embedding(vocab_size, embedding_dim, mask_zero=mask_padding, name="embedding",
                               embeddings_constraint=ZeroPadding() if pretrained else None)(inputs)
    if spatial_dropout > 0:
        # Drops whole embedding channels, which regularises better than per-value dropout.
        x = keras.layers.SpatialDropout1D(spatial_dropout, name="spatial_dropout")(x)
    return inputs, x


def classification_head(x, *, n_outputs, output_activation, dropout, dense_units):
    """Dropout, an optional hidden dense layer, then the output layer."""
    if dropout > 0:
        x = keras.layers.Dropout(dropout, name="dropout")(x)
    if dense_units:
        x = keras.layers.Dense(dense_units, activation="relu", name="dense")(x)
        if dropout > 0:
            x = keras.layers.Dropout(dropout, name="dense_dropout")(x)
    return keras.layers.Dense(n_outputs, activation=output_activation, name="output")(x)
