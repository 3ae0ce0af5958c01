"""The imbalance remedies inside the classifiers: losses, class weights and balanced batches."""

import numpy as np
import pytest
from sklearn.metrics import recall_score
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import make_pipeline

from skltext import CNNClassifier, LSTMClassifier, TextTokenizer
from skltext.datasets import make_text_classification
from skltext.losses import ClassBalancedLoss, FocalLoss, TopKLoss, WeightedCrossentropy
from skltext.models._batches import BalancedBatches

from .conftest import RecordingFit, sample_weight_given_to_keras, tiny

pytestmark = pytest.mark.estimator

LOSS_CLASSES = {"focal": FocalLoss, "class_balanced": ClassBalancedLoss, "top_k": TopKLoss}


@pytest.fixture(scope="module")
def corpora(binary_corpus, multiclass_corpus, multilabel_corpus):
    tokenizer = TextTokenizer(max_len=12)
    return {
        name: (tokenizer.fit_transform(texts), y)
        for name, (texts, y) in
        {"binary": binary_corpus, "multiclass": multiclass_corpus, "multilabel": multilabel_corpus}.items()
    }


@pytest.mark.parametrize("loss", ["focal", "class_balanced", "top_k"])
@pytest.mark.parametrize("target", ["binary", "multiclass", "multilabel"])
def test_each_loss_trains_for_each_target_type(loss, target, corpora):
    """Check that every named loss builds in the form of the target and lowers the training loss."""
    X, y = corpora[target]
    model = tiny(CNNClassifier, loss=loss, epochs=4, early_stopping=False).fit(X, y)
    assert isinstance(model.model_.loss, LOSS_CLASSES[loss])
    assert model.model_.loss.multiclass == (target == "multiclass")
    assert model.history_["loss"][-1] < model.history_["loss"][0]
    assert model.predict(X).shape == np.shape(y)
    assert model.predict_proba(X).shape == (len(X), 2 if target == "binary" else len(model.classes_))


def test_lstm_takes_the_losses_too(corpora):
    """Check an LSTM with the focal loss and a routed gamma."""
    X, y = corpora["multiclass"]
    model = tiny(LSTMClassifier, loss="focal", loss__gamma=1.0).fit(X, y)
    assert model.model_.loss.gamma == 1.0 and model.model_.loss.multiclass


def test_loss_settings_are_routed_and_grid_searchable(corpora):
    """Check loss__ settings reach the loss and GridSearchCV can search loss and gamma."""
    X, y = corpora["multiclass"]
    model = tiny(CNNClassifier, loss="top_k", loss__fraction=0.25).fit(X, y)
    assert model.model_.loss.fraction == 0.25
    texts, labels = make_text_classification(150, n_classes=3, weights=[5, 3, 1], max_length=10,
                                             signal=0.6, random_state=3)
    pipe = make_pipeline(TextTokenizer(max_len=10), tiny(CNNClassifier, epochs=2))
    # loss__gamma is refused with loss='auto', so search only valid pairs.
    search = GridSearchCV(pipe, [{"cnnclassifier__loss": ["auto"]},
                                 {"cnnclassifier__loss": ["focal"], "cnnclassifier__loss__gamma": [0.5, 2.0]}],
                          cv=2, scoring="f1_macro", error_score="raise").fit(texts, labels)
    assert len(search.cv_results_["params"]) == 3
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()


def test_class_weights_come_from_the_training_fold(monkeypatch, corpora):
    """Check 'balanced_log' sample weights use the y given to fit, with class_weight_mu."""
    X, y = corpora["multiclass"]
    recorder = RecordingFit(monkeypatch)
    half = np.arange(len(y)) % 2 == 0
    tiny(CNNClassifier, class_weight="balanced_log", class_weight_mu=2.0, early_stopping=False,
         epochs=1).fit(X[half], y[half])
    classes, counts = np.unique(y[half], return_counts=True)
    expected = np.maximum(1, np.log(2.0 * half.sum() / counts))[np.searchsorted(classes, y[half])]
    # The rows reach Keras in batches shuffled by the fit's own generator; the weights travel with them.
    np.testing.assert_allclose(sample_weight_given_to_keras(recorder.calls[-1]), expected, rtol=1e-6)


def test_multilabel_class_weights_become_per_label_positive_weights(corpora):
    """Check multi-label class weights are positive weights inside the loss, from the fitted y."""
    X, y = corpora["multilabel"]
    model = tiny(CNNClassifier, class_weight="balanced", epochs=1).fit(X, y)
    assert isinstance(model.model_.loss, WeightedCrossentropy)
    positives = y.sum(axis=0)
    np.testing.assert_allclose(model.model_.loss.positive_weights, (len(y) - positives) / positives)
    focal = tiny(CNNClassifier, class_weight={0: 3.0}, loss="focal", epochs=1).fit(X, y)
    assert focal.model_.loss.positive_weights == [3.0, 1.0, 1.0, 1.0]


def test_balanced_class_weight_raises_recall_of_a_rare_class():
    """Check class weights make a 5% class found more often than without them."""
    texts, y = make_text_classification(600, n_classes=2, weights=[19, 1], signal=0.25, max_length=12,
                                        random_state=5)
    X = TextTokenizer(max_len=12).fit_transform(texts)
    train, test = next(StratifiedKFold(3, shuffle=True, random_state=0).split(X, y))
    recall = {}
    for class_weight in (None, "balanced"):
        model = tiny(CNNClassifier, class_weight=class_weight, epochs=6, early_stopping=False)
        recall[class_weight] = recall_score(y[test], model.fit(X[train], y[train]).predict(X[test]),
                                            pos_label="class_1")
    assert recall["balanced"] > recall[None], recall


def test_balanced_batches_are_redrawn_each_epoch_and_leave_validation_alone(monkeypatch, corpora):
    """Check each epoch's batches are balanced, differ between epochs, and validation is untouched."""
    X, y = corpora["multiclass"]
    recorder = RecordingFit(monkeypatch)
    epochs_seen = []
    original_end = BalancedBatches.on_epoch_end

    def recording_end(batches):
        epochs_seen.append(batches.indices.copy())
        original_end(batches)

    monkeypatch.setattr(BalancedBatches, "on_epoch_end", recording_end)
    model = tiny(CNNClassifier, balanced_batches=True, epochs=3, patience=5).fit(X, y)
    call = recorder.calls[-1]
    batches = call["x"]
    assert isinstance(batches, BalancedBatches) and "y" not in call
    # Keras peeks at one batch before training and then resets, so the last n_iter_ draws are the epochs'.
    epochs_seen = epochs_seen[-model.n_iter_:]
    assert model.n_iter_ == 3
    assert not np.array_equal(epochs_seen[0], epochs_seen[1])
    train_codes = batches.y.astype(int)
    drawn = np.bincount(np.concatenate([train_codes[rows] for rows in epochs_seen]), minlength=4)
    assert drawn.min() / drawn.max() > 0.7, drawn  # natural ratio is 1:4
    natural = np.bincount(train_codes, minlength=4)
    assert natural.min() / natural.max() < 0.3
    val_codes = call["validation_data"][1].astype(int)
    assert len(val_codes) + len(train_codes) == len(y)
    assert np.bincount(val_codes, minlength=4)[0] > 2 * np.bincount(val_codes, minlength=4)[3]


def test_balanced_batches_for_multilabel_and_sample_weight(corpora):
    """Check balanced batches with a multi-label target and sample weights train and predict."""
    X, y = corpora["multilabel"]
    model = tiny(CNNClassifier, balanced_batches=True, epochs=2).fit(X, y, sample_weight=np.ones(len(y)))
    assert model.predict(X).shape == y.shape and model.n_iter_ == 2


def test_loss_object_must_match_the_head(corpora):
    """Check a skltext loss object built for the wrong head is refused, naming the fix."""
    X, y = corpora["multiclass"]
    with pytest.raises(ValueError, match=r"FocalLoss\(multiclass=False\) does not fit a multiclass"):
        tiny(CNNClassifier, loss=FocalLoss()).fit(X, y)
    model = tiny(CNNClassifier, loss=FocalLoss(gamma=1.0, multiclass=True), epochs=1).fit(X, y)
    assert model.model_.loss.gamma == 1.0


@pytest.mark.parametrize("target", ["binary", "multiclass", "multilabel"])
def test_sigmoid_outputs_start_at_their_training_prior(model_class, target, corpora):
    """Check that each sigmoid output's bias starts at the log prior odds of its label (softmax: zero)."""
    X, y = corpora[target]
    # A learning rate too small to move the weights leaves the initial biases in place.
    model = tiny(model_class, epochs=1, learning_rate=1e-12, early_stopping=False).fit(X, y)
    bias = model.model_.get_layer("output").get_weights()[1]
    if target == "multiclass":
        np.testing.assert_allclose(bias, 0.0, atol=1e-6)
        return
    positives = np.asarray(y)[:, None] == "pos" if target == "binary" else np.asarray(y)
    prior = positives.mean(axis=0)
    np.testing.assert_allclose(bias, np.log(prior / (1 - prior)), rtol=1e-4, atol=1e-6)
    # The logit-adjusted loss adds the prior itself, and re-weighted classes have another prior:
    # those outputs start at zero.
    for settings in ({"loss": "logit_adjusted"}, {"class_weight": "balanced"}, {"balanced_batches": True}):
        other = tiny(model_class, epochs=1, learning_rate=1e-12, early_stopping=False, **settings).fit(X, y)
        np.testing.assert_allclose(other.model_.get_layer("output").get_weights()[1], 0.0, atol=1e-6)
