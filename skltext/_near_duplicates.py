"""Near-duplicate documents: find them, and measure how far they leak across folds.

Two documents are near-duplicates when the Jaccard similarity of their sets
of word shingles (runs of ``shingle_size`` consecutive lower-cased words) is
at least ``threshold``; a group is a connected component of that relation.
Comparing every pair is quadratic, so candidate pairs come from MinHash
signatures and locality-sensitive hashing (Broder, 1997; Indyk & Motwani,
1998), and each candidate is then checked on the exact shingle sets. The
steps, all in NumPy over the whole corpus at once:

1. split the documents with :class:`~skltext.TextTokenizer`'s default token
   pattern, and give every distinct shingle an exact integer id (no hash, so
   no collisions);
2. collapse documents with identical shingle sets (templates sent thousands
   of times cost one signature);
3. per band of ``rows`` MinHash functions, bucket the documents whose band of
   the signature agrees; pairs inside a bucket are candidates;
4. keep the candidates whose exact Jaccard similarity reaches the threshold,
   and take connected components.

The bands and rows are chosen from the threshold, so that a pair *at* the
threshold is a candidate with probability at least 0.99 (higher above it):
that probability is the only approximation, and there are no false
positives. A bucket of more than ``_ALL_PAIRS_MAX_BUCKET`` distinct documents
is not checked pair by pair: its members not yet matched are compared with
every member, a batch at a time, so a group of thousands of near-duplicates
costs one batch instead of millions of pairs; only a pair of two members
already matched to other members goes unchecked there (other bands usually
bring it as a candidate).
"""

from collections import defaultdict
from itertools import count
from numbers import Integral, Real
from typing import NamedTuple

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, validate_params

from ._tokenize import DEFAULT_TOKEN_PATTERN, encode_corpus
from .text import check_documents

__all__ = ["near_duplicate_groups", "near_duplicate_leakage", "near_duplicate_summary", "GroupSummary",
           "Leakage", "lsh_bands"]

# A pair exactly at the threshold becomes a candidate with at least this probability.
_RECALL_AT_THRESHOLD = 0.99
# Buckets up to this many distinct documents are checked pair by pair (at most 32,640 pairs).
_ALL_PAIRS_MAX_BUCKET = 256
# Hash values computed at once while signing (8 bytes each): bounds the memory of a chunk.
_HASHES_PER_CHUNK = 1 << 23
# Candidate pairs whose exact similarity is computed at once.
_PAIRS_PER_CHUNK = 1 << 17


# ------------------------------------------------------------------------ shingles


def _shingle_sets(documents, shingle_size, lowercase):
    """The sorted distinct shingle ids of every document, as CSR ``(indptr, ids, n_ids)``.

    A document shorter than ``shingle_size`` words has one shingle of all its
    words, padded; a document without a word has the shingle of padding only,
    so all such documents are exact duplicates of one another.
    """
    # A missing key calls the counter, which hands out the next code (as TextTokenizer does).
    codes_of = defaultdict(count().__next__)
    codes, lengths = encode_corpus(documents, codes_of.__getitem__, lowercase=lowercase,
                                   token_pattern=DEFAULT_TOKEN_PATTERN, tokenizer=None)
    tokens = np.concatenate([codes.astype(np.int64) + 1, np.zeros(shingle_size, dtype=np.int64)])  # 0 pads
    n_shingles = np.maximum(lengths - shingle_size + 1, 1)
    document = np.repeat(np.arange(len(documents)), n_shingles)
    offset = _within(n_shingles)
    start = (np.cumsum(lengths) - lengths)[document] + offset
    ids, n_ids = np.zeros(len(start), dtype=np.int64), 1
    for j in range(shingle_size):
        word = np.where(offset + j < lengths[document], tokens[start + j], 0)
        # (shingle so far, next word) -> a dense id: exact, and small enough never to overflow.
        n_ids, ids = _dense_ids(ids * (len(codes_of) + 1) + word)
    distinct = _distinct(document * n_ids + ids)
    counts = np.bincount(distinct // n_ids, minlength=len(documents))
    return np.concatenate([[0], np.cumsum(counts)]), distinct % n_ids, n_ids


def _within(counts):
    """Position of every element within its run, for consecutive runs of ``counts`` elements."""
    return np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)


def _distinct(values):
    """The sorted distinct values; by sorting, several times faster than ``np.unique``'s hash table here."""
    values = np.sort(values)
    return values[np.concatenate([[True], values[1:] != values[:-1]])] if len(values) else values


def _dense_ids(values):
    """How many distinct values there are, and each value's rank among them."""
    distinct, inverse = np.unique(values, return_inverse=True)
    return len(distinct), inverse.ravel()


def _mix(x):
    """The splitmix64 finaliser: a fast, well-spread hash of uint64 values."""
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def _identical_sets(indptr, ids):
    """For every document, the first document with exactly the same shingle set (itself if none)."""
    sizes = np.diff(indptr)
    # An order-free hash of each set and its size; equal keys are then confirmed shingle by shingle,
    # so a collision only costs the comparison that LSH makes anyway.
    keys = _mix(np.add.reduceat(_mix(ids.astype(np.uint64)), indptr[:-1]) ^ sizes.astype(np.uint64))
    _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    candidate = first[inverse.ravel()]
    document = np.repeat(np.arange(len(sizes)), sizes)
    position = np.minimum(indptr[candidate[document]] + _within(sizes), len(ids) - 1)
    confirmed = np.logical_and.reduceat(ids == ids[position], indptr[:-1]) & (sizes[candidate] == sizes)
    return np.where(confirmed, candidate, np.arange(len(sizes)))


# ------------------------------------------------------------------------ candidates


def lsh_bands(threshold, n_permutations):
    """Bands and rows of the MinHash index for a similarity threshold.

    The rows per band are the most (the fewest false candidates) for which
    a pair of documents with Jaccard similarity ``threshold`` shares at
    least one band with probability ``1 - (1 - threshold**rows)**bands``
    of at least 0.99.

    Parameters
    ----------
    threshold : float
        The similarity that must be found, in (0, 1].
    n_permutations : int
        MinHash functions available; ``bands * rows`` of them are used.

    Returns
    -------
    bands : int
    rows : int

    Raises
    ------
    ValueError
        If even one row per band cannot reach that probability.

    Examples
    --------
    >>> from skltext.model_selection import lsh_bands
    >>> lsh_bands(0.8, 128), lsh_bands(0.5, 128)
    ((21, 6), (42, 3))
    """
    for rows in range(n_permutations, 0, -1):
        bands = n_permutations // rows
        if 1.0 - (1.0 - threshold**rows) ** bands >= _RECALL_AT_THRESHOLD:
            return bands, rows
    raise ValueError(f"n_permutations={n_permutations} MinHash functions cannot find pairs at "
                     f"threshold={threshold} with probability {_RECALL_AT_THRESHOLD}; raise n_permutations.")


def _band_keys(x, indptr, multipliers, offsets):
    """One uint64 key per document: a hash of its MinHash values under the given hash functions.

    Each function is ``(a * x + b) mod 2**64 >> 32`` (multiply-add-shift, a
    universal family on 32-bit keys), evaluated in chunks of documents.
    """
    n_documents = len(indptr) - 1
    keys = np.zeros(n_documents, dtype=np.uint64)
    per_chunk = max(1, _HASHES_PER_CHUNK // len(multipliers))
    bounds = np.searchsorted(indptr, np.arange(0, indptr[-1], per_chunk), side="right") - 1
    bounds = np.unique(np.concatenate([bounds, [n_documents]]))
    for lo, hi in zip(bounds[:-1], bounds[1:]):
        values = x[indptr[lo]:indptr[hi], None] * multipliers + offsets
        minima = np.minimum.reduceat(values >> np.uint64(32), indptr[lo:hi] - indptr[lo], axis=0)
        for column in minima.T:
            keys[lo:hi] = _mix(keys[lo:hi] ^ column)
    return keys


def _bucket_pairs(keys):
    """Pairs within small buckets of equal keys (``lo < hi``), and the members of each large bucket."""
    order = np.argsort(keys, kind="stable")
    run_starts = np.flatnonzero(np.concatenate([[True], keys[order][1:] != keys[order][:-1]]))
    sizes = np.diff(np.concatenate([run_starts, [len(keys)]]))
    size = np.repeat(sizes, sizes)
    partners = np.where((size >= 2) & (size <= _ALL_PAIRS_MAX_BUCKET), size - 1 - _within(sizes), 0)
    first = np.repeat(np.arange(len(keys)), partners)
    second = first + 1 + _within(partners)
    left, right = order[first], order[second]
    pairs = np.column_stack([np.minimum(left, right), np.maximum(left, right)])
    large = [np.sort(order[run_starts[run]:run_starts[run] + sizes[run]])
             for run in np.flatnonzero(sizes > _ALL_PAIRS_MAX_BUCKET)]
    return pairs, large


# ------------------------------------------------------------------------ verification


def _similar(matrix, sizes, left, right, threshold):
    """Whether each pair ``(left[k], right[k])`` has exact Jaccard similarity of at least ``threshold``."""
    keep = np.zeros(len(left), dtype=bool)
    for lo in range(0, len(left), _PAIRS_PER_CHUNK):
        part = slice(lo, lo + _PAIRS_PER_CHUNK)
        shared = matrix[left[part]].multiply(matrix[right[part]]).getnnz(axis=1)
        union = sizes[left[part]] + sizes[right[part]] - shared
        # Float division rounds like the threshold's literal: 7 / 10 >= 0.7 holds.
        keep[part] = shared / union >= threshold
    return keep


def _large_bucket_edges(members, matrix, sizes, threshold):
    """Similar pairs in a large bucket, found by comparing the members not yet matched with every member.

    The unmatched members are taken in batches (about ``_PAIRS_PER_CHUNK``
    pairs at a time); a matched member starts no comparison of its own but
    is still compared with the later batches. A bucket that holds one group
    of near-duplicates costs one batch; only pairs of two members matched
    to earlier ones go unchecked.
    """
    edges = []
    unmatched = np.ones(len(members), dtype=bool)
    batch = max(1, _PAIRS_PER_CHUNK // len(members))
    while unmatched.any():
        starts = np.flatnonzero(unmatched)[:batch]
        left = np.repeat(starts, len(members))
        right = np.tile(np.arange(len(members)), len(starts))
        left, right = left[left != right], right[left != right]
        similar = _similar(matrix, sizes, members[left], members[right], threshold)
        edges.append(np.column_stack([members[left[similar]], members[right[similar]]]))
        unmatched[starts] = False
        unmatched[right[similar]] = False
    return edges


def _similar_pairs(matrix, threshold, n_permutations, rng):
    """Pairs of documents (rows of the binary shingle matrix) with Jaccard similarity of at least ``threshold``."""
    n_documents, indptr = matrix.shape[0], matrix.indptr
    sizes = np.diff(indptr)
    bands, rows = lsh_bands(threshold, n_permutations)
    multipliers = rng.randint(0, 2**63, size=(bands, rows), dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    offsets = rng.randint(0, 2**63, size=(bands, rows), dtype=np.uint64) * np.uint64(2)
    x = matrix.indices.astype(np.uint64)
    candidates, edges, seen = [np.zeros(0, dtype=np.int64)], [], set()
    for band in range(bands):
        pairs, large = _bucket_pairs(_band_keys(x, indptr, multipliers[band], offsets[band]))
        candidates.append(pairs[:, 0] * n_documents + pairs[:, 1])
        # Most bands find the same pairs again: drop repeats once they would double the list.
        if sum(map(len, candidates[1:])) > len(candidates[0]):
            candidates = [_distinct(np.concatenate(candidates))]
        for members in large:
            if members.tobytes() not in seen:  # another band's bucket with the same members
                seen.add(members.tobytes())
                edges += _large_bucket_edges(members, matrix, sizes, threshold)
    candidates = _distinct(np.concatenate(candidates))
    left, right = candidates // n_documents, candidates % n_documents
    similar = _similar(matrix, sizes, left, right, threshold)
    return np.concatenate([np.column_stack([left[similar], right[similar]]), *edges]).astype(np.int64)


def _components(n_documents, edges):
    """Connected components of the edges, numbered 0, 1, ... in order of first appearance."""
    graph = sp.coo_matrix((np.ones(len(edges), dtype=bool), (edges[:, 0], edges[:, 1])),
                          shape=(n_documents, n_documents))
    _, labels = connected_components(graph, directed=False)
    _, first = np.unique(labels, return_index=True)
    rank = np.empty(len(first), dtype=np.int64)
    rank[np.argsort(first)] = np.arange(len(first))
    return rank[labels]


# ------------------------------------------------------------------------ public functions


@validate_params(
    {
        "texts": ["array-like"],
        "threshold": [Interval(Real, 0, 1, closed="right")],
        "shingle_size": [Interval(Integral, 1, None, closed="left")],
        "n_permutations": [Interval(Integral, 1, None, closed="left")],
        "lowercase": ["boolean"],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def near_duplicate_groups(texts, *, threshold=0.8, shingle_size=1, n_permutations=128, lowercase=True,
                          random_state=0):
    """Group id of every document, such that near-duplicate documents share a group.

    Two documents are near-duplicates when the Jaccard similarity of their
    sets of shingles, runs of ``shingle_size`` consecutive words, is at least
    ``threshold``; groups are the connected components of that relation, so
    a chain of near-duplicates is one group. Words are the tokens of
    :class:`~skltext.TextTokenizer` (runs of letters and digits; punctuation
    and spacing are ignored). Pass the groups as ``groups`` to
    ``GroupKFold``, ``StratifiedGroupKFold`` or
    :func:`skltext.compare.compare_models`, so that no document is tested
    against a near-copy of itself seen in training.

    Candidate pairs come from MinHash signatures with locality-sensitive
    hashing, and each is checked on the exact shingle sets: there are no
    false positives, and a pair exactly at the threshold is missed with
    probability at most 0.01 (far less above it; see :func:`lsh_bands`).
    Time and memory grow about linearly with the number of documents
    (700,000 short documents: about 40 s and 1.3 GB on two cores). Low
    thresholds on long documents, with ``shingle_size=1`` above all, put
    many merely related documents in the same buckets, where the work grows
    faster: 90 s for the 63,440 Debian descriptions at 0.5, against 8 s at
    0.8.

    Parameters
    ----------
    texts : list, 1-D ndarray or pandas Series of str
        The documents.
    threshold : float, default=0.8
        Least Jaccard similarity of two documents' shingle sets that makes
        them near-duplicates, in (0, 1]; 1 finds documents with identical
        shingle sets only. With the default single words, changing one word
        of a document of 20 distinct words leaves a similarity of 19 / 21 =
        0.90 and two words 18 / 22 = 0.82, so up to two changed words are
        found from 18 words on, one from 9 words on; reordering costs
        nothing.
    shingle_size : int, default=1
        Words per shingle. 1 compares the sets of words, whatever their
        order, which suits short texts; 2 or 3 make the order count (swapping
        two sentences still keeps most shingles, shuffling the words does
        not) and make each changed word cost more similarity (with 2: one
        changed word of 20 leaves 17 / 21 = 0.81). A document with fewer
        words has one shingle of all its words, so it matches only documents
        with the same words in the same order.
    n_permutations : int, default=128
        MinHash functions. More lets each band be longer, which means fewer
        candidate pairs to check, at the cost of more hashing.
    lowercase : bool, default=True
        Compare the documents in lower case.
    random_state : int, RandomState instance or None, default=0
        Seed of the MinHash functions. Groups depend on it only through the
        rare pair near the threshold that the hashing misses.

    Returns
    -------
    groups : ndarray of shape (n_samples,), dtype=int64
        Group ids 0, 1, ... numbered in order of each group's first
        document. Documents without any word (empty, or punctuation only)
        all share one group, as exact duplicates of one another.

    See Also
    --------
    near_duplicate_summary : How many documents share a group.
    near_duplicate_leakage : Share of test documents with a near-duplicate in training.

    Examples
    --------
    >>> from skltext.model_selection import near_duplicate_groups
    >>> texts = ["Please reset the password of my account, it expired today",
    ...          "please reset the password of my account: it expired yesterday",
    ...          "The invoice for March is missing the tax number",
    ...          "please reset the password of my account, it expired today"]
    >>> near_duplicate_groups(texts)
    array([0, 0, 1, 0])
    """
    documents = check_documents(texts, name="near_duplicate_groups")
    if not documents:
        return np.zeros(0, dtype=np.int64)
    indptr, ids, n_ids = _shingle_sets(documents, shingle_size, lowercase)
    first = _identical_sets(indptr, ids)
    distinct = np.flatnonzero(first == np.arange(len(documents)))
    matrix = sp.csr_matrix((np.ones(len(ids), dtype=bool), ids, indptr), shape=(len(documents), n_ids))
    pairs = _similar_pairs(matrix[distinct], threshold, n_permutations, check_random_state(random_state))
    edges = np.concatenate([distinct[pairs], np.column_stack([np.arange(len(documents)), first])])
    return _components(len(documents), edges)


class GroupSummary(NamedTuple):
    """How documents share groups; see :func:`near_duplicate_summary`."""

    n_documents: int
    n_groups: int
    n_shared: int  # documents in a group of two or more
    n_shared_groups: int  # groups of two or more documents
    largest: int  # documents in the largest group

    def describe(self):
        """One sentence for a report."""
        share = self.n_shared / self.n_documents if self.n_documents else 0.0
        return (f"{self.n_shared:,} of {self.n_documents:,} documents ({share:.1%}) share a group with another "
                f"document: {self.n_shared_groups:,} groups of 2 or more, the largest of {self.largest:,}")


def _group_codes(groups):
    groups = np.asarray(groups)
    if groups.ndim != 1:
        raise ValueError(f"groups must be 1-D, one group per document; got an array of shape {groups.shape}.")
    _, codes = np.unique(groups, return_inverse=True)
    return codes.ravel()


def near_duplicate_summary(groups):
    """Count the documents that share a group, and the groups they form.

    Parameters
    ----------
    groups : array-like of shape (n_samples,)
        A group per document, e.g. from :func:`near_duplicate_groups`.

    Returns
    -------
    summary : GroupSummary
        A named tuple of ``n_documents``, ``n_groups``, ``n_shared``
        (documents in a group of two or more), ``n_shared_groups`` (groups of
        two or more) and ``largest`` (documents in the largest group), with a
        ``describe()`` sentence.

    Examples
    --------
    >>> from skltext.model_selection import near_duplicate_summary
    >>> summary = near_duplicate_summary([0, 0, 1, 2, 2, 2])
    >>> summary.n_shared, summary.largest
    (5, 3)
    >>> summary.describe()
    '5 of 6 documents (83.3%) share a group with another document: 2 groups of 2 or more, the largest of 3'
    """
    sizes = np.bincount(_group_codes(groups))
    shared = sizes[sizes >= 2]
    return GroupSummary(int(sizes.sum()), len(sizes), int(shared.sum()), len(shared), int(sizes.max(initial=0)))


class Leakage(NamedTuple):
    """Test documents with another document of their group in training; see :func:`near_duplicate_leakage`."""

    share: float  # over all folds: leaked test documents / test documents
    fold_shares: np.ndarray  # the same share in each fold
    n_leaked: int
    n_test: int


def near_duplicate_leakage(groups, folds):
    """Share of test documents that have another document of their group in the training part.

    Under folds that ignore the groups (plain or stratified K-fold), this is
    the share of test documents the model may have seen in near-identical
    form, which inflates the scores; under group folds it is 0.

    Parameters
    ----------
    groups : array-like of shape (n_samples,)
        A group per document, e.g. from :func:`near_duplicate_groups`.
    folds : iterable of (train, test) pairs of index arrays
        For example ``StratifiedKFold(5).split(texts, y)``.

    Returns
    -------
    leakage : Leakage
        A named tuple of ``share`` (leaked test documents over all test
        documents of all folds), ``fold_shares`` (an array, one share per
        fold), ``n_leaked`` and ``n_test``.

    Examples
    --------
    >>> from skltext.model_selection import near_duplicate_leakage
    >>> groups = [0, 0, 1, 2, 2, 3]
    >>> folds = [([0, 2, 3], [1, 4, 5]), ([1, 4, 5], [0, 2, 3])]
    >>> leakage = near_duplicate_leakage(groups, folds)
    >>> leakage.share, leakage.fold_shares
    (0.6666666666666666, array([0.66666667, 0.66666667]))
    """
    codes = _group_codes(groups)
    leaked, tested = [], []
    for train, test in folds:
        in_train = np.zeros(len(codes), dtype=bool)
        in_train[codes[np.asarray(train)]] = True
        test_codes = codes[np.asarray(test)]
        leaked.append(int(in_train[test_codes].sum()))
        tested.append(len(test_codes))
    if not tested or not sum(tested):
        raise ValueError("folds holds no test documents.")
    shares = np.asarray(leaked, dtype=float) / np.maximum(tested, 1)
    return Leakage(sum(leaked) / sum(tested), shares, sum(leaked), sum(tested))
