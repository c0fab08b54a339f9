"""PL3xx: trailers and identities."""

from __future__ import annotations

from collections.abc import Iterator

from patchlint.headers import Person, parse_person
from patchlint.posting import Kind, Posting
from patchlint.rule import Rule, Violation


def _name_key(name: str) -> str:
    return " ".join(name.replace('"', "").casefold().split())


def same_person(a: Person, b: Person) -> bool:
    """Same address (case-insensitive), or the same non-empty name (address changed employer)."""
    if a.email and a.email_key == b.email_key:
        return True
    return bool(a.name and b.name) and _name_key(a.name) == _name_key(b.name)


class SignedOffBy(Rule):
    """Every patch carries the Signed-off-by of its author, and of its sender, last.

    What it does:
        Looks at the trailer block of a patch (found as ``git interpret-trailers`` does) and
        reports: no ``Signed-off-by:`` at all; none from the author (the in-body ``From:`` if the
        mail has one, else the ``From:`` header); and, when someone else sends the patch, none
        from the sender, or the sender's not being the last one. People are matched by address
        or, failing that, by name (checkpatch accepts the same name with another address; the
        address grades are the trailer family's job). Cover letters and pull requests are exempt.

    Why it matters:
        The Signed-off-by is the Developer's Certificate of Origin: each person who handled the
        patch certifies they may pass it on. The kernel, QEMU, git, U-Boot and DPDK refuse
        patches without it; the chain must end with whoever sent it.

    Bad:
        A patch from ``Jane <jane@example.org>`` whose only trailer is
        ``Signed-off-by: Joe <joe@example.org>``; a patch sent by Joe with
        ``From: Jane`` in the body and Joe's sign-off above Jane's.

    Good:
        ``From: Jane`` in the body, then ``Signed-off-by: Jane <jane@…>`` and, last,
        ``Signed-off-by: Joe <joe@…>`` from the sender.

    Options:
        None.
    """

    code = "PL301"
    name = "signed-off-by"
    kinds = frozenset({Kind.PATCH})

    def check(self, target: Posting) -> Iterator[Violation]:
        trailers = [t for t in target.trailers.trailers if t.normalized_key == "signed-off-by"]
        signers = [(parse_person(t.value), t.index) for t in trailers]
        signers = [(person, index) for person, index in signers if person is not None]
        if not signers:
            yield self.violation(
                target,
                "no Signed-off-by: add 'Signed-off-by: Your Name <you@example.org>' "
                "(git commit -s) to certify the Developer's Certificate of Origin",
                target.line(target.body.message_end - 1 if target.body.message_end else 0),
            )
            return
        author, sender = target.author, target.sender
        where = target.line(signers[-1][1])
        if author is not None and not any(same_person(author, p) for p, _ in signers):
            yield self.violation(target, f"the author {author} did not sign off", where)
        if sender is None or author is None or same_person(sender, author):
            return
        if not any(same_person(sender, p) for p, _ in signers):
            yield self.violation(
                target,
                f"the sender {sender} forwards {author}'s patch without signing off",
                where,
            )
        elif not same_person(sender, signers[-1][0]):
            yield self.violation(
                target,
                f"the sender {sender} should sign off last, after {signers[-1][0]}",
                where,
            )
