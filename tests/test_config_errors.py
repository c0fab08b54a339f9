"""Every configuration mistake is ``file:line: what is wrong`` (exit 4), found when the file is
loaded, and nothing in a configuration file is ever executed.

One case per class of mistake that used to end in a Python traceback (exit 3, or 1 through
``patchlint rules``), or that was accepted and then failed every patch at run time, or that was
accepted silently (a duplicate key: the last one won).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from patchlint import cli
from patchlint.checks import BUILTIN_RULES
from patchlint.config import MAX_DEPTH, ConfigError, SafeLoader, load_config

LOADERS = [yaml.SafeLoader] + ([yaml.CSafeLoader] if yaml.__with_libyaml__ else [])


@pytest.fixture(params=LOADERS, ids=lambda loader: loader.__name__)
def loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> type:
    """Each case under PyYAML's own loader and under libyaml's, when installed: errors must
    name the same line whichever reads the file."""
    monkeypatch.setattr("patchlint.config.SafeLoader", request.param)
    return request.param


NESTED = "settings:\n  deep: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n"


MISTAKES = [
    (b"select: [PL1]\n# caf\xe9 in Latin-1\n", 2, "not UTF-8: byte 0xe9 in column 6"),
    (b"select: !custom [PL1]\n", 1, "unknown YAML tag '!custom'"),
    (b"settings:\n  run: !!python/object/apply:os.system [echo]\n", 2, "unknown YAML tag"),
    (b"rules:\n  series-too-long:\n    options:\n      max-patches: " + b"9" * 5000 + b"\n", 4,
     "cannot be read"),
    (b"settings:\n  when: 2024-13-45\n", 2, "cannot be read"),
    (NESTED.encode(), 2, f"nested more than {MAX_DEPTH} deep"),
    (b"select: [PL1]\nignore: [PL102]\nselect: [PL3]\n", 3, "duplicate key 'select' (also on line 1)"),
    (b"rules:\n  subject-prefix:\n    options:\n      allow-v1: true\n      allow-v1: false\n", 5,
     "duplicate key 'allow-v1' (also on line 4)"),
    (b"rules:\n  subsystem-prefix:\n    options:\n      pattern: '(net|bpf'\n", 4,
     "subsystem-prefix option pattern: '(net|bpf' is not a regular expression: missing ), unterminated"),
    (b"rules:\n  agent-sign-off:\n    options:\n      agents:\n        - claude\n        - '[gpt'\n", 6,
     "agent-sign-off option agents: '[gpt' is not a regular expression"),
    (b"rules:\n  agent-sign-off:\n    options:\n      agents: ['(?i)claude']\n", 4,
     "global flags not at the start"),
    (b"rules:\n  forbidden-subject-words:\n    options:\n      patterns: ['x{2,1}']\n", 4,
     "is not a regular expression"),
    (b"rules:\n  subsystem-prefix:\n    options:\n      first-word-case: camel\n", 4,
     "unknown value of subsystem-prefix option first-word-case 'camel'"),
    (b"rules:\n  sign-off-mismatch:\n    options:\n      report: [name, adress]\n", 4,
     "did you mean 'address'?"),
]
MISTAKE_IDS = [
    "latin1-comment", "unknown-tag", "python-tag", "huge-int", "bad-date", "deep-nesting",
    "duplicate-top-key", "duplicate-option", "bad-pattern", "bad-agent-regex",
    "agent-regex-global-flag", "bad-forbidden-pattern", "enum-value", "enum-item",
]


@pytest.mark.parametrize(("data", "line", "fragment"), MISTAKES, ids=MISTAKE_IDS)
def test_a_mistake_is_located_when_the_file_is_loaded(
    tmp_path: Path, loader: type, data: bytes, line: int, fragment: str
) -> None:
    path = tmp_path / "lint.yaml"
    path.write_bytes(data)
    with pytest.raises(ConfigError) as caught:
        load_config(path, BUILTIN_RULES)
    assert (caught.value.file, caught.value.line) == (str(path), line)
    assert fragment in caught.value.message


@pytest.mark.parametrize(("data", "line", "fragment"), MISTAKES, ids=MISTAKE_IDS)
def test_patchlint_check_reports_each_mistake_with_exit_4(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], data: bytes, line: int, fragment: str
) -> None:
    """The same mistakes through the command's entry point (what `python -m patchlint check`
    calls): exit 4, the one ``file:line: what is wrong`` line, no traceback, no mail read."""
    from paths import EXAMPLES

    path = tmp_path / "lint.yaml"
    path.write_bytes(data)
    assert cli.main(["check", "--config", str(path), str(EXAMPLES / "series")]) == 4
    captured = capsys.readouterr()
    assert captured.err.startswith(f"patchlint: configuration error: {path}:{line}: ")
    assert fragment in captured.err
    assert "Traceback" not in captured.err + captured.out and "messages read" not in captured.out


def test_nothing_in_a_configuration_runs(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    path = tmp_path / "lint.yaml"
    path.write_text(f"settings:\n  x: !!python/object/apply:os.system ['touch {marker}']\n")
    with pytest.raises(ConfigError):
        load_config(path, BUILTIN_RULES)
    assert not marker.exists()


def test_a_trailer_registry_mistake_is_located(tmp_path: Path) -> None:
    registry = tmp_path / "trailers.yaml"
    registry.write_text("extends: trailers\ntrailers:\n  Bug-Id: {type: text}\n  Bug-Id: {type: url}\n")
    path = tmp_path / "lint.yaml"
    path.write_text("settings:\n  trailer-registry: trailers.yaml\n")
    from patchlint.engine import Engine

    with pytest.raises(ConfigError) as caught:
        Engine(path)
    assert (caught.value.file, caught.value.line) == (str(registry), 4)
    assert "duplicate key 'Bug-Id' (also on line 3)" in caught.value.message


def test_patchlint_rules_reports_the_mistake_with_exit_4(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "lint.yaml"
    path.write_bytes(b"rules:\n  subsystem-prefix:\n    options: {pattern: '('}\n")
    assert cli.main(["rules", "--config", str(path)]) == 4
    captured = capsys.readouterr()
    assert captured.err.startswith(f"patchlint: configuration error: {path}:3: ")
    assert "Traceback" not in captured.err


def test_the_good_values_still_load(tmp_path: Path) -> None:
    path = tmp_path / "lint.yaml"
    path.write_text(
        "\ufeffdescription: &about our rules\n"  # a byte-order mark, an anchor and its alias
        "settings: {note: *about}\n"
        "rules:\n"
        "  subsystem-prefix:\n    options: {pattern: '(?:net|bpf): ', first-word-case: lower}\n"
        "  agent-sign-off:\n    options: {agents: ['my-bot(?: \\d+)?']}\n",
        encoding="utf-8",
    )
    config = load_config(path, BUILTIN_RULES)
    assert config.rules["PL106"].options["first_word_case"] == "lower"
    assert config.settings["note"] == "our rules"


def test_libyaml_loads_the_files_where_it_is_installed() -> None:
    if yaml.__with_libyaml__:
        assert SafeLoader is yaml.CSafeLoader
    else:
        assert SafeLoader is yaml.SafeLoader


@pytest.mark.parametrize(
    ("options", "line", "fragment"),
    [
        ("  subsystem-prefix:\n    options:\n      first-word-case: banana\n", 4,
         "unknown value of subsystem-prefix option first-word-case 'banana' (allowed: lower, upper, any)"),
        ("  subsystem-prefix:\n    options:\n      pattern: \"(\"\n", 4,
         "subsystem-prefix option pattern: '(' is not a regular expression: missing ), unterminated subpattern"),
        ("  agent-sign-off:\n    options:\n      agents:\n        - my-bot\n        - 'bot[0-9'\n", 6,
         "agent-sign-off option agents: 'bot[0-9' is not a regular expression"),
    ],
    ids=["enum", "pattern", "agent-regex"],
)
def test_patchlint_check_reports_a_bad_option_value_at_its_line(
    tmp_path: Path, options: str, line: int, fragment: str
) -> None:
    """Through the command users run: exit 4, ``file:line``, the option named with what to write
    instead, before any mail is read (not an internal error per patch at run time)."""
    import subprocess
    import sys

    from paths import SEEDS

    path = tmp_path / "lint.yaml"
    path.write_text("rules:\n" + options, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "patchlint", "check", "--config", str(path), str(SEEDS)],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 4, result.stdout + result.stderr
    assert f"{path}:{line}: " in result.stderr
    assert fragment in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert "internal error" not in result.stdout
