"""Random resamplers for multi-label targets, with imbalanced-learn's sampler API.

imbalanced-learn's samplers take binary and multi-class targets only. The two
samplers here take a 0/1 indicator matrix ``y`` of shape
``(n_samples, n_labels)`` and implement the ML-ROS and ML-RUS methods of
Charte et al. (2015): they clone samples of the rare labels, or delete samples
of the frequent ones, guided by each label's imbalance ratio. Like
imbalanced-learn's samplers they expose ``fit_resample`` and run only in
``fit`` inside an :class:`imblearn.pipeline.Pipeline`.

They never read ``X``, they only index it, so ``X`` can be the token ids of a
:class:`~skltext.TextTokenizer`, a sparse TF-IDF matrix, a DataFrame, or even
the raw documents. imbalanced-learn's own ``RandomOverSampler`` and
``RandomUnderSampler`` need a 2-D ``X``: put them after the tokenizer.

>>> from imblearn.over_sampling import RandomOverSampler
>>> from imblearn.pipeline import make_pipeline
>>> from sklearn.linear_model import LogisticRegression
>>> from skltext import TextTokenizer
>>> docs = ["good film", "great film", "fine film", "bad film", "dull plot", "slow plot"]
>>> y = ["pos", "pos", "pos", "pos", "neg", "pos"]
>>> pipe = make_pipeline(TextTokenizer(max_len=3), RandomOverSampler(random_state=0),
...                      LogisticRegression())
>>> pipe.fit(docs, y).predict(docs).shape  # resampled in fit only
(6,)
>>> pipe[:-1].fit_resample(docs, y)[0].shape  # the tokenized, over-sampled training set
(10, 3)
"""

from numbers import Real

import numpy as np
from imblearn.base import BaseSampler
from scipy import sparse
from sklearn.utils import _safe_indexing, check_random_state
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import check_consistent_length
from sklearn_compat.base import _fit_context
from sklearn_compat.utils.validation import validate_data

from ._docstrings import insert_doc_sections
from ._multilabel_resampling import imbalance_ratios, label_counts, ml_ros, ml_rus
from ._target import check_target

__all__ = [
    "MultilabelRandomOverSampler",
    "MultilabelRandomUnderSampler",
    "imbalance_ratio_per_label",
    "mean_imbalance_ratio",
]

_REFERENCE = (
    "F. Charte, A. J. Rivera, M. J. del Jesus and F. Herrera, \"Addressing\n"
    "       imbalance in multilabel classification: Measures and random resampling\n"
    "       algorithms\", Neurocomputing, 163, pp. 3-16, 2015."
)


def _check_multilabel_target(y, name):
    """Validate a multi-label target; return it as a CSR matrix of bools."""
    y, _ = check_target(
        y, name=name, accept_sparse=True, expected=("multilabel-indicator",),
        hint=" For binary and multi-class targets use imbalanced-learn's RandomOverSampler or RandomUnderSampler.",
    )
    Y = sparse.csr_matrix(y.astype(bool) if sparse.issparse(y) else y != 0)
    Y.eliminate_zeros()  # explicitly stored zeros are no labels
    return Y


@insert_doc_sections(reference=_REFERENCE)
def imbalance_ratio_per_label(y):
    """Imbalance ratio of each label of a multi-label target (IRLbl).

    ``IRLbl(l) = max_k count(k) / count(l)``, where ``count(l)`` is the number
    of samples holding label ``l`` [1]_: 1 for the most frequent label, larger
    for rarer ones.

    Parameters
    ----------
    y : {array-like, sparse matrix} of shape (n_samples, n_labels)
        0/1 indicator matrix.

    Returns
    -------
    irlbl : ndarray of shape (n_labels,)
        The ratio of each label; NaN for a label that no sample holds.

    See Also
    --------
    mean_imbalance_ratio : Mean of these ratios.

    References
    ----------
    .. [1] {reference}

    Examples
    --------
    >>> from skltext.sampling import imbalance_ratio_per_label
    >>> imbalance_ratio_per_label([[1, 0, 1], [1, 0, 0], [1, 1, 0], [1, 0, 1]])
    array([1., 4., 2.])
    """
    Y = _check_multilabel_target(y, "imbalance_ratio_per_label")
    return imbalance_ratios(label_counts(Y))[0]


@insert_doc_sections(reference=_REFERENCE)
def mean_imbalance_ratio(y):
    """Mean imbalance ratio of a multi-label target (MeanIR).

    The mean of :func:`imbalance_ratio_per_label` over the labels that at
    least one sample holds [1]_. Labels with a ratio above it are the
    minority labels of ML-ROS and ML-RUS.

    Parameters
    ----------
    y : {array-like, sparse matrix} of shape (n_samples, n_labels)
        0/1 indicator matrix.

    Returns
    -------
    mean_ir : float
        NaN if no sample holds any label.

    See Also
    --------
    imbalance_ratio_per_label : The ratio of each label.

    References
    ----------
    .. [1] {reference}

    Examples
    --------
    >>> from skltext.sampling import mean_imbalance_ratio
    >>> round(mean_imbalance_ratio([[1, 0, 1], [1, 0, 0], [1, 1, 0], [1, 0, 1]]), 3)
    2.333
    """
    Y = _check_multilabel_target(y, "mean_imbalance_ratio")
    return imbalance_ratios(label_counts(Y))[1]


def _reset_pandas_index(data):
    """A fresh RangeIndex for pandas objects (clones repeat index labels)."""
    if hasattr(data, "reset_index"):
        return data.reset_index(drop=True)
    return data


_SHARED_DOCS = dict(
    random_state="""random_state : int, RandomState instance or None, default=None
        Seed of the draws: an int gives the same samples on every call.""",
    attributes="""sample_indices_ : ndarray of shape (n_samples_resampled,)
        Indices, into the input, of the samples returned.

    imbalance_ratio_per_label_ : ndarray of shape (n_labels,)
        IRLbl of each label of the input ``y`` (NaN for labels no sample
        holds); see :func:`imbalance_ratio_per_label`.

    mean_imbalance_ratio_ : float
        MeanIR of the input ``y``; see :func:`mean_imbalance_ratio`.

    minority_labels_ : ndarray of int
        Column indices of the minority labels, whose IRLbl is above MeanIR.

    majority_labels_ : ndarray of int
        Column indices of the majority labels, whose IRLbl is below MeanIR.

    imbalance_ratio_per_label_resampled_ : ndarray of shape (n_labels,)
        IRLbl of each label of the resampled ``y``; set by ``fit_resample``.

    mean_imbalance_ratio_resampled_ : float
        MeanIR of the resampled ``y``; set by ``fit_resample``.

    n_features_in_ : int
        Number of features of ``X``; only when ``X`` is 2-D.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of the features of ``X``; only when ``X`` is a DataFrame with
        string column names.""",
    input_notes="""``X`` is indexed, never read: it may be a 2-D array such as the output
    of :class:`~skltext.TextTokenizer`, a sparse matrix such as a TF-IDF
    matrix, a pandas DataFrame, or a 1-D list, array or Series of documents.
    ``X`` and ``y`` come back in the type they went in; pandas objects get a
    fresh ``RangeIndex``, as with imbalanced-learn's samplers.

    Like every sampler, it must sit in an :class:`imblearn.pipeline.Pipeline`
    (not scikit-learn's), which resamples in ``fit`` only: ``predict`` and
    ``score`` see all the samples.""",
    reference=_REFERENCE,
)


class _BaseMultilabelSampler(BaseSampler):
    """Validation and statistics shared by the multi-label random samplers.

    ``fit_resample`` validates the parameters, ``X`` and ``y``, sets
    ``sampling_strategy_`` and the imbalance statistics, then calls
    ``_fit_resample``, which returns the indices of the samples to output
    (``sample_indices_``).
    """

    _parameter_constraints: dict = {
        "sampling_strategy": [Interval(Real, 0, 1, closed="right")],
        "random_state": ["random_state"],
    }

    def __init__(self, *, sampling_strategy=0.25, random_state=None):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state

    def _check_X_y(self, X, y):
        """Validate ``X`` (only indexed) and ``y``; return X, y and y as a CSR matrix of bools."""
        name = type(self).__name__
        if isinstance(X, (str, bytes)):
            raise TypeError(
                f"{name} expects X with one entry per sample, got a single "
                f"{type(X).__name__}."
            )
        if X is None:
            raise TypeError(f"{name} requires X, got None.")
        Y = _check_multilabel_target(y, name)
        check_consistent_length(X, Y)
        if Y.shape[0] < 1:
            raise ValueError(f"{name} needs at least one sample, got 0.")
        if sparse.issparse(X) and X.format not in ("csr", "csc"):
            X = X.tocsr()
        if sparse.issparse(y) and y.format not in ("csr", "csc"):
            y = y.tocsr()
        elif not (sparse.issparse(y) or hasattr(y, "iloc") or isinstance(y, (list, np.ndarray))):
            y = np.asarray(y)
        # Sets n_features_in_ / feature_names_in_ for 2-D X; X itself is kept as is.
        validate_data(self, X=X, reset=True, skip_check_array=True)
        return X, y, Y

    def _set_statistics(self, Y):
        counts = label_counts(Y)
        if not counts.any():
            raise ValueError(
                f"{type(self).__name__} got a y in which no sample holds any label: "
                "there is no imbalance to correct."
            )
        irlbl, mean_ir = imbalance_ratios(counts)
        self.imbalance_ratio_per_label_, self.mean_imbalance_ratio_ = irlbl, mean_ir
        with np.errstate(invalid="ignore"):  # NaN for absent labels: neither minority nor majority
            self.minority_labels_ = np.flatnonzero(irlbl > mean_ir)
            self.majority_labels_ = np.flatnonzero(irlbl < mean_ir)
        # floor(P * n), with slack for products such as 0.29 * 100 = 28.999...
        self.sampling_strategy_ = int(self.sampling_strategy * Y.shape[0] + 1e-9)

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Check the inputs and compute the imbalance statistics of ``y``.

        Use ``fit_resample`` to resample.

        Parameters
        ----------
        X : {array-like, sparse matrix, dataframe} of shape (n_samples, ...)
            The samples: a 2-D array, a sparse matrix, a DataFrame or a 1-D
            collection of documents.
        y : {array-like, sparse matrix} of shape (n_samples, n_labels)
            0/1 indicator matrix.

        Returns
        -------
        self : object
            The sampler.
        """
        _, _, Y = self._check_X_y(X, y)
        self._set_statistics(Y)
        return self

    @_fit_context(prefer_skip_nested_validation=True)
    def fit_resample(self, X, y):
        """Resample ``X`` and ``y``.

        Parameters
        ----------
        X : {array-like, sparse matrix, dataframe} of shape (n_samples, ...)
            The samples: a 2-D array, a sparse matrix, a DataFrame or a 1-D
            collection of documents.
        y : {array-like, sparse matrix} of shape (n_samples, n_labels)
            0/1 indicator matrix.

        Returns
        -------
        X_resampled : same type as X, of shape (n_samples_resampled, ...)
            The resampled samples, ``X[sample_indices_]``.
        y_resampled : same type as y, of shape (n_samples_resampled, n_labels)
            Their labels, ``y[sample_indices_]``.
        """
        X, y, Y = self._check_X_y(X, y)
        self._set_statistics(Y)
        self.sample_indices_ = self._fit_resample(Y, check_random_state(self.random_state))
        irlbl, mean_ir = imbalance_ratios(label_counts(Y[self.sample_indices_]))
        self.imbalance_ratio_per_label_resampled_, self.mean_imbalance_ratio_resampled_ = irlbl, mean_ir
        return (
            _reset_pandas_index(_safe_indexing(X, self.sample_indices_)),
            _reset_pandas_index(_safe_indexing(y, self.sample_indices_)),
        )

    def _fit_resample(self, Y, random_state):
        """Return the indices of the samples to keep, in output order."""
        raise NotImplementedError

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # X is only indexed: any 2-D or 1-D collection, strings and NaN included.
        tags.input_tags.one_d_array = True
        tags.input_tags.string = True
        tags.input_tags.allow_nan = True
        tags.target_tags.two_d_labels = True
        tags.target_tags.multi_output = True
        tags.target_tags.single_output = False
        tags.sampler_tags.sample_indices = True
        return tags


@insert_doc_sections(**_SHARED_DOCS)
class MultilabelRandomOverSampler(_BaseMultilabelSampler):
    """Clone random samples of the minority labels of a multi-label target (ML-ROS).

    ML-ROS [1]_ rates each label ``l`` by its imbalance ratio
    ``IRLbl(l) = max_k count(k) / count(l)``, where ``count(l)`` is the
    number of samples holding ``l``, and the whole target by ``MeanIR``, the
    mean IRLbl. Labels whose IRLbl is above MeanIR are the minority labels.
    With ``n`` samples and ``P = sampling_strategy``, the sampler:

    1. computes IRLbl and MeanIR on ``y``; MeanIR is not updated afterwards;
    2. makes a bag per minority label, holding the samples that have it;
    3. goes round the bags, in label order, and for each bag clones a sample
       drawn uniformly, with replacement, from the bag's original samples,
       adds the clone's labels to the counts, and drops the bag once the
       label's IRLbl, with the updated counts (the largest one included), is
       at most MeanIR;
    4. stops after ``floor(P * n)`` clones, or sooner when no bag is left.

    The output is the ``n`` input samples, in order, followed by the clones: at
    most ``n + floor(P * n)`` samples. A clone keeps all its labels, so the
    majority labels it also holds gain samples too. A label that no sample
    holds has no IRLbl (NaN) and takes no part.

    Parameters
    ----------
    sampling_strategy : float, default=0.25
        ``P``, the largest number of clones as a fraction of the number of
        samples, in (0, 1]: 0.25 lets the data set grow by a quarter, 1 lets
        it double.

    {random_state}

    Attributes
    ----------
    sampling_strategy_ : int
        The largest number of clones, ``floor(sampling_strategy * n_samples)``.

    {attributes}

    See Also
    --------
    MultilabelRandomUnderSampler : Delete random samples of the majority labels.
    imblearn.over_sampling.RandomOverSampler : For binary and multi-class targets.

    Notes
    -----
    {input_notes}

    References
    ----------
    .. [1] {reference}

    Examples
    --------
    >>> import numpy as np
    >>> from skltext.sampling import MultilabelRandomOverSampler
    >>> y = np.array([[1, 0, 0]] * 6 + [[1, 1, 0], [0, 1, 0]] + [[0, 0, 1]] * 4)
    >>> X = np.arange(12).reshape(-1, 1)
    >>> y.sum(axis=0)
    array([7, 2, 4])
    >>> ros = MultilabelRandomOverSampler(sampling_strategy=0.25, random_state=0)
    >>> X_res, y_res = ros.fit_resample(X, y)
    >>> ros.imbalance_ratio_per_label_, round(ros.mean_imbalance_ratio_, 3)
    (array([1.  , 3.5 , 1.75]), 2.083)
    >>> ros.minority_labels_  # IRLbl above MeanIR
    array([1])

    Up to ``floor(0.25 * 12) = 3`` clones were allowed; two were enough to
    bring label 1's IRLbl to 1.75, below MeanIR:

    >>> y_res.sum(axis=0)
    array([7, 4, 4])
    >>> ros.sample_indices_[12:]
    array([7, 7])
    >>> ros.imbalance_ratio_per_label_resampled_
    array([1.  , 1.75, 1.75])
    """

    _sampling_type = "over-sampling"

    def _fit_resample(self, Y, random_state):
        clones = ml_ros(
            Y, self.sampling_strategy_, self.mean_imbalance_ratio_, self.minority_labels_, random_state
        )
        return np.concatenate([np.arange(Y.shape[0]), clones])


@insert_doc_sections(**_SHARED_DOCS)
class MultilabelRandomUnderSampler(_BaseMultilabelSampler):
    """Delete random samples of the majority labels of a multi-label target (ML-RUS).

    ML-RUS [1]_ rates each label ``l`` by its imbalance ratio
    ``IRLbl(l) = max_k count(k) / count(l)``, where ``count(l)`` is the
    number of samples holding ``l``, and the whole target by ``MeanIR``, the
    mean IRLbl. Labels whose IRLbl is below MeanIR are the majority labels,
    those above it the minority labels. With ``n`` samples and
    ``P = sampling_strategy``, the sampler:

    1. computes IRLbl and MeanIR on ``y``; MeanIR is not updated afterwards;
    2. protects every sample holding a minority label: it is never deleted, so
       the minority labels keep all their samples (as in the authors'
       reference implementation [2]_);
    3. makes a bag per majority label, holding its unprotected samples;
    4. goes round the bags, in label order, and for each bag deletes a sample
       drawn uniformly among the bag's samples not deleted yet (a sample can
       be in several bags), subtracts its labels from the counts, and drops
       the bag once the label's IRLbl, with the updated counts (the largest
       one included), is at least MeanIR, or when the bag has no sample left;
    5. stops after ``floor(P * n)`` deletions, or sooner when no bag is left.

    The output is the samples kept, in their input order: at least
    ``n - floor(P * n)`` samples. Samples holding no label are never deleted.

    Parameters
    ----------
    sampling_strategy : float, default=0.25
        ``P``, the largest number of deletions as a fraction of the number of
        samples, in (0, 1): 0.25 lets the data set shrink by a quarter.

    {random_state}

    Attributes
    ----------
    sampling_strategy_ : int
        The largest number of deletions, ``floor(sampling_strategy * n_samples)``.

    {attributes}

    See Also
    --------
    MultilabelRandomOverSampler : Clone random samples of the minority labels.
    imblearn.under_sampling.RandomUnderSampler : For binary and multi-class targets.

    Notes
    -----
    {input_notes}

    References
    ----------
    .. [1] {reference}
    .. [2] A. J. Rivera, M. A. Davila, D. Elizondo, M. J. del Jesus and F. Charte,
       "mldr.resampling: Efficient reference implementations of multilabel
       resampling algorithms", Neurocomputing, 126806, 2023.

    Examples
    --------
    >>> import numpy as np
    >>> from skltext.sampling import MultilabelRandomUnderSampler
    >>> y = np.array([[1, 0, 0]] * 6 + [[1, 1, 0], [0, 1, 0]] + [[0, 0, 1]] * 4)
    >>> X = np.arange(12).reshape(-1, 1)
    >>> rus = MultilabelRandomUnderSampler(sampling_strategy=0.25, random_state=0)
    >>> X_res, y_res = rus.fit_resample(X, y)
    >>> rus.minority_labels_, rus.majority_labels_  # MeanIR is 2.08
    (array([1]), array([0, 2]))

    Three samples were deleted, in turn from the bags of labels 0, 2 and 0;
    samples 6 and 7, which hold the minority label 1, were protected:

    >>> y_res.sum(axis=0)
    array([5, 2, 3])
    >>> rus.sample_indices_
    array([ 0,  1,  3,  4,  6,  7,  8,  9, 10])
    """

    _sampling_type = "under-sampling"

    _parameter_constraints: dict = {
        **_BaseMultilabelSampler._parameter_constraints,
        "sampling_strategy": [Interval(Real, 0, 1, closed="neither")],
    }

    def _fit_resample(self, Y, random_state):
        deleted = ml_rus(
            Y,
            self.sampling_strategy_,
            self.mean_imbalance_ratio_,
            self.minority_labels_,
            self.majority_labels_,
            random_state,
        )
        return np.flatnonzero(~deleted)
