"""DeepLinearClassifier: the soft vote of a deep model and a TF-IDF linear model."""

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.ensemble import VotingClassifier
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.svm import LinearSVC

from skltext import NgramClassifier, TextTokenizer, ThresholdOptimizer
from skltext._recipes import LINEAR_VOTE
from skltext.calibration import TemperatureCalibratedClassifier
from skltext.compare import make_model
from skltext.ensemble import DeepLinearClassifier

pytestmark = pytest.mark.estimator


def _deep():
    return make_pipeline(TextTokenizer(max_len=12), NgramClassifier(embedding_dim=8, epochs=3, random_state=0))


@pytest.mark.parametrize("corpus", ["binary_corpus", "multiclass_corpus", "multilabel_corpus"])
def test_probabilities_are_the_weighted_average_of_both_models(corpus, request):
    """Check that predict_proba is deep_weight * deep + (1 - deep_weight) * linear, each fitted alone."""
    texts, y = request.getfixturevalue(corpus)
    multilabel = np.ndim(y) == 2
    model = DeepLinearClassifier(_deep(), deep_weight=0.3, prior_power=0, random_state=0).fit(texts, y)
    deep = clone(_deep()).fit(texts, y)
    target_type = "multilabel-indicator" if multilabel else ("binary" if len(np.unique(y)) == 2 else "multiclass")
    linear = make_model(LINEAR_VOTE, target_type=target_type, random_state=0).fit(texts, y)
    expected = 0.3 * deep.predict_proba(texts) + 0.7 * linear.predict_proba(texts)
    np.testing.assert_allclose(model.predict_proba(texts), expected, rtol=1e-5, atol=1e-6)
    predicted = model.predict(texts)
    if multilabel:
        assert predicted.shape == np.shape(y) and set(np.unique(predicted)) <= {0, 1}
    else:
        np.testing.assert_array_equal(predicted, model.classes_[expected.argmax(axis=1)])
        np.testing.assert_allclose(model.predict_proba(texts).sum(axis=1), 1.0, rtol=1e-6)


def test_default_models_vote_in_equal_thirds(multiclass_corpus):
    """Check the defaults: the n-gram pipeline, and the soft vote of a logistic regression and a
    temperature-calibrated LinearSVC on one TF-IDF, each model with a third of the vote."""
    texts, y = multiclass_corpus
    model = DeepLinearClassifier(random_state=0, prior_power=0).fit(texts, y)
    assert isinstance(model.deep_.steps[-1][1], NgramClassifier)
    assert model.deep_.steps[-1][1].random_state == 0
    vote = model.linear_.named_steps["classifier"]
    assert isinstance(vote, VotingClassifier) and vote.voting == "soft"
    logistic, svm = vote.estimators_
    assert isinstance(svm, TemperatureCalibratedClassifier) and isinstance(svm.estimator_, LinearSVC)
    assert model.deep_weight_ == pytest.approx(1 / 3)
    features = model.linear_.named_steps["tfidf"].transform(texts)
    expected = (model.deep_.predict_proba(texts) + logistic.predict_proba(features) + svm.predict_proba(features)) / 3
    np.testing.assert_allclose(model.predict_proba(texts), expected, rtol=1e-5, atol=1e-6)


def test_auto_deep_weight_is_one_half_with_a_linear_model_given(binary_corpus):
    texts, y = binary_corpus
    deep, linear = _linear_pair()
    assert DeepLinearClassifier(deep, linear).fit(texts, y).deep_weight_ == 0.5
    assert DeepLinearClassifier(deep, linear, deep_weight=0.2).fit(texts, y).deep_weight_ == 0.2


def test_works_in_cross_validation_and_threshold_tuning(multiclass_corpus):
    texts, y = multiclass_corpus
    scores = cross_val_score(DeepLinearClassifier(_deep(), random_state=0), texts, y, cv=2, scoring="f1_macro")
    assert scores.shape == (2,) and (scores > 0.3).all()
    tuned = ThresholdOptimizer(DeepLinearClassifier(_deep(), random_state=0), cv=2, random_state=0).fit(texts, y)
    # The out-of-fold scores are the combination's probabilities: rows sum to 1.
    np.testing.assert_allclose(tuned.oof_scores_.sum(axis=1), 1.0)
    assert tuned.best_score_ >= tuned.default_score_
    assert set(tuned.predict(texts[:20])) <= set(np.unique(y))


def test_linear_model_without_probabilities_is_refused(binary_corpus):
    texts, y = binary_corpus
    with pytest.raises(ValueError, match="linear"):
        DeepLinearClassifier(_deep(), make_pipeline(TfidfVectorizer(), LinearSVC())).fit(texts, y)


def test_compare_knows_the_combination(multiclass_corpus):
    """Check that 'ngram+tfidf' is a compare model with the remedy on every model and nested params."""
    model = make_model("ngram+tfidf", target_type="multiclass", random_state=0)
    assert isinstance(model, DeepLinearClassifier) and model.deep_weight == pytest.approx(1 / 3)
    model = make_model("ngram+tfidf", target_type="multiclass", imbalance="class_weight", random_state=0,
                       params={"deep_weight": 0.3, "deep__classifier__epochs": 2})
    assert isinstance(model, DeepLinearClassifier) and model.deep_weight == 0.3
    assert model.deep.named_steps["classifier"].epochs == 2
    assert model.deep.named_steps["classifier"].class_weight == "balanced_log"
    logistic, svm = (estimator for _, estimator in model.linear.named_steps["classifier"].estimators)
    assert logistic.class_weight == "balanced" and svm.estimator.class_weight == "balanced"
    with pytest.raises(ValueError, match="ngram\\+tfidf"):
        make_model("ngram+tfidf", target_type="multiclass", params={"no_such": 1})


def _linear_pair():
    """Two fast probabilistic text models standing in for the deep and the linear one."""
    from sklearn.linear_model import LogisticRegression

    return (make_pipeline(TfidfVectorizer(), LogisticRegression(C=0.5)),
            make_pipeline(TfidfVectorizer(ngram_range=(1, 2)), LogisticRegression(C=2.0)))


def test_prior_power_divides_the_average_by_the_class_frequencies():
    """Check that prior_power divides the averaged probabilities by prior ** power and renormalises,
    that 0 keeps the plain average, and that a rare class is predicted more often as the power grows."""
    rng = np.random.default_rng(0)
    words = {"a": "alpha shared", "b": "beta shared", "c": "gamma shared"}
    y = np.array(["a"] * 60 + ["b"] * 25 + ["c"] * 5)
    texts = [f"{words[label]} {' '.join(rng.choice(['x', 'y', 'z', 'alpha', 'beta', 'gamma'], 3))}" for label in y]
    deep, linear = _linear_pair()
    plain = DeepLinearClassifier(deep, linear, prior_power=0).fit(texts, y)
    adjusted = DeepLinearClassifier(deep, linear, prior_power=0.5).fit(texts, y)
    np.testing.assert_allclose(adjusted.class_prior_, [60 / 90, 25 / 90, 5 / 90])
    average = 0.5 * plain.deep_.predict_proba(texts) + 0.5 * plain.linear_.predict_proba(texts)
    np.testing.assert_allclose(plain.predict_proba(texts), average)
    expected = average / adjusted.class_prior_ ** 0.5
    np.testing.assert_allclose(adjusted.predict_proba(texts), expected / expected.sum(axis=1, keepdims=True))
    rare = [np.sum(DeepLinearClassifier(deep, linear, prior_power=power).fit(texts, y).predict(texts) == "c")
            for power in (0.0, 1.0, 3.0)]
    assert rare[0] <= rare[1] <= rare[2] and rare[2] > rare[0]


def test_prior_power_leaves_multilabel_targets_alone(multilabel_corpus):
    """Check that a multi-label fit has no class prior and the plain average, whatever prior_power."""
    texts, y = multilabel_corpus
    deep, linear = _linear_pair()
    from sklearn.multiclass import OneVsRestClassifier

    deep, linear = (make_pipeline(model[0], OneVsRestClassifier(model[1])) for model in (deep, linear))
    plain = DeepLinearClassifier(deep, linear, prior_power=0).fit(texts, y)
    adjusted = DeepLinearClassifier(deep, linear, prior_power=1.0).fit(texts, y)
    assert adjusted.class_prior_ is None
    np.testing.assert_allclose(adjusted.predict_proba(texts), plain.predict_proba(texts))


def test_negative_prior_power_is_refused(binary_corpus):
    texts, y = binary_corpus
    deep, linear = _linear_pair()
    with pytest.raises(ValueError, match="prior_power"):
        DeepLinearClassifier(deep, linear, prior_power=-0.5).fit(texts, y)


def test_default_linear_vote_round_trips_through_save_model(tmp_path, multiclass_corpus):
    """Check that save_model stores the default linear vote (VotingClassifier, its LabelEncoder and
    named_estimators_, the calibrated LinearSVC) and the loaded model gives the same probabilities."""
    from skltext import load_model, save_model

    texts, y = multiclass_corpus
    model = DeepLinearClassifier(_deep(), random_state=0).fit(texts, y)
    save_model(model, tmp_path)
    loaded = load_model(tmp_path)
    np.testing.assert_allclose(loaded.predict_proba(texts), model.predict_proba(texts), rtol=1e-5, atol=1e-6)
    vote = loaded.linear_.named_steps["classifier"]
    assert vote.named_estimators_.svm.temperature_ == model.linear_.named_steps["classifier"].estimators_[1].temperature_
