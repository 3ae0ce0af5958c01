"""Ctrl-C during a fit, raised between batches instead of inside the backend.

Python raises ``KeyboardInterrupt`` in whatever Python code runs when the key
is pressed. During a fit on TensorFlow that can be code TensorFlow's C++ calls
back into (``len()`` of a tensor shape while it makes a data iterator, for
one): TensorFlow then either clears the error, so training goes on to its last
epoch, or crashes the process with a segmentation fault. While a network
trains, :func:`deferring_ctrl_c` wraps the SIGINT handler so that the first
interrupt it raises is only noted; :class:`RaiseDeferredInterrupt` raises it at
the next batch or epoch boundary, in Keras' own Python loop, and
:func:`raise_if_pressed` once the fit has returned. A second Ctrl-C interrupts
at once, for a batch that never ends.
"""

import contextlib
import signal
import threading

import keras

__all__ = ["RaiseDeferredInterrupt", "deferring_ctrl_c", "raise_if_pressed"]


class _CtrlC:
    """Whether Ctrl-C was pressed and its ``KeyboardInterrupt`` has not been raised yet."""

    pressed = False


def raise_if_pressed(ctrl_c):
    """Raise the ``KeyboardInterrupt`` of a Ctrl-C noted and not raised since."""
    if ctrl_c.pressed:
        ctrl_c.pressed = False
        raise KeyboardInterrupt


class RaiseDeferredInterrupt(keras.callbacks.Callback):
    """Raise ``KeyboardInterrupt`` at the first batch or epoch boundary after Ctrl-C.

    Parameters
    ----------
    ctrl_c : _CtrlC
        What the wrapped SIGINT handler records.
    """

    # Reads no logs, so Keras may keep dispatching batches asynchronously.
    async_safe = True

    def __init__(self, ctrl_c):
        super().__init__()
        self.ctrl_c = ctrl_c

    def _raise_if_pressed(self, *args, **kwargs):
        raise_if_pressed(self.ctrl_c)

    on_epoch_begin = on_epoch_end = on_train_batch_end = on_test_batch_end = _raise_if_pressed


@contextlib.contextmanager
def deferring_ctrl_c():
    """Wrap the SIGINT handler for the duration of a fit; yield what it records.

    Nothing is wrapped outside the main thread (Python runs signal handlers
    only there) or when SIGINT is ignored or handled outside Python.
    """
    ctrl_c = _CtrlC()
    if threading.current_thread() is not threading.main_thread():
        yield ctrl_c
        return
    previous = signal.getsignal(signal.SIGINT)
    if not callable(previous):
        yield ctrl_c
        return

    def defer_first_interrupt(signum, frame):
        try:
            return previous(signum, frame)
        except KeyboardInterrupt:  # a handler of the program's own may choose not to interrupt
            if ctrl_c.pressed:
                raise
            ctrl_c.pressed = True

    signal.signal(signal.SIGINT, defer_first_interrupt)
    try:
        yield ctrl_c
    finally:
        if signal.getsignal(signal.SIGINT) is defer_first_interrupt:
            signal.signal(signal.SIGINT, previous)
