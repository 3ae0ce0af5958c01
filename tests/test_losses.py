"""Tests of the imbalance losses against hand-computed values, on the active Keras backend."""

import pickle

import keras
import numpy as np
import pytest

from skltext.losses import ClassBalancedLoss, FocalLoss, LogitAdjustedLoss, TopKLoss, WeightedCrossentropy

Y_SIGMOID = np.array([[1.0, 0.0], [0.0, 0.0], [1.0, 1.0]])
P_SIGMOID = np.array([[0.8, 0.3], [0.4, 0.1], [0.6, 0.9]])
Y_CLASSES = np.array([0, 2, 1])
P_SOFTMAX = np.array([[0.7, 0.2, 0.1], [0.3, 0.3, 0.4], [0.1, 0.6, 0.3]])


def _value(loss, y_true, y_pred, sample_weight=None):
    return float(keras.ops.convert_to_numpy(loss(y_true, y_pred, sample_weight=sample_weight)))


def _p_true(y, p):
    return np.where(y == 1, p, 1 - p)


def test_focal_sigmoid_matches_hand_computation():
    """Check the sigmoid focal loss: mean over labels of -(1-p_t)^g log p_t, alpha weighting."""
    p_t = _p_true(Y_SIGMOID, P_SIGMOID)
    expected = np.mean(np.mean(-(1 - p_t) ** 2 * np.log(p_t), axis=1))
    assert _value(FocalLoss(), Y_SIGMOID, P_SIGMOID) == pytest.approx(expected, rel=1e-5)
    alpha = np.where(Y_SIGMOID == 1, 0.25, 0.75)
    expected = np.mean(np.mean(-alpha * (1 - p_t) ** 2 * np.log(p_t), axis=1))
    assert _value(FocalLoss(alpha=0.25), Y_SIGMOID, P_SIGMOID) == pytest.approx(expected, rel=1e-5)


def test_focal_softmax_matches_hand_computation_for_sparse_and_one_hot_targets():
    """Check the softmax focal loss -(1-p_y)^g log p_y with index and one-hot targets."""
    p_y = P_SOFTMAX[np.arange(3), Y_CLASSES]
    expected = np.mean(-(1 - p_y) ** 1.5 * np.log(p_y))
    loss = FocalLoss(gamma=1.5, multiclass=True)
    assert _value(loss, Y_CLASSES, P_SOFTMAX) == pytest.approx(expected, rel=1e-5)
    assert _value(loss, np.eye(3)[Y_CLASSES], P_SOFTMAX) == pytest.approx(expected, rel=1e-5)


def test_gamma_zero_is_keras_cross_entropy():
    """Check that with gamma=0 the focal loss equals Keras' own cross-entropies."""
    assert _value(FocalLoss(gamma=0), Y_SIGMOID, P_SIGMOID) == pytest.approx(
        _value(keras.losses.BinaryCrossentropy(), Y_SIGMOID, P_SIGMOID), rel=1e-5)
    assert _value(FocalLoss(gamma=0, multiclass=True), Y_CLASSES, P_SOFTMAX) == pytest.approx(
        _value(keras.losses.SparseCategoricalCrossentropy(), Y_CLASSES, P_SOFTMAX), rel=1e-5)


def test_weighted_crossentropy_weights_positives_per_label():
    """Check per-label positive weights and sample weights multiply the right terms."""
    p_t = _p_true(Y_SIGMOID, P_SIGMOID)
    weights = np.where(Y_SIGMOID == 1, [2.0, 5.0], 1.0)
    expected_rows = np.mean(-weights * np.log(p_t), axis=1)
    loss = WeightedCrossentropy(positive_weights=[2.0, 5.0])
    assert _value(loss, Y_SIGMOID, P_SIGMOID) == pytest.approx(expected_rows.mean(), rel=1e-5)
    sample_weight = np.array([1.0, 0.0, 2.0])
    assert _value(loss, Y_SIGMOID, P_SIGMOID, sample_weight) == pytest.approx(
        (expected_rows * sample_weight).sum() / 3, rel=1e-5)


def test_class_balanced_softmax_weights_the_true_class():
    """Check the class-balanced loss uses (1-b)/(1-b^n) per class, summing to the class count."""
    counts = np.array([500, 50, 5])
    raw = (1 - 0.99) / (1 - 0.99 ** counts)
    weights = raw * 3 / raw.sum()
    loss = ClassBalancedLoss(counts, beta=0.99, multiclass=True)
    np.testing.assert_allclose(loss.positive_weights, weights, rtol=1e-6)
    p_y = P_SOFTMAX[np.arange(3), Y_CLASSES]
    expected = np.mean(-weights[Y_CLASSES] * np.log(p_y))
    assert _value(loss, Y_CLASSES, P_SOFTMAX) == pytest.approx(expected, rel=1e-5)


def test_class_balanced_sigmoid_weights_positives_and_negatives_per_label():
    """Check each sigmoid output weighs its positives and negatives from their counts."""
    loss = ClassBalancedLoss([10, 90], n_samples=100, beta=0.9)
    for label, positives in enumerate([10, 90]):
        raw = np.array([(1 - 0.9) / (1 - 0.9 ** positives), (1 - 0.9) / (1 - 0.9 ** (100 - positives))])
        pair = raw * 2 / raw.sum()
        assert loss.positive_weights[label] == pytest.approx(pair[0])
        assert loss.negative_weights[label] == pytest.approx(pair[1])
    with pytest.raises(ValueError, match="needs n_samples"):
        ClassBalancedLoss([10, 90])


def test_top_k_keeps_only_the_hardest_documents():
    """Check that only the ceil(fraction * batch) highest losses count, and gradients skip the rest."""
    y = np.ones((5, 1))
    p = np.array([[0.9], [0.5], [0.8], [0.2], [0.7]])
    expected = np.mean(-np.log([0.2, 0.5]))  # ceil(0.4 * 5) = 2 hardest
    assert _value(TopKLoss(fraction=0.4), y, p) == pytest.approx(expected, rel=1e-5)
    assert _value(TopKLoss(fraction=1.0), y, p) == pytest.approx(np.mean(-np.log(p)), rel=1e-5)
    assert _value(TopKLoss(fraction=0.01), y, p) == pytest.approx(-np.log(0.2), rel=1e-5)
    p_softmax = np.array([[0.9, 0.1], [0.2, 0.8]])  # row 0 easy, row 1 hard, both class 0
    expected = -np.log(0.2)
    assert _value(TopKLoss(fraction=0.5, multiclass=True), np.array([0, 0]), p_softmax) == \
        pytest.approx(expected, rel=1e-5)


@pytest.mark.parametrize("loss", [
    FocalLoss(gamma=1.0, alpha=0.3, positive_weights=[1.0, 2.0]),
    ClassBalancedLoss([3, 7], n_samples=12, beta=0.9, gamma=1.0),
    TopKLoss(fraction=0.3, multiclass=True),
    WeightedCrossentropy([1.0, 4.0]),
], ids=lambda loss: type(loss).__name__)
def test_losses_survive_pickling_and_keras_serialization(loss):
    """Check pickling and Keras (de)serialization keep the settings and the value."""
    y, p = (Y_CLASSES[:2], P_SOFTMAX[:2, :2] / P_SOFTMAX[:2, :2].sum(1, keepdims=True)) \
        if loss.multiclass else (Y_SIGMOID, P_SIGMOID)
    for copy in (pickle.loads(pickle.dumps(loss)),
                 keras.losses.deserialize(keras.losses.serialize(loss))):
        assert type(copy) is type(loss)
        assert copy.get_config() == loss.get_config()
        assert _value(copy, y, p) == pytest.approx(_value(loss, y, p), rel=1e-6)


@pytest.mark.parametrize("make, message", [
    (lambda: FocalLoss(gamma=-1), "gamma must be a number >= 0"),
    (lambda: FocalLoss(alpha=1.5), r"alpha must be a number in \(0, 1\)"),
    (lambda: FocalLoss(alpha=0.25, multiclass=True), "with multiclass=True give per-class weights"),
    (lambda: TopKLoss(fraction=0), r"fraction must be a number in \(0, 1\]"),
    (lambda: ClassBalancedLoss([5, 5], beta=1.0, multiclass=True), r"beta must be in \[0, 1\)"),
    (lambda: WeightedCrossentropy([1.0, -2.0]), "finite numbers >= 0"),
    (lambda: WeightedCrossentropy([1.0], [1.0], multiclass=True), "sigmoid outputs only"),
])
def test_bad_settings_are_refused(make, message):
    """Check that invalid loss settings raise a ValueError naming the setting."""
    with pytest.raises(ValueError, match=message):
        make()


def test_weight_count_must_match_the_outputs():
    """Check a weight vector of the wrong length names both sizes."""
    with pytest.raises(ValueError, match="has 3 positive_weights but the model has 2 outputs"):
        WeightedCrossentropy([1.0, 2.0, 3.0])(Y_SIGMOID, P_SIGMOID)


@pytest.mark.parametrize("multiclass, prior, y_true, y_pred", [
    (True, [0.7, 0.2, 0.1], np.array([2, 0]), np.array([[0.3, 0.3, 0.4], [0.6, 0.3, 0.1]])),
    (False, [0.05, 0.5], np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([[0.2, 0.6], [0.7, 0.4]])),
])
def test_logit_adjusted_loss_matches_cross_entropy_of_shifted_logits(multiclass, prior, y_true, y_pred):
    """Check the loss against cross-entropy computed by hand on logits shifted by tau * log prior."""
    tau = 0.7
    loss = LogitAdjustedLoss(prior, tau=tau, multiclass=multiclass)
    prior = np.asarray(prior)
    if multiclass:
        shifted = np.log(y_pred) + tau * np.log(prior)
        log_softmax = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        expected = -log_softmax[np.arange(len(y_true)), y_true].mean()
    else:
        logits = np.log(y_pred / (1 - y_pred)) + tau * np.log(prior / (1 - prior))
        p = 1 / (1 + np.exp(-logits))
        expected = -(y_true * np.log(p) + (1 - y_true) * np.log(1 - p)).mean()
    assert float(loss(y_true, y_pred)) == pytest.approx(expected, rel=1e-5)
    # tau=0 is plain cross-entropy.
    plain = LogitAdjustedLoss(prior, tau=0.0, multiclass=multiclass)
    reference = (keras.losses.SparseCategoricalCrossentropy() if multiclass
                 else keras.losses.BinaryCrossentropy())
    assert float(plain(y_true, y_pred)) == pytest.approx(float(reference(y_true, y_pred)), rel=1e-4)


def test_logit_adjusted_loss_refuses_priors_outside_zero_one():
    with pytest.raises(ValueError, match="class_prior"):
        LogitAdjustedLoss([0.0, 1.0])
    with pytest.raises(ValueError, match="tau"):
        LogitAdjustedLoss([0.5], tau=-1)


@pytest.mark.estimator
def test_logit_adjusted_loss_by_name_uses_the_training_prior(multiclass_corpus, multilabel_corpus):
    """Check that loss='logit_adjusted' builds the loss from the fitted fold's class shares."""
    from skltext import NgramClassifier, TextTokenizer

    texts, y = multiclass_corpus
    ids = TextTokenizer(max_len=12).fit_transform(texts)
    model = NgramClassifier(embedding_dim=4, epochs=1, loss="logit_adjusted", loss__tau=0.5,
                            random_state=0).fit(ids, y)
    loss = model.model_.loss
    assert isinstance(loss, LogitAdjustedLoss) and loss.tau == 0.5 and loss.multiclass
    _, counts = np.unique(y, return_counts=True)
    np.testing.assert_allclose(loss.class_prior, counts / counts.sum())
    texts, Y = multilabel_corpus
    ids = TextTokenizer(max_len=12).fit_transform(texts)
    with pytest.raises(ValueError, match="class_weight=None"):
        NgramClassifier(epochs=1, loss="logit_adjusted", class_weight="balanced").fit(ids, Y)
