"""Where the examples find the public corpora (read in place, never downloaded)."""

import os
import sys
from pathlib import Path

from skltext.datasets import load_jsonl_corpus

DEFAULT_DATA_DIR = Path(__file__).resolve().parents[2] / "shared" / "data"


def load_corpus(name):
    """Load ``<name>.jsonl.gz`` from $SKLTEXT_DATA_DIR, else ../shared/data beside the repository."""
    folder = Path(os.environ.get("SKLTEXT_DATA_DIR") or DEFAULT_DATA_DIR)
    path = folder / f"{name}.jsonl.gz"
    if not path.exists():
        sys.exit(f"{path} not found: set SKLTEXT_DATA_DIR to the folder that holds {name}.jsonl.gz")
    return load_jsonl_corpus(path)
