"""Reading documents in length buckets: the network skips most of the padding.

A pre-padded id matrix is as wide as its longest document (or ``max_len``),
so a recurrent layer steps through every padding column of a short document,
and a convolution convolves them. Here each document gets a reading width:
its length rounded up to the next width of a grid. Batches hold documents of
one width only and keep just their last ``width`` columns, cutting the
leading padding. A document is read at the same width in training,
validation and prediction, whatever documents share its batch, so
predictions do not depend on batch composition.

Two grids: 'linear' (every multiple of ``BUCKET_STEP``; the LSTM's, whose
output depends on the padding it reads, so little is read) and 'geometric'
(multiples of ``BUCKET_STEP`` up to ``8 * BUCKET_STEP``, then four widths per
doubling, so at most a quarter of a row is padding). The geometric grid has
few widths, so few batch shapes to compile (JAX compiles one step function
per shape) and few part-filled batches to top up; it suits networks whose
output does not depend on the padding (the CNN).
"""

import math

import keras
import numpy as np

from ._accelerator import runs_on_accelerator
from ._batches import take_rows

__all__ = ["AUTO_BUCKETS_MAX_WORK", "BUCKET_STEP", "GRIDS", "LengthBuckets", "bucketed_work", "buckets_pay_off",
           "predict_by_width", "reading_widths"]

# Coarse enough to keep the number of distinct batch shapes (one compiled
# function each under JAX) small, fine enough to cut most padding.
BUCKET_STEP = 8
GRIDS = ("linear", "geometric")
# bucket_by_length='auto' turns buckets on when an epoch in buckets would read at most this share of
# the columns an epoch at full width does. The estimate counts the rows that top up each width's last
# batch, which make buckets slower than full width on small training sets; the compilation of one step
# function per width (JAX) comes on top, once per fit.
AUTO_BUCKETS_MAX_WORK = 2 / 3
# On a GPU the padding costs little and every width's compilation much: on an H200 (JAX), the default
# CNN fitted 6,400 long-tailed documents in 57.5 s in buckets (56 s of it the first epoch) and in 5.6 s
# at full width, its later epochs 0.21 s against 0.17 s (benchmarks/results/gpu.md). So buckets never
# pay off there.


def reading_widths(X, grid="linear"):
    """Columns each row of a pre-padded id matrix is read with.

    The width covers everything from a row's first non-zero id to its end,
    rounded up to the next width of ``grid`` (at least ``BUCKET_STEP``, at
    most the matrix width). A post-padded row starts with a token, so it is
    read whole: correct, only not faster.

    Parameters
    ----------
    X : ndarray of shape (n_samples, sequence_length)
    grid : {'linear', 'geometric'}, default='linear'
        The widths rows are rounded up to (see the module docstring).

    Returns
    -------
    widths : ndarray of shape (n_samples,) of int
    """
    n_columns = X.shape[1]
    nonzero = X != 0
    first = np.where(nonzero.any(axis=1), nonzero.argmax(axis=1), n_columns)
    lengths = np.maximum(n_columns - first, 1)
    step = np.full(len(X), BUCKET_STEP)
    if grid == "geometric":
        # Four widths per doubling above 8 steps: the step is a quarter of the power of two below.
        octave = 2 ** np.floor(np.log2(np.maximum(lengths - 1, 1))).astype(np.int64)
        step = np.maximum(step, octave // 4)
    return np.minimum(-(-lengths // step) * step, n_columns)


def bucketed_work(X, grid, batch_size):
    """Columns read per epoch in length buckets, as a share of those read at full width.

    Counts the rows that fill up each width's last batch (:class:`LengthBuckets`).

    Parameters
    ----------
    X : ndarray of shape (n_samples, sequence_length)
    grid : {'linear', 'geometric'}
    batch_size : int

    Returns
    -------
    share : float
    """
    widths, counts = np.unique(reading_widths(X, grid), return_counts=True)
    topped_up = -(-counts // batch_size) * batch_size
    full = -(-len(X) // batch_size) * batch_size * X.shape[1]
    return float((widths * topped_up).sum() / max(full, 1))


def buckets_pay_off(X, grid, batch_size):
    """Whether reading ``X`` in length buckets saves enough work to choose it ('auto').

    On the CPU only, and when an epoch in buckets reads at most
    ``AUTO_BUCKETS_MAX_WORK`` of the columns of an epoch at full width.

    Parameters
    ----------
    X : ndarray of shape (n_samples, sequence_length)
    grid : {'linear', 'geometric'}
    batch_size : int

    Returns
    -------
    bool
    """
    return not runs_on_accelerator() and bucketed_work(X, grid, batch_size) <= AUTO_BUCKETS_MAX_WORK


class LengthBuckets(keras.utils.PyDataset):
    """Batches of documents of one reading width, trimmed to that width.

    Parameters
    ----------
    X : ndarray of shape (n_samples, sequence_length)
    y : ndarray
        Encoded target, as the Keras model takes it.
    sample_weight : ndarray of shape (n_samples,) or None
    batch_size : int
    rng : numpy.random.Generator or None
        Shuffles the rows within each width and the order of the batches
        every epoch, and tops up the last batch of each width with rows of
        that width drawn at random, so that all batches have the same size
        (under JAX every batch shape is compiled separately). None keeps the
        rows in order and the batches as they fall (validation data).
    grid : {'linear', 'geometric'}, default='linear'
        The reading widths (see :func:`reading_widths`).
    """

    def __init__(self, X, y, sample_weight, *, batch_size, rng, grid="linear"):
        super().__init__()
        self.X, self.y, self.sample_weight = X, y, sample_weight
        self.batch_size = batch_size
        self.rng = rng
        self.widths = reading_widths(X, grid)
        self.groups = [np.flatnonzero(self.widths == width) for width in np.unique(self.widths)]
        self.draw()

    def draw(self):
        """Cut the rows of each width into batches and order the batches for the next epoch."""
        batches = []
        for rows in self.groups:
            if self.rng is not None:
                rows = self.rng.permutation(rows)
                shortfall = -len(rows) % self.batch_size
                rows = np.concatenate([rows, self.rng.choice(rows, size=shortfall)])
            batches += [rows[start:start + self.batch_size] for start in range(0, len(rows), self.batch_size)]
        if self.rng is not None:
            batches = [batches[i] for i in self.rng.permutation(len(batches))]
        # The TensorFlow backend fixes the batch shapes from the first two batches; two
        # different widths there make it accept any width.
        for i in range(1, len(batches)):
            if self.widths[batches[i][0]] != self.widths[batches[0][0]]:
                batches[1], batches[i] = batches[i], batches[1]
                break
        self.batches = batches

    def on_epoch_end(self):
        if self.rng is not None:
            self.draw()

    def __len__(self):
        return len(self.batches)

    def __getitem__(self, index):
        rows = self.batches[index]
        return take_rows(self.X, self.y, self.sample_weight, rows,
                         x=self.X[rows, self.X.shape[1] - self.widths[rows[0]]:])


def predict_by_width(predict_batch, X, *, batch_size, bucketed, grid="linear"):
    """Outputs of ``predict_batch`` for every row of X, computed in chunks.

    Chunks hold at most ``batch_size`` rows of one reading width (with
    ``bucketed``; else the full width). A smaller chunk is padded with
    copies of its first row up to a power of two, so the network sees few
    distinct batch shapes, each compiled once.

    Parameters
    ----------
    predict_batch : callable
        Network outputs (ndarray) for one batch of ids.
    X : ndarray of shape (n_samples, sequence_length)
    batch_size : int
    bucketed : bool
    grid : {'linear', 'geometric'}, default='linear'
        The reading widths, with ``bucketed`` (see :func:`reading_widths`).

    Returns
    -------
    outputs : ndarray of shape (n_samples, n_outputs)
    """
    widths = reading_widths(X, grid) if bucketed else np.full(len(X), X.shape[1])
    outputs = None
    for width in np.unique(widths):
        rows = np.flatnonzero(widths == width)
        for start in range(0, len(rows), batch_size):
            chunk = rows[start:start + batch_size]
            x = X[chunk, X.shape[1] - width:]
            padded_size = min(batch_size, 2 ** math.ceil(math.log2(len(chunk))))
            if padded_size > len(chunk):
                x = np.concatenate([x, np.repeat(x[:1], padded_size - len(chunk), axis=0)])
            result = np.asarray(predict_batch(x))[:len(chunk)]
            if outputs is None:
                outputs = np.empty((len(X), *result.shape[1:]), dtype=result.dtype)
            outputs[chunk] = result
    return outputs
