"""The examples run (in their small mode) so they cannot rot."""

import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


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


def test_readme_feature_examples_run():
    """Check that the README's other code blocks (search, thresholds, resampling set-ups) run."""
    readme = (EXAMPLES.parent / "README.md").read_text()
    quickstart = readme.split("## Quickstart", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    blocks = [block.split("```", 1)[0] for block in readme.split("```python\n")[1:]]
    blocks = [block for block in blocks if block != quickstart]
    assert len(blocks) >= 3
    result = subprocess.run([sys.executable, "-c", "\n".join(blocks)], capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "out-of-fold F1 per label" in result.stdout
