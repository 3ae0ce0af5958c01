"""Guards around ``keras.Model.fit``: non-finite losses and interrupted training.

A NaN or infinite loss poisons the weights, and Keras' own
``TerminateOnNaN`` only stops quietly, leaving a model that predicts NaN. A
``KeyboardInterrupt`` in the middle of an epoch leaves weights that belong to
no epoch. :func:`guarded_fit` turns both into a defined state: the estimator
is either fitted with the weights of a finished epoch or not fitted at all.
"""

import math
import threading
import warnings
import weakref

import keras

from ..exceptions import NonFiniteLossError, TrainingInterruptedWarning
from ._interrupts import RaiseDeferredInterrupt, deferring_ctrl_c, raise_if_pressed
from ._tracing import expect_tracing

__all__ = ["NonFiniteLossError", "TrainingInterruptedWarning", "discard_fitted_state", "guarded_fit",
           "prediction_lock"]

_PREDICTION_LOCKS = weakref.WeakKeyDictionary()
_LOCKS_GUARD = threading.Lock()


class _EpochMonitor(keras.callbacks.Callback):
    """Record the logs of every finished epoch; stop at the first non-finite loss."""

    def __init__(self):
        super().__init__()
        self.history = {}
        self.non_finite = None

    def on_train_begin(self, logs=None):
        expect_tracing(self.model)  # Keras has made the train function by now

    def on_test_begin(self, logs=None):
        expect_tracing(self.model)  # and the test function of the validation data

    def on_epoch_end(self, epoch, logs=None):
        logs = {key: float(value) for key, value in (logs or {}).items()}
        for key, value in logs.items():
            self.history.setdefault(key, []).append(value)
        for key in ("loss", "val_loss"):
            if key in logs and not math.isfinite(logs[key]):
                self.non_finite = (epoch + 1, key, logs[key])
                self.model.stop_training = True
                return


def discard_fitted_state(estimator):
    """Remove every fitted attribute, so the estimator reads as never fitted."""
    params = estimator.get_params(deep=False)
    for key in [key for key in vars(estimator) if key.endswith("_") and not key.startswith("_")]:
        if key not in params:
            delattr(estimator, key)


def _non_finite_message(name, epoch, key, value):
    which = "validation loss" if key == "val_loss" else "training loss"
    return (
        f"{name} stopped training: the {which} became {value} in epoch {epoch}, so the weights are no "
        "longer usable and the estimator was left unfitted. Likely causes: a learning_rate too high "
        "for the optimizer (try 10x lower), a loss that does not fit the targets (a custom loss "
        "given labels outside its domain), or extreme sample_weight or class_weight values."
    )


def guarded_fit(estimator, fit_kwargs, *, early_stopping=None, fallback_state=None, record_history):
    """Call ``estimator.model_.fit(**fit_kwargs)`` and leave the estimator in a defined state.

    Parameters
    ----------
    estimator : BaseTextClassifier
        The estimator whose ``model_`` is trained.
    fit_kwargs : dict
        Arguments of ``keras.Model.fit``; callbacks that monitor the epochs
        and raise Ctrl-C's interrupt between batches are appended to its
        ``callbacks``.
    early_stopping : keras.callbacks.EarlyStopping, default=None
        The early-stopping callback among ``callbacks``, whose best weights are
        restored when training is interrupted.
    fallback_state : NetworkState, default=None
        The state of a trained network to restore in ``model_`` when training
        is interrupted (the one early stopping chose, while ``refit`` trains
        the same network again from its initial state).
    record_history : callable
        Called with the per-epoch history (dict of lists of float) of the
        finished epochs, before an interruption is re-raised.

    Raises
    ------
    NonFiniteLossError
        If the training or validation loss became NaN or infinite; training
        stops at the end of that epoch and the estimator is left unfitted.
    KeyboardInterrupt
        Re-raised after an interruption. If early stopping had kept the weights
        of a finished epoch, they are restored and the estimator stays fitted;
        otherwise it is left unfitted. A :class:`TrainingInterruptedWarning`
        says which.
    """
    name = type(estimator).__name__
    monitor = _EpochMonitor()
    try:
        with deferring_ctrl_c() as ctrl_c:
            # After the monitor, so that an epoch that finished is recorded before a late interrupt.
            callbacks = [*(fit_kwargs.get("callbacks") or []), monitor, RaiseDeferredInterrupt(ctrl_c)]
            estimator.model_.fit(**{**fit_kwargs, "callbacks": callbacks})
        raise_if_pressed(ctrl_c)  # pressed after the last batch
    except KeyboardInterrupt:
        if fallback_state is not None:
            fallback_state.restore()
            warnings.warn(
                f"Training of {name} on all the rows (refit=True) was interrupted; the estimator keeps the "
                f"network early stopping chose (best_epoch_={estimator.best_epoch_}), trained without the "
                "hold-out.", TrainingInterruptedWarning, stacklevel=2,
            )
            raise
        best_weights = getattr(early_stopping, "best_weights", None)
        finished = len(monitor.history.get("loss", []))
        if monitor.non_finite is None and best_weights is not None and finished:
            estimator.model_.set_weights(best_weights)
            record_history(monitor.history)
            warnings.warn(
                f"Training of {name} was interrupted after {finished} finished epoch(s); the estimator "
                f"is fitted with the weights of its best epoch so far (best_epoch_={estimator.best_epoch_}).",
                TrainingInterruptedWarning, stacklevel=2,
            )
        else:
            discard_fitted_state(estimator)
            warnings.warn(
                f"Training of {name} was interrupted before early stopping had kept the weights of a "
                "finished epoch; the estimator was left unfitted.",
                TrainingInterruptedWarning, stacklevel=2,
            )
        raise
    if monitor.non_finite is not None:
        discard_fitted_state(estimator)
        raise NonFiniteLossError(_non_finite_message(name, *monitor.non_finite))
    record_history(monitor.history)


def prediction_lock(model):
    """The lock that serialises ``predict`` calls on one Keras model.

    The JAX backend takes the variables out of the model for the duration of
    ``predict`` and puts them back afterwards, so a second thread predicting
    meanwhile would find them missing. One lock per model keeps concurrent
    ``predict`` calls on a shared estimator correct on every backend, while
    different models still predict in parallel.
    """
    with _LOCKS_GUARD:
        lock = _PREDICTION_LOCKS.get(model)
        if lock is None:
            lock = _PREDICTION_LOCKS[model] = threading.Lock()
        return lock
