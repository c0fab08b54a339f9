"""The trailer registry: which trailers a project knows, how each is spelled and what it holds.

The built-in registry is ``patchlint/data/trailers.yaml``; a
configuration points at another with ``settings: {trailer-registry: FILE}``, and that file may
``extends:`` the built-in one by name. The format is documented at the top of the built-in file.
Mistakes are :class:`~patchlint.config.ConfigError` naming the registry file and line.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from patchlint.config import (
    Config,
    ConfigError,
    expect_node,
    node_line,
    read_yaml,
    resolve_extends,
    scalar_node,
    string_node,
    unknown_message,
)

BUILTIN_REGISTRY = "trailers"
REGISTRY_SETTING = "trailer-registry"


class ValueType(str, enum.Enum):
    """What a trailer's value must be."""

    PERSON = "person"
    URL = "url"
    COMMIT = "commit"
    TEXT = "text"
    AGENT = "agent"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class TrailerSpec:
    """One known trailer."""

    key: str
    type: ValueType = ValueType.TEXT
    repeat: bool = True
    any_case: bool = False
    forbidden: str = ""
    required: bool = False


@dataclass(frozen=True)
class TagOrder:
    """A required order of tags: sections (paragraphs) of keys, each in order."""

    name: str
    sections: tuple[tuple[str, ...], ...]
    chronological_after: str = ""

    def position(self, key: str) -> tuple[int, int] | None:
        """(section, index in section) of ``key`` (case-insensitive), or None if not ordered."""
        lowered = key.lower()
        for number, section in enumerate(self.sections):
            for index, name in enumerate(section):
                if name.lower() == lowered:
                    return number, index
        return None


@dataclass(frozen=True)
class Registry:
    """The known trailers by lower-case key, the named tag orders, and the files read."""

    specs: Mapping[str, TrailerSpec]
    orders: Mapping[str, TagOrder] = field(default_factory=dict)
    files: tuple[str, ...] = ()
    # suggest() answers, remembered: the same few keys ("Note", "Link", typos) recur in every
    # message, and an edit distance against every known key is the costly part of a lookup.
    _suggestions: dict[str, TrailerSpec | None] = field(default_factory=dict, compare=False, repr=False)
    # keys_of() answers, remembered: rules ask for every posting, the answer never changes.
    _keys_of: dict[ValueType, frozenset[str]] = field(default_factory=dict, compare=False, repr=False)
    # Normalised key -> the first spec with it, in the registry's order, and the key's letters:
    # what suggest() compares a key with, worked out on its first call.
    _by_normal: dict[str, tuple[TrailerSpec, frozenset[str]]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def get(self, key: str) -> TrailerSpec | None:
        """The spec of ``key``, whatever its case."""
        return self.specs.get(key.lower())

    def keys_of(self, type: ValueType) -> frozenset[str]:
        """The keys, in lower case, of the trailers whose values are of ``type``."""
        keys = self._keys_of.get(type)
        if keys is None:
            keys = self._keys_of[type] = frozenset(
                spec.key.lower() for spec in self.specs.values() if spec.type is type
            )
        return keys

    def suggest(self, key: str) -> TrailerSpec | None:
        """The known trailer ``key`` is most likely a misspelling of, or None.

        Separators are normalised first (``Signed_off_by``, ``Signed off by``), then an edit
        distance of at most 2 is accepted for keys of five letters or more (``Signed-of-by``,
        ``Reviewd-by``); short keys are left alone (``To`` is not a typo of ``Cc``).
        """
        spec = self.get(key)
        if spec is not None:
            return spec
        if key not in self._suggestions:
            self._suggestions[key] = self._closest(key)
        return self._suggestions[key]

    def _closest(self, key: str) -> TrailerSpec | None:
        by_normal = self._by_normal
        if not by_normal:
            for candidate in self.specs.values():
                if _normal(candidate.key) not in by_normal:
                    by_normal[_normal(candidate.key)] = (candidate, frozenset(_normal(candidate.key)))
        normal = _normal(key)
        same = by_normal.get(normal)
        if same is not None:
            return same[0]
        if len(normal) < 5:
            return None
        letters = frozenset(normal)
        best: tuple[int, TrailerSpec] | None = None
        for known, (candidate, known_letters) in by_normal.items():
            # Cheap tests first, each true of keys more than two edits apart: lengths that differ
            # by more than two, or more than two letters that the other key lacks (an edit brings
            # in at most one letter).
            if abs(len(known) - len(normal)) > 2:
                continue
            if len(letters - known_letters) > 2 or len(known_letters - letters) > 2:
                continue
            distance = _bounded_distance(normal, known, 2)
            if distance <= 2 and (best is None or distance < best[0]):
                best = (distance, candidate)
        return best[1] if best else None

    @property
    def keys(self) -> tuple[str, ...]:
        """Every canonical key."""
        return tuple(spec.key for spec in self.specs.values())


def _normal(key: str) -> str:
    return "-".join(key.lower().replace("_", "-").split()).replace("--", "-")


def _bounded_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance between ``a`` and ``b`` if at most ``limit``, else ``limit + 1``.

    For the small limits of :meth:`Registry.suggest` trying the three edits at the first
    difference (3**limit slices at most) is far cheaper than :func:`edit_distance`'s table of
    every pair of characters, and every unknown tag key of a corpus goes through here.
    """
    # A common prefix or suffix costs nothing.
    start, shorter = 0, min(len(a), len(b))
    while start < shorter and a[start] == b[start]:
        start += 1
    end_a, end_b = len(a), len(b)
    while end_a > start and end_b > start and a[end_a - 1] == b[end_b - 1]:
        end_a, end_b = end_a - 1, end_b - 1
    a, b = a[start:end_a], b[start:end_b]
    if not a or not b:
        return min(len(a) + len(b), limit + 1)
    if limit == 0 or abs(len(a) - len(b)) > limit:
        return limit + 1  # an edit is needed (a[0] != b[0]), or more than allowed for the lengths
    # a[0] != b[0]: the first edit replaces, deletes or inserts there.
    return 1 + min(
        _bounded_distance(a[1:], b[1:], limit - 1),
        _bounded_distance(a[1:], b, limit - 1),
        _bounded_distance(a, b[1:], limit - 1),
    )


def edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Levenshtein distance between ``a`` and ``b``, or ``limit + 1`` once it exceeds ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def registry_path(name: str) -> Path:
    """The file of a built-in registry (``trailers``): data shipped in ``patchlint/data``."""
    return Path(__file__).resolve().parent.parent / "data" / f"{name}.yaml"


def registry_for(config: Config) -> Registry:
    """The registry a configuration asks for: its ``trailer-registry`` setting, else the built-in."""
    setting = config.setting(REGISTRY_SETTING)
    if setting is None:
        return load_registry(registry_path(BUILTIN_REGISTRY))
    _value, file, node = setting
    ref = string_node(file, node, "the path of a trailer registry (YAML)")
    target = resolve_extends(file, Path(file), ref, node, registry_path, lambda: [BUILTIN_REGISTRY], "registry")
    return load_registry(target)


_ENTRY_KEYS = ("type", "repeat", "any-case", "forbidden", "required")
_TOP_KEYS = ("description", "extends", "trailers", "orders")
_ORDER_KEYS = ("sections", "chronological-after")


def load_registry(path: Path, chain: tuple[Path, ...] = ()) -> Registry:
    """Load a registry file (and whatever it ``extends:``); errors name the file and line."""
    name = str(path)
    if path.resolve() in chain:
        raise ConfigError(name, 1, "extends itself (circular 'extends:' chain)")
    root = read_yaml(path, chain[-1] if chain else None)
    expect_node(name, root, yaml.MappingNode, "a mapping with 'trailers:' (and optionally 'orders:')")
    parent = Registry({})
    entries: list[tuple[yaml.Node, yaml.Node]] = []
    orders: list[tuple[yaml.Node, yaml.Node]] = []
    for key_node, value in root.value:
        key = scalar_node(name, key_node)
        if key not in _TOP_KEYS:
            raise ConfigError(name, node_line(key_node), unknown_message("key", key, _TOP_KEYS))
        if key == "extends":
            ref = string_node(name, value, "a registry name or a file path")
            target = resolve_extends(name, path, ref, value, registry_path, lambda: [BUILTIN_REGISTRY], "registry")
            parent = load_registry(target, (*chain, path.resolve()))
        elif key == "trailers":
            expect_node(name, value, yaml.MappingNode, "a mapping of trailer key to its description")
            entries = value.value
        elif key == "orders":
            expect_node(name, value, yaml.MappingNode, "a mapping of order name to its sections")
            orders = value.value
        else:
            string_node(name, value, "a string")
    specs = dict(parent.specs)
    for key_node, value in entries:
        key = scalar_node(name, key_node)
        specs[key.lower()] = _entry(name, key, value, specs.get(key.lower()))
    named = dict(parent.orders)
    for key_node, value in orders:
        order = _order(name, scalar_node(name, key_node), value, specs)
        named[order.name] = order
    return Registry(specs, named, (name, *parent.files))


def _entry(name: str, key: str, node: yaml.Node, inherited: TrailerSpec | None) -> TrailerSpec:
    expect_node(name, node, yaml.MappingNode, f"a mapping describing {key} (type: …)")
    # An entry for an inherited key changes only the fields it gives (Change-Id: {forbidden: false}).
    spec = replace(inherited, key=key) if inherited else None
    fields: dict[str, object] = {}
    for field_node, value in node.value:
        field_name = scalar_node(name, field_node)
        if field_name not in _ENTRY_KEYS:
            raise ConfigError(
                name, node_line(field_node), unknown_message(f"field of {key}", field_name, _ENTRY_KEYS)
            )
        if field_name == "type":
            text = string_node(name, value, "person, url, commit, text or agent")
            try:
                fields["type"] = ValueType(text)
            except ValueError:
                raise ConfigError(
                    name, node_line(value),
                    unknown_message(f"type of {key}", text, [str(t) for t in ValueType]),
                ) from None
        elif field_name == "forbidden":
            if value.tag == "tag:yaml.org,2002:bool":
                if value.value.lower() in ("true", "yes", "on"):
                    fields["forbidden"] = f"{key} is not allowed in this project"
                else:
                    fields["forbidden"] = ""
            else:
                fields["forbidden"] = string_node(name, value, "a reason (a string) or false")
        else:
            if value.tag != "tag:yaml.org,2002:bool":
                raise ConfigError(name, node_line(value), f"{key} {field_name} must be true or false")
            fields[field_name.replace("-", "_")] = value.value.lower() in ("true", "yes", "on")
    if spec is None:
        if "type" not in fields:
            raise ConfigError(name, node_line(node), f"{key} needs a type (person, url, commit, text or agent)")
        return TrailerSpec(key=key, **fields)  # type: ignore[arg-type]
    return replace(spec, **fields)  # type: ignore[arg-type]


def _order(name: str, order_name: str, node: yaml.Node, specs: Mapping[str, TrailerSpec]) -> TagOrder:
    expect_node(name, node, yaml.MappingNode, f"a mapping with the sections of order {order_name}")
    sections: list[tuple[str, ...]] = []
    after = ""
    for key_node, value in node.value:
        key = scalar_node(name, key_node)
        if key not in _ORDER_KEYS:
            raise ConfigError(name, node_line(key_node), unknown_message(f"key of order {order_name}", key, _ORDER_KEYS))
        if key == "sections":
            expect_node(name, value, yaml.SequenceNode, "a list of sections (lists of trailer keys)")
            for section in value.value:
                expect_node(name, section, yaml.SequenceNode, "a section: a list of trailer keys")
                sections.append(tuple(_known(name, item, specs) for item in section.value))
        else:
            after = _known(name, value, specs)
    return TagOrder(order_name, tuple(sections), after)


def _known(name: str, node: yaml.Node, specs: Mapping[str, TrailerSpec]) -> str:
    key = string_node(name, node, "a trailer key")
    spec = specs.get(key.lower())
    if spec is None:
        raise ConfigError(
            name, node_line(node), unknown_message("trailer", key, [s.key for s in specs.values()])
        )
    return spec.key
