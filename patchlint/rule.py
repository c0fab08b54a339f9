"""Rules: the base class every check derives from, and the records they produce."""

from __future__ import annotations

import enum
import inspect
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from patchlint.model.posting import Kind, Posting
from patchlint.model.series import Series
from patchlint.options import OptionSpec, option_specs, with_options_section

if TYPE_CHECKING:
    from patchlint.config import Config
    from patchlint.resources.shared import Resources


class Severity(str, enum.Enum):
    """How much a violation matters: ``error`` fails the check, ``warning`` and ``info`` do not."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    def __str__(self) -> str:
        return self.value


class Scope(str, enum.Enum):
    """What a rule looks at: one posting, or one series."""

    POSTING = "posting"
    SERIES = "series"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Violation:
    """One problem found by one rule.

    ``line`` is the line of the source file (not of the message) so ``source:line`` can be opened
    in an editor; ``subject`` names the posting for a reader of the report, ``message_id`` (without
    angle brackets; None when the mail has none or could not be read) for a program.
    """

    code: str
    rule: str
    message: str
    severity: Severity
    source: str
    line: int
    subject: str
    message_id: str | None = None

    def format(self) -> str:
        """``source:line: CODE name: message`` as printed in reports."""
        return f"{self.source}:{self.line}: {self.code} {self.rule}: {self.message}"

    def format_marked(self) -> str:
        """:meth:`format` with `` (warning)`` or `` (info)`` after it: the lines hooks print."""
        marker = "" if self.severity is Severity.ERROR else f" ({self.severity})"
        return self.format() + marker

    def to_json(self) -> dict[str, object]:
        """A JSON-ready dict of the violation."""
        return {
            "code": self.code,
            "rule": self.rule,
            "severity": str(self.severity),
            "message": self.message,
            "source": self.source,
            "line": self.line,
            "subject": self.subject,
            "message_id": self.message_id,
        }


@dataclass(frozen=True)
class NoOptions:
    """A rule without options."""


DOC_SECTIONS = ("What it does", "Why it matters", "Bad", "Good", "Options")


class Rule:
    """Base class of every rule.

    Subclasses set ``code`` (``PL101``: the hundreds digit is the family), ``name`` (kebab-case,
    naming the problem), ``scope``, the posting ``kinds`` they judge, and optionally ``Options``
    (a frozen dataclass whose fields, declared with :func:`patchlint.options.option`, are the
    rule's YAML options with their types, defaults and help). The class docstring is the rule's
    user documentation, with the sections in :data:`DOC_SECTIONS`; its ``Options:`` section is
    written from the ``Options`` declaration when the class is defined.
    """

    code: ClassVar[str] = ""
    name: ClassVar[str] = ""
    scope: ClassVar[Scope] = Scope.POSTING
    kinds: ClassVar[frozenset[Kind]] = frozenset({Kind.PATCH})
    default_severity: ClassVar[Severity] = Severity.ERROR
    enabled_by_default: ClassVar[bool] = True
    # Whether the rule judges what a commit message alone holds (its summary, text and
    # trailers): ``patchlint check --commit-msg`` runs these rules and no others.
    judges_commit_message: ClassVar[bool] = False
    Options: ClassVar[type] = NoOptions

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # The options are declared once, in the dataclass; the documentation says what it says.
        # (A class whose Options cannot be read yet is left as written: registration reports it.)
        doc = inspect.getdoc(cls) if "__doc__" in vars(cls) and cls.__doc__ else None
        if doc is not None:
            try:
                cls.__doc__ = with_options_section(doc, cls.Options)
            except (NameError, TypeError, AttributeError):
                pass

    def __init__(self, options: Any = None, severity: Severity | None = None) -> None:
        self.options = options if options is not None else self.Options()
        self.severity = severity or self.default_severity
        self._resources: Resources | None = None

    @property
    def resources(self) -> Resources:
        """What the rules of this configuration share: the trailer registry, the ``.mailmap``,
        the git repository and the memos (see :mod:`patchlint.resources.shared`). The engine
        sets it before :meth:`configure`; a rule built outside an engine gets the standalone set
        (built-in registry, no mailmap, no repository)."""
        if self._resources is None:
            from patchlint.resources.shared import Resources

            self._resources = Resources.standalone()
        return self._resources

    def use(self, resources: Resources) -> None:
        """Share ``resources`` with the other rules of the configuration (the engine calls it)."""
        self._resources = resources

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.code} {self.name}>"

    @classmethod
    def summary(cls) -> str:
        """The first line of the docstring: what ``patchlint rules`` prints."""
        return (inspect.getdoc(cls) or "").strip().splitlines()[0] if cls.__doc__ else ""

    @classmethod
    def documentation(cls) -> str:
        """The full docstring: what ``patchlint explain`` prints."""
        return inspect.getdoc(cls) or ""

    @classmethod
    def option_specs(cls) -> list[OptionSpec]:
        """What each option is: names, type, default, help and checks (see :mod:`patchlint.options`)."""
        return option_specs(cls.Options)

    @classmethod
    def option_fields(cls) -> list[tuple[str, Any, Any]]:
        """``(name, type, default)`` of each option."""
        return [(spec.attr, spec.type, spec.default) for spec in cls.option_specs()]

    def configure(self, config: Config) -> None:
        """Called once, right after construction, with the loaded configuration.

        Override it to read shared settings (``config.setting(key)`` gives the value, the file
        that set it and its YAML node, for relative paths and ``file:line`` errors); raise
        :class:`~patchlint.config.ConfigError` for a mistake. The default does nothing.
        """

    def applies(self, target: Posting | Series) -> bool:
        """Whether this rule judges ``target`` at all (posting rules look at their ``kinds``)."""
        if self.scope is Scope.SERIES:
            return isinstance(target, Series)
        return isinstance(target, Posting) and target.kind in self.kinds

    def check(self, target: Any) -> Iterable[Violation]:
        """Yield the violations found in ``target`` (a Posting or a Series, per ``scope``)."""
        raise NotImplementedError

    def violation(self, posting: Posting, message: str, line: int | None = None) -> Violation:
        """Build a violation of this rule at ``line`` of ``posting`` (a message line number)."""
        raw = posting.raw
        where = line if line is not None else posting.line_of_header("Subject")
        return Violation(
            code=self.code,
            rule=self.name,
            message=message,
            severity=self.severity,
            source=raw.source,
            line=raw.source_line(where),
            subject=posting.subject.raw if not posting.error else f"message {raw.index}",
            message_id=posting.message_id if not posting.error else None,
        )
