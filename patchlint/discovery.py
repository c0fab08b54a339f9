"""Finding the project's configuration: ``.patchlint.yaml``, ``patchlint.yaml`` or the
``[tool.patchlint]`` table of ``pyproject.toml``, looked for from where the checked mail is up to
the top of its repository, as ruff and gitlint find theirs.

Where the walk starts: a checked file's directory, a checked directory itself, the working
directory for standard input; for a git range or a commit message, the top of the repository the
working directory is in (the commits are the repository's, not a subfolder's; git runs hooks
from there). From there each directory is asked for the three names in that order (the first
present wins; a ``pyproject.toml`` without the table is passed over); the walk ends at the first
directory holding ``.git`` (the repository's top, which is asked), at the home directory (asked)
or at the filesystem root (asked). A directory anyone may write into (``/tmp``) belongs to no
project: it is neither asked nor walked past, so another user's file there never changes a run.

A configuration found so is the project's choice, used as ``--config`` would be (it judges
every posting; ``extends: kernel`` builds on a list's profile), with one difference: it comes from
the tree being checked, so its ``plugins:`` are refused (patchlint runs no code from a checked
tree). Nothing is written anywhere.
"""

from __future__ import annotations

import functools
import os
import re
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from patchlint.config import ConfigError

# In the order they are preferred within one directory (ruff's order: the hidden file first).
CONFIG_NAMES = (".patchlint.yaml", "patchlint.yaml", "pyproject.toml")
PYPROJECT = "pyproject.toml"
TABLE = "[tool.patchlint]"


@dataclass(frozen=True)
class Found:
    """A configuration file discovery found: the file, how reports name it (relative to the
    working directory when inside it), and the other configuration files of the same directory
    that lose to it (named in the summary, so none is ignored silently)."""

    path: Path
    label: str
    passed_over: tuple[str, ...] = ()

    def engine_settings(self) -> dict[str, object]:
        """The :class:`~patchlint.engine.Engine` arguments that load it: from the checked tree,
        so its ``plugins:`` are refused (``trust_plugins=False``)."""
        from patchlint.engine import FOUND

        return {"config": self.label, "trust_plugins": False, "origin": FOUND, "passed_over": self.passed_over}


class DiscoveryError(Exception):
    """The checked inputs lie under different configurations (a usage error: exit 4)."""


@dataclass(frozen=True)
class Start:
    """Where one input's walk begins, and how the error for mixed configurations names the input."""

    directory: Path
    name: str


def start_for_path(path: str, cwd: Path) -> Start:
    """The walk's start for a checked path: a directory itself, a file's directory; standard
    input (``-``) starts in the working directory."""
    if path == "-":
        return Start(cwd, "<stdin>")
    absolute = Path(os.path.abspath(cwd / path))
    return Start(absolute if absolute.is_dir() else absolute.parent, path)


def start_for_repository(cwd: Path, name: str) -> Start:
    """The walk's start for a git range or a commit message: the top of the repository ``cwd``
    is in (the first directory up from it that holds ``.git``), else ``cwd``. Found by looking
    at the directories, without running git."""
    for directory in _upwards(Path(os.path.abspath(cwd))):
        if os.path.lexists(directory / ".git"):
            return Start(directory, name)
    return Start(Path(os.path.abspath(cwd)), name)


def find_config(directory: Path, home: Path | None = None, cwd: Path | None = None) -> Found | None:
    """The configuration for mail under ``directory`` (None when there is none); see the module
    documentation for where the walk ends. Mistakes in a ``pyproject.toml`` that names patchlint
    are :class:`~patchlint.config.ConfigError` at their line."""
    home = home if home is not None else _home()
    for folder in _upwards(directory):
        if _writable_by_all(folder):
            return None
        found = _config_in(folder, cwd)
        if found is not None:
            return found
        if os.path.lexists(folder / ".git") or folder == home:
            return None
    return None


def discover(starts: Iterable[Start], cwd: Path | None = None) -> Found | None:
    """The one configuration for every start (None when none has one); starts under different
    configurations (two repositories, or one with a configuration and one without) are a
    :class:`DiscoveryError` naming both, since one run judges with one configuration."""
    seen: dict[Path, Found | None] = {}
    chosen: dict[Path | None, Start] = {}
    result: Found | None = None
    home = _home()
    for start in starts:
        if start.directory not in seen:
            seen[start.directory] = find_config(start.directory, home, cwd)
        found = seen[start.directory]
        chosen.setdefault(found.path if found else None, start)
        result = found
        if len(chosen) > 1:
            (first, a), (second, b) = list(chosen.items())[:2]
            raise DiscoveryError(
                f"{a.name} and {b.name} lie under different configurations ({_what(first, cwd)} and "
                f"{_what(second, cwd)}): check them in separate runs, or name one configuration for "
                f"both with --config (--isolated uses none)"
            )
    return result


def _what(path: Path | None, cwd: Path | None) -> str:
    return "none" if path is None else _label(path, cwd)


def _config_in(folder: Path, cwd: Path | None) -> Found | None:
    present = [name for name in CONFIG_NAMES if (folder / name).is_file()]
    for position, name in enumerate(present):
        path = folder / name
        if name == PYPROJECT and pyproject_table(path, _label(path, cwd)) is None:
            continue  # a Python project's file that says nothing about patchlint
        others = tuple(_label(folder / other, cwd) for other in present[position + 1:]
                       if other != PYPROJECT or _names_patchlint(folder / other))
        return Found(path, _label(path, cwd), others)
    return None


def _names_patchlint(path: Path) -> bool:
    """Whether a ``pyproject.toml`` that loses to another file has a table for patchlint (one
    that cannot be read is named too: it is not read, so its mistakes are not reported)."""
    try:
        return pyproject_table(path) is not None
    except ConfigError:
        return True


def _label(path: Path, cwd: Path | None) -> str:
    base = Path(os.path.abspath(cwd if cwd is not None else Path.cwd()))
    try:
        relative = path.relative_to(base)
    except ValueError:
        return str(path)
    return relative.as_posix()


def _upwards(directory: Path) -> Iterable[Path]:
    current = directory
    while True:
        yield current
        if current.parent == current:
            return
        current = current.parent


def _writable_by_all(folder: Path) -> bool:
    try:
        mode = folder.stat().st_mode
    except OSError:
        return True  # a directory that cannot be looked at cannot be vouched for either
    return bool(mode & stat.S_IWOTH)


def _home() -> Path | None:
    try:
        return Path(os.path.abspath(Path.home()))
    except (KeyError, RuntimeError):  # no home directory known
        return None


# -- pyproject.toml's [tool.patchlint], as the nodes a YAML file would give ------------------------


def pyproject_table(path: Path, name: str | None = None) -> yaml.Node | None:
    """The ``[tool.patchlint]`` table of a ``pyproject.toml`` as YAML nodes (what the
    configuration loader reads, each node at the line of the key that sets it), or None when the
    file has no such table. A file that names patchlint but is not TOML is an error at its line."""
    name = name or str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(name, 1, f"cannot read {name}: {exc.strerror or exc}") from None
    if not _MAY_NAME_PATCHLINT.search(data):
        return None  # most pyproject files: not parsed at all (nor the TOML parser imported)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(name, data.count(b"\n", 0, exc.start) + 1, "not UTF-8: save the file as UTF-8") from None
    toml = _toml()
    try:
        document = toml.loads(text)
    except toml.TOMLDecodeError as exc:
        found = re.search(r"line (\d+)", str(exc))
        raise ConfigError(name, int(found.group(1)) if found else 1, f"invalid TOML: {exc}") from None
    tool = document.get("tool")
    table = tool.get("patchlint") if isinstance(tool, dict) else None
    if table is None:
        return None
    lines = _key_lines(text)
    if not isinstance(table, dict):
        raise ConfigError(name, lines.get(("tool", "patchlint"), 1), f"expected {TABLE} to be a table")
    return _node(table, ("tool", "patchlint"), lines, name)


# ``[tool.patchlint]``, ``[tool.patchlint.rules]``, ``tool.patchlint.select = …``; or a ``[tool]``
# table that may set ``patchlint = {…}`` (then the file is parsed to be sure).
_MAY_NAME_PATCHLINT = re.compile(rb"tool\s*\.\s*[\"']?patchlint|(?m:^\s*\[\s*tool\s*\])")


def _toml() -> Any:
    try:
        import tomllib  # Python 3.11 on
    except ModuleNotFoundError:  # Python 3.10: the same parser, packaged (a dependency there)
        import tomli as tomllib  # type: ignore[no-redef]
    return tomllib


@functools.cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """A table header, a key's assignment, one part of a dotted key (compiled only when a
    pyproject table is read: a run without one does not pay for them)."""
    part = r'(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|\'[^\']*\')'
    dotted = rf"{part}(?:\s*\.\s*{part})*"
    return (re.compile(rf"\s*\[\[?\s*({dotted})\s*\]\]?\s*(?:#.*)?$"), re.compile(rf"\s*({dotted})\s*="),
            re.compile(part))


def _key_lines(text: str) -> dict[tuple[str, ...], int]:
    """Where each key is set: its dotted path (table headers included) to its 1-based line.
    Keys inside inline tables and the items of arrays are not listed: they take the line of
    the nearest key above them (:func:`_line`). Lines inside multi-line strings are skipped."""
    header_pattern, assign_pattern, _part = _patterns()
    found: dict[tuple[str, ...], int] = {}
    table: tuple[str, ...] = ()
    in_string: str | None = None
    depth = 0  # open brackets of a multi-line array or inline table
    for number, line in enumerate(text.splitlines(), 1):
        if in_string is not None:
            if line.count(in_string) % 2:
                in_string = None
            continue
        if depth == 0:
            header = header_pattern.match(line)
            if header:
                table = _parts(header.group(1))
                found.setdefault(table, number)
                continue
            assign = assign_pattern.match(line)
            if assign:
                found.setdefault((*table, *_parts(assign.group(1))), number)
        for quote in ('"""', "'''"):
            if line.count(quote) % 2:
                in_string = quote
                break
        stripped = re.sub(r'"(?:[^"\\]|\\.)*"|\'[^\']*\'|#.*', "", line)
        depth = max(0, depth + stripped.count("[") + stripped.count("{") - stripped.count("]") - stripped.count("}"))
    return found


def _parts(dotted: str) -> tuple[str, ...]:
    parts = []
    for part in _patterns()[2].findall(dotted):
        if part[:1] in ('"', "'"):
            part = part[1:-1].encode().decode("unicode_escape") if part[0] == '"' else part[1:-1]
        parts.append(part)
    return tuple(parts)


def _line(path: tuple[str, ...], lines: Mapping[tuple[str, ...], int]) -> int:
    for end in range(len(path), 0, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return 1


_TAG = "tag:yaml.org,2002:"


def _node(value: Any, path: tuple[str, ...], lines: Mapping[tuple[str, ...], int], name: str) -> yaml.Node:
    from datetime import date, datetime, time

    line = _line(path, lines) - 1
    mark = yaml.Mark(name, 0, line, 0, None, None)
    if isinstance(value, dict):
        pairs = []
        for key, item in value.items():
            key_mark = yaml.Mark(name, 0, _line((*path, key), lines) - 1, 0, None, None)
            pairs.append((yaml.ScalarNode(_TAG + "str", key, key_mark, key_mark),
                          _node(item, (*path, key), lines, name)))
        return yaml.MappingNode(_TAG + "map", pairs, mark, mark)
    if isinstance(value, list):
        return yaml.SequenceNode(_TAG + "seq", [_node(item, path, lines, name) for item in value], mark, mark)
    if isinstance(value, bool):
        return yaml.ScalarNode(_TAG + "bool", "true" if value else "false", mark, mark)
    if isinstance(value, int):
        return yaml.ScalarNode(_TAG + "int", str(value), mark, mark)
    if isinstance(value, float):
        text = ".nan" if value != value else (".inf" if value > 0 else "-.inf") if value in (float("inf"), float("-inf")) else repr(value)
        return yaml.ScalarNode(_TAG + "float", text, mark, mark)
    if isinstance(value, (datetime, date)):
        return yaml.ScalarNode(_TAG + "timestamp", value.isoformat(), mark, mark)
    if isinstance(value, time):
        return yaml.ScalarNode(_TAG + "str", value.isoformat(), mark, mark)
    return yaml.ScalarNode(_TAG + "str", str(value), mark, mark)
