"""YAML rule configuration: which rules run, with which options and severities.

::

    extends: default            # a built-in profile by name, or a path relative to this file
                                # (without extends: the default profile)
    select: [PL1, signed-off-by]   # replaces the selection: code prefixes, names or ALL
    extend-select: [PL4]        # adds to the inherited selection
    ignore: [PL102]             # removes, by code prefix or name
    lists:                      # the mailing lists this profile is for (see choose_profile)
      list-ids: ["*.vger.kernel.org"]
      addresses: ["*@vger.kernel.org"]
      exclude-list-ids: [git.vger.kernel.org]
      exclude-addresses: [git@vger.kernel.org]
    rules:
      subject-prefix:           # a rule by name or code
        severity: warning       # error | warning | info
        options:
          allow-v1: true
    settings: {}                # free-form, for plugins (see the patchlint_configure hook)
    plugins:                    # a project's own rules, without packaging them:
      - tools/lint_rules.py     #   a Python file, relative to this file
      - ourproject.lint_rules   #   or a module name on the Python path

Plugins are loaded only from a configuration the user names (``--config``), never from one
found beside the mail being checked: patchlint runs no code from a checked tree.

Every mistake is reported with the file, the line and what is allowed.

Which rules run is decided file by file, from the default profile to the most specific file:
within one file the most specific entry that names a rule decides (a full code or a name over
``PL3``, ``PL3`` over ``ALL``; on a tie ``ignore`` wins); a file that does not name a rule keeps
what the file it extends decided, except that ``select`` starts the selection afresh. So a
profile can re-enable what the one it extends ignored.
"""

from __future__ import annotations

import difflib
import fnmatch
import functools
import re
import typing
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import yaml

from patchlint.options import OptionSpec
from patchlint.rule import Rule, Severity

if TYPE_CHECKING:
    from patchlint.resources.shared import Resources

DEFAULT_PROFILE = "default"
TOP_KEYS = (
    "description", "extends", "select", "extend-select", "ignore", "rules", "lists", "settings", "plugins",
)
RULE_KEYS = ("severity", "options")
LIST_KEYS = ("list-ids", "addresses", "exclude-list-ids", "exclude-addresses")


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
class Selection:
    """What one file says about which rules run: its ``select`` (None when it has none, so it
    keeps the selection it inherits), ``extend-select`` and ``ignore`` entries."""

    file: str
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()

    def decide(self, rule: type[Rule], inherited: bool) -> bool:
        """Whether ``rule`` runs after this file, given whether it ran before it.

        The most specific entry naming the rule decides (an ignore on a tie); with none, a
        ``select`` in this file leaves the rule out and otherwise the inherited answer stands.
        """
        chosen = _specificity(rule, (*(self.select or ()), *self.extend_select))
        dropped = _specificity(rule, self.ignore)
        if chosen is None and dropped is None:
            return inherited and self.select is None
        if dropped is None:
            return True
        return chosen is not None and chosen > dropped


def _specificity(rule: type[Rule], selectors: Iterable[str]) -> int | None:
    """How specifically the most specific of ``selectors`` names ``rule`` (None: none does):
    ``ALL`` 0, a code prefix its length, a full code or the rule's name the most."""
    best: int | None = None
    for selector in selectors:
        if not _matches(rule, selector):
            continue
        level = 0 if selector == "ALL" else len(rule.code) if selector == rule.name else len(selector)
        best = level if best is None else max(best, level)
    return best


@dataclass(frozen=True)
class ListPatterns:
    """The mailing lists a profile is for: glob patterns (``*.vger.kernel.org``) over List-Id
    values and over To/Cc addresses, and the lists that match them but are not the profile's
    (a host that carries other projects' lists too). Compared case-insensitively."""

    file: str
    list_ids: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()
    exclude_list_ids: tuple[str, ...] = ()
    exclude_addresses: tuple[str, ...] = ()

    def match(self, value: str, address: bool) -> int | None:
        """How specifically this profile claims a List-Id (``address`` False) or an address:
        None when it does not; otherwise higher for a more specific pattern (a pattern without
        wildcards above any pattern with them; among patterns, the more literal characters)."""
        value = value.strip().lower()
        patterns, excluded = (
            (self.addresses, self.exclude_addresses) if address else (self.list_ids, self.exclude_list_ids)
        )
        if any(fnmatch.fnmatchcase(value, pattern) for pattern in excluded):
            return None
        found = [_pattern_specificity(p) for p in patterns if fnmatch.fnmatchcase(value, p)]
        return max(found, default=None)


_EXACT = 1_000_000


def _pattern_specificity(pattern: str) -> int:
    literal = sum(1 for c in pattern if c not in "*?[]")
    # An exact name outranks every wildcard pattern, however long; two exact names are equally
    # specific, whatever their length (the order of the addresses decides between them).
    return _EXACT if literal == len(pattern) else literal



@dataclass(frozen=True)
class Config:
    """A loaded configuration, ``extends`` already applied.

    ``files`` lists the files read, the most specific first; ``selections`` what each of them
    says about which rules run, the least specific (the default profile) first; ``lists`` the
    mailing lists the most specific file says it is for, if any (not inherited: netdev's
    lists are not kernel's).
    """

    files: tuple[str, ...]
    selections: tuple[Selection, ...]
    rules: Mapping[str, RuleConfig]
    settings: Mapping[str, Any]
    # For each key of ``settings``: the file that set it and the YAML node of its value, so
    # whoever reads a setting can resolve relative paths and name file:line in its errors.
    setting_nodes: Mapping[str, tuple[str, yaml.Node]] = field(default_factory=dict)
    lists: ListPatterns | None = None
    description: str = ""

    def __post_init__(self) -> None:
        # Truly frozen: the mappings cannot be changed behind the configuration's back either
        # (what rules build from it lives in patchlint.resources.shared.Resources).
        for name in ("rules", "settings", "setting_nodes"):
            object.__setattr__(self, name, MappingProxyType(dict(getattr(self, name))))

    def is_enabled(self, rule: type[Rule]) -> bool:
        """Whether ``rule`` runs under this configuration: the rule's own default, then each
        file's say, from the least specific file to the most specific (see Selection.decide)."""
        enabled = rule.enabled_by_default
        for selection in self.selections:
            enabled = selection.decide(rule, enabled)
        return enabled

    def severity_of(self, rule: type[Rule]) -> Severity:
        """The severity ``rule`` reports with under this configuration."""
        settings = self.rules.get(rule.code)
        return (settings.severity if settings else None) or rule.default_severity

    def option_changes(self, rule: type[Rule]) -> dict[str, Any]:
        """The options this configuration sets for ``rule`` to something other than the rule's
        own defaults, by their YAML names (what ``patchlint rules --config`` prints)."""
        settings = self.rules.get(rule.code)
        if settings is None:
            return {}
        defaults = {name: default for name, _type, default in rule.option_fields()}
        return {
            name.replace("_", "-"): value
            for name, value in settings.options.items()
            if name not in defaults or value != defaults[name]
        }

    def instantiate(self, rules: Iterable[type[Rule]], resources: Resources | None = None) -> list[Rule]:
        """Build the enabled rules with their options and severities, in code order, sharing
        ``resources`` (built from this configuration when None: see
        :meth:`~patchlint.resources.shared.Resources.load`)."""
        if resources is None:
            from patchlint.resources.shared import Resources

            resources = Resources.load(self)
        built = []
        for rule in sorted(rules, key=lambda r: r.code):
            if not self.is_enabled(rule):
                continue
            settings = self.rules.get(rule.code, RuleConfig())
            options = rule.Options(**settings.options)
            instance = rule(options, settings.severity)
            instance.use(resources)
            instance.configure(self)
            built.append(instance)
        return built

    def setting(self, key: str) -> tuple[Any, str, yaml.Node] | None:
        """A setting's value, the file that set it and its YAML node; None when not set."""
        if key not in self.settings:
            return None
        file, node = self.setting_nodes[key]
        return self.settings[key], file, node

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


@dataclass(frozen=True)
class ProfileChooser:
    """Picks the profile whose ``lists:`` claim a posting; built from a folder of profiles.

    ``lists`` maps each profile that names lists to its patterns; ``ancestors`` maps each
    profile to the profiles it extends, directly or not (by name, built-in ones only).
    """

    lists: Mapping[str, ListPatterns]
    ancestors: Mapping[str, frozenset[str]]

    @classmethod
    def from_folder(cls, folder: Path) -> ProfileChooser:
        """Read the ``lists:`` and ``extends:`` of every profile in ``folder`` (errors name the
        file and line, as when the profile is loaded)."""
        lists: dict[str, ListPatterns] = {}
        parents: dict[str, str | None] = {}
        for path in sorted(folder.glob("*.yaml")):
            name = str(path)
            root = read_yaml(path)
            expect_node(name, root, yaml.MappingNode, "a mapping of settings (key: value)")
            parents[path.stem] = None
            for key_node, value in root.value:
                key = scalar_node(name, key_node)
                if key == "lists":
                    lists[path.stem] = list_patterns(name, value)
                elif key == "extends" and isinstance(value, yaml.ScalarNode):
                    ref = str(value.value)
                    parents[path.stem] = Path(ref).stem if (folder / f"{Path(ref).stem}.yaml").is_file() else None
        ancestors: dict[str, frozenset[str]] = {}
        for profile in parents:
            seen: list[str] = []
            parent = parents.get(profile)
            while parent is not None and parent not in seen and parent != profile:
                seen.append(parent)
                parent = parents.get(parent)
            ancestors[profile] = frozenset(seen)
        return cls(lists, ancestors)

    def choose(self, list_ids: Iterable[str], addresses: Iterable[str]) -> str:
        """The profile for a posting delivered by the lists ``list_ids`` and sent to
        ``addresses`` (To, then Cc); :data:`DEFAULT_PROFILE` when no profile claims them.

        A List-Id decides when any profile claims one (it says which list's copy this is); the
        addresses only when none does. Among several claims the most specific wins (see
        :meth:`_best`).
        """
        for values, address in ((list_ids, False), (addresses, True)):
            best = self._best(list(values), address)
            if best is not None:
                return best
        return DEFAULT_PROFILE

    def _best(self, values: list[str], address: bool) -> str | None:
        """The most specific claim on ``values``: a pattern without wildcards over one with
        them (``netdev@vger.kernel.org`` over ``*@vger.kernel.org``), a more literal pattern
        over a less literal one; then a profile over one it extends (netfilter over netdev);
        then the earlier value (To before Cc), then the name, so the answer is always the same.
        """
        claims: list[tuple[int, int, str]] = []  # (specificity, position, profile)
        for position, value in enumerate(values):
            for profile, patterns in self.lists.items():
                level = patterns.match(value, address)
                if level is not None:
                    claims.append((level, position, profile))
        if not claims:
            return None
        top = max(level for level, _, _ in claims)
        claims = [c for c in claims if c[0] == top]
        claimed = {profile for _, _, profile in claims}
        # A profile that another claiming profile extends is the less specific of the two.
        inherited = set().union(*(self.ancestors.get(p, frozenset()) for p in claimed))
        remaining = [c for c in claims if c[2] not in inherited] or claims
        return min(remaining, key=lambda c: (c[1], c[2]))[2]


@functools.cache
def _builtin_chooser(folder: str) -> ProfileChooser:
    # The built-in profiles do not change while patchlint runs: read their lists once.
    return ProfileChooser.from_folder(Path(folder))


def choose_profile(list_ids: Iterable[str], addresses: Iterable[str]) -> str:
    """The built-in profile that judges a posting when the user chose no configuration.

    ``list_ids`` are the posting's ``List-Id`` values (``ltp.lists.linux.it``, as
    :attr:`Posting.list_ids` gives them), ``addresses`` the addresses it was sent to, To then Cc
    (:attr:`Posting.recipients`). Each profile's ``lists:`` say which lists it is for. A List-Id
    decides when a profile claims it; otherwise the addresses do. The most specific claim wins:
    an exact list over a host pattern (``netdev`` over ``kernel``'s ``*.vger.kernel.org``), a
    profile over the one it extends (``netfilter`` over ``netdev``), then the earlier address.
    Nothing claimed: the default profile.
    """
    list_ids = tuple(list_ids)
    if not list_ids:
        addresses = list(addresses)
        if not addresses:
            # Nothing can claim it (a hook's one patch or message): known without reading
            # every profile's lists.
            return DEFAULT_PROFILE
    return _builtin_chooser(_builtin_folder()).choose(list_ids, addresses)


@functools.cache
def _builtin_folder() -> str:
    # Asked once per posting of an archive: finding the folder (a resolve, a stat, importlib's
    # resources) cost more than choosing the profile.
    return str(profiles_dir())


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


@dataclass(frozen=True)
class PluginEntry:
    """One ``plugins:`` item: what it names, and the file and line that name it."""

    target: str
    file: Path
    line: int

    @property
    def is_file(self) -> bool:
        """A Python file (relative to the configuration) rather than a module name."""
        return self.target.endswith(".py") or "/" in self.target


def plugin_entries(path: str | Path) -> list[PluginEntry]:
    """The ``plugins:`` of a configuration file and of the files it extends, parents first.

    This reads the files before their rules can be checked (the plugins provide rules); built-in
    profiles name no plugins. Mistakes in the list itself are located errors.
    """
    entries: list[PluginEntry] = []
    seen: set[Path] = set()

    def walk(file: Path) -> None:
        if file.resolve() in seen or file.resolve().parent == profiles_dir().resolve():
            return
        seen.add(file.resolve())
        name = str(file)
        root = read_config_file(file)
        if not isinstance(root, yaml.MappingNode):
            return  # the loader reports it
        own: list[PluginEntry] = []
        for key_node, value in root.value:
            key = scalar_node(name, key_node)
            if key == "extends":
                ref = string_node(name, value, "a profile name or a file path")
                walk(resolve_extends(name, file, ref, value, profile_path, builtin_profiles))
            elif key == "plugins":
                expect_node(name, value, yaml.SequenceNode, "a list of Python files or module names")
                for item in value.value:
                    target = string_node(name, item, "a Python file or a module name")
                    if not target.strip():
                        raise ConfigError(name, node_line(item), "an empty plugin name")
                    own.append(PluginEntry(target, file, node_line(item)))
        entries.extend(own)

    walk(Path(path))
    return entries


def read_config_file(path: Path, referrer: Path | None = None) -> yaml.Node:
    """A configuration file's nodes: a YAML file (:func:`read_yaml`), or the ``[tool.patchlint]``
    table of a ``pyproject.toml`` (the same keys, written in TOML; see :mod:`patchlint.discovery`)."""
    if path.name != "pyproject.toml":
        return read_yaml(path, referrer)
    from patchlint.discovery import TABLE, pyproject_table

    if not path.is_file():
        return read_yaml(path, referrer)  # the same "cannot read" error as for any file
    table = pyproject_table(path)
    if table is None:
        raise ConfigError(str(path), 1, f"no {TABLE} table: write the configuration there, or in a YAML file")
    return table


class _Loader:
    def __init__(self, catalogue: dict[str, type[Rule]]) -> None:
        self.catalogue = catalogue
        self.by_name = {rule.name: rule for rule in catalogue.values()}

    def load(self, path: Path, chain: tuple[Path, ...]) -> Config:
        name = str(path)
        if path.resolve() in chain:
            raise ConfigError(name, 1, "extends itself (circular 'extends:' chain)")
        root = read_config_file(path, chain[-1] if chain else None)
        expect_node(name, root, yaml.MappingNode, "a mapping of settings (key: value)")
        parent: Config | None = None
        own: dict[str, Any] = {}
        extends = False
        for key_node, value in root.value:
            key = scalar_node(name, key_node)
            if key not in TOP_KEYS:
                raise ConfigError(name, node_line(key_node), unknown_message("key", key, TOP_KEYS))
            if key == "extends":
                extends = True
                ref = string_node(name, value, "a profile name or a file path")
                target = resolve_extends(name, path, ref, value, profile_path, builtin_profiles)
                parent = self.load(target, (*chain, path.resolve()))
            elif key in ("select", "extend-select", "ignore"):
                own[key] = self._selectors(name, value)
            elif key == "rules":
                own[key] = self._rules(name, value)
            elif key == "lists":
                own[key] = list_patterns(name, value)
            elif key == "plugins":
                pass  # read before the rules exist (plugin_entries): the plugins provide rules
            elif key == "settings":
                expect_node(name, value, yaml.MappingNode, "a mapping")
                own[key] = node_value(value)
                own["setting-nodes"] = {
                    scalar_node(name, k): (name, v) for k, v in value.value
                }
            else:
                own[key] = string_node(name, value, "a string")
        default = profile_path(DEFAULT_PROFILE)
        if not extends and path.resolve() != default.resolve() and default.is_file():
            # Every configuration builds on the default profile unless it says otherwise, so
            # an empty file, a file of a few options and no file at all agree on the rest.
            parent = self.load(default, (*chain, path.resolve()))
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
        known = {spec.attr: spec for spec in rule.option_specs()}
        options: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = scalar_node(name, key_node)
            attr = key.replace("-", "_")
            if attr not in known:
                allowed = [opt.replace("_", "-") for opt in known] or ["(none: this rule has no options)"]
                raise ConfigError(name, node_line(key_node), unknown_message(f"option of {rule.name}", key, allowed))
            spec = known[attr]
            value = node_value(value_node)
            what = f"{rule.name} option {key}"
            options[attr] = _check_type(name, value_node, what, value, spec.type, spec.default)
            _check_option(name, value_node, what, options[attr], spec)
        return options

    def _merge(self, name: str, parent: Config | None, own: dict[str, Any]) -> Config:
        if parent is None:
            parent = Config((), (), {}, {})
        rules = dict(parent.rules)
        for code, settings in own.get("rules", {}).items():
            old = rules.get(code, RuleConfig())
            rules[code] = RuleConfig(
                settings.severity or old.severity, {**old.options, **settings.options}
            )
        selections = parent.selections
        if any(key in own for key in ("select", "extend-select", "ignore")):
            selections = (*selections, Selection(
                name, own.get("select"), own.get("extend-select", ()), own.get("ignore", ())
            ))
        return Config(
            files=(name, *parent.files),
            selections=selections,
            rules=rules,
            settings={**parent.settings, **own.get("settings", {})},
            setting_nodes={**parent.setting_nodes, **own.get("setting-nodes", {})},
            lists=own.get("lists"),
            description=own.get("description", ""),
        )


def list_patterns(name: str, node: yaml.Node) -> ListPatterns:
    """The ``lists:`` mapping of a profile, every pattern checked for its form."""
    expect_node(name, node, yaml.MappingNode, "a mapping with list-ids, addresses and exclusions")
    found: dict[str, tuple[str, ...]] = {}
    for key_node, value in node.value:
        key = scalar_node(name, key_node)
        if key not in LIST_KEYS:
            raise ConfigError(name, node_line(key_node), unknown_message("key of lists", key, LIST_KEYS))
        address = key.endswith("addresses")
        what = "address patterns (list@host, * and ? allowed)" if address else \
            "List-Id patterns (the part in <>, e.g. ltp.lists.linux.it; * and ? allowed)"
        items = [value] if isinstance(value, yaml.ScalarNode) else value.value
        if not isinstance(value, (yaml.ScalarNode, yaml.SequenceNode)):
            raise ConfigError(name, node_line(value), f"expected a list of {what}, found {_describe(value)}")
        patterns = []
        for item in items:
            text = string_node(name, item, f"one of {what}").strip().lower()
            problem = _list_pattern_problem(text, address)
            if problem:
                raise ConfigError(name, node_line(item), f"{key} {text!r}: {problem}")
            patterns.append(text)
        found[key.replace("-", "_")] = tuple(patterns)
    return ListPatterns(name, **found)


def _list_pattern_problem(text: str, address: bool) -> str | None:
    if not text or any(c.isspace() for c in text):
        return "a pattern is one word, without spaces"
    if address:
        if text.count("@") != 1 or text.startswith("@") or text.endswith("@"):
            return "an address pattern is list@host (e.g. netdev@vger.kernel.org, *@vger.kernel.org)"
        return None
    if "@" in text:
        return "that is an address: put it under addresses (a List-Id is written list.host)"
    if "<" in text or ">" in text:
        return "write the List-Id without its angle brackets"
    if "." not in text:
        return "a List-Id has a dot (list.host, e.g. netdev.vger.kernel.org)"
    return None


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


def _check_option(name: str, node: yaml.Node, what: str, value: Any, spec: OptionSpec) -> None:
    items = list(value) if isinstance(value, (list, tuple, frozenset)) else [value]
    item_nodes = node.value if isinstance(node, yaml.SequenceNode) else [node] * len(items)
    for item, item_node in zip(items, item_nodes):
        if spec.choices is not None and item not in spec.choices:
            raise ConfigError(
                name, node_line(item_node), unknown_message(f"value of {what}", str(item), spec.choices)
            )
        if spec.regex is not None:
            flags, grouped = spec.regex
            try:
                re.compile(f"(?:{item})" if grouped else item, flags)
            except (re.error, RecursionError, OverflowError, ValueError) as exc:
                raise ConfigError(
                    name, node_line(item_node),
                    f"{what}: {item!r} is not a regular expression: {exc}; write a Python regular "
                    f"expression (a literal ( [ {{ * + ? . or \\ is escaped with a backslash)",
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
