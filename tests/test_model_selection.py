"""Tests of the multi-label stratified splitters."""


import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, KFold, StratifiedKFold, cross_val_score
from sklearn.multiclass import OneVsRestClassifier

from skltext._iterative_stratification import iterative_stratification
from skltext.model_selection import (
    MultilabelStratifiedKFold,
    multilabel_train_test_split,
)


def _skewed_labels(n_samples=2000, n_labels=30, density=0.05, seed=0):
    """An indicator matrix with label frequencies from a few to a few hundred."""
    rng = np.random.default_rng(seed)
    frequencies = density * rng.power(0.3, n_labels)
    frequencies[:5] = [0.002, 0.003, 0.004, 0.005, 0.006]  # 4 to 12 positives
    return (rng.random((n_samples, n_labels)) < frequencies).astype(np.int8)


def _fold_counts(y, folds, n_splits):
    return np.array([y[folds == fold].sum(axis=0) for fold in range(n_splits)])


def _folds_of(cv, X, y):
    folds = np.full(len(y), -1)
    for fold, (train, test) in enumerate(cv.split(X, y)):
        assert np.all(folds[test] == -1), "a row is in two test folds"
        folds[test] = fold
        assert np.intersect1d(train, test).size == 0
        assert len(train) + len(test) == len(y)
    return folds


def test_disjoint_labels_are_within_one_of_ideal():
    """Check that when every row has one label, each fold gets its share of every label
    within ±1, and of the rows within ±1 too."""
    rng = np.random.default_rng(0)
    classes = rng.choice(7, size=503, p=[0.4, 0.3, 0.15, 0.08, 0.04, 0.02, 0.01])
    y = np.eye(7, dtype=int)[classes]
    parts = iterative_stratification(y, [0.2] * 5, np.random.default_rng(1))
    counts = _fold_counts(y, parts, 5)
    assert np.all(np.abs(counts - y.sum(axis=0) / 5) < 1 + 1e-9)
    assert np.all(np.abs(np.bincount(parts) - 503 / 5) < 1 + 1e-9)


def test_rarest_label_is_spread_exactly():
    """Check that the rarest label, placed first, lands within ±1 of its ideal per fold, and
    that on a skewed matrix the per-label deviation is far below KFold's."""
    y = _skewed_labels()
    folds = _folds_of(MultilabelStratifiedKFold(5, shuffle=True, random_state=0), np.zeros(len(y)), y)
    counts = _fold_counts(y, folds, 5)
    ideal = y.sum(axis=0) / 5
    deviation = np.abs(counts - ideal).max(axis=0)
    rarest = np.argmin(y.sum(axis=0))
    assert deviation[rarest] < 1 + 1e-9
    # with ~1 label per row, iterative stratification keeps every label within ±1
    assert deviation.max() < 1 + 1e-9
    kfold = _folds_of(KFold(5, shuffle=True, random_state=0), np.zeros(len(y)), y)
    kfold_deviation = np.abs(_fold_counts(y, kfold, 5) - ideal).max(axis=0)
    assert deviation.mean() < 0.5 * kfold_deviation.mean()
    # the five rare labels (4 to 12 positives) are in at least min(count, 5) test folds each
    for label in range(5):
        assert (counts[:, label] > 0).sum() == min(y[:, label].sum(), 5)


def test_dense_labels_beat_kfold():
    """Check that with many labels per row (where ±1 is impossible) the mean per-label
    deviation from the ideal is still smaller than KFold's."""
    y = _skewed_labels(n_samples=1500, n_labels=40, density=0.4, seed=3)
    ideal = y.sum(axis=0) / 4
    folds = _folds_of(MultilabelStratifiedKFold(4), np.zeros(len(y)), y)
    ours = np.abs(_fold_counts(y, folds, 4) - ideal).max(axis=0).mean()
    kfold = _folds_of(KFold(4, shuffle=True, random_state=0), np.zeros(len(y)), y)
    theirs = np.abs(_fold_counts(y, kfold, 4) - ideal).max(axis=0).mean()
    assert ours < theirs


def test_every_row_in_exactly_one_test_fold():
    """Check that the test folds partition the rows, rows without labels included, and that
    the fold sizes are within ±1 of n / k."""
    y = _skewed_labels(n_samples=301)
    y[::7] = 0  # rows without any label
    folds = _folds_of(MultilabelStratifiedKFold(3), np.zeros(301), y)
    assert (folds >= 0).all()
    assert np.abs(np.bincount(folds) - 301 / 3).max() <= 1 + 1e-9


def test_proportions_of_a_holdout():
    """Check that unequal proportions give parts of the requested sizes and label shares."""
    y = _skewed_labels(n_samples=1000)
    parts = iterative_stratification(y, [0.9, 0.1], np.random.default_rng(0))
    assert abs((parts == 1).sum() - 100) <= 1
    counts = _fold_counts(y, parts, 2)
    assert np.all(np.abs(counts[1] - 0.1 * y.sum(axis=0)) < 1 + 1e-9)


def test_deterministic_and_shuffle():
    """Check that splits repeat with the same random_state, differ with another one or with
    shuffle=False, and that shuffle=False needs no random_state."""
    y = _skewed_labels(n_samples=400)
    X = np.zeros((400, 1))

    def tests_of(cv):
        return [test.tolist() for _, test in cv.split(X, y)]

    first = tests_of(MultilabelStratifiedKFold(4, shuffle=True, random_state=0))
    assert first == tests_of(MultilabelStratifiedKFold(4, shuffle=True, random_state=0))
    assert first != tests_of(MultilabelStratifiedKFold(4, shuffle=True, random_state=1))
    unshuffled = tests_of(MultilabelStratifiedKFold(4))
    assert unshuffled == tests_of(MultilabelStratifiedKFold(4))
    assert unshuffled != first
    # a RandomState instance draws new splits on every call, as in scikit-learn
    cv = MultilabelStratifiedKFold(4, shuffle=True, random_state=np.random.RandomState(0))
    assert tests_of(cv) != tests_of(cv)
    parts = iterative_stratification(y, [0.25] * 4, np.random.default_rng(5))
    np.testing.assert_array_equal(parts, iterative_stratification(y, [0.25] * 4, np.random.default_rng(5)))


def test_one_dimensional_y_is_stratified_by_class():
    """Check that a 1-D y (strings) gets every class within ±1 of its share, like
    StratifiedKFold."""
    rng = np.random.default_rng(0)
    y = rng.choice(["a", "b", "c"], size=200, p=[0.7, 0.2, 0.1])
    folds = _folds_of(MultilabelStratifiedKFold(5), np.zeros(200), y)
    for label in "abc":
        per_fold = np.bincount(folds[y == label], minlength=5)
        assert np.abs(per_fold - (y == label).sum() / 5).max() < 1 + 1e-9
    column = _folds_of(MultilabelStratifiedKFold(5), np.zeros(200), y.reshape(-1, 1))
    np.testing.assert_array_equal(folds, column)


def test_sparse_y_and_text_X():
    """Check that a sparse indicator matrix gives the same folds as the dense one and that X
    can be a list of strings."""
    y = _skewed_labels(n_samples=200)
    texts = [f"doc {i}" for i in range(200)]
    dense = [test.tolist() for _, test in MultilabelStratifiedKFold(3).split(texts, y)]
    sparse = [test.tolist() for _, test in MultilabelStratifiedKFold(3).split(texts, sp.csr_matrix(y))]
    assert dense == sparse


def test_large_sparse_matrix_is_split_evenly():
    """Check that 30,000 rows x 200 sparse labels are split into equal folds (speed: see benchmarks)."""
    rng = np.random.default_rng(0)
    y = sp.csr_matrix(rng.random((30_000, 200)) < 0.02 * rng.power(0.3, 200))
    parts = iterative_stratification(y, [0.2] * 5, np.random.default_rng(0))
    assert np.bincount(parts).tolist() == [6000] * 5


def test_cross_val_score_and_grid_search():
    """Check that the splitter plugs into cross_val_score and GridSearchCV on a multi-label
    problem."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(240, 5))
    y = np.column_stack([X[:, 0] > 0, X[:, 1] > 0.8, X[:, 2] + X[:, 3] > 0]).astype(int)
    cv = MultilabelStratifiedKFold(3, shuffle=True, random_state=0)
    model = OneVsRestClassifier(LogisticRegression())
    scores = cross_val_score(model, X, y, cv=cv, scoring="f1_macro")
    assert scores.shape == (3,) and scores.min() > 0.5
    search = GridSearchCV(model, {"estimator__C": [0.1, 1.0]}, cv=cv, scoring="f1_micro").fit(X, y)
    assert search.best_params_["estimator__C"] in (0.1, 1.0)
    assert cv.get_n_splits() == 3


def test_single_label_matches_stratified_kfold_counts():
    """Check that on a binary y the per-class counts per fold equal StratifiedKFold's."""
    y = np.array([0] * 37 + [1] * 13)
    ours = _folds_of(MultilabelStratifiedKFold(5), np.zeros(50), y)
    theirs = _folds_of(StratifiedKFold(5), np.zeros(50), y)
    for label in (0, 1):
        assert sorted(np.bincount(ours[y == label], minlength=5)) == sorted(
            np.bincount(theirs[y == label], minlength=5))


def test_train_test_split():
    """Check multilabel_train_test_split: sizes, label shares, pairing of arrays and
    reproducibility."""
    y = _skewed_labels(n_samples=400)
    texts = np.array([f"doc {i}" for i in range(400)])
    texts_train, texts_test, y_train, y_test = multilabel_train_test_split(
        texts, y, stratify=y, test_size=0.25, random_state=0)
    assert len(texts_test) == 100 and len(texts_train) == 300
    np.testing.assert_array_equal(y[[int(t.split()[1]) for t in texts_test]], y_test)
    assert np.all(np.abs(y_test.sum(axis=0) - y.sum(axis=0) / 4) < 1 + 1e-9)
    again = multilabel_train_test_split(texts, stratify=y, test_size=100, random_state=0)
    np.testing.assert_array_equal(again[1], texts_test)


@pytest.mark.parametrize(
    "y, match",
    [
        (None, "requires y to be passed"),
        (np.linspace(0, 1, 10), "got a 'continuous' target"),
        (np.arange(20).reshape(10, 2), "got a 'multiclass-multioutput' target"),
    ],
)
def test_bad_y(y, match):
    """Check that a missing or unsuitable y is refused with a message naming the problem."""
    with pytest.raises(ValueError, match=match):
        next(MultilabelStratifiedKFold(2).split(np.zeros((10, 1)), y))


def test_bad_parameters():
    """Check the errors for too many splits, n_splits < 2, random_state without shuffle,
    bad proportions and bad test sizes."""
    y = np.eye(2, dtype=int)[[0, 1, 0, 1]]
    with pytest.raises(ValueError, match="Cannot have number of splits n_splits=5 greater than the number"):
        next(MultilabelStratifiedKFold(5).split(np.zeros((4, 1)), y))
    with pytest.raises(ValueError, match="at least one train/test split"):
        MultilabelStratifiedKFold(1)
    with pytest.raises(ValueError, match="Setting a random_state has no effect"):
        MultilabelStratifiedKFold(2, random_state=0)
    with pytest.raises(ValueError, match="sum to 1"):
        iterative_stratification(y, [0.5, 0.6])
    with pytest.raises(ValueError, match="test_size"):
        multilabel_train_test_split(np.zeros(4), stratify=y, test_size=1.5)
    with pytest.raises(ValueError, match="test_size"):
        multilabel_train_test_split(np.zeros(4), stratify=y, test_size=4)
    with pytest.raises(ValueError, match="stratify has 4 rows"):
        multilabel_train_test_split(np.zeros(5), stratify=y)
