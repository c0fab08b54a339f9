"""``python -m patchlint`` runs the command line."""

import os
import sys

# `python -m` puts the current directory first on sys.path; a checked tree there (a pytest.py,
# a yaml.py …) must never be imported in place of patchlint's dependencies. patchlint itself is
# already imported by now.
if sys.path and sys.path[0] in ("", os.getcwd()):
    del sys.path[0]

from patchlint.cli import main  # noqa: E402

sys.exit(main())
