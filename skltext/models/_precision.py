"""Building a network under a Keras dtype policy (float32, or mixed bfloat16/float16).

Keras layers take their dtype policy when they are constructed, from the
process-wide global policy unless told otherwise. The builders construct
every layer without a dtype, so the estimator sets the global policy for the
time of the build only, under a lock (another thread building at the same
moment would otherwise pick up this estimator's policy), and restores it.
The output layer is built as float32 whatever the policy (see
``_blocks.classification_head``), so the probabilities and the loss are
computed in full precision.
"""

import contextlib
import threading

import keras

__all__ = ["check_dtype_policy", "dtype_policy_scope"]

_LOCK = threading.Lock()


def check_dtype_policy(name, *, estimator):
    """The Keras dtype policy named ``name`` (None: the global policy); ValueError if Keras has none."""
    if name is None:
        return keras.dtype_policies.get(keras.config.dtype_policy().name)
    try:
        return keras.dtype_policies.get(name)
    except (ValueError, TypeError):
        raise ValueError(f"{estimator} got dtype_policy={name!r}, which is not a Keras dtype policy; use "
                         "'float32', 'mixed_bfloat16' or 'mixed_float16'.") from None


@contextlib.contextmanager
def dtype_policy_scope(policy):
    """Layers constructed inside take ``policy``; the global policy is restored on exit."""
    with _LOCK:
        previous = keras.config.dtype_policy()
        keras.config.set_dtype_policy(policy)
        try:
            yield
        finally:
            keras.config.set_dtype_policy(previous)
