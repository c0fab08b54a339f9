"""The built-in rules, registered through the ``patchlint_rules`` hook like any plugin's; each
family module of this package (subject, series, trailers …) holds the rules of one family."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

from patchlint import hookimpl
from patchlint.rule import Rule


def _family_rules() -> tuple[type[Rule], ...]:
    """Every rule class a family module of this package defines (a class of its own with a
    ``code``), in code order: adding a rule touches its family module, its example mails and
    the README's row, and nothing here."""
    found: list[type[Rule]] = []
    for module_info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        found.extend(
            obj for obj in vars(module).values()
            if inspect.isclass(obj) and issubclass(obj, Rule) and obj.__module__ == module.__name__
            and "code" in vars(obj)
        )
    return tuple(sorted(found, key=lambda rule: rule.code))


BUILTIN_RULES: tuple[type[Rule], ...] = _family_rules()


@hookimpl
def patchlint_rules() -> tuple[type[Rule], ...]:
    """The rules that ship with patchlint."""
    return BUILTIN_RULES
