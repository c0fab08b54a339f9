"""The built-in readers, one module per source format.

Each module implements :func:`patchlint.hookspecs.patchlint_read_source` as a ``trylast`` hook, so
a third-party reader registered through the ``patchlint`` entry-point group is asked first.
"""

from patchlint.readers import directory, maildir, mbox, patchwork, single

# Registration order matters among trylast hooks (last registered is asked first): the catch-all
# single-message reader must be asked last.
BUILTIN_READERS = (single, mbox, patchwork, directory, maildir)

__all__ = ["BUILTIN_READERS"]
