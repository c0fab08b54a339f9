"""What rules share lives in one resources object per configuration, not on the configuration
and not in the rules' own attributes."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from patchlint.engine import Engine
from patchlint.resources.shared import Resources

from paths import RULE_EXAMPLES, SEEDS


def test_the_rules_of_a_configuration_share_one_resources_object(write_config) -> None:
    engine = Engine(write_config("select: [ALL]\n"))
    shared = {id(rule.resources) for rule in engine.rules}
    assert len(shared) == 1
    resources = engine.rules[0].resources
    assert isinstance(resources, Resources)
    assert resources.mailmap is None and resources.repository is None
    assert resources.registry.get("Signed-off-by") is not None


def test_the_configuration_is_frozen(write_config) -> None:
    config = Engine(write_config("settings: {note: x}\n")).config
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.settings = {}  # type: ignore[misc]
    with pytest.raises(TypeError):
        config.settings["note"] = "y"  # type: ignore[index]
    with pytest.raises(TypeError):
        config.rules["PL101"] = None  # type: ignore[index]
    assert not hasattr(config, "derived")


def test_no_rule_keeps_memos_of_its_own(write_config) -> None:
    """Running rules over real postings adds nothing to any rule's attributes but what its class
    declares (a cached_property compiling its options once): what a rule remembers from posting
    to posting is a declared memo of the resources."""
    from patchlint.model.cached import cached_property

    engine = Engine(write_config("select: [ALL]\n"))
    before = {rule.code: set(vars(rule)) for rule in engine.rules}
    report = engine.check([SEEDS, RULE_EXAMPLES / "signed-off-by", RULE_EXAMPLES / "malformed-trailer"])
    assert report.messages > 10 and report.violations
    for rule in engine.rules:
        added = set(vars(rule)) - before[rule.code]
        undeclared = {
            name for name in added
            if not isinstance(getattr(type(rule), name, None), cached_property)
        }
        assert undeclared == set(), f"{rule.name} keeps {undeclared} of its own"
    memos = engine.rules[0].resources.memos
    assert memos.memo("PL306", "judged"), "the trailers judged are remembered in the declared memo"


def test_the_commit_log_is_the_postings_own() -> None:
    """One commit log per posting, the same for every rule and every configuration."""
    from patchlint.checks.signoff import SignedOffBy
    from patchlint.checks.trailers import MalformedTrailer

    found = next(p for p in Engine().read([RULE_EXAMPLES / "malformed-trailer"]) if p.is_commit)
    assert found.commit_log is found.commit_log
    assert SignedOffBy().commit_log(found) is MalformedTrailer().commit_log(found) is found.commit_log


def test_a_rule_built_outside_an_engine_has_the_builtin_resources() -> None:
    from patchlint.checks.trailers import ForbiddenTrailer

    rule = ForbiddenTrailer()
    assert rule.resources.registry.files and rule.resources.mailmap is None
    assert rule.resources is rule.resources  # built once


def test_two_configurations_do_not_share_resources(tmp_path: Path) -> None:
    (tmp_path / "mailmap").write_text("Jane Doe <jane@example.org> <jd@example.org>\n")
    (tmp_path / "a.yaml").write_text("settings: {mailmap: mailmap}\n")
    with_map = Engine(tmp_path / "a.yaml").rules[0].resources
    without = Engine(None).rules[0].resources
    assert with_map.mailmap is not None and without.mailmap is None
