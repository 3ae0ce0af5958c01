"""On a GPU: the long-document and 700,000-document speed sections, set against the chip's peak.

    KERAS_BACKEND=jax python benchmarks/bench_gpu.py                # on a machine with an NVIDIA GPU
    python benchmarks/bench_gpu.py --table-only

Runs two sections of bench_speed.py under JAX on the machine's first GPU,
each in its own process: 'long' (the synthetic long-tailed corpus only; the
shared corpus is not on such machines) and 'scale' (700,000 documents through
tokenize, one training epoch of the default LSTM and predict). It writes
benchmarks/results/gpu.json and gpu.md.

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
from pathlib import Path

from _common import RESULTS, markdown_table

RAW = RESULTS / "gpu.json"
SECTIONS = {"long": ["--shared-docs", "0"], "scale": ["--scale-docs", "700000"]}
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


def run_section(section, out_dir):
    out = Path(out_dir) / f"{section}.json"
    command = [sys.executable, str(Path(__file__).resolve().parent / "bench_speed.py"), "--worker", section,
               "--backend", "jax", "--out", str(out), *SECTIONS[section]]
    code = subprocess.call(command, cwd=Path(__file__).resolve().parent)
    return json.loads(out.read_text()) if code == 0 and out.exists() else {"status": f"failed (exit {code})"}


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
    for earlier in raw.get("earlier", []):
        body += ["", f"An earlier run ({earlier['date']}, commit {earlier['commit']}), for comparison:", ""]
        body += markdown_table(["contender", "training batches", "fit s", "epoch 1 s", "epoch s (median of 2..)",
                                "test macro-F1"],
                               [[row["contender"], row["training"], f"{row['fit_s']:.1f}", f"{row['epoch1_s']:.2f}",
                                 f"{row['median_epoch_s']:.2f}", f"{row['macro_f1']:.3f}"]
                                for corpus in earlier["long"].get("corpora", []) for row in corpus["rows"]])
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
    args = parser.parse_args()
    if args.table_only:
        render(json.loads(RAW.read_text()))
        return 0
    import datetime

    from bench_speed import source_commit

    raw = {"date": datetime.date.today().isoformat(), "commit": source_commit(), "device": device_facts()}
    if raw["device"]["platform"] != "gpu":
        parser.error(f"no GPU: JAX's first device is {raw['device']['device_kind']!r}")
    for section in SECTIONS:
        raw[section] = run_section(section, args.out_dir)
        (Path(args.out_dir) / "gpu.json").write_text(json.dumps(raw, indent=1))
    if RAW.exists():
        # Runs on other commits or chips stay on record: the table lists them below the new one.
        previous = json.loads(RAW.read_text())
        raw["earlier"] = [*previous.pop("earlier", []), previous]
    RAW.write_text(json.dumps(raw, indent=1))
    render(raw)
    return 0


if __name__ == "__main__":
    sys.exit(main())
