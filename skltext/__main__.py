"""``python -m skltext``: the ``skltext`` command."""

import os
import sys

# Quiet TensorFlow's start-up messages; this must happen before it is imported.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from skltext.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
