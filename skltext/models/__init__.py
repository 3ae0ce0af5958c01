"""Keras text classifiers with scikit-learn's estimator interface."""

from .cnn import CNNClassifier, build_cnn
from .lstm import LSTMClassifier, build_lstm

__all__ = ["CNNClassifier", "LSTMClassifier", "build_cnn", "build_lstm"]
