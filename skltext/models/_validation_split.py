"""Stratified hold-out split used for early stopping."""

import numpy as np

from .._iterative_stratification import iterative_stratification

__all__ = ["stratified_holdout"]


def _multilabel_holdout(positives, fraction, random_state):
    """Iterative stratification, then one positive of each label moved back to training if needed."""
    in_validation = iterative_stratification(positives, [1.0 - fraction, fraction], random_state) == 1
    for label in np.flatnonzero(positives.any(axis=0) & ~(positives & ~in_validation[:, None]).any(axis=0)):
        in_validation[np.flatnonzero(positives[:, label] & in_validation)[0]] = False
    return np.flatnonzero(~in_validation), np.flatnonzero(in_validation)


def stratified_holdout(target, fraction, random_state):
    """Split row indices into training and validation parts, per stratum.

    Each class sends ``round(fraction * size)`` rows to validation but keeps
    at least one row in training, so a class with a single example is never
    lost from training. Multi-label targets are split by iterative
    stratification (each label's positives in proportion), again keeping at
    least one positive of every label in training.

    Parameters
    ----------
    target : TargetDescription
        The training target (:class:`skltext._target.TargetDescription`).
    fraction : float
        Share of rows to hold out, in (0, 1).
    random_state : numpy.random.Generator
        Source of randomness.

    Returns
    -------
    train_idx, val_idx : ndarray of int
        Sorted row indices; ``val_idx`` is empty when the data is too small to
        hold out anything.
    """
    if target.multilabel:
        return _multilabel_holdout(target.indicator, fraction, random_state)
    strata = target.strata()
    _, inverse = np.unique(strata, return_inverse=True)
    validation = []
    for stratum in range(inverse.max() + 1):
        members = np.flatnonzero(inverse == stratum)
        n_val = min(int(round(fraction * len(members))), len(members) - 1)
        if n_val > 0:
            validation.append(random_state.choice(members, size=n_val, replace=False))
    val_idx = np.sort(np.concatenate(validation)) if validation else np.array([], dtype=np.int64)
    train_idx = np.setdiff1d(np.arange(len(strata)), val_idx, assume_unique=True)
    return train_idx, val_idx
