"""Label-wise attention: each output reads a document through weights of its own.

A pooled document vector is shared by every output, so the words that
signal a rare label are averaged with all the others before that label's
output sees them. Label-wise attention (Mullenbach et al., 2018, "Explainable
Prediction of Medical Codes from Clinical Text", CAML) lets each output weigh
the document's embedded ids itself: output ``l`` attends to id ``i`` in
proportion to ``exp(u_l . e_i)`` and adds ``sum_i a_li (w_l . e_i)`` to its
logit.
"""

import keras
from keras import ops

__all__ = ["LabelAttention"]


@keras.saving.register_keras_serializable(package="skltext")
class LabelAttention(keras.layers.Layer):
    """Per-output attention over a document's embedded ids, as logits to add to the output layer's.

    Parameters
    ----------
    n_outputs : int
        Number of outputs (labels), one attention vector and one evidence
        vector each.
    seed : int, default=None
        Seed of the attention vectors' initialiser.
    **kwargs
        Passed to :class:`keras.layers.Layer`.

    Notes
    -----
    Called on ``(embedded, ids)``: ``embedded`` of shape (batch, length, dim)
    and the ids of shape (batch, length), 0 for padding. Padding gets no
    attention; a document without ids gets zero logits. The evidence vectors
    start at zero, so a network starts as it would without this layer. A
    Keras mask on ``embedded`` (an LSTM's ``mask_padding``) marks the same
    positions as the ids, so it is taken and not passed on.
    """

    def __init__(self, n_outputs, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.n_outputs = n_outputs
        self.seed = seed
        self.supports_masking = True

    def compute_mask(self, *inputs, mask=None, **kwargs):
        return None

    def build(self, embedded_shape, ids_shape=None):
        dim = embedded_shape[-1]
        self.attention = self.add_weight(
            shape=(dim, self.n_outputs), name="attention",
            initializer=keras.initializers.GlorotUniform(self.seed))
        self.evidence = self.add_weight(shape=(dim, self.n_outputs), name="evidence", initializer="zeros")

    def call(self, embedded, ids):
        embedded = ops.cast(embedded, self.compute_dtype)
        present = ops.expand_dims(ops.not_equal(ids, 0), -1)
        # Scores of shape (batch, length, n_outputs); padding far below any id, so it gets no weight.
        scores = ops.where(present, ops.matmul(embedded, self.attention), -1e9)
        weights = ops.softmax(scores, axis=1)
        logits = ops.sum(weights * ops.matmul(embedded, self.evidence), axis=1)
        has_ids = ops.cast(ops.any(present, axis=1), logits.dtype)
        return logits * has_ids

    def compute_output_shape(self, embedded_shape, ids_shape=None):
        return (embedded_shape[0], self.n_outputs)

    def get_config(self):
        return {**super().get_config(), "n_outputs": self.n_outputs, "seed": self.seed}
