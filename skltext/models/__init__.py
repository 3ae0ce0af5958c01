"""Keras text classifiers with scikit-learn's estimator interface."""

from .cnn import CNNClassifier, build_cnn
from .lstm import LSTMClassifier, build_lstm
from .ngram import NgramClassifier, build_ngram

__all__ = ["CNNClassifier", "LSTMClassifier", "NgramClassifier", "build_cnn", "build_lstm", "build_ngram"]
