"""Bad and unusual input, one table row per case: the error it raises or the behaviour it gets.

Each row is (case, action, expected). ``action`` takes the fitted objects of
the ``fitted`` fixture; ``expected`` is either ``(exception type, message
fragment)`` or a function that checks the accepted result. The README's
"Bad input" table documents the same cases.
"""

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from imblearn.over_sampling import SMOTE
from imblearn.pipeline import make_pipeline as make_imblearn_pipeline
from sklearn.compose import ColumnTransformer
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.utils._param_validation import InvalidParameterError

from skltext import CNNClassifier, LSTMClassifier, TextTokenizer, ThresholdOptimizer
from skltext.sampling import MultilabelRandomOverSampler
from skltext.text import OOV_ID, PAD_ID

from .conftest import tiny

DOCS = ["a good film", "a bad film", "great acting", "poor plot", "good fun", "bad acting", "fine film",
        "dull plot", "good plot", "bad fun"] * 2
LABELS = np.array(["pos", "neg"] * 10)
IDS = np.array([[0, 2, 3], [2, 4, 5], [0, 0, 3], [5, 2, 4]] * 5)
ID_LABELS = np.array(["a", "b", "a", "b"] * 5)
WIDTH = 6
MEGABYTE_DOCUMENT = "good " * 209_715 + "film"  # 1 MiB of text
MIXED_SCRIPTS = "Привет мир 你好世界 مرحبا بالعالم שלום\u200f good 👍🏽 film 🎬"


def _with(documents, index, value):
    documents = list(documents)
    documents[index] = value
    return documents


def _pipeline():
    return make_pipeline(TextTokenizer(max_len=WIDTH), tiny(CNNClassifier, epochs=1))


@pytest.fixture(scope="module")
def fitted():
    """One fitted pipeline (raw text) and one fitted model (token ids), shared by the accepted rows."""
    return SimpleNamespace(pipeline=_pipeline().fit(DOCS, LABELS),
                           model=tiny(CNNClassifier, epochs=1).fit(IDS, ID_LABELS))


def _multilabel_target():
    Y = np.zeros((len(IDS), 3), dtype=int)
    Y[::2, 0] = 1
    Y[:, 1] = 1  # a label every document has
    Y[3] = 0  # a document without any label; label 2 has no document at all
    return Y


# ---------------------------------------------------------------- accepted behaviour


def _all_padding(ids):
    np.testing.assert_array_equal(ids, PAD_ID)


def _only_oov(ids):
    assert set(ids[0][ids[0] != PAD_ID]) == {OOV_ID}


def _truncated_to_max_len(ids, f):
    assert ids.shape == (1, WIDTH) and set(ids[0]) == {f.pipeline[0].vocabulary_["good"]}


def _scripts_are_tokens(vocabulary):
    # Word characters of any script make tokens; emoji and direction marks separate them.
    assert set(vocabulary) == {"привет", "мир", "你好世界", "مرحبا", "بالعالم", "שלום", "good", "film"}


def _replaced_bytes_separate_tokens(ids):
    assert list(ids[0]) == [PAD_ID, PAD_ID, 3, 2]  # 'a good' kept ('good' is id 2), the bad bytes dropped


def _labels_from_classes(predicted, f):
    assert len(predicted) == 4 and set(predicted) <= set(f.pipeline.classes_)


def _unseen_labels_count_as_errors(score, f):
    y = np.where(ID_LABELS == "a", "a", "z")  # 'z' was never seen in fit
    assert score == np.mean(f.model.predict(IDS) == y) <= 0.5


def _read_as_oov(pair):
    large, as_oov = pair
    np.testing.assert_array_equal(large, as_oov)


def _multilabel_trains(proba):
    assert proba.shape == (len(IDS), 3) and np.isfinite(proba).all()


def _fits(estimator):
    assert hasattr(estimator, "model_") or hasattr(estimator, "vocabulary_")


def _oov_ids(ids):
    large = ids.copy()
    large[:, -1] = 10_000
    oov = ids.copy()
    oov[:, -1] = OOV_ID
    return large, oov


# ---------------------------------------------------------------- the table

CASES = [
    # Documents
    ("None document", lambda f: _pipeline().fit(_with(DOCS, 2, None), LABELS),
     (TypeError, "document 2 is a missing value; fill missing text first")),
    ("NaN document", lambda f: _pipeline().fit(_with(DOCS, 2, float("nan")), LABELS),
     (TypeError, "document 2 is a missing value")),
    ("float document", lambda f: _pipeline().fit(_with(DOCS, 2, 3.5), LABELS),
     (TypeError, "document 2 is of type float; convert documents to str first")),
    ("bytes document", lambda f: _pipeline().fit(_with(DOCS, 2, b"good film"), LABELS),
     (TypeError, r"document 2 is bytes; decode it first, e.g. doc.decode\('utf-8'\)")),
    ("non-UTF-8 bytes", lambda f: f.pipeline.predict([b"good \xff\xfe film"]),
     (TypeError, "document 0 is bytes; decode it first")),
    ("non-UTF-8 bytes decoded with errors='replace'",
     lambda f: TextTokenizer(max_len=4).fit(["a good", "good"]).transform(
         [b"a \xff\xfe good".decode("utf-8", errors="replace")]), _replaced_bytes_separate_tokens),
    ("nested list document", lambda f: _pipeline().fit(_with(DOCS, 2, ["good", "film"]), LABELS),
     (TypeError, "document 2 is of type list")),
    ("single string", lambda f: f.pipeline.predict("good film"),
     (TypeError, r"got a single str. Wrap it in a list: \[text\]")),
    ("2-D array of strings", lambda f: _pipeline().fit(np.array(DOCS).reshape(-1, 2), LABELS[:10]),
     (ValueError, r"1-D collection of documents, got an array of shape \(10, 2\)")),
    ("no documents", lambda f: _pipeline().fit([], []),
     (ValueError, "needs at least one document to fit; got 0")),
    ("raw text to a model", lambda f: tiny(LSTMClassifier).fit(DOCS, LABELS),
     (TypeError, "takes token ids .*, not raw text. Put a TextTokenizer in front")),
    ("empty and whitespace-only documents", lambda f: f.pipeline[0].transform(["", "   ", "\n\t"]),
     _all_padding),
    ("only out-of-vocabulary words", lambda f: f.pipeline[0].transform(["zebra quokka axolotl"]), _only_oov),
    ("1 MB document", lambda f: f.pipeline[0].transform([MEGABYTE_DOCUMENT]), _truncated_to_max_len),
    ("mixed scripts, emoji, right-to-left", lambda f: TextTokenizer().fit([MIXED_SCRIPTS]).vocabulary_,
     _scripts_are_tokens),
    ("predict on all of the above", lambda f: f.pipeline.predict(["", "zebra", MEGABYTE_DOCUMENT, MIXED_SCRIPTS]),
     _labels_from_classes),
    # Targets
    ("X and y of different lengths", lambda f: _pipeline().fit(DOCS, LABELS[:-1]),
     (ValueError, "inconsistent numbers of samples")),
    ("y with a single class", lambda f: _pipeline().fit(DOCS, ["pos"] * len(DOCS)),
     (ValueError, r"y has only one class \('pos'\); a classifier needs at least two")),
    ("y with NaN", lambda f: tiny(CNNClassifier).fit(IDS, np.where(np.arange(20) == 3, np.nan, 1.0)),
     (ValueError, "y contains 1 missing value.*first at row 3")),
    ("y with None", lambda f: _pipeline().fit(DOCS, _with(LABELS, 4, None)),
     (ValueError, "y contains 1 missing value.*first at row 4")),
    ("mixed label types (list)", lambda f: _pipeline().fit(DOCS, [1, "neg"] * 10),
     (ValueError, r"y mixes label types \(number and str\)")),
    ("mixed label types (object array)", lambda f: tiny(CNNClassifier).fit(IDS, np.array([1, "b"] * 10, dtype=object)),
     (ValueError, r"y mixes label types \(number and str\)")),
    ("continuous y", lambda f: tiny(CNNClassifier).fit(IDS, np.linspace(0, 1, 20)),
     (ValueError, "Unknown label type: 'continuous'")),
    ("multi-label y with all-zero rows and all-one / all-zero columns",
     lambda f: tiny(CNNClassifier, epochs=1).fit(IDS, _multilabel_target()).predict_proba(IDS), _multilabel_trains),
    ("multi-label y that is not 0/1", lambda f: tiny(CNNClassifier).fit(IDS, _multilabel_target() * 2),
     (ValueError, "must be a 0/1 indicator matrix")),
    ("unseen labels passed to score", lambda f: f.model.score(IDS, np.where(ID_LABELS == "a", "a", "z")),
     _unseen_labels_count_as_errors),
    # Token ids given to a model without the tokenizer
    ("negative token ids", lambda f: tiny(CNNClassifier).fit(IDS - 10, ID_LABELS),
     (ValueError, "Negative values in data passed to CNNClassifier: token ids start at 0")),
    ("token ids beyond int32", lambda f: f.model.predict(IDS + 2**40),
     (ValueError, "contains token ids above 2147483647")),
    ("fractional token ids", lambda f: tiny(CNNClassifier).fit(IDS + 0.5, ID_LABELS),
     (ValueError, "non-integer values such as 0.5")),
    ("infinite token ids", lambda f: f.model.predict(np.where(IDS == 2, np.inf, IDS)),
     (ValueError, "Input X contains infinity")),
    ("token ids above the fitted vocabulary",
     lambda f: tuple(f.model.predict_proba(ids) for ids in _oov_ids(IDS)), _read_as_oov),
    ("wrong sequence length at predict", lambda f: f.model.predict(np.hstack([IDS, IDS[:, :1]])),
     (ValueError, "X has 4 features, but CNNClassifier is expecting 3 features")),
    ("1-D token ids", lambda f: f.model.predict(IDS[:, 0]), (ValueError, "Expected 2D array")),
    ("multi-label y as label lists", lambda f: tiny(CNNClassifier).fit(IDS, [["a", "b"], ["a"]] * 10),
     (ValueError, "collection of labels per sample.*MultiLabelBinarizer")),
    ("sampler that synthesises rows before a model", lambda f: make_imblearn_pipeline(
        TextTokenizer(max_len=WIDTH), SMOTE(k_neighbors=2), tiny(CNNClassifier)).fit(DOCS, LABELS),
     (ValueError, r"cannot learn from the rows of SMOTE \(step 'smote'\).*no sample_indices_")),
    ("token ids beside a numeric column", lambda f: make_pipeline(
        ColumnTransformer([("tokens", TextTokenizer(max_len=WIDTH), "text")], remainder="passthrough"),
        tiny(CNNClassifier)).fit(pd.DataFrame({"text": DOCS, "length": list(map(len, DOCS))}), LABELS),
     (ValueError, r"joins 2 blocks side by side \('tokens', 'remainder'\)")),
    # Use before fit
    ("model predict before fit", lambda f: tiny(LSTMClassifier).predict(IDS), (NotFittedError, "not fitted yet")),
    ("tokenizer transform before fit", lambda f: TextTokenizer().transform(DOCS), (NotFittedError, "not fitted yet")),
    ("pipeline predict before fit", lambda f: _pipeline().predict(DOCS), (NotFittedError, "not fitted yet")),
    ("ThresholdOptimizer predict before fit", lambda f: ThresholdOptimizer(_pipeline()).predict(DOCS),
     (NotFittedError, "not fitted yet")),
    # Parameters: stored untouched by the constructor, checked in fit
    ("model parameter out of range", lambda f: tiny(LSTMClassifier, units=0).fit(IDS, ID_LABELS),
     (InvalidParameterError, "'units' parameter of LSTMClassifier must be an int in the range")),
    ("tokenizer parameter out of range", lambda f: TextTokenizer(max_len=0).fit(DOCS),
     (InvalidParameterError, "'max_len' parameter of TextTokenizer")),
    ("ThresholdOptimizer parameter out of range",
     lambda f: ThresholdOptimizer(LogisticRegression(), max_candidates=1).fit(IDS, ID_LABELS),
     (InvalidParameterError, "'max_candidates' parameter of ThresholdOptimizer")),
    ("sampler parameter out of range",
     lambda f: MultilabelRandomOverSampler(sampling_strategy=2.0).fit_resample(IDS, _multilabel_target()),
     (InvalidParameterError, "'sampling_strategy' parameter of MultilabelRandomOverSampler")),
    ("valid parameters after set_params", lambda f: tiny(CNNClassifier, epochs=1).set_params(filters=2).fit(
        IDS, ID_LABELS), _fits),
]


@pytest.mark.parametrize("action, expected", [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_bad_input_table(action, expected, fitted):
    """Check each row: the named exception with its message, or the documented accepted behaviour."""
    if isinstance(expected, tuple):
        error, match = expected
        with pytest.raises(error, match=match):
            action(fitted)
    else:
        result = action(fitted)
        if expected.__code__.co_argcount == 2:
            expected(result, fitted)
        else:
            expected(result)


def test_table_covers_every_case_once():
    """Check that case names are unique, so each README row maps to one test."""
    names = [case[0] for case in CASES]
    assert len(names) == len(set(names)) >= 40
