"""Rule options, declared once: each field of a rule's ``Options`` frozen dataclass carries its type
(the annotation), its default and its help (:func:`option`), and what the configuration loader
checks a value against (choices, a regular expression). The docstring's ``Options:`` section,
``patchlint explain`` and the loader's errors are all made from that one declaration.
"""

from __future__ import annotations

import json
import re
import textwrap
import typing
from collections.abc import Sequence
from dataclasses import MISSING, Field, dataclass, field, fields, is_dataclass
from typing import Any

# Keys of the field metadata (namespaced: a plugin's own metadata can sit beside them).
HELP = "patchlint.help"
CHOICES = "patchlint.choices"
REGEX = "patchlint.regex"


def option(
    default: Any,
    help: str,  # noqa: A002 - the word a rule author expects
    *,
    choices: Sequence[str] | None = None,
    regex: bool = False,
    flags: int = 0,
    grouped: bool = False,
) -> Any:
    """One option of a rule: ``first_word_case: str = option("any", "the case …", choices=(…))``.

    ``help`` is one sentence or a few, for users (the ``Options:`` section of the rule's
    documentation is written from it). ``choices``: the value (or each item of a list option)
    must be one of them. ``regex``: the value (or each item) is a regular expression, compiled
    with ``flags`` and, with ``grouped``, inside ``(?:…)`` as a rule that joins the items into
    one pattern compiles them; a pattern that does not compile is an error of the configuration
    at its line, not of every posting it would have judged.
    """
    metadata: dict[str, Any] = {HELP: " ".join(help.split())}
    if choices is not None:
        metadata[CHOICES] = tuple(choices)
    if regex:
        metadata[REGEX] = (flags, grouped)
    return field(default=default, metadata=metadata)


@dataclass(frozen=True)
class OptionSpec:
    """What one option is: its attribute and YAML names, type, default, help and checks."""

    attr: str
    type: Any
    default: Any
    help: str
    choices: tuple[str, ...] | None
    regex: tuple[int, bool] | None

    @property
    def key(self) -> str:
        """The name the YAML uses (``first-word-case`` for ``first_word_case``)."""
        return self.attr.replace("_", "-")

    @property
    def is_list(self) -> bool:
        return typing.get_origin(self.type) in (tuple, list, frozenset)

    def type_text(self) -> str:
        """``bool``, ``int``, ``list of str``, ``one of lower, upper, any`` …"""
        if self.is_list:
            args = typing.get_args(self.type)
            if self.regex is not None:
                return "list of regular expressions"
            if self.choices is not None:
                return f"list, each one of {', '.join(self.choices)}"
            return f"list of {getattr(args[0], '__name__', args[0]) if args else 'str'}"
        if self.regex is not None:
            return "regular expression"
        if self.choices is not None:
            return f"one of {', '.join(self.choices)}"
        return getattr(self.type, "__name__", str(self.type))

    def default_text(self) -> str:
        """The default as YAML would write it: ``false``, ``75``, ``"any"``, ``[]``, ``[a, b]``."""
        return yaml_text(self.default)


def yaml_text(value: Any) -> str:
    """A value as it would be written in the YAML (JSON is YAML; tuples are lists)."""
    if isinstance(value, (tuple, list, frozenset)):
        return json.dumps(list(value))
    return json.dumps(value)


def option_specs(options: type) -> list[OptionSpec]:
    """The options an ``Options`` dataclass declares, in order (none for a non-dataclass)."""
    if not is_dataclass(options):
        return []
    hints = typing.get_type_hints(options)
    return [_spec(f, hints[f.name]) for f in fields(options)]


def _spec(f: Field[Any], hint: Any) -> OptionSpec:
    default = f.default if f.default is not MISSING else (
        f.default_factory() if f.default_factory is not MISSING else None
    )
    meta = f.metadata
    return OptionSpec(f.name, hint, default, meta.get(HELP, ""), meta.get(CHOICES), meta.get(REGEX))


_WIDTH = 92


def options_section(options: type) -> str:
    """The ``Options:`` section of a rule's documentation, written from its declaration."""
    specs = option_specs(options)
    if not specs:
        return "Options:\n    None."
    lines = ["Options:"]
    for spec in specs:
        head = f"{spec.key} ({spec.type_text()}, default {spec.default_text()})"
        text = f"{head}: {spec.help}" if spec.help else f"{head}."
        lines.extend(textwrap.wrap(text, _WIDTH, initial_indent="    ", subsequent_indent="        ",
                                   break_on_hyphens=False, break_long_words=False))
    return "\n".join(lines)


_OPTIONS_HEADING = re.compile(r"^Options:$", re.MULTILINE)


def with_options_section(doc: str, options: type) -> str:
    """``doc`` (a cleaned docstring) with its ``Options:`` section written from ``options``,
    appended as the last section. A docstring that writes its own section keeps it (a
    third-party rule written before options carried their help: registration checks that it
    names every option)."""
    if _OPTIONS_HEADING.search(doc):
        return doc
    return f"{doc.rstrip()}\n\n{options_section(options)}\n"
