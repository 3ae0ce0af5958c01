"""Tests for the class-weight formulas."""

import numpy as np
import pytest

from skltext.weights import compute_class_weights, effective_number_weights

LONG_TAIL = np.array(["big"] * 48000 + ["mid"] * 1997 + ["tiny"] * 3)


def test_balanced_matches_the_formula():
    """Check 'balanced' is n_samples / (n_classes * count), in sorted class order."""
    weights = compute_class_weights(LONG_TAIL, class_weight="balanced")
    np.testing.assert_allclose(weights, [50000 / (3 * 48000), 50000 / (3 * 1997), 50000 / (3 * 3)])


def test_balanced_log_matches_the_formula_and_keeps_big_classes_at_one():
    """Check 'balanced_log' is max(1, log(mu * n / count)) and stays moderate for 3 documents."""
    weights = compute_class_weights(LONG_TAIL, class_weight="balanced_log")
    np.testing.assert_allclose(weights, [1.0, np.log(0.15 * 50000 / 1997), np.log(0.15 * 50000 / 3)])
    assert weights[0] == 1.0 and weights[2] < 10
    heavier = compute_class_weights(LONG_TAIL, class_weight="balanced_log", mu=1.5)
    np.testing.assert_allclose(heavier[2], np.log(1.5 * 50000 / 3))


def test_dict_weights_default_to_one_and_unknown_keys_are_refused():
    """Check a dict fills missing classes with 1 and names keys that are not classes."""
    np.testing.assert_allclose(compute_class_weights(LONG_TAIL, class_weight={"tiny": 5}), [1, 1, 5])
    with pytest.raises(ValueError, match=r"keys that are not classes: \['typo'\]"):
        compute_class_weights(LONG_TAIL, class_weight={"typo": 5})
    with pytest.raises(ValueError, match="finite number >= 0"):
        compute_class_weights(LONG_TAIL, class_weight={"tiny": -1})


def test_multilabel_weights_are_per_label_positive_weights():
    """Check multi-label weights: negatives/positives for 'balanced', the log formula per label."""
    y = np.zeros((100, 3), dtype=int)
    y[:50, 0] = 1
    y[:4, 1] = 1  # label 2 has no positive
    np.testing.assert_allclose(compute_class_weights(y, class_weight="balanced"), [1.0, 96 / 4, 1.0])
    np.testing.assert_allclose(compute_class_weights(y, class_weight="balanced_log"),
                               [1.0, np.log(0.15 * 100 / 4), 1.0])
    np.testing.assert_allclose(compute_class_weights(y, class_weight={1: 3.0}), [1, 3, 1])
    with pytest.raises(ValueError, match="label indices"):
        compute_class_weights(y, class_weight={"1": 3.0})


@pytest.mark.parametrize("mu", [0, -0.5, "high", None])
def test_bad_mu_is_refused(mu):
    """Check mu <= 0 or not a number is refused."""
    with pytest.raises(ValueError, match="mu must be a number > 0"):
        compute_class_weights(LONG_TAIL, class_weight="balanced_log", mu=mu)


def test_unknown_strategy_is_refused():
    """Check that an unknown class_weight string names the valid ones."""
    with pytest.raises(ValueError, match="'balanced', 'balanced_log' or a dict"):
        compute_class_weights(LONG_TAIL, class_weight="smooth")


def test_effective_number_weights_match_the_formula():
    """Check (1 - beta) / (1 - beta**n) scaled to sum to the number of classes."""
    counts = np.array([1000, 100, 10])
    raw = (1 - 0.999) / (1 - 0.999 ** counts)
    np.testing.assert_allclose(effective_number_weights(counts), raw * 3 / raw.sum())
    np.testing.assert_allclose(effective_number_weights(counts, beta=0.0), [1, 1, 1])
    assert effective_number_weights([5, 0])[1] == 0


@pytest.mark.parametrize("beta", [1.0, -0.1, 2])
def test_bad_beta_is_refused(beta):
    """Check beta outside [0, 1) is refused."""
    with pytest.raises(ValueError, match=r"beta must be in \[0, 1\)"):
        effective_number_weights([3, 4], beta=beta)
