"""Shared fixtures: tiny corpora and tiny model settings that keep the suite fast."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from skltext import CNNClassifier, LSTMClassifier  # noqa: E402
from skltext.datasets import make_text_classification  # noqa: E402

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"

# Small enough that one fit takes about a second on 2 CPU cores.
TINY = {
    LSTMClassifier: dict(units=4, embedding_dim=8, epochs=3, batch_size=16, learning_rate=0.01, random_state=0),
    CNNClassifier: dict(filters=4, kernel_sizes=(2, 3), embedding_dim=8, epochs=3, batch_size=16,
                        learning_rate=0.01, random_state=0),
}
MODEL_CLASSES = [LSTMClassifier, CNNClassifier]


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
