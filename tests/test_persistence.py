"""Persistence: pickle, joblib and the pickle-free save_model / load_model, across processes."""

import json
import pickle
import subprocess
import sys
import textwrap
from pathlib import Path

import joblib
import numpy as np
import pytest
from imblearn.over_sampling import RandomOverSampler
from imblearn.pipeline import make_pipeline as make_imblearn_pipeline
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.naive_bayes import MultinomialNB
from sklearn.pipeline import make_pipeline

from skltext import CNNClassifier, LSTMClassifier, TextTokenizer, ThresholdOptimizer
from skltext.persistence import ModelVersionError, load_model, save_model
from skltext.sampling import MultilabelRandomOverSampler

from .conftest import tiny


def _pipelines():
    """One fitted pipeline per loss, sampler and wrapper worth persisting, keyed by a case name."""
    tokenizer = TextTokenizer(max_len=12)
    return {
        "binary, oversampler, focal loss, thresholds": ("binary", ThresholdOptimizer(
            make_imblearn_pipeline(tokenizer, RandomOverSampler(random_state=0), tiny(CNNClassifier, epochs=1,
                                                                                      loss="focal")),
            cv=0.5, random_state=0)),
        "multiclass, class-balanced loss": ("multiclass", make_pipeline(
            tokenizer, tiny(LSTMClassifier, epochs=1, loss="class_balanced"))),
        "multiclass, top-k loss, balanced_log weights": ("multiclass", make_pipeline(
            tokenizer, tiny(CNNClassifier, epochs=1, loss="top_k", class_weight="balanced_log"))),
        "multilabel, ML-ROS, label weights, thresholds": ("multilabel", ThresholdOptimizer(
            make_imblearn_pipeline(tokenizer, MultilabelRandomOverSampler(random_state=0),
                                   tiny(CNNClassifier, epochs=1, class_weight="balanced")),
            cv=0.5, random_state=0)),
    }


@pytest.fixture(scope="module")
def fitted(binary_corpus, multiclass_corpus, multilabel_corpus):
    corpora = {"binary": binary_corpus, "multiclass": multiclass_corpus, "multilabel": multilabel_corpus}
    cases = {}
    for name, (target, estimator) in _pipelines().items():
        texts, y = corpora[target]
        estimator.fit(texts, y)
        cases[name] = (estimator, texts, estimator.predict_proba(texts), estimator.predict(texts))
    return cases


def test_round_trips_in_another_process(fitted, tmp_path):
    """Check that pickle, joblib and load_model give identical predictions in a fresh process."""
    payload = []
    for index, (name, (estimator, texts, proba, labels)) in enumerate(fitted.items()):
        save_model(estimator, tmp_path / f"safe_{index}")
        joblib.dump(estimator, tmp_path / f"model_{index}.joblib")
        (tmp_path / f"model_{index}.pkl").write_bytes(pickle.dumps(estimator))
        payload.append((name, texts, proba, labels))
    joblib.dump(payload, tmp_path / "expected.joblib")
    script = textwrap.dedent(f"""
        import pickle, joblib, numpy as np
        from pathlib import Path
        from skltext.persistence import load_model
        root = Path({str(tmp_path)!r})
        for index, (name, texts, proba, labels) in enumerate(joblib.load(root / "expected.joblib")):
            loaded = {{
                "pickle": pickle.loads((root / f"model_{{index}}.pkl").read_bytes()),
                "joblib": joblib.load(root / f"model_{{index}}.joblib"),
                "save_model": load_model(root / f"safe_{{index}}"),
            }}
            for how, model in loaded.items():
                np.testing.assert_array_equal(model.predict_proba(texts), proba, err_msg=f"{{name}} {{how}}")
                np.testing.assert_array_equal(model.predict(texts), labels, err_msg=f"{{name}} {{how}}")
                print("identical:", name, how)
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.count("identical:") == 3 * len(fitted)


def test_load_model_restores_parameters_and_fitted_state(fitted, tmp_path):
    """Check parameters, thresholds, classes and training history after a save/load round trip."""
    optimizer, texts, proba, _ = fitted["multilabel, ML-ROS, label weights, thresholds"]
    save_model(optimizer, tmp_path)
    loaded = load_model(tmp_path)
    assert type(loaded) is ThresholdOptimizer
    assert repr(loaded.get_params()) == repr(optimizer.get_params())
    np.testing.assert_array_equal(loaded.thresholds_, optimizer.thresholds_)
    model, saved_model = loaded.estimator_[-1], optimizer.estimator_[-1]
    np.testing.assert_array_equal(model.classes_, saved_model.classes_)
    assert model.target_type_ == "multilabel-indicator" and model.history_ == saved_model.history_
    assert loaded.estimator_[0].vocabulary_ == optimizer.estimator_[0].vocabulary_
    np.testing.assert_array_equal(loaded.predict_proba(texts), proba)


def test_loaded_model_keeps_training_with_warm_start(fitted, tmp_path, multiclass_corpus):
    """Check that a loaded network comes back compiled, so warm_start can continue training it."""
    pipe = fitted["multiclass, class-balanced loss"][0]
    save_model(pipe, tmp_path)
    loaded = load_model(tmp_path)
    texts, y = multiclass_corpus
    loaded.set_params(lstmclassifier__warm_start=True, lstmclassifier__early_stopping=False).fit(texts, y)
    assert loaded[-1].n_iter_ == pipe[-1].n_iter_ + 1


def test_load_model_does_not_unpickle(fitted, tmp_path, monkeypatch):
    """Check that loading never reaches pickle."""
    pipe, texts, proba, _ = fitted["multiclass, top-k loss, balanced_log weights"]
    save_model(pipe, tmp_path)

    def refuse(*args, **kwargs):
        raise AssertionError("pickle used while loading")

    for name in ("load", "loads", "Unpickler"):
        monkeypatch.setattr(pickle, name, refuse)
    np.testing.assert_array_equal(load_model(tmp_path).predict_proba(texts), proba)


def _tamper(directory, change):
    path = directory / "skltext.json"
    description = json.loads(path.read_text())
    change(description)
    path.write_text(json.dumps(description))


@pytest.mark.parametrize(
    "change, error, match",
    [
        (lambda d: d.update(skltext_version="0.0.1"), ModelVersionError,
         r"saved by skltext 0\.0\.1; this is skltext .*install skltext==0\.0\.\* to load it, or retrain"),
        (lambda d: d.update(format_version=99), ModelVersionError, "uses model format 99"),
        (lambda d: d.update(format="something else"), ValueError, "not a skltext model description"),
        (lambda d: d["estimator"].update({"__object__": "builtins.eval"}), ValueError,
         "names the class 'builtins.eval', which load_model does not instantiate"),
        (lambda d: d["estimator"]["fitted"].update(_private={"__dict__": []}), ValueError,
         "only fitted attributes"),
    ],
    ids=["other minor version", "other format", "not a model", "foreign class", "private attribute"],
)
def test_tampered_or_foreign_description_is_refused(change, error, match, tmp_path):
    """Check that another version, format or class is refused with a message saying which."""
    save_model(TextTokenizer(max_len=4).fit(["a b c"]), tmp_path)
    _tamper(tmp_path, change)
    with pytest.raises(error, match=match):
        load_model(tmp_path)


def test_same_minor_version_loads(tmp_path):
    """Check that a model from another patch release of the same minor version loads."""
    from skltext import __version__

    save_model(TextTokenizer(max_len=4).fit(["a b c"]), tmp_path)
    patch = ".".join(__version__.split(".")[:2] + ["99"])
    _tamper(tmp_path, lambda d: d.update(skltext_version=patch))
    assert load_model(tmp_path).vocabulary_ == {"a": 2, "b": 3, "c": 4}


def _tokenize(text):
    return text.split()


@pytest.mark.parametrize(
    "estimator, match",
    [
        (make_pipeline(TfidfVectorizer(), MultinomialNB()),
         r"cannot store Pipeline\.steps\[1\]\[1\] \(a MultinomialNB\)"),
        (TextTokenizer(tokenizer=_tokenize), r"TextTokenizer\.tokenizer \(a function\)"),
        (tiny(CNNClassifier, random_state=np.random.RandomState(0)), r"random_state \(a RandomState\)"),
    ],
    ids=["foreign estimator", "tokenizer function", "RandomState"],
)
def test_what_cannot_be_stored_as_data_is_refused(estimator, match, tmp_path):
    """Check that save_model refuses objects it could only store with pickle, naming them."""
    with pytest.raises(TypeError, match=match):
        save_model(estimator, tmp_path)


def test_word_vectors_are_stored_as_npy_files(tmp_path):
    """Check that an embeddings table round-trips, its vectors in an .npy file rather than the JSON."""
    from skltext import WordVectors

    vectors = WordVectors([f"w{i}" for i in range(3000)], np.random.RandomState(0).rand(3000, 8))
    save_model(make_pipeline(TextTokenizer(), tiny(CNNClassifier, embeddings=vectors)), tmp_path)
    assert (tmp_path / "array_0.npy").is_file() and (tmp_path / "skltext.json").stat().st_size < 100_000
    loaded = load_model(tmp_path)[-1].embeddings
    assert loaded.words == vectors.words
    np.testing.assert_array_equal(loaded.vectors, vectors.vectors)


def test_files_outside_the_directory_are_refused(tmp_path):
    """Check that a description pointing at a file elsewhere is refused."""
    from skltext import WordVectors

    vectors = WordVectors([f"w{i}" for i in range(3000)], np.zeros((3000, 8)))
    save_model(tiny(CNNClassifier, embeddings=vectors), tmp_path)
    text = (tmp_path / "skltext.json").read_text().replace('"array_0.npy"', '"../elsewhere.npy"')
    (tmp_path / "skltext.json").write_text(text)
    with pytest.raises(ValueError, match="not a .npy file of the model directory"):
        load_model(tmp_path)


def test_missing_description_is_reported(tmp_path):
    """Check that loading a directory save_model did not write says so."""
    with pytest.raises(FileNotFoundError, match="not a directory written by save_model"):
        load_model(tmp_path)


@pytest.mark.parametrize("name", ["tfidf-lr", "tfidf-svm"])
@pytest.mark.parametrize("multilabel", [False, True])
def test_tfidf_baselines_round_trip(tmp_path, name, multilabel, multiclass_corpus, multilabel_corpus):
    """Check that the TF-IDF baselines of skltext compare save and load with the same scores."""
    from skltext.compare import make_model

    texts, y = multilabel_corpus if multilabel else multiclass_corpus
    model = make_model(name, target_type="multilabel-indicator" if multilabel else "multiclass").fit(texts, y)
    save_model(model, tmp_path)
    loaded = load_model(tmp_path)
    np.testing.assert_allclose(loaded.decision_function(texts), model.decision_function(texts))
    np.testing.assert_array_equal(loaded.predict(texts), model.predict(texts))


def test_scikit_learn_pipeline_saves_and_loads_without_keras(tmp_path):
    """Check in a fresh process that saving and loading a TF-IDF pipeline inside a ThresholdOptimizer
    never imports Keras, and that the description names classes by their public import paths."""
    script = textwrap.dedent(f"""
        import json, re, sys
        import numpy as np
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import GroupKFold
        from sklearn.pipeline import make_pipeline
        from skltext import ThresholdOptimizer, load_model, save_model
        texts = ["good fine", "bad awful", "fine nice", "awful poor"] * 5
        y = ["pos", "neg"] * 10
        model = ThresholdOptimizer(make_pipeline(TfidfVectorizer(), LogisticRegression()), cv=GroupKFold(2))
        model.fit(texts, y, groups=np.arange(20) // 2)
        save_model(model, {str(tmp_path)!r})
        loaded = load_model({str(tmp_path)!r})
        assert (loaded.predict(texts) == model.predict(texts)).all()
        text = open({str(tmp_path / "skltext.json")!r}).read()
        print(sorted(set(re.findall(r'"__object__": "([^"]*)"', text))), "keras_version" in json.loads(text))
        print(sorted(name for name in ("keras", "tensorflow", "jax") if name in sys.modules))
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    names, imported = result.stdout.strip().splitlines()
    assert names == ("['sklearn.feature_extraction.text.TfidfVectorizer', 'sklearn.linear_model.LogisticRegression', "
                     "'sklearn.model_selection.GroupKFold', 'sklearn.pipeline.Pipeline', "
                     "'skltext.thresholds.ThresholdOptimizer'] False")
    assert imported == "[]"


SAVED_BY_0_2_0 = Path(__file__).parent / "data" / "saved_0_2_0"


@pytest.mark.parametrize("name", ["binary_logistic", "multilabel_svc"])
def test_models_saved_by_version_0_2_0_load(name):
    """Check that directories written by skltext 0.2.0, which named scikit-learn classes by their
    private modules (sklearn.svm._classes.LinearSVC), still load and predict."""
    description = (SAVED_BY_0_2_0 / name / "skltext.json").read_text()
    assert "sklearn.model_selection._split." in description
    model = load_model(SAVED_BY_0_2_0 / name)
    assert type(model) is ThresholdOptimizer
    predicted = model.predict(["good fine", "bad awful", "nice good", "poor bad"])
    if name == "binary_logistic":
        assert predicted.tolist() == ["pos", "neg", "pos", "neg"]
    else:
        np.testing.assert_array_equal(predicted, [[1, 0], [0, 1], [1, 0], [0, 1]])
