"""Ranking tokens into a vocabulary, and the ids reserved for padding and unknown tokens.

:class:`~skltext.TextTokenizer` and the models that take token strings both
rank their vocabularies here, so that both order tokens the same way.
"""

from itertools import repeat

import numpy as np

__all__ = ["OOV_ID", "OOV_TOKEN", "PAD_ID", "PAD_TOKEN", "most_frequent_first", "oov_id_factory", "rank_vocabulary"]

PAD_ID = 0
OOV_ID = 1
PAD_TOKEN = ""
OOV_TOKEN = "[UNK]"

# defaultdict factory: a token outside the vocabulary maps to OOV_ID.
oov_id_factory = repeat(OOV_ID).__next__


def most_frequent_first(codes, counts, types):
    """``codes`` ordered by falling ``counts[code]``, ties by ``types[code]`` (the token string).

    Two stable sorts with C-level keys: no key tuple per type, whose allocation
    would set off the garbage collector on large vocabularies.
    """
    ordered = sorted(codes, key=types.__getitem__)
    ordered.sort(key=counts.__getitem__, reverse=True)
    return ordered


def rank_vocabulary(codes, types, *, min_count=1, max_words=None, reserved=()):
    """Count the tokens of a corpus and rank the kept ones into a vocabulary.

    :class:`TextTokenizer` and the models that take token strings both build
    their vocabularies here, so that both rank tokens the same way.

    Parameters
    ----------
    codes : ndarray of int
        Index into ``types`` of every token of the corpus.
    types : list
        The distinct tokens.
    min_count : int, default=1
        Tokens seen fewer times get no id.
    max_words : int, default=None
        Keep at most this many tokens, the most frequent.
    reserved : set, default=()
        Tokens that get no id of their own (padding and OOV in a token matrix).

    Returns
    -------
    vocabulary : dict
        Token to id, ids from 2, most frequent first, ties by the token.
    counts : list of int
        Count of each token of ``vocabulary``, in id order.
    code_to_id : ndarray of int32
        Id of every index into ``types``; OOV_ID for the tokens left out.
    """
    counts = np.bincount(codes, minlength=len(types)).tolist()
    kept = [code for code in range(len(types)) if counts[code] >= min_count]
    if reserved:
        kept = [code for code in kept if types[code] not in reserved]
    kept = most_frequent_first(kept, counts, types)[:max_words]
    ids = range(OOV_ID + 1, OOV_ID + 1 + len(kept))
    code_to_id = np.full(len(types), OOV_ID, dtype=np.int32)
    code_to_id[kept] = np.asarray(ids, dtype=np.int32)
    return dict(zip(map(types.__getitem__, kept), ids)), list(map(counts.__getitem__, kept)), code_to_id
