"""Exceptions and warnings that skltext raises for its own conditions."""

__all__ = [
    "NonFiniteLossError", "TrainingInterruptedWarning", "ModelVersionError", "SlowSettingWarning",
    "OneHotTargetWarning",
]


class NonFiniteLossError(FloatingPointError, ValueError):
    """Training stopped because the loss became NaN or infinite.

    A subclass of both :class:`FloatingPointError` and :class:`ValueError`, so
    ``GridSearchCV(error_score=np.nan)`` records the failed candidate and goes on.
    """


class TrainingInterruptedWarning(UserWarning):
    """Training was interrupted; the message says in which state the estimator was left."""


class ModelVersionError(ValueError):
    """The saved model was written by an incompatible skltext version or file format."""


class SlowSettingWarning(UserWarning):
    """A chosen setting is known to make training much slower; the message says which and why."""


class OneHotTargetWarning(UserWarning):
    """A 0/1 target with exactly one positive per row, as one-hot classes are, is trained as multi-label."""
