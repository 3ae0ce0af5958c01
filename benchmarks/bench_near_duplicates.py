"""Near-duplicate-aware evaluation: detection at scale, recovery of known groups, and the inflation grouping removes.

Three parts (``--parts``), each writing rows to
benchmarks/results/near_duplicates.json as they finish (a rerun skips the rows
it has; ``--fresh`` starts over) and the tables to near_duplicates.md:

- scale: ``near_duplicate_groups`` at its defaults on synthetic short
  documents (100,000, 300,000 and 700,000: 8-30 words from a 50,000-word
  Zipf vocabulary, 30 % of them copies of another document with one or two
  words changed), each size in a fresh process: wall time, and peak resident
  memory before and at the end of the call; ``--datasketch`` adds
  datasketch's MinHash + MinHashLSH at 100,000 documents (candidate pairs
  only) where that package is installed;
- recovery: on debian_sections and debtags (../shared/data), the detected
  groups against the corpus's ``group`` column (source package): adjusted
  Rand index, pair precision and recall, documents in groups of 2 or more,
  largest group, and the share of test documents with another document of
  their group in training under plain stratified 5-fold; at the defaults and
  on a small grid of shingle sizes and thresholds;
- scores: TF-IDF + LinearSVC (``tfidf-svm``) and the NgramClassifier
  (``ngram``), as ``skltext compare`` builds them (``make_model``, no
  threshold tuning; LinearSVC one-vs-rest on debtags), under four fold schemes:
  plain stratified 5-fold (MultilabelStratifiedKFold for debtags),
  GroupKFold(5) by the ``group`` column (the corpora's protocol), by the
  detected groups (defaults), and by both (connected components of either).

    nice -n 10 python benchmarks/bench_near_duplicates.py --parts scale,recovery
    nice -n 10 python benchmarks/bench_near_duplicates.py --parts scores --models tfidf-svm
    KERAS_BACKEND=jax nice -n 10 python benchmarks/bench_near_duplicates.py --parts scores --models ngram
    python benchmarks/bench_near_duplicates.py --table-only
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
import warnings

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components
from sklearn.exceptions import ConvergenceWarning, UndefinedMetricWarning
from sklearn.metrics import accuracy_score, adjusted_rand_score, f1_score
from sklearn.metrics.cluster import pair_confusion_matrix
from sklearn.model_selection import GroupKFold, StratifiedKFold
from sklearn.preprocessing import MultiLabelBinarizer

from _common import RESULTS, data_dir, markdown_table, write_table
from skltext.compare import make_model
from skltext.datasets import load_jsonl_corpus
from skltext.model_selection import (
    MultilabelStratifiedKFold,
    near_duplicate_groups,
    near_duplicate_leakage,
    near_duplicate_summary,
)

RAW = RESULTS / "near_duplicates.json"
COMMAND = "nice -n 10 python benchmarks/bench_near_duplicates.py"
SIZES = (100_000, 300_000, 700_000)
CORPORA = {"debian_sections": "debian_sections.jsonl.gz", "debtags": "debtags.jsonl.gz"}
MODELS = {"tfidf-svm": "TF-IDF + LinearSVC", "ngram": "NgramClassifier"}
SCHEMES = {"stratified": "stratified 5-fold", "source": "GroupKFold by source package",
           "detected": "GroupKFold by detected groups", "both": "GroupKFold by both"}
# (shingle_size, threshold): the defaults first, then the grid of the recovery part.
SETTINGS = [(1, 0.8), (1, 0.7), (1, 0.9), (2, 0.6), (2, 0.7), (2, 0.8), (3, 0.5), (3, 0.7)]
N_FOLDS = 5


# ------------------------------------------------------------------------ rows


def _load_rows():
    return json.loads(RAW.read_text()) if RAW.exists() else {"scale": [], "recovery": [], "scores": []}


def _save_row(part, row, key):
    """Add a finished row (replacing one with the same key), re-reading the file so parallel runs can share it."""
    rows = _load_rows()
    rows[part] = [r for r in rows[part] if tuple(r[k] for k in key) != tuple(row[k] for k in key)] + [row]
    temporary = RAW.with_suffix(".json.tmp")
    temporary.write_text(json.dumps(rows, indent=1))
    temporary.replace(RAW)
    return rows


def _has(rows, part, **values):
    return any(all(r.get(k) == v for k, v in values.items()) for r in rows[part])


# ------------------------------------------------------------------------ scale


def synthetic_documents(n, seed=0):
    """Short documents from a Zipf vocabulary; 30 % copy another document with one or two words changed.

    Returns the documents and, for each, the document it copies (itself for an original).
    """
    rng = np.random.default_rng(seed)
    vocabulary = np.array([f"w{i}" for i in range(50_000)], dtype=object)
    weights = 1.0 / np.arange(1, len(vocabulary) + 1)
    lengths = rng.integers(8, 31, n)
    words = rng.choice(len(vocabulary), size=int(lengths.sum()), p=weights / weights.sum())
    documents = np.split(words, np.cumsum(lengths)[:-1])
    source = np.arange(n)
    originals = np.flatnonzero(rng.random(n) >= 0.3)
    for i in np.setdiff1d(np.arange(n), originals):
        source[i] = originals[rng.integers(len(originals))]
        copy = documents[source[i]].copy()
        changed = rng.choice(len(copy), size=rng.integers(1, 3), replace=False)
        copy[changed] = rng.integers(len(vocabulary), size=len(changed))
        documents[i] = copy
    return [" ".join(vocabulary[doc]) for doc in documents], source


def _peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _resident_mb():
    """Resident memory now (Linux), for the memory a call adds on top of its input."""
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


def scale_worker(n, engine):
    """Run one detection in this (fresh) process and print its row as JSON."""
    texts, source = synthetic_documents(n)
    before, resident = _peak_mb(), _resident_mb()
    start = time.perf_counter()
    if engine == "datasketch":
        found = _datasketch_candidates(texts)
        row = {"candidate_pairs": found}
    else:
        groups = near_duplicate_groups(texts)
        summary = near_duplicate_summary(groups)
        copies = source != np.arange(n)
        row = {"n_groups": summary.n_groups, "n_shared": summary.n_shared, "largest": summary.largest,
               "copies_found": float(np.mean(groups[copies] == groups[source[copies]]))}
    row.update(engine=engine, n=n, seconds=time.perf_counter() - start, resident_before_mb=resident,
               peak_before_mb=before, peak_mb=_peak_mb())
    print(json.dumps(row))


def _datasketch_candidates(texts):
    """datasketch's MinHash of each word set, inserted into and queried from MinHashLSH at 0.8: candidate pairs."""
    from datasketch import MinHash, MinHashLSH

    signatures = MinHash.bulk([[word.encode() for word in set(text.lower().split())] for text in texts],
                              num_perm=128)
    index = MinHashLSH(threshold=0.8, num_perm=128)
    with index.insertion_session() as session:
        for i, signature in enumerate(signatures):
            session.insert(i, signature)
    return sum(len(index.query(signature)) - 1 for signature in signatures) // 2


def run_scale(sizes, with_datasketch):
    rows = _load_rows()
    jobs = [("skltext", n) for n in sizes] + ([("datasketch", 100_000)] if with_datasketch else [])
    for engine, n in jobs:
        if _has(rows, "scale", engine=engine, n=n):
            continue
        result = subprocess.run([sys.executable, __file__, "--scale-worker", str(n), "--engine", engine],
                                capture_output=True, text=True, env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"})
        if result.returncode != 0:
            print(f"scale {engine} {n}: failed\n{result.stderr[-2000:]}", file=sys.stderr)
            continue
        row = json.loads(result.stdout.strip().splitlines()[-1])
        rows = _save_row("scale", row, ("engine", "n"))
        print(f"scale {engine} {n:,}: {row['seconds']:.1f} s, peak {row['peak_mb']:.0f} MB", flush=True)


# ------------------------------------------------------------------------ corpora


def load(folder, corpus):
    """Documents, target (an indicator matrix for debtags) and source-package groups of a corpus."""
    data = load_jsonl_corpus(folder / CORPORA[corpus])
    texts = np.asarray(data["texts"], dtype=object)
    y = MultiLabelBinarizer().fit_transform(data["labels"]) if corpus == "debtags" else np.asarray(data["labels"])
    return texts, y, np.asarray(data["groups"], dtype=object)


def _stratified_folds(y):
    cv = (MultilabelStratifiedKFold(N_FOLDS, shuffle=True, random_state=0) if y.ndim == 2
          else StratifiedKFold(N_FOLDS, shuffle=True, random_state=0))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # classes with fewer documents than folds
        return list(cv.split(np.zeros((len(y), 1)), y))


def _either(first, second):
    """Groups of documents linked by either grouping: connected components of documents and both groups' ids."""
    n = len(first)
    first, second = (np.unique(groups, return_inverse=True)[1].ravel() for groups in (first, second))
    nodes = n + first.max() + 1 + second.max() + 1
    rows = np.concatenate([np.arange(n), np.arange(n)])
    columns = np.concatenate([n + first, n + first.max() + 1 + second])
    graph = sp.coo_matrix((np.ones(2 * n, dtype=bool), (rows, columns)), shape=(nodes, nodes))
    return connected_components(graph, directed=False)[1][:n]


def _pair_scores(reference, detected):
    """Precision and recall of the pairs put together by ``detected``, against ``reference``."""
    matrix = pair_confusion_matrix(reference, detected)
    together = matrix[1, 1]
    return together / max(together + matrix[0, 1], 1), together / max(together + matrix[1, 0], 1)


def run_recovery(folder, corpora):
    rows = _load_rows()
    for corpus in corpora:
        texts, y, source = load(folder, corpus)
        plain = _stratified_folds(y)
        for shingle_size, threshold in SETTINGS:
            if _has(rows, "recovery", corpus=corpus, shingle_size=shingle_size, threshold=threshold):
                continue
            start = time.perf_counter()
            detected = near_duplicate_groups(texts, shingle_size=shingle_size, threshold=threshold)
            seconds = time.perf_counter() - start
            precision, recall = _pair_scores(source, detected)
            summary, known = near_duplicate_summary(detected), near_duplicate_summary(source)
            row = {"corpus": corpus, "shingle_size": shingle_size, "threshold": threshold, "seconds": seconds,
                   "ari": adjusted_rand_score(source, detected), "pair_precision": precision,
                   "pair_recall": recall, "n_documents": summary.n_documents, "n_shared": summary.n_shared,
                   "n_shared_groups": summary.n_shared_groups, "largest": summary.largest,
                   "source_n_shared": known.n_shared, "source_largest": known.largest,
                   "leakage_detected": near_duplicate_leakage(detected, plain).share,
                   "leakage_source": near_duplicate_leakage(source, plain).share,
                   # Near-duplicates that the source-package folds still split.
                   "leakage_detected_under_source_folds": near_duplicate_leakage(
                       detected, GroupKFold(N_FOLDS).split(texts, groups=source)).share}
            rows = _save_row("recovery", row, ("corpus", "shingle_size", "threshold"))
            print(f"recovery {corpus} shingles of {shingle_size} >= {threshold}: ARI {row['ari']:.3f}, pairs "
                  f"P {precision:.3f} R {recall:.3f}, {seconds:.1f} s", flush=True)


# ------------------------------------------------------------------------ scores


def _folds(scheme, texts, y, source, detected):
    if scheme == "stratified":
        return _stratified_folds(y)
    groups = {"source": source, "detected": detected, "both": None}[scheme]
    groups = _either(source, detected) if groups is None else groups
    return list(GroupKFold(N_FOLDS).split(texts, groups=groups))


def run_fold(name, texts, y, train, test):
    """Fit one model on one fold; its macro-F1 and accuracy (micro-F1 for multi-label) on the test part."""
    target_type = "multilabel-indicator" if y.ndim == 2 else "multiclass"
    # The n-gram rows ran before refit=True became NgramClassifier's default; kept so they reproduce.
    params = {"refit": False} if name == "ngram" else None
    model = make_model(name, target_type=target_type, random_state=0, params=params)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        start = time.perf_counter()
        model.fit(texts[train], y[train])
        fit_seconds = time.perf_counter() - start
        predicted = np.asarray(model.predict(texts[test]))
        return {"macro_f1": float(f1_score(y[test], predicted, average="macro", zero_division=0)),
                "accuracy": float(f1_score(y[test], predicted, average="micro", zero_division=0) if y.ndim == 2
                                  else accuracy_score(y[test], predicted)),
                "fit_seconds": fit_seconds}


def run_scores(folder, corpora, models, schemes):
    rows = _load_rows()
    for name in models:  # the cheap model first on every corpus
        for corpus in corpora:
            texts, y, source = load(folder, corpus)
            detected = None
            for scheme in schemes:
                todo = [fold for fold in range(N_FOLDS)
                        if not _has(rows, "scores", corpus=corpus, model=name, scheme=scheme, fold=fold)]
                if not todo:
                    continue
                if detected is None:
                    detected = near_duplicate_groups(texts)
                folds = _folds(scheme, texts, y, source, detected)
                for fold in todo:
                    train, test = folds[fold]
                    row = {"corpus": corpus, "model": name, "scheme": scheme, "fold": fold,
                           **run_fold(name, texts, y, train, test)}
                    rows = _save_row("scores", row, ("corpus", "model", "scheme", "fold"))
                    print(f"scores {corpus} {name} {scheme} fold {fold}: macro-F1 {row['macro_f1']:.3f}, "
                          f"fit {row['fit_seconds']:.0f} s", flush=True)


# ------------------------------------------------------------------------ tables


def _mean_std(values):
    values = 100 * np.asarray(values, dtype=float)
    return f"{values.mean():.1f} ± {values.std():.1f}"


def scores_table(rows):
    """One row per corpus, model and metric: mean ± std over folds per scheme, and what grouping removes."""
    out = []
    for corpus, name in ((c, m) for c in CORPORA for m in MODELS):
        mine = [r for r in rows if r["corpus"] == corpus and r["model"] == name]
        if not mine:
            continue
        metrics = (("macro_f1", "macro-F1"), ("accuracy", "micro-F1" if corpus == "debtags" else "accuracy"))
        for metric, title in metrics:
            by_scheme = {s: [r[metric] for r in mine if r["scheme"] == s] for s in SCHEMES}
            cells = [_mean_std(v) + ("" if len(v) == N_FOLDS else f" ({len(v)} of {N_FOLDS} folds)") if v else ""
                     for v in by_scheme.values()]
            drops = [f"{100 * (np.mean(by_scheme['stratified']) - np.mean(by_scheme[s])):+.1f}"
                     # A difference of means over unfinished fold sets is marked as such.
                     + ("" if len(by_scheme["stratified"]) == len(by_scheme[s]) == N_FOLDS else " (partial)")
                     if by_scheme["stratified"] and by_scheme[s] else "" for s in ("source", "detected", "both")]
            out.append([corpus, MODELS[name], title, *cells, *drops])
    return out


def recovery_lines(rows):
    header = ["corpus", "shingles", "threshold", "s", "ARI", "pair precision", "pair recall",
              "docs in groups of 2+ (source)", "largest (source)", "leakage, source groups",
              "leakage, detected groups", "detected leakage under source folds"]
    table = [[r["corpus"], r["shingle_size"], r["threshold"], f"{r['seconds']:.1f}", f"{r['ari']:.3f}",
              f"{r['pair_precision']:.3f}", f"{r['pair_recall']:.3f}",
              f"{r['n_shared']:,} ({r['source_n_shared']:,}) of {r['n_documents']:,}",
              f"{r['largest']:,} ({r['source_largest']:,})", f"{r['leakage_source']:.1%}",
              f"{r['leakage_detected']:.1%}", f"{r['leakage_detected_under_source_folds']:.1%}"]
             for r in sorted(rows, key=lambda r: (list(CORPORA).index(r["corpus"]),
                                                  SETTINGS.index((r["shingle_size"], r["threshold"]))))]
    return markdown_table(header, table)


def scale_lines(rows):
    header = ["engine", "documents", "seconds", "resident before (MB)", "peak (MB)", "groups",
              "docs in groups of 2+", "planted copies grouped with their source"]
    table = [[r["engine"], f"{r['n']:,}", f"{r['seconds']:.1f}", f"{r['resident_before_mb']:.0f}",
              f"{r['peak_mb']:.0f}", f"{r['n_groups']:,}" if "n_groups" in r else "",
              f"{r['n_shared']:,}" if "n_shared" in r else f"({r['candidate_pairs']:,} candidate pairs)",
              f"{r['copies_found']:.1%}" if "copies_found" in r else ""]
             for r in sorted(rows, key=lambda r: (r["engine"] != "skltext", r["n"]))]
    return markdown_table(header, table)


def _unfinished(rows):
    """Every (model, corpus, scheme) with fewer than N_FOLDS folds, so that a partial table says what it lacks."""
    out = []
    for name in MODELS:
        for corpus in CORPORA:
            for scheme in SCHEMES:
                done = sum(_has(rows, "scores", corpus=corpus, model=name, scheme=scheme, fold=fold)
                           for fold in range(N_FOLDS))
                if done < N_FOLDS:
                    out.append(f"{MODELS[name]} on {corpus} under {SCHEMES[scheme]} ({done} of {N_FOLDS} folds)")
    return out


def write_results(rows):
    missing = _unfinished(rows)
    write_table(
        "near_duplicates", "Near-duplicate-aware evaluation: detection, recovery of source packages, score inflation",
        f"{COMMAND} --parts scale,recovery,scores --models tfidf-svm (ngram: KERAS_BACKEND=jax ... --models ngram)",
        ["corpus", "model", "metric", *SCHEMES.values(), "stratified − source", "stratified − detected",
         "stratified − both"],
        scores_table(rows["scores"]),
        notes=[
            "Scores in % (mean ± std over 5 folds); the last three columns are what each grouping removes from "
            "the plain stratified score. Models as `skltext compare` builds them (make_model, seed 0, no "
            "threshold tuning; LinearSVC one-vs-rest on debtags). Detected groups: near_duplicate_groups at "
            "its defaults (word sets, Jaccard >= 0.8, seed 0); 'both' joins the source packages and the "
            "detected groups.",
            "",
            "The NgramClassifier rows use its defaults of 2026-12-02 (sqrtn pooling; on debtags its multi-label "
            "defaults: early stopping on average precision, learning rate 0.01), with no per-tag thresholds, so "
            "its debtags macro-F1 is far below that of the quality benchmark, which tunes them. They run with "
            "refit=False, the default then: refit=True, the default since, raised the n-gram model's macro-F1 on "
            "the quality benchmark's folds (results/tune_ngram_options.md); what each grouping removes is "
            "measured within one model and one setting.",
            *(["", f"Not run yet: {'; '.join(missing)}. `KERAS_BACKEND=jax {COMMAND} --parts scores --models "
               "ngram` runs them, resuming from the rows written."] if missing else []),
            "", "## Recovery of the source-package groups", "",
            *recovery_lines(rows["recovery"]), "",
            "ARI: adjusted Rand index of the detected groups against the `group` column; pair precision: share "
            "of the pairs put in one detected group that share a source package (cross-package near-duplicates "
            "count against it), pair recall: share of same-package pairs found. Leakage: share of test "
            "documents with another document of their group in training under plain stratified 5-fold (seed "
            "0); the last column is that share for the detected groups under the corpus's own GroupKFold(5) by "
            "source package: near-duplicates in different source packages.",
            "", "## Detection at scale", "",
            *scale_lines(rows["scale"]), "",
            "Synthetic short documents (8-30 words, 50,000-word Zipf vocabulary; 30 % copy another document "
            "with one or two words changed), near_duplicate_groups at its defaults, each size in a fresh "
            "process. 'resident before': the process with its documents loaded; 'peak': the process's peak "
            "resident memory (ru_maxrss). A changed word leaves a short document's word set below 0.8 (one of "
            "8 distinct words: 7 / 9), so not every planted copy is grouped. datasketch: MinHash.bulk and "
            "MinHashLSH(threshold=0.8, num_perm=128), candidate pairs only (no exact check, no groups).",
        ])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", default="scale,recovery,scores")
    parser.add_argument("--corpora", default=",".join(CORPORA))
    parser.add_argument("--models", default=",".join(MODELS))
    parser.add_argument("--schemes", default=",".join(SCHEMES))
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--datasketch", action="store_true", help="also time datasketch at 100,000 documents")
    parser.add_argument("--data-dir", default=None)
    parser.add_argument("--table-only", action="store_true", help="rebuild the tables from near_duplicates.json")
    parser.add_argument("--fresh", action="store_true", help="discard the rows of earlier runs")
    parser.add_argument("--scale-worker", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--engine", default="skltext", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.scale_worker is not None:
        return scale_worker(args.scale_worker, args.engine)
    chosen = {name: [value for value in getattr(args, name).split(",") if value]
              for name in ("parts", "corpora", "models", "schemes")}
    for name, known in (("parts", ("scale", "recovery", "scores")), ("corpora", CORPORA), ("models", MODELS),
                        ("schemes", SCHEMES)):
        unknown = sorted(set(chosen[name]) - set(known))
        if unknown:
            parser.error(f"--{name}: unknown {unknown}; choose from {', '.join(known)}")
    if args.fresh and not args.table_only:
        RAW.unlink(missing_ok=True)
    if not args.table_only:
        if "scale" in chosen["parts"]:
            run_scale([int(n) for n in args.sizes.split(",")], args.datasketch)
        if "recovery" in chosen["parts"]:
            run_recovery(data_dir(args.data_dir), chosen["corpora"])
        if "scores" in chosen["parts"]:
            run_scores(data_dir(args.data_dir), chosen["corpora"], chosen["models"], chosen["schemes"])
    write_results(_load_rows())


if __name__ == "__main__":
    main()
