"""``python -m patchlint`` runs the command line."""

import sys

from patchlint.cli import main

sys.exit(main())
