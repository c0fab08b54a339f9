"""patchlint: lint and conformance checks for patch postings, reported as pytest results.

Plugins implement the hooks in :mod:`patchlint.hookspecs` with :data:`hookimpl`::

    from patchlint import Rule, Scope, Violation, hookimpl

    @hookimpl
    def patchlint_rules():
        return [MyRule]

Everything a plugin author needs is importable from here; the names are loaded on first use, so
importing :mod:`patchlint` (as the pytest entry point does in every pytest run) stays cheap.

(PYTEST_DONT_REWRITE: the ``patchlint`` command imports this package before it starts pytest,
and patchlint has no test asserts for pytest to rewrite.)
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

import pluggy

__version__ = "0.1.0"

PROJECT = "patchlint"

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)

# The plugin author's API: name -> the module that defines it.
_API = {
    "Rule": "patchlint.rule",
    "Scope": "patchlint.rule",
    "Severity": "patchlint.rule",
    "Violation": "patchlint.rule",
    "NoOptions": "patchlint.rule",
    "Config": "patchlint.config",
    "ConfigError": "patchlint.config",
    "Engine": "patchlint.engine",
    "Posting": "patchlint.model.posting",
    "Kind": "patchlint.model.posting",
    "Series": "patchlint.model.series",
    "RawMessage": "patchlint.model.message",
    "Source": "patchlint.readers.source",
}

if TYPE_CHECKING:
    from patchlint.config import Config, ConfigError
    from patchlint.engine import Engine
    from patchlint.model.message import RawMessage
    from patchlint.model.posting import Kind, Posting
    from patchlint.model.series import Series
    from patchlint.readers.source import Source
    from patchlint.rule import NoOptions, Rule, Scope, Severity, Violation


def __getattr__(name: str) -> Any:
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'patchlint' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


def __dir__() -> list[str]:
    return sorted([*globals(), *_API])


__all__ = ["PROJECT", "__version__", "hookimpl", "hookspec", *_API]
