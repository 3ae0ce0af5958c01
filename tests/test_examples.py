"""The examples run (in their small mode) so they cannot rot."""

import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.mark.estimator
def test_quickstart_runs():
    """Check that the README's quickstart example runs and prints three scores."""
    result = subprocess.run([sys.executable, str(EXAMPLES / "quickstart.py"), "--small"],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.count("macro-F1") == 3
