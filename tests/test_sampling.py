"""Tests for the multi-label random samplers, and for imbalanced-learn's samplers on text."""

from collections import Counter

import numpy as np
import pandas as pd
import pytest
from imblearn.base import is_sampler
from imblearn.over_sampling import RandomOverSampler
from imblearn.pipeline import Pipeline, make_pipeline
from imblearn.under_sampling import RandomUnderSampler
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, KFold
from sklearn.multiclass import OneVsRestClassifier
from sklearn.utils._param_validation import InvalidParameterError
from sklearn.utils.estimator_checks import (
    check_get_params_invariance,
    check_no_attributes_set_in_init,
    check_parameters_default_constructible,
    check_set_params,
)

from skltext import CNNClassifier, LSTMClassifier, TextTokenizer
from skltext.sampling import (
    MultilabelRandomOverSampler,
    MultilabelRandomUnderSampler,
    imbalance_ratio_per_label,
    mean_imbalance_ratio,
)

from .conftest import tiny

SAMPLERS = [MultilabelRandomOverSampler, MultilabelRandomUnderSampler]

# counts [4, 1, 2]: IRLbl [1, 4, 2], MeanIR 7/3.
Y_TOY = np.array([[1, 0, 1], [1, 0, 0], [1, 1, 0], [1, 0, 1]])


def _imbalanced_multilabel(n_samples=400, n_labels=8, random_state=0):
    """A 0/1 indicator matrix with Zipf-like label frequencies and 1 to 3 labels per row."""
    rng = np.random.RandomState(random_state)
    p = 1.0 / np.arange(1, n_labels + 1) ** 1.5
    y = np.zeros((n_samples, n_labels), dtype=np.int64)
    for i, size in enumerate(rng.randint(1, 4, size=n_samples)):
        y[i, rng.choice(n_labels, size=size, replace=False, p=p / p.sum())] = 1
    return y


Y_RANDOM = _imbalanced_multilabel()


# imbalance ratios


def test_imbalance_ratios_hand_computed():
    """Check IRLbl and MeanIR against values worked out by hand, for dense and sparse y."""
    for y in (Y_TOY, sparse.csr_matrix(Y_TOY), Y_TOY.astype(bool), Y_TOY.tolist()):
        np.testing.assert_allclose(imbalance_ratio_per_label(y), [1.0, 4.0, 2.0])
        assert mean_imbalance_ratio(y) == pytest.approx(7 / 3)


def test_imbalance_ratio_of_an_absent_label_is_nan():
    """Check that a label no sample holds has a NaN ratio and is left out of MeanIR."""
    y = np.column_stack([Y_TOY, np.zeros(4, dtype=int)])
    np.testing.assert_allclose(imbalance_ratio_per_label(y), [1.0, 4.0, 2.0, np.nan])
    assert mean_imbalance_ratio(y) == pytest.approx(7 / 3)
    sampler = MultilabelRandomOverSampler().fit(np.zeros((4, 1)), y)
    np.testing.assert_array_equal(sampler.minority_labels_, [1])
    np.testing.assert_array_equal(sampler.majority_labels_, [0, 2])


def test_fit_sets_statistics_without_resampling():
    """Check that fit computes the statistics and the budget, and sets no sample indices."""
    sampler = MultilabelRandomUnderSampler(sampling_strategy=0.5).fit(np.zeros((4, 2)), Y_TOY)
    assert sampler.sampling_strategy_ == 2
    assert sampler.mean_imbalance_ratio_ == pytest.approx(7 / 3)
    np.testing.assert_allclose(sampler.imbalance_ratio_per_label_, [1.0, 4.0, 2.0])
    assert sampler.n_features_in_ == 2
    assert not hasattr(sampler, "sample_indices_")


def _irlbl(y):
    counts = y.sum(axis=0)
    return counts.max() / counts


def _reference_ml_ros(y, sampling_strategy, seed):
    """ML-ROS transcribed literally, recomputing IRLbl on the whole target after each clone
    (it draws its random numbers as the sampler does: one uniform number per clone)."""
    rng = np.random.RandomState(seed)
    budget = int(sampling_strategy * len(y))
    draws = iter(rng.random_sample(budget))
    mean_ir = _irlbl(y).mean()
    bags = {label: np.flatnonzero(y[:, label]) for label in np.flatnonzero(_irlbl(y) > mean_ir)}
    y_res, clones = y.copy(), []
    while budget > 0 and bags:
        for label in list(bags):
            row = bags[label][int(next(draws) * len(bags[label]))]
            clones.append(row)
            y_res = np.vstack([y_res, y[row]])
            if _irlbl(y_res)[label] <= mean_ir:
                del bags[label]
            budget -= 1
            if budget == 0:
                break
    return np.array(clones, dtype=int)


def _reference_ml_rus(y, sampling_strategy, seed):
    """ML-RUS transcribed literally, recomputing IRLbl on the rows left after each deletion
    (each bag is put in random order up front, as the sampler does)."""
    rng = np.random.RandomState(seed)
    budget = int(sampling_strategy * len(y))
    irlbl, mean_ir = _irlbl(y), _irlbl(y).mean()
    protected = y[:, irlbl > mean_ir].any(axis=1)
    bags = {}
    for label in np.flatnonzero(irlbl < mean_ir):
        rows = np.flatnonzero(y[:, label])
        bags[label] = list(rng.permutation(rows[~protected[rows]]))
    kept = np.ones(len(y), dtype=bool)
    while budget > 0 and bags:
        for label in list(bags):
            left = [row for row in bags[label] if kept[row]]
            if not left:
                del bags[label]
                continue
            kept[left[0]] = False
            with np.errstate(divide="ignore"):
                if _irlbl(y[kept])[label] >= mean_ir:
                    del bags[label]
            budget -= 1
            if budget == 0:
                break
    return np.flatnonzero(kept)


@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("sampling_strategy", [0.05, 0.25, 1.0])
def test_samplers_follow_the_published_rules(sampling_strategy, seed):
    """Check both samplers against slow, literal transcriptions of ML-ROS and ML-RUS."""
    X = np.zeros((len(Y_RANDOM), 1))
    ros = MultilabelRandomOverSampler(sampling_strategy=sampling_strategy, random_state=seed)
    ros.fit_resample(X, Y_RANDOM)
    expected = _reference_ml_ros(Y_RANDOM, sampling_strategy, seed)
    np.testing.assert_array_equal(ros.sample_indices_, np.r_[np.arange(len(Y_RANDOM)), expected])

    sampling_strategy = min(sampling_strategy, 0.9)
    rus = MultilabelRandomUnderSampler(sampling_strategy=sampling_strategy, random_state=seed)
    rus.fit_resample(X, Y_RANDOM)
    expected = _reference_ml_rus(Y_RANDOM, sampling_strategy, seed)
    np.testing.assert_array_equal(rus.sample_indices_, expected)


# ML-ROS


def test_over_sampler_drops_a_label_once_it_reaches_mean_ir():
    """Check the round-robin over the minority bags and the exclusion rule on a hand-made case.

    Counts [12, 1, 1]: IRLbl [1, 12, 12], MeanIR 25/3. Each minority label has a single
    sample, so the clones are known: one per label (IRLbl 6 <= MeanIR), in label order,
    then no bag is left although the budget of floor(0.25 * 14) = 3 allows one more.
    """
    y = np.array([[1, 0, 0]] * 12 + [[0, 1, 0], [0, 0, 1]])
    sampler = MultilabelRandomOverSampler(random_state=0)
    X_res, y_res = sampler.fit_resample(np.arange(14).reshape(-1, 1), y)
    assert sampler.sampling_strategy_ == 3
    np.testing.assert_array_equal(sampler.sample_indices_, [*range(14), 12, 13])
    np.testing.assert_array_equal(y_res.sum(axis=0), [12, 2, 2])
    np.testing.assert_allclose(sampler.imbalance_ratio_per_label_resampled_, [1, 6, 6])
    assert sampler.mean_imbalance_ratio_resampled_ == pytest.approx(13 / 3)

    # A budget of floor(0.1 * 14) = 1 stops after the first clone.
    sampler.set_params(sampling_strategy=0.1).fit_resample(np.arange(14).reshape(-1, 1), y)
    np.testing.assert_array_equal(sampler.sample_indices_[14:], [12])


def test_over_sampler_counts_the_labels_that_clones_share():
    """Check that a clone adds all its labels, and that IRLbl uses the updated largest count.

    Counts [20, 1, 10], MeanIR 23/3. Label 1 only appears with label 0: after one clone its
    IRLbl is 21/2 > MeanIR, after two 22/3 <= MeanIR.
    """
    y = np.array([[1, 0, 0]] * 19 + [[1, 1, 0]] + [[0, 0, 1]] * 10)
    sampler = MultilabelRandomOverSampler(random_state=0)
    _, y_res = sampler.fit_resample(np.zeros((30, 1)), y)
    np.testing.assert_array_equal(sampler.sample_indices_[30:], [19, 19])
    np.testing.assert_array_equal(y_res.sum(axis=0), [22, 3, 10])


@pytest.mark.parametrize("sampling_strategy", [0.05, 0.25, 1.0])
def test_over_sampler_clones_minority_samples_within_budget(sampling_strategy):
    """Check that ML-ROS keeps every input sample, adds at most floor(P * n) clones, all of
    them holding a minority label, and raises the count of every minority label."""
    n_samples = len(Y_RANDOM)
    sampler = MultilabelRandomOverSampler(sampling_strategy=sampling_strategy, random_state=0)
    _, y_res = sampler.fit_resample(np.zeros((n_samples, 1)), Y_RANDOM)
    budget = int(sampling_strategy * n_samples)
    assert sampler.sampling_strategy_ == budget
    clones = sampler.sample_indices_[n_samples:]
    np.testing.assert_array_equal(sampler.sample_indices_[:n_samples], np.arange(n_samples))
    assert 0 < len(clones) <= budget
    minority = sampler.minority_labels_
    assert len(minority) > 0
    assert Y_RANDOM[clones][:, minority].any(axis=1).all()
    assert (y_res.sum(axis=0)[minority] > Y_RANDOM.sum(axis=0)[minority]).all()
    assert sampler.mean_imbalance_ratio_resampled_ < sampler.mean_imbalance_ratio_


def test_over_sampler_output_size_is_n_times_one_plus_p_when_budget_binds():
    """Check that the output has exactly n + floor(P * n) samples when the budget runs out first."""
    sampler = MultilabelRandomOverSampler(sampling_strategy=0.1, random_state=0)
    X_res, y_res = sampler.fit_resample(np.zeros((400, 1)), Y_RANDOM)
    assert X_res.shape[0] == y_res.shape[0] == 440


def test_over_sampler_without_minority_label_returns_the_input():
    """Check that a balanced target is returned as it is."""
    y = np.array([[1, 0], [0, 1], [1, 1]])
    sampler = MultilabelRandomOverSampler(random_state=0)
    X_res, y_res = sampler.fit_resample(np.arange(3).reshape(-1, 1), y)
    assert len(sampler.minority_labels_) == 0
    np.testing.assert_array_equal(sampler.sample_indices_, [0, 1, 2])
    np.testing.assert_array_equal(y_res, y)


# ML-RUS


def test_under_sampler_deletes_from_majority_bags_in_turn():
    """Check the deletion rounds and the exclusion rule on a hand-made case.

    Counts [4, 1, 2]: IRLbl [1, 4, 2], MeanIR 7/3; label 1 is the minority, 0 and 2 the
    majority. Budget floor(0.5 * 7) = 3: an A sample (counts [3, 1, 2]), a C sample
    ([3, 1, 1]: IRLbl 3 >= MeanIR, C leaves), another A sample ([2, 1, 1]).
    """
    y = np.array([[1, 0, 0]] * 4 + [[0, 1, 0]] + [[0, 0, 1]] * 2)
    for random_state in range(5):
        sampler = MultilabelRandomUnderSampler(sampling_strategy=0.5, random_state=random_state)
        _, y_res = sampler.fit_resample(np.zeros((7, 1)), y)
        np.testing.assert_array_equal(y_res.sum(axis=0), [2, 1, 1])
        assert 4 in sampler.sample_indices_


def test_under_sampler_stops_when_the_bags_are_empty():
    """Check that samples holding a minority label, and samples without labels, are never deleted."""
    # Every sample of label 0 also holds the minority label 1; rows 4 and 5 hold no label.
    y = np.array([[1, 1, 0]] * 2 + [[0, 0, 1]] * 2 + [[0, 0, 0]] * 2 + [[1, 0, 1]] * 4)
    sampler = MultilabelRandomUnderSampler(sampling_strategy=0.9, random_state=0)
    _, y_res = sampler.fit_resample(np.zeros((10, 1)), y)
    np.testing.assert_array_equal(sampler.minority_labels_, [1])
    assert {0, 1, 4, 5} <= set(sampler.sample_indices_)
    assert len(sampler.sample_indices_) > 10 - sampler.sampling_strategy_


@pytest.mark.parametrize("sampling_strategy", [0.1, 0.25, 0.5])
def test_under_sampler_removes_p_percent_and_never_a_minority_sample(sampling_strategy):
    """Check that ML-RUS deletes floor(P * n) samples (enough are deletable here), keeps the
    rest in input order, and never deletes a sample holding a minority label."""
    n_samples = len(Y_RANDOM)
    sampler = MultilabelRandomUnderSampler(sampling_strategy=sampling_strategy, random_state=0)
    X_res, y_res = sampler.fit_resample(np.zeros((n_samples, 1)), Y_RANDOM)
    assert len(X_res) == len(y_res) == n_samples - int(sampling_strategy * n_samples)
    kept = sampler.sample_indices_
    assert (np.diff(kept) > 0).all()
    holds_minority = np.flatnonzero(Y_RANDOM[:, sampler.minority_labels_].any(axis=1))
    assert len(holds_minority) > 0
    assert set(holds_minority) <= set(kept)
    before, after = Y_RANDOM.sum(axis=0), y_res.sum(axis=0)
    minority, majority = sampler.minority_labels_, sampler.majority_labels_
    np.testing.assert_array_equal(after[minority], before[minority])
    assert (after[majority] <= before[majority]).all()


# both samplers: alignment, input types, determinism


def _x_variants(n_samples):
    """The same n samples in several containers; each sample encodes its row index."""
    ids = np.arange(n_samples)
    return {
        "token_ids": np.column_stack([ids, ids]).astype(np.int32),
        "sparse": sparse.csr_matrix(np.column_stack([ids, ids + 1])),
        "coo": sparse.coo_matrix(np.column_stack([ids, ids + 1])),
        "list_of_str": [f"doc {i}" for i in ids],
        "str_array": np.array([f"doc {i}" for i in ids]),
        "series": pd.Series([f"doc {i}" for i in ids], index=ids + 1000),
        "dataframe": pd.DataFrame({"a": ids, "b": ids}, index=ids + 1000),
    }


def _row_ids(X_res):
    """Recover the row index each output sample came from."""
    if sparse.issparse(X_res):
        return X_res.toarray()[:, 0]
    if isinstance(X_res, pd.DataFrame):
        assert (X_res.index == np.arange(len(X_res))).all()
        return X_res["a"].to_numpy()
    if isinstance(X_res, pd.Series):
        assert (X_res.index == np.arange(len(X_res))).all()
    if isinstance(X_res, np.ndarray) and X_res.ndim == 2:
        return X_res[:, 0]
    return np.array([int(doc.split()[1]) for doc in X_res])


@pytest.mark.parametrize("kind", list(_x_variants(1)))
@pytest.mark.parametrize("Sampler", SAMPLERS)
def test_x_and_y_stay_aligned(Sampler, kind):
    """Check that every type of X comes back in its type, with the rows sample_indices_ names,
    and that y comes back with the same rows."""
    X = _x_variants(len(Y_RANDOM))[kind]
    sampler = Sampler(random_state=0)
    X_res, y_res = sampler.fit_resample(X, Y_RANDOM)
    expected_type = sparse.csr_matrix if kind == "coo" else type(X)
    assert isinstance(X_res, expected_type)
    np.testing.assert_array_equal(_row_ids(X_res), sampler.sample_indices_)
    np.testing.assert_array_equal(y_res, Y_RANDOM[sampler.sample_indices_])


@pytest.mark.parametrize("Sampler", SAMPLERS)
def test_y_types(Sampler):
    """Check that y as a sparse matrix, a DataFrame or a list of lists gives the same
    resampling, returned in the type it came in."""
    X = np.arange(len(Y_RANDOM)).reshape(-1, 1)
    _, y_ref = Sampler(random_state=0).fit_resample(X, Y_RANDOM)

    _, y_res = Sampler(random_state=0).fit_resample(X, sparse.csr_matrix(Y_RANDOM))
    assert sparse.issparse(y_res)
    np.testing.assert_array_equal(y_res.toarray(), y_ref)

    # Explicitly stored zeros are no labels.
    y_stored_zeros = sparse.csr_matrix(Y_RANDOM + 1)
    y_stored_zeros.data -= 1
    _, y_res = Sampler(random_state=0).fit_resample(X, y_stored_zeros)
    np.testing.assert_array_equal(y_res.toarray(), y_ref)

    columns = [f"label_{k}" for k in range(Y_RANDOM.shape[1])]
    X_df = pd.DataFrame({"a": np.arange(len(Y_RANDOM))}, index=np.arange(len(Y_RANDOM)) + 7)
    y_df = pd.DataFrame(Y_RANDOM, columns=columns, index=X_df.index)
    X_res, y_res = Sampler(random_state=0).fit_resample(X_df, y_df)
    assert list(y_res.columns) == columns
    assert (y_res.index == X_res.index).all()
    np.testing.assert_array_equal(y_res.to_numpy(), y_ref)

    _, y_res = Sampler(random_state=0).fit_resample(X, Y_RANDOM.tolist())
    assert isinstance(y_res, list)
    np.testing.assert_array_equal(y_res, y_ref)


@pytest.mark.parametrize("Sampler", SAMPLERS)
def test_random_state_makes_it_deterministic(Sampler):
    """Check that a fixed random_state repeats the resampling and another one changes it."""
    X = np.zeros((len(Y_RANDOM), 1))

    def indices(random_state):
        sampler = Sampler(random_state=random_state)
        sampler.fit_resample(X, Y_RANDOM)
        return sampler.sample_indices_

    np.testing.assert_array_equal(indices(0), indices(0))
    np.testing.assert_array_equal(indices(np.random.RandomState(0)), indices(0))
    assert not np.array_equal(indices(0), indices(1))


def test_large_sparse_target_resamples():
    """Check that 30,000 samples x 200 sparse labels resample with X and y aligned."""
    rng = np.random.RandomState(0)
    n_samples, n_labels = 30_000, 200
    p = 1.0 / np.arange(1, n_labels + 1)
    rows = np.repeat(np.arange(n_samples), 3)
    cols = rng.choice(n_labels, size=len(rows), p=p / p.sum())
    y = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n_samples, n_labels))
    y.data[:] = 1
    X = rng.randint(2, 5000, size=(n_samples, 50)).astype(np.int32)
    for Sampler in SAMPLERS:
        X_res, y_res = Sampler(random_state=0).fit_resample(X, y)
        assert len(X_res) != n_samples and y_res.shape == (len(X_res), n_labels)


# bad input and parameters


@pytest.mark.parametrize("Sampler", SAMPLERS)
@pytest.mark.parametrize(
    "y, match",
    [
        (np.array([0, 1, 2, 1]), r"multi-label target.*'multiclass' target.*RandomOverSampler"),
        (np.array(["a", "b", "a", "b"]), r"'binary' target of shape \(4,\)"),
        (np.array([[0], [1], [1], [0]]), r"'binary' target of shape \(4,\)"),  # a column, flattened
        (np.array([[0, 2], [1, 0], [1, 1], [0, 1]]), r"'multiclass-multioutput' target"),
        (np.array([[0.5, 1], [1, 0], [1, 1], [0, 1]]), r"'continuous-multioutput' target"),
        (None, "requires y"),
        (np.zeros((4, 3), dtype=int), "no sample holds any label"),
    ],
)
def test_bad_y_is_refused(Sampler, y, match):
    """Check that anything but a 0/1 indicator matrix with some label is refused, with the reason."""
    with pytest.raises(ValueError, match=match):
        Sampler().fit_resample(np.zeros((4, 1)), y)


@pytest.mark.parametrize("Sampler", SAMPLERS)
def test_bad_x_is_refused(Sampler):
    """Check that a single string, None or X and y of different lengths are refused."""
    with pytest.raises(TypeError, match="single str"):
        Sampler().fit_resample("one document", Y_TOY)
    with pytest.raises(TypeError, match="requires X"):
        Sampler().fit_resample(None, Y_TOY)
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        Sampler().fit_resample(np.zeros((3, 1)), Y_TOY)


@pytest.mark.parametrize(
    "Sampler, sampling_strategy, match",
    [
        (MultilabelRandomOverSampler, 0, r"range \(0.0, 1.0\]"),
        (MultilabelRandomOverSampler, 1.5, r"range \(0.0, 1.0\]"),
        (MultilabelRandomOverSampler, "auto", "must be a float"),
        (MultilabelRandomUnderSampler, 1.0, r"range \(0.0, 1.0\)"),
        (MultilabelRandomUnderSampler, -0.25, r"range \(0.0, 1.0\)"),
        (MultilabelRandomUnderSampler, {0: 10}, "must be a float"),
    ],
)
def test_bad_sampling_strategy_is_refused(Sampler, sampling_strategy, match):
    """Check that sampling_strategy outside its range is refused in fit_resample and fit."""
    sampler = Sampler(sampling_strategy=sampling_strategy)
    match = f"'sampling_strategy' parameter of {Sampler.__name__}.*{match}"
    with pytest.raises(InvalidParameterError, match=match):
        sampler.fit_resample(np.zeros((4, 1)), Y_TOY)
    with pytest.raises(InvalidParameterError, match="sampling_strategy"):
        sampler.fit(np.zeros((4, 1)), Y_TOY)


def test_bad_random_state_is_refused():
    """Check that random_state is validated."""
    with pytest.raises(InvalidParameterError, match="random_state"):
        MultilabelRandomOverSampler(random_state="zero").fit_resample(np.zeros((4, 1)), Y_TOY)


# scikit-learn and imbalanced-learn API


@pytest.mark.parametrize("Sampler", SAMPLERS)
def test_scikit_learn_api_checks(Sampler):
    """Check the data-free API conventions with scikit-learn's own checks, and the sampler tags."""
    name = Sampler.__name__
    check_parameters_default_constructible(name, Sampler())
    check_no_attributes_set_in_init(name, Sampler())
    check_get_params_invariance(name, Sampler())
    check_set_params(name, Sampler())
    assert is_sampler(Sampler())
    tags = Sampler().__sklearn_tags__()
    assert tags.sampler_tags.sample_indices
    assert tags.input_tags.string and tags.target_tags.multi_output
    sampler = Sampler().fit(pd.DataFrame({"f0": [0] * 4, "f1": [1] * 4}), Y_TOY)
    assert list(sampler.get_feature_names_out()) == ["f0", "f1"]


def test_samplers_in_grid_search_on_tfidf():
    """Check both samplers inside an imblearn Pipeline in GridSearchCV, on sparse TF-IDF features."""
    texts = [f"word{i % 7} word{i % 5} filler" for i in range(120)]
    ids = np.arange(120)
    y = np.column_stack([ids % 7 == 0, ids % 5 == 0, ids % 2 == 0]).astype(int)
    pipe = Pipeline(
        [
            ("tfidf", TfidfVectorizer()),
            ("sampler", MultilabelRandomOverSampler(random_state=0)),
            ("clf", OneVsRestClassifier(LogisticRegression())),
        ]
    )
    grid = GridSearchCV(
        pipe,
        {
            "sampler": [Sampler(random_state=0) for Sampler in SAMPLERS],
            "sampler__sampling_strategy": [0.1, 0.25],
        },
        cv=KFold(3, shuffle=True, random_state=0),
        scoring="f1_macro",
        error_score="raise",
    ).fit(texts, y)
    assert len(grid.cv_results_["params"]) == 4
    assert grid.predict(texts).shape == y.shape


# with the text classifiers


@pytest.mark.estimator
@pytest.mark.parametrize(
    "Sampler, Model", [(RandomOverSampler, CNNClassifier), (RandomUnderSampler, LSTMClassifier)]
)
def test_imblearn_samplers_on_tokenizer_output(multiclass_corpus, Sampler, Model):
    """Check imbalanced-learn's random samplers between TextTokenizer and a classifier:
    the model trains on balanced classes, and predict still sees every document."""
    texts, y = multiclass_corpus
    pipe = make_pipeline(TextTokenizer(max_len=12), Sampler(random_state=0), tiny(Model))
    pipe.fit(texts, y)
    sampler = pipe[1]
    resampled = Counter(np.asarray(y)[sampler.sample_indices_])
    assert len(set(resampled.values())) == 1  # balanced
    assert len(sampler.sample_indices_) != len(texts)
    assert pipe.predict(texts).shape == (len(texts),)
    assert pipe.predict_proba(texts[:7]).shape == (7, 4)


@pytest.mark.estimator
@pytest.mark.slow
def test_multilabel_sampler_in_grid_search_with_a_text_classifier(multilabel_corpus):
    """Check GridSearchCV over a pipeline of tokenizer, multi-label sampler and a multi-label
    classifier, tuning the sampler's sampling_strategy."""
    texts, y = multilabel_corpus
    y = y.copy()
    y[np.arange(len(y)) % 3 != 0, 3] = 0  # make label 3 rare
    pipe = make_pipeline(
        TextTokenizer(max_len=12),
        MultilabelRandomOverSampler(random_state=0),
        tiny(CNNClassifier, epochs=2),
    )
    grid = GridSearchCV(
        pipe,
        {"multilabelrandomoversampler__sampling_strategy": [0.1, 0.25]},
        cv=KFold(2, shuffle=True, random_state=0),
        scoring="f1_macro",
        error_score="raise",
    ).fit(texts, y)
    assert grid.best_params_["multilabelrandomoversampler__sampling_strategy"] in (0.1, 0.25)
    sampler = grid.best_estimator_[1]
    assert 3 in sampler.minority_labels_
    assert len(sampler.sample_indices_) > len(texts)
    assert grid.predict(texts).shape == y.shape
