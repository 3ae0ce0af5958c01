"""Ctrl-C that the backend swallowed, raised again at the next batch.

TensorFlow's eager fast path calls back into Python (``len()`` of a tensor
shape while it makes a data iterator, for one) and clears whatever error that
call raised. When Ctrl-C lands there, the ``KeyboardInterrupt`` that Python's
SIGINT handler raises is lost and training goes on for as many epochs as are
left. While a network trains, :func:`noting_ctrl_c` wraps the SIGINT handler so
that it also notes each interrupt the handler raises, and
:class:`RaiseSwallowedInterrupt` raises it again at the next batch or epoch
boundary (or :func:`raise_if_swallowed` once the fit has returned) if it never
arrived.
"""

import contextlib
import signal
import threading

import keras

__all__ = ["RaiseSwallowedInterrupt", "noting_ctrl_c", "raise_if_swallowed"]


class _CtrlC:
    """Whether Ctrl-C was pressed and its ``KeyboardInterrupt`` has not reached the fit yet."""

    pressed = False


class RaiseSwallowedInterrupt(keras.callbacks.Callback):
    """Raise ``KeyboardInterrupt`` if Ctrl-C was pressed but its interrupt was swallowed.

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
        raise_if_swallowed(self.ctrl_c)

    on_epoch_begin = on_epoch_end = on_train_batch_end = on_test_batch_end = _raise_if_pressed


def raise_if_swallowed(ctrl_c):
    """Raise ``KeyboardInterrupt`` if one was noted and has not been raised since."""
    if ctrl_c.pressed:
        ctrl_c.pressed = False
        raise KeyboardInterrupt


@contextlib.contextmanager
def noting_ctrl_c():
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

    def note_then_handle(signum, frame):
        try:
            return previous(signum, frame)
        except KeyboardInterrupt:  # a handler of the program's own may choose not to interrupt
            ctrl_c.pressed = True
            raise

    signal.signal(signal.SIGINT, note_then_handle)
    try:
        yield ctrl_c
    finally:
        if signal.getsignal(signal.SIGINT) is note_then_handle:
            signal.signal(signal.SIGINT, previous)
