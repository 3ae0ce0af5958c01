"""Tests for the stratified hold-out used by early stopping."""

import numpy as np

from sklearn.utils.multiclass import type_of_target

from skltext._target import TargetDescription
from skltext.models._validation_split import stratified_holdout


def _describe(y):
    y = np.asarray(y)
    return TargetDescription(y, type_of_target(y))


def _split(y, fraction=0.2, seed=0):
    return stratified_holdout(_describe(y), fraction, np.random.default_rng(seed))


def test_each_class_is_held_out_in_proportion():
    """Check that every class sends its share to validation."""
    y = np.repeat([0, 1, 2], [50, 30, 20])
    train, val = _split(y)
    assert np.bincount(y[val]).tolist() == [10, 6, 4]
    assert sorted(np.concatenate([train, val]).tolist()) == list(range(100))


def test_singleton_classes_stay_in_training():
    """Check that a class with one example is never moved out of training."""
    y = np.array([0] * 30 + [1] * 30 + [2])
    train, val = _split(y, fraction=0.5)
    assert 60 in train and 60 not in val


def test_too_little_data_holds_out_nothing():
    """Check that tiny data yields an empty validation set rather than an empty class."""
    train, val = _split(np.array([0, 1, 0, 1]), fraction=0.1)
    assert val.size == 0 and train.size == 4


def test_multilabel_strata_follow_the_rarest_label():
    """Check that rows carrying a rare label reach the validation set."""
    y = np.zeros((100, 3), dtype=int)
    y[:, 0] = 1  # common label on every row
    y[:10, 2] = 1  # rare label on 10 rows
    train, val = _split(y.astype("float32"), fraction=0.2)
    assert y[val, 2].sum() == 2 and y[val].shape[0] == 20


def test_string_labels_and_classes_kept_from_an_earlier_fit():
    """Check that the split follows the classes, whatever the labels and the class list."""
    labels = np.repeat(["neg", "pos"], [40, 10])
    _, val = _split(labels)
    assert (labels[val] == "pos").sum() == 2 and val.size == 10
    # A warm-started fit keeps the classes of the first fit, here one more than this y holds.
    described = TargetDescription(labels, "binary", classes=np.array(["neg", "pos", "zzz"]))
    _, val_kept = stratified_holdout(described, 0.2, np.random.default_rng(0))
    assert np.array_equal(val, val_kept)


def test_multilabel_holdout_is_iteratively_stratified():
    """Check that every label sends about its share of positives to validation."""
    rng = np.random.default_rng(0)
    y = (rng.random((400, 6)) < [0.5, 0.3, 0.1, 0.05, 0.02, 0.01]).astype("float32")
    train, val = _split(y, fraction=0.25)
    assert np.intersect1d(train, val).size == 0 and train.size + val.size == 400
    share = y[val].sum(axis=0) / y.sum(axis=0)
    assert np.all(np.abs(share[:4] - 0.25) < 0.1), share


def test_multilabel_holdout_keeps_a_positive_of_each_label_in_training():
    """Check that a label with a single positive is never moved out of training."""
    y = np.zeros((50, 3), dtype="float32")
    y[:25, 0] = 1
    y[25:, 1] = 1
    y[7, 2] = 1  # the only positive of label 2
    for seed in range(5):
        train, val = stratified_holdout(_describe(y), 0.5, np.random.default_rng(seed))
        assert 7 in train
        assert y[train].sum(axis=0).min() >= 1
