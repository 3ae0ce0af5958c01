"""Tests for skltext.compare: the cross-validation run behind ``skltext compare``."""

import numpy as np
import pytest
from imblearn.pipeline import Pipeline as ImbPipeline
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score
from sklearn.model_selection import StratifiedGroupKFold, cross_validate
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MultiLabelBinarizer

from skltext import CNNClassifier, ThresholdOptimizer
from skltext.compare import ComparisonInterrupted, compare_models, make_cv, make_model, make_scorers, pr_auc_score
from skltext.report import results_table
from skltext.model_selection import MultilabelStratifiedKFold
from skltext.sampling import MultilabelRandomOverSampler

from .conftest import TINY

TINY_CNN = {key: value for key, value in TINY[CNNClassifier].items() if key != "random_state"} | {"epochs": 2}
SCORER_KEYS = {"accuracy": "accuracy", "micro_f1": "f1_micro", "macro_f1": "f1_macro", "pr_auc": "pr_auc"}


def _direct_scores(comparison, texts, y, name, params=None):
    """Scores of one model from scikit-learn's cross_validate on the comparison's folds."""
    model = make_model(name, target_type=comparison.target_type, random_state=0, params=params)
    scoring = make_scorers(comparison.target_type)
    # The first two quality scorers are scikit-learn's own, by name.
    scoring = {metric: (SCORER_KEYS[metric] if metric != "pr_auc" else scorer) for metric, scorer in scoring.items()}
    return cross_validate(model, np.asarray(texts, dtype=object), y, cv=comparison.folds, scoring=scoring)


def test_table_equals_cross_validate_on_the_same_folds(multiclass_corpus):
    """Check every fold score of every model, a deep one included, against cross_validate."""
    texts, y = multiclass_corpus
    params = {"cnn": TINY_CNN}
    comparison = compare_models(texts, y, models=["tfidf-lr", "tfidf-svm", "cnn"], cv=2, model_params=params)
    assert comparison.metrics == ("accuracy", "macro_f1", "pr_auc")
    for name in comparison.models:
        direct = _direct_scores(comparison, texts, y, name, params.get(name))
        for metric in comparison.metrics:
            np.testing.assert_allclose(comparison.fold_scores[name][metric], direct[f"test_{metric}"], rtol=1e-6)
    row = {r["model"]: r for r in comparison.summary()}["tfidf-svm"]
    assert row["macro_f1"] == pytest.approx(np.mean(comparison.fold_scores["tfidf-svm"]["macro_f1"]))
    assert f"{row['macro_f1']:.3f} ± {row['macro_f1_std']:.3f}" in comparison.table()


def test_out_of_fold_predictions_come_from_the_fold_models(multiclass_corpus):
    """Check that each row's out-of-fold prediction and scores are those of the model that did not see it."""
    texts, y = multiclass_corpus
    comparison = compare_models(texts, y, models=["tfidf-lr"], cv=3)
    documents = np.asarray(texts, dtype=object)
    for (train, test), model in zip(comparison.folds, comparison.estimators["tfidf-lr"]):
        assert not np.isin(test, train).any()
        np.testing.assert_array_equal(comparison.oof_predictions["tfidf-lr"][test], model.predict(documents[test]))
        np.testing.assert_allclose(comparison.oof_scores["tfidf-lr"][test], model.predict_proba(documents[test]))
    assert sorted(np.concatenate([test for _, test in comparison.folds]).tolist()) == list(range(len(texts)))
    report = comparison.per_class_report()
    assert set(comparison.classes) <= set(report)


def test_binary_pr_auc_averages_both_classes(binary_corpus):
    """Check the binary PR-AUC (both classes, one-vs-rest) against average_precision_score."""
    texts, y = binary_corpus
    comparison = compare_models(texts, y, models=["tfidf-svm"], cv=3)
    assert comparison.target_type == "binary"
    model = comparison.estimators["tfidf-svm"][0]
    test = comparison.folds[0][1]
    decision = model.decision_function(np.asarray(texts, dtype=object)[test])
    expected = np.mean([average_precision_score(y[test] == "pos", decision),
                        average_precision_score(y[test] == "neg", -decision)])
    assert comparison.fold_scores["tfidf-svm"]["pr_auc"][0] == pytest.approx(expected)
    direct = _direct_scores(comparison, texts, y, "tfidf-svm")
    np.testing.assert_allclose(comparison.fold_scores["tfidf-svm"]["accuracy"], direct["test_accuracy"])


def test_multilabel_from_label_lists(multilabel_corpus):
    """Check that lists of labels become an indicator target, split by iterative stratification."""
    texts, Y = multilabel_corpus
    names = np.array(["w", "x", "y", "z"])
    label_lists = [list(names[row == 1]) for row in Y]
    comparison = compare_models(texts, label_lists, models=["tfidf-lr", "tfidf-svm"], cv=3)
    assert comparison.target_type == "multilabel-indicator" and comparison.metrics[0] == "micro_f1"
    assert isinstance(comparison.cv, MultilabelStratifiedKFold)
    np.testing.assert_array_equal(comparison.classes, names)
    y = MultiLabelBinarizer().fit_transform(label_lists)
    for name in comparison.models:
        direct = _direct_scores(comparison, texts, y, name)
        for metric in comparison.metrics:
            np.testing.assert_allclose(comparison.fold_scores[name][metric], direct[f"test_{metric}"])
    assert comparison.oof_predictions["tfidf-lr"].shape == Y.shape


def test_groups_never_span_train_and_test(multiclass_corpus):
    """Check that grouped CV keeps each group on one side of every fold."""
    texts, y = multiclass_corpus
    groups = np.arange(len(texts)) // 4
    comparison = compare_models(texts, y, models=["tfidf-svm"], cv=3, groups=groups)
    assert isinstance(comparison.cv, StratifiedGroupKFold)
    for train, test in comparison.folds:
        assert not set(groups[train]) & set(groups[test])
    with pytest.raises(ValueError, match="2 groups cannot fill 3 folds"):
        compare_models(texts, y, models=["tfidf-svm"], cv=3, groups=np.arange(len(texts)) % 2)


def test_tuned_thresholds_wrap_every_model(binary_corpus):
    """Check that tune_thresholds fits a ThresholdOptimizer per fold and scores its predictions."""
    texts, y = binary_corpus
    comparison = compare_models(texts, y, models=["tfidf-lr"], cv=3, tune_thresholds=True)
    fitted = comparison.estimators["tfidf-lr"]
    assert all(isinstance(model, ThresholdOptimizer) for model in fitted)
    test = comparison.folds[1][1]
    np.testing.assert_array_equal(comparison.oof_predictions["tfidf-lr"][test],
                                  fitted[1].predict(np.asarray(texts, dtype=object)[test]))
    assert "ThresholdOptimizer" in comparison.settings["tfidf-lr"]


def test_imbalance_remedies_per_model_and_target():
    """Check what each --imbalance choice sets on the deep and the linear models."""
    cnn = make_model("cnn", target_type="multiclass", imbalance="class_weight").named_steps["classifier"]
    assert cnn.class_weight == "balanced_log"
    lstm = make_model("lstm", target_type="multilabel-indicator", imbalance="class_weight")
    assert lstm.named_steps["classifier"].class_weight == "balanced"
    focal = make_model("lstm", target_type="binary", imbalance="focal").named_steps["classifier"]
    assert focal.loss == "focal" and focal.class_weight is None
    linear = make_model("tfidf-svm", target_type="multilabel-indicator", imbalance="focal")
    assert isinstance(linear.named_steps["classifier"], OneVsRestClassifier)
    assert linear.named_steps["classifier"].estimator.class_weight == "balanced"
    sampled = make_model("tfidf-lr", target_type="multilabel-indicator", imbalance="oversample")
    assert isinstance(sampled, ImbPipeline)
    assert isinstance(sampled.named_steps["oversample"], MultilabelRandomOverSampler)
    assert list(sampled.named_steps) == ["tfidf", "oversample", "classifier"]


def test_one_vs_rest_logistic_regressions_use_liblinear():
    """Check that the binary problems of one-vs-rest get liblinear, and multi-class targets keep saga."""
    multilabel = make_model("tfidf-lr+svm", target_type="multilabel-indicator").named_steps["classifier"]
    assert multilabel.estimator.named_estimators["lr"].solver == "liblinear"
    assert make_model("tfidf-lr", target_type="multilabel-indicator").named_steps["classifier"].estimator.solver \
        == "liblinear"
    assert make_model("tfidf-lr", target_type="multiclass").named_steps["classifier"].solver == "saga"


def test_model_params_reach_the_classifier_and_steps():
    """Check that plain names go to the classifier (inside OneVsRest too) and step__name to the step."""
    model = make_model("tfidf-svm", target_type="multilabel-indicator", params={"C": 0.5, "tfidf__min_df": 2})
    assert model.named_steps["classifier"].estimator.C == 0.5 and model.named_steps["tfidf"].min_df == 2
    with pytest.raises(ValueError, match="'cnn'.*untis"):
        make_model("cnn", target_type="binary", params={"untis": 3}).fit(["a b", "c d"] * 5, [0, 1] * 5)


def test_make_cv_choices():
    """Check the splitter chosen for each target and grouping."""
    assert type(make_cv("binary", grouped=True)).__name__ == "StratifiedGroupKFold"
    assert type(make_cv("multilabel-indicator", grouped=True)).__name__ == "GroupKFold"
    assert isinstance(make_cv("multilabel-indicator"), MultilabelStratifiedKFold)
    assert make_cv("multiclass", n_splits=4, random_state=3).get_n_splits() == 4


@pytest.mark.parametrize(
    "y, match",
    [(["a"] * 10, "only one class"), (np.linspace(0, 1, 10), "continuous"), (["a", "b"] * 4, "8 labels")],
)
def test_bad_targets_are_refused(y, match):
    """Check the messages for one class, continuous values and a length mismatch."""
    with pytest.raises(ValueError, match=match):
        compare_models(["some text"] * 10, y, models=["tfidf-lr"], cv=2)


def test_unknown_models_are_refused():
    """Check that unknown names, in models or model_params, are refused with the choices."""
    with pytest.raises(ValueError, match="Unknown model 'bert'.*tfidf-lr"):
        compare_models(["a b", "c d"] * 5, [0, 1] * 5, models=["bert"], cv=2)
    with pytest.raises(ValueError, match="not compared"):
        compare_models(["a b", "c d"] * 5, [0, 1] * 5, models=["tfidf-lr"], cv=2, model_params={"cnn": {}})


def test_pr_auc_score_skips_absent_classes():
    """Check that a class without positives in y_true does not count."""
    scores = np.array([[0.9, 0.1, 0.0], [0.2, 0.8, 0.0], [0.6, 0.3, 0.1]])
    assert pr_auc_score(["a", "b", "a"], scores, classes=["a", "b", "c"]) == pytest.approx(
        np.mean([average_precision_score([1, 0, 1], scores[:, 0]), average_precision_score([0, 1, 0], scores[:, 1])]))
    with pytest.raises(ValueError, match="one column per class"):
        pr_auc_score(["a", "b"], [[0.1], [0.2]])


def _one_document_class():
    """Three classes, one of them a single document: some training folds see only two classes."""
    texts = [("alpha apple" if i % 2 else "beta banana") + f" note {i}" for i in range(30)] + ["gamma cherry"]
    return texts, np.array(["a" if i % 2 else "b" for i in range(30)] + ["c"])


@pytest.mark.parametrize("tune_thresholds", [False, True], ids=["plain", "tuned"])
@pytest.mark.parametrize("name", ["tfidf-lr", "tfidf-svm"])
def test_class_missing_from_a_training_fold(name, tune_thresholds):
    """Check that a training fold without the rarest class (1-D decision scores) is scored, with
    and without tuned thresholds, and that the fold scores equal the scorers' own."""
    texts, y = _one_document_class()
    comparison = compare_models(texts, y, models=[name], cv=3, tune_thresholds=tune_thresholds)
    scores = comparison.fold_scores[name]
    assert np.isfinite(scores["pr_auc"]).all() and np.isfinite(scores["macro_f1"]).all()
    # Classes a fold never trained on keep NaN scores; the others are filled for every document.
    assert np.isfinite(comparison.oof_scores[name][:, :2]).all()
    model = make_model(name, target_type="multiclass", random_state=0)
    if tune_thresholds:
        model = ThresholdOptimizer(model, cv=3)
    direct = cross_validate(model, np.asarray(texts, dtype=object), y, cv=comparison.folds,
                            scoring={"pr_auc": make_scorers("multiclass")["pr_auc"]}, error_score="raise")
    np.testing.assert_allclose(scores["pr_auc"], direct["test_pr_auc"], rtol=1e-6)


@pytest.mark.estimator
def test_class_missing_from_a_training_fold_deep_model():
    """Check the same with a deep model, whose training fold without the rare class is binary."""
    texts, y = _one_document_class()
    comparison = compare_models(texts, y, models=["cnn"], cv=3, tune_thresholds=True,
                                model_params={"cnn": TINY_CNN | {"epochs": 1}})
    assert np.isfinite(comparison.fold_scores["cnn"]["pr_auc"]).all()


class _CountingLogistic(ClassifierMixin, BaseEstimator):
    """Logistic regression that counts its predict and predict_proba calls, and can stop on a given fit."""

    calls = {"fit": 0, "predict": 0, "predict_proba": 0}
    interrupt_at = None  # the fit (counted from 1) that raises KeyboardInterrupt, as Ctrl-C would

    def fit(self, X, y):
        _CountingLogistic.calls["fit"] += 1
        if _CountingLogistic.calls["fit"] == _CountingLogistic.interrupt_at:
            raise KeyboardInterrupt
        self.model_ = LogisticRegression().fit(X, y)
        self.classes_ = self.model_.classes_
        return self

    def predict(self, X):
        _CountingLogistic.calls["predict"] += 1
        return self.model_.predict(X)

    def predict_proba(self, X):
        _CountingLogistic.calls["predict_proba"] += 1
        return self.model_.predict_proba(X)


@pytest.fixture
def counting():
    _CountingLogistic.calls.update(fit=0, predict=0, predict_proba=0)
    _CountingLogistic.interrupt_at = None
    yield _CountingLogistic
    _CountingLogistic.interrupt_at = None


def test_each_test_fold_is_scored_once(multiclass_corpus, counting):
    """Check one predict and one predict_proba per fold, from which the metrics and out-of-fold results come."""
    texts, y = multiclass_corpus
    model = make_pipeline(TfidfVectorizer(), counting())
    comparison = compare_models(texts, y, models=[("counted", model)], cv=3)
    assert counting.calls == {"fit": 3, "predict": 3, "predict_proba": 3}
    direct = cross_validate(model, np.asarray(texts, dtype=object), y, cv=comparison.folds,
                            scoring={"pr_auc": make_scorers("multiclass")["pr_auc"], "accuracy": "accuracy"})
    np.testing.assert_allclose(comparison.fold_scores["counted"]["pr_auc"], direct["test_pr_auc"])
    np.testing.assert_allclose(comparison.fold_scores["counted"]["accuracy"], direct["test_accuracy"])


def test_ctrl_c_keeps_the_models_that_finished(multiclass_corpus, counting):
    """Check that a KeyboardInterrupt in a fit raises ComparisonInterrupted with the finished models."""
    texts, y = multiclass_corpus
    counting.interrupt_at = 5  # the second fold of the second model
    models = [("first", make_pipeline(TfidfVectorizer(), counting())),
              ("second", make_pipeline(TfidfVectorizer(), counting()))]
    with pytest.raises(ComparisonInterrupted, match="interrupted after 4 of 6 fits") as stop:
        compare_models(texts, y, models=models, cv=3, progress=True)
    assert (stop.value.n_fits, stop.value.n_total) == (4, 6)
    partial = stop.value.comparison
    assert partial.models == ["first"] and list(partial.settings) == ["first"]
    assert partial.oof_predictions["first"].shape == (len(texts),)
    with pytest.raises(ComparisonInterrupted) as stop:
        counting.calls["fit"], counting.interrupt_at = 0, 1
        compare_models(texts, y, models=models, cv=3)
    assert stop.value.comparison is None and stop.value.n_fits == 0


def test_n_jobs_fits_the_linear_folds_in_parallel_with_the_same_results(multiclass_corpus):
    """Check that n_jobs changes nothing in the results of the TF-IDF baselines, with a progress bar too."""
    texts, y = multiclass_corpus
    one = compare_models(texts, y, models=["tfidf-svm"], cv=3)
    # The progress bar does not pickle: it must stay out of the worker processes.
    two = compare_models(texts, y, models=["tfidf-svm"], cv=3, n_jobs=2, progress=True)
    for metric in one.metrics:
        np.testing.assert_allclose(two.fold_scores["tfidf-svm"][metric], one.fold_scores["tfidf-svm"][metric])
    np.testing.assert_allclose(two.oof_scores["tfidf-svm"], one.oof_scores["tfidf-svm"])


def test_table_is_the_report_table(multiclass_corpus):
    """Check that Comparison.table renders with skltext.report.results_table, bold on the best scores."""
    texts, y = multiclass_corpus
    comparison = compare_models(texts, y, models=["tfidf-lr", "tfidf-svm"], cv=2)
    table = comparison.table()
    assert table == results_table(comparison)
    assert table.splitlines()[0] == "| model | accuracy | macro-F1 | PR-AUC | fit s | predict s |"
    assert table.count("**") == 2 * len(comparison.metrics)
