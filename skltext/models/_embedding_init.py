"""The initial embedding matrix of a fitted vocabulary, from pre-trained word vectors."""

import numpy as np

from .._vocabulary import PAD_ID

__all__ = ["initial_embedding_matrix"]

# Spread of the random vectors when no word of the vocabulary has a vector (Keras' default init).
_FALLBACK_SCALE = 0.05


def initial_embedding_matrix(vectors, vocabulary, *, rng):
    """Rows for every token id: pre-trained where the word has a vector, random elsewhere.

    Parameters
    ----------
    vectors : WordVectors
    vocabulary : dict of str to int
        The model's fitted token -> id mapping (ids from 2).
    rng : numpy.random.Generator

    Returns
    -------
    matrix : ndarray of shape (len(vocabulary) + 2, vectors.dim), dtype float32
        Row 0 (padding) is zero. Out-of-vocabulary and words without a
        vector get random vectors with the per-dimension spread of the
        pre-trained ones (as in Kim, 2014), so neither stands out in scale.
    found : int
        How many vocabulary words got a pre-trained vector.
    """
    words = list(vocabulary)
    ids = np.fromiter(vocabulary.values(), dtype=np.int64, count=len(words))
    rows = vectors.rows_of(words)
    hit = rows >= 0
    known = vectors.vectors[rows[hit]].astype(np.float32)
    scale = known.std(axis=0) if len(known) > 1 else np.full(vectors.dim, _FALLBACK_SCALE, dtype=np.float32)
    center = known.mean(axis=0) if len(known) > 1 else np.zeros(vectors.dim, dtype=np.float32)
    matrix = (center + rng.standard_normal((len(words) + 2, vectors.dim)) * scale).astype(np.float32)
    matrix[ids[hit]] = known
    matrix[PAD_ID] = 0.0
    return matrix, int(hit.sum())
