"""The plugin manager: hook specs, third-party plugins from entry points, then the built-ins."""

from __future__ import annotations

import traceback
from collections.abc import Iterable

import pluggy

from patchlint import PROJECT, hookimpl, hookspecs
from patchlint.rule import Rule, Violation


class PluginError(Exception):
    """A plugin provides something unusable (a duplicate rule code, a rule without a name …)."""


@hookimpl(trylast=True)
def patchlint_run_rule(rule: Rule, target: object) -> list[Violation]:
    """Run ``rule.check(target)``; an exception becomes a violation of that rule, not a crash."""
    try:
        return list(rule.check(target))
    except Exception as exc:  # one broken rule must not stop the others
        posting = getattr(target, "anchor", target)
        where = traceback.extract_tb(exc.__traceback__)[-1]
        return [
            rule.violation(
                posting,  # type: ignore[arg-type]
                f"internal error in rule: {type(exc).__name__}: {exc} "
                f"({where.filename}:{where.lineno}); please report it",
            )
        ]


def make_plugin_manager(extra: Iterable[object] = ()) -> pluggy.PluginManager:
    """Build one engine's plugin manager.

    Specs first, then plugins from the ``patchlint`` entry-point group, then ``extra`` plugin
    objects (tests, embedding applications), then the built-in readers and rules, all through the
    same hooks; finally every implementation is checked against its spec.
    """
    from patchlint import checks
    from patchlint.readers import BUILTIN_READERS
    from patchlint.report import builtin_writers

    manager = pluggy.PluginManager(PROJECT)
    manager.add_hookspecs(hookspecs)
    manager.load_setuptools_entrypoints(PROJECT)
    for plugin in extra:
        manager.register(plugin)
    for module in (*BUILTIN_READERS, checks):
        manager.register(module, name=f"{PROJECT}.builtin.{module.__name__.rsplit('.', 1)[-1]}")
    for module in builtin_writers():  # named apart: the patchwork reader and writer are two plugins
        manager.register(module, name=f"{PROJECT}.builtin.report.{module.__name__.rsplit('.', 1)[-1]}")
    manager.register(__import__(__name__, fromlist=["_"]), name=f"{PROJECT}.builtin.run_rule")
    manager.check_pending()
    return manager


def collect_rules(manager: pluggy.PluginManager) -> list[type[Rule]]:
    """Every rule class the plugins provide, checked for unique, well-formed codes and names."""
    rules: list[type[Rule]] = []
    codes: dict[str, type[Rule]] = {}
    names: dict[str, type[Rule]] = {}
    for provided in manager.hook.patchlint_rules():
        for rule in provided:
            if not (isinstance(rule, type) and issubclass(rule, Rule)):
                raise PluginError(f"patchlint_rules returned {rule!r}, which is not a Rule class")
            if not rule.code or not rule.name:
                raise PluginError(f"rule {rule.__qualname__} has no code or no name")
            for key, seen in ((rule.code, codes), (rule.name, names)):
                if key in seen and seen[key] is not rule:
                    raise PluginError(
                        f"rule {key!r} is provided twice: {seen[key].__module__} and {rule.__module__}"
                    )
                seen[key] = rule
            if rule not in rules:
                rules.append(rule)
    return sorted(rules, key=lambda r: r.code)
