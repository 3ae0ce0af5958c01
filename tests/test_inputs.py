"""Bad input to the classifiers: a clear error naming the problem, never a backend trace."""

import numpy as np
import pytest
from sklearn.exceptions import NotFittedError
from sklearn.pipeline import make_pipeline

from skltext import CNNClassifier, LSTMClassifier, TextTokenizer

from .conftest import tiny

IDS = np.array([[0, 2, 3], [2, 4, 5], [0, 0, 3], [5, 2, 4]] * 5)
LABELS = np.array(["a", "b", "a", "b"] * 5)


@pytest.mark.parametrize(
    "X, y, error, match",
    [
        (["some raw text"] * 20, LABELS, TypeError, "not raw text. Put a TextTokenizer"),
        (np.array(["some raw text"] * 20, dtype=object), LABELS, TypeError, "not raw text"),
        (IDS[:10], LABELS, ValueError, "inconsistent numbers of samples"),
        (IDS, np.array(["a"] * 20), ValueError, "only one class"),
        (IDS, np.where(np.arange(20) == 3, np.nan, np.arange(20) % 2), ValueError, "missing value"),
        (IDS, np.array(["a", None] * 10, dtype=object), ValueError, "missing value"),
        (IDS, np.linspace(0, 1, 20), ValueError, "Unknown label type"),
        (IDS, None, ValueError, "requires y to be passed"),
        (IDS + 0.5, LABELS, ValueError, "non-integer values such as 0.5"),
        (IDS - 10, LABELS, ValueError, "Negative values in data"),
        (np.where(IDS == 2, np.nan, IDS), LABELS, ValueError, "NaN"),
        (IDS[:, 0], LABELS, ValueError, "Expected 2D array"),
        (IDS, np.stack([LABELS == "a", LABELS == "a"], axis=1) * 2, ValueError, "0/1 indicator"),
    ],
    ids=["text list", "text array", "length mismatch", "one class", "y NaN", "y None values",
         "continuous y", "y None", "fractional ids", "negative ids", "NaN ids", "1-D X",
         "non-binary indicator"],
)
def test_bad_fit_input_raises_clear_error(X, y, error, match):
    """Check that each kind of bad training input raises an error that names it."""
    with pytest.raises(error, match=match):
        tiny(CNNClassifier).fit(X, y)


def test_none_document_in_pipeline_is_named():
    """Check that a None among raw documents is reported with its position."""
    texts = ["good", "bad", None, "fine"] * 5
    with pytest.raises(TypeError, match="document 2 is a missing value"):
        make_pipeline(TextTokenizer(), tiny(LSTMClassifier)).fit(texts, LABELS)


@pytest.mark.estimator
def test_predict_input_is_checked():
    """Check predict before fit, and predict with the wrong sequence length."""
    model = tiny(CNNClassifier, epochs=1)
    with pytest.raises(NotFittedError):
        model.predict(IDS)
    model.fit(IDS, LABELS)
    with pytest.raises(ValueError, match="X has 4 features, but CNNClassifier is expecting 3"):
        model.predict(np.hstack([IDS, IDS[:, :1]]))
    with pytest.raises(TypeError, match="not raw text"):
        model.predict(["raw"])


@pytest.mark.parametrize(
    "params, error, match",
    [
        ({"units": 0}, ValueError, "'units' parameter of LSTMClassifier must be an int"),
        ({"dropout": 1.5}, ValueError, "'dropout' parameter"),
        ({"cell": "rnn"}, ValueError, "'cell' parameter"),
        ({"validation_fraction": 1.0}, ValueError, "'validation_fraction' parameter"),
        ({"class_weight": "smooth"}, ValueError, "'class_weight' parameter"),
        ({"class_weight_mu": 0}, ValueError, "'class_weight_mu' parameter"),
        ({"balanced_batches": "yes"}, ValueError, "'balanced_batches' parameter"),
        ({"loss": "focl"}, ValueError, "Unknown loss 'focl': use 'auto', 'focal', 'class_balanced', 'top_k'"),
        ({"loss": "focal", "loss__gamma": -1.0}, ValueError, "gamma must be a number >= 0"),
        ({"loss": "focal", "loss__beta": 0.9}, ValueError, "takes loss__gamma, loss__alpha; got unknown loss__beta"),
        ({"loss": "top_k", "loss__fraction": 1.5}, ValueError, r"fraction must be a number in \(0, 1\]"),
        ({"loss": "class_balanced", "loss__beta": 1.0}, ValueError, r"beta must be in \[0, 1\)"),
        ({"loss__gamma": 1.0}, ValueError, "loss__gamma given, but loss='auto'"),
        ({"loss": "class_balanced", "class_weight": "balanced"}, ValueError, "already weights the classes"),
        ({"lss__gamma": 1.0}, TypeError, "unexpected parameter 'lss__gamma'"),
        ({"fit__batch_size": 8}, ValueError, "use batch_size instead"),
        ({"untis": 8}, TypeError, "unexpected parameter 'untis'. Did you mean 'units'"),
        ({"model__units": 8}, TypeError, "unexpected parameter 'model__units'"),
        ({"optimizer": "no_such_optimizer"}, ValueError, "Unknown optimizer"),
        ({"fit__epochs": 3}, ValueError, "fit__epochs cannot be routed.*use epochs instead"),
        ({"fit__validation_split": 0.2}, ValueError, "use validation_fraction instead"),
    ],
)
def test_invalid_parameters_raise_in_fit(params, error, match):
    """Check that parameters are stored untouched and validated in fit."""
    model = tiny(LSTMClassifier, **params)
    with pytest.raises(error, match=match):
        model.fit(IDS, LABELS)


def test_invalid_kernel_sizes():
    """Check that CNN kernel sizes are validated."""
    with pytest.raises(ValueError, match="kernel_sizes must be a non-empty sequence of positive ints"):
        tiny(CNNClassifier, kernel_sizes=(3, 0)).fit(IDS, LABELS)


def test_multilabel_class_weight_with_a_foreign_loss_is_refused():
    """Check that multi-label class weights, which act inside the loss, refuse a plain Keras loss."""
    y = np.stack([LABELS == "a", LABELS == "b", np.arange(20) % 3 == 0], axis=1).astype(int)
    with pytest.raises(ValueError, match="works with loss='auto', 'focal' or 'top_k'"):
        tiny(CNNClassifier, class_weight="balanced", loss="binary_crossentropy").fit(IDS, y)
