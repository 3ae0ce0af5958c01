"""Shared fixtures: tiny corpora and tiny model settings that keep the suite fast.

Also three collection rules:

- a test that runs Keras (builds, trains or loads a network, calls ``keras`` or a
  skltext model, or names a deep model of ``skltext compare``) is marked
  ``estimator``, so the JAX pass of ``.ci/run`` runs it too; a test that builds a
  Keras network without the marker fails, so the rule cannot silently miss one;
- tests marked ``slow`` run only when the ``-m`` expression names ``slow``;
- under pytest-xdist each worker gets its share of the CPU cores for BLAS,
  TensorFlow and XLA, instead of every worker using all of them.
"""

import os
import re
import types

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def _cap_threads_per_worker():
    """Give each xdist worker cores // workers threads; set before numpy or a backend is loaded."""
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "0"))
    if workers < 2:
        return
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    threads = max(1, cores // workers)
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "TF_NUM_INTRAOP_THREADS"):
        os.environ.setdefault(name, str(threads))
    # One inter-op thread can deadlock TensorFlow ops that wait on one another.
    os.environ.setdefault("TF_NUM_INTEROP_THREADS", str(max(2, threads)))
    if threads == 1 and "XLA_FLAGS" not in os.environ:
        os.environ["XLA_FLAGS"] = "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"
    from threadpoolctl import threadpool_limits

    # In case a plugin loaded numpy's BLAS before this file: limit the loaded pools too.
    threadpool_limits(threads)


_cap_threads_per_worker()

import functools  # noqa: E402
from pathlib import Path  # noqa: E402

import keras  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from sklearn.base import BaseEstimator  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402

from skltext import (  # noqa: E402
    CNNClassifier,
    DeepLinearClassifier,
    LSTMClassifier,
    TextTokenizer,
    load_model,
    save_model,
)
from skltext.datasets import make_text_classification  # noqa: E402
from skltext.models import build_cnn, build_lstm, build_ngram  # noqa: E402

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"

# --------------------------------------------------------------------------- which tests run Keras

# Names of the deep models of `skltext compare` and `skltext train`, as a test passes them.
_DEEP_MODEL_NAME = re.compile(r"\b(?:cnn|lstm|ngram)\b")
_KERAS_FUNCTIONS = {build_cnn, build_lstm, build_ngram, load_model, save_model}


def _from_keras(module_name):
    return (module_name or "").split(".")[0] in {"keras", "scikeras"}


# Functions and classes of the test modules (tests.test_*, tests.conftest) are followed into.
_TEST_PACKAGE = __name__.rpartition(".")[0]


def _is_test_code(obj):
    return (getattr(obj, "__module__", None) or "").rpartition(".")[0] == _TEST_PACKAGE


def _runs_keras(obj, seen):
    """Whether ``obj``, a value a test refers to, runs Keras: a Keras object, a skltext model, a function
    that builds or loads one, a deep model's name, or test code that uses one of these."""
    if isinstance(obj, str):
        return _DEEP_MODEL_NAME.search(obj) is not None
    if id(obj) in seen:
        return False
    seen[id(obj)] = obj  # kept alive, so that its id is not reused within this search
    if isinstance(obj, types.ModuleType):
        return _from_keras(obj.__name__)
    if isinstance(obj, (list, tuple, set, frozenset)):
        return any(_runs_keras(item, seen) for item in obj)
    if isinstance(obj, dict):
        return any(_runs_keras(key, seen) or _runs_keras(value, seen) for key, value in obj.items())
    if isinstance(obj, type):
        if issubclass(obj, DeepLinearClassifier) or any(_from_keras(cls.__module__) for cls in obj.__mro__):
            return True
        # A helper class of the tests: look at its methods.
        return _is_test_code(obj) and any(_runs_keras(value, seen) for value in vars(obj).values())
    if isinstance(obj, BaseEstimator):
        return _runs_keras(type(obj), seen) or _runs_keras(obj.get_params(), seen)
    if isinstance(obj, functools.partial):
        return _runs_keras((obj.func, obj.args, obj.keywords), seen)
    if isinstance(obj, (staticmethod, classmethod, property)):
        return _runs_keras(getattr(obj, "__func__", getattr(obj, "fget", None)), seen)
    if isinstance(obj, types.FunctionType):
        if obj in _KERAS_FUNCTIONS or _from_keras(obj.__module__):
            return True
        return _is_test_code(obj) and _code_runs_keras(obj.__code__, obj.__globals__, obj.__doc__, seen)
    return False


def _code_runs_keras(code, namespace, docstring, seen):
    for const in code.co_consts:
        if isinstance(const, types.CodeType):  # nested functions, lambdas and comprehensions
            if _code_runs_keras(const, namespace, None, seen):
                return True
        elif isinstance(const, str) and const != docstring and _DEEP_MODEL_NAME.search(const):
            return True
    return any(name in namespace and _runs_keras(namespace[name], seen) for name in code.co_names)


def _test_runs_keras(item):
    seen = {}
    if _runs_keras(item.function, seen):
        return True
    callspec = getattr(item, "callspec", None)
    if callspec is not None and _runs_keras(callspec.params, seen):
        return True
    return any(_runs_keras(fixturedef.func, seen) for name in item.fixturenames
               for fixturedef in item._fixtureinfo.name2fixturedefs.get(name, ()))


def pytest_collection_modifyitems(config, items):
    markexpr = config.getoption("markexpr", "") or ""
    run_slow = re.search(r"\bslow\b", markexpr) is not None
    named = {arg for arg in config.args if "::" in arg}  # a slow test asked for by its id runs too
    kept, deselected = [], []
    for item in items:
        if isinstance(item, pytest.Function) and _test_runs_keras(item):
            item.add_marker(pytest.mark.estimator)
        if item.get_closest_marker("slow") is not None and not run_slow \
                and item.nodeid not in named and item.nodeid.partition("[")[0] not in named:
            deselected.append(item)
        else:
            kept.append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept


# Every Keras network built in this process, counted so that an unmarked test that builds one fails.
_networks_built = [0]
_keras_model_init = keras.Model.__init__


@functools.wraps(_keras_model_init)
def _counting_init(self, *args, **kwargs):
    _networks_built[0] += 1
    return _keras_model_init(self, *args, **kwargs)


keras.Model.__init__ = _counting_init
_BUILT_BEFORE = pytest.StashKey[int]()


def pytest_runtest_setup(item):
    item.stash[_BUILT_BEFORE] = _networks_built[0]


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item, nextitem):
    if _BUILT_BEFORE in item.stash and _networks_built[0] > item.stash[_BUILT_BEFORE] \
            and item.get_closest_marker("estimator") is None and isinstance(item, pytest.Function):
        pytest.fail(f"{item.nodeid} builds a Keras network but is not marked estimator, so the JAX pass "
                    "would skip it: mark it, or teach conftest's _runs_keras what it uses", pytrace=False)


# --------------------------------------------------------------------------- tiny models and corpora

# Small enough that one fit takes about a second on 2 CPU cores.
TINY = {
    LSTMClassifier: dict(units=4, embedding_dim=8, epochs=3, batch_size=16, learning_rate=0.01, random_state=0),
    CNNClassifier: dict(filters=4, kernel_sizes=(2, 3), embedding_dim=8, epochs=3, batch_size=16,
                        learning_rate=0.01, random_state=0),
}
MODEL_CLASSES = [LSTMClassifier, CNNClassifier]


def sample_weight_given_to_keras(fit_kwargs):
    """The sample weights of a keras.Model.fit call: an argument, or carried by the batches (the seeded
    shuffled, balanced or length-bucketed batches)."""
    if "sample_weight" in fit_kwargs:
        return fit_kwargs["sample_weight"]
    return fit_kwargs["x"].sample_weight


class RecordingFit:
    """Replaces keras.Model.fit to keep the keyword arguments of every call, in order."""

    def __init__(self, monkeypatch):
        self.calls = []
        original = keras.Model.fit

        def fit(model, *args, **kwargs):
            self.calls.append(kwargs)
            return original(model, *args, **kwargs)

        monkeypatch.setattr(keras.Model, "fit", fit)


def label_attention_logits(features, ids, attention, evidence):
    """Label-wise attention logits computed directly: for each document and output, the softmax over the
    document's non-padding positions of their attention scores, times each position's evidence.

    ``features`` has shape (documents, positions, dim), aligned with ``ids`` (0 for padding).
    """
    logits = np.zeros((len(ids), attention.shape[1]))
    for row, (document, read) in enumerate(zip(ids, features)):
        present = read[document != 0]
        if len(present) == 0:
            continue
        scores = present @ attention
        weights = np.exp(scores - scores.max(axis=0))
        weights /= weights.sum(axis=0)
        logits[row] = (weights * (present @ evidence)).sum(axis=0)
    return logits


def tiny(model_class, **params):
    """A fast instance of ``model_class``; ``params`` override the tiny defaults."""
    return model_class(**{**TINY[model_class], **params})


@pytest.fixture(params=MODEL_CLASSES, ids=lambda cls: cls.__name__)
def model_class(request):
    return request.param


@pytest.fixture(scope="session")
def binary_corpus():
    texts, y = make_text_classification(160, n_classes=2, signal=0.5, max_length=12, random_state=0)
    return texts, np.where(y == "class_0", "neg", "pos")


@pytest.fixture(scope="session")
def multiclass_corpus():
    return make_text_classification(240, n_classes=4, weights=[4, 3, 2, 1], signal=0.5, max_length=12,
                                    random_state=1)


@pytest.fixture(scope="session")
def _fitted_multiclass_pipelines():
    return {}


@pytest.fixture()
def multiclass_pipeline(model_class, multiclass_corpus, _fitted_multiclass_pipelines):
    """A tokenizer + tiny ``model_class`` pipeline fitted on ``multiclass_corpus`` for 10 epochs.

    Fitted once per session and model class and shared: tests must only read it (predict, pickle).
    """
    if model_class not in _fitted_multiclass_pipelines:
        texts, y = multiclass_corpus
        pipe = make_pipeline(TextTokenizer(max_len=12), tiny(model_class, epochs=10))
        _fitted_multiclass_pipelines[model_class] = pipe.fit(texts, y)
    return _fitted_multiclass_pipelines[model_class]


@pytest.fixture(scope="session")
def ten_class_corpus():
    """Ten classes: the fewest for which the 'auto' settings that depend on the class count switch on."""
    return make_text_classification(200, n_classes=10, signal=0.5, max_length=12, random_state=0)


@pytest.fixture(scope="session")
def multilabel_corpus():
    return make_text_classification(240, n_classes=4, multilabel=True, signal=0.5, max_length=12,
                                    random_state=2)


@pytest.fixture(scope="session")
def trec6_sample():
    """600 training questions of TREC-6 (a real corpus), when ../shared/data is there."""
    path = SHARED_DATA / "trec6.jsonl.gz"
    if not path.exists():
        pytest.skip(f"real corpus not found at {path}")
    from skltext.datasets import load_jsonl_corpus

    corpus = load_jsonl_corpus(path)
    train = [i for i, split in enumerate(corpus["splits"]) if split == "train"]
    rng = np.random.RandomState(0)
    pick = rng.choice(train, size=600, replace=False)
    return [corpus["texts"][i] for i in pick], np.array([corpus["labels"][i] for i in pick])
