"""YAML rule configuration: which rules run, with which options and severities.

::

    extends: default            # a built-in profile by name, or a path relative to this file
    select: [PL1, signed-off-by]   # replaces the selection: code prefixes, names or ALL
    extend-select: [PL4]        # adds to the inherited selection
    ignore: [PL102]             # removes, by code prefix or name
    rules:
      subject-prefix:           # a rule by name or code
        severity: warning       # error | warning | info
        options:
          allow-v1: true
    settings: {}                # free-form, for plugins (see the patchlint_configure hook)

Every mistake is reported with the file, the line and what is allowed.
"""

from __future__ import annotations

import difflib
import re
import typing
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields, is_dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from patchlint.rule import Rule, Severity

T = typing.TypeVar("T")
DEFAULT_PROFILE = "default"
TOP_KEYS = ("description", "extends", "select", "extend-select", "ignore", "rules", "settings")
RULE_KEYS = ("severity", "options")


class ConfigError(Exception):
    """A configuration mistake, located at ``file:line``."""

    def __init__(self, file: str, line: int, message: str) -> None:
        super().__init__(f"{file}:{line}: {message}")
        self.file, self.line, self.message = file, line, message


@dataclass(frozen=True)
class RuleConfig:
    """What a configuration says about one rule."""

    severity: Severity | None = None
    options: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Config:
    """A loaded configuration, ``extends`` already applied.

    ``files`` lists the files read, the most specific first; ``select`` None means "the rules
    enabled by default".
    """

    files: tuple[str, ...]
    select: tuple[str, ...] | None
    extend_select: tuple[str, ...]
    ignore: tuple[str, ...]
    rules: Mapping[str, RuleConfig]
    settings: Mapping[str, Any]
    # For each key of ``settings``: the file that set it and the YAML node of its value, so
    # whoever reads a setting can resolve relative paths and name file:line in its errors.
    setting_nodes: Mapping[str, tuple[str, yaml.Node]] = field(default_factory=dict)
    # What rules build from the settings (a loaded registry, a mailmap), built once per
    # configuration and shared by every rule that asks; see derived().
    _derived: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def is_enabled(self, rule: type[Rule]) -> bool:
        """Whether ``rule`` runs under this configuration."""
        if self.select is None:
            chosen = rule.enabled_by_default
        else:
            chosen = any(_matches(rule, selector) for selector in self.select)
        chosen = chosen or any(_matches(rule, s) for s in self.extend_select)
        return chosen and not any(_matches(rule, selector) for selector in self.ignore)

    def instantiate(self, rules: Iterable[type[Rule]]) -> list[Rule]:
        """Build the enabled rules with their options and severities, in code order."""
        built = []
        for rule in sorted(rules, key=lambda r: r.code):
            if not self.is_enabled(rule):
                continue
            settings = self.rules.get(rule.code, RuleConfig())
            options = rule.Options(**settings.options)
            instance = rule(options, settings.severity)
            instance.configure(self)
            built.append(instance)
        return built

    def setting(self, key: str) -> tuple[Any, str, yaml.Node] | None:
        """A setting's value, the file that set it and its YAML node; None when not set."""
        if key not in self.settings:
            return None
        file, node = self.setting_nodes[key]
        return self.settings[key], file, node

    def derived(self, key: str, build: Callable[[], T]) -> T:
        """What ``build()`` makes from this configuration, made on the first call for ``key`` and
        shared by every rule that asks for it (rules are configured one by one)."""
        if key not in self._derived:
            self._derived[key] = build()
        return typing.cast(T, self._derived[key])

    def setting_path(self, key: str, what: str) -> tuple[Path, str, yaml.Node] | None:
        """A setting that names a file or directory (``what`` says which, for errors), resolved
        against the configuration file that set it; with that file and the YAML node, for errors
        about what is found there. None when not set."""
        setting = self.setting(key)
        if setting is None:
            return None
        _value, file, node = setting
        text = string_node(file, node, what)
        return (Path(file).parent / Path(text).expanduser()).resolve(), file, node


def _matches(rule: type[Rule], selector: str) -> bool:
    return selector == "ALL" or rule.name == selector or rule.code.startswith(selector.upper())


def profiles_dir() -> Path:
    """Where the built-in profiles are: the ``rules/`` beside the package when patchlint runs from a
    source checkout (installed or not: an editable install must not hide the checkout's own
    profiles), else the installed ``patchlint.profiles``."""
    checkout = Path(__file__).resolve().parent.parent / "rules"
    if (checkout / f"{DEFAULT_PROFILE}.yaml").is_file():
        return checkout
    return Path(str(resources.files("patchlint.profiles")))


def profile_path(name: str) -> Path:
    """The file of a built-in profile (``default``, ``kernel`` …)."""
    return profiles_dir() / f"{name}.yaml"


def builtin_profiles() -> list[str]:
    """Names of the profiles shipped in ``rules/``."""
    return sorted(p.stem for p in profiles_dir().glob("*.yaml"))


def choose_profile(list_ids: Iterable[str], addresses: Iterable[str]) -> str:
    """The built-in profile that judges a posting when the user chose no configuration.

    ``list_ids`` are the posting's ``List-Id`` values (``ltp.lists.linux.it``), ``addresses`` the
    addresses it was sent to (To, then Cc). Not built yet: every posting gets the default
    profile; choosing kernel, netdev, ltp … from these facts is the next step.
    """
    return DEFAULT_PROFILE


def load_config(path: str | Path | None, rules: Iterable[type[Rule]]) -> Config:
    """Load ``path`` and validate it against ``rules``.

    ``path`` is a YAML file, the name of a built-in profile (``netdev``) when no such file
    exists, or None for the built-in default profile.
    """
    catalogue = {rule.code: rule for rule in rules}
    if path is None:
        target = profile_path(DEFAULT_PROFILE)
    else:
        target = Path(path)
        named = str(path)
        if not target.exists() and "/" not in named and named in builtin_profiles():
            target = profile_path(named)
    return _Loader(catalogue).load(target, ())


class _Loader:
    def __init__(self, catalogue: dict[str, type[Rule]]) -> None:
        self.catalogue = catalogue
        self.by_name = {rule.name: rule for rule in catalogue.values()}

    def load(self, path: Path, chain: tuple[Path, ...]) -> Config:
        name = str(path)
        if path.resolve() in chain:
            raise ConfigError(name, 1, "extends itself (circular 'extends:' chain)")
        root = read_yaml(path, chain[-1] if chain else None)
        expect_node(name, root, yaml.MappingNode, "a mapping of settings (key: value)")
        parent: Config | None = None
        own: dict[str, Any] = {}
        for key_node, value in root.value:
            key = scalar_node(name, key_node)
            if key not in TOP_KEYS:
                raise ConfigError(name, node_line(key_node), unknown_message("key", key, TOP_KEYS))
            if key == "extends":
                ref = string_node(name, value, "a profile name or a file path")
                target = resolve_extends(name, path, ref, value, profile_path, builtin_profiles)
                parent = self.load(target, (*chain, path.resolve()))
            elif key in ("select", "extend-select", "ignore"):
                own[key] = self._selectors(name, value)
            elif key == "rules":
                own[key] = self._rules(name, value)
            elif key == "settings":
                expect_node(name, value, yaml.MappingNode, "a mapping")
                own[key] = node_value(value)
                own["setting-nodes"] = {
                    scalar_node(name, k): (name, v) for k, v in value.value
                }
            else:
                string_node(name, value, "a string")
        return self._merge(name, parent, own)

    def _selectors(self, name: str, node: yaml.Node) -> tuple[str, ...]:
        if isinstance(node, yaml.ScalarNode):
            items = [node]
        else:
            expect_node(name, node, yaml.SequenceNode, "a list of rule codes or names")
            items = node.value
        selectors = []
        for item in items:
            selector = string_node(name, item, "a rule code prefix, a rule name or ALL")
            rules = self.catalogue.values()
            if not any(_matches(rule, selector) for rule in rules):
                choices = sorted(self.by_name) + ["ALL", "PL…"]
                raise ConfigError(name, node_line(item), unknown_message("rule", selector, choices))
            selectors.append(selector)
        return tuple(selectors)

    def _rules(self, name: str, node: yaml.Node) -> dict[str, RuleConfig]:
        expect_node(name, node, yaml.MappingNode, "a mapping of rule name to its settings")
        found: dict[str, RuleConfig] = {}
        for key_node, value in node.value:
            key = scalar_node(name, key_node)
            rule = self.catalogue.get(key.upper()) or self.by_name.get(key)
            if rule is None:
                choices = sorted(self.by_name)
                raise ConfigError(name, node_line(key_node), unknown_message("rule", key, choices))
            if value.tag == "tag:yaml.org,2002:null":
                found[rule.code] = RuleConfig()
                continue
            expect_node(name, value, yaml.MappingNode, "a mapping with severity and/or options")
            severity = None
            options: dict[str, Any] = {}
            for setting_node, setting in value.value:
                setting_key = scalar_node(name, setting_node)
                if setting_key == "severity":
                    text = string_node(name, setting, "error, warning or info")
                    try:
                        severity = Severity(text.lower())
                    except ValueError:
                        raise ConfigError(
                            name, node_line(setting),
                            f"severity {text!r} for {rule.name}; use error, warning or info",
                        ) from None
                elif setting_key == "options":
                    options = self._options(name, rule, setting)
                else:
                    raise ConfigError(
                        name, node_line(setting_node), unknown_message(f"key for {rule.name}", setting_key, RULE_KEYS)
                    )
            found[rule.code] = RuleConfig(severity, options)
        return found

    def _options(self, name: str, rule: type[Rule], node: yaml.Node) -> dict[str, Any]:
        expect_node(name, node, yaml.MappingNode, f"a mapping of {rule.name} options")
        known = {opt: (typ, default) for opt, typ, default in rule.option_fields()}
        metadata = {f.name: f.metadata for f in fields(rule.Options)} if is_dataclass(rule.Options) else {}
        options: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = scalar_node(name, key_node)
            attr = key.replace("-", "_")
            if attr not in known:
                allowed = [opt.replace("_", "-") for opt in known] or ["(none: this rule has no options)"]
                raise ConfigError(name, node_line(key_node), unknown_message(f"option of {rule.name}", key, allowed))
            expected, default = known[attr]
            value = node_value(value_node)
            what = f"{rule.name} option {key}"
            options[attr] = _check_type(name, value_node, what, value, expected, default)
            _check_option(name, value_node, what, options[attr], metadata.get(attr, {}))
        return options

    def _merge(self, name: str, parent: Config | None, own: dict[str, Any]) -> Config:
        if parent is None:
            parent = Config((), None, (), (), {}, {})
        rules = dict(parent.rules)
        for code, settings in own.get("rules", {}).items():
            old = rules.get(code, RuleConfig())
            rules[code] = RuleConfig(
                settings.severity or old.severity, {**old.options, **settings.options}
            )
        select = own.get("select", parent.select)
        extend = parent.extend_select + own.get("extend-select", ())
        if "select" in own:
            extend = own.get("extend-select", ())
        return Config(
            files=(name, *parent.files),
            select=select,
            extend_select=extend,
            ignore=parent.ignore + own.get("ignore", ()),
            rules=rules,
            settings={**parent.settings, **own.get("settings", {})},
            setting_nodes={**parent.setting_nodes, **own.get("setting-nodes", {})},
        )


# -- YAML helpers shared with the other YAML files patchlint reads (the trailer registry) --------


# libyaml's loader where PyYAML was built with it (several times faster on large files), else
# PyYAML's own; both are safe loaders: no tag runs code.
SafeLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Deeper than any configuration needs, shallow enough for the recursive composers (the C one
# does not check its recursion at all).
MAX_DEPTH = 50
_MERGE_TAG = "tag:yaml.org,2002:merge"
_KNOWN_TAGS = frozenset(tag for tag in yaml.SafeLoader.yaml_constructors if tag) | {_MERGE_TAG}


def read_yaml(path: Path, referrer: Path | None = None) -> yaml.Node:
    """Read and compose a YAML file into nodes (which keep their line numbers); an empty file is
    an empty mapping. Errors name ``path`` and the line, or ``referrer`` when ``path`` is unreadable.

    Whatever is wrong with the file is such an error, found before anything is built from it:
    bytes that are not UTF-8, invalid YAML, nesting deeper than :data:`MAX_DEPTH`, a tag safe
    loading does not know (``!!python/object``), a value that cannot be built (an integer of
    5,000 digits, a date that does not exist), a key written twice in one mapping.
    """
    name = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        where = referrer if referrer is not None else path
        raise ConfigError(str(where), 1, f"cannot read {name}: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        raise ConfigError(
            name, data.count(b"\n", 0, exc.start) + 1,
            f"not UTF-8: byte 0x{data[exc.start]:02x} in column {exc.start - line_start + 1}; "
            f"save the file as UTF-8",
        ) from None
    try:
        _check_depth(name, text)
        root = yaml.compose(text, Loader=SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(name, line, f"invalid YAML: {problem}") from None
    if root is None:
        return yaml.MappingNode("tag:yaml.org,2002:map", [])
    _check_nodes(name, root)
    return root


def _check_depth(name: str, text: str) -> None:
    """Raise a located error for collections nested deeper than :data:`MAX_DEPTH` (read as
    events, which needs no recursion)."""
    depth = 0
    for event in yaml.parse(text, Loader=SafeLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise ConfigError(
                    name, event.start_mark.line + 1, f"lists and mappings nested more than {MAX_DEPTH} deep"
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _check_nodes(name: str, root: yaml.Node) -> None:
    """Raise a located error for an unknown tag, a scalar that cannot be built or a duplicate key,
    anywhere under ``root`` (each node once: aliases share nodes)."""
    constructor = yaml.constructor.SafeConstructor()
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if node.tag not in _KNOWN_TAGS:
            raise ConfigError(
                name, node_line(node),
                f"unknown YAML tag {node.tag!r}: write plain values (text, numbers, true/false, lists, mappings)",
            )
        if isinstance(node, yaml.ScalarNode):
            try:
                constructor.construct_object(node)
            except (ValueError, OverflowError, yaml.YAMLError) as exc:
                raise ConfigError(name, node_line(node), f"{_describe(node)} cannot be read: {exc}") from None
        elif isinstance(node, yaml.MappingNode):
            keys: dict[tuple[str, str], int] = {}
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode) and key_node.tag != _MERGE_TAG:
                    key = (key_node.tag, key_node.value)
                    if key in keys:
                        raise ConfigError(
                            name, node_line(key_node),
                            f"duplicate key {key_node.value!r} (also on line {keys[key]}): write each key once",
                        )
                    keys[key] = node_line(key_node)
                stack.extend((value_node, key_node))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


def resolve_extends(
    name: str,
    path: Path,
    ref: str,
    node: yaml.Node,
    builtin: Callable[[str], Path],
    choices: Callable[[], list[str]],
    what: str = "profile",
) -> Path:
    """The file an ``extends:`` names: a built-in ``what`` by name (no ``/``, no ``.yaml``),
    else a path relative to the file that says it."""
    if "/" not in ref and not ref.endswith((".yaml", ".yml")):
        candidate = builtin(ref)
        if not candidate.is_file():
            raise ConfigError(name, node_line(node), unknown_message(what, ref, choices()))
        return candidate
    candidate = (path.parent / ref).resolve()
    if not candidate.is_file():
        raise ConfigError(name, node_line(node), f"extends {ref!r}, but {candidate} does not exist")
    return candidate


def expect_node(name: str, node: yaml.Node, kind: type, what: str) -> None:
    """Raise a located error unless ``node`` is a ``kind`` (MappingNode, SequenceNode …)."""
    if not isinstance(node, kind):
        raise ConfigError(name, node_line(node), f"expected {what}, found {_describe(node)}")


def scalar_node(name: str, node: yaml.Node) -> str:
    """A mapping key: a plain scalar."""
    expect_node(name, node, yaml.ScalarNode, "a plain key")
    return str(node.value)


def string_node(name: str, node: yaml.Node, what: str) -> str:
    """A value that must be a string (not a number, a boolean, a list …)."""
    if not isinstance(node, yaml.ScalarNode) or node.tag != "tag:yaml.org,2002:str":
        raise ConfigError(name, node_line(node), f"expected {what}, found {_describe(node)}")
    return str(node.value)


def node_line(node: yaml.Node) -> int:
    """The 1-based line where ``node`` starts."""
    return node.start_mark.line + 1


def _describe(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    kind = node.tag.rsplit(":", 1)[-1]
    return f"{kind} {node.value!r}"


def unknown_message(what: str, value: str, allowed: Iterable[str]) -> str:
    """``unknown <what> '<value>'; did you mean …? (allowed: …)``."""
    allowed = list(allowed)
    close = difflib.get_close_matches(value, allowed, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"unknown {what} {value!r}{hint} (allowed: {', '.join(allowed)})"


def node_value(node: yaml.Node) -> Any:
    """The Python value of a composed node (safe types only; :func:`read_yaml` has checked that
    every node of the file can be built)."""
    return yaml.constructor.SafeConstructor().construct_document(node)


# Option metadata (``dataclasses.field(metadata=…)``) that the loader checks values against.
CHOICES = "patchlint.choices"
REGEX = "patchlint.regex"


def choices(*allowed: str) -> dict[str, Any]:
    """Field metadata: the option (or each item of a list option) is one of ``allowed``."""
    return {CHOICES: allowed}


def regular_expression(flags: int = 0, grouped: bool = False) -> dict[str, Any]:
    """Field metadata: the option (or each item of a list option) is a regular expression,
    compiled with ``flags`` (and, with ``grouped``, inside ``(?:…)``, as a rule that joins the
    items into one pattern compiles them). A pattern that does not compile is an error of the
    configuration, at its line, not of every posting it would have judged."""
    return {REGEX: (flags, grouped)}


def _check_option(name: str, node: yaml.Node, what: str, value: Any, metadata: Mapping[str, Any]) -> None:
    items = list(value) if isinstance(value, (list, tuple, frozenset)) else [value]
    item_nodes = node.value if isinstance(node, yaml.SequenceNode) else [node] * len(items)
    for item, item_node in zip(items, item_nodes):
        allowed = metadata.get(CHOICES)
        if allowed is not None and item not in allowed:
            raise ConfigError(name, node_line(item_node), unknown_message(f"value of {what}", str(item), allowed))
        if REGEX in metadata:
            flags, grouped = metadata[REGEX]
            try:
                re.compile(f"(?:{item})" if grouped else item, flags)
            except (re.error, RecursionError, OverflowError, ValueError) as exc:
                raise ConfigError(
                    name, node_line(item_node), f"{what}: {item!r} is not a regular expression: {exc}"
                ) from None


def _check_type(name: str, node: yaml.Node, what: str, value: Any, expected: Any, default: Any) -> Any:
    origin = typing.get_origin(expected)
    if origin in (tuple, list, frozenset):
        (item_type, *_rest) = typing.get_args(expected) or (str,)
        if not isinstance(value, list) or not all(_is_type(v, item_type) for v in value):
            raise ConfigError(
                name, node_line(node),
                f"{what} must be a list of {item_type.__name__}, found {_describe(node)}; "
                f"default: {list(default)!r}",
            )
        return origin(value) if origin is not list else value
    if not _is_type(value, expected):
        raise ConfigError(
            name, node_line(node),
            f"{what} must be {getattr(expected, '__name__', expected)}, found {_describe(node)}; "
            f"default: {default!r}",
        )
    return value


def _is_type(value: Any, expected: Any) -> bool:
    if expected is bool:
        return isinstance(value, bool)
    if expected is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if expected is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if isinstance(expected, type):
        return isinstance(value, expected)
    return True
