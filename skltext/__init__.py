"""Keras LSTM and CNN text classifiers as first-class scikit-learn estimators."""

from .models import CNNClassifier, LSTMClassifier
from .text import TextTokenizer
from .thresholds import ThresholdOptimizer

__version__ = "0.1.0"

__all__ = ["CNNClassifier", "LSTMClassifier", "TextTokenizer", "ThresholdOptimizer", "__version__"]
