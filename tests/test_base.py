"""Pins the scikeras-specific behaviour that skltext.models._base fixes.

If one of these fails after a scikeras, Keras or scikit-learn upgrade, the
fix in _base.py needs revisiting.
"""

import numpy as np
import pytest
from scikeras.wrappers import KerasClassifier
from sklearn.base import is_classifier
from sklearn.model_selection import StratifiedKFold, check_cv
from sklearn.utils import get_tags

from skltext import CNNClassifier, LSTMClassifier

from .conftest import tiny


def test_plain_scikeras_is_still_not_a_classifier():
    """Check the upstream trap still exists (when this fails, the tag fix may be dropped)."""
    assert not is_classifier(KerasClassifier())
    assert not isinstance(check_cv(5, np.array([0, 1] * 5), classifier=is_classifier(KerasClassifier())),
                          StratifiedKFold)


@pytest.mark.parametrize("model_class", [LSTMClassifier, CNNClassifier])
def test_tags_make_a_multilabel_classifier(model_class):
    """Check the fixed tags: classifier type, multi-label support, required y, int input."""
    tags = get_tags(model_class())
    assert tags.estimator_type == "classifier"
    assert tags.classifier_tags.multi_label and tags.classifier_tags.multi_class
    assert tags.target_tags.required
    assert tags.input_tags.categorical and tags.input_tags.two_d_array
    assert is_classifier(model_class())


@pytest.mark.parametrize("model_class", [LSTMClassifier, CNNClassifier])
def test_init_stores_parameters_only(model_class):
    """Check that __init__ sets exactly the parameters, and repr is scikit-learn's."""
    model = model_class(epochs=5, optimizer__beta_1=0.8)
    assert set(vars(model)) == set(model.get_params())
    assert "optimizer__beta_1" in model.get_params()
    assert repr(model).startswith(f"{model_class.__name__}(epochs=5")


def test_set_params_accepts_routed_and_rejects_unknown_names():
    """Check routed names through set_params, and a clear error for unknown ones."""
    model = LSTMClassifier().set_params(optimizer__beta_1=0.7, fit__shuffle=False)
    assert model.get_params()["optimizer__beta_1"] == 0.7
    with pytest.raises(ValueError, match="Invalid parameter untis"):
        model.set_params(untis=3)


def test_partial_fit_is_not_offered():
    """Check that scikeras' partial_fit, which would skip early stopping, is hidden."""
    assert not hasattr(LSTMClassifier(), "partial_fit")


@pytest.mark.estimator
def test_seeding_does_not_toggle_tensorflow_determinism():
    """Check that fit seeds through keras.utils.set_random_seed, not scikeras' TF context."""
    ids = np.array([[1, 2, 3], [2, 3, 4], [3, 4, 5], [4, 5, 6]] * 4)
    model = tiny(CNNClassifier, epochs=1).fit(ids, [0, 1, 0, 1] * 4)
    assert model._random_state is None
    assert model.vocab_size_ == 7 and model.n_features_in_ == 3


@pytest.mark.estimator
def test_initialize_builds_a_seeded_untrained_network(model_class):
    """Check scikeras' public initialize(): a compiled, seeded network that predicts, and no training."""
    ids = np.array([[1, 2, 3], [2, 3, 4], [3, 4, 5], [4, 5, 6]] * 4)
    y = np.array(["a", "b", "c", "a"] * 4)
    first = tiny(model_class).initialize(ids, y)
    second = tiny(model_class).initialize(ids, y)
    assert first.predict_proba(ids).shape == (16, 3)
    assert not hasattr(first, "history_")
    for a, b in zip(first.model_.get_weights(), second.model_.get_weights()):
        np.testing.assert_array_equal(a, b)  # seeded from random_state, as fit is


def test_initialize_validates_parameters_as_fit_does():
    """Check that initialize() refuses what fit() refuses, before building anything."""
    ids = np.array([[1, 2], [2, 3]] * 4)
    with pytest.raises(ValueError, match="'epochs' parameter"):
        LSTMClassifier(epochs=0).initialize(ids, [0, 1] * 4)
    with pytest.raises(TypeError, match="unexpected parameter 'untis'"):
        LSTMClassifier(untis=3).initialize(ids, [0, 1] * 4)
