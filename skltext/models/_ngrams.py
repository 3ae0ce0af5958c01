"""Word n-grams from token-id matrices: the input side of the bag-of-n-grams model.

The tokenizer hands over word ids; the n-gram model also needs ids for runs
of consecutive words (bigrams, trigrams). They are counted on the training
documents in ``fit`` (the training fold only, inside cross-validation), the
frequent ones get ids after the word ids, and every document becomes the
bag of its word and n-gram ids, pre-padded with zeros like the tokenizer's
output so that length buckets still cut the padding. Exact counts rather than
fastText's hashing: no two n-grams share an embedding row, and the table
holds only n-grams seen often enough to be learnt.
"""

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

from .._vocabulary import OOV_ID, PAD_ID

__all__ = ["NgramEncoder"]


def _ngram_keys(X, n, base):
    """One int64 key per window of ``n`` consecutive word ids, -1 where the window touches padding.

    A key is the window's ids read as the digits of a number in ``base``
    (larger than every id), so different windows never share a key.
    """
    n_columns = X.shape[1] - n + 1
    if n_columns <= 0:
        return np.full((len(X), 0), -1, dtype=np.int64)
    keys = np.zeros((len(X), n_columns), dtype=np.int64)
    inside = np.ones((len(X), n_columns), dtype=bool)
    for offset in range(n):
        ids = X[:, offset:offset + n_columns].astype(np.int64)
        keys = keys * base + ids
        inside &= ids != PAD_ID
    return np.where(inside, keys, -1)


def _pack_left(ids):
    """Move the zeros of each row to its start, keeping the order of the other ids."""
    order = np.argsort(ids != PAD_ID, axis=1, kind="stable")
    return np.take_along_axis(ids, order, axis=1)


class NgramEncoder(TransformerMixin, BaseEstimator):
    """Map word-id matrices to word plus n-gram id matrices.

    Parameters
    ----------
    ngram_range : tuple (min_n, max_n), default=(1, 2)
        Lengths of the word runs that get ids; 1 keeps the words themselves.
    min_count : int, default=2
        N-grams (of length 2 and more) seen in fewer training documents get
        no id.
    max_ngrams : int or None, default=None
        Keep at most this many n-grams (the most frequent); None keeps all
        that pass ``min_count``.
    weigh_ids : bool, default=False
        Also learn ``idf_``, each id's inverse document frequency in the
        training documents.

    Attributes
    ----------
    n_word_ids_ : int
        Largest word id of the training matrix plus one: n-gram ids start here.
    ngram_keys_ : list of ndarray of int64
        For each length from 2 to max_n, the sorted keys of the kept n-grams.
    n_ids_ : int
        Total number of ids (rows of the embedding): word ids, then n-grams.
    idf_ : ndarray of shape (n_ids_,) of float32
        With ``weigh_ids``: scikit-learn's smoothed inverse document
        frequency of every id, ``ln((1 + n) / (1 + df)) + 1`` over the ``n``
        training documents (``TfidfVectorizer``'s default); 0 for padding
        and for ids no training document holds.
    """

    def __init__(self, *, ngram_range=(1, 2), min_count=2, max_ngrams=None, weigh_ids=False):
        self.ngram_range = ngram_range
        self.min_count = min_count
        self.max_ngrams = max_ngrams
        self.weigh_ids = weigh_ids

    def fit(self, X, y=None):
        """Count the n-grams of the training documents and keep the frequent ones.

        Parameters
        ----------
        X : ndarray of shape (n_samples, sequence_length)
            Validated word ids.
        y : None
            Ignored.

        Returns
        -------
        self : NgramEncoder
        """
        X = np.asarray(X)
        self.n_word_ids_ = max(int(X.max(initial=OOV_ID)) + 1, OOV_ID + 1)
        if self.n_word_ids_ ** self.ngram_range[1] > np.iinfo(np.int64).max:
            raise ValueError(f"{self.n_word_ids_} word ids are too many to number runs of {self.ngram_range[1]} "
                             "words; limit the vocabulary (TextTokenizer(max_words=...)) or use shorter n-grams.")
        kept = []
        for n in range(max(2, self.ngram_range[0]), self.ngram_range[1] + 1):
            keys = _ngram_keys(X, n, self.n_word_ids_)
            # Document frequency: each n-gram counts once per document.
            keys = np.sort(keys, axis=1)
            keys[:, 1:][keys[:, 1:] == keys[:, :-1]] = -1
            values, counts = np.unique(keys[keys >= 0], return_counts=True)
            kept.append((values[counts >= self.min_count], counts[counts >= self.min_count]))
        if self.max_ngrams is not None and kept:
            # The most frequent n-grams over all lengths; ties go to shorter n-grams, then smaller keys.
            counts = np.concatenate([counts for _, counts in kept])
            lengths = np.concatenate([np.full(len(values), i) for i, (values, _) in enumerate(kept)])
            keys = np.concatenate([values for values, _ in kept])
            chosen = np.zeros(len(counts), dtype=bool)
            chosen[np.lexsort((keys, lengths, -counts))[:self.max_ngrams]] = True
            kept = [(keys[chosen & (lengths == i)], None) for i in range(len(kept))]
        self.ngram_keys_ = [values for values, _ in kept]
        self.n_ids_ = self.n_word_ids_ + sum(len(values) for values in self.ngram_keys_)
        if self.weigh_ids:
            self.idf_ = self._inverse_document_frequencies(self.transform(X))
        return self

    def _inverse_document_frequencies(self, ids):
        ids = np.sort(ids, axis=1)
        ids[:, 1:][ids[:, 1:] == ids[:, :-1]] = PAD_ID  # each id counts once per document
        frequencies = np.bincount(ids.ravel(), minlength=self.n_ids_)
        idf = np.log((1 + len(ids)) / (1 + frequencies)) + 1
        # Ids no training document holds (out-of-vocabulary, when the vocabulary took every word) weigh
        # nothing, as TF-IDF drops words it has not seen.
        idf[frequencies == 0] = 0.0
        idf[PAD_ID] = 0.0
        return idf.astype(np.float32)

    def transform(self, X):
        """Word ids (if min_n is 1) and the ids of known n-grams, pre-padded.

        Parameters
        ----------
        X : ndarray of shape (n_samples, sequence_length)
            Word ids; ids not seen in ``fit`` must already be mapped to OOV.

        Returns
        -------
        ids : ndarray of shape (n_samples, width), dtype int32
            ``width`` is the number of word and n-gram positions of a full
            row; ids of unknown n-grams are dropped (left as padding).
        """
        X = np.asarray(X)
        parts = [X.astype(np.int32)] if self.ngram_range[0] == 1 else []
        offset = self.n_word_ids_
        for n, known in zip(range(max(2, self.ngram_range[0]), self.ngram_range[1] + 1), self.ngram_keys_):
            keys = _ngram_keys(X, n, self.n_word_ids_)
            position = np.searchsorted(known, keys)
            found = (keys >= 0) & (position < len(known))
            found[found] = known[position[found]] == keys[found]
            parts.append(np.where(found, offset + position, PAD_ID).astype(np.int32))
            offset += len(known)
        if not parts:
            return np.zeros((len(X), 1), dtype=np.int32)
        return _pack_left(np.concatenate(parts, axis=1))
