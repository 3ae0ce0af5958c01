"""Methods of the wrapped estimator that ThresholdOptimizer passes through unchanged."""

from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted

__all__ = ["delegated", "estimator_has"]


def estimator_has(attr):
    def check(self):
        return hasattr(getattr(self, "estimator_", self.estimator), attr)

    return check


def delegated(method, returns, what):
    """``method`` of the fitted estimator as a method of the optimizer, when the estimator has it."""

    def delegate(self, X):
        check_is_fitted(self, "estimator_")
        return getattr(self.estimator_, method)(X)

    delegate.__name__ = delegate.__qualname__ = method
    delegate.__doc__ = f"""{what} of the fitted estimator, unchanged by the thresholds.

        Parameters
        ----------
        X : array-like, sparse matrix or list of str of shape (n_samples, ...)
            Input accepted by the estimator.

        Returns
        -------
        {returns}
            ``estimator_.{method}(X)``.
        """
    return available_if(estimator_has(method))(delegate)
