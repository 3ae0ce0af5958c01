"""Token-string input: the model's own vocabulary, fitted on the training tokens.

``TextTokenizer(output="tokens")`` hands the models the words themselves, so a
model given pre-trained vectors knows which word each row of its embedding
stands for. The vocabulary is fitted in ``fit`` (the training fold only inside
cross-validation) and survives resamplers and CV indexing, which metadata
attached to an id matrix would not.
"""

from collections import defaultdict
from itertools import count

import numpy as np

from .._vocabulary import OOV_TOKEN, PAD_ID, PAD_TOKEN, oov_id_factory, rank_vocabulary

__all__ = ["is_token_matrix", "fit_token_vocabulary", "encode_tokens"]


def is_token_matrix(X):
    """Whether ``X`` is a 2-D array of token strings (not raw documents, not ids)."""
    values = X.to_numpy() if hasattr(X, "to_numpy") else X
    if not isinstance(values, np.ndarray):
        # Nested lists: the first entry decides, without copying the whole matrix to find out.
        if not (isinstance(values, (list, tuple)) and values and isinstance(values[0], (list, tuple, np.ndarray))):
            return False
        return len(values[0]) > 0 and isinstance(values[0][0], str)
    if values.ndim != 2:
        return False
    if values.dtype.kind == "U":
        return True
    return values.dtype == object and values.size > 0 and isinstance(values.flat[0], str)


def _as_token_array(X, name):
    values = np.asarray(X.to_numpy() if hasattr(X, "to_numpy") else X, dtype=object)
    if values.ndim != 2 or values.shape[0] == 0 or values.shape[1] == 0:
        raise ValueError(f"{name} expects a non-empty 2-D matrix of tokens, got shape {values.shape}.")
    flat = values.ravel().tolist()
    if set(map(type, flat)) != {str}:  # one C-level pass
        bad = next(token for token in flat if not isinstance(token, str))
        raise TypeError(f"{name} got a token matrix holding {type(bad).__name__} values; every entry must be "
                        "a str token ('' for padding), as TextTokenizer(output='tokens') produces.")
    return values.shape, flat


def fit_token_vocabulary(X, *, name):
    """Learn token -> id (from 2, most frequent first) from a training token matrix.

    Returns
    -------
    vocabulary : dict of str to int
    ids : ndarray of shape X.shape, dtype int32
        ``X`` encoded with that vocabulary.
    """
    shape, flat = _as_token_array(X, name)
    # Provisional codes in order of appearance, handed out in one C-level pass.
    codes_of = defaultdict(count().__next__)
    codes = np.fromiter(map(codes_of.__getitem__, flat), dtype=np.int64, count=len(flat))
    # Counted and ranked in one pass, as TextTokenizer ranks its own vocabulary.
    vocabulary, _, code_to_id = rank_vocabulary(codes, list(codes_of), reserved={PAD_TOKEN, OOV_TOKEN})
    if PAD_TOKEN in codes_of:
        code_to_id[codes_of[PAD_TOKEN]] = PAD_ID
    return vocabulary, code_to_id[codes].reshape(shape)


def encode_tokens(X, vocabulary, *, name):
    """Map a token matrix to ids: '' is padding (0), tokens outside ``vocabulary`` are OOV (1)."""
    shape, flat = _as_token_array(X, name)
    code_of = defaultdict(oov_id_factory, vocabulary)
    code_of[PAD_TOKEN] = PAD_ID
    return np.fromiter(map(code_of.__getitem__, flat), dtype=np.int32, count=len(flat)).reshape(shape)
