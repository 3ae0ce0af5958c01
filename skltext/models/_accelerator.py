"""Whether the Keras backend computes on an accelerator (a GPU) rather than the CPU."""

import keras

__all__ = ["runs_on_accelerator"]


def runs_on_accelerator():
    """True when the Keras backend places its computations on a GPU (or another non-CPU device).

    Asked of the backend itself, so it follows what a user set up
    (``CUDA_VISIBLE_DEVICES``, ``JAX_PLATFORMS``, an installed CUDA build).

    Returns
    -------
    bool
    """
    backend = keras.config.backend()
    if backend == "jax":
        import jax

        return jax.default_backend() != "cpu"
    if backend == "tensorflow":
        import tensorflow as tf

        return bool(tf.config.list_logical_devices("GPU"))
    if backend == "torch":
        import torch

        return torch.cuda.is_available()
    return False
