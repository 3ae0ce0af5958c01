"""The scikeras base shared by the text classifiers.

Every scikeras-specific detail lives here. scikeras 0.13 predates the tag
system of scikit-learn 1.6 (``is_classifier`` is False for its
``KerasClassifier``, so cross-validation silently falls back to KFold), seeds
only TensorFlow, casts X to float and accepts misspelt parameters. This base
fixes each of those once; ``tests/test_base.py`` pins the behaviour so a
scikeras or Keras upgrade that breaks it is caught.
"""

import difflib
import math
from numbers import Integral, Real

import keras
import numpy as np
from scikeras.wrappers import KerasClassifier
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils import check_random_state
from sklearn.utils._available_if import available_if
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.validation import check_consistent_length, check_is_fitted
from sklearn_compat.base import _fit_context
from sklearn_compat.utils import ClassifierTags

from ..text import OOV_ID
from ._batches import BalancedBatches
from ._embedding_init import initial_embedding_matrix
from ._epoch_scoring import EpochScoring, HoldoutPredictor, holdout_labels, resolve_scoring
from ._faults import guarded_fit, prediction_lock
from ._feeding_steps import check_feeding_steps
from ._heads import TargetEncoder, check_target
from ._imbalance import build_loss, class_weight_per_row, initial_output_bias
from ._inputs import check_token_ids
from ._length_buckets import LengthBuckets, predict_by_width
from ._precision import check_dtype_policy, dtype_policy_scope
from ._scalars import python_scalars
from ._token_vocabulary import encode_tokens, fit_token_vocabulary, is_token_matrix
from ._tracing import expect_tracing
from ._validation_split import stratified_holdout

__all__ = ["BaseTextClassifier", "auto_batch_size", "fill_shared_doc"]

# Prefixes of nested parameters: ``optimizer__beta_1=0.8``, ``loss__gamma=1.0``,
# ``fit__shuffle=False``, ``predict__batch_size=1024``; ``callbacks__`` as scikeras routes it.
ROUTING_PREFIXES = ("optimizer", "loss", "fit", "predict", "callbacks")
# keras.Model.fit arguments the estimator sets itself, and the parameter that controls each.
_RESERVED_FIT_ARGUMENTS = {
    "x": "X", "y": "y", "epochs": "epochs", "initial_epoch": "warm_start",
    "sample_weight": "sample_weight in fit()", "class_weight": "class_weight", "batch_size": "batch_size",
    "validation_data": "validation_fraction", "validation_split": "validation_fraction",
}

_OUTPUT_ACTIVATION = {"binary": "sigmoid", "multiclass": "softmax", "multilabel-indicator": "sigmoid"}

# batch_size='auto': (training rows below, batch size). Small data keeps many updates per
# epoch; on large data bigger batches use the CPU better (see benchmarks/results/speed.md).
_AUTO_BATCH_SIZES = ((10_000, 64), (50_000, 128), (math.inf, 256))
# Rows per prediction batch unless predict__batch_size says otherwise.
_PREDICT_BATCH_SIZE = 1024


def auto_batch_size(n_samples):
    """The batch size ``batch_size='auto'`` picks for ``n_samples`` training rows."""
    return next(size for below, size in _AUTO_BATCH_SIZES if n_samples < below)


def _never(estimator):
    return False


class BaseTextClassifier(KerasClassifier):
    """Shared fitting, validation and scikit-learn plumbing of the text classifiers.

    Subclasses define ``__init__`` (calling this one with the shared
    parameters) and ``_build_network(meta)``, which returns an uncompiled
    ``keras.Model`` from integer token ids to the head given in ``meta``.
    """

    _routing_prefixes = set(ROUTING_PREFIXES)
    # scikeras reads these to find the build function; None selects _keras_build_fn.
    # Class attributes, so they are not estimator parameters.
    model = None
    build_fn = None
    # Widths documents are read at in length buckets (see _length_buckets.reading_widths).
    _bucket_grid = "linear"

    _parameter_constraints = {
        "embedding_dim": [Interval(Integral, 1, None, closed="left")],
        "embeddings": [HasMethods(["rows_of"]), None],
        "trainable_embeddings": ["boolean"],
        "spatial_dropout": [Interval(Real, 0, 1, closed="left")],
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "dense_units": [Interval(Integral, 1, None, closed="left"), None],
        "optimizer": [str, HasMethods(["apply_gradients"])],
        "learning_rate": [Interval(Real, 0, None, closed="neither")],
        "loss": [str, callable],
        "class_weight": [dict, StrOptions({"balanced", "balanced_log"}), None],
        "class_weight_mu": [Interval(Real, 0, None, closed="neither")],
        "balanced_batches": ["boolean"],
        "batch_size": [Interval(Integral, 1, None, closed="left"), StrOptions({"auto"})],
        "epochs": [Interval(Integral, 1, None, closed="left")],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "patience": [Interval(Integral, 0, None, closed="left")],
        "scoring": [str, callable],
        "callbacks": [list, None],
        "warm_start": ["boolean"],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
        "dtype_policy": [str, None],
    }

    def __init__(
        self,
        *,
        embedding_dim,
        embeddings,
        trainable_embeddings,
        spatial_dropout,
        dropout,
        dense_units,
        optimizer,
        learning_rate,
        loss,
        class_weight,
        class_weight_mu,
        balanced_batches,
        batch_size,
        epochs,
        early_stopping,
        validation_fraction,
        patience,
        scoring="loss",
        callbacks,
        warm_start,
        random_state,
        verbose,
        dtype_policy=None,
        **routed_params,
    ):
        self.embedding_dim = embedding_dim
        self.embeddings = embeddings
        self.trainable_embeddings = trainable_embeddings
        self.spatial_dropout = spatial_dropout
        self.dropout = dropout
        self.dense_units = dense_units
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.loss = loss
        self.class_weight = class_weight
        self.class_weight_mu = class_weight_mu
        self.balanced_batches = balanced_batches
        self.batch_size = batch_size
        self.epochs = epochs
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.patience = patience
        self.scoring = scoring
        self.callbacks = callbacks
        self.warm_start = warm_start
        self.random_state = random_state
        self.verbose = verbose
        self.dtype_policy = dtype_policy
        vars(self).update(routed_params)

    # ------------------------------------------------------------------ fit

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Build a fresh network (or, with ``warm_start``, keep the current one) and train it.

        Parameters
        ----------
        X : array-like of shape (n_samples, sequence_length)
            Non-negative integer token ids, e.g. from :class:`~skltext.TextTokenizer`.
        y : array-like of shape (n_samples,) or (n_samples, n_labels)
            Class labels (binary or multi-class, any label type), or a 0/1
            indicator matrix for multi-label targets. A one-hot matrix (exactly
            one positive per row) is multi-label too, with a
            ``OneHotTargetWarning``; pass class labels (``y.argmax(axis=1)``)
            for a softmax head.
        sample_weight : array-like of shape (n_samples,), default=None
            Per-sample weights, multiplied with the class weights. Samples of
            weight 0 are left out.

        Returns
        -------
        self : object
            The fitted estimator.

        Raises
        ------
        NonFiniteLossError
            If the training or validation loss becomes NaN or infinite. Training
            stops at the end of that epoch and the estimator is left unfitted.
        KeyboardInterrupt
            Re-raised after an interruption, with the estimator fitted with the
            weights of the best finished epoch when early stopping had kept them,
            else left unfitted; a ``TrainingInterruptedWarning`` says which.
        """
        self._check_routed_params()
        self._check_params()
        check_feeding_steps(self)  # no synthesising sampler or side columns before the model
        resolve_scoring(self.scoring, early_stopping=self.early_stopping, name=type(self).__name__)
        seed = None
        if self.random_state is not None:
            seed = int(check_random_state(self.random_state).randint(np.iinfo(np.int32).max))
            # One call seeds Python, NumPy and the active Keras backend, whichever it is.
            keras.utils.set_random_seed(seed)
        # The network's layers get their own seeds from this one (see _blocks.layer_seeds):
        # Python's global `random` alone is not enough where other threads draw from it too.
        self._seed = seed
        self._rng = np.random.default_rng(seed)
        self._fit(X=X, y=y, sample_weight=sample_weight, warm_start=self.warm_start,
                  epochs=self.epochs, initial_epoch=0)
        return self

    # scikeras' epoch-by-epoch partial_fit would bypass the validation split and
    # early stopping, so it is not offered.
    @available_if(_never)
    def partial_fit(self, X, y, classes=None, sample_weight=None):  # pragma: no cover
        raise NotImplementedError

    def _check_params(self):
        """Checks that span several parameters; subclasses extend it."""

    def _check_routed_params(self):
        for key in vars(self):
            if key.startswith("_") or key.endswith("_") or key in self._parameter_constraints:
                continue
            if key.split("__", 1)[0] not in ROUTING_PREFIXES or "__" not in key:
                close = difflib.get_close_matches(key, list(self._parameter_constraints), n=1)
                hint = f" Did you mean {close[0]!r}?" if close else ""
                raise TypeError(
                    f"{type(self).__name__} got an unexpected parameter {key!r}.{hint} Nested "
                    f"parameters must start with one of {', '.join(p + '__' for p in ROUTING_PREFIXES)}."
                )
            argument = key.removeprefix("fit__")
            if key.startswith("fit__") and argument in _RESERVED_FIT_ARGUMENTS:
                raise ValueError(f"{key} cannot be routed to keras.Model.fit: the estimator sets "
                                 f"{argument!r} itself; use {_RESERVED_FIT_ARGUMENTS[argument]} instead.")

    def _initialize(self, X, y=None):
        # Replaces scikeras' version, which seeds through TensorFlow only; fit()
        # seeds every backend with keras.utils.set_random_seed instead.
        self._random_state = None
        X, y = self._validate_data(X, y, reset=True)
        classes = np.arange(y.shape[1]) if self.target_type_ == "multilabel-indicator" else np.unique(y)
        self._compile_loss, one_hot = build_loss(
            self.loss, self._routed("loss"), target_type=self.target_type_, y=y, classes=classes,
            class_weight=self.class_weight, mu=self.class_weight_mu, name=type(self).__name__,
        )
        self.target_encoder_ = TargetEncoder(self.target_type_, one_hot=one_hot).fit(y)
        vars(self).update(self.target_encoder_.get_metadata())
        self.feature_encoder_ = self.feature_encoder.fit(X)
        self._output_bias = initial_output_bias(y, self.target_type_, self._compile_loss,
                                                reweighted=self.class_weight is not None or self.balanced_batches)
        self.model_ = self._build_keras_model()
        self._initialize_callbacks()
        return X, y

    def _keras_build_fn(self, meta):
        """Called by scikeras with the fitted attributes in ``meta``; returns a compiled model."""
        target_type = meta["target_type_"]
        meta = {
            **meta,
            "n_outputs": 1 if target_type == "binary" else meta["n_classes_"],
            "output_activation": _OUTPUT_ACTIVATION[target_type],
            # Pre-trained vectors fix the width of the embedding.
            "embedding_dim": self.embedding_dim if self.embeddings is None else self.embeddings.dim,
            "pretrained": self.embeddings is not None,
            "seed": self._seed,
        }
        with dtype_policy_scope(check_dtype_policy(self.dtype_policy, estimator=type(self).__name__)):
            model = self._build_network(meta)
        if self._output_bias is not None:
            output = model.get_layer("output")
            output.set_weights([output.get_weights()[0], self._output_bias])
        vars(self).pop("embedding_coverage_", None)
        if self.embeddings is not None:
            self._load_embeddings(model.get_layer("embedding"))
        model.compile(optimizer=self._make_optimizer(), loss=self._compile_loss,
                      metrics=self._default_metrics(target_type))
        return model

    def _load_embeddings(self, layer):
        """Initialise the embedding layer from ``embeddings`` for the fitted vocabulary."""
        matrix, found = initial_embedding_matrix(self.embeddings, self.vocabulary_, rng=self._rng)
        self.embedding_coverage_ = found / max(len(self.vocabulary_), 1)
        layer.set_weights([matrix])
        layer.trainable = self.trainable_embeddings

    def _routed(self, prefix):
        """The ``<prefix>__*`` parameters, with the prefix removed (NumPy scalars as Python ones)."""
        return {key.split("__", 1)[1]: python_scalars(value) for key, value in self.get_params().items()
                if key.startswith(prefix + "__")}

    def _make_optimizer(self):
        kwargs = self._routed("optimizer")
        kwargs["learning_rate"] = python_scalars(self.learning_rate)  # Keras refuses np.float32
        optimizer = self.optimizer
        if isinstance(optimizer, str):
            try:
                optimizer_class = type(keras.optimizers.get(optimizer))
            except ValueError:
                raise ValueError(f"Unknown optimizer {optimizer!r}; use a Keras optimizer name such as "
                                 "'adam' or an optimizer instance.") from None
            return optimizer_class(**kwargs)
        # An instance is rebuilt from its config so no state carries over between fits.
        config = {**optimizer.get_config(), **kwargs}
        return type(optimizer).from_config(config)

    def _default_metrics(self, target_type):
        if target_type == "multilabel-indicator":
            # Element-wise accuracy over mostly-zero label matrices looks good while
            # every rare label is missed, so none is reported; watch the loss instead.
            return []
        if target_type == "binary":
            return [keras.metrics.BinaryAccuracy(name="accuracy")]
        if self.target_encoder_.one_hot:
            return [keras.metrics.CategoricalAccuracy(name="accuracy")]
        return [keras.metrics.SparseCategoricalAccuracy(name="accuracy")]

    def _check_model_compatibility(self, y):
        # The head is built from the target type and the loss checked against it in
        # resolve_loss, so scikeras' name-based loss comparison has nothing to add.
        pass

    def _validate_data(self, X=None, y=None, reset=False, y_numeric=False):
        name = type(self).__name__
        if reset and y is None:
            raise ValueError(f"{name} requires y to be passed, but the target y is None.")
        if X is not None:
            X = self._token_ids(X, reset=reset)
        if y is not None:
            y, target_type = check_target(y, name=name)
            if X is not None:
                check_consistent_length(X, y)
            if reset:
                self.target_type_ = target_type
            elif target_type != self.target_type_ and {target_type, self.target_type_} != {"binary", "multiclass"}:
                raise ValueError(f"y is {target_type}, but {name} was fitted on a {self.target_type_} target.")
        if X is None:
            return X, y
        if reset:
            self.n_features_in_ = X.shape[1]
            # Ids unseen in fit have no trained embedding row; predict maps them to OOV.
            self.vocab_size_ = max(int(X.max(initial=OOV_ID)) + 1, OOV_ID + 1,
                                   len(getattr(self, "vocabulary_", ())) + OOV_ID + 1)
        else:
            if X.shape[1] != self.n_features_in_:
                raise ValueError(f"X has {X.shape[1]} features, but {name} is expecting "
                                 f"{self.n_features_in_} features as input.")
            if X.size and X.max() >= self.vocab_size_:
                X = np.where(X >= self.vocab_size_, OOV_ID, X).astype(np.int32)
        return X, y

    def _token_ids(self, X, *, reset):
        """Token ids from X: ids as given, or token strings mapped through ``vocabulary_``."""
        name = type(self).__name__
        if is_token_matrix(X):
            if reset:  # the vocabulary of this fit's training data only
                self.vocabulary_, ids = fit_token_vocabulary(X, name=name)
                return ids
            if getattr(self, "vocabulary_", None) is None:
                raise ValueError(f"{name} was fitted on token ids but is given token strings; transform "
                                 "with the same tokenizer settings as in fit.")
            return encode_tokens(X, self.vocabulary_, name=name)
        if reset:
            vars(self).pop("vocabulary_", None)
            if self.embeddings is not None:
                raise ValueError(
                    f"{name} with embeddings= needs the words, not token ids, to look up their vectors. "
                    f"Use TextTokenizer(output='tokens'): make_pipeline(TextTokenizer(output='tokens'), "
                    f"{name}(embeddings=vectors))."
                )
        elif getattr(self, "vocabulary_", None) is not None:
            raise ValueError(f"{name} was fitted on token strings but is given token ids; use "
                             "TextTokenizer(output='tokens') for prediction too.")
        return check_token_ids(X, name=name)

    def _class_codes(self, y_encoded):
        if self.target_type_ == "binary":
            return y_encoded[:, 0].astype(np.int64)
        if self.target_encoder_.one_hot:
            return y_encoded.argmax(axis=1)
        return y_encoded.astype(np.int64)

    def _sample_weight_with_class_weight(self, codes, sample_weight):
        """Multiply ``sample_weight`` by the weight of each row's class (binary and multi-class)."""
        if self.class_weight is None or codes is None:
            # Multi-label class weights are per-label positive weights, applied inside the loss.
            return sample_weight
        # From the y given to fit (the training fold inside cross-validation), never the whole data.
        row_weight = class_weight_per_row(codes, self.classes_, class_weight=self.class_weight,
                                          mu=self.class_weight_mu).astype(keras.backend.floatx())
        return row_weight if sample_weight is None else sample_weight * row_weight

    def _fit_keras_model(self, X, y, sample_weight, warm_start, epochs, initial_epoch, **kwargs):
        # Replaces scikeras' version to add the stratified hold-out and early stopping.
        codes = None if self.target_type_ == "multilabel-indicator" else self._class_codes(y)
        if codes is not None and len(np.unique(codes)) < 2:
            raise ValueError(f"Only one class has a non-zero sample_weight; {type(self).__name__} "
                             "needs at least two classes to learn from.")
        sample_weight = self._sample_weight_with_class_weight(codes, sample_weight)
        self.batch_size_ = auto_batch_size(len(X)) if self.batch_size == "auto" else self.batch_size
        self._choose_reading_mode(X)
        callbacks = list(self._fit_callbacks)
        validation_data = early_stopping = None
        if self.early_stopping:
            train_idx, val_idx = stratified_holdout(y, self.validation_fraction, self._rng)
            if val_idx.size:
                validation_data = (X[val_idx], y[val_idx])
                if sample_weight is not None:
                    validation_data += (sample_weight[val_idx],)
                    sample_weight = sample_weight[train_idx]
                X, y = X[train_idx], y[train_idx]
                monitor, mode, scorer = resolve_scoring(self.scoring, early_stopping=True,
                                                        name=type(self).__name__)
                if scorer is not None:
                    # First, so that early stopping, the user's callbacks and the history see the score.
                    callbacks.insert(0, EpochScoring(
                        scorer, monitor, HoldoutPredictor(self, self._predict_ids), validation_data[0],
                        holdout_labels(self, validation_data[1]), *validation_data[2:],
                        name=type(self).__name__))
                early_stopping = keras.callbacks.EarlyStopping(
                    monitor=monitor, mode=mode, patience=self.patience, restore_best_weights=True)
                callbacks.append(early_stopping)
        fit_args = {key: value for key, value in self._routed("fit").items() if key != "callbacks"}
        fit_args = {"verbose": self.verbose, **fit_args, **kwargs}
        if self.balanced_batches:
            # Batches are drawn anew each epoch from the training part only; validation is untouched.
            data = {"x": BalancedBatches(X, y, sample_weight, batch_size=self.batch_size_, rng=self._rng)}
        elif self._reads_in_length_buckets():
            data = {"x": LengthBuckets(X, y, sample_weight, batch_size=self.batch_size_, rng=self._rng,
                                       grid=self._bucket_grid)}
            if validation_data is not None:
                validation_data = LengthBuckets(*validation_data, *[None] * (3 - len(validation_data)),
                                                batch_size=self.batch_size_, rng=None, grid=self._bucket_grid)
        else:
            data = {"x": X, "y": y, "sample_weight": sample_weight, "batch_size": self.batch_size_}
        if "x" in data and "y" not in data:
            # These batches come in random order already; Keras' shuffle of the batch order would
            # draw from Python's global `random`, which other threads (a Dask worker's) use too.
            fit_args.setdefault("shuffle", False)
        # A non-finite loss or an interruption leaves the estimator fitted with a finished
        # epoch's weights or not fitted at all; see _faults.
        guarded_fit(self, dict(**data, validation_data=validation_data, epochs=initial_epoch + epochs,
                               initial_epoch=initial_epoch, callbacks=callbacks, **fit_args),
                    early_stopping=early_stopping,
                    record_history=lambda history: self._record_history(history, warm_start))

    def _record_history(self, history, warm_start):
        if not warm_start or not hasattr(self, "history_"):
            self.history_ = {}
        for key, values in history.items():
            self.history_.setdefault(key, []).extend(values)
        self.n_iter_ = len(self.history_["loss"])
        monitor, mode, _ = resolve_scoring(self.scoring, early_stopping=True, name=type(self).__name__)
        monitored = self.history_.get(monitor)
        best = np.argmax if mode == "max" else np.argmin
        self.best_epoch_ = int(best(monitored)) + 1 if monitored else self.n_iter_

    def _choose_reading_mode(self, X):
        """Set the fitted attributes that say how the training ids ``X`` are read."""

    def _reads_in_length_buckets(self):
        """Whether fit and predict read documents in length buckets (see _length_buckets)."""
        return False

    # -------------------------------------------------------------- predict

    def _predict_raw(self, X, **kwargs):
        # Replaces scikeras' version: one compiled call per batch (predict_on_batch) instead of
        # Keras' predict loop, which costs milliseconds per call even for a single document.
        X, _ = self._validate_data(X=X, y=None)
        X = self.feature_encoder_.transform(X)
        return self._predict_ids(X, **kwargs)

    def _predict_ids(self, X, **kwargs):
        """Network outputs for ids already validated and encoded; also scores the hold-out in fit."""
        predict_args = {**self._routed("predict"), **kwargs}
        batch_size = predict_args.pop("batch_size", _PREDICT_BATCH_SIZE)
        if predict_args:  # callbacks, verbose or steps: only Keras' loop honours them
            def predict_batch(x):
                return self.model_.predict(x, batch_size=len(x), **predict_args)
        else:
            self.model_.make_predict_function()
            expect_tracing(self.model_)  # one trace per fold's model and batch shape is expected
            predict_batch = self.model_.predict_on_batch
        return predict_by_width(predict_batch, X, batch_size=batch_size, bucketed=self._reads_in_length_buckets(),
                                grid=self._bucket_grid)

    def predict_proba(self, X):
        """Probability estimates, shaped as scikit-learn expects.

        Parameters
        ----------
        X : array-like of shape (n_samples, sequence_length)
            Token ids. Ids larger than any seen in ``fit`` count as
            out-of-vocabulary.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Binary: (n_samples, 2) with the positive class second.
            Multi-class: softmax probabilities in ``classes_`` order.
            Binary and multi-class rows sum to 1 (in float64, as
            :func:`~sklearn.metrics.log_loss` checks).
            Multi-label: one independent probability per label.
        """
        check_is_fitted(self)
        with prediction_lock(self.model_):
            raw = self._predict_raw(X)
        return self.target_encoder_.inverse_transform(raw, return_proba=True)

    def predict_log_proba(self, X):
        """Natural logarithm of :meth:`predict_proba`.

        Parameters
        ----------
        X : array-like of shape (n_samples, sequence_length)
            Token ids.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            ``log(predict_proba(X))``; a probability that underflowed to 0
            gives ``-inf``.
        """
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))

    def predict(self, X):
        """Predict class labels (a 0/1 matrix, threshold 0.5, for multi-label).

        Parameters
        ----------
        X : array-like of shape (n_samples, sequence_length)
            Token ids.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_labels)
        """
        check_is_fitted(self)
        with prediction_lock(self.model_):
            raw = self._predict_raw(X)
        return self.target_encoder_.inverse_transform(raw)

    score = ClassifierMixin.score
    __repr__ = BaseEstimator.__repr__

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.estimator_type = "classifier"
        # Deep models trained for a few epochs on tiny check data score poorly by design.
        tags.classifier_tags = ClassifierTags(multi_label=True, poor_score=True)
        tags.target_tags.required = True
        # Token ids are categorical codes: non-negative integers.
        tags.input_tags.categorical = True
        tags.input_tags.positive_only = True
        return tags


SHARED_PARAMETERS_DOC = """\
    embedding_dim : int, default={embedding_dim}
        Size of the learnt token embeddings. Ignored with ``embeddings``,
        whose dimension is used.
    embeddings : WordVectors, default=None
        Pre-trained word vectors (:func:`skltext.embeddings.load_word_vectors`
        or :func:`skltext.embeddings.train_word_vectors`) that initialise the
        embedding layer. The model then takes the token strings of
        ``TextTokenizer(output='tokens')`` rather than ids, fits its own
        vocabulary from the training tokens in every ``fit`` (so inside
        cross-validation each fold uses only its own words) and starts each
        word's row from its vector; words without a vector and the
        out-of-vocabulary row get small random vectors of the same spread,
        and padding stays zero. Without ``embeddings`` either input works.
    trainable_embeddings : bool, default=True
        Fine-tune the pre-trained vectors with the rest of the network
        ('non-static' in Kim, 2014); False freezes them ('static'). Only used
        with ``embeddings``.
    spatial_dropout : float, default=0.0
        Share of embedding channels dropped for a whole document in training.
    dropout : float, default={dropout}
        Dropout before the output layer (and after ``dense_units``).
    dense_units : int, default=None
        Units of an optional hidden ReLU layer before the output layer.
    optimizer : str or keras.optimizers.Optimizer, default='adam'
        A Keras optimizer name or instance. Extra optimizer arguments can be
        given as ``optimizer__<name>=value`` (e.g. ``optimizer__beta_1=0.8``).
    learning_rate : float, default={learning_rate}
        Learning rate; overrides the optimizer's own.
    loss : {{'auto', 'focal', 'class_balanced', 'top_k', 'logit_adjusted'}}, str, keras.losses.Loss or \
callable, \
default='auto'
        'auto' picks the loss from the target: binary cross-entropy for binary
        and multi-label targets, sparse categorical cross-entropy for
        multi-class. The imbalance losses of :mod:`skltext.losses`, in the
        form that fits the target, are chosen by name, with settings routed as
        ``loss__<name>``:

        - 'focal': :class:`~skltext.losses.FocalLoss`, ``loss__gamma=2.0``,
          ``loss__alpha=None`` (sigmoid heads only);
        - 'class_balanced': :class:`~skltext.losses.ClassBalancedLoss`, class
          weights from the effective number of training documents,
          ``loss__beta=0.999``, ``loss__gamma=0.0``;
        - 'top_k': :class:`~skltext.losses.TopKLoss`, only the hardest
          ``loss__fraction=0.5`` of each batch is learnt from,
          ``loss__gamma=0.0``;
        - 'logit_adjusted': :class:`~skltext.losses.LogitAdjustedLoss`,
          training on logits shifted by ``loss__tau=1.0`` times each class's
          log prior in the training data (sigmoid heads: log prior odds), so
          the predictions follow the balanced decision rule, which favours
          rare classes (higher macro-F1).

        A Keras loss name or object is used as given, except that one
        contradicting the target type (a categorical loss for binary or
        multi-label, binary cross-entropy for multi-class) is refused with a
        ValueError. Multi-class losses whose name does not start with
        'sparse' receive one-hot targets.
    class_weight : {{'balanced', 'balanced_log'}}, dict or None, default=None
        Weights of the classes, computed from the ``y`` given to ``fit`` (the
        training fold, inside cross-validation) by
        :func:`skltext.weights.compute_class_weights`: 'balanced' is
        ``n_samples / (n_classes * count)``; 'balanced_log' is
        ``max(1, log(class_weight_mu * n_samples / count))``, which leaves
        frequent classes at 1 and gives rare ones a moderate boost; a dict is
        ``{{label: weight}}``. For multi-label targets these are per-label
        *positive* weights (how much a positive of the label counts against a
        negative; 'balanced' gives ``n_negatives / n_positives``), applied
        inside the loss, so they work with loss 'auto', 'focal' and 'top_k'.
    class_weight_mu : float > 0, default=0.15
        Smoothing ``mu`` of ``class_weight='balanced_log'``.
    balanced_batches : bool, default=False
        Draw each epoch's training batches, with replacement, so that every
        class (for multi-label: every row's rarest label) appears about
        equally often; re-drawn every epoch, so over-sampled rare documents
        differ between epochs. The early-stopping validation data keeps its
        natural class distribution.
    batch_size : int or 'auto', default='auto'
        Documents per gradient step. 'auto' takes 64 below 10,000 training
        documents, 128 below 50,000 and 256 from there on: small data keeps
        many updates per epoch, and on large data bigger batches make an
        epoch faster (see benchmarks/results/speed.md). The value used is
        ``batch_size_``.
        Prediction runs in batches of 1024 (``predict__batch_size`` changes it).
    epochs : int, default={epochs}
        Maximum number of passes over the training data.
    early_stopping : bool, default=True
        Hold out a stratified ``validation_fraction`` of the training data and
        stop when its loss (or the ``scoring`` score) has not improved for
        ``patience`` epochs, restoring the weights of the best epoch. When the data is too small to hold out
        at least one document of some class, training uses all of it and runs
        ``epochs`` epochs.
    validation_fraction : float, default=0.1
        Share of the training data held out for early stopping, per class
        (per rarest label for multi-label).
    patience : int, default={patience}
        Epochs without improvement of the validation loss (or the ``scoring``
        score) before stopping.
    scoring : str or callable, default='loss'
        What early stopping watches on the hold-out, and so which epoch's
        weights are kept. 'loss' is the validation loss (lower is better).
        Anything else is a scikit-learn scorer (greater is better) computed
        on the hold-out after every epoch, from the labels as given to
        ``fit`` and the predictions of that epoch's network: a name from
        :func:`sklearn.metrics.get_scorer_names` (e.g. 'f1_macro',
        'balanced_accuracy', 'roc_auc_ovr', 'neg_log_loss'; for multi-label
        targets e.g. 'average_precision', 'roc_auc', or 'f1_macro' on the
        0.5 threshold of ``predict``) or a callable ``scorer(estimator, X,
        y)``, called with an object that has the estimator's ``classes_``,
        ``predict`` and ``predict_proba``. The score is added to ``history_``
        as ``val_<name>`` (``val_score`` for a callable), replacing a Keras
        value of the same name such as ``val_accuracy``, and is weighted as
        the validation loss is when sample or class weights are given. It
        needs ``early_stopping=True`` (a ValueError otherwise); when the data
        is too small to hold any out, no score is computed and ``epochs``
        epochs run. Scorers that need every class or label present in the
        hold-out (ROC AUC) can fail on small data; a larger
        ``validation_fraction`` helps.
    callbacks : list of keras.callbacks.Callback, default=None
        Extra Keras callbacks for training.
    warm_start : bool, default=False
        Keep training the existing network on a new ``fit`` instead of
        building a fresh one.
    random_state : int, RandomState instance or None, default=None
        Seed for weight initialisation, shuffling, dropout and the validation
        split. An int makes repeated fits give identical predictions on CPU,
        also inside joblib or Dask workers: every layer gets its own seed
        derived from it, so what other threads draw from Python's global
        ``random`` cannot change the network. Fitting also seeds Python's,
        NumPy's and the Keras backend's global random generators.
    verbose : int, default=0
        Keras progress output: 0 silent, 1 progress bar, 2 one line per epoch.
    dtype_policy : str, default=None
        Keras dtype policy the network is built with: 'float32', or
        'mixed_bfloat16' (bfloat16 computation, float32 weights) or
        'mixed_float16'; None takes Keras' global policy (float32 unless
        set). The output layer computes in float32 under any policy, so the
        probabilities and the loss keep full precision. Measured on a CPU
        with AVX512-BF16 (benchmarks/results/speed.md, precision section):
        TensorFlow's CNN epochs 1.05x as fast in 'mixed_bfloat16' (within
        noise) and its LSTM 0.89x; under JAX the CNN is 0.81x and the LSTM
        0.16x as fast, so bfloat16 is emulated rather than accelerated there.
        Hence the float32 default on CPUs; accelerators with bfloat16 units
        are where it is meant to pay.
    **routed_params : dict
        Nested parameters with a prefix: ``optimizer__``, ``loss__`` (settings
        of the imbalance losses chosen by name), ``fit__`` (passed to
        ``keras.Model.fit``), ``predict__`` (to ``keras.Model.predict``) or
        ``callbacks__``. Any other name raises a TypeError in ``fit``."""

SHARED_ATTRIBUTES_DOC = """\
    classes_ : ndarray of shape (n_classes,)
        Class labels; ``arange(n_labels)`` for multi-label targets.
    n_classes_ : int
        Number of classes (labels for multi-label).
    target_type_ : {'binary', 'multiclass', 'multilabel-indicator'}
        Target type seen in ``fit``; it chose the head and the loss.
    n_features_in_ : int
        Length of the token sequences seen in ``fit``.
    vocab_size_ : int
        Largest token id seen in ``fit`` plus one: the embedding's row count.
    vocabulary_ : dict of str to int
        Token to id (from 2), learnt in ``fit`` when X holds token strings;
        absent when X holds ids.
    embedding_coverage_ : float
        Share of ``vocabulary_`` words that got a pre-trained vector; only
        with ``embeddings``.
    model_ : keras.Model
        The trained network.
    history_ : dict of str to list of float
        Per-epoch training and validation ('val_' prefix) loss and metrics,
        with the ``scoring`` score (e.g. 'val_f1_macro') unless it is 'loss'.
    batch_size_ : int
        Documents per gradient step used in the last ``fit``.
    n_iter_ : int
        Epochs run.
    best_epoch_ : int
        Epoch (from 1) whose weights were kept: the lowest validation loss,
        or highest ``scoring`` score, when early stopping ran, else the last."""


def fill_shared_doc(**defaults):
    """Insert the shared parameter and attribute sections into a class docstring."""

    def decorate(cls):
        cls.__doc__ = cls.__doc__.replace(
            "{shared_parameters}", SHARED_PARAMETERS_DOC.format(**defaults)
        ).replace("{shared_attributes}", SHARED_ATTRIBUTES_DOC)
        return cls

    return decorate
