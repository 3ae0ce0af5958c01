"""The ML-ROS and ML-RUS resampling algorithms (Charte et al., 2015) on a boolean CSR label matrix.

Pure NumPy and Python, no estimator API: :mod:`skltext.sampling` validates
the input, computes the imbalance ratios and wraps these in samplers.
"""

import numpy as np

__all__ = ["imbalance_ratios", "label_counts", "ml_ros", "ml_rus"]


def imbalance_ratios(counts):
    """IRLbl per label (NaN where a label has no sample) and MeanIR, from label counts."""
    counts = np.asarray(counts, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        irlbl = np.where(counts > 0, counts.max() / counts, np.nan)
    present = counts > 0
    mean_ir = float(irlbl[present].mean()) if present.any() else np.nan
    return irlbl, mean_ir


def label_counts(Y):
    """Number of samples holding each label, as an int64 array."""
    return np.asarray(Y.sum(axis=0), dtype=np.int64).ravel()


def ml_ros(Y, n_clones, mean_ir, minority, rng):
    """Row indices of the ML-ROS clones, in the order they were made."""
    counts = label_counts(Y).tolist()
    max_count = max(counts)
    Yc = Y.tocsc()
    bags = [Yc.indices[Yc.indptr[label]:Yc.indptr[label + 1]] for label in minority]
    bag_sizes = [len(bag) for bag in bags]
    # One uniform draw per possible clone, made up front: bag[int(u * len(bag))].
    draws = rng.random_sample(n_clones).tolist()
    indptr, indices = Y.indptr.tolist(), Y.indices.tolist()

    clones = []
    active = list(range(len(minority)))
    while active and len(clones) < n_clones:
        still_minority = []
        for b in active:
            row = int(bags[b][int(draws[len(clones)] * bag_sizes[b])])
            clones.append(row)
            for label in indices[indptr[row]:indptr[row + 1]]:
                counts[label] += 1
                if counts[label] > max_count:
                    max_count = counts[label]
            if max_count / counts[minority[b]] > mean_ir:
                still_minority.append(b)
            if len(clones) == n_clones:
                break
        active = still_minority
    return np.asarray(clones, dtype=np.intp)


def ml_rus(Y, n_deletions, mean_ir, minority, majority, rng):
    """Boolean mask of the rows ML-RUS deletes."""
    n_samples = Y.shape[0]
    counts = label_counts(Y)
    protected = np.zeros(n_samples, dtype=bool)
    if len(minority):
        protected = np.asarray(Y[:, minority].sum(axis=1)).ravel() > 0
    Yc = Y.tocsc()
    # Each bag in random order: walking it, skipping rows already deleted through
    # another bag, draws uniformly without replacement among the rows left.
    bags = []
    for label in majority:
        rows = Yc.indices[Yc.indptr[label]:Yc.indptr[label + 1]]
        bags.append(rng.permutation(rows[~protected[rows]]).tolist())
    positions = [0] * len(bags)
    counts = counts.tolist()
    max_count = max(counts)
    indptr, indices = Y.indptr.tolist(), Y.indices.tolist()

    deleted = bytearray(n_samples)
    n_deleted = 0
    active = list(range(len(majority)))
    while active and n_deleted < n_deletions:
        still_majority = []
        for b in active:
            bag, pos = bags[b], positions[b]
            while pos < len(bag) and deleted[bag[pos]]:
                pos += 1
            if pos == len(bag):  # nothing left to delete for this label
                continue
            row = bag[pos]
            positions[b] = pos + 1
            deleted[row] = 1
            n_deleted += 1
            max_lowered = False
            for label in indices[indptr[row]:indptr[row + 1]]:
                max_lowered |= counts[label] == max_count
                counts[label] -= 1
            if max_lowered:  # counts only go down: rescan only when the top one did
                max_count = max(counts)
            count = counts[majority[b]]
            if count and max_count / count < mean_ir:
                still_majority.append(b)
            if n_deleted == n_deletions:
                break
        active = still_majority
    return np.frombuffer(bytes(deleted), dtype=np.uint8).astype(bool)
