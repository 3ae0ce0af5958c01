"""Training batches drawn anew every epoch from the estimator's own random generator.

Keras' own shuffling of arrays draws from a global generator (NumPy's under
JAX and PyTorch), which other threads of the process (a Dask worker's, a web
server's) draw from too, so a seeded fit could change with what they do. These
datasets shuffle with the generator seeded from ``random_state`` instead.
"""

import math

import keras
import numpy as np

__all__ = ["BalancedBatches", "ShuffledBatches", "take_rows"]


def take_rows(X, y, sample_weight, rows, x=None):
    """The batch ``(x, y, sample_weight)`` of ``rows`` (``x`` defaults to ``X[rows]``), without weights if None."""
    x = X[rows] if x is None else x
    if sample_weight is None:
        return x, y[rows]
    return x, y[rows], sample_weight[rows]


class _EpochBatches(keras.utils.PyDataset):
    """Rows re-drawn by ``draw`` at the start of every epoch, cut into batches in that order."""

    def __init__(self, X, y, sample_weight, *, batch_size, rng):
        super().__init__()
        self.X, self.y, self.sample_weight = X, y, sample_weight
        self.batch_size = batch_size
        self.rng = rng

    def on_epoch_end(self):
        self.draw()

    def __len__(self):
        return math.ceil(len(self.indices) / self.batch_size)

    def __getitem__(self, index):
        rows = self.indices[index * self.batch_size:(index + 1) * self.batch_size]
        return take_rows(self.X, self.y, self.sample_weight, rows)


class ShuffledBatches(_EpochBatches):
    """Every row once per epoch, in a new random order each epoch.

    Parameters
    ----------
    X : ndarray of shape (n_samples, sequence_length)
    y : ndarray
        Encoded target, as the Keras model takes it.
    sample_weight : ndarray of shape (n_samples,) or None
    batch_size : int
    rng : numpy.random.Generator
    """

    def __init__(self, X, y, sample_weight, *, batch_size, rng):
        super().__init__(X, y, sample_weight, batch_size=batch_size, rng=rng)
        self.draw()

    def draw(self):
        """Order the rows of the next epoch."""
        self.indices = self.rng.permutation(len(self.X))


class BalancedBatches(_EpochBatches):
    """Batches in which every class (or rarest label) appears about equally often.

    At the start of each epoch, as many rows as the training data holds are
    drawn with replacement, each with probability inversely proportional to
    the size of its stratum (its class, or for multi-label rows their rarest
    label), so rare classes are seen as often as frequent ones and the
    duplicates differ from epoch to epoch.

    Parameters
    ----------
    X : ndarray of shape (n_samples, sequence_length)
    y : ndarray
        Encoded target, as the Keras model takes it.
    sample_weight : ndarray of shape (n_samples,) or None
    strata : ndarray of shape (n_samples,)
        Stratum of each row (``TargetDescription.strata()``).
    batch_size : int
    rng : numpy.random.Generator
    """

    def __init__(self, X, y, sample_weight, *, strata, batch_size, rng):
        super().__init__(X, y, sample_weight, batch_size=batch_size, rng=rng)
        _, stratum, sizes = np.unique(strata, return_inverse=True, return_counts=True)
        probability = 1.0 / sizes[stratum]
        self.probability = probability / probability.sum()
        self.draw()

    def draw(self):
        """Draw the rows of the next epoch."""
        self.indices = self.rng.choice(len(self.X), size=len(self.X), replace=True, p=self.probability)
