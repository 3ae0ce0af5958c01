"""On a GPU: the long-document and 700,000-document speed sections, set against the chip's peak.

    KERAS_BACKEND=jax python benchmarks/bench_gpu.py                # on a machine with an NVIDIA GPU
    python benchmarks/bench_gpu.py --table-only

Runs, under JAX on the machine's first GPU and each in its own process, two
sections of bench_speed.py: 'long' (the synthetic long-tailed corpus only;
the shared corpora are not on such machines) and 'scale' (700,000 documents
through tokenize, one training epoch of the default LSTM and predict); and
'buckets', the default LSTM on 10,000 long-tailed documents with and without
length buckets (``--sections`` picks some). It writes
benchmarks/results/gpu.json and gpu.md; sections not run keep their last
rows. Without a GPU it runs nothing and says so.

Documents per second in training are the documents an epoch trains on (the
early-stopping hold-out excluded) over the median epoch time (epochs 2 and
later). The arithmetic rate is an estimate that counts useful work only: the
network's multiply-adds per token position (convolution, recurrent and
attention kernels; bench_speed.multiply_adds_per_position) times 2 FLOPs, times
3 for the forward and backward passes, times the tokens the documents hold
(padding excluded), over the epoch time. It is set against the chip's peak
rates from its datasheet (PEAK_TFLOPS).
"""

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from _common import RESULTS, markdown_table

RAW = RESULTS / "gpu.json"
SECTIONS = {"long": ["--shared-docs", "0"], "scale": ["--scale-docs", "700000"], "buckets": []}
# buckets: the default LSTM with and without length buckets, a fixed number of epochs.
BUCKET_DOCS, BUCKET_EPOCHS = 10_000, 3
# NVIDIA's datasheet peaks, dense, in TFLOP/s: float32 on the CUDA cores, TF32 and bfloat16 on the tensor cores.
PEAK_TFLOPS = {"NVIDIA H200": {"float32": 67, "tf32": 495, "bfloat16": 989},
               "NVIDIA H100 80GB HBM3": {"float32": 67, "tf32": 495, "bfloat16": 989}}
FLOPS_PER_MULTIPLY_ADD, TRAINING_PASSES = 2, 3


def device_facts():
    """The JAX device and its default matrix precision, from a child process (it must not hold the GPU)."""
    probe = ("import jax, json; d = jax.devices()[0]; print(json.dumps({'platform': d.platform, "
             "'device_kind': d.device_kind, 'jax': jax.__version__, "
             "'matmul_precision': str(jax.config.jax_default_matmul_precision)}))")
    return json.loads(subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                                     check=True).stdout.strip().splitlines()[-1])


def run_buckets(n_docs, out):
    """The default LSTM on long-tailed documents, with and without length buckets (fixed epochs).

    The CNN's pair is in the 'long' section. Rows go to ``out`` as each fit ends.
    """
    from bench_speed import epoch_summary, log, make_long_corpus, make_timer
    from skltext import LSTMClassifier, TextTokenizer

    texts, labels = make_long_corpus(n_docs)
    X = TextTokenizer().fit_transform(texts)
    rows = []
    result = {"n_docs": n_docs, "max_len": int(X.shape[1]), "rows": rows}
    for buckets in (False, True):
        timer = make_timer()
        model = LSTMClassifier(bucket_by_length=buckets, early_stopping=False, epochs=BUCKET_EPOCHS,
                               random_state=0, callbacks=[timer])
        start = time.perf_counter()
        model.fit(X, labels)
        rows.append({"model": "LSTMClassifier", "bucket_by_length": buckets, "fit_s": time.perf_counter() - start,
                     **epoch_summary(timer.times)})
        log(f"buckets LSTMClassifier {buckets}: fit {rows[-1]['fit_s']:.1f} s")
        Path(out).write_text(json.dumps(result, indent=1))
    return result


def run_section(section, out_dir, timeout=None):
    out = Path(out_dir) / f"{section}.json"
    if section == "buckets":
        command = [sys.executable, str(Path(__file__).resolve()), "--worker", "buckets", "--out", str(out)]
    else:
        command = [sys.executable, str(Path(__file__).resolve().parent / "bench_speed.py"), "--worker", section,
                   "--backend", "jax", "--out", str(out), *SECTIONS[section]]
    try:
        code = subprocess.call(command, cwd=Path(__file__).resolve().parent, timeout=timeout)
    except subprocess.TimeoutExpired:
        code = f"stopped after {timeout} s"
    if not out.exists():
        return {"status": f"failed ({code})"}
    # A section stopped midway keeps the rows it wrote.
    return {**json.loads(out.read_text()), **({} if code == 0 else {"status": f"partial ({code})"})}


def training_tflops(row):
    if not row.get("median_epoch_s") or not row.get("multiply_adds_per_position"):
        return None
    flops = (FLOPS_PER_MULTIPLY_ADD * TRAINING_PASSES * row["multiply_adds_per_position"]
             * row["mean_tokens_read"] * row["trained_docs"])
    return flops / row["median_epoch_s"] / 1e12


def render(raw):
    device = raw["device"]
    peak = PEAK_TFLOPS.get(device["device_kind"])
    lines = [f"- date: {raw['date']}, commit {raw.get('commit')}", f"- device: {device['device_kind']} ({device['platform']}), "
             f"JAX {device['jax']}, default matmul precision {device['matmul_precision']}",
             f"- versions: {', '.join(f'{k} {v}' for k, v in raw['long'].get('versions', {}).items() if v)}"]
    table = []
    for corpus in raw["long"].get("corpora", []):
        for row in corpus["rows"]:
            tflops = training_tflops(row)
            share = "–" if tflops is None or not peak else (
                f"{100 * tflops / peak['float32']:.2f} / {100 * tflops / peak['tf32']:.3f}")
            table.append([row["contender"], row["training"], f"{row['fit_s']:.1f}", row["epochs_run"],
                          f"{row['epoch1_s']:.2f}", "–" if row["median_epoch_s"] is None else f"{row['median_epoch_s']:.2f}",
                          "–" if not row["median_epoch_s"] else f"{row['trained_docs'] / row['median_epoch_s']:,.0f}",
                          f"{row['predict_docs_per_s']:,.0f}", f"{row['single_median_ms']:.1f}",
                          "–" if tflops is None else f"{tflops:.3f}", share, f"{row['macro_f1']:.3f}"])
    corpus = raw["long"]["corpora"][0] if raw["long"].get("corpora") else None
    scale = raw["scale"]
    scale_table = [[stage["stage"], f"{stage['seconds']:.1f}", f"{scale['n_docs'] / stage['seconds']:,.0f}"]
                   for stage in scale.get("rows", [])]
    body = [
        "# Speed on a GPU: long documents and 700,000 documents", "",
        "Reproduce: `KERAS_BACKEND=jax python benchmarks/bench_gpu.py` on a machine with an NVIDIA GPU", "",
        *lines, "",
        "## Long documents (bench_speed.py's 'long' section, synthetic corpus)", "",
    ]
    if corpus:
        body += [f"{corpus['n_train']:,} training and {corpus['n_test']:,} test documents, "
                 f"{corpus['n_classes']} classes; tokens per document: median "
                 f"{corpus['length_percentiles']['50']:.0f}, 95th percentile {corpus['length_percentiles']['95']:.0f}, "
                 f"longest {corpus['length_percentiles']['100']:.0f}.", ""]
    body += markdown_table(["contender", "training batches", "fit s", "epochs", "epoch 1 s", "epoch s (median of 2..)",
                            "training docs/s", "predict docs/s", "1-document predict ms",
                            "useful training TFLOP/s (estimate)", "% of float32 / TF32 peak", "test macro-F1"],
                           table)
    body += ["", "## 700,000 documents (bench_speed.py's 'scale' section: default LSTM, one epoch)", "",
             f"Sequence length {scale.get('sequence_length')}, training batches: {scale.get('training')}.", ""]
    body += markdown_table(["stage", "seconds", "documents/s"], scale_table)
    from bench_speed import stale_lines

    stale = stale_lines({"scale (GPU)": {"section": "scale", "commit": raw.get("commit")}})
    if stale:
        body += ["", *stale[:-1]]  # without its closing blank line
    for earlier in raw.get("earlier", []):
        body += ["", f"An earlier run ({earlier['date']}, commit {earlier['commit']}), for comparison:", ""]
        body += markdown_table(["contender", "training batches", "fit s", "epoch 1 s", "epoch s (median of 2..)",
                                "test macro-F1"],
                               [[row["contender"], row["training"], f"{row['fit_s']:.1f}", f"{row['epoch1_s']:.2f}",
                                 f"{row['median_epoch_s']:.2f}", f"{row['macro_f1']:.3f}"]
                                for corpus in earlier["long"].get("corpora", []) for row in corpus["rows"]])
    buckets = raw.get("buckets")
    if buckets and buckets.get("rows"):
        body += ["", "## Length buckets on the GPU", "",
                 f"{buckets['date']}, commit {buckets['commit']}, {buckets['device']['device_kind']}: the default "
                 f"LSTM on {buckets['n_docs']:,} documents of the long-tailed synthetic corpus (padded to "
                 f"{buckets['max_len']} tokens), {BUCKET_EPOCHS} epochs without early stopping, in length buckets "
                 "and at full width. The first epoch compiles one step function per reading width."
                 + (f" The section did not finish: {buckets['status']}." if buckets.get("status") else ""), ""]
        body += markdown_table(["model", "bucket_by_length", "fit s", "epoch 1 s", "later epochs s (median)"],
                               [[row["model"], row["bucket_by_length"], f"{row['fit_s']:.1f}", f"{row['epoch1_s']:.2f}",
                                 f"{row['median_epoch_s']:.2f}"] for row in buckets["rows"]])
    if peak:
        body += ["", f"Peaks (datasheet, dense): {peak['float32']} TFLOP/s float32, {peak['tf32']} TF32, "
                 f"{peak['bfloat16']} bfloat16. The TFLOP/s column counts only the multiply-adds of the convolution, "
                 "recurrent and attention kernels on real tokens (padding excluded), forward and backward, over the "
                 "median epoch time (see the module docstring); the n-gram model's embedding sums have none, hence '–'."]
    (RESULTS / "gpu.md").write_text("\n".join(body) + "\n")
    print("\n".join(body))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--table-only", action="store_true", help="re-render gpu.md from gpu.json")
    parser.add_argument("--out-dir", default=str(RESULTS), help="where the sections' raw rows go")
    parser.add_argument("--sections", default=",".join(SECTIONS), help=f"comma-separated, of {', '.join(SECTIONS)}")
    parser.add_argument("--worker", choices=["buckets"], help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--bucket-docs", type=int, default=BUCKET_DOCS, help=argparse.SUPPRESS)
    parser.add_argument("--section-timeout", type=float, default=None, help="stop a section after this many seconds")
    args = parser.parse_args()
    if args.worker:
        run_buckets(args.bucket_docs, args.out)
        return 0
    if args.table_only:
        render(json.loads(RAW.read_text()))
        return 0
    import datetime

    from bench_speed import source_commit

    run = {"date": datetime.date.today().isoformat(), "commit": source_commit(), "device": device_facts()}
    if run["device"]["platform"] != "gpu":
        # run_all.py runs every benchmark, also where there is no GPU: the last GPU run's table stays.
        print(f"no GPU here (JAX's first device is {run['device']['device_kind']!r}): nothing run; "
              f"{RESULTS / 'gpu.md'} keeps its last run.")
        return 0
    sections = args.sections.split(",")
    previous = json.loads(RAW.read_text()) if RAW.exists() else {}
    if "long" in sections and previous:
        # A new long-document run replaces the table's main rows; the earlier runs stay on record below.
        raw = {**run, "earlier": [*previous.pop("earlier", []), {k: v for k, v in previous.items() if k != "buckets"}]}
        if "buckets" in previous:
            raw["buckets"] = previous["buckets"]
    else:
        raw = previous or dict(run)
    for section in sections:
        # Each section keeps the date, commit and device of the run that produced it.
        raw[section] = {**run_section(section, args.out_dir, args.section_timeout), **run}
        (Path(args.out_dir) / "gpu.json").write_text(json.dumps(raw, indent=1))
    RAW.write_text(json.dumps(raw, indent=1))
    render(raw)
    return 0


if __name__ == "__main__":
    sys.exit(main())
