"""patchlint: lint and conformance checks for patch postings, reported as pytest results.

Plugins implement the hooks in :mod:`patchlint.hookspecs` with :data:`hookimpl`::

    from patchlint import hookimpl

    @hookimpl
    def patchlint_rules():
        return [MyRule]

(PYTEST_DONT_REWRITE: the ``patchlint`` command imports this package before it starts pytest,
and patchlint has no test asserts for pytest to rewrite.)
"""

import pluggy

__version__ = "0.1.0"

PROJECT = "patchlint"

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)

__all__ = ["PROJECT", "__version__", "hookimpl", "hookspec"]
