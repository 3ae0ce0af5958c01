"""Scoring the early-stopping hold-out with a scikit-learn scorer after every epoch.

Early stopping on the validation loss watches a quantity dominated by the
frequent classes (or, for multi-label targets, by the frequent tags). With
``scoring='f1_macro'`` or ``'average_precision'`` the estimators score the
hold-out after every epoch with the scorer, as skorch's ``EpochScoring``
does, add the score to the epoch logs as ``val_<name>`` (so it lands in
``history_``) and stop on it. The scorer is called on a
:class:`HoldoutPredictor`: an object with the estimator's classes, tags and
``predict``/``predict_proba`` backed by the network as it stands at the end
of the epoch, so every scikit-learn scorer works as it would on the fitted
estimator.
"""

import math

import keras
import numpy as np
from sklearn.base import ClassifierMixin
from sklearn.metrics import get_scorer

__all__ = ["EpochScoring", "HoldoutPredictor", "resolve_scoring"]


def resolve_scoring(scoring, *, early_stopping, name, target_type=None):
    """The quantity early stopping monitors for ``scoring``, and the scorer computing it.

    Parameters
    ----------
    scoring : str or callable
        The estimator's ``scoring`` parameter: 'auto', 'loss', a
        scikit-learn scorer name or a callable ``scorer(estimator, X, y)``.
    early_stopping : bool
        The estimator's ``early_stopping`` parameter.
    name : str
        Estimator name used in error messages.
    target_type : str or None, default=None
        The training target's type, which 'auto' follows: 'average_precision'
        for 'multilabel-indicator' (with early stopping), 'loss' otherwise.
        None (before the target is known) reads 'auto' as 'loss'.

    Returns
    -------
    monitor : str
        Key of the epoch logs watched: 'val_loss', ``'val_<name>'`` or
        'val_score' for a callable.
    mode : {'min', 'max'}
        Whether lower or higher values of ``monitor`` are better.
    scorer : callable or None
        None for 'loss' (Keras computes the validation loss itself).

    Raises
    ------
    ValueError
        If ``scoring`` is an unknown name, or anything but 'loss' or 'auto'
        while ``early_stopping`` is False (there is no hold-out to score).
    """
    if isinstance(scoring, str) and scoring == "auto":
        scoring = "average_precision" if target_type == "multilabel-indicator" and early_stopping else "loss"
    if isinstance(scoring, str) and scoring == "loss":
        return "val_loss", "min", None
    if isinstance(scoring, str):
        try:
            scorer = get_scorer(scoring)
        except ValueError:
            raise ValueError(
                f"{name} got scoring={scoring!r}, which is not a scorer name. Use 'loss', a name from "
                "sklearn.metrics.get_scorer_names() such as 'f1_macro' or 'average_precision', or a "
                "callable scorer(estimator, X, y)."
            ) from None
        monitor = f"val_{scoring}"
    else:
        scorer, monitor = scoring, "val_score"
    if not early_stopping:
        shown = repr(scoring) if isinstance(scoring, str) else "a callable"
        raise ValueError(
            f"{name}: scoring={shown} is computed on the early-stopping hold-out, so it needs "
            "early_stopping=True; with early_stopping=False, leave scoring='loss'."
        )
    return monitor, "max", scorer


class HoldoutPredictor:
    """The estimator being fitted, as it predicts with the network of the current epoch.

    Scorers need a fitted classifier; the estimator itself is not one until
    ``fit`` returns. This object has what the scorers use: the estimator's
    ``classes_`` (for a multi-label target, one ``[0, 1]`` array per label
    instead) and tags, and ``predict``, ``predict_proba``,
    ``predict_log_proba`` and ``score`` computed from the current network's
    outputs, decoded by the estimator's target encoder. Outputs are computed once per epoch for the hold-out
    (``clear`` forgets them), whichever of the methods a scorer calls.

    Parameters
    ----------
    estimator : BaseTextClassifier
        The estimator being fitted; ``classes_`` and ``target_encoder_`` are set.
    predict_raw : callable
        Network outputs (ndarray) for an encoded id matrix, computed through
        the estimator's batched prediction path.
    """

    def __init__(self, estimator, predict_raw):
        self.estimator = estimator
        self.predict_raw = predict_raw
        self._outputs = None

    @property
    def classes_(self):
        # scikit-learn's scorers read the target type from classes_: the label indices of a two-label
        # target read as a binary target (and only one column would be scored), one [0, 1] pair per
        # label reads as multi-label, as a multi-output forest's classes_ do.
        if self.estimator.target_type_ == "multilabel-indicator":
            return [np.array([0, 1])] * len(self.estimator.classes_)
        return self.estimator.classes_

    def __sklearn_tags__(self):
        return self.estimator.__sklearn_tags__()

    def clear(self):
        """Forget the outputs of the previous epoch."""
        self._outputs = None

    def _raw(self, X):
        if self._outputs is None or self._outputs[0] is not X:
            self._outputs = (X, self.predict_raw(X))
        return self._outputs[1]

    def predict_proba(self, X):
        """Probabilities, shaped as the estimator's ``predict_proba`` returns them."""
        return self.estimator.target_encoder_.inverse_transform(self._raw(X), return_proba=True)

    def predict_log_proba(self, X):
        """Natural logarithm of :meth:`predict_proba`."""
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))

    def predict(self, X):
        """Labels, as the estimator's ``predict`` returns them."""
        return self.estimator.target_encoder_.inverse_transform(self._raw(X))

    score = ClassifierMixin.score


class EpochScoring(keras.callbacks.Callback):
    """Add the hold-out score of every epoch to the epoch logs.

    Must come before the callbacks that read the score (early stopping,
    history) in the callback list: they see the same logs afterwards.

    Parameters
    ----------
    scorer : callable
        ``scorer(estimator, X, y, **kwargs)``, greater is better.
    key : str
        Name of the score in the logs, e.g. 'val_f1_macro'.
    predictor : HoldoutPredictor
        What the scorer is called on.
    X : ndarray
        The hold-out, encoded as the network takes it.
    y : ndarray
        The hold-out's labels as given to ``fit`` (not encoded).
    sample_weight : ndarray or None
        The hold-out's weights, as the validation loss uses them; passed to
        the scorer only when not None.
    name : str
        Estimator name used in error messages.
    """

    def __init__(self, scorer, key, predictor, X, y, sample_weight=None, *, name):
        super().__init__()
        self.scorer = scorer
        self.key = key
        self.predictor = predictor
        self.X, self.y, self.sample_weight = X, y, sample_weight
        self.name = name

    def on_epoch_end(self, epoch, logs=None):
        self.predictor.clear()
        kwargs = {} if self.sample_weight is None else {"sample_weight": self.sample_weight}
        try:
            score = float(self.scorer(self.predictor, self.X, self.y, **kwargs))
        except Exception as exc:
            raise ValueError(
                f"{self.name} could not compute {self.key} on the early-stopping hold-out after epoch "
                f"{epoch + 1}: {type(exc).__name__}: {exc}"
            ) from exc
        finally:
            self.predictor.clear()
        if not math.isfinite(score):
            raise ValueError(
                f"{self.name} got {self.key}={score} on the early-stopping hold-out after epoch "
                f"{epoch + 1}; early stopping needs a finite score. The hold-out may lack a class or "
                "label the scorer needs (try a larger validation_fraction) or scoring='loss'."
            )
        if logs is not None:
            logs[self.key] = score
