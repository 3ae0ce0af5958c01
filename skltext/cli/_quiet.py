"""Backend start-up logging kept off the terminal unless ``-vv`` asks for it.

TensorFlow and XLA log from C++ through absl before its logging is set up, so
``TF_CPP_MIN_LOG_LEVEL`` does not reach lines such as ``I0000 ... cudart_stub.cc
... Could not find cuda drivers`` or ``E0000 ... failed call to cuInit``. At
verbosity 0 and 1 the command sets the backends' log levels (where the user has
not set them) and, while Keras and its backend are imported and probe for
devices, sends file descriptor 2 through a filter that drops those lines and
passes everything else on.
"""

import importlib.abc
import importlib.util
import logging
import os
import re
import sys
import tempfile
from contextlib import contextmanager

__all__ = ["quiet_backend"]

_ENVIRONMENT = {
    "TF_CPP_MIN_LOG_LEVEL": "3",  # TensorFlow's C++ logging: fatal errors only
    "GRPC_VERBOSITY": "ERROR",
}
_NOISE = re.compile(
    r"^(?:[IWE]\d{4} [\d:. ]+\d+ [\w./-]+:\d+\]"  # absl / glog lines: I0000 00:00:17.. 123 port.cc:153]
    r"|WARNING: All log messages before absl::InitializeLog\(\) is called"
    r"|To enable the following instructions: .* rebuild TensorFlow"
    r"|\d{4}-\d\d-\d\d [\d:.]+: [IWE] \S+:\d+\])"  # older TensorFlow's format
)


@contextmanager
def _filtered_stderr():
    """Capture file descriptor 2 in the body; afterwards pass on every line that is not backend logging."""
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as capture:
        os.dup2(capture.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            capture.seek(0)
            for line in capture.read().decode("utf-8", "replace").splitlines(keepends=True):
                if not _NOISE.match(line):
                    sys.stderr.write(line)
            sys.stderr.flush()


def _probe_devices():
    """Look for accelerators now, so that a failed CUDA probe is logged inside the filter."""
    import keras

    backend = keras.backend.backend()
    if backend == "tensorflow":
        import tensorflow as tf

        tf.config.list_physical_devices()
    elif backend == "jax":
        import jax

        jax.devices()
        # Keras' data adapters import TensorFlow, where it is installed, at the first fit; its
        # start-up lines would come then, outside the filter.
        if importlib.util.find_spec("tensorflow") is not None:
            importlib.import_module("tensorflow")


class _QuietLoader(importlib.abc.Loader):
    def __init__(self, loader):
        self.loader = loader

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module):
        try:
            with _filtered_stderr():
                self.loader.exec_module(module)
                _probe_devices()
        finally:
            module.__loader__ = module.__spec__.loader = self.loader


class _QuietKerasImport(importlib.abc.MetaPathFinder):
    """Import Keras (and through it the backend) inside the stderr filter, once."""

    def find_spec(self, name, path=None, target=None):
        if name != "keras":
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.loader is not None:
            spec.loader = _QuietLoader(spec.loader)
        return spec


def quiet_backend(verbosity):
    """Keep the backend's logging quiet below verbosity 2; call before anything imports Keras.

    Parameters
    ----------
    verbosity : int
        The count of ``-v`` options; 2 or more changes nothing.
    """
    if verbosity >= 2:
        return
    for name, value in _ENVIRONMENT.items():
        os.environ.setdefault(name, value)
    logging.getLogger("jax._src.xla_bridge").setLevel(logging.ERROR)  # "no GPU/TPU found, falling back"
    if "keras" not in sys.modules and not any(isinstance(f, _QuietKerasImport) for f in sys.meta_path):
        sys.meta_path.insert(0, _QuietKerasImport())
