"""The scikeras base shared by the text classifiers: every scikeras detail lives here.

scikeras 0.13 predates the tag system of scikit-learn 1.6 (``is_classifier``
is False for its ``KerasClassifier``, so cross-validation silently falls back
to KFold), seeds only TensorFlow, casts X to float and accepts misspelt
parameters. This base fixes each of those once, and hands the concerns that
are not scikeras' to their own modules: nested parameters (``_params``),
token input (``_token_input``), the target (:mod:`skltext._target`), the loss
(``_loss``), the head (``_heads``) and the training loop (``_training``).

Overridden scikeras methods, and the tests that pin each (tests/test_base.py
unless said otherwise):

- ``fit``: validates parameters, seeds every backend, hides ``partial_fit``
  (test_base: seeding, unknown parameters; test_seeding);
- ``initialize``: seeds as ``fit`` does (test_base: initialize);
- ``_fit``: one :class:`~skltext._target.TargetDescription` per fit, made
  in ``_initialize`` and narrowed to the rows left once those of weight 0 are
  dropped (test_imbalance, test_validation_split, test_target);
- ``_initialize``: builds loss, target encoder, output biases and network
  without scikeras' TensorFlow-only seeding (test_losses, test_imbalance);
- ``_keras_build_fn``: the network from ``_build_network`` with its head;
- ``_fit_keras_model``: the hold-out, early stopping and batches of
  ``_training`` (test_models, test_epoch_scoring, test_speed_settings);
- ``_validate_data``: token ids kept as integers, strings through the
  vocabulary, targets through ``check_target`` (test_inputs, test_bad_input);
- ``_check_model_compatibility``: a no-op, the loss was checked already;
- ``_predict_raw``, ``predict``, ``predict_proba``, ``predict_log_proba``:
  one compiled call per batch, in length buckets where the model reads so
  (test_speed_settings, test_misread_input);
- ``__sklearn_tags__``, ``score``, ``__repr__``: scikit-learn's, so
  ``is_classifier`` holds (test_common, test_base).

Inherited unchanged: ``get_params``/``set_params`` (with the routed
prefixes), ``__getstate__``/``__setstate__``, ``_ensure_compiled_model``,
``initialized_``, ``feature_encoder``, ``_validate_sample_weight`` and the
callback handling (``_initialize_callbacks``, ``_fit_callbacks``).
"""

from numbers import Integral, Real

import keras
import numpy as np
from scikeras.wrappers import KerasClassifier
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_consistent_length, check_is_fitted
from sklearn_compat.base import _fit_context
from sklearn_compat.utils import ClassifierTags

from .._target import TargetDescription, check_target
from ._embedding_init import initial_embedding_matrix
from ._epoch_scoring import resolve_scoring
from ._faults import prediction_lock
from ._feeding_steps import check_feeding_steps
from ._heads import OUTPUT_ACTIVATION, TargetEncoder, initial_output_bias
from ._length_buckets import predict_by_width
from ._loss import build_loss
from ._network_state import NetworkState
from ._params import ROUTING_PREFIXES, check_routed_params, make_optimizer, resolve_class_weight, routed_params
from ._precision import check_dtype_policy, dtype_policy_scope
from ._token_input import validate_token_input
from ._tracing import expect_tracing
from ._training import auto_batch_size, refit_network, train_network

__all__ = ["BaseTextClassifier", "auto_batch_size"]

# Rows per prediction batch unless predict__batch_size says otherwise.
_PREDICT_BATCH_SIZE = 1024


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
        "class_weight": [dict, StrOptions({"auto", "balanced", "balanced_log"}), None],
        "class_weight_mu": [Interval(Real, 0, None, closed="neither")],
        "balanced_batches": ["boolean"],
        "batch_size": [Interval(Integral, 1, None, closed="left"), StrOptions({"auto"})],
        "epochs": [Interval(Integral, 1, None, closed="left")],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "patience": [Interval(Integral, 0, None, closed="left")],
        "scoring": [str, callable],
        "refit": ["boolean"],
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
        scoring="auto",
        refit=False,
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
        self.refit = refit
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
        self._prepare_fit()
        check_feeding_steps(self)  # no synthesising sampler or side columns before the model
        self._fit(X=X, y=y, sample_weight=sample_weight, warm_start=self.warm_start,
                  epochs=self.epochs, initial_epoch=0)
        return self

    def initialize(self, X, y):
        """Build and compile the network for ``X`` and ``y`` without training it.

        Parameters
        ----------
        X : array-like of shape (n_samples, sequence_length)
            Token ids (or token strings), as for :meth:`fit`.
        y : array-like of shape (n_samples,) or (n_samples, n_labels)
            The target, as for :meth:`fit`.

        Returns
        -------
        self : object
            The estimator, with an untrained network that predicts.
        """
        self._validate_params()
        self._prepare_fit()
        self._initialize(X, y)
        vars(self).pop("_target")  # read by training only
        return self

    def _prepare_fit(self):
        """Validate the parameters and seed every random source, before a network is built."""
        check_routed_params(self)
        self._check_params()
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

    # scikeras' epoch-by-epoch partial_fit would bypass the validation split and
    # early stopping, so it is not offered.
    @available_if(_never)
    def partial_fit(self, X, y, classes=None, sample_weight=None):  # pragma: no cover
        raise NotImplementedError

    def _check_params(self):
        """Checks that span several parameters; subclasses extend it."""

    # Models whose learning_rate can be 'auto' set this to its (multi-label, other targets) values.
    _auto_learning_rates = None

    def _resolved_learning_rate(self):
        """The learning rate the optimizer gets; where it can be 'auto', also ``learning_rate_``."""
        if self._auto_learning_rates is None:
            return self.learning_rate
        multilabel, other = self._auto_learning_rates
        self.learning_rate_ = self.learning_rate
        if self.learning_rate == "auto":
            self.learning_rate_ = multilabel if self.target_type_ == "multilabel-indicator" else other
        return self.learning_rate_

    def _fit(self, X, y, sample_weight, warm_start, epochs, initial_epoch, **kwargs):
        # Replaces scikeras' version to describe the target once and pass it on to training.
        continues = (self.warm_start or warm_start) and self.initialized_
        if continues:
            X, y = self._validate_data(X, y)
            target = TargetDescription(y, self.target_type_, classes=self.classes_)
        else:
            X, y = self._initialize(X, y)
            target = vars(self).pop("_target")  # described in _initialize; only this fit reads it
        self._ensure_compiled_model()
        if sample_weight is not None:  # drops the rows of weight 0, as scikit-learn estimators do
            given = sample_weight
            X, y, sample_weight = self._validate_sample_weight(X, y, sample_weight)
            if len(y) < target.n_samples:
                target = target.take(np.asarray(given, dtype=float) != 0)
        self._fit_keras_model(self.feature_encoder_.transform(X), self.target_encoder_.transform(y),
                              sample_weight=sample_weight, warm_start=warm_start, epochs=epochs,
                              initial_epoch=initial_epoch, target=target, may_refit=not continues, **kwargs)

    def _initialize(self, X, y=None):
        # Replaces scikeras' version, which seeds through TensorFlow only; _prepare_fit()
        # seeds every backend with keras.utils.set_random_seed instead.
        self._random_state = None
        X, y = self._validate_data(X, y, reset=True)
        self._describe_training_ids(X)
        self._target = target = TargetDescription(y, self.target_type_)
        self.class_weight_ = resolve_class_weight(self, self.target_type_)
        self._compile_loss, one_hot = build_loss(
            self.loss, routed_params(self, "loss"), target=target, class_weight=self.class_weight_,
            mu=self.class_weight_mu, name=type(self).__name__,
        )
        self.target_encoder_ = TargetEncoder(self.target_type_, one_hot=one_hot).fit(y)
        vars(self).update(self.target_encoder_.get_metadata())
        self.feature_encoder_ = self.feature_encoder.fit(X)
        self._output_bias = initial_output_bias(target, self._compile_loss,
                                                reweighted=self.class_weight_ is not None or self.balanced_batches)
        self.model_ = self._build_keras_model()
        self._initialize_callbacks()
        return X, y

    def _keras_build_fn(self, meta):
        """Called by scikeras with the fitted attributes in ``meta``; returns a compiled model."""
        target_type = meta["target_type_"]
        meta = {
            **meta,
            "n_outputs": 1 if target_type == "binary" else meta["n_classes_"],
            "output_activation": OUTPUT_ACTIVATION[target_type],
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
        model.compile(optimizer=make_optimizer(self), loss=self._compile_loss,
                      metrics=self._default_metrics(target_type))
        return model

    def _load_embeddings(self, layer):
        """Initialise the embedding layer from ``embeddings`` for the fitted vocabulary."""
        matrix, found = initial_embedding_matrix(self.embeddings, self.vocabulary_, rng=self._rng)
        self.embedding_coverage_ = found / max(len(self.vocabulary_), 1)
        layer.set_weights([matrix])
        layer.trainable = self.trainable_embeddings

    def _routed(self, prefix):
        """The ``<prefix>__*`` parameters, with the prefix removed."""
        return routed_params(self, prefix)

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
            X = validate_token_input(self, X, reset=reset)
        if y is not None:
            y, target_type = check_target(y, name=name)
            if X is not None:
                check_consistent_length(X, y)
            if reset:
                self.target_type_ = target_type
            elif target_type != self.target_type_ and {target_type, self.target_type_} != {"binary", "multiclass"}:
                raise ValueError(f"y is {target_type}, but {name} was fitted on a {self.target_type_} target.")
        return X, y

    def _fit_keras_model(self, X, y, sample_weight, warm_start, epochs, initial_epoch, *, target,
                         may_refit=False, **kwargs):
        # Replaces scikeras' version to add the stratified hold-out and early stopping (see _training).
        # A warm start continues the network it has, so only a freshly built one is refitted.
        refits = self.refit and self.early_stopping and may_refit
        initial_state = NetworkState(self.model_) if refits else None
        held_out = train_network(self, X, y, target, sample_weight, warm_start=warm_start, epochs=epochs,
                                 initial_epoch=initial_epoch, **kwargs)
        self.refitted_ = False
        if refits and held_out:
            refit_network(self, X, y, target, sample_weight, initial_state=initial_state, epochs=self.best_epoch_,
                          **kwargs)
            self.refitted_ = True

    def _describe_training_ids(self, X):
        """Keep what the network's build needs to know of the training ids ``X``; subclasses extend it."""

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
