"""Tests of ThresholdOptimizer: binary, multi-label and multi-class threshold tuning."""

import functools
import pickle

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.datasets import make_classification
from sklearn.ensemble import RandomForestClassifier
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn import config_context
from sklearn.metrics import (
    balanced_accuracy_score,
    f1_score,
    fbeta_score,
    make_scorer,
    matthews_corrcoef,
    roc_auc_score,
)
from sklearn.model_selection import (
    GridSearchCV,
    GroupKFold,
    KFold,
    StratifiedKFold,
    TunedThresholdClassifierCV,
    cross_val_score,
)
from sklearn.multiclass import OneVsRestClassifier
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.svm import LinearSVC
from sklearn.utils.estimator_checks import parametrize_with_checks

from skltext import CNNClassifier, TextTokenizer
from skltext.thresholds import ThresholdOptimizer

from .conftest import tiny

# ----------------------------------------------------------------------------- helpers


class ScoresAsFeatures(ClassifierMixin, BaseEstimator):
    """A multi-label 'model' whose predict_proba returns X: the features are the scores.

    Training does nothing, so the out-of-fold scores equal X and the optimal
    thresholds can be worked out by hand.
    """

    def fit(self, X, y):
        self.classes_ = np.arange(np.asarray(y).shape[1])
        return self

    def predict_proba(self, X):
        return np.asarray(X, dtype=float)


LOG = []


def _unseen_score(ids):
    """A fixed pseudo-random score per row id, for rows a Memorizer was not fitted on."""
    return (np.asarray(ids) * 2654435761 % 1000) / 1000


class Memorizer(ClassifierMixin, BaseEstimator):
    """Binary model that scores its training rows perfectly (1.0 or 0.0) and others by id.

    X is a column of row ids. Every fit and predict is logged, with the ids.
    """

    def fit(self, X, y):
        ids = np.asarray(X)[:, 0].astype(int)
        self.memory_ = dict(zip(ids.tolist(), np.asarray(y).tolist()))
        self.classes_ = np.unique(y)
        LOG.append(("fit", id(self), set(ids.tolist())))
        return self

    def predict_proba(self, X):
        ids = np.asarray(X)[:, 0].astype(int)
        LOG.append(("predict", id(self), set(ids.tolist())))
        seen = np.array([i in self.memory_ for i in ids.tolist()])
        memory = np.array([float(self.memory_.get(i, 0)) for i in ids.tolist()])
        p = np.where(seen, memory, _unseen_score(ids))
        return np.column_stack([1 - p, p])


class PredictOnly(ClassifierMixin, BaseEstimator):
    def fit(self, X, y):
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        return np.full(len(X), self.classes_[0])


def _binary_data(seed=0, n=1500):
    X, y = make_classification(n, weights=[0.85, 0.15], class_sep=0.5, flip_y=0.05, random_state=seed)
    return X[:1000], X[1000:], y[:1000], y[1000:]


def _separable_scores(rng, n, cutoffs):
    """Scores and labels where label l is positive exactly when its score is >= cutoffs[l]."""
    scores = rng.random((n, len(cutoffs)))
    return scores, (scores >= np.asarray(cutoffs)).astype(int)


# --------------------------------------------------------------- scikit-learn API


def _expected_failed_checks(estimator):
    return {
        "check_classifiers_train": (
            "the check requires predict to equal decision_function > 0; a tuned threshold changes exactly "
            "that (scikit-learn expects the same failure of TunedThresholdClassifierCV)"
        ),
        "check_classifiers_one_label_sample_weights": (
            "sample_weight goes to the inner estimator's fit, but thresholds are chosen on unweighted "
            "out-of-fold scores, where the class whose weights are all zero still counts"
        ),
    }


@parametrize_with_checks([ThresholdOptimizer(LogisticRegression(), cv=3)],
                         expected_failed_checks=_expected_failed_checks)
def test_scikit_learn_estimator_checks(estimator, check):
    """Check that ThresholdOptimizer passes scikit-learn's estimator checks."""
    check(estimator)


def test_clone_params_grid_search_nested_cv_and_pickle():
    """Check get/set_params routing to the inner estimator, GridSearchCV over its parameters,
    cross_val_score around the optimizer (nested CV) and pickling."""
    X_train, X_test, y_train, _ = _binary_data()
    model = ThresholdOptimizer(LogisticRegression(C=1.0), cv=3)
    assert model.get_params()["estimator__C"] == 1.0
    model.set_params(estimator__C=0.5)
    assert model.estimator.C == 0.5
    assert clone(model).get_params()["estimator__C"] == 0.5
    search = GridSearchCV(model, {"estimator__C": [0.01, 1.0]}, cv=3, scoring="f1").fit(X_train, y_train)
    assert search.best_estimator_.estimator_.C in (0.01, 1.0)
    assert hasattr(search.best_estimator_, "best_threshold_")
    scores = cross_val_score(model, X_train, y_train, cv=3, scoring="f1")
    assert scores.shape == (3,) and scores.min() > 0.3
    model.fit(X_train, y_train)
    restored = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(restored.predict(X_test), model.predict(X_test))
    np.testing.assert_array_equal(model.predict_proba(X_test), model.estimator_.predict_proba(X_test))
    np.testing.assert_array_equal(model.classes_, [0, 1])
    assert model.n_features_in_ == X_train.shape[1]


# ------------------------------------------------------------------------ binary


def test_binary_agrees_with_tuned_threshold_classifier_on_one_split():
    """Check that on the same held-out scores and the same candidates (every distinct score),
    the threshold and score equal those of TunedThresholdClassifierCV."""
    X_train, X_test, y_train, y_test = _binary_data(seed=1)
    fitted = LogisticRegression().fit(X_train, y_train)
    ours = ThresholdOptimizer(fitted, cv="prefit", refit=False).fit(X_test, y_test)
    candidates = np.unique(fitted.predict_proba(X_test)[:, 1])
    theirs = TunedThresholdClassifierCV(fitted, scoring="f1", cv="prefit", refit=False,
                                        thresholds=candidates).fit(X_test, y_test)
    assert ours.best_threshold_ == theirs.best_threshold_
    assert ours.best_score_ == pytest.approx(theirs.best_score_, abs=1e-12)
    assert ours.estimator_ is fitted


@pytest.mark.parametrize("seed", [0, 3])
def test_binary_agrees_with_tuned_threshold_classifier_on_folds(seed):
    """Check that with the same 5 folds, the threshold is within 0.02 of TunedThresholdClassifierCV's,
    scores at least as well on the pooled out-of-fold scores, nearly as well on its averaged curve,
    and about as well on test data (it pools the folds, scikit-learn averages per-fold curves)."""
    X_train, X_test, y_train, y_test = _binary_data(seed)
    cv = StratifiedKFold(5, shuffle=True, random_state=seed)
    ours = ThresholdOptimizer(LogisticRegression(), cv=cv).fit(X_train, y_train)
    theirs = TunedThresholdClassifierCV(LogisticRegression(), scoring="f1", cv=cv,
                                        store_cv_results=True).fit(X_train, y_train)
    assert abs(ours.best_threshold_ - theirs.best_threshold_) < 0.02
    pooled_theirs = f1_score(y_train[ours.oof_indices_], ours.oof_scores_ >= theirs.best_threshold_)
    assert pooled_theirs <= ours.best_score_ + 1e-12
    assert ours.best_score_ - pooled_theirs < 0.01
    their_curve_at_ours = np.interp(ours.best_threshold_, theirs.cv_results_["thresholds"],
                                    theirs.cv_results_["scores"])
    assert theirs.best_score_ - their_curve_at_ours < 0.01
    assert abs(f1_score(y_test, ours.predict(X_test)) - f1_score(y_test, theirs.predict(X_test))) < 0.02
    # and tuning helps: out of fold and on the test set
    assert ours.best_score_ > ours.default_score_ + 0.05
    default = LogisticRegression().fit(X_train, y_train).predict(X_test)
    assert f1_score(y_test, ours.predict(X_test)) > f1_score(y_test, default)


def test_binary_counts_match_calling_the_metric():
    """Check that the count-based fast path picks the same threshold as calling the metric at
    every candidate, for F1, F2 (a partial of fbeta_score against a lambda and a make_scorer
    object, which is called through the scorer protocol) and balanced accuracy."""
    X_train, _, y_train, _ = _binary_data(seed=2, n=1400)
    X_train, y_train = X_train[:400], y_train[:400]
    for fast, slow in [
        ("f1", f1_score),
        (functools.partial(fbeta_score, beta=2), lambda a, b: fbeta_score(a, b, beta=2)),
        (functools.partial(fbeta_score, beta=2), make_scorer(fbeta_score, beta=2)),
        ("balanced_accuracy", balanced_accuracy_score),
    ]:
        a = ThresholdOptimizer(LogisticRegression(), scoring=fast).fit(X_train, y_train)
        b = ThresholdOptimizer(LogisticRegression(), scoring=slow, max_candidates=5000).fit(X_train, y_train)
        assert a.best_threshold_ == b.best_threshold_
        assert a.best_score_ == pytest.approx(b.best_score_, abs=1e-12)


def test_binary_string_labels_and_decision_function():
    """Check string labels with the default F1 (positive class = classes_[1]), a metric naming
    the other class, and decision_function scores with a default threshold of 0. A make_scorer
    object naming the other class (scikit-learn has no public way to read it) thresholds
    classes_[1] instead, with the same out-of-fold score."""
    X_train, X_test, y_train, _ = _binary_data(seed=4)
    labels = np.array(["neg", "pos"])
    model = ThresholdOptimizer(LinearSVC()).fit(X_train, labels[y_train])
    assert model.response_method_ == "decision_function" and model.default_threshold_ == 0.0
    assert model.pos_label_ == "pos"
    assert set(model.predict(X_test)) <= {"neg", "pos"}
    np.testing.assert_array_equal(model.decision_function(X_test), model.estimator_.decision_function(X_test))
    assert not hasattr(model, "predict_proba")
    flipped = ThresholdOptimizer(LinearSVC(), scoring=functools.partial(f1_score, pos_label="neg"))
    flipped.fit(X_train, labels[y_train])
    assert flipped.pos_label_ == "neg"
    predicted = flipped.predict(X_test)
    negative_score = -flipped.decision_function(X_test)
    np.testing.assert_array_equal(predicted == "neg", negative_score >= flipped.best_threshold_)
    scorer = ThresholdOptimizer(LinearSVC(), scoring=make_scorer(f1_score, pos_label="neg"), max_candidates=5000)
    scorer.fit(X_train, labels[y_train])
    assert scorer.pos_label_ == "pos"
    assert scorer.best_score_ == pytest.approx(flipped.best_score_, abs=1e-12)
    np.testing.assert_array_equal(scorer.predict(X_test), predicted)


# --------------------------------------------------------------------- no leakage


def test_thresholds_come_only_from_out_of_fold_scores():
    """Check with a model that memorises its training rows that no fold model scores a row it
    was fitted on, that the thresholds are chosen on the unseen-row scores only, and that the
    refitted model sees all rows but scores none during fit."""
    rng = np.random.default_rng(0)
    n = 200
    X = np.arange(n).reshape(-1, 1)
    y = (rng.random(n) < 0.3).astype(int)
    LOG.clear()
    model = ThresholdOptimizer(Memorizer(), cv=4).fit(X, y)
    fits = {owner: rows for kind, owner, rows in LOG if kind == "fit"}
    predictions = [(owner, rows) for kind, owner, rows in LOG if kind == "predict"]
    assert len(predictions) == 4
    for owner, rows in predictions:
        assert not rows & fits[owner]
    assert fits[id(model.estimator_)] == set(range(n))
    assert id(model.estimator_) not in {owner for owner, _ in predictions}
    np.testing.assert_allclose(model.oof_scores_, _unseen_score(np.arange(n)))
    # in-sample (memorised) scores would give a perfect F1 at any threshold in (0, 1]
    assert model.best_score_ < 0.7
    unseen = _unseen_score(np.arange(n))
    brute = max(f1_score(y, unseen >= t) for t in np.unique(unseen))
    assert model.best_score_ == pytest.approx(brute, abs=1e-12)
    assert f1_score(y, unseen >= model.best_threshold_) == pytest.approx(brute, abs=1e-12)


# ------------------------------------------------------------------- multi-label


def test_multilabel_recovers_known_thresholds():
    """Check that labels separable at 0.2, 0.5 and 0.8 get thresholds between their largest
    negative and smallest positive score, and predict fresh data almost perfectly where the
    default 0.5 does not."""
    rng = np.random.default_rng(0)
    cutoffs = [0.2, 0.5, 0.8]
    X, Y = _separable_scores(rng, 600, cutoffs)
    model = ThresholdOptimizer(ScoresAsFeatures()).fit(X, Y)
    for label in range(3):
        largest_negative = X[Y[:, label] == 0, label].max()
        smallest_positive = X[Y[:, label] == 1, label].min()
        assert largest_negative < model.thresholds_[label] <= smallest_positive
    assert not model.kept_default_.any()
    np.testing.assert_allclose(model.label_scores_, 1.0)
    X_new, Y_new = _separable_scores(rng, 2000, cutoffs)
    assert f1_score(Y_new, model.predict(X_new), average="macro") > 0.98
    assert f1_score(Y_new, (X_new >= 0.5).astype(int), average="macro") < 0.9


def test_multilabel_thresholds_match_brute_force():
    """Check on noisy scores that each label's threshold maximises its F1 over every candidate
    (brute force with scikit-learn's f1_score)."""
    rng = np.random.default_rng(1)
    n, prevalence = 300, np.array([0.5, 0.2, 0.08])
    Y = (rng.random((n, 3)) < prevalence).astype(int)
    X = np.clip(0.3 * Y + rng.normal(0.3, 0.15, (n, 3)), 0, 1)
    model = ThresholdOptimizer(ScoresAsFeatures(), min_score=None).fit(X, Y)
    for label in range(3):
        candidates = np.r_[np.unique(X[:, label]), 2.0]
        brute = np.array([f1_score(Y[:, label], X[:, label] >= t) for t in candidates])
        assert model.label_scores_[label] == pytest.approx(brute.max(), abs=1e-12)
        assert f1_score(Y[:, label], model.predict(X)[:, label]) == pytest.approx(brute.max(), abs=1e-12)
        cutoffs, values = model.curves_[label]
        assert values.max() == pytest.approx(brute.max(), abs=1e-12)
        assert len(cutoffs) <= model.max_candidates


def test_rare_label_guard():
    """Check that a rare label whose out-of-fold F1 stays below min_score keeps the default
    threshold, and that without the guard its low threshold floods fresh data with false
    positives and micro-F1 drops."""
    rng = np.random.default_rng(0)

    def sample(n):
        Y = np.zeros((n, 2), dtype=int)
        Y[:, 0] = rng.random(n) < 0.4
        X = np.column_stack([np.clip(0.35 * Y[:, 0] + rng.uniform(0, 0.65, n), 0, 1), rng.uniform(0, 0.6, n)])
        rare = rng.choice(n, 3, replace=False)
        Y[rare, 1] = 1
        X[rare, 1] = [0.30, 0.31, 0.32]  # uninformative: mid-ranked among the negatives
        return X, Y

    X, Y = sample(600)
    guarded = ThresholdOptimizer(ScoresAsFeatures(), min_score=0.1).fit(X, Y)
    unguarded = ThresholdOptimizer(ScoresAsFeatures(), min_score=None).fit(X, Y)
    np.testing.assert_array_equal(guarded.kept_default_, [False, True])
    assert guarded.thresholds_[1] == 0.5
    assert unguarded.thresholds_[1] < 0.35
    assert guarded.thresholds_[0] == unguarded.thresholds_[0]
    X_new, Y_new = sample(2000)
    micro_guarded = f1_score(Y_new, guarded.predict(X_new), average="micro")
    micro_unguarded = f1_score(Y_new, unguarded.predict(X_new), average="micro")
    assert micro_guarded > micro_unguarded + 0.1


def test_multilabel_micro_objective():
    """Check that objective='micro' reaches at least the out-of-fold micro-F1 of the per-label
    thresholds it starts from, and reports it as best_score_."""
    rng = np.random.default_rng(3)
    n, prevalence = 800, np.array([0.4, 0.2, 0.1, 0.05, 0.03])
    Y = (rng.random((n, 5)) < prevalence).astype(int)
    X = np.clip(0.25 * Y + rng.normal(0.35, 0.15, Y.shape), 0, 1)
    per_label = ThresholdOptimizer(ScoresAsFeatures()).fit(X, Y)
    micro = ThresholdOptimizer(ScoresAsFeatures(), objective="micro").fit(X, Y)
    start = f1_score(Y, per_label.predict(X), average="micro")
    reached = f1_score(Y, micro.predict(X), average="micro")
    assert reached >= start
    assert micro.best_score_ == pytest.approx(reached, abs=1e-12)
    assert micro.n_iter_ >= 1
    assert micro.default_score_ == pytest.approx(f1_score(Y, (X >= 0.5).astype(int), average="micro"))
    macro = ThresholdOptimizer(ScoresAsFeatures(), objective="macro").fit(X, Y)
    np.testing.assert_array_equal(macro.thresholds_, per_label.thresholds_)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_multilabel_score_formats():
    """Check the three multi-label score layouts: an (n, K) probability matrix (MLP), a list of
    (n, 2) arrays (random forest) and an (n, K) decision function (one-vs-rest LinearSVC)."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 6))
    Y = np.column_stack([X[:, 0] > 0, X[:, 1] > 0.5, X[:, 2] + X[:, 3] > 1]).astype(int)
    for estimator, method in [
        (MLPClassifier(hidden_layer_sizes=(8,), solver="lbfgs", max_iter=300, random_state=0), "predict_proba"),
        (RandomForestClassifier(n_estimators=10, random_state=0), "predict_proba"),
        (OneVsRestClassifier(LinearSVC()), "decision_function"),
    ]:
        model = ThresholdOptimizer(estimator, cv=3).fit(X, Y)
        assert model.response_method_ == method
        assert model.oof_scores_.shape == (300, 3) and model.thresholds_.shape == (3,)
        assert model.predict(X).shape == (300, 3)
        assert model.best_score_ >= model.default_score_ - 1e-12


def test_text_pipeline_multilabel(multilabel_corpus):
    """Check a TF-IDF + one-vs-rest LinearSVC pipeline on raw strings, with groups routed to
    GroupKFold and a float hold-out."""
    texts, Y = multilabel_corpus
    pipe = make_pipeline(TfidfVectorizer(), OneVsRestClassifier(LinearSVC()))
    groups = np.arange(len(texts)) // 4
    model = ThresholdOptimizer(pipe, cv=GroupKFold(3)).fit(texts, Y, groups=groups)
    assert model.predict(texts[:5]).shape == (5, Y.shape[1])
    assert model.best_score_ >= model.default_score_
    holdout = ThresholdOptimizer(pipe, cv=0.25, random_state=0).fit(texts, Y)
    # iterative stratification balances labels first, so the hold-out size is approximate
    assert len(holdout.oof_indices_) == pytest.approx(0.25 * len(texts), abs=0.03 * len(texts))
    with pytest.raises(ValueError, match="groups"):
        ThresholdOptimizer(pipe, cv=GroupKFold(3)).fit(texts, Y)


@pytest.mark.estimator
def test_skltext_model_multilabel(multilabel_corpus):
    """Check that a skltext tokenizer + CNN pipeline is tuned per label and predicts 0/1 rows."""
    texts, Y = multilabel_corpus
    pipe = make_pipeline(TextTokenizer(max_len=12), tiny(CNNClassifier, early_stopping=False))
    model = ThresholdOptimizer(pipe, cv=2).fit(texts, Y)
    assert model.thresholds_.shape == (Y.shape[1],)
    predicted = model.predict(texts[:10])
    assert predicted.shape == (10, Y.shape[1]) and set(np.unique(predicted)) <= {0, 1}
    assert model.predict_proba(texts[:10]).shape == (10, Y.shape[1])


# ------------------------------------------------------------------- multi-class


def _skewed_multiclass(seed=0):
    X, y = make_classification(3000, n_classes=4, n_informative=6, weights=[0.7, 0.2, 0.07, 0.03],
                               class_sep=0.7, random_state=seed)
    return X[:2000], X[2000:], y[:2000], y[2000:]


@pytest.mark.parametrize("adjustment", ["offset", "weight"])
def test_multiclass_offsets_improve_macro_f1(adjustment):
    """Check that per-class offsets (or weights) tuned out of fold raise macro-F1 on a skewed
    4-class problem, out of fold and on test data, and favour the small classes."""
    X_train, X_test, y_train, y_test = _skewed_multiclass()
    model = ThresholdOptimizer(LogisticRegression(), class_adjustment=adjustment).fit(X_train, y_train)
    assert model.best_score_ > model.default_score_ + 0.05
    default = LogisticRegression().fit(X_train, y_train).predict(X_test)
    assert f1_score(y_test, model.predict(X_test), average="macro") > f1_score(y_test, default, average="macro") + 0.03
    assert model.class_offsets_[0] < model.class_offsets_[3]
    if adjustment == "weight":
        np.testing.assert_allclose(model.class_weights_, np.exp(model.class_offsets_))
        proba = model.predict_proba(X_test)
        np.testing.assert_array_equal(model.predict(X_test), (proba * model.class_weights_).argmax(axis=1))
    assert set(model.curves_) == {0, 1, 2, 3}
    scores = model.oof_scores_
    if adjustment == "weight":
        scores = np.log(np.maximum(scores, np.finfo(float).tiny))
    oof_predicted = model.classes_[(scores + model.class_offsets_).argmax(axis=1)]
    assert model.best_score_ == pytest.approx(f1_score(y_train[model.oof_indices_], oof_predicted, average="macro"))


def _macro_f1(y_true, y_pred):
    """Macro-F1 over the labels of y_true and y_pred, written out (scikit-learn's is slow to call)."""
    labels = np.union1d(y_true, y_pred)
    tp = np.array([np.sum((y_true == c) & (y_pred == c)) for c in labels])
    return float(np.mean(2 * tp / np.array([np.sum(y_true == c) + np.sum(y_pred == c) for c in labels])))


def test_multiclass_counts_match_calling_the_metric():
    """Check that the count-based coordinate ascent finds the same offsets as calling a
    macro-F1 function at every candidate."""
    X_train, _, y_train, _ = _skewed_multiclass(seed=1)
    X_train, y_train = X_train[:300], y_train[:300]
    fast = ThresholdOptimizer(LogisticRegression(), cv=3).fit(X_train, y_train)
    slow = ThresholdOptimizer(LogisticRegression(), cv=3, scoring=_macro_f1, max_candidates=10_000)
    slow.fit(X_train, y_train)
    assert fast.n_iter_ >= 2  # several offsets moved
    np.testing.assert_allclose(fast.class_offsets_, slow.class_offsets_)
    assert fast.best_score_ == pytest.approx(slow.best_score_)
    predicted = fast.classes_[(fast.oof_scores_ * fast.class_weights_).argmax(axis=1)]
    assert fast.best_score_ == pytest.approx(f1_score(y_train[fast.oof_indices_], predicted, average="macro"))


def test_multiclass_adjustment_auto():
    """Check that 'auto' multiplies probabilities by class weights and adds offsets to decision
    scores."""
    X_train, X_test, y_train, _ = _skewed_multiclass(seed=2)
    X_train, y_train = X_train[:400], y_train[:400]
    proba = ThresholdOptimizer(LogisticRegression(), cv=3).fit(X_train, y_train)
    assert proba.class_adjustment_ == "weight" and hasattr(proba, "class_weights_")
    decision = ThresholdOptimizer(LinearSVC(), cv=3).fit(X_train, y_train)
    assert decision.class_adjustment_ == "offset" and not hasattr(decision, "class_weights_")
    np.testing.assert_array_equal(
        decision.predict(X_test), (decision.decision_function(X_test) + decision.class_offsets_).argmax(axis=1))


def test_multiclass_string_labels_and_missing_class_in_a_fold():
    """Check string class labels, and a fold whose training part lacks a class (its column is
    filled with the lowest score)."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 3))
    y = np.array(["a", "b", "c"])[np.argmax(X[:, :3] + rng.normal(0, 0.5, (120, 3)), axis=1)]
    y[:3] = "d"
    X[:3] += 3
    model = ThresholdOptimizer(LogisticRegression(), cv=KFold(3)).fit(X, y)
    assert set(model.predict(X)) <= {"a", "b", "c", "d"}
    assert model.oof_scores_.shape == (120, 4)


# ------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "params, y_kind, error, match",
    [
        (dict(cv="prefit"), "binary", ValueError, "When cv='prefit', refit cannot be True."),
        (dict(refit=False), "binary", ValueError, "When cv has several folds, refit cannot be False."),
        (dict(scoring="roc_auc"), "binary", ValueError, "computed from continuous scores"),
        (dict(scoring="f1"), "multiclass", ValueError, "use an averaged form such as 'f1_macro'"),
        (dict(scoring=f1_score), "multiclass", ValueError, "average='binary'"),
        (dict(scoring="f1_micro"), "multilabel", ValueError, "objective='micro'"),
        (dict(objective="micro"), "binary", ValueError, "multi-label targets only"),
        (dict(objective="micro", scoring=lambda a, b: 0.0), "multilabel", ValueError, "computed from counts"),
        (dict(cv=1.5), "binary", ValueError, "'cv' parameter"),
        (dict(scoring="no_such_metric"), "binary", ValueError, "'scoring' parameter"),
        (dict(min_score="high"), "binary", ValueError, "'min_score' parameter"),
    ],
)
def test_bad_parameters(params, y_kind, error, match):
    """Check that bad parameters and mismatched parameter/target pairs raise clear errors."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 3))
    y = {
        "binary": (X[:, 0] > 0).astype(int),
        "multiclass": np.digitize(X[:, 0], [-0.5, 0.5]),
        "multilabel": (X[:, :2] > 0).astype(int),
    }[y_kind]
    estimator = LogisticRegression() if y_kind != "multilabel" else OneVsRestClassifier(LogisticRegression())
    with pytest.raises(error, match=match):
        ThresholdOptimizer(estimator, **params).fit(X, y)


def test_bad_estimator_and_target():
    """Check errors for an estimator without scores, an unfitted prefit estimator, the weight
    adjustment on decision scores, a continuous or single-class y and a missing y."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 2))
    y = (X[:, 0] > 0).astype(int)
    with pytest.raises(ValueError, match="'estimator' parameter"):
        ThresholdOptimizer(PredictOnly()).fit(X, y)
    with pytest.raises(ValueError, match="has no decision_function"):
        ThresholdOptimizer(RandomForestClassifier(), response_method="decision_function").fit(X, y)
    with pytest.raises(Exception, match="When cv='prefit', `estimator` must be fitted."):
        ThresholdOptimizer(LogisticRegression(), cv="prefit", refit=False).fit(X, y)
    with pytest.raises(ValueError, match="class_adjustment='weight'"):
        ThresholdOptimizer(LinearSVC(), class_adjustment="weight").fit(X, np.digitize(X[:, 0], [-0.5, 0.5]))
    with pytest.raises(ValueError, match="Unknown label type"):
        ThresholdOptimizer(LogisticRegression()).fit(X, X[:, 0])
    with pytest.raises(ValueError, match="only one class"):
        ThresholdOptimizer(LogisticRegression()).fit(X, np.zeros(40))
    with pytest.raises(ValueError, match="requires y to be passed"):
        ThresholdOptimizer(LogisticRegression()).fit(X, None)


def test_refit_false_keeps_the_holdout_model():
    """Check that refit=False with one hold-out keeps the model fitted on its training part,
    and that cv='prefit' keeps the given estimator."""
    X_train, _, y_train, _ = _binary_data()
    model = ThresholdOptimizer(LogisticRegression(), cv=0.3, refit=False, random_state=0).fit(X_train, y_train)
    assert len(model.oof_indices_) == 300
    refit = ThresholdOptimizer(LogisticRegression(), cv=0.3, random_state=0).fit(X_train, y_train)
    assert model.best_threshold_ == refit.best_threshold_
    assert not np.allclose(model.estimator_.coef_, refit.estimator_.coef_)


def test_curves_and_plotting():
    """Check the curve attribute and that plot_curves needs matplotlib or draws one line per curve."""
    X_train, _, y_train, _ = _binary_data()
    model = ThresholdOptimizer(LogisticRegression()).fit(X_train, y_train)
    cutoffs, values = model.curves_[1]
    assert np.all(np.diff(cutoffs) > 0)
    assert values.max() == model.best_score_ and model.best_threshold_ in cutoffs
    try:
        import matplotlib
    except ImportError:
        with pytest.raises(ImportError, match="pip install matplotlib"):
            model.plot_curves()
    else:
        matplotlib.use("Agg")
        assert len(model.plot_curves().get_lines()) == 2


@pytest.mark.parametrize("estimator", [LinearSVC(), LogisticRegression()], ids=["decision_function", "predict_proba"])
def test_multiclass_fold_that_sees_two_classes(estimator):
    """Check a multi-class target whose rarest class is missing from one training fold: 1-D
    decision scores of that fold are widened to two columns and aligned with the classes."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(61, 2))
    y = np.where(X[:, 0] > 0, "a", "b")
    X[-1], y[-1] = (6.0, 6.0), "c"
    model = ThresholdOptimizer(estimator, cv=3).fit(X, y)
    assert model.oof_scores_.shape == (61, 3) and np.isfinite(model.oof_scores_).all()
    assert set(model.predict(X)) <= {"a", "b", "c"}
    # The fold that holds the only "c" out trained on "a" and "b" alone: its columns for them are
    # that fold model's scores, and "c" scores below both.
    train, test = next((train, test) for train, test in StratifiedKFold(3).split(X, y) if 60 in test)
    fold_model = clone(estimator).fit(X[train], y[train])
    if hasattr(fold_model, "predict_proba"):
        expected = fold_model.predict_proba(X[test])
    else:
        decision = fold_model.decision_function(X[test])
        expected = np.column_stack([-decision, decision])
    row_of = {index: row for row, index in enumerate(model.oof_indices_)}
    got = model.oof_scores_[[row_of[index] for index in test]]
    np.testing.assert_allclose(got[:, :2], expected)
    assert (got[:, 2] < got[:, :2].min(axis=1)).all()


@pytest.mark.parametrize("estimator", [LogisticRegression(max_iter=1000), LinearSVC()], ids=["proba", "decision"])
def test_prior_adjustment_tunes_one_tau_over_the_log_prior(estimator):
    """Check class_adjustment='prior': offsets are -tau * log(class share), tau picked on out-of-fold scores."""
    X, y = make_classification(600, n_classes=4, n_informative=6, weights=[0.7, 0.2, 0.07, 0.03],
                               class_sep=0.6, random_state=0)
    tuned = ThresholdOptimizer(estimator, class_adjustment="prior", cv=3, random_state=0).fit(X, y)
    assert 0.0 <= tuned.prior_tau_ <= 2.0
    prior = np.bincount(y[tuned.oof_indices_]) / len(tuned.oof_indices_)
    np.testing.assert_allclose(tuned.class_offsets_, -tuned.prior_tau_ * np.log(prior), atol=1e-12)
    taus, values = tuned.curves_["tau"]
    assert tuned.best_score_ == pytest.approx(values.max()) and tuned.best_score_ >= tuned.default_score_
    proba_path = hasattr(estimator, "predict_proba")
    assert tuned.class_adjustment_ == ("weight" if proba_path else "offset")
    scores = tuned.estimator_.predict_proba(X) if proba_path else tuned.estimator_.decision_function(X)
    scores = np.log(scores) if proba_path else scores
    np.testing.assert_array_equal(tuned.predict(X), tuned.classes_[(scores + tuned.class_offsets_).argmax(axis=1)])
    # Refitting with per-class offsets forgets tau.
    assert not hasattr(tuned.set_params(class_adjustment="auto").fit(X, y), "prior_tau_")


# ------------------------------------------------------- scoring and fit parameters


def _scorer_protocol_f1(estimator, X, y_true):
    """A scorer written by hand: called as scorer(estimator, X, y_true)."""
    return f1_score(y_true, estimator.predict(X))


@pytest.mark.parametrize(
    "scoring, equivalent",
    [
        ("matthews_corrcoef", matthews_corrcoef),
        (make_scorer(matthews_corrcoef), matthews_corrcoef),
        (_scorer_protocol_f1, f1_score),
    ],
    ids=["name outside the count metrics", "make_scorer object", "hand-written scorer"],
)
def test_scorers_are_called_through_the_scorer_protocol(scoring, equivalent):
    """Check that scorer names without a count form, make_scorer objects and hand-written scorers
    tune the same threshold as the metric function they compute."""
    X_train, _, y_train, _ = _binary_data(seed=5)
    X_train, y_train = X_train[:300], y_train[:300]
    ours = ThresholdOptimizer(LogisticRegression(), scoring=scoring, cv=3).fit(X_train, y_train)
    plain = ThresholdOptimizer(LogisticRegression(), scoring=equivalent, cv=3).fit(X_train, y_train)
    assert ours.best_threshold_ == plain.best_threshold_
    assert ours.best_score_ == pytest.approx(plain.best_score_, abs=1e-12)


@pytest.mark.parametrize(
    "scoring, n_classes, match",
    [
        ("neg_log_loss", 2, "computed from continuous scores"),
        (make_scorer(roc_auc_score, response_method="predict_proba"), 2, "computed from continuous scores"),
        (make_scorer(f1_score), 3, "cannot score the predicted labels of this target"),
    ],
    ids=["log loss", "ROC AUC scorer", "binary F1 scorer on three classes"],
)
def test_scorers_that_cannot_tune_a_threshold_are_refused(scoring, n_classes, match):
    """Check that scorers of continuous scores are refused before any fit, and that a scorer
    failing on the target's labels says so."""
    X = np.random.default_rng(0).normal(size=(60, 2))
    y = np.digitize(X[:, 0], [-0.5, 0.5] if n_classes == 3 else [0.0])
    with pytest.raises(ValueError, match=match):
        ThresholdOptimizer(LogisticRegression(), scoring=scoring).fit(X, y)


class WeightRecorder(ClassifierMixin, BaseEstimator):
    """Logistic regression that keeps the sample weights of its last fit."""

    def fit(self, X, y, sample_weight=None):
        self.weights_ = sample_weight
        self.model_ = LogisticRegression().fit(X, y, sample_weight=sample_weight)
        self.classes_ = self.model_.classes_
        return self

    def predict_proba(self, X):
        return self.model_.predict_proba(X)


def test_fit_params_are_sliced_per_fold_with_or_without_metadata_routing():
    """Check that sample_weight reaches the inner fit sliced to the training rows, that groups reach
    a group splitter, and that with metadata routing enabled only requested parameters pass."""
    X_train, _, y_train, _ = _binary_data(seed=6)
    weights = np.arange(len(y_train), dtype=float)
    groups = np.arange(len(y_train)) // 10

    def fit(estimator, **params):
        model = ThresholdOptimizer(estimator, cv=0.3, refit=False, random_state=0).fit(X_train, y_train, **params)
        train = np.setdiff1d(np.arange(len(y_train)), model.oof_indices_)
        np.testing.assert_array_equal(np.sort(model.estimator_.weights_), weights[train])  # weights = row ids

    fit(WeightRecorder(), sample_weight=weights)
    with config_context(enable_metadata_routing=True):
        with pytest.raises(ValueError, match="sample_weight"):
            fit(WeightRecorder(), sample_weight=weights)
        fit(WeightRecorder().set_fit_request(sample_weight=True), sample_weight=weights)
        grouped = ThresholdOptimizer(LogisticRegression(), cv=GroupKFold(4)).fit(X_train, y_train, groups=groups)
        assert len(grouped.oof_indices_) == len(y_train)
        with pytest.raises(ValueError, match="groups"):
            ThresholdOptimizer(LogisticRegression(), cv=GroupKFold(4)).fit(X_train, y_train)
