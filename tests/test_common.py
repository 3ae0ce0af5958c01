"""scikit-learn's estimator checks on the text classifiers.

TextTokenizer takes strings, for which parametrize_with_checks yields no
check at all; its data-free API checks run in test_text.py.
"""

import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

from skltext import CNNClassifier, LSTMClassifier, NgramClassifier

from .conftest import tiny

pytestmark = pytest.mark.estimator

_CONTINUOUS_X = (
    "the check feeds continuous features; the models take integer token ids and refuse "
    "non-integer values instead of truncating them"
)

# Every check that is expected to fail, with the reason it does not apply.
EXPECTED_FAILED_CHECKS = {
    "check_estimator_tags_renamed": (
        "scikeras' BaseWrapper defines the legacy _more_tags; BaseTextClassifier overrides "
        "__sklearn_tags__, which is what scikit-learn >= 1.6 reads"
    ),
    "check_mixin_order": (
        "scikeras' KerasClassifier lists ClassifierMixin after BaseEstimator and a subclass cannot "
        "reorder them (MRO conflict); the classifier tags are set explicitly instead"
    ),
    "check_sample_weight_equivalence_on_dense_data": (
        _CONTINUOUS_X + "; also, with shuffled mini-batch SGD a weight of 2 is not equivalent to "
        "a duplicated sample"
    ),
    "check_class_weight_classifiers": _CONTINUOUS_X,
    "check_classifiers_one_label_sample_weights": _CONTINUOUS_X,
}


def _expected_failed_checks(estimator):
    return EXPECTED_FAILED_CHECKS


@parametrize_with_checks(
    [tiny(LSTMClassifier, epochs=2), tiny(CNNClassifier, epochs=2),
     NgramClassifier(embedding_dim=8, epochs=2, batch_size=16, random_state=0)],
    expected_failed_checks=_expected_failed_checks,
)
def test_scikit_learn_estimator_checks(estimator, check):
    """Run scikit-learn's estimator checks (the data is rounded to non-negative ints by the
    categorical input tag)."""
    check(estimator)
