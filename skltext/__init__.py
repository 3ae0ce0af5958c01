"""Keras LSTM and CNN text classifiers as first-class scikit-learn estimators."""

from .embeddings import WordVectors, load_word_vectors, train_word_vectors
from .exceptions import ModelVersionError, NonFiniteLossError, SlowSettingWarning, TrainingInterruptedWarning
from .models import CNNClassifier, LSTMClassifier
from .persistence import load_model, save_model
from .text import TextTokenizer
from .thresholds import ThresholdOptimizer

__version__ = "0.2.0"

__all__ = [
    "CNNClassifier",
    "LSTMClassifier",
    "TextTokenizer",
    "ThresholdOptimizer",
    "WordVectors",
    "load_word_vectors",
    "train_word_vectors",
    "save_model",
    "load_model",
    "NonFiniteLossError",
    "SlowSettingWarning",
    "TrainingInterruptedWarning",
    "ModelVersionError",
    "__version__",
]
