"""Save and load fitted models without pickle.

``pickle`` and ``joblib`` files can run arbitrary code when they are loaded,
so a model file from an untrusted source must never be unpickled.
:func:`save_model` writes a directory that :func:`load_model` can read
without that risk:

- ``skltext.json``: the estimator tree as data (class names, parameters,
  fitted attributes such as the tokenizer's vocabulary, ``classes_`` and the
  thresholds of a :class:`~skltext.ThresholdOptimizer`), plus the skltext,
  Keras and backend versions that wrote it;
- ``model_<n>.keras``: each trained network in Keras' native format, loaded
  with ``safe_mode=True`` (no Python code inside the file is run);
- ``array_<n>.npy``: large numeric arrays (word vectors given as
  ``embeddings``), loaded with ``allow_pickle=False``.

Classes are named by their public import path (``sklearn.svm.LinearSVC``, not
the private module that defines it), so a scikit-learn release that moves a
class between private modules does not break saved models; the private paths
that version 0.2.0 wrote are still read. Keras is imported only for a model
that holds a network: saving or loading a TF-IDF pipeline does not load it.

Loading only instantiates classes from a fixed list (the skltext estimators,
scikit-learn and imbalanced-learn pipelines, imbalanced-learn's random
samplers, the cross-validation splitters and the parts of the TF-IDF
baselines of ``skltext compare``: ``TfidfVectorizer``, ``LogisticRegression``,
``LinearSVC``, ``OneVsRestClassifier``) and sets data attributes on them;
anything else in the file is refused. Estimators outside that list (a naive
Bayes model, say) cannot be saved this way: use joblib, for files you trust.
"""

import importlib
import inspect
import json
import os
import sys
from pathlib import Path

import numpy as np
from sklearn.utils import Bunch

from .exceptions import ModelVersionError

__all__ = ["save_model", "load_model", "ModelVersionError", "FORMAT_VERSION"]

FORMAT_VERSION = 1
_DESCRIPTION = "skltext.json"
# Numeric arrays larger than this (word vectors, say) go to .npy files instead of the JSON.
_INLINE_ARRAY_SIZE = 10_000
_FORMAT_NAME = "skltext-model"
# Fitted state kept behind a property rather than in an attribute of the instance.
_FITTED_PROPERTIES = {"sklearn.feature_extraction.text.TfidfVectorizer": ("idf_",)}

# Classes that load_model may instantiate, by public import path. Each keeps all
# of its fitted state in public attributes ending in "_", which is what the
# description stores.
_ALLOWED_CLASSES = frozenset({
    "skltext.models.lstm.LSTMClassifier",
    "skltext.models.cnn.CNNClassifier",
    "skltext.models.ngram.NgramClassifier",
    "skltext.models._ngrams.NgramEncoder",
    "skltext.ensemble.DeepLinearClassifier",
    "skltext.calibration.TemperatureCalibratedClassifier",
    "skltext.models._heads.TargetEncoder",
    "skltext.text.TextTokenizer",
    "skltext.thresholds.ThresholdOptimizer",
    "skltext.sampling.MultilabelRandomOverSampler",
    "skltext.sampling.MultilabelRandomUnderSampler",
    "skltext.model_selection.MultilabelStratifiedKFold",
    "skltext.embeddings.WordVectors",
    "sklearn.pipeline.Pipeline",
    "sklearn.preprocessing.FunctionTransformer",
    # The TF-IDF baselines of skltext compare (a fitted linear model is its coefficients).
    "sklearn.feature_extraction.text.TfidfVectorizer",
    "sklearn.linear_model.LogisticRegression",
    "sklearn.svm.LinearSVC",
    "sklearn.multiclass.OneVsRestClassifier",
    "sklearn.ensemble.VotingClassifier",
    "sklearn.preprocessing.LabelBinarizer",
    "sklearn.preprocessing.LabelEncoder",
    "imblearn.pipeline.Pipeline",
    "imblearn.over_sampling.RandomOverSampler",
    "imblearn.under_sampling.RandomUnderSampler",
    *(f"sklearn.model_selection.{name}" for name in (
        "KFold", "StratifiedKFold", "GroupKFold", "StratifiedGroupKFold", "ShuffleSplit",
        "StratifiedShuffleSplit", "GroupShuffleSplit", "RepeatedKFold", "RepeatedStratifiedKFold",
    )),
})
# The private paths version 0.2.0 wrote for classes now named by their public path.
_OLD_NAMES = {
    "sklearn.preprocessing._function_transformer.FunctionTransformer": "sklearn.preprocessing.FunctionTransformer",
    "sklearn.linear_model._logistic.LogisticRegression": "sklearn.linear_model.LogisticRegression",
    "sklearn.svm._classes.LinearSVC": "sklearn.svm.LinearSVC",
    "sklearn.preprocessing._label.LabelBinarizer": "sklearn.preprocessing.LabelBinarizer",
    "imblearn.over_sampling._random_over_sampler.RandomOverSampler": "imblearn.over_sampling.RandomOverSampler",
    "imblearn.under_sampling._prototype_selection._random_under_sampler.RandomUnderSampler":
        "imblearn.under_sampling.RandomUnderSampler",
    **{f"sklearn.model_selection._split.{name}": f"sklearn.model_selection.{name}" for name in (
        "KFold", "StratifiedKFold", "GroupKFold", "StratifiedGroupKFold", "ShuffleSplit",
        "StratifiedShuffleSplit", "GroupShuffleSplit", "RepeatedKFold", "RepeatedStratifiedKFold",
    )},
}


def _version():
    from . import __version__

    return __version__


def _qualified_name(cls):
    """The public import path of ``cls``: its module up to the first private part, when that exports it."""
    parts = cls.__module__.split(".")
    private = next((i for i, part in enumerate(parts) if part.startswith("_")), len(parts))
    public = ".".join(parts[:private])
    # A parent package is imported before its submodules, so it is in sys.modules already.
    if private < len(parts) and getattr(sys.modules.get(public), cls.__qualname__, None) is cls:
        return f"{public}.{cls.__qualname__}"
    return f"{cls.__module__}.{cls.__qualname__}"


def _loaded_keras():
    """The keras module when it is imported already, else None: a tree without Keras objects never needs it."""
    return sys.modules.get("keras")


def _constructor_params(obj):
    if hasattr(obj, "get_params"):
        return obj.get_params(deep=False)
    # Splitters keep their constructor arguments as attributes of the same name.
    names = [name for name in inspect.signature(type(obj).__init__).parameters if name != "self"]
    return {name: getattr(obj, name) for name in names}


class _Writer:
    """Turn an estimator tree into JSON-compatible data, writing Keras models as files."""

    def __init__(self, directory):
        self.directory = directory
        self.n_models = 0
        self.n_arrays = 0
        self.keras = None  # the keras module, once a Keras object is stored

    def encode(self, value, where):
        if value is None or isinstance(value, (bool, str)):
            return value
        if type(value) in (int, float):
            return value
        if isinstance(value, np.generic):
            return {"__scalar__": self.encode(value.item(), where), "dtype": value.dtype.str}
        if isinstance(value, np.dtype):
            return {"__dtype__": value.str}
        if isinstance(value, type) and issubclass(value, np.generic):  # dtype=np.float64
            return {"__dtype__": np.dtype(value).str}
        if isinstance(value, np.ndarray):
            return self._encode_array(value, where)
        if isinstance(value, tuple):
            return {"__tuple__": [self.encode(item, f"{where}[{i}]") for i, item in enumerate(value)]}
        if isinstance(value, list):
            return [self.encode(item, f"{where}[{i}]") for i, item in enumerate(value)]
        if isinstance(value, dict):
            # A Bunch (e.g. VotingClassifier.named_estimators_) is a dict read by attribute too.
            tag = "__bunch__" if isinstance(value, Bunch) else "__dict__"
            return {tag: [[self.encode(key, where), self.encode(item, f"{where}[{key!r}]")]
                          for key, item in value.items()]}
        keras = _loaded_keras()
        if keras is not None and isinstance(value, keras.Model):
            name = f"model_{self.n_models}.keras"
            self.n_models += 1
            self.keras = keras
            value.save(self.directory / name)
            return {"__keras_model__": name}
        if keras is not None and isinstance(value, (keras.losses.Loss, keras.optimizers.Optimizer)):
            self.keras = keras
            return {"__keras_object__": keras.saving.serialize_keras_object(value)}
        if _qualified_name(type(value)) in _ALLOWED_CLASSES:
            return self._encode_object(value, where)
        raise TypeError(
            f"save_model cannot store {where} (a {type(value).__name__}) without pickle. It stores skltext "
            "estimators and pipelines of them with data parameters (numbers, strings, arrays, Keras "
            "losses and optimizers); callables, callbacks and other estimators need joblib, for files "
            "you trust."
        )

    def _encode_array(self, array, where):
        if array.dtype.kind in "biuf" and array.size > _INLINE_ARRAY_SIZE:
            name = f"array_{self.n_arrays}.npy"
            self.n_arrays += 1
            np.save(self.directory / name, array, allow_pickle=False)
            return {"__npy__": name}
        if array.dtype.kind in "biufUS":
            data = array.tolist()
            if array.dtype.kind == "S":
                raise TypeError(f"save_model cannot store {where}: an array of bytes.")
        elif array.dtype == object:
            data = [self.encode(item, where) for item in array.ravel().tolist()]
        else:
            raise TypeError(f"save_model cannot store {where}: an array of dtype {array.dtype}.")
        return {"__ndarray__": data, "dtype": array.dtype.str, "shape": list(array.shape)}

    def _encode_object(self, obj, where):
        where = where or type(obj).__name__
        params = _constructor_params(obj)
        fitted = {key: value for key, value in vars(obj).items()
                  if key.endswith("_") and not key.startswith("_") and key not in params}
        for key in _FITTED_PROPERTIES.get(_qualified_name(type(obj)), ()):
            if hasattr(obj, key):
                fitted[key] = getattr(obj, key)
        return {
            "__object__": _qualified_name(type(obj)),
            "params": {key: self.encode(value, f"{where}.{key}") for key, value in params.items()},
            "fitted": {key: self.encode(value, f"{where}.{key}") for key, value in fitted.items()},
        }


class _Reader:
    """The inverse of _Writer; instantiates only classes in _ALLOWED_CLASSES."""

    def __init__(self, directory):
        self.directory = directory

    def decode(self, value):
        if isinstance(value, list):
            return [self.decode(item) for item in value]
        if not isinstance(value, dict):
            return value
        if "__scalar__" in value:
            return np.dtype(value["dtype"]).type(self.decode(value["__scalar__"]))
        if "__dtype__" in value:
            return np.dtype(value["__dtype__"])
        if "__ndarray__" in value:
            dtype = np.dtype(value["dtype"])
            if dtype == object:
                array = np.empty(len(value["__ndarray__"]), dtype=object)
                array[:] = [self.decode(item) for item in value["__ndarray__"]]
                return array.reshape(value["shape"])
            return np.array(value["__ndarray__"], dtype=dtype).reshape(value["shape"])
        if "__tuple__" in value:
            return tuple(self.decode(item) for item in value["__tuple__"])
        for tag in ("__dict__", "__bunch__"):
            if tag in value:
                items = {self.decode(key): self.decode(item) for key, item in value[tag]}
                return items if tag == "__dict__" else Bunch(**items)
        if "__keras_model__" in value:
            return self._load_keras_model(self._file(value["__keras_model__"], ".keras"))
        if "__npy__" in value:
            return np.load(self._file(value["__npy__"], ".npy"), allow_pickle=False)
        if "__keras_object__" in value:
            import keras

            return keras.saving.deserialize_keras_object(value["__keras_object__"], safe_mode=True)
        if "__object__" in value:
            return self._decode_object(value)
        raise ValueError(f"Unrecognised entry in {_DESCRIPTION}: keys {sorted(value)}.")

    def _file(self, name, suffix):
        path = (self.directory / name).resolve()
        if path.parent != self.directory.resolve() or path.suffix != suffix:
            raise ValueError(f"{_DESCRIPTION} points at {name!r}, not a {suffix} file of the model directory.")
        return path

    @staticmethod
    def _load_keras_model(path):
        import keras

        return keras.saving.load_model(path, safe_mode=True)

    def _decode_object(self, value):
        qualified = _OLD_NAMES.get(value["__object__"], value["__object__"])
        if qualified not in _ALLOWED_CLASSES:
            raise ValueError(f"{_DESCRIPTION} names the class {qualified!r}, which load_model does not "
                             "instantiate.")
        module, _, name = qualified.rpartition(".")
        cls = getattr(importlib.import_module(module), name)
        obj = cls(**{key: self.decode(item) for key, item in value["params"].items()})
        for key, item in value["fitted"].items():
            if not (key.endswith("_") and not key.startswith("_")):
                raise ValueError(f"{_DESCRIPTION} sets the attribute {key!r}; only fitted attributes "
                                 "(ending in '_') are restored.")
            setattr(obj, key, self.decode(item))
        if "model_" in value["fitted"] and hasattr(obj, "_initialize_callbacks"):
            obj._initialize_callbacks()  # the Keras callbacks that predict passes on
        return obj


def save_model(estimator, directory):
    """Save a fitted skltext estimator or pipeline to a directory, without pickle.

    Parameters
    ----------
    estimator : estimator or Pipeline
        An :class:`~skltext.LSTMClassifier`, :class:`~skltext.CNNClassifier`,
        :class:`~skltext.TextTokenizer` or :class:`~skltext.ThresholdOptimizer`,
        or a scikit-learn / imbalanced-learn pipeline of those and of
        imbalanced-learn's or skltext's random samplers. Fitted or not.
    directory : str or path-like
        Created if missing. Receives ``skltext.json``, one
        ``model_<n>.keras`` file per trained network and one ``array_<n>.npy``
        file per large numeric array; earlier files of those names are
        replaced.

    Raises
    ------
    TypeError
        If the tree holds something that cannot be stored as data: another
        kind of estimator, a callable (a ``tokenizer`` function, a custom loss
        function, ``callbacks``) or a random generator as ``random_state``.

    See Also
    --------
    load_model : Read the directory back.

    Examples
    --------
    >>> import tempfile
    >>> from skltext import TextTokenizer
    >>> from skltext.persistence import load_model, save_model
    >>> tokenizer = TextTokenizer(max_len=3).fit(["a b", "b c d"])
    >>> with tempfile.TemporaryDirectory() as directory:
    ...     save_model(tokenizer, directory)
    ...     load_model(directory).transform(["b e"])
    array([[0, 2, 1]], dtype=int32)
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    writer = _Writer(directory)
    encoded = writer.encode(estimator, "")
    description = {"format": _FORMAT_NAME, "format_version": FORMAT_VERSION, "skltext_version": _version()}
    if writer.keras is not None:  # the versions that wrote the networks
        description.update(keras_version=writer.keras.__version__, keras_backend=writer.keras.backend.backend())
    description["estimator"] = encoded
    # Written last, so a directory without it never looks like a complete model.
    temporary = directory / (_DESCRIPTION + ".tmp")
    temporary.write_text(json.dumps(description), encoding="utf-8")
    os.replace(temporary, directory / _DESCRIPTION)


def _check_versions(description, path):
    if description.get("format") != _FORMAT_NAME:
        raise ValueError(f"{path} is not a skltext model description.")
    saved = str(description.get("skltext_version", "unknown"))
    current = _version()
    if description.get("format_version") != FORMAT_VERSION:
        raise ModelVersionError(
            f"{path} uses model format {description.get('format_version')!r} (written by skltext "
            f"{saved}); skltext {current} reads format {FORMAT_VERSION}. Load it with skltext {saved}."
        )
    if saved.split(".")[:2] != current.split(".")[:2]:
        raise ModelVersionError(
            f"{path} was saved by skltext {saved}; this is skltext {current}. Saved models load only "
            f"in the same major.minor version: install skltext=={'.'.join(saved.split('.')[:2])}.* to "
            "load it, or retrain."
        )


def load_model(directory):
    """Load what :func:`save_model` wrote, without unpickling or running code from the files.

    Parameters
    ----------
    directory : str or path-like
        A directory written by :func:`save_model`.

    Returns
    -------
    estimator : estimator or Pipeline
        The saved estimator, with its parameters and fitted state; it
        predicts exactly as the saved one did.

    Raises
    ------
    ModelVersionError
        If the directory was written by another skltext major.minor version
        or in another file format; the message names both versions.
    ValueError
        If the description is not a skltext model, or names a class outside
        the fixed list that loading instantiates.

    See Also
    --------
    save_model : Write the directory.

    Examples
    --------
    >>> import tempfile
    >>> from skltext import TextTokenizer
    >>> from skltext.persistence import load_model, save_model
    >>> with tempfile.TemporaryDirectory() as directory:
    ...     save_model(TextTokenizer(max_len=5), directory)
    ...     load_model(directory)
    TextTokenizer(max_len=5)
    """
    directory = Path(directory)
    path = directory / _DESCRIPTION
    if not path.is_file():
        raise FileNotFoundError(f"No {_DESCRIPTION} in {directory}: not a directory written by save_model.")
    description = json.loads(path.read_text(encoding="utf-8"))
    _check_versions(description, path)
    return _Reader(directory).decode(description["estimator"])
