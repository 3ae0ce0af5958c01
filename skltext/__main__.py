"""``python -m skltext``: the ``skltext`` command."""

import sys

from skltext.cli import main

if __name__ == "__main__":
    sys.exit(main())
