"""A project's own rules: ``plugins:`` in its configuration, and the checks every rule passes.

A rule from a plugin is held to what a built-in rule is held to (a code and a kebab-case name, a
docstring with every section, Options a frozen dataclass whose options are documented), and a
project can add one without packaging it: a Python file or a module named in its YAML. Only a
configuration the user names loads plugins; one found in a checked tree never runs its code.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from patchlint import Rule, hookimpl
from patchlint.config import ConfigError
from patchlint.engine import Engine
from patchlint.plugins import PluginError, rule_problems

from paths import EXAMPLES

SERIES = EXAMPLES / "series"

# A local rule as a project would write it: netfilter's summaries name the module they touch.
LOCAL_RULES = '''
"""Our list's own rules."""

from dataclasses import dataclass

from patchlint import Rule, hookimpl
from patchlint.options import option


@dataclass(frozen=True)
class TreeOptions:
    trees: tuple[str, ...] = option(("nf", "nf-next"), "the trees a prefix may name")


class NamesNftCounter(Rule):
    """The summary says which nft module it changes.

    What it does:
        Reports every patch whose summary does not name nft_counter (a demonstration rule).

    Why it matters:
        Our maintainers sort patches by module.

    Bad:
        ``[PATCH] netfilter: fix it``

    Good:
        ``[PATCH] netfilter: nft_counter: fix it``
    """

    code = "PL950"
    name = "names-nft-counter"
    Options = TreeOptions

    def check(self, target):
        if "nft_counter" not in target.subject.summary:
            yield self.violation(target, "the summary does not name nft_counter")
        if target.subject.counter == 1:
            yield self.violation(target, f"first patch (trees: {', '.join(self.options.trees)})")


@hookimpl
def patchlint_rules():
    return [NamesNftCounter]
'''


def run(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "patchlint", *args],
        capture_output=True, text=True, cwd=cwd, timeout=120,
        env={**os.environ, "XDG_CACHE_HOME": str(cwd / ".cache"), **(env or {})},
    )


def test_a_local_rule_file_runs_through_the_command(tmp_path: Path) -> None:
    (tmp_path / "tools").mkdir()
    (tmp_path / "tools" / "lint_rules.py").write_text(LOCAL_RULES)
    config = tmp_path / "lint.yaml"
    config.write_text("plugins:\n  - tools/lint_rules.py\nselect: [PL950]\n")
    rules = run("rules", "--config", str(config), cwd=tmp_path)
    assert rules.returncode == 0, rules.stderr
    assert "PL950  names-nft-counter" in rules.stdout
    checked = run("check", "--config", str(config), str(SERIES), cwd=tmp_path)
    assert checked.returncode == 1, checked.stdout + checked.stderr
    # Both patches of the example name nft_counter; patch 1 carries the option's default trees.
    assert "PL950 names-nft-counter: first patch (trees: nf, nf-next)" in checked.stdout
    assert "does not name nft_counter" not in checked.stdout
    explain = run("explain", "PL950", "--config", str(config), cwd=tmp_path)
    assert "trees (list of str, default" in explain.stdout  # the Options section, written from the field


def test_a_module_name_is_imported_from_the_python_path(tmp_path: Path) -> None:
    (tmp_path / "ourlint.py").write_text(LOCAL_RULES)
    config = tmp_path / "lint.yaml"
    config.write_text("select: [PL950]\nplugins: [ourlint]\n")
    checked = run("check", "--config", str(config), str(SERIES), cwd=tmp_path,
                  env={"PYTHONPATH": os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")])})
    assert checked.returncode == 1 and "PL950 names-nft-counter: first patch" in checked.stdout


def test_a_child_configuration_inherits_its_parent_s_plugins(tmp_path: Path) -> None:
    (tmp_path / "lint_rules.py").write_text(LOCAL_RULES)
    (tmp_path / "base.yaml").write_text("plugins: [lint_rules.py]\n")
    child = tmp_path / "sub" / "child.yaml"
    child.parent.mkdir()
    child.write_text("extends: ../base.yaml\nplugins: [../lint_rules.py]\nselect: [names-nft-counter]\n")
    report = Engine(child).check([SERIES])  # named twice, registered once
    assert [v.code for v in report.violations] == ["PL950"]


@pytest.mark.parametrize(
    ("entry", "source", "message"),
    [
        ("missing.py", None, "plugin file {dir}/missing.py does not exist"),
        ("broken.py", "def oops(:\n", "plugin 'broken.py' cannot be loaded: SyntaxError"),
        ("raising.py", "raise RuntimeError('no database')\n", "cannot be loaded: RuntimeError: no database"),
        ("no_such_module_here", None, "cannot be loaded: ModuleNotFoundError"),
    ],
)
def test_a_plugin_that_cannot_be_loaded_is_a_located_error(
    tmp_path: Path, entry: str, source: str | None, message: str
) -> None:
    if source is not None:
        (tmp_path / entry).write_text(source)
    config = tmp_path / "lint.yaml"
    config.write_text(f"select: [PL1]\nplugins:\n  - {entry}\n")
    checked = run("check", "--config", str(config), str(SERIES), cwd=tmp_path)
    assert checked.returncode == 4
    assert f"{config}:3: " in checked.stderr
    assert message.format(dir=tmp_path) in checked.stderr
    assert "Traceback" not in checked.stderr


def test_plugins_must_be_a_list(tmp_path: Path) -> None:
    config = tmp_path / "lint.yaml"
    config.write_text("plugins: lint_rules.py\n")
    with pytest.raises(ConfigError) as caught:
        Engine(config)
    assert caught.value.line == 1 and "a list of Python files or module names" in caught.value.message


def test_a_found_configuration_s_plugins_are_refused_not_run(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    (tmp_path / "evil.py").write_text(f"open({str(marker)!r}, 'w').write('ran')\n")
    config = tmp_path / ".patchlint.yaml"
    config.write_text("plugins: [evil.py]\n")
    with pytest.raises(ConfigError) as caught:
        Engine(config, trust_plugins=False)
    assert "runs no code from the tree it checks" in caught.value.message and caught.value.line == 1
    assert not marker.exists()


class Undocumented(Rule):
    """Does something"""

    code = "XY1"
    name = "Undocumented_Rule"


class Unfrozen(Rule):
    """Has options that can change under it.

    What it does:
        Nothing.

    Why it matters:
        Nothing.

    Bad:
        Nothing.

    Good:
        Nothing.

    Options:
        None.
    """

    code = "PL150"
    name = "unfrozen"

    class Options:
        pass


def test_what_a_rule_must_be_is_checked_at_registration() -> None:
    assert rule_problems(Undocumented) == [
        "code 'XY1' is not a prefix of capitals and three digits (e.g. 'XY101')",
        "name 'Undocumented_Rule' is not kebab-case (e.g. 'no-shouting')",
        "the docstring does not start with a one-sentence summary ending in '.'",
        # (the Options: section is written from the declaration, so only the others can lack)
        "the docstring lacks the section(s) 'What it does:', 'Why it matters:', 'Bad:', 'Good:'",
    ]
    assert rule_problems(Unfrozen) == [
        "code 'PL150' is in patchlint's own range: use PL9xx for local rules or a prefix of your own",
        "Options is not a frozen dataclass (@dataclass(frozen=True))",
    ]

    class Plugin:
        @hookimpl
        def patchlint_rules(self):
            return [Unfrozen]

    with pytest.raises(PluginError, match=r"rule Unfrozen \(from test_local_plugins\) cannot be registered"):
        Engine(plugins=[Plugin()])


def test_an_unusable_plugin_rule_is_a_usage_error_of_the_command(tmp_path: Path) -> None:
    (tmp_path / "bad_rules.py").write_text(
        "from patchlint import Rule, hookimpl\n"
        "class Bad(Rule):\n    '''No sections.'''\n    code = 'PL951'\n    name = 'bad'\n"
        "@hookimpl\ndef patchlint_rules():\n    return [Bad]\n"
    )
    config = tmp_path / "lint.yaml"
    config.write_text("plugins: [bad_rules.py]\n")
    checked = run("check", "--config", str(config), str(SERIES), cwd=tmp_path)
    assert checked.returncode == 4
    assert "rule Bad" in checked.stderr and "lacks the section(s) 'What it does:'" in checked.stderr
    assert "Traceback" not in checked.stderr
