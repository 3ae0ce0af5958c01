"""Keras LSTM and CNN text classifiers as first-class scikit-learn estimators.

Public names are imported on first use (PEP 562), so ``import skltext`` and
the ``skltext`` command start without loading Keras or its backend; the
estimators bring them in when they are first accessed.
"""

import importlib

__version__ = "0.2.0"

# Public name -> module that defines it. To add a public name, add one line here.
_LAZY = {
    "CNNClassifier": ".models",
    "LSTMClassifier": ".models",
    "NgramClassifier": ".models",
    "DeepLinearClassifier": ".ensemble",
    "TextTokenizer": ".text",
    "ThresholdOptimizer": ".thresholds",
    "WordVectors": ".embeddings",
    "load_word_vectors": ".embeddings",
    "train_word_vectors": ".embeddings",
    "save_model": ".persistence",
    "load_model": ".persistence",
    "NonFiniteLossError": ".exceptions",
    "SlowSettingWarning": ".exceptions",
    "TrainingInterruptedWarning": ".exceptions",
    "ModelVersionError": ".exceptions",
}

__all__ = [*_LAZY, "__version__"]


def __getattr__(name):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__():
    return sorted({*globals(), *_LAZY})
