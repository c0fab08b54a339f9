"""YAML configuration: selection, options, severities, extends, and errors that say where."""

from __future__ import annotations

import pytest

from patchlint.checks import BUILTIN_RULES
from patchlint.config import ConfigError, builtin_profiles, load_config, profile_path
from patchlint.engine import Engine
from patchlint.rule import Severity


def codes(engine: Engine) -> list[str]:
    return [rule.code for rule in engine.rules]


def test_default_profile_enables_the_rules_enabled_by_default() -> None:
    engine = Engine()
    assert codes(engine) == [r.code for r in BUILTIN_RULES if r.enabled_by_default]
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
    assert len(engine.config.files) == 2


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
    ],
    ids=["typo-key", "unknown-rule", "rule-name-typo", "wrong-type", "unknown-option",
         "bad-severity", "unknown-rule-key", "rules-as-list", "bad-yaml", "unknown-profile",
         "missing-extends", "not-a-mapping"],
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
