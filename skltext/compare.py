"""Cross-validate text classifiers on the same folds and tabulate their scores.

:func:`compare_models` runs deep models (:class:`~skltext.CNNClassifier`,
:class:`~skltext.LSTMClassifier`) and TF-IDF baselines (logistic regression,
linear SVM) on one set of cross-validation folds, each inside a
scikit-learn or imbalanced-learn pipeline, so every preprocessing step is
learnt on the training folds only. It keeps each fold's scores and times,
the out-of-fold predictions and scores of every row (for per-class reports,
confusion matrices and precision-recall curves) and the fitted models (for
their training curves), all from one fit and one scoring pass per model and
fold. The metrics live in :mod:`skltext.metrics`, the results table and the
report in :mod:`skltext.report`; ``skltext compare`` is a command-line front
end to it.
"""

import warnings
from numbers import Integral
from typing import NamedTuple

import numpy as np
from sklearn.exceptions import ConvergenceWarning, UndefinedMetricWarning
from sklearn.metrics import classification_report
from sklearn.model_selection import GroupKFold

from ._out_of_fold import fit_and_score_folds
from ._recipes import (
    DEEP_MODEL_NAMES,
    IMBALANCE_REMEDIES,
    LINEAR_MODEL_NAMES,
    MODEL_NAMES,
    describe_remedy,
    make_cv,
    make_model,
)
from ._target import encode_labels
from .metrics import fold_metrics, make_scorers, metric_names, pr_auc_score
from .thresholds import ThresholdOptimizer

__all__ = [
    "MODEL_NAMES",
    "IMBALANCE_REMEDIES",
    "Comparison",
    "ComparisonInterrupted",
    "compare_models",
    "make_cv",
    "make_model",
    # Re-exported from skltext.metrics; compare was their first home.
    "make_scorers",
    "pr_auc_score",
]


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
        self.metrics = metric_names(target_type)

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
        """The results table in markdown: mean ± std over folds, best quality scores in bold.

        See :func:`skltext.report.results_table`.
        """
        from .report import results_table

        return results_table(self)

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


class _Model(NamedTuple):
    name: str
    estimator: object
    remedy: str  # the imbalance remedy and threshold tuning, as the report states them
    linear: bool  # a named TF-IDF baseline: its folds may run in parallel processes


class _Data(NamedTuple):
    documents: np.ndarray
    y: np.ndarray
    target_type: str
    classes: np.ndarray
    folds: list
    fit_params: dict | None


class _ModelResult(NamedTuple):
    fold_scores: dict
    predictions: np.ndarray
    scores: np.ndarray
    estimators: list


def _as_documents(texts):
    documents = np.empty(len(texts), dtype=object)
    documents[:] = list(texts)
    return documents


def _resolve_models(models, target_type, imbalance, tune_thresholds, threshold_cv, random_state,
                    model_params, verbose):
    """A :class:`_Model` (name, unfitted estimator, settings description) for each requested model."""
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
            if item in DEEP_MODEL_NAMES:
                params.setdefault("verbose", 2 if verbose >= 2 else 0)
            estimator = make_model(item, target_type=target_type, imbalance=imbalance,
                                   random_state=random_state, params=params)
            name, linear = item, item in LINEAR_MODEL_NAMES
            remedy = describe_remedy(estimator, imbalance)
        else:
            (name, estimator), linear = item, False
            remedy = "as given"
        if tune_thresholds:
            estimator = ThresholdOptimizer(estimator, cv=threshold_cv, random_state=random_state)
            remedy += "; thresholds tuned on inner out-of-fold scores (ThresholdOptimizer)"
        resolved.append(_Model(name, estimator, remedy, linear))
    names = [model.name for model in resolved]
    if len(set(names)) != len(names):
        raise ValueError(f"Model names must be unique, got {names}.")
    return resolved


class _Progress:
    """The progress bar over every fit, and the count of finished fits that Ctrl-C reports."""

    def __init__(self, total, n_folds, *, shown):
        from tqdm.auto import tqdm

        self.total, self.n_folds, self.n_fits = total, n_folds, 0
        self.bar = tqdm(total=total, disable=not shown, unit="fit", leave=False)

    def start(self, name):
        self.name, self.done = name, 0
        self.bar.set_description(f"{name} fold 1/{self.n_folds}")

    def fit_done(self, estimator=None):
        self.done += 1
        self.n_fits += 1
        self.bar.update()
        if self.done < self.n_folds:
            self.bar.set_description(f"{self.name} fold {self.done + 1}/{self.n_folds}")

    def model_done(self):
        # Fits in worker processes (n_jobs) report nothing here: count them now.
        while self.done < self.n_folds:
            self.fit_done()

    def write(self, line):
        self.bar.write(line)

    def close(self):
        self.bar.close()


def _check_lengths(groups, n_documents, n_labels):
    if n_labels != n_documents:
        raise ValueError(f"texts has {n_documents} documents but y has {n_labels} labels.")
    groups = None if groups is None else np.asarray(groups)
    if groups is not None and len(groups) != n_documents:
        raise ValueError(f"groups has {len(groups)} entries for {n_documents} documents.")
    return groups


def _splitter(cv, target_type, groups, random_state):
    """``cv`` itself, or :func:`make_cv`'s splitter of ``cv`` folds."""
    if not isinstance(cv, Integral):
        return cv
    if cv < 2:
        raise ValueError(f"cv must be at least 2 folds, got {cv}.")
    if groups is not None and len(np.unique(groups)) < cv:
        raise ValueError(f"{len(np.unique(groups))} groups cannot fill {cv} folds; lower cv.")
    return make_cv(target_type, n_splits=cv, grouped=groups is not None, random_state=random_state)


def _run_model(model, data, progress, n_jobs, verbose):
    """Cross-validate one model: fold scores and times, out-of-fold predictions and scores, fitted models."""
    progress.start(model.name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        folds = fit_and_score_folds(model.estimator, data.documents, data.y, cv=data.folds,
                                    target_type=data.target_type, classes=data.classes, params=data.fit_params,
                                    predict=True, n_jobs=n_jobs, on_fit=progress.fit_done)
    progress.model_done()
    n_samples = len(data.y)
    predictions = np.zeros_like(data.y) if data.y.ndim == 2 else np.empty(n_samples, dtype=data.y.dtype)
    scores = np.full((n_samples, len(data.classes)), np.nan)
    fold_scores = {metric: [] for metric in (*metric_names(data.target_type), "fit_time", "predict_time")}
    for number, fold in enumerate(folds, start=1):
        predictions[fold.test], scores[fold.test] = fold.predictions, fold.scores
        # The fold's metrics see only the classes its model was trained on, as the scorers do.
        seen = (fold.scores, None) if fold.columns is None else (fold.scores[:, fold.columns],
                                                                 data.classes[fold.columns])
        values = fold_metrics(data.y[fold.test], fold.predictions, *seen, data.target_type)
        for metric, value in (*values.items(), ("fit_time", fold.fit_time), ("predict_time", fold.predict_time)):
            fold_scores[metric].append(value)
        if verbose >= 1:
            shown = ", ".join(f"{metric} {value:.3f}" for metric, value in values.items())
            progress.write(f"{model.name} fold {number}: {shown}, fit {fold.fit_time:.1f} s")
    return _ModelResult({metric: np.asarray(values) for metric, values in fold_scores.items()}, predictions,
                        scores, [fold.estimator for fold in folds])


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
    n_jobs=None,
):
    """Cross-validate text classifiers on the same folds and collect their out-of-fold results.

    Every model is fitted once per fold, on the same folds, by
    :func:`sklearn.model_selection.cross_validate`; each test fold is then
    predicted and scored once, and those predictions and scores give the
    fold's metrics and fill the out-of-fold predictions used for per-class
    reports and plots.

    Parameters
    ----------
    texts : list, 1-D array or pandas Series of str
        The documents.
    y : array-like of shape (n_samples,) or (n_samples, n_labels), or list of label lists
        Class labels, a 0/1 multi-label indicator matrix, or for multi-label
        data a list of each document's labels.
    models : str, list or dict, default=MODEL_NAMES
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
        1 or more prints each fold's scores; 2 or more also the deep models'
        per-epoch Keras progress.
    n_jobs : int, default=None
        Folds of the TF-IDF baselines (``'tfidf-lr'``, ``'tfidf-svm'``) fitted
        in parallel, as ``cross_validate``'s ``n_jobs``; None fits them one
        after another. Deep models, their combinations and your own
        estimators always fit one fold at a time.

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
    y, target_type, classes = encode_labels(y, label_names)
    groups = _check_lengths(groups, len(documents), len(y))
    splitter = _splitter(cv, target_type, groups, random_state)
    folds = [(np.asarray(train), np.asarray(test)) for train, test in splitter.split(documents, y, groups)]
    if tune_thresholds and groups is not None:
        threshold_cv = GroupKFold(threshold_cv) if isinstance(threshold_cv, Integral) else threshold_cv
    resolved = _resolve_models(models, target_type, imbalance, tune_thresholds, threshold_cv, random_state,
                               model_params, verbose)
    # ThresholdOptimizer splits each training fold by the same groups (sliced by cross_validate).
    fit_params = {"groups": groups} if tune_thresholds and groups is not None else None
    data = _Data(documents, y, target_type, classes, folds, fit_params)

    def comparison(results):
        return Comparison(
            models=list(results), target_type=target_type, classes=classes, y=y, folds=folds,
            fold_scores={name: result.fold_scores for name, result in results.items()},
            oof_predictions={name: result.predictions for name, result in results.items()},
            oof_scores={name: result.scores for name, result in results.items()},
            estimators={name: result.estimators for name, result in results.items()},
            settings={model.name: model.remedy for model in resolved if model.name in results}, cv=splitter)

    results = {}
    progress_bar = _Progress(len(resolved) * len(folds), len(folds), shown=progress)
    try:
        for model in resolved:
            jobs = n_jobs if model.linear else None
            results[model.name] = _run_model(model, data, progress_bar, jobs, verbose)
    except KeyboardInterrupt:
        partial = comparison(results) if results else None
        raise ComparisonInterrupted(partial, progress_bar.n_fits, progress_bar.total) from None
    finally:
        progress_bar.close()
    return comparison(results)
