"""Tests for skltext.plotting."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import f1_score, precision_score, recall_score  # noqa: E402
from sklearn.multiclass import OneVsRestClassifier  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402

from skltext import CNNClassifier, TextTokenizer, ThresholdOptimizer  # noqa: E402
from skltext.plotting import (  # noqa: E402
    ThresholdCurveDisplay,
    plot_confusion_matrix,
    plot_history,
    plot_per_class_f1,
    plot_precision_recall,
)

from .conftest import tiny  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def fitted_pipeline(binary_corpus):
    texts, y = binary_corpus
    return make_pipeline(TextTokenizer(), tiny(CNNClassifier)).fit(texts, y)


def test_plot_history_draws_training_and_validation(fitted_pipeline):
    """Check the curves of a pipeline: the history's values, one dashed validation line, the best epoch."""
    model = fitted_pipeline[-1]
    ax = plot_history(fitted_pipeline)
    training, validation, best = ax.get_lines()
    np.testing.assert_allclose(training.get_ydata(), model.history_["loss"])
    np.testing.assert_allclose(validation.get_ydata(), model.history_["val_loss"])
    assert validation.get_linestyle() == "--"
    assert best.get_xdata()[0] == model.best_epoch_


def test_plot_history_unwraps_a_threshold_optimizer_and_lists(binary_corpus, fitted_pipeline):
    """Check a ThresholdOptimizer around a pipeline and a list of fitted models (one pair of curves each)."""
    texts, y = binary_corpus
    tuned = ThresholdOptimizer(make_pipeline(TextTokenizer(), tiny(CNNClassifier, epochs=2)), cv=0.3,
                               random_state=0).fit(texts, y)
    ax = plot_history(tuned)
    np.testing.assert_allclose(ax.get_lines()[0].get_ydata(), tuned.estimator_[-1].history_["loss"])
    labels = [line.get_label() for line in plot_history([fitted_pipeline, tuned]).get_lines()]
    assert "fold 1 training" in labels and "fold 2 validation" in labels


def test_plot_history_refuses_models_without_history(binary_corpus):
    """Check the message for a model that has no training history."""
    texts, y = binary_corpus
    model = make_pipeline(TfidfVectorizer(), LogisticRegression()).fit(texts, y)
    with pytest.raises(ValueError, match="LogisticRegression has no training history"):
        plot_history(model)
    with pytest.raises(ValueError, match="no 'auc'"):
        plot_history(make_pipeline(TextTokenizer(), tiny(CNNClassifier, epochs=1)).fit(texts, y), metric="auc")


def test_per_class_f1_bars_equal_f1_scores():
    """Check that the bar heights are the per-class F1 of each model, in class order."""
    y = np.array(["a", "b", "c", "a", "b", "c", "a"])
    predictions = {"m1": np.array(["a", "b", "b", "a", "c", "c", "a"]), "m2": np.array(["a"] * 7)}
    ax = plot_per_class_f1(y, predictions)
    heights = [patch.get_height() for patch in ax.patches]
    expected = np.concatenate([f1_score(y, p, average=None, labels=["a", "b", "c"], zero_division=0)
                               for p in predictions.values()])
    np.testing.assert_allclose(heights, expected)


def test_precision_recall_marks_the_operating_points():
    """Check one curve per class and a marker at the predictions' recall and precision (multi-label)."""
    rng = np.random.RandomState(0)
    Y = rng.randint(0, 2, size=(60, 3))
    scores = np.clip(Y * 0.4 + rng.rand(60, 3) * 0.6, 0, 1)
    predicted = (scores >= 0.5).astype(int)
    ax = plot_precision_recall(Y, scores, classes=["x", "y", "z"], y_pred=predicted)
    lines = ax.get_lines()
    assert len(lines) == 6
    for k, marker in enumerate(lines[1::2]):
        assert marker.get_xdata()[0] == pytest.approx(recall_score(Y[:, k], predicted[:, k]))
        assert marker.get_ydata()[0] == pytest.approx(precision_score(Y[:, k], predicted[:, k]))
    assert "x (n=" in ax.get_legend().get_texts()[0].get_text()
    with pytest.raises(ValueError, match="one column per class"):
        plot_precision_recall(Y, scores[:, :2])


def test_precision_recall_keeps_the_rarest_classes():
    """Check that with more classes than max_curves the rarest are drawn."""
    y = np.array(["a"] * 10 + ["b"] * 2 + ["c"] * 5)
    scores = np.eye(3)[np.searchsorted(["a", "b", "c"], y)] * 0.5 + 0.25
    ax = plot_precision_recall(y, scores, max_curves=2)
    assert [text.get_text().split(" ")[0] for text in ax.get_legend().get_texts()] == ["b", "c"]


def test_confusion_matrix_rows_are_normalised():
    """Check the normalised matrix and the refusal of multi-label targets."""
    ax = plot_confusion_matrix(["a", "a", "b", "b"], ["a", "b", "b", "b"])
    image = ax.get_images()[0].get_array()
    np.testing.assert_allclose(image, [[0.5, 0.5], [0.0, 1.0]])
    with pytest.raises(ValueError, match="multilabel_confusion_matrix"):
        plot_confusion_matrix(np.eye(3), np.eye(3))


def test_threshold_curve_display_draws_each_curve_and_its_best_point():
    """Check ThresholdCurveDisplay.from_estimator on a multi-label ThresholdOptimizer: one line and
    one best-point marker per label, a subset of labels, the axes given, and plot_curves' axes."""
    rng = np.random.RandomState(0)
    Y = rng.randint(0, 2, size=(90, 3))
    X = np.clip(Y * 0.4 + rng.rand(90, 3) * 0.6, 0, 1)
    tuned = ThresholdOptimizer(OneVsRestClassifier(LogisticRegression()), cv=3).fit(X, Y)
    display = ThresholdCurveDisplay.from_estimator(tuned)
    assert len(display.lines_) == len(display.markers_) == 3
    for key, line, marker in zip(tuned.curves_, display.lines_, display.markers_):
        cutoffs, values = tuned.curves_[key]
        np.testing.assert_array_equal(line.get_xdata(), cutoffs)
        assert marker.get_ydata()[0] == values.max()
    assert display.ax_.get_xlabel() == "threshold" and display.figure_ is display.ax_.figure
    _, ax = plt.subplots()
    assert ThresholdCurveDisplay.from_estimator(tuned, labels=[2], ax=ax).ax_ is ax
    assert len(ax.get_lines()) == 2 and ax.get_lines()[0].get_label() == "2"
    assert len(tuned.plot_curves(labels=[0, 1]).get_lines()) == 4


def test_threshold_curve_display_labels_offsets_and_tau():
    """Check the x-axis label of multi-class offsets and of the prior adjustment's tau."""
    X = np.random.RandomState(0).normal(size=(90, 2))
    y = np.digitize(X[:, 0], [-0.5, 0.5])
    offsets = ThresholdOptimizer(LogisticRegression(), cv=3).fit(X, y)
    assert ThresholdCurveDisplay.from_estimator(offsets).ax_.get_xlabel() == "class offset"
    prior = ThresholdOptimizer(LogisticRegression(), class_adjustment="prior", cv=3).fit(X, y)
    display = ThresholdCurveDisplay.from_estimator(prior)
    assert display.ax_.get_xlabel() == "tau" and len(display.lines_) == 1
