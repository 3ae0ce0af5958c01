"""Parallel and distributed search: joblib's process backend and a local Dask cluster."""

import logging

import joblib
import numpy as np
import pytest
from imblearn.over_sampling import RandomOverSampler
from imblearn.pipeline import make_pipeline as make_imblearn_pipeline
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_val_score
from sklearn.pipeline import make_pipeline

from skltext import CNNClassifier, LSTMClassifier, TextTokenizer

from .conftest import tiny

CV = StratifiedKFold(2, shuffle=True, random_state=0)


def _search(n_jobs=None):
    pipe = make_imblearn_pipeline(TextTokenizer(max_len=12), RandomOverSampler(random_state=0),
                                  tiny(CNNClassifier, epochs=1))
    # The focal loss is a registered Keras object that each worker must unpickle.
    grid = {"cnnclassifier__loss": ["auto", "focal"]}
    return GridSearchCV(pipe, grid, cv=CV, scoring="f1_macro", n_jobs=n_jobs, error_score="raise")


def _split_scores(search):
    keys = sorted(key for key in search.cv_results_ if key.startswith("split") and key.endswith("_test_score"))
    return np.column_stack([search.cv_results_[key] for key in keys])


@pytest.fixture(scope="module")
def serial_search(binary_corpus):
    texts, y = binary_corpus
    return _search().fit(texts, y)


def test_grid_search_in_worker_processes_equals_serial(serial_search, binary_corpus):
    """Check GridSearchCV(n_jobs=2) on joblib's default process backend against the serial run."""
    texts, y = binary_corpus
    parallel = _search(n_jobs=2).fit(texts, y)
    np.testing.assert_array_equal(_split_scores(parallel), _split_scores(serial_search))
    assert parallel.best_params_ == serial_search.best_params_
    np.testing.assert_array_equal(parallel.predict(texts), serial_search.predict(texts))


def test_cross_val_score_in_worker_processes_equals_serial(multiclass_corpus):
    """Check cross_val_score(n_jobs=2) of an LSTM pipeline against the serial run."""
    texts, y = multiclass_corpus
    pipe = make_pipeline(TextTokenizer(max_len=12), tiny(LSTMClassifier, epochs=2))
    serial = cross_val_score(pipe, texts, y, cv=CV, scoring="accuracy")
    parallel = cross_val_score(pipe, texts, y, cv=CV, scoring="accuracy", n_jobs=2)
    np.testing.assert_array_equal(parallel, serial)


def _dask_search():
    # Candidates far apart in quality: a results mix-up between workers would show.
    pipe = make_pipeline(TextTokenizer(max_len=12), tiny(CNNClassifier, epochs=8))
    return GridSearchCV(pipe, {"texttokenizer__max_words": [2, None]}, cv=CV, scoring="accuracy",
                        error_score="raise")


@pytest.mark.slow
def test_grid_search_on_a_local_dask_cluster_matches_serial(binary_corpus):
    """Check the same GridSearchCV on a 2-worker Dask cluster (loopback only) against the serial run."""
    import distributed

    texts, y = binary_corpus
    serial = _dask_search().fit(texts, y)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None, silence_logs=logging.ERROR) as cluster, \
            distributed.Client(cluster) as client:
        with distributed.get_task_stream(client) as tasks, joblib.parallel_backend("dask"):
            search = _dask_search().fit(texts, y)
    assert len({task["worker"] for task in tasks.data}) == 2
    # Every layer is seeded from random_state, so the worker threads' draws from Python's global
    # `random` cannot reach the networks: the results equal the serial run's exactly.
    assert search.cv_results_["params"] == serial.cv_results_["params"]
    np.testing.assert_array_equal(search.cv_results_["mean_test_score"], serial.cv_results_["mean_test_score"])
    np.testing.assert_array_equal(_split_scores(search), _split_scores(serial))
    assert np.ptp(serial.cv_results_["mean_test_score"]) > 0.3
    np.testing.assert_array_equal(search.predict(texts), serial.predict(texts))
