"""The rules document themselves: docstring sections, unique codes and names, the README table."""

from __future__ import annotations

import inspect
import re

import pytest

from patchlint import hookspecs
from patchlint.checks import BUILTIN_RULES
from patchlint.config import builtin_profiles, load_config
from patchlint.plugins import rule_problems

from paths import ROOT

_CODE = re.compile(r"^PL\d{3}$")


@pytest.mark.parametrize("rule", BUILTIN_RULES, ids=lambda r: r.name)
def test_rule_is_documented(rule) -> None:
    # What registration demands of every rule (plugins' too), and patchlint's own code range.
    assert rule_problems(rule) == []
    assert _CODE.match(rule.code) and not rule.code.startswith("PL9")


def test_codes_and_names_are_unique() -> None:
    assert len({r.code for r in BUILTIN_RULES}) == len(BUILTIN_RULES)
    assert len({r.name for r in BUILTIN_RULES}) == len(BUILTIN_RULES)


def test_readme_rule_table_matches_the_rules() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (PL\d{3}) \| `([a-z0-9-]+)` \| (\w+) \| (yes|no) \| (.+?) \|$", readme, re.MULTILINE)
    default = load_config(None, BUILTIN_RULES)  # "default": whether the default profile runs it
    expected = [
        (r.code, r.name, str(r.scope), "yes" if default.is_enabled(r) else "no", r.summary())
        for r in BUILTIN_RULES
    ]
    assert rows == expected


def test_readme_profile_table_names_every_profile() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("### Profiles"):]
    rows = re.findall(r"^\| `([a-z0-9-]+)` \| .+ \| .+ \|$", table[: table.index("**How a profile")], re.MULTILINE)
    assert sorted(rows) == builtin_profiles()


def test_every_hook_is_documented() -> None:
    hooks = [f for name, f in vars(hookspecs).items() if name.startswith("patchlint_")]
    assert hooks
    for hook in hooks:
        assert hook.__doc__ and len(hook.__doc__.split()) > 10, hook.__name__


def test_plugin_api_is_importable_from_the_package():
    import patchlint
    from patchlint.model.posting import Posting
    from patchlint.rule import Rule

    assert patchlint.Rule is Rule and patchlint.Posting is Posting
    for name in patchlint.__all__:
        assert getattr(patchlint, name) is not None, name
    with pytest.raises(AttributeError):
        patchlint.NoSuchThing  # noqa: B018


@pytest.mark.parametrize("rule", [r for r in BUILTIN_RULES if r.option_specs()], ids=lambda r: r.name)
def test_options_are_declared_once_with_their_help(rule) -> None:
    """Each option carries its help in its declaration, and the documentation's Options section
    (what ``patchlint explain`` prints) is written from it, not by hand."""
    from patchlint.options import options_section

    for spec in rule.option_specs():
        assert spec.help.endswith("."), f"option {spec.key} of {rule.name} has no help"
    doc = inspect.getdoc(rule) or ""
    assert doc.rstrip().endswith(options_section(rule.Options))
    assert doc.count("\nOptions:\n") == 1


def test_every_subpackage_is_installed() -> None:
    # pyproject.toml lists the packages a wheel holds; one left out installs a patchlint that
    # cannot import itself (patchlint.report was, and CI's tox run failed at plugin load).
    import tomllib

    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    found = {
        ".".join(init.parent.relative_to(ROOT).parts) for init in (ROOT / "patchlint").rglob("__init__.py")
    }
    assert found <= listed, f"not installed: {sorted(found - listed)}"
