"""Warnings, once per process, about settings known to make training much slower."""

import functools
import warnings

import keras

from ..exceptions import SlowSettingWarning

__all__ = ["accelerator_available", "warn_slow_recurrent_settings"]

_already_warned = set()


def _backend():
    return keras.backend.backend()


@functools.cache
def accelerator_available():
    """Whether the active Keras backend computes on a GPU or TPU."""
    backend = _backend()
    if backend == "tensorflow":
        import tensorflow as tf

        return bool(tf.config.list_logical_devices("GPU") or tf.config.list_logical_devices("TPU"))
    if backend == "jax":
        import jax

        return jax.default_backend() != "cpu"
    if backend == "torch":
        import torch

        return torch.cuda.is_available()
    return False


def _warn_once(message):
    if message not in _already_warned:
        _already_warned.add(message)
        warnings.warn(message, SlowSettingWarning, stacklevel=4)


def warn_slow_recurrent_settings(name, *, recurrent_dropout):
    """Warn (once each) about the backend or settings that slow recurrent layers down."""
    if _backend() == "torch":
        _warn_once(f"{name} on the torch backend trains recurrent layers many times slower than on JAX; "
                   "set KERAS_BACKEND=jax (or tensorflow) before importing keras for faster training.")
    if recurrent_dropout > 0 and accelerator_available():
        _warn_once(f"{name}(recurrent_dropout={recurrent_dropout}) cannot use the fused cuDNN kernel, so "
                   "training on the GPU is several times slower; regularise with dropout or "
                   "spatial_dropout instead and keep recurrent_dropout=0.")
