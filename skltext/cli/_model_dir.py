"""Training one model on all rows, and the model folder that ``train`` writes and ``predict`` reads.

The folder holds what :func:`skltext.save_model` writes plus ``training.json``:
the model's name, the columns it was trained on, the target type and, for
multi-label targets, the label names, which the saved estimator (trained on a
0/1 matrix) does not know.
"""

import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from ._common import UsageError, command_line

__all__ = ["fit_model", "fit_and_save", "save_model_dir", "read_training_info", "load_model_dir", "TRAINING_INFO"]

TRAINING_INFO = "training.json"
_MODEL_DESCRIPTION = "skltext.json"  # written by save_model


def fit_model(name, texts, labels, groups=None, *, imbalance="none", tune_thresholds=False, params=None,
              seed=0, verbose=0):
    """Fit the model ``name`` of :func:`skltext.compare.make_model` on every row.

    Returns
    -------
    estimator : fitted pipeline (or ThresholdOptimizer around one)
    info : dict
        What ``training.json`` records.
    """
    import numpy as np
    from sklearn.model_selection import GroupKFold

    from .._recipes import make_model
    from .._target import encode_labels
    from ..thresholds import ThresholdOptimizer

    documents = np.empty(len(texts), dtype=object)
    documents[:] = list(texts)
    y, target_type, classes = encode_labels(labels)
    params = dict(params or {})
    try:
        estimator = make_model(name, target_type=target_type, imbalance=imbalance, random_state=seed,
                               params=params)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    classifier = estimator.steps[-1][1]
    if type(classifier).__module__.startswith("skltext.") and "verbose" in classifier.get_params():
        classifier.set_params(verbose=params.get("verbose", 2 if verbose >= 2 else 0))
    fit_params = {}
    if tune_thresholds:
        cv = GroupKFold(3) if groups is not None else 3
        estimator = ThresholdOptimizer(estimator, cv=cv, random_state=seed)
        if groups is not None:
            fit_params["groups"] = groups
    estimator.fit(documents, y, **fit_params)
    info = {"model": name, "target_type": target_type, "classes": [str(c) for c in classes],
            "documents": len(documents), "imbalance": imbalance, "tune_thresholds": tune_thresholds,
            "params": {key: repr(value) for key, value in params.items()}, "seed": seed}
    network = _with_history(estimator)
    if network is not None:
        info["epochs"] = {"kept": int(network.best_epoch_), "run": int(network.n_iter_)}
    return estimator, info


def fit_and_save(name, texts, labels, groups, args, argv, *, data, params, out):
    """Fit ``name`` on every row with the fitting options of ``args``, save it into ``out`` and say so."""
    start = time.perf_counter()
    try:
        estimator, info = fit_model(name, texts, labels, groups, imbalance=args.imbalance,
                                    tune_thresholds=args.tune_thresholds, params=params, seed=args.seed,
                                    verbose=args.verbose)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    info.update(text_column=args.text or "text", label_column=args.label, data=data,
                seconds=round(time.perf_counter() - start, 1), command=command_line(argv))
    files = save_model_dir(estimator, info, out)
    print_saved(info, str(out).rstrip("/"), files)


def _with_history(estimator):
    from ..plotting import model_with_history

    try:
        return model_with_history(estimator)
    except ValueError:
        return None


def save_model_dir(estimator, info, out):
    """Save into ``out`` through a temporary folder renamed at the end: never a half-written model folder.

    An existing model folder is replaced; any other non-empty folder is refused.
    """
    from ..persistence import save_model

    out = Path(out)
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / _MODEL_DESCRIPTION).exists())):
        raise UsageError(f"{out} exists and is not a model folder; give a new folder name (or an old model "
                         "folder, which is replaced).")
    out.parent.mkdir(parents=True, exist_ok=True)
    temporary = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".partial", dir=out.parent))
    old = None
    try:
        save_model(estimator, temporary)
        (temporary / TRAINING_INFO).write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
        if out.exists():
            old = out.with_name(f".{out.name}.old-{os.getpid()}")
            os.replace(out, old)
        os.replace(temporary, out)
    finally:
        shutil.rmtree(temporary, ignore_errors=True)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    return sorted(path.name for path in out.iterdir())


def read_training_info(model_dir):
    """``training.json`` of a model folder (empty for a folder that save_model wrote alone); checked early."""
    model_dir = Path(model_dir)
    if not model_dir.is_dir():
        raise UsageError(f"{model_dir}: no such model folder (skltext train writes one).")
    if not (model_dir / _MODEL_DESCRIPTION).is_file():
        raise UsageError(f"{model_dir} is not a model folder: it has no {_MODEL_DESCRIPTION} (skltext train "
                         "writes one).")
    path = model_dir / TRAINING_INFO
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def load_model_dir(model_dir):
    """The saved estimator; a folder from another skltext version is refused with load_model's message."""
    from ..exceptions import ModelVersionError
    from ..persistence import load_model

    try:
        return load_model(model_dir)
    except (ModelVersionError, ValueError) as exc:
        raise UsageError(str(exc)) from None


def describe_training(info, out, files):
    """The lines ``train`` prints: what was saved, and a one-line summary."""
    classes = info["classes"]
    kind = "labels" if info["target_type"] == "multilabel-indicator" else "classes"
    shown = ", ".join(classes[:8]) + (", ..." if len(classes) > 8 else "")
    summary = f"{info['model']}: {len(classes)} {kind} ({shown}), {info['documents']} documents"
    if "epochs" in info:
        summary += f", epochs kept {info['epochs']['kept']} of {info['epochs']['run']} run"
    if info.get("tune_thresholds"):
        summary += ", thresholds tuned"
    return f"Saved {out}/ ({', '.join(files)})\n{summary}"


def print_saved(info, out, files):
    print(describe_training(info, out, files))
    sys.stdout.flush()
