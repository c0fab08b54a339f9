"""YAML configuration: selection, options, severities, extends, and errors that say where."""

from __future__ import annotations

import pytest

from patchlint.checks import BUILTIN_RULES
from patchlint.config import ConfigError, builtin_profiles, load_config, profile_path
from patchlint.engine import Engine
from patchlint.rule import Severity


def codes(engine: Engine) -> list[str]:
    return [rule.code for rule in engine.rules]


def test_default_profile_is_the_rules_defaults_less_what_git_does_not_ask() -> None:
    engine = Engine()
    # The kernel's conventions (cover letters, Closes: after Reported-by, its commit reference
    # form) are the kernel profile's; git's own SubmittingPatches does not ask for them.
    kernel_only = {"PL112", "PL311", "PL318"}
    assert codes(engine) == [r.code for r in BUILTIN_RULES if r.enabled_by_default and r.code not in kernel_only]
    assert kernel_only <= set(codes(Engine("kernel")))
    assert "default" in builtin_profiles()
    assert profile_path("default").is_file()


def test_select_by_prefix_and_name_then_ignore(write_config) -> None:
    engine = Engine(write_config("select: [PL10, signed-off-by]\nignore: [PL102, PL103, PL104]\n"))
    assert codes(engine) == ["PL101", "PL105", "PL106", "PL107", "PL108", "PL109", "PL301"]


def test_extend_select_adds_to_the_defaults(write_config) -> None:
    engine = Engine(write_config("select: [PL30]\nextend-select: [PL401]\n"))
    assert codes(engine) == [f"PL30{n}" for n in range(1, 10)] + ["PL401"]


def test_options_and_severity_reach_the_rule(write_config) -> None:
    engine = Engine(write_config(
        "rules:\n  subject-prefix:\n    severity: warning\n    options:\n      allow-v1: true\n"
    ))
    rule = next(r for r in engine.rules if r.code == "PL101")
    assert rule.severity is Severity.WARNING
    assert rule.options.allow_v1 is True
    assert rule.options.require_prefix is True


def test_extends_merges_parent_and_child(write_config) -> None:
    write_config("select: [PL101, PL102, PL301]\nrules:\n  PL101:\n    options: {allow-v1: true}\n", "base.yaml")
    child = write_config("extends: base.yaml\nignore: [PL102]\nrules:\n  PL101:\n    severity: info\n")
    engine = Engine(child)
    assert codes(engine) == ["PL101", "PL301"]
    rule = engine.rules[0]
    assert (rule.severity, rule.options.allow_v1) == (Severity.INFO, True)
    # Without an extends of its own, base.yaml builds on the default profile.
    assert engine.config.files[:2] == (str(child), str(child.parent / "base.yaml"))
    assert engine.config.files[2] == str(profile_path("default"))


def test_extends_a_builtin_profile_by_name(write_config) -> None:
    engine = Engine(write_config("extends: default\nignore: [PL2]\n"))
    assert "PL201" not in codes(engine)
    assert "PL101" in codes(engine)


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("selct: [PL1]\n", 1, "unknown key 'selct'; did you mean 'select'?"),
        ("select: [PL1]\nignore: [no-such-rule]\n", 2, "unknown rule 'no-such-rule'"),
        ("rules:\n  subject-prefx: {}\n", 2, "did you mean 'subject-prefix'?"),
        ("rules:\n  subject-prefix:\n    options:\n      allow-v1: 3\n", 4, "must be bool"),
        ("rules:\n  subject-prefix:\n    options:\n      alow-v1: true\n", 4, "allow-v1"),
        ("rules:\n  subject-prefix:\n    severity: fatal\n", 3, "use error, warning or info"),
        ("rules:\n  subject-prefix:\n    enabled: true\n", 3, "allowed: severity, options"),
        ("rules:\n  - subject-prefix\n", 2, "expected a mapping of rule name"),
        ("select: [PL1\n", 2, "invalid YAML"),
        ("extends: nosuchprofile\n", 1, "unknown profile 'nosuchprofile'"),
        ("extends: ./missing.yaml\n", 1, "does not exist"),
        ("- just a list\n", 1, "expected a mapping of settings"),
        ("lists: [ltp.lists.linux.it]\n", 1, "expected a mapping with list-ids"),
        ("lists:\n  list-id: [ltp.lists.linux.it]\n", 2, "unknown key of lists 'list-id'; did you mean 'list-ids'?"),
        ("lists:\n  list-ids:\n    - ltp.lists.linux.it\n    - ltp@lists.linux.it\n", 4, "put it under addresses"),
        ("lists:\n  list-ids: ['<ltp.lists.linux.it>']\n", 2, "without its angle brackets"),
        ("lists:\n  list-ids: [ltp]\n", 2, "a List-Id has a dot"),
        ("lists:\n  addresses: [lists.linux.it]\n", 2, "an address pattern is list@host"),
        ("lists:\n  addresses: ['ltp @lists.linux.it']\n", 2, "without spaces"),
        ("lists:\n  addresses: {ltp: 1}\n", 2, "expected a list of address patterns"),
        ("lists:\n  addresses: [1]\n", 2, "expected one of address patterns"),
    ],
    ids=["typo-key", "unknown-rule", "rule-name-typo", "wrong-type", "unknown-option",
         "bad-severity", "unknown-rule-key", "rules-as-list", "bad-yaml", "unknown-profile",
         "missing-extends", "not-a-mapping",
         "lists-not-a-mapping", "lists-key-typo", "lists-address-as-id", "lists-brackets", "lists-no-dot",
         "lists-id-as-address", "lists-space", "lists-mapping-value", "lists-number"],
)
def test_mistakes_name_file_line_and_fix(write_config, text: str, line: int, fragment: str) -> None:
    path = write_config(text)
    with pytest.raises(ConfigError) as caught:
        load_config(path, BUILTIN_RULES)
    error = caught.value
    assert (error.file, error.line) == (str(path), line)
    assert fragment in error.message
    assert str(error).startswith(f"{path}:{line}: ")


def test_circular_extends_is_an_error(write_config) -> None:
    write_config("extends: b.yaml\n", "a.yaml")
    path = write_config("extends: a.yaml\n", "b.yaml")
    with pytest.raises(ConfigError, match="circular"):
        load_config(path, BUILTIN_RULES)


def test_empty_file_means_defaults(write_config) -> None:
    engine = Engine(write_config(""))
    assert codes(engine) == codes(Engine())


def test_a_profile_name_stands_for_the_built_in_file(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)  # no file called "netdev" here
    engine = Engine("netdev")
    assert engine.config.files[0] == str(profile_path("netdev"))
    assert {"missing-tree-tag", "series-too-long"} <= {rule.name for rule in engine.rules}


def test_a_file_wins_over_a_profile_of_the_same_name(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "netdev").write_text("select: [PL301]\n")
    assert codes(Engine("netdev")) == ["PL301"]


# -- select / ignore precedence ----------------------------------------------------------------


def test_a_child_profile_re_enables_what_its_parent_ignored(write_config) -> None:
    write_config("ignore: [PL311, PL312]\n", "base.yaml")
    by_name = write_config("extends: base.yaml\nextend-select: [reported-by-without-link]\n", "a.yaml")
    by_family = write_config("extends: base.yaml\nextend-select: [PL3]\n", "b.yaml")
    assert "PL311" in codes(Engine(by_name)) and "PL312" not in codes(Engine(by_name))
    # The child's word counts, however broad: it asked for the whole PL3 family.
    assert {"PL311", "PL312", "PL313", "PL314"} <= set(codes(Engine(by_family)))


def test_what_a_child_does_not_mention_keeps_its_parents_answer(write_config) -> None:
    write_config("ignore: [PL311]\nextend-select: [PL313]\n", "base.yaml")
    child = write_config("extends: base.yaml\nextend-select: [PL109]\n")
    enabled = codes(Engine(child))
    assert "PL311" not in enabled
    assert {"PL109", "PL313"} <= set(enabled)


@pytest.mark.parametrize(
    ("text", "on", "off"),
    [
        ("select: [PL3]\nignore: [PL31]\nextend-select: [PL311]\n",
         {"PL301", "PL309", "PL311"}, {"PL310", "PL312", "PL101"}),
        ("extend-select: [PL311]\nignore: [PL311]\n", set(), {"PL311"}),
        ("ignore: [PL3]\nextend-select: [signed-off-by]\n", {"PL301"}, {"PL302", "PL311"}),
        ("select: [ALL]\nignore: [PL5]\nextend-select: [PL511]\n", {"PL511", "PL115", "PL401"}, {"PL501", "PL512"}),
    ],
    ids=["code-over-prefix", "tie-goes-to-ignore", "name-over-prefix", "prefix-over-all"],
)
def test_within_one_file_the_most_specific_entry_wins(write_config, text: str, on: set, off: set) -> None:
    enabled = set(codes(Engine(write_config(text))))
    assert on <= enabled
    assert not off & enabled


def test_a_child_select_starts_the_selection_afresh(write_config) -> None:
    write_config("extend-select: [PL313]\nignore: [PL102]\n", "base.yaml")
    child = write_config("extends: base.yaml\nselect: [PL1]\n")
    enabled = codes(Engine(child))
    assert "PL313" not in enabled
    assert "PL102" in enabled  # select [PL1] names it again, in the later file


def test_a_file_without_extends_builds_on_the_default_profile(write_config) -> None:
    config = load_config(write_config("rules:\n  PL103:\n    options: {max-length: 60}\n"), BUILTIN_RULES)
    assert config.files[-1] == str(profile_path("default"))
    default = load_config(None, BUILTIN_RULES)
    assert [r.code for r in BUILTIN_RULES if config.is_enabled(r)] == \
        [r.code for r in BUILTIN_RULES if default.is_enabled(r)]


# -- lists: which mailing lists a profile is for -----------------------------------------------


def test_lists_are_read_and_not_inherited(write_config) -> None:
    write_config("lists:\n  list-ids: ['*.example.org']\n", "base.yaml")
    path = write_config(
        "extends: base.yaml\nlists:\n  list-ids: [Dev.Example.org]\n  addresses: [dev@example.org]\n"
        "  exclude-addresses: ['dev-owner@example.org']\n"
    )
    lists = load_config(path, BUILTIN_RULES).lists
    assert lists is not None
    assert (lists.list_ids, lists.addresses, lists.exclude_addresses) == (
        ("dev.example.org",), ("dev@example.org",), ("dev-owner@example.org",)
    )
    base = load_config(path.parent / "base.yaml", BUILTIN_RULES)
    assert base.lists is not None and base.lists.list_ids == ("*.example.org",)
    assert load_config(write_config("extends: base.yaml\n", "child.yaml"), BUILTIN_RULES).lists is None


def test_every_builtin_profile_loads() -> None:
    for name in builtin_profiles():
        config = load_config(name, BUILTIN_RULES)
        assert config.description, f"{name} has no description"
