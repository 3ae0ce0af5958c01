"""Keras LSTM and CNN text classifiers as first-class scikit-learn estimators."""

from .models import CNNClassifier, LSTMClassifier
from .text import TextTokenizer

__version__ = "0.1.0"

__all__ = ["CNNClassifier", "LSTMClassifier", "TextTokenizer", "__version__"]
