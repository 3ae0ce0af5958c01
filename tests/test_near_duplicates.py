"""Tests for near-duplicate groups and the leakage they measure (skltext._near_duplicates)."""

import itertools
import time

import numpy as np
import pandas as pd
import pytest
from scipy.sparse.csgraph import connected_components
from sklearn.model_selection import GroupKFold, StratifiedKFold

import skltext._near_duplicates as near_duplicates
from skltext.compare import compare_models
from skltext.model_selection import (
    lsh_bands,
    near_duplicate_groups,
    near_duplicate_leakage,
    near_duplicate_summary,
)

# A text of twenty distinct words, and an unrelated one.
TICKET = ("my order of one blue kettle arrived broken yesterday and that seller will not answer any mail "
          "about refunds since")
OTHER = ("please change the delivery address for invoice seven to our new office in the harbour district "
         "before friday noon")
WORDS = [f"w{i}" for i in range(200)]


def _changed(text, positions, word="zebra"):
    words = text.split()
    for position in positions:
        words[position] = f"{word}{position}"
    return " ".join(words)


def _same_partition(a, b):
    """Whether two group labelings put the same documents together."""
    pairs = set(zip(a.tolist(), b.tolist()))
    return len(pairs) == len(set(a.tolist())) == len(set(b.tolist()))


def _brute_force_groups(texts, threshold, shingle_size):
    """Connected components of all pairs with Jaccard similarity >= threshold, by comparing every pair."""
    sets = []
    for text in texts:
        words = text.lower().split()
        if len(words) < shingle_size:
            sets.append({tuple(words)})
        else:
            sets.append({tuple(words[i:i + shingle_size]) for i in range(len(words) - shingle_size + 1)})
    n = len(texts)
    adjacency = np.zeros((n, n), dtype=bool)
    for i, j in itertools.combinations(range(n), 2):
        adjacency[i, j] = len(sets[i] & sets[j]) / len(sets[i] | sets[j]) >= threshold
    return connected_components(adjacency, directed=False)[1]


def _planted_corpus(n_templates=30, copies=6, length=25, seed=0):
    """Templates of random words, each copied with a few random words changed (similarities spread around 0.8)."""
    rng = np.random.default_rng(seed)
    texts = []
    for _ in range(n_templates):
        template = rng.choice(WORDS, size=length, replace=False)
        for _ in range(copies):
            words = template.copy()
            changed = rng.choice(length, size=rng.integers(0, 4), replace=False)
            words[changed] = rng.choice(WORDS, size=len(changed))
            texts.append(" ".join(words))
    return [texts[i] for i in rng.permutation(len(texts))]


def test_exact_duplicates_share_a_group_whatever_the_case_and_punctuation():
    """Check that exact copies, also in another case or with other punctuation, share one group."""
    texts = [TICKET, OTHER, TICKET.upper(), TICKET.replace(" ", ", "), OTHER]
    assert near_duplicate_groups(texts).tolist() == [0, 1, 0, 0, 1]


def test_one_or_two_changed_words_are_found_at_the_defaults():
    """Check that one or two changed words of a 20-word text are found, and that unrelated texts are not."""
    texts = [TICKET, _changed(TICKET, [5]), _changed(TICKET, [3, 14]), OTHER, _changed(OTHER, [0])]
    assert near_duplicate_groups(texts).tolist() == [0, 0, 0, 1, 1]
    # Three changed words leave 17 / 23 = 0.74 < 0.8.
    assert near_duplicate_groups([TICKET, _changed(TICKET, [1, 8, 15])]).tolist() == [0, 1]


def test_reordered_sentences_are_found_with_word_shingles_but_shuffled_words_are_not():
    """Check that swapping two sentences keeps most 3-word shingles, while shuffling every word keeps none."""
    first = "the kettle arrived broken and the handle is missing"
    second = "i would like a refund or a new kettle sent to me"
    swapped = [f"{first}. {second}.", f"{second}. {first}."]
    # 16 shared of 20 three-word shingles: similarity 0.8.
    assert near_duplicate_groups(swapped, shingle_size=3).tolist() == [0, 0]
    shuffled = [TICKET, " ".join(np.random.default_rng(0).permutation(TICKET.split()))]
    assert near_duplicate_groups(shuffled, shingle_size=3).tolist() == [0, 1]
    assert near_duplicate_groups(shuffled, shingle_size=1).tolist() == [0, 0]


@pytest.mark.parametrize("shared, own_a, own_b", [(7, 2, 1), (4, 1, 0), (9, 1, 0), (1, 1, 1), (15, 3, 2)])
@pytest.mark.parametrize("random_state", [0, 1, 2])
def test_threshold_edge_is_exact(shared, own_a, own_b, random_state):
    """Check that a pair of known Jaccard similarity is grouped at exactly that threshold and not just above."""
    a = " ".join(WORDS[:shared] + [f"a{i}" for i in range(own_a)])
    b = " ".join(WORDS[:shared] + [f"b{i}" for i in range(own_b)])
    similarity = shared / (shared + own_a + own_b)
    assert near_duplicate_groups([a, b], threshold=similarity, random_state=random_state).tolist() == [0, 0]
    above = float(np.nextafter(similarity, 2.0))
    assert near_duplicate_groups([a, b], threshold=above, random_state=random_state).tolist() == [0, 1]


def test_threshold_one_groups_only_identical_shingle_sets():
    """Check that threshold=1 groups texts with the same shingles only."""
    texts = [TICKET, TICKET + " " + TICKET, _changed(TICKET, [0])]
    assert near_duplicate_groups(texts, threshold=1.0).tolist() == [0, 0, 1]
    assert near_duplicate_groups(texts, threshold=1.0, shingle_size=2).tolist() == [0, 1, 2]


def test_empty_and_very_short_documents():
    """Check that texts without words share one group, and that short texts match only their own words."""
    texts = ["", "   ", "?!", "kettle", "Kettle.", "kettle broken", "broken kettle", "kettle broken now"]
    assert near_duplicate_groups(texts).tolist() == [0, 0, 0, 1, 1, 2, 2, 3]
    # Shorter than the shingle: one shingle of all the words, in order.
    assert near_duplicate_groups(texts, shingle_size=3).tolist() == [0, 0, 0, 1, 1, 2, 3, 4]
    assert near_duplicate_groups([]).shape == (0,)
    assert near_duplicate_groups(["only one"]).tolist() == [0]


def test_group_ids_count_from_zero_in_order_of_first_appearance():
    """Check that group ids are 0, 1, ... numbered by each group's first document."""
    texts = [OTHER, "x y z", TICKET, OTHER, "x y z", _changed(TICKET, [2])]
    groups = near_duplicate_groups(texts)
    assert groups.dtype == np.int64
    assert groups.tolist() == [0, 1, 2, 0, 1, 2]


def test_lowercase_and_non_ascii_words():
    """Check that lowercase=False tells cases apart, and that non-ASCII words are compared as words."""
    assert near_duplicate_groups(["Café crème brûlée", "café CRÈME brûlée"]).tolist() == [0, 0]
    assert near_duplicate_groups(["Hello World", "hello world"], lowercase=False).tolist() == [0, 1]


def test_list_array_and_series_give_the_same_groups():
    """Check that a list, an object array and a pandas Series with another index give the same groups."""
    texts = _planted_corpus(n_templates=5)
    expected = near_duplicate_groups(texts)
    assert np.array_equal(near_duplicate_groups(np.asarray(texts, dtype=object)), expected)
    series = pd.Series(texts, index=np.arange(len(texts)) * 7 + 3)
    assert np.array_equal(near_duplicate_groups(series), expected)


def test_same_random_state_same_groups_and_clear_cases_do_not_depend_on_it():
    """Check that groups are reproducible under random_state, and that clear near-duplicates do not need luck."""
    texts = _planted_corpus()
    assert np.array_equal(near_duplicate_groups(texts, random_state=3), near_duplicate_groups(texts, random_state=3))
    clear = [TICKET, _changed(TICKET, [4]), OTHER, _changed(OTHER, [9]), "x y z"]
    for seed in range(5):
        assert near_duplicate_groups(clear, random_state=np.random.RandomState(seed)).tolist() == [0, 0, 1, 1, 2]


@pytest.mark.parametrize("shingle_size", [1, 2])
def test_groups_equal_the_brute_force_components(shingle_size):
    """Check the groups against comparing every pair, on copies with similarities spread around the threshold."""
    texts = _planted_corpus(seed=shingle_size)
    expected = _brute_force_groups(texts, 0.8 if shingle_size == 1 else 0.6, shingle_size)
    groups = near_duplicate_groups(texts, threshold=0.8 if shingle_size == 1 else 0.6, shingle_size=shingle_size)
    assert len(set(expected.tolist())) < len(texts) * 0.6  # many copies were grouped
    assert _same_partition(groups, expected)


def _count_large_buckets(monkeypatch):
    """The sizes of the large buckets compared, recorded as the detection runs."""
    sizes, compare = [], near_duplicates._large_bucket_edges

    def counted(members, *args):
        sizes.append(len(members))
        return compare(members, *args)

    monkeypatch.setattr(near_duplicates, "_large_bucket_edges", counted)
    return sizes


def test_large_buckets_give_the_brute_force_components(monkeypatch):
    """Check that the pass over a large bucket finds the same groups as comparing every pair."""
    monkeypatch.setattr(near_duplicates, "_ALL_PAIRS_MAX_BUCKET", 2)
    monkeypatch.setattr(near_duplicates, "_PAIRS_PER_CHUNK", 16)  # many small batches
    buckets = _count_large_buckets(monkeypatch)
    texts = _planted_corpus(n_templates=8, copies=10)
    assert _same_partition(near_duplicate_groups(texts), _brute_force_groups(texts, 0.8, 1))
    assert len(buckets) > 8


def test_thousands_of_copies_make_one_group_quickly(monkeypatch):
    """Check that a bucket of thousands of identical and near-identical texts is not compared pair by pair."""
    buckets = _count_large_buckets(monkeypatch)
    template = " ".join(WORDS[:30])
    texts = [template] * 5000 + [_changed(template, [i % 30], word=f"v{i}") for i in range(2000)] + [OTHER]
    start = time.perf_counter()
    groups = near_duplicate_groups(texts)
    assert time.perf_counter() - start < 30  # all pairs would be 2,000,000 comparisons for the changed copies
    assert groups.tolist() == [0] * 7000 + [1]
    # The 5,000 identical texts count once: the large buckets hold the 2,000 changed ones and the template.
    assert max(buckets) <= 2001


@pytest.mark.parametrize("params, match", [
    ({"threshold": 0}, "'threshold' parameter of near_duplicate_groups must be a float in the range \\(0.0, 1.0\\]"),
    ({"threshold": 1.5}, "'threshold' parameter"),
    ({"shingle_size": 0}, "'shingle_size' parameter"),
    ({"shingle_size": 1.5}, "'shingle_size' parameter"),
    ({"n_permutations": 0}, "'n_permutations' parameter"),
    ({"lowercase": "yes"}, "'lowercase' parameter"),
    ({"threshold": 0.05, "n_permutations": 4}, "n_permutations=4 MinHash functions cannot find pairs"),
])
def test_invalid_parameters_are_refused_with_their_name(params, match):
    """Check that each invalid parameter is refused with a message naming it."""
    with pytest.raises(ValueError, match=match):
        near_duplicate_groups(["a b", "a c"], **params)


def test_invalid_texts_name_the_problem_row():
    """Check that missing and non-string documents are reported with their row, and a single string refused."""
    with pytest.raises(TypeError, match="document 2 is a missing value"):
        near_duplicate_groups(["a b", "c", None])
    with pytest.raises(TypeError, match="document 1 is of type int"):
        near_duplicate_groups(["a b", 7])
    with pytest.raises(ValueError, match="'texts' parameter of near_duplicate_groups must be an array-like"):
        near_duplicate_groups("a single text")
    with pytest.raises(ValueError, match="1-D collection of documents"):
        near_duplicate_groups(np.array([["a", "b"], ["c", "d"]]))


@pytest.mark.parametrize("threshold", [0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 1.0])
def test_bands_find_a_pair_at_the_threshold_with_probability_099(threshold):
    """Check that the bands reach 0.99 at the threshold, and that one more row per band would not."""
    bands, rows = lsh_bands(threshold, 128)
    assert bands * rows <= 128
    assert 1 - (1 - threshold**rows) ** bands >= 0.99
    more = rows + 1
    assert 1 - (1 - threshold**more) ** (128 // more) < 0.99 or more > 128


def test_summary_counts_documents_that_share_a_group():
    """Check the summary of a hand-made grouping."""
    summary = near_duplicate_summary(np.array(["a", "b", "a", "c", "c", "c", "d"]))
    assert summary == (7, 4, 5, 2, 3)
    assert summary.describe().startswith("5 of 7 documents (71.4%) share a group with another document")
    assert near_duplicate_summary([1, 2, 3]).n_shared == 0


def test_leakage_counts_test_documents_with_their_group_in_training():
    """Check the leakage of hand-made folds, and that group folds leak nothing."""
    groups = np.array([0, 0, 1, 1, 1, 2, 3, 4])
    folds = [(np.array([0, 2, 5, 6]), np.array([1, 3, 4, 7])), (np.array([1, 3, 4, 7]), np.array([0, 2, 5, 6]))]
    leakage = near_duplicate_leakage(groups, folds)
    # Fold 1: documents 1 (group 0), 3 and 4 (group 1) leak; 7 does not. Fold 2: 0 and 2 leak.
    assert leakage.n_leaked == 5 and leakage.n_test == 8 and leakage.share == 5 / 8
    assert leakage.fold_shares.tolist() == [0.75, 0.5]
    grouped = near_duplicate_leakage(groups, GroupKFold(2).split(groups, groups, groups))
    assert grouped.share == 0.0


def test_leakage_refuses_bad_groups_and_folds():
    """Check that 2-D groups and folds without test documents are refused."""
    with pytest.raises(ValueError, match="groups must be 1-D"):
        near_duplicate_leakage(np.zeros((3, 2)), [([0], [1])])
    with pytest.raises(ValueError, match="no test documents"):
        near_duplicate_leakage([0, 1], [])


def test_compare_models_with_detected_groups_keeps_near_duplicates_apart():
    """Check the recipe: detected groups passed to compare_models never span a training and a test fold."""
    texts = _planted_corpus(n_templates=12, copies=5)
    y = np.random.default_rng(0).integers(0, 2, len(texts))  # any labels
    groups = near_duplicate_groups(texts)
    plain = near_duplicate_leakage(groups, StratifiedKFold(3, shuffle=True, random_state=0).split(texts, y))
    assert plain.share > 0.5
    comparison = compare_models(texts, y, models=["tfidf-lr"], cv=3, groups=groups)
    assert near_duplicate_leakage(groups, comparison.folds).share == 0.0
