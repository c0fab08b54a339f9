"""The hooks a patchlint plugin can implement.

A plugin is a module or object with functions marked ``@patchlint.hookimpl`` whose names are those
below; it is found through the ``patchlint`` entry-point group (``[project.entry-points.patchlint]``
in its pyproject.toml). The built-in readers and rules use these same hooks.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, TextIO

from patchlint import hookspec

if TYPE_CHECKING:
    from patchlint.config import Config
    from patchlint.report import Results
    from patchlint.model.message import RawMessage
    from patchlint.rule import Rule, Violation
    from patchlint.readers.source import Source


@hookspec(firstresult=True)
def patchlint_read_source(source: Source) -> Iterator[RawMessage] | None:
    """Read ``source`` into raw messages, if this reader recognises it.

    Look at ``source.head`` (the first bytes of a file; empty for a directory), ``source.path`` and
    ``source.is_dir``; return None when the source is not yours, otherwise an iterator of
    :class:`~patchlint.model.message.RawMessage`. Read lazily: an archive can be larger than memory. A
    container reader (a directory, an archive) reads its members with ``source.read_nested(path)``,
    which asks this hook again. A part you cannot read becomes a RawMessage with ``error`` set.

    Stops at the first non-None result. The built-in readers are ``trylast`` so yours come first.
    """


@hookspec
def patchlint_rules() -> Iterable[type[Rule]]:
    """Return the rule classes this plugin provides.

    Each is a :class:`~patchlint.rule.Rule` subclass with a unique ``code`` and ``name``; the
    configuration decides which of them run. All plugins' results are combined.
    """


@hookspec(historic=True)
def patchlint_configure(config: Config) -> None:
    """Called with each configuration the engine loads, before it judges anything with it.

    That is the user's configuration, or, when none is given, each built-in profile the run
    chooses for some posting (the default one when the engine is built, others when a posting
    first asks for them). Historic: a plugin registered later still receives the calls. Use it
    to read your own settings (``config.settings``) or to prepare state held on your plugin object.
    """


@hookspec(firstresult=True)
def patchlint_run_rule(rule: Rule, target: object) -> list[Violation] | None:
    """Run one configured rule on one target (a Posting or a Series) and return its violations.

    Stops at the first non-None result. The built-in implementation calls ``rule.check(target)``
    and turns an exception into a violation of that rule, so one failing rule never stops the
    others. Wrap this hook (``hookwrapper=True`` or ``wrapper=True``) to time rules, suppress
    violations, or add context.
    """


@hookspec
def patchlint_report_formats() -> Mapping[str, str]:
    """Announce the report formats this plugin writes: ``{name: one-line description}``.

    ``patchlint check --format NAME[=FILE]`` (and ``pytest --patchlint-format``) accepts the
    names announced here, and refuses others before anything is read. A name announced twice is
    the first plugin's (yours come before the built-ins).
    """


@hookspec
def patchlint_report_check(format: str, options: Mapping[str, object]) -> None:
    """Check, before anything is read, that the report ``format`` can be written with ``options``.

    Called once per ``--format`` asked for, right after the names are known to be announced. A
    writer of ``format`` raises :class:`~patchlint.report.ReportError` saying what is missing (an
    optional dependency, an option's file that cannot be read), so that a long run does not end
    in that error; it ignores formats that are not its own. ``options`` are the writers'
    settings from the command line, as :attr:`Results.options <patchlint.report.Results>` has them.
    """


@hookspec(firstresult=True)
def patchlint_report(results: Results, format: str, out: TextIO) -> bool | None:
    """Write the report ``format`` of one run's ``results`` to ``out``, if the format is yours.

    Return None for a format that is not yours, True once written. ``results`` is a
    :class:`~patchlint.report.Results`: every outcome of the run in order (each message read,
    then each series, with its status, profile, rules and violations), the counts
    (``results.report``), the rule catalogue (``results.rules``) and the ``--fail-on``
    threshold. ``out`` is a text stream (standard output, or a file patchlint renames into
    place only once you return). Only format what you are given: the engine has already run
    every check. Called once per ``--format`` given, after the run; stops at the first non-None
    result, and the built-in writers (``json``, ``sarif``, ``checkpatch`` …) are ordinary
    implementations of it.
    """
