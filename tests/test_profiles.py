"""Which built-in profile judges a posting (choose_profile), and what the profiles set.

The mails are written for these tests, with the header fields real deliveries carry: Mailman 2
(LTP, QEMU: a display name in List-Id), the new vger (bare List-Id), the old vger (List-ID),
freedesktop's folded List-Id, pr-tracker-bot's X-PR-Tracked-List-Id.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from model_helpers import patch_mail, posting
from patchlint.checks import BUILTIN_RULES
from patchlint.config import (
    DEFAULT_PROFILE,
    ConfigError,
    ProfileChooser,
    builtin_profiles,
    choose_profile,
    load_config,
)


def chosen(headers: str) -> str:
    """The profile choose_profile names for a patch carrying ``headers``."""
    mail = posting(patch_mail("[PATCH] area: change a thing", message_id="p@example.org", extra_headers=headers))
    return choose_profile(mail.list_ids, [person.email for person in mail.recipients])


CASES = [
    pytest.param(
        "List-Id: Linux Test Project <ltp.lists.linux.it>\nTo: ltp@lists.linux.it\n"
        "Cc: linux-kernel@vger.kernel.org, linux-fsdevel@vger.kernel.org\n",
        "ltp", id="ltp-cc-lkml"),
    pytest.param(
        "List-Id: <netfilter-devel.vger.kernel.org>\nTo: netfilter-devel@vger.kernel.org\n"
        "Cc: netdev@vger.kernel.org, pablo@netfilter.org\n",
        "netfilter", id="netfilter-cc-netdev"),
    pytest.param(
        # netdev's copy of a netfilter pull request: the List-Id says whose copy this is.
        "List-Id: <netdev.vger.kernel.org>\nTo: netdev@vger.kernel.org\nCc: netfilter-devel@vger.kernel.org\n",
        "netdev", id="netdev-copy"),
    pytest.param(
        "To: netdev@vger.kernel.org\nCc: netfilter-devel@vger.kernel.org, coreteam@netfilter.org\n",
        "netfilter", id="no-list-id-netfilter-over-netdev"),
    pytest.param("To: netfilter-devel@vger.kernel.org\nCc: netdev@vger.kernel.org\n",
                 "netfilter", id="no-list-id-to-netfilter"),
    pytest.param("To: davem@davemloft.net\nCc: netdev@vger.kernel.org, linux-kernel@vger.kernel.org\n",
                 "netdev", id="no-list-id-netdev-over-kernel"),
    pytest.param("List-ID: <linux-i2c.vger.kernel.org>\nTo: wsa@kernel.org\nCc: linux-i2c@vger.kernel.org\n",
                 "kernel", id="old-vger-list-id"),
    pytest.param("List-Id: <git.vger.kernel.org>\nTo: git@vger.kernel.org\n", "git", id="git-on-vger"),
    pytest.param("To: git@vger.kernel.org\nCc: Junio C Hamano <gitster@pobox.com>\n", "git", id="git-address"),
    pytest.param("List-Id: <util-linux.vger.kernel.org>\nTo: util-linux@vger.kernel.org\n",
                 DEFAULT_PROFILE, id="util-linux-is-not-kernel"),
    pytest.param("To: util-linux@vger.kernel.org\nCc: linux-kernel@vger.kernel.org\n",
                 "kernel", id="util-linux-cc-lkml"),
    pytest.param("List-Id: Direct Rendering Infrastructure - Development\n <dri-devel.lists.freedesktop.org>\n",
                 "kernel", id="dri-devel-folded"),
    pytest.param("List-Id: Mesa development list <mesa-dev.lists.freedesktop.org>\nTo: mesa-dev@lists.freedesktop.org\n",
                 DEFAULT_PROFILE, id="mesa-is-not-kernel"),
    pytest.param("List-Id: Linux on PowerPC Developers Mail List <linuxppc-dev.lists.ozlabs.org>\n",
                 "kernel", id="ozlabs-kernel"),
    pytest.param("To: skiboot@lists.ozlabs.org\n", DEFAULT_PROFILE, id="ozlabs-skiboot"),
    pytest.param("List-Id: <qemu-devel.nongnu.org>\nTo: qemu-devel@nongnu.org\nCc: kvm@vger.kernel.org\n",
                 "qemu", id="qemu-cc-kvm"),
    pytest.param("To: qemu-block@nongnu.org\nCc: Kevin Wolf <kwolf@example.com>\n", "qemu", id="qemu-sublist"),
    pytest.param("To: u-boot@lists.u-boot-project.org\n", "u-boot", id="u-boot-new-host"),
    pytest.param("List-Id: U-Boot discussion <u-boot.lists.denx.de>\n", "u-boot", id="u-boot-list-id"),
    pytest.param("List-Id: DPDK patches and discussions <dev.dpdk.org>\n", "dpdk", id="dpdk"),
    # Two unrelated projects named exactly: the address the mail was sent To comes first.
    pytest.param("To: ltp@lists.linux.it\nCc: netdev@vger.kernel.org\n", "ltp", id="to-before-cc"),
    # A List-Id no profile claims says nothing: the addresses decide.
    pytest.param("List-Id: <patches.example.org>\nTo: linux-i2c@vger.kernel.org\n", "kernel",
                 id="unclaimed-list-id"),
    pytest.param("X-PR-Tracked-List-Id: <fstests.vger.kernel.org>\nTo: Linus <torvalds@example.org>\n",
                 DEFAULT_PROFILE, id="pr-tracker-id-is-not-a-list"),
    pytest.param("To: Ada Lovelace <ada@example.org>\n", DEFAULT_PROFILE, id="private-mail"),
    pytest.param("", DEFAULT_PROFILE, id="no-recipients"),
]


@pytest.mark.parametrize(("headers", "profile"), CASES)
def test_choose_profile(headers: str, profile: str) -> None:
    assert chosen(headers) == profile


def test_chosen_profiles_exist_and_load() -> None:
    names = {case.values[1] for case in CASES}
    assert names <= set(builtin_profiles())
    for name in names:
        assert load_config(name, BUILTIN_RULES).files[0].endswith(f"{name}.yaml")


def test_every_list_profile_claims_its_own_list_id_first() -> None:
    # Each profile that names lists wins on the first List-Id it names (unless that is a pattern).
    for name in builtin_profiles():
        lists = load_config(name, BUILTIN_RULES).lists
        if lists is None:
            continue
        exact = [i for i in lists.list_ids if "*" not in i]
        for list_id in exact:
            assert choose_profile([list_id], []) == name, (name, list_id)


def test_a_folder_of_profiles_chooses_among_its_own(tmp_path: Path) -> None:
    (tmp_path / "base.yaml").write_text("lists:\n  addresses: ['*@lists.example.org']\n")
    (tmp_path / "dev.yaml").write_text("extends: base\nlists:\n  addresses: ['dev*@lists.example.org']\n")
    chooser = ProfileChooser.from_folder(tmp_path)
    assert chooser.ancestors["dev"] == frozenset({"base"})
    # Both are patterns: the more literal one is the more specific.
    assert chooser.choose([], ["dev-team@lists.example.org"]) == "dev"
    assert chooser.choose([], ["users@lists.example.org"]) == "base"
    assert chooser.choose(["dev.lists.example.org"], []) == DEFAULT_PROFILE


def test_a_folder_with_a_bad_lists_key_names_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("description: x\nlists:\n  addresses: [dev.lists.example.org]\n")
    with pytest.raises(ConfigError) as caught:
        ProfileChooser.from_folder(tmp_path)
    assert (caught.value.file, caught.value.line) == (str(tmp_path / "bad.yaml"), 3)


# -- what the profiles set ----------------------------------------------------------------------


def options(profile: str, name: str) -> object:
    """The options ``profile`` gives rule ``name``, whether it runs or not."""
    config = load_config(profile, BUILTIN_RULES)
    rule = next(r for r in BUILTIN_RULES if r.name == name)
    settings = config.rules.get(rule.code)
    return rule.Options(**(settings.options if settings else {}))


def enabled(profile: str) -> set[str]:
    config = load_config(profile, BUILTIN_RULES)
    return {r.name for r in BUILTIN_RULES if config.is_enabled(r)}


def test_kernel_conventions_are_the_kernel_profiles() -> None:
    kernel_only = {"reported-by-without-link", "bad-commit-reference", "missing-cover-letter"}
    assert not kernel_only & enabled("default")
    assert kernel_only <= enabled("kernel")
    assert (options("default", "bad-fixes-tag").min_length, options("kernel", "bad-fixes-tag").min_length) == (7, 12)
    assert (options("default", "commit-log-long-line").max_length,
            options("kernel", "commit-log-long-line").max_length) == (76, 75)


def test_netfilter_builds_on_netdev_with_its_own_trees() -> None:
    assert "series-too-long" in enabled("netdev")
    off = {"series-too-long", "missing-cover-letter", "reported-by-without-link", "missing-tree-tag"}
    assert not off & enabled("netfilter")
    trees = options("netfilter", "missing-tree-tag").trees
    assert {"nf", "nf-next", "nft", "iptables", "libnftnl", "conntrack-tools", "ipset", "net"} <= set(trees)
    assert options("netfilter", "subject-prefix").allow_commas is True


def test_ltp_keeps_gits_conventions_not_the_kernels() -> None:
    assert not {"missing-commit-description", "reported-by-without-link"} & enabled("ltp")
    assert options("ltp", "subsystem-prefix").required is False
    fixes = options("ltp", "bad-fixes-tag")
    assert (fixes.min_length, fixes.allow_issue_references) == (7, True)
