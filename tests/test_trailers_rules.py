"""The trailer and identity rules (PL3xx): the seeds, people matching, the .mailmap, DMARC
unmasking, the trailer registry and its errors, settings, and commit lookups in a repository."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from paths import SEEDS

from patchlint.cli import main
from patchlint.config import ConfigError, builtin_profiles, profile_path
from patchlint.engine import Engine, Report
from patchlint.model.headers import Headers, Person
from patchlint.model.identity import (
    Mailmap,
    Match,
    compare,
    is_mailbox_name,
    parse_address,
    unmask_sender,
)
from patchlint.resources.registry import ValueType, load_registry, registry_path

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@pytest.fixture(scope="module")
def seeds() -> Report:
    return Engine().check([SEEDS])


def found(report: Report, prefix: str) -> set[tuple[str, int, str]]:
    return {(Path(v.source).name[:3], v.line, v.code) for v in report.violations if v.code.startswith(prefix)}


# -- the seeds ----------------------------------------------------------------------------------


def test_apple_mail_mailbox_name_sign_off_is_explained(seeds: Report) -> None:
    message = next(v.message for v in seeds.violations if v.code == "PL303")
    assert "dengqiao.joey" in message and "mailbox" in message


def test_apple_mail_mailbox_name_is_one_report(seeds: Report) -> None:
    # The sign-off's name is the mailbox: that is PL303's report; that it differs from the
    # From: name is the same defect, not reported again.
    on_line = {v.code for v in seeds.violations if "dengqiao.joey" in v.message or "邓桥" in v.message}
    assert on_line == {"PL303"}


def test_name_mismatch_quotes_the_decoded_from_name(tmp_path: Path) -> None:
    # The From: name, RFC 2047 decoded, against a sign-off with a real name of its own.
    mail = tmp_path / "0001.patch"
    mail.write_text(
        "From: =?utf-8?b?6YKT5qGl?= <dengqiao.joey@example.com>\n"
        "Subject: [PATCH] KVM: x86: demo: check the TSC ratio\nMessage-Id: <names@example.com>\n\n"
        "Reject a ratio the hardware cannot apply instead of clamping it.\n\n"
        "Signed-off-by: Qiao Deng <dengqiao.joey@example.com>\n---\n"
        " arch/x86/kvm/x86.c | 1 +\n 1 file changed, 1 insertion(+)\n\n"
        "diff --git a/arch/x86/kvm/x86.c b/arch/x86/kvm/x86.c\n--- a/arch/x86/kvm/x86.c\n"
        "+++ b/arch/x86/kvm/x86.c\n@@ -1 +1,2 @@\n int x;\n+int y;\n",
        encoding="utf-8",
    )
    report = Engine("kernel").check([mail])
    mismatch = next(v.message for v in report.violations if v.code == "PL302")
    assert "邓桥" in mismatch and "the names differ" in mismatch


# -- people -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "name", "comment", "email", "trailing"),
    [
        ("Jane Doe <jane@example.org>", "Jane Doe", "", "jane@example.org", ""),
        ('"Doe, Jane" <jane@example.org>', "Doe, Jane", "", "jane@example.org", ""),
        ("Jane Doe (ACME) <jane@example.org>", "Jane Doe", "(ACME)", "jane@example.org", ""),
        ("stable@vger.kernel.org # 6.1+", "", "", "stable@vger.kernel.org", "# 6.1+"),
        ("<stable@vger.kernel.org> [5.10]", "", "", "stable@vger.kernel.org", "[5.10]"),
        ("=?utf-8?q?J=C3=B6rg_M=C3=BCller?= <joerg@example.de>", "Jörg Müller", "", "joerg@example.de", ""),
    ],
    ids=["plain", "quoted", "name-comment", "bare-with-comment", "bracketed-note", "rfc2047"],
)
def test_parse_address(value: str, name: str, comment: str, email: str, trailing: str) -> None:
    address = parse_address(value)
    assert address is not None
    assert (address.name, address.comment, address.email, address.trailing) == (name, comment, email, trailing)


@pytest.mark.parametrize("value", ["Jane Doe", "Jane Doe jane@example.org", ""], ids=["no-address", "unbracketed", "empty"])
def test_parse_address_refuses(value: str) -> None:
    assert parse_address(value) is None


JANE = Person("Jane Doe", "jane@example.org")


@pytest.mark.parametrize(
    ("other", "grade"),
    [
        (Person("Jane Doe", "JANE@example.org"), Match.SAME),
        (Person('"Jane  Doe"', "jane@example.org"), Match.SAME),
        (Person("jdoe", "jane@example.org"), Match.NAME),
        (Person("Jane Doe", "jane+lkml@example.org"), Match.SUBADDRESS),
        (Person("Jane Doe", "jane@corp.example.com"), Match.ADDRESS),
        (Person("Joe Bloggs", "joe@example.org"), Match.NONE),
    ],
    ids=["address-case", "quotes-and-spaces", "name", "subaddress", "address", "none"],
)
def test_compare_grades(other: Person, grade: Match) -> None:
    assert compare(JANE, other) is grade


def test_mailmap_maps_before_comparing() -> None:
    mailmap = Mailmap.parse(
        "# comment\n"
        "Jane Doe <jane@example.org> <jane@corp.example.com>\n"
        "Jane Doe <jane@example.org> jdoe <jdoe@old.example.net>\n"
        "<joe@example.org> <joe@old.example.net>\n"
        "Joe Bloggs <joe@example.org>\n"
    )
    assert compare(JANE, Person("Jane Doe", "jane@corp.example.com"), mailmap) is Match.SAME
    assert compare(JANE, Person("jdoe", "jdoe@old.example.net"), mailmap) is Match.SAME
    assert mailmap.canonical(Person("J. B.", "joe@old.example.net")) == Person("J. B.", "joe@example.org")
    assert mailmap.canonical(Person("Joe", "joe@example.org")) == Person("Joe Bloggs", "joe@example.org")
    assert mailmap.knows(JANE) is None
    assert "not their primary one" in (mailmap.knows(Person("Jane Doe", "jane@corp.example.com")) or "")
    assert "not in the mailmap" in (mailmap.knows(Person("Mary Major", "mary@example.com")) or "")


@pytest.mark.parametrize(
    ("value", "flagged"),
    [
        ("dengqiao.joey <dengqiao.joey@example.com>", True),
        ("yushengjin <yushengjin@example.com>", True),
        ("<jane@example.org>", True),
        ("jane@example.org <jane@example.org>", True),
        ("Sukarno <sukarno@example.id>", False),
        ("Jane Doe <jane.doe@example.org>", False),
        ("jdoe <jane@example.org>", False),
    ],
    ids=["dotted-handle", "lowercase-mailbox", "no-name", "address-as-name", "one-word-name", "real-name", "nick"],
)
def test_mailbox_names(value: str, flagged: bool) -> None:
    address = parse_address(value)
    assert address is not None
    assert (is_mailbox_name(address) is not None) is flagged


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        ('From: "Jane Doe via netdev" <netdev@vger.kernel.org>\nX-Original-From: Jane Doe <jane@example.org>',
         Person("Jane Doe", "jane@example.org")),
        ("From: 'Jane Doe' via list <list@googlegroups.com>\nReply-To: Jane Doe <jane@example.org>",
         Person("Jane Doe", "jane@example.org")),
        ("From: Jane Doe via list <list@example.org>", Person("Jane Doe", "list@example.org")),
        ("From: Jane Doe <jane@example.org>\nReply-To: list@example.org", Person("Jane Doe", "jane@example.org")),
    ],
    ids=["x-original-from", "reply-to", "name-only", "not-rewritten"],
)
def test_unmask_sender(head: str, expected: Person) -> None:
    headers = Headers.parse(head)
    sender = parse_address(headers.get("From") or "")
    assert sender is not None or "'" in head
    from patchlint.model.headers import parse_person

    assert unmask_sender(headers, parse_person(headers.get("From") or "")) == expected


# -- the registry -------------------------------------------------------------------------------


def test_builtin_registry() -> None:
    registry = load_registry(registry_path("trailers"))
    assert registry.get("signed-off-by").key == "Signed-off-by"
    assert registry.get("Fixes").type is ValueType.COMMIT
    assert registry.get("Change-Id").forbidden
    assert "dpdk" in registry.orders
    assert "trailers" not in builtin_profiles()  # data, not a profile
    suggestions = {key: (registry.suggest(key).key if registry.suggest(key) else None)
                   for key in ("Signed-of-by", "Signed_off_by", "Reviewd-by", "CC", "To", "Ref")}
    assert suggestions == {"Signed-of-by": "Signed-off-by", "Signed_off_by": "Signed-off-by",
                           "Reviewd-by": "Reviewed-by", "CC": "Cc", "To": "To", "Ref": None}


def test_project_registry_extends_and_overrides(tmp_path: Path) -> None:
    path = tmp_path / "project.yaml"
    path.write_text(
        "extends: trailers\n"
        "trailers:\n"
        "  Change-Id: {forbidden: false, required: true}\n"
        "  Upstream-Status: {type: text, required: true}\n"
        "orders:\n"
        "  mine:\n"
        "    sections: [[Fixes, Signed-off-by]]\n"
    )
    registry = load_registry(path)
    assert not registry.get("Change-Id").forbidden and registry.get("Change-Id").required
    assert registry.get("Change-Id").type is ValueType.TEXT  # inherited
    assert registry.get("Upstream-Status").required
    assert set(registry.orders) == {"dpdk", "mine"}
    assert registry.files[-1].endswith("trailers.yaml")


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("trailers:\n  Foo-by: {typ: person}\n", 2, "unknown field of Foo-by 'typ'; did you mean 'type'?"),
        ("trailers:\n  Foo-by: {type: human}\n", 2, "unknown type of Foo-by 'human'"),
        ("trailers:\n  Foo-by: {repeat: true}\n", 2, "Foo-by needs a type"),
        ("trailers:\n  Foo-by:\n    type: person\n    repeat: often\n", 4, "must be true or false"),
        ("extends: trailers\norders:\n  mine:\n    sections: [[Signed-off-by, Acked-bye]]\n", 4, "did you mean 'Acked-by'?"),
        ("trailer:\n  Foo-by: {type: person}\n", 1, "did you mean 'trailers'?"),
        ("extends: nosuch\n", 1, "unknown registry 'nosuch'"),
    ],
    ids=["unknown-field", "unknown-type", "no-type", "bool", "order-key", "top-key", "extends"],
)
def test_registry_errors_name_file_and_line(tmp_path: Path, text: str, line: int, fragment: str) -> None:
    path = tmp_path / "project.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_registry(path)
    assert (caught.value.file, caught.value.line) == (str(path), line)
    assert fragment in caught.value.message


def test_registry_setting_is_relative_to_the_configuration(tmp_path: Path, write_config) -> None:
    (tmp_path / "conf").mkdir()
    (tmp_path / "conf" / "trailers.yaml").write_text("extends: trailers\ntrailers:\n  Change-Id: {forbidden: false}\n")
    config = tmp_path / "conf" / "lint.yaml"
    config.write_text("select: [forbidden-trailer]\nsettings:\n  trailer-registry: trailers.yaml\n")
    rule = Engine(config).rules[0]
    assert not rule.resources.registry.get("Change-Id").forbidden


@pytest.mark.parametrize(
    ("settings", "line", "fragment"),
    [
        ("  trailer-registry: [a, b]\n", 3, "expected the path of a trailer registry"),
        ("  trailer-registry: missing.yaml\n", 3, "does not exist"),
        ("  mailmap: nosuch/.mailmap\n", 3, "cannot read"),
        ("  git-dir: .\n", 3, "is not a git repository"),
    ],
    ids=["registry-type", "registry-missing", "mailmap-missing", "not-a-repository"],
)
def test_setting_errors_name_file_and_line(tmp_path: Path, settings: str, line: int, fragment: str) -> None:
    config = tmp_path / "lint.yaml"
    config.write_text(f"select: [PL3]\nsettings:\n{settings}")
    with pytest.raises(ConfigError) as caught:
        Engine(config)
    assert (caught.value.file, caught.value.line) == (str(config), line)
    assert fragment in caught.value.message


def test_trailer_order_names_an_order_of_the_registry(write_config) -> None:
    with pytest.raises(ConfigError, match="orders: dpdk"):
        Engine(write_config("select: [trailer-order]\nrules:\n  trailer-order:\n    options: {order: tip}\n"))


def test_dpdk_profile() -> None:
    assert "dpdk" in builtin_profiles()
    engine = Engine(profile_path("dpdk"))
    codes = {rule.code for rule in engine.rules}
    assert {"PL313", "PL314"} <= codes
    misplaced = next(rule for rule in engine.rules if rule.name == "misplaced-trailer")
    assert misplaced.options.allow_split_block


# -- commit lookups -----------------------------------------------------------------------------


def _git(repo: Path, *args: str) -> str:
    env = {"GIT_AUTHOR_NAME": "Ada Lovelace", "GIT_AUTHOR_EMAIL": "ada@example.org",
           "GIT_COMMITTER_NAME": "Ada Lovelace", "GIT_COMMITTER_EMAIL": "ada@example.org",
           "GIT_AUTHOR_DATE": "2024-03-01T09:00:00+01:00", "GIT_COMMITTER_DATE": "2024-03-01T09:00:00+01:00",
           "HOME": str(repo), "PATH": "/usr/bin:/bin:/usr/local/bin"}
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture(scope="module")
def repository(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    repo = tmp_path_factory.mktemp("repo")
    _git(repo, "init", "-q")
    (repo / "nft_counter.c").write_text("int x;\n")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "netfilter: nft_counter: add dump callback")
    return repo, _git(repo, "rev-parse", "HEAD")


def _patch(tmp_path: Path, message: str) -> Path:
    path = tmp_path / "fix.patch"
    path.write_text(
        "From: Ada Lovelace <ada@example.org>\n"
        "Subject: [PATCH] netfilter: nft_counter: reset the counters\n"
        "Message-ID: <1@example.org>\n\n"
        f"{message}\n\nSigned-off-by: Ada Lovelace <ada@example.org>\n---\n"
        " nft_counter.c | 1 +\n 1 file changed, 1 insertion(+)\n\n"
        "diff --git a/nft_counter.c b/nft_counter.c\nindex 1111111..2222222 100644\n"
        "--- a/nft_counter.c\n+++ b/nft_counter.c\n@@ -1 +1,2 @@\n int x;\n+int y;\n"
    )
    return path


@needs_git
@pytest.mark.parametrize(
    ("fixes", "fragment"),
    [
        ('Fixes: {sha12} ("netfilter: nft_counter: add dump callback")', None),
        ('Fixes: {sha12} ("netfilter: nft_counter: add a dump callback")', "does not match the commit's subject"),
        ('Fixes: 0123456789ab ("netfilter: nft_counter: add dump callback")', "is not in the repository"),
    ],
    ids=["resolves", "wrong-title", "missing"],
)
def test_fixes_resolved_in_the_repository(tmp_path: Path, write_config, repository, fixes: str, fragment: str | None) -> None:
    repo, sha = repository
    message = "The counters were not reset.\n\n" + fixes.format(sha12=sha[:12])
    patch = _patch(tmp_path, message)
    without = Engine(write_config("select: [bad-fixes-tag]\n")).check([patch])
    assert without.violations == []  # no repository: only the form is checked, and it is right
    engine = Engine(write_config(f"select: [bad-fixes-tag]\nsettings:\n  git-dir: {repo}\n"))
    messages = [v.message for v in engine.check([patch]).violations]
    if fragment is None:
        assert messages == []
    else:
        assert len(messages) == 1 and fragment in messages[0]


@needs_git
def test_commit_references_resolved_in_the_repository(tmp_path: Path, write_config, repository) -> None:
    repo, sha = repository
    message = (
        f"Since {sha[:12]} the dump callback no longer resets the counters; an unrelated\n"
        "hash 0123456789abcdef0123 and the address ffff888104a2b0c0 are left alone."
    )
    patch = _patch(tmp_path, message)
    assert Engine(write_config("select: [bad-commit-reference]\n")).check([patch]).violations == []
    engine = Engine(write_config(f"select: [bad-commit-reference]\nsettings:\n  git-dir: {repo}\n"))
    messages = [v.message for v in engine.check([patch]).violations]
    assert messages == [f"{sha[:12]} is a commit: write 'commit {sha[:12]} (\"netfilter: nft_counter: add dump callback\")'"]


@needs_git
def test_cli_git_dir_sets_the_repository(tmp_path: Path, repository, capsys) -> None:
    repo, _sha = repository
    patch = _patch(tmp_path, 'Fixed.\n\nFixes: 0123456789ab ("netfilter: nft_counter: add dump callback")')
    config = tmp_path / "lint.yaml"
    config.write_text("select: [bad-fixes-tag]\nrules:\n  bad-fixes-tag:\n    severity: error\n")
    assert main(["check", "--config", str(config), str(patch), "-q"]) == 0
    assert main(["check", "--config", str(config), "--git-dir", str(repo), str(patch), "-q"]) == 1
    assert "is not in the repository" in capsys.readouterr().out


def test_mailmap_setting_reaches_the_sign_off_rules(tmp_path: Path) -> None:
    (tmp_path / "mailmap").write_text("Ada Lovelace <ada@example.org> <ada.lovelace@example.com>\n")
    config = tmp_path / "lint.yaml"
    config.write_text("select: [sign-off-mismatch]\nsettings:\n  mailmap: mailmap\n")
    patch = _patch(tmp_path, "The counters were not reset.").read_text()
    patch = patch.replace("Signed-off-by: Ada Lovelace <ada@example.org>", "Signed-off-by: Ada Lovelace <ada.lovelace@example.com>")
    (tmp_path / "fix.patch").write_text(patch)
    assert Engine(config).check([tmp_path / "fix.patch"]).violations == []
    config.write_text("select: [sign-off-mismatch]\n")
    assert [v.code for v in Engine(config).check([tmp_path / "fix.patch"]).violations] == ["PL302"]


@pytest.mark.parametrize(
    ("fixes", "options", "expected"),
    [
        ('Fixes: 03b76a20c ("lib: add the x helper")', "min-length: 12", ["use at least 12 hex digits of the commit id, not 9"]),
        ('Fixes: 03b76a20c ("lib: add the x helper")', "min-length: 9", []),
        ('Fixes: 03b76a20 ("lib: add the x helper")', "min-length: 9", ["use at least 9 hex digits of the commit id, not 8"]),
        # The default profile asks for git's 7 digits.
        ("Fixes: #530", "", ["no commit id: write '<7+ hex digits> (\"<title>\")'"]),
        ("Fixes: #530", "allow-issue-references: true", []),
        ("Fixes: https://github.com/linux-test-project/ltp/issues/1091", "allow-issue-references: true", []),
        ("Fixes:#530", "allow-issue-references: true", ["one space after the colon and none before it"]),
        ("Fixes: #530 and more", "allow-issue-references: true", ["no commit id: write '<7+ hex digits> (\"<title>\")'"]),
    ],
    ids=["short-id", "short-id-allowed", "shorter-than-allowed", "issue", "issue-allowed", "issue-url-allowed",
         "issue-spacing", "issue-with-prose"],
)
def test_fixes_options_for_short_ids_and_issues(tmp_path: Path, write_config, fixes: str, options: str,
                                                expected: list[str]) -> None:
    # Modelled on LTP postings: 9-digit ids of LTP commits, `Fixes: #N` closing a GitHub issue.
    patch = _patch(tmp_path, "The x helper leaked its buffer.\n\n" + fixes)
    config = "select: [bad-fixes-tag]\n" + (f"rules:\n  bad-fixes-tag:\n    options: {{{options}}}\n" if options else "")
    messages = [v.message for v in Engine(write_config(config)).check([patch]).violations]
    wanted = ["; ".join(expected)] if expected else []
    assert [m.split("': ", 1)[1] for m in messages] == wanted


def _check_mail(tmp_path: Path, trailers: str, config: str = "default") -> list[tuple[str, str]]:
    """The (code, message) of every finding on a one-patch mail ending in ``trailers``."""
    mail = tmp_path / "0001-fix.patch"
    mail.write_text(
        "From 1234567890abcdef1234567890abcdef12345678 Mon Sep 17 00:00:00 2001\n"
        "From: Ada Lovelace <ada@example.org>\nTo: netfilter-devel@vger.kernel.org\n"
        "Date: Mon, 4 Mar 2024 09:12:00 +0100\nMessage-Id: <20240304081200.1-1-ada@example.org>\n"
        "Subject: [PATCH] netfilter: nft_counter: reset the counters\n\n"
        "A dump with the reset flag left the counters untouched; clear them.\n\n"
        f"{trailers}---\n README | 2 +-\n 1 file changed, 1 insertion(+), 1 deletion(-)\n\n"
        "diff --git a/README b/README\n--- a/README\n+++ b/README\n@@ -1 +1 @@\n-base\n+next\n"
    )
    report = Engine(config).check([mail])
    return [(v.code, v.message) for v in report.violations]


def test_fixes_spacing_is_one_report(tmp_path: Path) -> None:
    """'Fixes:0123…' in the trailer block: malformed-trailer says 'one space after the colon',
    bad-fixes-tag does not say it again on the same line."""
    found = _check_mail(
        tmp_path,
        'Fixes:0123456789ab ("netfilter: nft_counter: add dump callback")\n'
        "Signed-off-by: Ada Lovelace <ada@example.org>\n",
    )
    spacing = [(code, message) for code, message in found if "space after the colon" in message]
    assert [code for code, _ in spacing] == ["PL306"], found
    assert not [code for code, _ in found if code == "PL312"], found


def test_fixes_spacing_outside_the_block_is_bad_fixes_tags(tmp_path: Path) -> None:
    found = _check_mail(
        tmp_path,
        'Fixes:0123456789ab ("netfilter: nft_counter: add dump callback")\n\n'
        "This paragraph keeps the Fixes: line out of the trailer block.\n\n"
        "Signed-off-by: Ada Lovelace <ada@example.org>\n",
    )
    assert any(code == "PL312" and "one space after the colon" in m for code, m in found), found


def test_name_glued_to_the_address_is_reported(tmp_path: Path) -> None:
    found = _check_mail(tmp_path, "Signed-off-by: Ada Lovelace<ada@example.org>\n")
    assert ("PL306", "'Signed-off-by: Ada Lovelace<ada@example.org>': put a space before '<': "
            "'Ada Lovelace <ada@example.org>', as git writes it") in found


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_git_writes_an_identity_with_a_space_before_the_bracket(tmp_path: Path) -> None:
    """The advice 'as git writes it': git's identity (what git commit -s signs with) is
    'Name <address>'."""
    env = {"GIT_COMMITTER_NAME": "Ada Lovelace", "GIT_COMMITTER_EMAIL": "ada@example.org",
           "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null", "PATH": "/usr/bin:/bin"}
    ident = subprocess.run(["git", "var", "GIT_COMMITTER_IDENT"], env=env, capture_output=True,
                           text=True, check=True, cwd=tmp_path).stdout
    assert ident.startswith("Ada Lovelace <ada@example.org> ")


def test_a_link_after_other_tags_is_the_reporters_link(tmp_path: Path) -> None:
    found = _check_mail(
        tmp_path,
        "Reported-by: Mary Somerville <mary@example.com>\n"
        "Tested-by: Emmy Noether <emmy@example.de>\n"
        "Link: https://lore.kernel.org/netfilter-devel/20240301090000.1234-1-mary@example.com/\n"
        "Reported-by: Grace Hopper <grace@example.net>\n"
        "Signed-off-by: Ada Lovelace <ada@example.org>\n",
        config="kernel",
    )
    reported = [m for code, m in found if code == "PL311"]
    assert len(reported) == 1 and reported[0].startswith("'Reported-by: Grace Hopper"), found


def _git_trailers(message: str) -> str:
    return subprocess.run(["git", "interpret-trailers", "--parse"], input=message, capture_output=True,
                          text=True, check=True).stdout


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
@pytest.mark.parametrize(
    ("after", "advice"),
    [
        pytest.param("v1-v2:\nFix the typo in the check.\n",
                     "the changelog after it ('v1-v2:') is the last paragraph of the commit message, "
                     "so git sees no trailer block: move the changelog below the '---' line",
                     id="changelog"),
        pytest.param("Tested on a Raspberry Pi 4 only.\n",
                     "the text after it ('Tested on a Raspberry Pi 4 only.') is the last paragraph "
                     "of the commit message, so git sees no trailer block: put that text above the "
                     "trailers",
                     id="note"),
    ],
)
def test_text_after_the_trailers_is_not_an_empty_line_to_remove(tmp_path: Path, after: str, advice: str) -> None:
    """A changelog or a note after the sign-off ends the message: git finds no trailers (checked
    with git interpret-trailers --parse), and 'remove the empty line' would be wrong advice."""
    trailers = "Signed-off-by: Ada Lovelace <ada@example.org>\n"
    assert _git_trailers(f"fix: the check\n\nExplain it.\n\n{trailers}\n{after}") == ""
    assert _git_trailers(f"fix: the check\n\nExplain it.\n\n{after}\n{trailers}") == trailers
    found = _check_mail(tmp_path, f"{trailers}\n{after}")
    misplaced = [m for code, m in found if code == "PL308"]
    assert misplaced == [f"'Signed-off-by: Ada Lovelace <ada@example.org>': {advice}"], found


@pytest.mark.parametrize(
    ("other", "same"),
    [
        pytest.param(Person("WEI GAO", "wei@corp.example"), True, id="name-in-another-case"),
        pytest.param(Person("Jane Doe", "jane@kernel.example"), True, id="same-name-other-address"),
        pytest.param(Person("jdoe", "jane+lkml@corp.example"), True, id="subaddress"),
        pytest.param(Person("Joe Bloggs", "joe@corp.example"), False, id="someone-else"),
    ],
)
def test_same_person(other: Person, same: bool) -> None:
    from patchlint.model.identity import same_person

    me = Person("Wei Gao", "wei@corp.example") if "WEI" in other.name else Person("Jane Doe", "jane@corp.example")
    assert same_person(me, other) is same


def _forwarded(tmp_path: Path, sender: str, message_id: str) -> list[str]:
    mail = tmp_path / "0001-fix.patch"
    mail.write_text(
        f"From: {sender}\nTo: ltp@lists.linux.it\nDate: Thu, 12 Jan 2023 10:45:47 +0800\n"
        f"Message-Id: <{message_id}>\nSubject: [PATCH] lib: check the commands strictly\n\n"
        "From: Wei Gao <wegao@suse.example>\n\nCheck every command tst_require_cmds names.\n\n"
        "Signed-off-by: Wei Gao <wegao@suse.example>\n---\n README | 2 +-\n"
        " 1 file changed, 1 insertion(+), 1 deletion(-)\n\ndiff --git a/README b/README\n"
        "--- a/README\n+++ b/README\n@@ -1 +1 @@\n-base\n+next\n"
    )
    return [v.message for v in Engine("default").check([mail]).violations if v.code == "PL301"]


def test_a_relay_rewritten_from_is_not_a_forward(tmp_path: Path) -> None:
    """git send-email wrote the author's address into the Message-ID; the relay (Gmail's SMTP)
    put its account into From:. The author sent their own patch."""
    assert _forwarded(tmp_path, "coolgw <coolgw1126@mail.example>", "20230112024547.4121-1-wegao@suse.example") == []
    assert _forwarded(tmp_path, "coolgw <coolgw1126@mail.example>", "1673491547-4121-1-git-send-email-wegao@suse.example") == []
    # Without that evidence the sender is someone else, who forwards without signing off.
    assert _forwarded(tmp_path, "coolgw <coolgw1126@mail.example>", "20230112024547.4121-1-coolgw1126@mail.example") == [
        "the sender coolgw <coolgw1126@mail.example> forwards Wei Gao <wegao@suse.example>'s patch without signing off"
    ]
