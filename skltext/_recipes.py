"""The named models and the splitters of ``skltext compare``.

:func:`make_model` builds each model :func:`skltext.compare.compare_models`
knows by name, with its imbalance remedy, as an unfitted pipeline, and
:func:`make_cv` the splitter it uses for a target. Both are public through
:mod:`skltext.compare`.
"""

import importlib

from imblearn.over_sampling import RandomOverSampler
from imblearn.pipeline import Pipeline as ImbPipeline
from sklearn.ensemble import VotingClassifier
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, StratifiedGroupKFold, StratifiedKFold
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import Pipeline
from sklearn.svm import LinearSVC

from .calibration import TemperatureCalibratedClassifier
from .model_selection import MultilabelStratifiedKFold
from .sampling import MultilabelRandomOverSampler
from .text import TextTokenizer

__all__ = ["MODEL_NAMES", "IMBALANCE_REMEDIES", "make_model", "make_cv", "describe_remedy", "DEEP_MODEL_NAMES",
           "LINEAR_MODEL_NAMES", "LINEAR_VOTE"]

MODEL_NAMES = ("tfidf-lr", "tfidf-svm", "cnn", "lstm", "ngram", "ngram+tfidf")
IMBALANCE_REMEDIES = ("none", "class_weight", "focal", "oversample")
# Deep models: class names in skltext.models, imported only when one is made, so that `skltext compare`
# checks its arguments without loading Keras.
_DEEP = {"cnn": "CNNClassifier", "lstm": "LSTMClassifier", "ngram": "NgramClassifier"}
# The linear part of 'ngram+tfidf' (not a compare model by itself): TF-IDF, then a soft vote of the
# logistic regression and the LinearSVC.
LINEAR_VOTE = "tfidf-lr+svm"
# Soft votes of a deep model and TF-IDF linear models (DeepLinearClassifier): name -> (deep, linear part).
_COMBINATIONS = {"ngram+tfidf": ("ngram", LINEAR_VOTE)}
DEEP_MODEL_NAMES = tuple(_DEEP)
# TF-IDF baselines: no Keras model inside, so their folds may fit in parallel processes.
LINEAR_MODEL_NAMES = tuple(name for name in MODEL_NAMES if name not in _DEEP and name not in _COMBINATIONS)


def _classifier_step(pipeline):
    return pipeline.named_steps["classifier"]


def make_model(name, *, target_type, imbalance="none", random_state=None, params=None):
    """One of the models that ``skltext compare`` knows, as an unfitted pipeline.

    - ``'tfidf-lr'``: TF-IDF of words and word pairs (sublinear term
      frequencies) and logistic regression (``C=10``);
    - ``'tfidf-svm'``: the same features and a linear SVM (``LinearSVC``,
      scored by its decision function);
    - ``'cnn'``, ``'lstm'``, ``'ngram'``: :class:`~skltext.TextTokenizer`
      and :class:`~skltext.CNNClassifier` / :class:`~skltext.LSTMClassifier`
      / :class:`~skltext.NgramClassifier` with their defaults (early
      stopping on).
    - ``'ngram+tfidf'``: :class:`~skltext.DeepLinearClassifier` on its
      defaults, the soft vote with equal weights of ``'ngram'``, the
      logistic regression of ``'tfidf-lr'`` and the LinearSVC of
      ``'tfidf-svm'`` with probabilities from
      :class:`~skltext.calibration.TemperatureCalibratedClassifier`, both
      on one TF-IDF (each model with the imbalance remedy); ``params`` are
      its own (``deep_weight``) or nested (``deep__classifier__epochs``).

    For multi-label targets the linear models are wrapped in
    ``OneVsRestClassifier``. Steps are named ``'tfidf'`` or ``'tokenizer'``,
    ``'oversample'`` (with ``imbalance='oversample'``) and ``'classifier'``.

    Parameters
    ----------
    name : {'tfidf-lr', 'tfidf-svm', 'cnn', 'lstm', 'ngram', 'ngram+tfidf'}
        The model.
    target_type : {'binary', 'multiclass', 'multilabel-indicator'}
        The target it will be fitted on.
    imbalance : {'none', 'class_weight', 'focal', 'oversample'}, default='none'
        Remedy for imbalanced classes:

        - ``'class_weight'``: ``class_weight='balanced'`` for the linear
          models; the deep models get ``'balanced_log'`` for binary and
          multi-class targets (higher macro-F1 than ``'balanced'`` in every
          multi-class run of the imbalance benchmark) and ``'balanced'``
          (per-label positive weights) for multi-label targets, where
          ``'balanced_log'`` barely moved the rare labels;
        - ``'focal'``: focal loss for the deep models; the linear models,
          which have no such loss, get ``class_weight='balanced'``;
        - ``'oversample'``: random over-sampling of the training folds after
          the vectorizer (imbalanced-learn's ``RandomOverSampler``, or
          :class:`~skltext.sampling.MultilabelRandomOverSampler` for
          multi-label targets) in an imbalanced-learn pipeline.
    random_state : int or None, default=None
        Seed of the models and samplers.
    params : dict or None, default=None
        Parameters to set: names of the classifier's parameters (for
        ``OneVsRestClassifier``, of the wrapped model), e.g. ``{'epochs': 5}``,
        or ``step__parameter`` names of the pipeline, e.g.
        ``{'tokenizer__max_len': 50}``.

    Returns
    -------
    pipeline : sklearn.pipeline.Pipeline or imblearn.pipeline.Pipeline

    Examples
    --------
    >>> from skltext.compare import make_model
    >>> model = make_model("cnn", target_type="multiclass", imbalance="class_weight", params={"filters": 8})
    >>> model.named_steps["classifier"].class_weight, model.named_steps["classifier"].filters
    ('balanced_log', 8)
    """
    if name not in MODEL_NAMES and name != LINEAR_VOTE:
        raise ValueError(f"Unknown model {name!r}; choose from {', '.join(MODEL_NAMES)}.")
    if imbalance not in IMBALANCE_REMEDIES:
        raise ValueError(f"Unknown imbalance remedy {imbalance!r}; choose from {', '.join(IMBALANCE_REMEDIES)}.")
    if name in _COMBINATIONS:
        return _make_combination(name, target_type=target_type, imbalance=imbalance, random_state=random_state,
                                 params=params)
    multilabel = target_type == "multilabel-indicator"
    if name in _DEEP:
        front = ("tokenizer", TextTokenizer(max_len="auto"))
        settings = {"random_state": random_state}
        if imbalance == "class_weight":
            settings["class_weight"] = "balanced" if multilabel else "balanced_log"
        elif imbalance == "focal":
            settings["loss"] = "focal"
        classifier = getattr(importlib.import_module(".models", __package__), _DEEP[name])(**settings)
    else:
        front = ("tfidf", TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2), min_df=1))
        weight = "balanced" if imbalance in ("class_weight", "focal") else None
        # C=10 suits TF-IDF features better than 1. saga does not slow down under thread contention, but on
        # the binary problems of one-vs-rest liblinear reaches the same average precision about 10x faster
        # (benchmarks/results/tune_multilabel_solver.md).
        logistic = LogisticRegression(C=10.0, solver="liblinear" if multilabel else "saga", max_iter=1000,
                                      class_weight=weight, random_state=random_state)
        svm = LinearSVC(class_weight=weight, random_state=random_state)
        if name == "tfidf-lr":
            classifier = logistic
        elif name == "tfidf-svm":
            classifier = svm
        else:
            classifier = VotingClassifier(
                [("lr", logistic), ("svm", TemperatureCalibratedClassifier(svm, random_state=random_state))],
                voting="soft")
        if multilabel:
            classifier = OneVsRestClassifier(classifier)
    steps = [front, ("classifier", classifier)]
    if imbalance == "oversample":
        sampler = (MultilabelRandomOverSampler(random_state=random_state) if multilabel
                   else RandomOverSampler(random_state=random_state))
        steps.insert(1, ("oversample", sampler))
        pipeline = ImbPipeline(steps)
    else:
        pipeline = Pipeline(steps)
    routed = {}
    for key, value in (params or {}).items():
        if "__" in key and key.split("__")[0] in pipeline.named_steps:
            routed[key] = value
        elif isinstance(classifier, OneVsRestClassifier):
            routed[f"classifier__estimator__{key}"] = value
        else:
            routed[f"classifier__{key}"] = value
    try:
        pipeline.set_params(**routed)
    except ValueError as exc:
        raise ValueError(f"Model {name!r}: {exc}") from None
    return pipeline


def _make_combination(name, *, target_type, imbalance, random_state, params):
    """A DeepLinearClassifier of two named models, each with the imbalance remedy."""
    from .ensemble import DeepLinearClassifier

    deep, linear = (make_model(part, target_type=target_type, imbalance=imbalance, random_state=random_state)
                    for part in _COMBINATIONS[name])
    # Equal votes of the deep model and the two linear models, as DeepLinearClassifier's defaults have it.
    model = DeepLinearClassifier(deep, linear, deep_weight=1 / 3, random_state=random_state)
    try:
        model.set_params(**(params or {}))
    except ValueError as exc:
        raise ValueError(f"Model {name!r}: {exc}") from None
    return model


def make_cv(target_type, *, n_splits=5, grouped=False, random_state=None):
    """The splitter ``skltext compare`` uses for a target.

    - groups: ``StratifiedGroupKFold`` for binary and multi-class targets,
      ``GroupKFold`` for multi-label ones (each group stays in one fold);
    - multi-label: :class:`~skltext.model_selection.MultilabelStratifiedKFold`;
    - otherwise ``StratifiedKFold``.

    All shuffle with ``random_state`` (except ``GroupKFold``, which
    balances the fold sizes instead).

    Parameters
    ----------
    target_type : {'binary', 'multiclass', 'multilabel-indicator'}
        The target.
    n_splits : int, default=5
        Number of folds.
    grouped : bool, default=False
        Whether the rows have groups that must not be split.
    random_state : int or None, default=None
        Seed of the shuffling.

    Returns
    -------
    cv : cross-validation splitter

    Examples
    --------
    >>> from skltext.compare import make_cv
    >>> make_cv("multiclass", n_splits=3, random_state=0)
    StratifiedKFold(n_splits=3, random_state=0, shuffle=True)
    """
    multilabel = target_type == "multilabel-indicator"
    if grouped:
        if multilabel:
            return GroupKFold(n_splits)
        return StratifiedGroupKFold(n_splits, shuffle=True, random_state=random_state)
    if multilabel:
        return MultilabelStratifiedKFold(n_splits, shuffle=True, random_state=random_state)
    return StratifiedKFold(n_splits, shuffle=True, random_state=random_state)


def describe_remedy(pipeline, imbalance):
    """What the imbalance remedy ``imbalance`` set on a pipeline of :func:`make_model`, for the report."""
    if imbalance == "none":
        return "none"
    if hasattr(pipeline, "deep") and hasattr(pipeline, "linear"):  # a DeepLinearClassifier
        return f"deep model: {describe_remedy(pipeline.deep, imbalance)}; linear model: " \
               f"{describe_remedy(pipeline.linear, imbalance)}"
    if imbalance == "oversample":
        return f"{type(pipeline.named_steps['oversample']).__name__} on the training folds"
    classifier = _classifier_step(pipeline)
    if isinstance(classifier, OneVsRestClassifier):
        classifier = classifier.estimator
    if isinstance(classifier, VotingClassifier):  # the same remedy on each linear model
        classifier = classifier.estimators[0][1]
    if getattr(classifier, "loss", None) == "focal":
        return "loss='focal'"
    return f"class_weight={classifier.class_weight!r}"
