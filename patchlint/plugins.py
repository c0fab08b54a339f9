"""The plugin manager: hook specs, third-party plugins from entry points, then the built-ins."""

from __future__ import annotations

import dataclasses
import hashlib
import importlib
import importlib.util
import inspect
import re
import traceback
from collections.abc import Iterable
from types import ModuleType

import pluggy

from patchlint import PROJECT, hookimpl, hookspecs
from patchlint.config import ConfigError, PluginEntry
from patchlint.model.kind import Kind
from patchlint.rule import DOC_SECTIONS, Rule, Scope, Violation

# A code is a prefix of capitals and three digits (flake8's and ruff's shape). patchlint's own
# families are PL0xx-PL8xx; PL9xx is left to a project's local rules, other prefixes to plugins.
_CODE = re.compile(r"[A-Z]{1,4}[0-9]{3}")
_NAME = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
_BUILTIN_MODULES = "patchlint.checks"


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


def load_plugins(entries: Iterable[PluginEntry], trusted: bool = True) -> list[ModuleType]:
    """Import the modules a configuration's ``plugins:`` name, to register as plugins.

    A file is imported from its path (relative to the configuration that names it) under a name
    of its own, without touching ``sys.path``; a module name is imported as Python would. Whatever
    goes wrong — no such file, a syntax error, an exception at import — is a configuration error
    at the entry's line. ``trusted`` is False for a configuration patchlint found rather than one
    the user named: its plugins are refused, since they would be code from the checked tree.
    """
    modules: list[ModuleType] = []
    loaded: set[str] = set()
    for entry in entries:
        where = str(entry.file)
        key = str((entry.file.parent / entry.target).resolve()) if entry.is_file else entry.target
        if key in loaded:  # named by a configuration and by the one it extends: load it once
            continue
        loaded.add(key)
        if not trusted:
            raise ConfigError(
                where, entry.line,
                f"names the plugin {entry.target!r}, and patchlint runs no code from the tree it "
                f"checks: name this file with --config to load its plugins",
            )
        try:
            if entry.is_file:
                file = (entry.file.parent / entry.target).resolve()
                if not file.is_file():
                    raise ConfigError(where, entry.line, f"plugin file {file} does not exist")
                digest = hashlib.sha1(str(file).encode()).hexdigest()[:12]
                spec = importlib.util.spec_from_file_location(f"patchlint_local_{file.stem}_{digest}", file)
                assert spec is not None and spec.loader is not None
                module = importlib.util.module_from_spec(spec)
                spec.loader.exec_module(module)
            else:
                module = importlib.import_module(entry.target)
        except ConfigError:
            raise
        except Exception as exc:  # noqa: BLE001 - a plugin's import may raise anything
            raise ConfigError(
                where, entry.line, f"plugin {entry.target!r} cannot be loaded: {type(exc).__name__}: {exc}"
            ) from None
        modules.append(module)
    return modules


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


def rule_problems(rule: type[Rule]) -> list[str]:
    """What is wrong with a rule class as a rule: the same checks for built-in and third-party
    rules (a rule users cannot select, configure or read about is not a rule yet)."""
    problems: list[str] = []
    if not _CODE.fullmatch(rule.code or ""):
        problems.append(f"code {rule.code!r} is not a prefix of capitals and three digits (e.g. 'XY101')")
    elif rule.code.startswith("PL") and rule.code[2] != "9" and not rule.__module__.startswith(_BUILTIN_MODULES):
        problems.append(f"code {rule.code!r} is in patchlint's own range: use PL9xx for local rules or a prefix of your own")
    if not _NAME.fullmatch(rule.name or ""):
        problems.append(f"name {rule.name!r} is not kebab-case (e.g. 'no-shouting')")
    if not isinstance(rule.scope, Scope):
        problems.append(f"scope {rule.scope!r} is not a patchlint.Scope")
    if not (isinstance(rule.kinds, frozenset) and all(isinstance(k, Kind) for k in rule.kinds)):
        problems.append("kinds is not a frozenset of patchlint.Kind")
    doc = inspect.getdoc(rule) if rule.__doc__ else ""
    if not rule.summary().endswith("."):
        problems.append("the docstring does not start with a one-sentence summary ending in '.'")
    missing = [s for s in DOC_SECTIONS if not re.search(rf"^{s}:$", doc or "", re.MULTILINE)]
    if missing:
        problems.append(f"the docstring lacks the section(s) {', '.join(repr(s + ':') for s in missing)}")
    options = rule.Options
    if not (dataclasses.is_dataclass(options) and options.__dataclass_params__.frozen):  # type: ignore[attr-defined]
        problems.append("Options is not a frozen dataclass (@dataclass(frozen=True))")
    else:
        try:
            specs = rule.option_specs()
        except (NameError, TypeError) as exc:  # an annotation that does not resolve
            problems.append(f"the Options annotations cannot be read: {exc}")
        else:
            for spec in specs:
                if spec.key not in (doc or ""):
                    problems.append(f"option {spec.key!r} is not documented")
    return problems


def collect_rules(manager: pluggy.PluginManager) -> list[type[Rule]]:
    """Every rule class the plugins provide, checked for unique, well-formed codes and names and
    for what makes a rule usable (:func:`rule_problems`); the first unusable rule is refused with
    everything that is wrong with it."""
    rules: list[type[Rule]] = []
    codes: dict[str, type[Rule]] = {}
    names: dict[str, type[Rule]] = {}
    for provided in manager.hook.patchlint_rules():
        for rule in provided:
            if not (isinstance(rule, type) and issubclass(rule, Rule)):
                raise PluginError(f"patchlint_rules returned {rule!r}, which is not a Rule class")
            problems = rule_problems(rule)
            if problems:
                raise PluginError(
                    f"rule {rule.__qualname__} (from {rule.__module__}) cannot be registered: "
                    + "; ".join(problems)
                )
            for key, seen in ((rule.code, codes), (rule.name, names)):
                if key in seen and seen[key] is not rule:
                    raise PluginError(
                        f"rule {key!r} is provided twice: {seen[key].__module__} and {rule.__module__}"
                    )
                seen[key] = rule
            if rule not in rules:
                rules.append(rule)
    return sorted(rules, key=lambda r: r.code)
