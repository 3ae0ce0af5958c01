"""Tests for the one target validator and the per-fit target description."""

import numpy as np
import pytest
import scipy.sparse as sp

from skltext._target import TargetDescription, check_target
from skltext.exceptions import OneHotTargetWarning


def test_description_of_a_multiclass_target():
    """Check classes, codes, counts, prior and strata of string labels."""
    target = TargetDescription(np.array(["b", "a", "c", "a", "a"]), "multiclass")
    assert target.classes.tolist() == ["a", "b", "c"]
    assert target.codes.tolist() == [1, 0, 2, 0, 0]
    assert target.counts.tolist() == [3, 1, 1]
    np.testing.assert_allclose(target.output_prior(), [0.6, 0.2, 0.2])
    assert target.output_counts()[1] is None  # softmax: no row count
    assert target.strata().tolist() == [1, 0, 2, 0, 0]
    assert target.labels().tolist() == ["b", "a", "c", "a", "a"]


def test_binary_outputs_count_the_second_class():
    """Check that the one sigmoid output of a binary target counts the second class's rows."""
    target = TargetDescription(np.array(["neg"] * 3 + ["pos"]), "binary")
    counts, n_samples = target.output_counts()
    assert counts.tolist() == [1] and n_samples == 4
    np.testing.assert_allclose(target.output_prior(), [0.25])


def test_multilabel_prior_is_clipped_and_strata_follow_the_rarest_label():
    """Check positives per label, a clipped prior for labels with no positive, and rarest-label strata."""
    Y = np.array([[1, 0, 0], [1, 1, 0], [1, 0, 0], [0, 0, 0]])
    target = TargetDescription(Y, "multilabel-indicator")
    assert target.codes is None and target.counts.tolist() == [3, 1, 0]
    np.testing.assert_allclose(target.output_prior(), [0.75, 0.25, 0.5 / 4])
    assert target.strata().tolist() == [0, 1, 0, -1]


def test_take_keeps_the_classes_and_recounts():
    """Check that a subset keeps the class list (and so the codes) and counts only its rows."""
    target = TargetDescription(np.array([0, 1, 2, 2, 1]), "multiclass")
    part = target.take(np.array([2, 3]))
    assert part.classes.tolist() == [0, 1, 2]
    assert part.codes.tolist() == [2, 2] and part.counts.tolist() == [0, 0, 2]
    assert part.n_samples == 2


def test_labels_outside_the_given_classes_are_refused():
    """Check that a warm-started fit's new label is named, not silently given another class's code."""
    with pytest.raises(ValueError, match="labels not seen in fit: \\['d'\\]"):
        TargetDescription(np.array(["a", "d"]), "binary", classes=np.array(["a", "b"]))


@pytest.mark.parametrize(
    "y, match",
    [
        (None, "requires y to be passed"),
        (np.array([]), "y has no samples"),
        (np.array([3, 3, 3]), "only one class \\(3\\)"),
        (np.array([0.5, 1.5, 2.0]), "Unknown label type: 'continuous'"),
        (np.array([[0, 2], [1, 0]]), "Unknown label type"),
        ([1, "a"], "mixes label types"),
        (np.array([1.0, np.nan, 0.0]), "missing value"),
    ],
)
def test_check_target_refuses_with_one_message_each(y, match):
    """Check the shared messages for each kind of bad target."""
    with pytest.raises(ValueError, match=match):
        check_target(y, name="Model")


def test_sparse_targets_only_where_accepted_and_expected_types():
    """Check accept_sparse and expected=: a sparse label matrix, and a refused type with its hint."""
    Y = sp.csr_matrix(np.array([[1, 0], [0, 1], [1, 1]]))
    with pytest.raises(TypeError, match="dense target"):
        check_target(Y, name="Model")
    kept, target_type = check_target(Y, name="Model", accept_sparse=True)
    assert sp.issparse(kept) and target_type == "multilabel-indicator"
    with pytest.raises(ValueError, match="expects a multi-label target.*'binary' target of shape \\(4,\\). Hint"):
        check_target(np.array([0, 1, 0, 1]), name="Sampler", expected=("multilabel-indicator",), hint=" Hint")


def test_one_hot_matrix_warns():
    """Check that one positive per row warns that it is read as multi-label."""
    with pytest.warns(OneHotTargetWarning, match="y.argmax"):
        _, target_type = check_target(np.eye(3, dtype=int)[[0, 1, 2, 1]], name="Model")
    assert target_type == "multilabel-indicator"
