"""The training loop: sample and class weights, the early-stopping hold-out, the batches, the history.

Everything here reads the fit's :class:`~skltext._target.TargetDescription`
for the classes, the per-row class codes and the strata, instead of
re-inferring them from the encoded target Keras trains on.
"""

import math

import keras
import numpy as np

from ..weights import class_weights_from_counts
from ._batches import BalancedBatches, ShuffledBatches
from ._epoch_scoring import EpochScoring, HoldoutPredictor, resolve_scoring
from ._faults import guarded_fit
from ._length_buckets import LengthBuckets
from ._network_state import NetworkState
from ._validation_split import stratified_holdout

__all__ = ["auto_batch_size", "class_weight_per_row", "refit_network", "train_network"]

# batch_size='auto': (training rows below, batch size). Small data keeps many updates per
# epoch; on large data bigger batches use the CPU better (see benchmarks/results/speed.md).
_AUTO_BATCH_SIZES = ((10_000, 64), (50_000, 128), (math.inf, 256))


def auto_batch_size(n_samples):
    """The batch size ``batch_size='auto'`` picks for ``n_samples`` training rows."""
    return next(size for below, size in _AUTO_BATCH_SIZES if n_samples < below)


def class_weight_per_row(target, *, class_weight, mu):
    """Weight of each row's class for binary and multi-class targets.

    Parameters
    ----------
    target : TargetDescription
        The training rows' target.
    class_weight, mu
        The estimator's ``class_weight`` and ``class_weight_mu``.

    Returns
    -------
    ndarray of shape (n_samples,)
    """
    try:
        weights = class_weights_from_counts(target.counts, target.n_samples, target.classes,
                                            class_weight=class_weight, mu=mu)
    except ValueError as exc:
        raise ValueError(f"Invalid class_weight: {exc}") from None
    return weights[target.codes]


def _weighted(estimator, target, sample_weight):
    """``sample_weight`` multiplied by each row's class weight (binary and multi-class)."""
    if target.multilabel:
        return sample_weight  # per-label positive weights, applied inside the loss
    if np.count_nonzero(target.counts) < 2:
        raise ValueError(f"Only one class has a non-zero sample_weight; {type(estimator).__name__} "
                         "needs at least two classes to learn from.")
    if estimator.class_weight_ is None:
        return sample_weight
    # From the y given to fit (the training fold inside cross-validation), never the whole data.
    row_weight = class_weight_per_row(target, class_weight=estimator.class_weight_,
                                      mu=estimator.class_weight_mu).astype(keras.backend.floatx())
    return row_weight if sample_weight is None else sample_weight * row_weight


def _hold_out(estimator, X, y, target, sample_weight, callbacks):
    """Split off the early-stopping hold-out; returns the training part, validation data and the callback."""
    train_idx, val_idx = stratified_holdout(target, estimator.validation_fraction, estimator._rng)
    if not val_idx.size:
        return X, y, target, sample_weight, None, None
    validation_data = (X[val_idx], y[val_idx])
    if sample_weight is not None:
        validation_data += (sample_weight[val_idx],)
        sample_weight = sample_weight[train_idx]
    name = type(estimator).__name__
    monitor, mode, scorer = resolve_scoring(estimator.scoring, early_stopping=True, name=name,
                                            target_type=estimator.target_type_)
    if scorer is not None:
        # First, so that early stopping, the user's callbacks and the history see the score.
        callbacks.insert(0, EpochScoring(
            scorer, monitor, HoldoutPredictor(estimator, estimator._predict_ids), validation_data[0],
            target.take(val_idx).labels(), *validation_data[2:], name=name))
    early_stopping = keras.callbacks.EarlyStopping(monitor=monitor, mode=mode, patience=estimator.patience,
                                                   restore_best_weights=True)
    callbacks.append(early_stopping)
    return (X[train_idx], y[train_idx], target.take(train_idx), sample_weight, validation_data,
            early_stopping)


def _feed(estimator, X, y, target, sample_weight, validation_data):
    """The training data as keras.Model.fit takes it: shuffled or balanced batches, or length buckets."""
    batch_size, rng, grid = estimator.batch_size_, estimator._rng, estimator._bucket_grid
    if estimator.balanced_batches:
        # Batches are drawn anew each epoch from the training part only; validation is untouched.
        data = {"x": BalancedBatches(X, y, sample_weight, strata=target.strata(), batch_size=batch_size, rng=rng)}
    elif estimator._reads_in_length_buckets():
        data = {"x": LengthBuckets(X, y, sample_weight, batch_size=batch_size, rng=rng, grid=grid)}
        if validation_data is not None:
            validation_data = LengthBuckets(*validation_data, *[None] * (3 - len(validation_data)),
                                            batch_size=batch_size, rng=None, grid=grid)
    else:
        data = {"x": ShuffledBatches(X, y, sample_weight, batch_size=batch_size, rng=rng)}
    return data, validation_data


def train_network(estimator, X, y, target, sample_weight, *, warm_start, epochs, initial_epoch, **kwargs):
    """Train ``estimator.model_`` on encoded ``X`` and ``y``, with the hold-out and early stopping.

    Parameters
    ----------
    estimator : BaseTextClassifier
        The estimator being fitted; its network is built and compiled.
    X : ndarray of shape (n_samples, sequence_length)
        Encoded token ids.
    y : ndarray
        The target encoded for the loss.
    target : TargetDescription
        The same rows' target as given to ``fit``.
    sample_weight : ndarray of shape (n_samples,) or None
    warm_start : bool
        Whether the history continues that of the previous fit.
    epochs, initial_epoch : int
    **kwargs
        Further arguments for ``keras.Model.fit``.

    Returns
    -------
    held_out : bool
        Whether early stopping chose the epoch on a hold-out (False without
        early stopping, or when the data was too small to hold any out).
    """
    sample_weight = _weighted(estimator, target, sample_weight)
    estimator.batch_size_ = auto_batch_size(len(X)) if estimator.batch_size == "auto" else estimator.batch_size
    estimator._choose_reading_mode(X)
    callbacks = list(estimator._fit_callbacks)
    validation_data = early_stopping = None
    if estimator.early_stopping:
        X, y, target, sample_weight, validation_data, early_stopping = _hold_out(
            estimator, X, y, target, sample_weight, callbacks)
    fit_args = {key: value for key, value in estimator._routed("fit").items() if key != "callbacks"}
    fit_args = {"verbose": estimator.verbose, **fit_args, **kwargs}
    data, validation_data = _feed(estimator, X, y, target, sample_weight, validation_data)
    # Datasets come in random order already; Keras' shuffle of their batch order would
    # draw from Python's global `random`, which other threads (a Dask worker's) use too.
    fit_args.setdefault("shuffle", False)
    # A non-finite loss or an interruption leaves the estimator fitted with a finished
    # epoch's weights or not fitted at all; see _faults.
    guarded_fit(estimator, dict(**data, validation_data=validation_data, epochs=initial_epoch + epochs,
                                initial_epoch=initial_epoch, callbacks=callbacks, **fit_args),
                early_stopping=early_stopping,
                record_history=lambda history: record_history(estimator, history, warm_start))
    return validation_data is not None


def refit_network(estimator, X, y, target, sample_weight, *, initial_state, epochs, **kwargs):
    """Train the network again, on every row, the hold-out included, for the epochs early stopping chose.

    The network restarts from the state it had before early stopping
    watched it (weights, dropout seeds and optimizer), so it trains as a
    freshly built one would, with the training step already compiled. If
    this training is interrupted, the estimator keeps the network early
    stopping chose.

    Parameters
    ----------
    estimator : BaseTextClassifier
        The estimator whose ``model_`` early stopping has just chosen.
    X, y, target, sample_weight
        All the rows given to ``fit``, as for :func:`train_network`.
    initial_state : NetworkState
        The state of ``model_`` before :func:`train_network` trained it.
    epochs : int
        Epochs to train: ``best_epoch_`` of the run with the hold-out.
    **kwargs
        Further arguments for ``keras.Model.fit``.
    """
    chosen = NetworkState(estimator.model_, optimizer=False)
    initial_state.restore()
    sample_weight = _weighted(estimator, target, sample_weight)
    fit_args = {key: value for key, value in estimator._routed("fit").items() if key != "callbacks"}
    fit_args = {"verbose": estimator.verbose, **fit_args, **kwargs}
    data, _ = _feed(estimator, X, y, target, sample_weight, None)
    fit_args.setdefault("shuffle", False)
    guarded_fit(estimator, dict(**data, epochs=epochs, callbacks=list(estimator._fit_callbacks), **fit_args),
                fallback_state=chosen, record_history=lambda history: None)


def record_history(estimator, history, warm_start):
    """Add one ``fit``'s Keras history to ``history_`` and set ``n_iter_`` and ``best_epoch_``."""
    if not warm_start or not hasattr(estimator, "history_"):
        estimator.history_ = {}
    for key, values in history.items():
        estimator.history_.setdefault(key, []).extend(values)
    estimator.n_iter_ = len(estimator.history_["loss"])
    monitor, mode, _ = resolve_scoring(estimator.scoring, early_stopping=True, name=type(estimator).__name__,
                                       target_type=estimator.target_type_)
    monitored = estimator.history_.get(monitor)
    best = np.argmax if mode == "max" else np.argmin
    estimator.best_epoch_ = int(best(monitored)) + 1 if monitored else estimator.n_iter_
