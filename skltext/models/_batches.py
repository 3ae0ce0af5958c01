"""Class-balanced training batches, re-drawn every epoch."""

import math

import keras
import numpy as np


__all__ = ["BalancedBatches"]


class BalancedBatches(keras.utils.PyDataset):
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
        super().__init__()
        self.X, self.y, self.sample_weight = X, y, sample_weight
        self.batch_size = batch_size
        self.rng = rng
        _, stratum, sizes = np.unique(strata, return_inverse=True, return_counts=True)
        probability = 1.0 / sizes[stratum]
        self.probability = probability / probability.sum()
        self.draw()

    def draw(self):
        """Draw the rows of the next epoch."""
        self.indices = self.rng.choice(len(self.X), size=len(self.X), replace=True, p=self.probability)

    def on_epoch_end(self):
        self.draw()

    def __len__(self):
        return math.ceil(len(self.X) / self.batch_size)

    def __getitem__(self, index):
        rows = self.indices[index * self.batch_size:(index + 1) * self.batch_size]
        if self.sample_weight is None:
            return self.X[rows], self.y[rows]
        return self.X[rows], self.y[rows], self.sample_weight[rows]
