"""The examples run (in their small mode) so they cannot rot."""

import runpy
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import SHARED_DATA

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

# Each story example and lines its output must contain.
STORY_EXAMPLES = {
    "small_data_many_classes.py": ["18 classes", "One 80/20 split", "CNN, defaults", "TF-IDF + logistic regression",
                                   "CNN, class_weight='balanced_log'", "DeepLinearClassifier (CNN + LR vote)",
                                   "PR-AUC", "Best macro-F1 with skltext"],
    "many_classes_search.py": ["TF-IDF + linear SVM (baseline)", "LSTM, defaults", "best of the halving search",
                               "Best settings", "bootstrap interval"],
    "wrong_head_nine_classes.py": ["sigmoid + categorical cross-entropy", "refuses", "focal loss",
                                   "class_weight='balanced_log'", "Best CNNClassifier", "Per-class report",
                                   "Confusion matrix written"],
    "multilabel_stuck_accuracy.py": ["softmax + categorical cross-entropy", "word2vec on", "micro-F1", "PR-AUC",
                                     "per-tag thresholds", "CNN, threshold 0.5", "n-gram, per-tag thresholds",
                                     "n-gram + TF-IDF vote, per-tag thresholds", "SVM, per-tag thresholds",
                                     "best macro-F1"],
    "long_tail_overfitting.py": ["mask_zero=True", "last-epoch weights", "balanced_log", "best-epoch weights",
                                 "NgramClassifier", "linear baseline"],
}

# Every story example scores the same linear baseline on its own split or folds, for scale.
BASELINE = "TF-IDF + linear SVM"


def test_quickstart_runs():
    """Check that the README's quickstart example runs and prints three scores."""
    result = subprocess.run([sys.executable, str(EXAMPLES / "quickstart.py"), "--small"],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.count("macro-F1") == 3


def test_readme_quickstart_runs():
    """Check that the README's quickstart code block runs as written."""
    readme = (EXAMPLES.parent / "README.md").read_text()
    code = readme.split("## Quickstart", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.startswith("macro-F1 ")


def test_guide_examples_run():
    """Check that the user guide's code blocks (search, thresholds, resampling set-ups) run."""
    guide = (EXAMPLES.parent / "docs" / "user_guide.md").read_text()
    blocks = [block.split("```", 1)[0] for block in guide.split("```python\n")[1:]]
    # The multi-machine set-up needs a Dask scheduler; tests/test_parallel.py runs it on a local cluster.
    blocks = [block for block in blocks if "scheduler-host" not in block]
    assert len(blocks) >= 5
    result = subprocess.run([sys.executable, "-c", "\n".join(blocks)], capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "out-of-fold F1 per label" in result.stdout
    assert "same predictions after load_model: True" in result.stdout


# Minutes each; in-process, so the Keras networks they train need the estimator marker.
@pytest.mark.slow
@pytest.mark.estimator
@pytest.mark.skipif(not SHARED_DATA.is_dir(), reason=f"real corpora not found at {SHARED_DATA}")
@pytest.mark.parametrize("script", sorted(STORY_EXAMPLES))
def test_story_example_runs(script, tmp_path, monkeypatch, capsys):
    """Check that each story example runs on its real corpus in --small mode and prints its comparison.

    The comparison includes the TF-IDF + linear SVM baseline in every example.
    """
    # In-process: the examples import their corpus helper from examples/, and TensorFlow loads once.
    monkeypatch.syspath_prepend(str(EXAMPLES))
    monkeypatch.setenv("SKLTEXT_DATA_DIR", str(SHARED_DATA))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", [script, "--small"])
    runpy.run_path(str(EXAMPLES / script), run_name="__main__")
    output = capsys.readouterr().out
    for fragment in [*STORY_EXAMPLES[script], BASELINE]:
        assert fragment in output
