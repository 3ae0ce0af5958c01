"""What a text classifier accepts as X: token ids, or token strings mapped through its own vocabulary.

In ``fit`` (``reset=True``) this sets ``n_features_in_``, ``vocab_size_``
and, for token strings, ``vocabulary_``; afterwards it checks X against them
and maps ids unseen in ``fit`` to the out-of-vocabulary id.
"""

import numpy as np

from .._vocabulary import OOV_ID
from ._inputs import check_token_ids
from ._token_vocabulary import encode_tokens, fit_token_vocabulary, is_token_matrix

__all__ = ["validate_token_input"]


def validate_token_input(estimator, X, *, reset):
    """Token ids for ``estimator`` from ``X``, setting (``reset``) or checking the fitted input attributes.

    Parameters
    ----------
    estimator : BaseTextClassifier
    X : array-like of shape (n_samples, sequence_length)
        Token ids, or token strings (``TextTokenizer(output='tokens')``).
    reset : bool
        True in ``fit``.

    Returns
    -------
    X : ndarray of int32 of shape (n_samples, sequence_length)
    """
    X = _token_ids(estimator, X, reset=reset)
    name = type(estimator).__name__
    if reset:
        estimator.n_features_in_ = X.shape[1]
        # Ids unseen in fit have no trained embedding row; predict maps them to OOV.
        estimator.vocab_size_ = max(int(X.max(initial=OOV_ID)) + 1, OOV_ID + 1,
                                    len(getattr(estimator, "vocabulary_", ())) + OOV_ID + 1)
        return X
    if X.shape[1] != estimator.n_features_in_:
        raise ValueError(f"X has {X.shape[1]} features, but {name} is expecting "
                         f"{estimator.n_features_in_} features as input.")
    if X.size and X.max() >= estimator.vocab_size_:
        X = np.where(X >= estimator.vocab_size_, OOV_ID, X).astype(np.int32)
    return X


def _token_ids(estimator, X, *, reset):
    """Token ids from X: ids as given, or token strings mapped through ``vocabulary_``."""
    name = type(estimator).__name__
    if is_token_matrix(X):
        if reset:  # the vocabulary of this fit's training data only
            estimator.vocabulary_, ids = fit_token_vocabulary(X, name=name)
            return ids
        if getattr(estimator, "vocabulary_", None) is None:
            raise ValueError(f"{name} was fitted on token ids but is given token strings; transform "
                             "with the same tokenizer settings as in fit.")
        return encode_tokens(X, estimator.vocabulary_, name=name)
    if reset:
        vars(estimator).pop("vocabulary_", None)
        if estimator.embeddings is not None:
            raise ValueError(
                f"{name} with embeddings= needs the words, not token ids, to look up their vectors. "
                f"Use TextTokenizer(output='tokens'): make_pipeline(TextTokenizer(output='tokens'), "
                f"{name}(embeddings=vectors))."
            )
    elif getattr(estimator, "vocabulary_", None) is not None:
        raise ValueError(f"{name} was fitted on token strings but is given token ids; use "
                         "TextTokenizer(output='tokens') for prediction too.")
    return check_token_ids(X, name=name)
