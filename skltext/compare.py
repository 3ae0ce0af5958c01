"""Cross-validate text classifiers on the same folds and tabulate their scores.

:func:`compare_models` runs deep models (:class:`~skltext.CNNClassifier`,
:class:`~skltext.LSTMClassifier`) and TF-IDF baselines (logistic regression,
linear SVM) on one set of cross-validation folds, each inside a
scikit-learn or imbalanced-learn pipeline, so every preprocessing step is
learnt on the training folds only. It keeps each fold's scores and times,
the out-of-fold predictions and scores of every row (for per-class reports,
confusion matrices and precision-recall curves) and the fitted models (for
their training curves), all from one fit per model and fold. ``skltext
compare`` is a command-line front end to it.
"""

import importlib
import time
import warnings
from numbers import Integral

import numpy as np
from imblearn.over_sampling import RandomOverSampler
from imblearn.pipeline import Pipeline as ImbPipeline
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning, UndefinedMetricWarning
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, average_precision_score, classification_report, f1_score
from sklearn.model_selection import GroupKFold, StratifiedGroupKFold, StratifiedKFold
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MultiLabelBinarizer
from sklearn.svm import LinearSVC
from sklearn.utils.multiclass import type_of_target

from ._label_lists import is_label_lists
from .model_selection import MultilabelStratifiedKFold
from .sampling import MultilabelRandomOverSampler
from .text import TextTokenizer
from .thresholds import ThresholdOptimizer

__all__ = [
    "MODEL_NAMES",
    "IMBALANCE_REMEDIES",
    "Comparison",
    "ComparisonInterrupted",
    "compare_models",
    "make_cv",
    "make_model",
    "make_scorers",
    "pr_auc_score",
]

MODEL_NAMES = ("tfidf-lr", "tfidf-svm", "cnn", "lstm", "ngram", "ngram+tfidf-lr")
IMBALANCE_REMEDIES = ("none", "class_weight", "focal", "oversample")
# Deep models: class names in skltext.models, imported only when one is made, so that `skltext compare`
# checks its arguments without loading Keras.
_DEEP = {"cnn": "CNNClassifier", "lstm": "LSTMClassifier", "ngram": "NgramClassifier"}
# Soft votes of a deep and a linear model (DeepLinearClassifier): name -> (deep model, linear model).
_COMBINATIONS = {"ngram+tfidf-lr": ("ngram", "tfidf-lr")}
# Column titles of the results table.
_TITLES = {"accuracy": "accuracy", "micro_f1": "micro-F1", "macro_f1": "macro-F1", "pr_auc": "PR-AUC",
           "fit_time": "fit s", "predict_time": "predict s"}


# ------------------------------------------------------------------------ targets


def _encode_target(y, label_names=None):
    """``y`` as an array sklearn accepts, its target type and the names of its classes or labels.

    A list (or pandas Series, or object array) of label lists becomes a 0/1 indicator matrix.
    """
    listed = not hasattr(y, "shape") and len(y) and all(isinstance(v, (list, tuple, set, frozenset)) for v in y)
    if listed or is_label_lists(y):
        binarizer = MultiLabelBinarizer()
        Y = binarizer.fit_transform(y)
        return Y, "multilabel-indicator", np.asarray(binarizer.classes_, dtype=object)
    y = np.asarray(y)
    target_type = type_of_target(y, input_name="y")
    if target_type == "multilabel-indicator":
        names = np.arange(y.shape[1]) if label_names is None else np.asarray(label_names, dtype=object)
        if len(names) != y.shape[1]:
            raise ValueError(f"label_names has {len(names)} names for {y.shape[1]} label columns.")
        if y.shape[1] < 2:
            raise ValueError("A multi-label target needs at least two labels.")
        return y, target_type, names
    if target_type.startswith("continuous"):
        raise ValueError(f"y must hold class labels, not continuous values; got a {target_type!r} target.")
    if target_type not in ("binary", "multiclass"):
        raise ValueError(f"y must hold class labels or a 0/1 multi-label matrix; got a {target_type!r} target.")
    classes, counts = np.unique(y, return_counts=True)
    if len(classes) < 2:
        raise ValueError(f"y has a single class ({classes[0]!r}, {counts[0]} rows); a classifier needs at "
                         "least two.")
    return y, target_type, classes


# ------------------------------------------------------------------------ metrics


def _score_matrix(estimator, X, target_type):
    """Per-class (per-label) scores, shape (n_samples, len(estimator.classes_)): probabilities, else decisions."""
    if hasattr(estimator, "predict_proba"):
        scores = np.asarray(estimator.predict_proba(X), dtype=float)
    else:
        scores = np.asarray(estimator.decision_function(X), dtype=float)
        if scores.ndim == 1 and target_type != "multilabel-indicator":
            # One score for the second class: the estimator saw two classes in fit. That also
            # happens on a multi-class target, in a training fold without its rarest class.
            scores = np.column_stack([-scores, scores])
    return scores


def pr_auc_score(y_true, y_score, *, classes=None):
    """Area under the precision-recall curve (average precision), macro-averaged one-vs-rest.

    Each class (binary and multi-class targets: both classes of a binary
    target count) or label (multi-label 0/1 targets) is scored as its own
    binary problem on its column of ``y_score``; classes without a positive
    row in ``y_true`` are left out, since their average precision is
    undefined.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,) or (n_samples, n_labels)
        Class labels, or a 0/1 indicator matrix.
    y_score : array-like of shape (n_samples, n_classes)
        Scores (probabilities or decision values) of each class or label,
        columns in the order of ``classes``.
    classes : array-like of shape (n_classes,), default=None
        The class of each column (ignored for multi-label targets); None
        means ``np.unique(y_true)``.

    Returns
    -------
    score : float
        Mean average precision over the classes present in ``y_true``.

    Examples
    --------
    >>> from skltext.compare import pr_auc_score
    >>> pr_auc_score(["a", "b", "b", "a"], [[0.9, 0.1], [0.2, 0.8], [0.6, 0.4], [0.3, 0.7]])
    0.8333333333333333
    """
    y_score = np.asarray(y_score, dtype=float)
    y_arr = np.asarray(y_true)
    if y_arr.ndim == 2:
        indicator = y_arr != 0
    else:
        classes = np.unique(y_arr) if classes is None else np.asarray(classes)
        indicator = y_arr[:, None] == classes[None, :]
    if y_score.ndim != 2 or y_score.shape[1] != indicator.shape[1]:
        raise ValueError(f"y_score must have one column per class ({indicator.shape[1]}), got shape "
                         f"{y_score.shape}.")
    present = np.flatnonzero(indicator.any(axis=0))
    if len(present) == 0:
        return float("nan")
    return float(np.mean([average_precision_score(indicator[:, k], y_score[:, k]) for k in present]))


def _metric_names(target_type):
    first = "micro_f1" if target_type == "multilabel-indicator" else "accuracy"
    return (first, "macro_f1", "pr_auc")


def _fold_metrics(y_true, y_pred, scores, classes, target_type):
    """The three quality metrics of one test fold (the same functions as :func:`make_scorers`)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        if target_type == "multilabel-indicator":
            first = f1_score(y_true, y_pred, average="micro")
        else:
            first = accuracy_score(y_true, y_pred)
        macro = f1_score(y_true, y_pred, average="macro")
    columns = None if target_type == "multilabel-indicator" else classes
    return dict(zip(_metric_names(target_type), (first, macro, pr_auc_score(y_true, scores, classes=columns))))


def make_scorers(target_type):
    """The scorers behind the results table, for ``cross_validate(..., scoring=make_scorers(...))``.

    Parameters
    ----------
    target_type : {'binary', 'multiclass', 'multilabel-indicator'}
        As returned by :func:`sklearn.utils.multiclass.type_of_target`.

    Returns
    -------
    scorers : dict of str to callable
        ``accuracy`` (``micro_f1`` for multi-label), ``macro_f1`` and
        ``pr_auc`` (:func:`pr_auc_score` of ``predict_proba``, or of
        ``decision_function`` when there is none).

    Examples
    --------
    >>> from skltext.compare import make_scorers
    >>> sorted(make_scorers("multiclass"))
    ['accuracy', 'macro_f1', 'pr_auc']
    """
    if target_type not in ("binary", "multiclass", "multilabel-indicator"):
        raise ValueError(f"target_type must be 'binary', 'multiclass' or 'multilabel-indicator', got "
                         f"{target_type!r}.")

    def pr_auc(estimator, X, y):
        scores = _score_matrix(estimator, X, target_type)
        classes = None if target_type == "multilabel-indicator" else estimator.classes_
        return pr_auc_score(y, scores, classes=classes)

    first = "f1_micro" if target_type == "multilabel-indicator" else "accuracy"
    return dict(zip(_metric_names(target_type), (first, "f1_macro", pr_auc)))


# ------------------------------------------------------------------------ models and folds


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
    - ``'ngram+tfidf-lr'``: :class:`~skltext.DeepLinearClassifier`, the
      soft vote of ``'ngram'`` and ``'tfidf-lr'`` (each with the imbalance
      remedy); ``params`` are its own (``deep_weight``) or nested
      (``deep__classifier__epochs``).

    For multi-label targets the linear models are wrapped in
    ``OneVsRestClassifier``. Steps are named ``'tfidf'`` or ``'tokenizer'``,
    ``'oversample'`` (with ``imbalance='oversample'``) and ``'classifier'``.

    Parameters
    ----------
    name : {'tfidf-lr', 'tfidf-svm', 'cnn', 'lstm', 'ngram', 'ngram+tfidf-lr'}
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
    if name not in MODEL_NAMES:
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
        if name == "tfidf-lr":
            # C=10 suits TF-IDF features better than 1; saga does not slow down under thread contention.
            classifier = LogisticRegression(C=10.0, solver="saga", max_iter=1000, class_weight=weight,
                                            random_state=random_state)
        else:
            classifier = LinearSVC(class_weight=weight, random_state=random_state)
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
    model = DeepLinearClassifier(deep, linear, random_state=random_state)
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


# ------------------------------------------------------------------------ results


class Comparison:
    """Scores, out-of-fold predictions and fitted models of :func:`compare_models`.

    Attributes
    ----------
    models : list of str
        Model names, in the order run.
    target_type : {'binary', 'multiclass', 'multilabel-indicator'}
        The target type.
    classes : ndarray
        Class names (binary, multi-class) or label names (multi-label).
    y : ndarray
        The target as scored: class labels, or a 0/1 indicator matrix.
    folds : list of (train, test) tuples of index arrays
        The folds every model was run on.
    metrics : tuple of str
        The quality metrics: ``('accuracy', 'macro_f1', 'pr_auc')``, or with
        ``'micro_f1'`` first for multi-label targets.
    fold_scores : dict
        ``fold_scores[model][metric]``: an array of one value per fold, for
        each metric and for ``'fit_time'`` and ``'predict_time'`` (seconds).
    oof_predictions : dict of str to ndarray
        Each model's predicted label (multi-label: 0/1 row) of every row,
        made by the model that did not see it.
    oof_scores : dict of str to ndarray of shape (n_samples, n_classes)
        The matching scores (probabilities, or decision values for
        ``LinearSVC``), one column per class or label.
    estimators : dict of str to list
        Each model's fitted pipelines, one per fold.
    settings : dict of str to str
        What each model's imbalance remedy and threshold tuning were.
    cv : cross-validation splitter
        The splitter that made ``folds``.

    Examples
    --------
    >>> from skltext.compare import compare_models
    >>> from skltext.datasets import make_text_classification
    >>> texts, y = make_text_classification(120, n_classes=3, random_state=0)
    >>> comparison = compare_models(texts, y, models=["tfidf-lr"], cv=3)
    >>> comparison.fold_scores["tfidf-lr"]["macro_f1"].shape, comparison.oof_predictions["tfidf-lr"].shape
    ((3,), (120,))
    """

    def __init__(self, *, models, target_type, classes, y, folds, fold_scores, oof_predictions, oof_scores,
                 estimators, settings, cv=None):
        self.models = models
        self.target_type = target_type
        self.classes = classes
        self.y = y
        self.folds = folds
        self.fold_scores = fold_scores
        self.oof_predictions = oof_predictions
        self.oof_scores = oof_scores
        self.estimators = estimators
        self.settings = settings
        self.cv = cv
        self.metrics = _metric_names(target_type)

    @property
    def best_model(self):
        """The model with the highest mean macro-F1."""
        return max(self.models, key=lambda name: np.mean(self.fold_scores[name]["macro_f1"]))

    def summary(self):
        """Mean and standard deviation over folds of every metric and time, per model.

        Returns
        -------
        rows : list of dict
            One per model: ``model``, then ``<metric>`` and ``<metric>_std``
            for each metric, ``fit_time`` and ``predict_time``.
        """
        rows = []
        for name in self.models:
            row = {"model": name}
            for metric in (*self.metrics, "fit_time", "predict_time"):
                values = np.asarray(self.fold_scores[name][metric], dtype=float)
                row[metric], row[f"{metric}_std"] = float(np.mean(values)), float(np.std(values))
            rows.append(row)
        return rows

    def to_frame(self):
        """:meth:`summary` as a pandas DataFrame indexed by model (needs pandas)."""
        import pandas as pd

        return pd.DataFrame(self.summary()).set_index("model")

    def table(self):
        """The results table in markdown: mean ± std over folds, best quality scores in bold."""
        columns = (*self.metrics, "fit_time", "predict_time")
        rows = self.summary()
        best = {metric: max(row[metric] for row in rows) for metric in self.metrics}
        lines = ["| model | " + " | ".join(_TITLES[c] for c in columns) + " |",
                 "|---|" + "---:|" * len(columns)]
        for row in rows:
            cells = []
            for metric in columns:
                digits = 3 if metric in self.metrics else 2
                cell = f"{row[metric]:.{digits}f} ± {row[metric + '_std']:.{digits}f}"
                if metric in best and len(rows) > 1 and row[metric] == best[metric]:
                    cell = f"**{cell}**"
                cells.append(cell)
            lines.append(f"| {row['model']} | " + " | ".join(cells) + " |")
        return "\n".join(lines)

    def per_class_report(self, model=None):
        """Precision, recall, F1 and support of each class (label) from the out-of-fold predictions.

        Parameters
        ----------
        model : str or None, default=None
            The model; None means :attr:`best_model`.

        Returns
        -------
        report : dict
            ``sklearn.metrics.classification_report(..., output_dict=True)``.
        """
        model = self.best_model if model is None else model
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UndefinedMetricWarning)
            if self.target_type == "multilabel-indicator":
                return classification_report(self.y, self.oof_predictions[model], output_dict=True,
                                             target_names=[str(c) for c in self.classes], zero_division=0)
            return classification_report(self.y, self.oof_predictions[model], labels=self.classes,
                                         output_dict=True, zero_division=0)


class ComparisonInterrupted(KeyboardInterrupt):
    """Raised by :func:`compare_models` on Ctrl-C (a ``KeyboardInterrupt``), with what finished.

    Attributes
    ----------
    comparison : :class:`Comparison` or None
        The models whose every fold finished; None when none did.
    n_fits : int
        Fits (model and fold) finished.
    n_total : int
        Fits the comparison would have run.
    """

    def __init__(self, comparison, n_fits, n_total):
        super().__init__(f"interrupted after {n_fits} of {n_total} fits")
        self.comparison = comparison
        self.n_fits = n_fits
        self.n_total = n_total


# ------------------------------------------------------------------------ the run


def _as_documents(texts):
    documents = np.empty(len(texts), dtype=object)
    documents[:] = list(texts)
    return documents


def _resolve_models(models, target_type, imbalance, tune_thresholds, threshold_cv, random_state,
                    model_params, verbose):
    """(name, unfitted estimator, settings description) for each requested model."""
    if isinstance(models, str):
        models = [m.strip() for m in models.split(",") if m.strip()]
    items = list(models.items()) if isinstance(models, dict) else list(models)
    if not items:
        raise ValueError("No models to compare.")
    unknown = set(model_params or {}) - {item if isinstance(item, str) else item[0] for item in items}
    if unknown:
        raise ValueError(f"model_params names models that are not compared: {sorted(unknown)}.")
    resolved = []
    for item in items:
        if isinstance(item, str):
            params = dict(model_params.get(item, {})) if model_params else {}
            if item in _DEEP:
                params.setdefault("verbose", 2 if verbose >= 2 else 0)
            estimator = make_model(item, target_type=target_type, imbalance=imbalance,
                                   random_state=random_state, params=params)
            name = item
            remedy = _describe_remedy(estimator, imbalance)
        else:
            name, estimator = item
            remedy = "as given"
        if tune_thresholds:
            estimator = ThresholdOptimizer(estimator, cv=threshold_cv, random_state=random_state)
            remedy += "; thresholds tuned on inner out-of-fold scores (ThresholdOptimizer)"
        resolved.append((name, estimator, remedy))
    names = [name for name, _, _ in resolved]
    if len(set(names)) != len(names):
        raise ValueError(f"Model names must be unique, got {names}.")
    return resolved


def _describe_remedy(pipeline, imbalance):
    if imbalance == "none":
        return "none"
    if hasattr(pipeline, "deep") and hasattr(pipeline, "linear"):  # a DeepLinearClassifier
        return f"deep model: {_describe_remedy(pipeline.deep, imbalance)}; linear model: " \
               f"{_describe_remedy(pipeline.linear, imbalance)}"
    if imbalance == "oversample":
        return f"{type(pipeline.named_steps['oversample']).__name__} on the training folds"
    classifier = _classifier_step(pipeline)
    if isinstance(classifier, OneVsRestClassifier):
        classifier = classifier.estimator
    if getattr(classifier, "loss", None) == "focal":
        return "loss='focal'"
    return f"class_weight={classifier.class_weight!r}"


def compare_models(
    texts,
    y,
    *,
    models=MODEL_NAMES,
    cv=5,
    groups=None,
    imbalance="none",
    tune_thresholds=False,
    threshold_cv=3,
    model_params=None,
    label_names=None,
    random_state=0,
    progress=False,
    verbose=0,
):
    """Cross-validate text classifiers on the same folds and collect their out-of-fold results.

    Every model is fitted once per fold, on the same folds; the fold's
    predictions and scores give its metrics and fill the out-of-fold
    predictions used for per-class reports and plots.

    Parameters
    ----------
    texts : list, 1-D array or pandas Series of str
        The documents.
    y : array-like of shape (n_samples,) or (n_samples, n_labels), or list of label lists
        Class labels, a 0/1 multi-label indicator matrix, or for multi-label
        data a list of each document's labels.
    models : str, list or dict, default=('tfidf-lr', 'tfidf-svm', 'cnn', 'lstm')
        Names known to :func:`make_model` (a list, or one comma-separated
        string) and/or ``(name, estimator)`` pairs of your own (a dict works
        too); your estimators take the raw documents.
    cv : int or cross-validation splitter, default=5
        Number of folds (the splitter is then :func:`make_cv`'s), or a
        splitter of your own (``groups`` is passed to its ``split``).
    groups : array-like of shape (n_samples,), default=None
        Group of each document: a group never spans a training and a test
        fold; also passed to threshold tuning.
    imbalance : {'none', 'class_weight', 'focal', 'oversample'}, default='none'
        Remedy for imbalanced classes applied to the named models; see
        :func:`make_model`.
    tune_thresholds : bool, default=False
        Wrap each model in :class:`~skltext.ThresholdOptimizer`, which tunes
        the decision thresholds (multi-class: class weights) on out-of-fold
        scores of the training folds only.
    threshold_cv : int, default=3
        Inner folds of the threshold tuning (``GroupKFold`` with groups).
    model_params : dict or None, default=None
        Parameters per named model, e.g. ``{'cnn': {'epochs': 5}}``; see
        ``params`` of :func:`make_model`.
    label_names : array-like of str, default=None
        Names of the columns of a multi-label indicator matrix ``y``.
    random_state : int or None, default=0
        Seed of the folds, the models and the samplers.
    progress : bool, default=False
        Show a progress bar over models and folds (on stderr).
    verbose : int, default=0
        2 or more prints the deep models' per-epoch Keras progress.

    Returns
    -------
    comparison : :class:`Comparison`

    Raises
    ------
    ComparisonInterrupted
        On Ctrl-C: a ``KeyboardInterrupt`` that carries the comparison of
        the models that finished.

    Examples
    --------
    >>> from skltext.compare import compare_models
    >>> from skltext.datasets import make_text_classification
    >>> texts, y = make_text_classification(120, n_classes=3, random_state=0)
    >>> result = compare_models(texts, y, models=["tfidf-lr", "tfidf-svm"], cv=3)
    >>> [row["model"] for row in result.summary()], result.metrics
    (['tfidf-lr', 'tfidf-svm'], ('accuracy', 'macro_f1', 'pr_auc'))
    """
    documents = _as_documents(texts)
    y, target_type, classes = _encode_target(y, label_names)
    n_samples = len(documents)
    if len(y) != n_samples:
        raise ValueError(f"texts has {n_samples} documents but y has {len(y)} labels.")
    groups = None if groups is None else np.asarray(groups)
    if groups is not None and len(groups) != n_samples:
        raise ValueError(f"groups has {len(groups)} entries for {n_samples} documents.")
    if isinstance(cv, Integral):
        if cv < 2:
            raise ValueError(f"cv must be at least 2 folds, got {cv}.")
        if groups is not None and len(np.unique(groups)) < cv:
            raise ValueError(f"{len(np.unique(groups))} groups cannot fill {cv} folds; lower cv.")
        splitter = make_cv(target_type, n_splits=cv, grouped=groups is not None, random_state=random_state)
    else:
        splitter = cv
    folds = [(np.asarray(train), np.asarray(test)) for train, test in splitter.split(documents, y, groups)]
    if tune_thresholds and groups is not None:
        threshold_cv = GroupKFold(threshold_cv) if isinstance(threshold_cv, Integral) else threshold_cv
    resolved = _resolve_models(models, target_type, imbalance, tune_thresholds, threshold_cv, random_state,
                               model_params, verbose)

    from tqdm.auto import tqdm

    metric_names = _metric_names(target_type)
    fold_scores, oof_predictions, oof_scores, estimators, settings = {}, {}, {}, {}, {}
    bar = tqdm(total=len(resolved) * len(folds), disable=not progress, unit="fit", leave=False)
    n_fits = 0
    try:
        for name, model, remedy in resolved:
            settings[name] = remedy
            scores = {metric: [] for metric in (*metric_names, "fit_time", "predict_time")}
            predictions = np.zeros((n_samples, len(classes)), dtype=y.dtype) if y.ndim == 2 else (
                np.empty(n_samples, dtype=y.dtype))
            score_matrix = np.full((n_samples, len(classes)), np.nan)
            fitted_models = []
            for number, (train, test) in enumerate(folds, start=1):
                bar.set_description(f"{name} fold {number}/{len(folds)}")
                fitted = clone(model)
                fit_params = {"groups": groups[train]} if tune_thresholds and groups is not None else {}
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", ConvergenceWarning)
                    start = time.perf_counter()
                    fitted.fit(documents[train], y[train], **fit_params)
                    fit_time = time.perf_counter() - start
                    start = time.perf_counter()
                    predicted = np.asarray(fitted.predict(documents[test]))
                    fold_matrix = _score_matrix(fitted, documents[test], target_type)
                    predict_time = time.perf_counter() - start
                fold_classes = None if y.ndim == 2 else np.asarray(fitted.classes_)
                if fold_classes is not None:  # align columns with all classes (a fold may miss one)
                    columns = np.searchsorted(classes, fold_classes)
                    score_matrix[np.ix_(test, columns)] = fold_matrix
                else:
                    score_matrix[test] = fold_matrix
                predictions[test] = predicted
                values = _fold_metrics(y[test], predicted, fold_matrix, fold_classes, target_type)
                for metric, value in values.items():
                    scores[metric].append(value)
                scores["fit_time"].append(fit_time)
                scores["predict_time"].append(predict_time)
                fitted_models.append(fitted)
                n_fits += 1
                bar.update()
                if verbose >= 1:
                    shown = ", ".join(f"{metric} {value:.3f}" for metric, value in values.items())
                    bar.write(f"{name} fold {number}: {shown}, fit {fit_time:.1f} s")
            fold_scores[name] = {metric: np.asarray(values) for metric, values in scores.items()}
            oof_predictions[name], oof_scores[name], estimators[name] = predictions, score_matrix, fitted_models
    except KeyboardInterrupt:
        finished = [name for name, _, _ in resolved if name in fold_scores]
        partial = None
        if finished:
            partial = Comparison(models=finished, target_type=target_type, classes=classes, y=y, folds=folds,
                                 fold_scores=fold_scores, oof_predictions=oof_predictions, oof_scores=oof_scores,
                                 estimators=estimators, settings={name: settings[name] for name in finished},
                                 cv=splitter)
        raise ComparisonInterrupted(partial, n_fits, len(resolved) * len(folds)) from None
    finally:
        bar.close()
    return Comparison(models=[name for name, _, _ in resolved], target_type=target_type, classes=classes, y=y,
                      folds=folds, fold_scores=fold_scores, oof_predictions=oof_predictions,
                      oof_scores=oof_scores, estimators=estimators, settings=settings, cv=splitter)
