"""Inputs the models cannot use correctly are refused with the fix, never silently misread.

One section per kind of problem, each tried on several cases: synthesising
samplers before a model, one-hot targets, feature matrices that cannot be the
token ids of one tokenizer, NumPy scalars as hyperparameters, label lists as
a multi-label target, and probabilities that must sum to 1.
"""

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import log_loss
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline

from skltext import CNNClassifier, LSTMClassifier, TextTokenizer, ThresholdOptimizer

from .conftest import MODEL_CLASSES, TINY, tiny

DOCS = ["a good film", "a bad film", "great acting", "poor plot", "good fun", "bad acting", "fine film",
        "dull plot", "good plot", "bad fun", "a fine plot", "great fun"] * 3
LABELS3 = np.array(["pos", "neg", "mid"] * 12)
IDS = np.array([[0, 2, 3], [2, 4, 5], [0, 0, 3], [5, 2, 4], [0, 6, 2], [3, 3, 7]] * 6)
CODES = np.arange(len(IDS)) % 3


# ---------------------------------------------------------------- probabilities


@pytest.fixture(scope="module")
def multiclass_model():
    return tiny(CNNClassifier, epochs=1).fit(IDS, CODES)


@pytest.mark.estimator
def test_multiclass_probabilities_sum_to_one_as_log_loss_checks(multiclass_model):
    """Check that every row sums to 1 within log_loss's tolerance, so it does not warn."""
    proba = multiclass_model.predict_proba(IDS)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=np.sqrt(np.finfo(np.float64).eps))
    with warnings.catch_warnings():
        # log_loss warns with a UserWarning when rows do not sum to 1; backends may add their own warnings.
        warnings.simplefilter("error", UserWarning)
        log_loss(CODES, proba)
        cross_val_score(tiny(CNNClassifier, epochs=1), IDS, CODES, cv=2, scoring="neg_log_loss")


@pytest.mark.estimator
@pytest.mark.parametrize("target", ["binary", "multiclass", "multilabel"])
def test_predict_log_proba_is_the_log_of_predict_proba(target, multiclass_model):
    """Check predict_log_proba for each head, on the model and through a pipeline and ThresholdOptimizer."""
    if target == "multiclass":
        model = multiclass_model
    elif target == "binary":
        model = tiny(LSTMClassifier, epochs=1).fit(IDS, CODES == 0)
    else:
        model = tiny(LSTMClassifier, epochs=1).fit(IDS, np.stack([CODES == 0, CODES != 1], axis=1).astype(int))
    proba = model.predict_proba(IDS)
    np.testing.assert_allclose(model.predict_log_proba(IDS), np.log(proba))
    if target == "binary":
        np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-15)
        pipe = make_pipeline(TextTokenizer(max_len=4), tiny(CNNClassifier, epochs=1)).fit(DOCS, LABELS3 == "pos")
        np.testing.assert_allclose(pipe.predict_log_proba(DOCS[:5]), np.log(pipe.predict_proba(DOCS[:5])))
        tuned = ThresholdOptimizer(tiny(CNNClassifier, epochs=1), cv=2).fit(IDS, CODES == 0)
        np.testing.assert_allclose(tuned.predict_log_proba(IDS), np.log(tuned.predict_proba(IDS)))


# ---------------------------------------------------------------- label lists as a multi-label target

LABEL_LISTS = {
    "ragged lists": [["news", "sport"], ["news"]] * 18,
    "equal-length lists of strings": [["news"], ["sport"]] * 18,
    "tuples with an empty row": [("news", "sport"), ()] * 18,
    "sets": [{1, 2}, {3, 4}] * 18,
    "pandas Series of lists": "series",
    "object array of ragged lists": "object array",
    "labels mixed with lists": ["news", ["news", "sport"]] * 18,
}


def _label_lists(kind):
    value = LABEL_LISTS[kind]
    if value == "series":
        return pd.Series([["news", "sport"], ["news"]] * 18)
    if value == "object array":
        y = np.empty(len(IDS), dtype=object)
        y[:] = [["news", "sport"], ["news"]] * 18
        return y
    return value


@pytest.mark.parametrize("kind", list(LABEL_LISTS))
@pytest.mark.parametrize("consumer", ["LSTMClassifier", "CNNClassifier pipeline", "MultilabelRandomOverSampler",
                                      "MultilabelRandomUnderSampler", "ThresholdOptimizer"])
def test_label_lists_are_refused_with_multilabelbinarizer(consumer, kind):
    """Check that every estimator taking a multi-label y names MultiLabelBinarizer for label lists."""
    from sklearn.linear_model import LogisticRegression

    from skltext.sampling import MultilabelRandomOverSampler, MultilabelRandomUnderSampler

    y = _label_lists(kind)
    fit = {
        "LSTMClassifier": lambda: tiny(LSTMClassifier).fit(IDS, y),
        "CNNClassifier pipeline": lambda: make_pipeline(TextTokenizer(), tiny(CNNClassifier)).fit(DOCS, y),
        "MultilabelRandomOverSampler": lambda: MultilabelRandomOverSampler().fit_resample(IDS, y),
        "MultilabelRandomUnderSampler": lambda: MultilabelRandomUnderSampler().fit_resample(IDS, y),
        "ThresholdOptimizer": lambda: ThresholdOptimizer(LogisticRegression()).fit(IDS, y),
    }[consumer]
    with pytest.raises(ValueError, match=r"collection of labels per sample.*MultiLabelBinarizer\(\).fit_transform"):
        fit()


def test_indicator_rows_as_lists_are_still_a_multilabel_target():
    """Check that equal-length 0/1 rows given as lists stay a valid indicator matrix."""
    from skltext.sampling import MultilabelRandomOverSampler

    Y = [[1, 0], [0, 1], [1, 1]] * 12
    _, Y_resampled = MultilabelRandomOverSampler(random_state=0).fit_resample(IDS, Y)
    assert np.asarray(Y_resampled).shape[1] == 2


def test_compare_converts_a_series_of_label_lists():
    """Check that compare_models, which converts label lists itself, also takes a pandas Series of them."""
    from skltext.compare import compare_models

    y = pd.Series([["news", "sport"], ["news"], ["sport"]] * 12)
    comparison = compare_models(DOCS, y, models=["tfidf-lr"], cv=2)
    assert comparison.target_type == "multilabel-indicator" and list(comparison.classes) == ["news", "sport"]


# ---------------------------------------------------------------- NumPy scalars as hyperparameters


def _as_numpy_scalar(value):
    if isinstance(value, bool):
        return np.bool_(value)
    if isinstance(value, int):
        return np.int64(value)
    if isinstance(value, float):
        return np.float32(value)
    if isinstance(value, tuple):
        return tuple(np.int32(item) for item in value)
    return value


@pytest.mark.estimator
@pytest.mark.parametrize("model_class", MODEL_CLASSES, ids=lambda cls: cls.__name__)
@pytest.mark.parametrize("extra", [
    {"dense_units": 4, "spatial_dropout": 0.1, "optimizer__beta_1": 0.8},
    {"loss": "focal", "loss__gamma": 1.0, "class_weight": "balanced_log", "balanced_batches": True},
], ids=["dense-spatial-optimizer", "focal-balanced"])
def test_numpy_scalars_are_accepted_for_every_parameter(model_class, extra):
    """Check that every numeric and boolean parameter may be a NumPy scalar (as a search over
    np.arange hands them), also inside tuples and routed parameters, and is stored untouched."""
    settings = {**model_class().get_params(), **TINY[model_class], **extra, "epochs": 1}
    params = {key: _as_numpy_scalar(value) for key, value in settings.items()}
    assert isinstance(params["embedding_dim"], np.int64) and isinstance(params["dropout"], np.float32)
    model = model_class(**params).fit(IDS, CODES == 0)
    assert model.predict(IDS).shape == (len(IDS),)
    assert all(type(model.get_params()[key]) is type(value) for key, value in params.items())


def test_numpy_scalars_for_the_tokenizer_samplers_and_threshold_optimizer():
    """Check the other estimators' numeric parameters as NumPy scalars."""
    from sklearn.linear_model import LogisticRegression

    from skltext.sampling import MultilabelRandomOverSampler, MultilabelRandomUnderSampler

    ids = TextTokenizer(max_len=np.int64(3), max_words=np.int64(4), min_count=np.int32(1),
                        lowercase=np.bool_(True)).fit_transform(DOCS)
    assert ids.shape == (len(DOCS), 3) and ids.max() <= 5
    Y = np.stack([CODES == 0, CODES != 1], axis=1).astype(int)
    for sampler in (MultilabelRandomOverSampler, MultilabelRandomUnderSampler):
        X_resampled, _ = sampler(sampling_strategy=np.float32(0.25), random_state=np.int64(0)).fit_resample(IDS, Y)
        assert len(X_resampled) != len(IDS)
    tuned = ThresholdOptimizer(LogisticRegression(), cv=np.int64(3), max_candidates=np.int64(20),
                               max_iter=np.int64(3), min_score=np.float32(0.1), random_state=np.int64(0),
                               refit=np.bool_(True)).fit(IDS, CODES)
    assert set(tuned.predict(IDS)) <= {0, 1, 2}


# ---------------------------------------------------------------- one-hot targets


def _one_hot(kind):
    import keras
    from sklearn.preprocessing import LabelBinarizer

    if kind == "LabelBinarizer":
        return LabelBinarizer().fit_transform(LABELS3)
    if kind == "to_categorical":
        return keras.utils.to_categorical(CODES, num_classes=3)
    if kind == "get_dummies":
        return pd.get_dummies(pd.Series(LABELS3))  # a bool DataFrame
    return np.eye(2, dtype=int)[CODES % 2]  # two-column one-hot of a binary target


@pytest.mark.estimator
@pytest.mark.parametrize("kind", ["LabelBinarizer", "to_categorical", "get_dummies", "two columns"])
def test_one_hot_target_warns_and_trains_multilabel(kind):
    """Check that one positive per row warns with the fix, and the documented behaviour: multi-label."""
    from skltext.exceptions import OneHotTargetWarning
    from skltext._target import check_target

    Y = _one_hot(kind)
    with pytest.warns(OneHotTargetWarning, match=r"exactly one positive per row.*y.argmax\(axis=1\)"):
        model = tiny(CNNClassifier, epochs=1).fit(IDS, Y)
    assert model.target_type_ == "multilabel-indicator"
    np.testing.assert_array_equal(model.classes_, np.arange(np.shape(Y)[1]))
    assert model.predict(IDS).shape == np.shape(Y)
    # The suggested fix is a multi-class (softmax) target, without the warning.
    with warnings.catch_warnings():
        warnings.simplefilter("error", OneHotTargetWarning)
        _, target_type = check_target(np.asarray(Y).argmax(axis=1), name="CNNClassifier")
    assert target_type == ("binary" if np.shape(Y)[1] == 2 else "multiclass")


@pytest.mark.parametrize("rows", [[[1, 1, 0], [0, 1, 0], [0, 0, 1]], [[1, 0, 0], [0, 0, 0], [0, 0, 1]]],
                         ids=["a row with two labels", "a row without labels"])
def test_multilabel_target_does_not_warn(rows):
    """Check that a target with some row not holding exactly one label gives no one-hot warning."""
    from skltext.exceptions import OneHotTargetWarning
    from skltext._target import check_target

    with warnings.catch_warnings():
        warnings.simplefilter("error", OneHotTargetWarning)
        _, target_type = check_target(np.array(rows * 4), name="CNNClassifier")
    assert target_type == "multilabel-indicator"


# ---------------------------------------------------------------- samplers before a model


class _SelectingSamplerWithASyntheticName:
    """Named like an interpolating sampler, but selects rows and says which: accepted."""

    def __new__(cls):
        from imblearn.under_sampling import RandomUnderSampler

        class SMOTELike(RandomUnderSampler):
            pass

        return SMOTELike(random_state=0)


def _synthesising_sampler(kind):
    from imblearn.combine import SMOTEENN, SMOTETomek
    from imblearn import FunctionSampler
    from imblearn.over_sampling import ADASYN, SMOTE, SVMSMOTE, BorderlineSMOTE
    from imblearn.under_sampling import ClusterCentroids

    class RandomLookingOverSampler(SMOTE):  # named like a selecting sampler, but interpolates
        pass

    return {
        "SMOTE": lambda: SMOTE(k_neighbors=2, random_state=0),
        "ADASYN": lambda: ADASYN(n_neighbors=2, random_state=0),
        "BorderlineSMOTE": lambda: BorderlineSMOTE(k_neighbors=2, random_state=0),
        "ClusterCentroids": lambda: ClusterCentroids(random_state=0),
        "SMOTEENN": lambda: SMOTEENN(smote=SMOTE(k_neighbors=2), random_state=0),
        "SMOTETomek": lambda: SMOTETomek(smote=SMOTE(k_neighbors=2), random_state=0),
        "SMOTE subclass with a selecting name": lambda: RandomLookingOverSampler(k_neighbors=2, random_state=0),
        "FunctionSampler": lambda: FunctionSampler(func=lambda X, y: (X, y)),
        "SVMSMOTE": lambda: SVMSMOTE(k_neighbors=2, random_state=0),
    }[kind]()


IMBALANCED = np.array(["pos"] * 26 + ["neg"] * 10)


@pytest.mark.parametrize("kind", ["SMOTE", "ADASYN", "BorderlineSMOTE", "ClusterCentroids", "SMOTEENN",
                                  "SMOTETomek", "SMOTE subclass with a selecting name", "FunctionSampler", "SVMSMOTE"])
def test_samplers_that_synthesise_rows_are_refused(kind):
    """Check that every sampler not reporting the rows it kept is refused before the model trains."""
    from imblearn.pipeline import make_pipeline as make_imblearn_pipeline

    pipe = make_imblearn_pipeline(TextTokenizer(max_len=4), _synthesising_sampler(kind), tiny(CNNClassifier))
    with pytest.raises(ValueError, match=r"no sample_indices_ after fit_resample.*RandomOverSampler"):
        pipe.fit(DOCS, IMBALANCED)
    assert not hasattr(pipe[-1], "model_")


@pytest.mark.estimator
@pytest.mark.parametrize("kind", ["RandomOverSampler", "TomekLinks", "NearMiss", "selecting sampler named SMOTELike",
                                  "MultilabelRandomUnderSampler"])
def test_samplers_that_select_rows_are_accepted(kind):
    """Check that samplers returning rows of their input still train the model, whatever their name."""
    from imblearn.over_sampling import RandomOverSampler
    from imblearn.pipeline import make_pipeline as make_imblearn_pipeline
    from imblearn.under_sampling import NearMiss, TomekLinks

    from skltext.sampling import MultilabelRandomUnderSampler

    y = IMBALANCED
    if kind == "MultilabelRandomUnderSampler":
        y = np.stack([IMBALANCED == "pos", np.arange(len(DOCS)) % 4 == 0], axis=1).astype(int)
    sampler = {"RandomOverSampler": lambda: RandomOverSampler(random_state=0), "TomekLinks": TomekLinks,
               "NearMiss": NearMiss, "selecting sampler named SMOTELike": _SelectingSamplerWithASyntheticName,
               "MultilabelRandomUnderSampler": lambda: MultilabelRandomUnderSampler(random_state=0)}[kind]()
    pipe = make_imblearn_pipeline(TextTokenizer(max_len=4), sampler, tiny(CNNClassifier, epochs=1)).fit(DOCS, y)
    assert hasattr(pipe[1], "sample_indices_") and pipe.predict(DOCS).shape == np.shape(y)


# ---------------------------------------------------------------- columns beside the token ids

FRAME = pd.DataFrame({"text": DOCS, "title": [doc.split()[-1] for doc in DOCS],
                      "length": [len(doc) for doc in DOCS]})


def _joined_features(kind):
    from sklearn.compose import ColumnTransformer
    from sklearn.pipeline import FunctionTransformer, make_union
    from sklearn.preprocessing import OneHotEncoder

    lengths = FunctionTransformer(lambda docs: np.array([[len(doc)] for doc in docs]))
    return {
        "tokenizer and passthrough remainder":
            ColumnTransformer([("tokens", TextTokenizer(max_len=4), "text")], remainder="passthrough"),
        "numeric column first":
            ColumnTransformer([("length", "passthrough", ["length"]), ("tokens", TextTokenizer(max_len=4), "text")]),
        "two tokenizers": ColumnTransformer([("body", TextTokenizer(max_len=4), "text"),
                                             ("title", TextTokenizer(max_len=2), "title")]),
        "one-hot column": ColumnTransformer([("tokens", TextTokenizer(max_len=4), "text"),
                                             ("title", OneHotEncoder(sparse_output=False), ["title"])]),
        "FeatureUnion of ids and lengths": make_union(TextTokenizer(max_len=4), lengths),
    }[kind]


@pytest.mark.parametrize("kind", ["tokenizer and passthrough remainder", "numeric column first", "two tokenizers",
                                  "one-hot column", "FeatureUnion of ids and lengths"])
def test_columns_beside_the_token_ids_are_refused(kind):
    """Check that a step joining token ids with other columns is refused, naming the blocks and the fix."""
    X = FRAME["text"] if kind.startswith("FeatureUnion") else FRAME
    pipe = make_pipeline(_joined_features(kind), tiny(LSTMClassifier))
    with pytest.raises(ValueError, match=r"joins 2 blocks side by side.*StackingClassifier"):
        pipe.fit(X, LABELS3)


@pytest.mark.estimator
def test_one_tokenizer_in_a_column_transformer_and_stacking_with_side_features():
    """Check the documented ways: a ColumnTransformer holding only the tokenizer, and stacking it
    with a tabular model for side features."""
    from sklearn.compose import ColumnTransformer
    from sklearn.ensemble import StackingClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    text_model = make_pipeline(ColumnTransformer([("tokens", TextTokenizer(max_len=4), "text")]),
                               tiny(CNNClassifier, epochs=1))
    tabular_model = make_pipeline(ColumnTransformer([("length", StandardScaler(), ["length"])]), LogisticRegression())
    stack = StackingClassifier([("text", text_model), ("tabular", tabular_model)], cv=2).fit(FRAME, LABELS3)
    assert stack.predict_proba(FRAME).shape == (len(FRAME), 3)
