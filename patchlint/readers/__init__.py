"""The built-in readers, one module per source format.

Each module implements :func:`patchlint.hookspecs.patchlint_read_source` as a ``trylast`` hook, so
a third-party reader registered through the ``patchlint`` entry-point group is asked first.
"""

from patchlint.readers import directory, maildir, mbox, patchwork, publicinbox, single

# Registration order matters among trylast hooks: pluggy puts each new trylast implementation in
# front of the earlier ones and calls them back to front, so the first registered is asked first.
# The Maildir and public-inbox readers must come before the plain directory reader (each reads
# a kind of directory), and the catch-all single-message reader must be asked last.
BUILTIN_READERS = (maildir, publicinbox, directory, patchwork, mbox, single)

__all__ = ["BUILTIN_READERS"]
