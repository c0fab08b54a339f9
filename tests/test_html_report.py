"""The html report: one self-contained page, its numbers the JSON report's, opened in a real browser.

The browser tests run Debian's Chromium headless (``apt-get install chromium``) and are skipped
where it is not installed; the others need only the html extra (matplotlib).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from patchlint.ledger import LedgerError, flag_of, precision, read_ledger

from paths import EXAMPLES, ROOT, SEEDS

pytest.importorskip("matplotlib", reason="the html report needs the html extra: pip install 'patchlint[html]'")

PROBLEMS = EXAMPLES / "problems"
SERIES = EXAMPLES / "series"

# Written for these tests: a list that rewrote From: for DMARC (the author is in X-Original-From),
# and a subject and a sender address made to break out of HTML and to start TeX in a chart label.
DMARC = b"""\
From: 'Grace Hopper' via linux-i2c <linux-i2c@googlegroups.com>
X-Original-From: Grace Hopper <grace@example.com>
To: linux-i2c@vger.kernel.org
Subject: [PATCH] i2c: demo: drop the unused clock field.
Date: Tue, 5 Mar 2024 10:00:00 +0100
Message-ID: <20240305100000.1-grace@example.com>

The clock field has not been read since the driver moved to the bus frequency property.

Signed-off-by: Grace Hopper <grace@example.com>
---
 drivers/i2c/busses/i2c-demo.c | 1 -
 1 file changed, 1 deletion(-)

diff --git a/drivers/i2c/busses/i2c-demo.c b/drivers/i2c/busses/i2c-demo.c
index 1111111..2222222 100644
--- a/drivers/i2c/busses/i2c-demo.c
+++ b/drivers/i2c/busses/i2c-demo.c
@@ -10,7 +10,6 @@ struct demo_i2c {
 \tvoid __iomem *base;
 \tstruct i2c_adapter adapter;
 \tu32 bus_freq;
-\tstruct clk *clk;
 \tint irq;
 \tbool polling;
 };
-- 
2.39.5
"""

HOSTILE = b"""\
From: Mallory $x^2$ <mal$lory@example.net>
To: linux-i2c@vger.kernel.org
Subject: [PATCH] i2c: demo: </span><script>alert(1)</script> & "quotes" $x^2$.
Date: Wed, 6 Mar 2024 10:00:00 +0100
Message-ID: <20240306100000.1-mallory@example.net>

Nothing here is what it seems.

Signed-off-by: Mallory $x^2$ <mal$lory@example.net>
---
 drivers/i2c/busses/i2c-demo.c | 1 +
 1 file changed, 1 insertion(+)

diff --git a/drivers/i2c/busses/i2c-demo.c b/drivers/i2c/busses/i2c-demo.c
index 2222222..3333333 100644
--- a/drivers/i2c/busses/i2c-demo.c
+++ b/drivers/i2c/busses/i2c-demo.c
@@ -10,6 +10,7 @@ struct demo_i2c {
 \tvoid __iomem *base;
 \tstruct i2c_adapter adapter;
 \tu32 bus_freq;
+\tu32 unused;
 \tint irq;
 \tbool polling;
 };
-- 
2.39.5
"""

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Attributes through which a page fetches something.
FETCHING = {"src", "href", "xlink:href", "srcset", "action", "formaction", "data", "poster", "background", "ping"}


def run(*args: str, cwd: Path = ROOT, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "patchlint", *args], capture_output=True, cwd=cwd, timeout=300,
                          env=env)


class Page(HTMLParser):
    """What the tests read off a page: every tag's attributes, the marked counts, the series
    sections, the charts, the styles and scripts, and whether every element was closed."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.stack: list[str] = []
        self.unbalanced: list[str] = []
        self.keys: dict[str, int] = {}
        self.series: dict[str, int] = {}
        self.styles: list[str] = []
        self.scripts: list[str] = []
        self.text: list[str] = []
        self._key: str | None = None
        self._raw: list[str] | None = None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.tags.append((tag, found))
        if tag not in VOID:
            self.stack.append(tag)
        if found.get("data-key"):
            self._key = found["data-key"]
        if tag == "details" and "data-series" in found:
            self.series[str(found["data-series"])] = int(str(found["data-findings"]))
        if tag in ("style", "script"):
            self._raw = []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))  # <path ... /> in SVG: opened and closed at once

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.unbalanced.append(f"</{tag}> closes <{self.stack[-1] if self.stack else 'nothing'}>")
            return
        self.stack.pop()
        if tag in ("style", "script") and self._raw is not None:
            (self.styles if tag == "style" else self.scripts).append("".join(self._raw))
            self._raw = None

    def handle_data(self, data: str) -> None:
        if self._raw is not None:
            self._raw.append(data)
            return
        self.text.append(data)
        if self._key is not None:
            self.keys[self._key] = int(data.replace(",", ""))
            self._key = None


def flat(value: object, prefix: str) -> dict[str, int]:
    """The integer leaves of a JSON object, by dotted path."""
    if isinstance(value, dict):
        found: dict[str, int] = {}
        for key, inner in value.items():
            found.update(flat(inner, f"{prefix}.{key}"))
        return found
    return {prefix: value} if isinstance(value, int) and not isinstance(value, bool) else {}


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict, Path]:
    """One run over the repository's example mails and the mails above: its html and JSON reports."""
    folder = tmp_path_factory.mktemp("html-report")
    mails = folder / "mails"
    mails.mkdir()
    (mails / "dmarc.eml").write_bytes(DMARC)
    (mails / "hostile.eml").write_bytes(HOSTILE)
    page, document = folder / "report.html", folder / "report.json"
    result = run("check", "--summary-only", "--format", f"html={page}", "--format", f"json={document}",
                 str(PROBLEMS), str(SERIES), str(SEEDS), str(mails),
                 env={**os.environ, "XDG_CACHE_HOME": str(folder / "cache")})
    assert result.returncode == 1, result.stderr.decode()
    return page, json.loads(document.read_text(encoding="utf-8")), mails


def test_the_page_parses_and_fetches_nothing(written: tuple[Path, dict, Path]) -> None:
    page = Page(written[0].read_text(encoding="utf-8"))
    assert page.unbalanced == [] and page.stack == [], "every element is closed, in order"
    for tag, attrs in page.tags:
        assert tag not in ("link", "iframe", "object", "embed", "base"), f"<{tag}> in a self-contained page"
        for name, value in attrs.items():
            if name in FETCHING and value:
                assert not value.strip().lower().startswith(("http:", "https:", "//", "ftp:", "file:")), (tag, name, value)
                assert not value.startswith("data:") or tag == "img", (tag, name)
    for text in page.styles:
        assert "url(" not in text.replace("url(#", "") and "@import" not in text
    assert all("http" not in script for script in page.scripts)
    policy = [a["content"] for t, a in page.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert policy and "default-src 'none'" in str(policy[0])
    charts = [a for t, a in page.tags if t == "svg"]
    assert len(charts) == 3 and all(a.get("class") == "chart" for a in charts)
    ids = [a["id"] for _, a in page.tags if a.get("id")]
    assert len(ids) == len(set(ids)), "ids are unique in the page (each chart's are prefixed)"


def test_its_numbers_are_the_json_reports(written: tuple[Path, dict, Path]) -> None:
    path, document, _ = written
    page = Page(path.read_text(encoding="utf-8"))
    counts = flat(document["counts"], "counts")
    shown = {key: value for key, value in page.keys.items() if key.startswith("counts.")}
    assert shown == {key: value for key, value in counts.items() if value or key in shown}
    assert all(key in shown for key, value in counts.items() if value)  # every count that is not 0
    assert sum(document["counts"]["rules"].values()) == len(document["violations"])
    assert {k.removeprefix("counts.rules."): v for k, v in shown.items() if k.startswith("counts.rules.")} == dict(
        Counter(v["code"] for v in document["violations"]))
    months = {k: v for k, v in page.keys.items() if k.startswith("months.")}
    assert sum(months.values()) == len(document["violations"]) and "months.2024-03" in months
    per_series = Counter(v["series"] for v in document["violations"] if v["series"])
    assert page.series == {s["id"]: per_series[s["id"]] for s in document["series"]}
    assert len(page.series) == document["counts"]["series"]


def test_senders_are_the_authors_with_dmarc_undone(written: tuple[Path, dict, Path]) -> None:
    page = Page(written[0].read_text(encoding="utf-8"))
    senders = {k.removeprefix("senders."): v for k, v in page.keys.items() if k.startswith("senders.")}
    assert senders["grace@example.com"] >= 1
    assert not any("googlegroups" in sender for sender in senders)
    links = {a["href"] for t, a in page.tags if t == "a" and str(a.get("href", "")).startswith("#filter=")}
    assert "#filter=grace@example.com" in links and "#filter=mal%24lory@example.net" in links


def test_mail_text_is_escaped_everywhere(written: tuple[Path, dict, Path]) -> None:
    text = written[0].read_text(encoding="utf-8")
    page = Page(text)
    assert "<script>alert(1)" not in text
    assert len(page.scripts) == 1, "only the page's own script"
    assert any("</span><script>alert(1)</script> & \"quotes\" $x^2$." in t for t in page.text)
    # A '$' would start TeX in a matplotlib label: the senders' chart draws it as it is.
    assert page.keys["senders.mal$lory@example.net"] == 1
    assert any("mal$lory@example.net" in t for t in page.text)


def test_pytest_path_writes_the_same_page(written: tuple[Path, dict, Path], tmp_path: Path) -> None:
    page, _, mails = written
    again = tmp_path / "again.html"
    result = run("check", "-q", "--format", f"html={again}", str(PROBLEMS), str(SERIES), str(SEEDS), str(mails),
                 env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")})
    assert result.returncode == 1, result.stderr.decode()
    assert again.read_text(encoding="utf-8") == page.read_text(encoding="utf-8")


def test_a_clean_run_says_so_without_charts(tmp_path: Path) -> None:
    out = tmp_path / "clean.html"
    result = run("check", "--summary-only", "--format", f"html={out}", str(SERIES),
                 env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")})
    assert result.returncode == 0, result.stderr.decode()
    page = Page(out.read_text(encoding="utf-8"))
    assert not [a for t, a in page.tags if t == "svg"]
    assert page.keys["counts.violations.error"] == 0 and list(page.series.values()) == [0]
    assert "No violations." in page.text


# -- the precision ledger ---------------------------------------------------------------------------


def ledger_of(document: dict, rows: list[tuple[dict, str]], extra: str = "") -> str:
    """A ledger judging some of the JSON report's violations (as ledger.py would key them)."""
    lines = ["# archive: examples", "# seed: 1", "# sampled at: test", "code\tmessage_id\tverdict\treason\tline\tmessage"]
    series = {s["id"]: s for s in document["series"]}
    for violation, verdict in rows:
        # A posting's flag is keyed by its Message-ID, a series' by its anchor's.
        mid = series[violation["series"]]["message_id"] if violation["scope"] == "series" else violation["message_id"]
        lines.append("\t".join((violation["code"], mid, verdict, "judged in a test", str(violation["line"]),
                                " ".join(violation["message"].split()))))
    return "\n".join(lines) + "\n" + extra


def test_the_precision_table_shows_the_ledgers_verdicts(written: tuple[Path, dict, Path], tmp_path: Path) -> None:
    _, document, mails = written
    pl104 = [v for v in document["violations"] if v["code"] == "PL104"]
    pl301 = [v for v in document["violations"] if v["code"] == "PL301"]
    assert len(pl104) >= 2 and pl301
    gone = "PL301\tgone@example.org\twrong\ta flag this run no longer raises\t7\tno Signed-off-by\n"
    ledger = tmp_path / "ledger.tsv"
    ledger.write_text(ledger_of(document, [(pl104[0], "right"), (pl104[1], "convention"), (pl301[0], "right")], gone),
                      encoding="utf-8")
    out = tmp_path / "report.html"
    result = run("check", "--summary-only", "--format", f"html={out}", "--ledger", str(ledger),
                 str(PROBLEMS), str(SERIES), str(SEEDS), str(mails), env={**os.environ, "XDG_CACHE_HOME": str(tmp_path)})
    assert result.returncode == 1, result.stderr.decode()
    keys = Page(out.read_text(encoding="utf-8")).keys
    assert keys["precision.PL104.flags"] == len(pl104)
    assert (keys["precision.PL104.judged"], keys["precision.PL104.raised"]) == (2, 2)
    assert (keys["precision.PL301.judged"], keys["precision.PL301.raised"]) == (2, 1)  # the gone flag is judged, not raised
    assert (keys["precision.all.judged"], keys["precision.all.raised"]) == (4, 3)
    assert "ledger.tsv (examples, sampled at test, 4 rows)" in out.read_text(encoding="utf-8")


def test_precision_counts_the_judged_rows_a_run_still_raises(tmp_path: Path) -> None:
    from patchlint.engine import Engine

    report = Engine().check([PROBLEMS])
    flags = [flag_of(r.target, v) for r in report.results for v in r.violations]
    ledger = tmp_path / "l.tsv"
    first, second = flags[0], flags[1]
    ledger.write_text(
        "# archive: problems\n"
        f"{first.code}\t{first.message_id}\twrong\tr\t{first.line}\t{first.message}\n"
        f"{second.code}\t{second.message_id}\t\t\t{second.line}\t{second.message}\n"  # not judged yet
        f"{first.code}\tother@example.org\tright\tr\t1\tsomething else\n", encoding="utf-8")
    rows = {row.code: row for row in precision([read_ledger(ledger)], flags)}
    row = rows[first.code]
    assert row.flags == sum(f.code == first.code for f in flags)
    assert (row.judged["wrong"], row.judged["right"], row.raised["wrong"], row.raised["right"]) == (1, 1, 1, 0)
    assert row.share(row.judged) == 0.5 and row.share(row.raised) == 0.0
    assert set(rows) == {f.code for f in flags}


def test_a_bad_ledger_is_a_usage_error_before_anything_runs(tmp_path: Path) -> None:
    ledger = tmp_path / "bad.tsv"
    ledger.write_text("# archive: x\nPL101\tid\tmaybe\treason\t3\tmessage\n", encoding="utf-8")
    with pytest.raises(LedgerError, match=r"bad.tsv:2: verdict 'maybe'"):
        read_ledger(ledger)
    out = tmp_path / "r.html"
    result = run("check", "--format", f"html={out}", "--ledger", str(ledger), str(PROBLEMS))
    assert result.returncode == 4 and result.stdout == b""
    assert "bad.tsv:2: verdict 'maybe'; use one of right, convention, wrong" in result.stderr.decode()
    assert not out.exists()
    missing = run("check", "--format", f"html={out}", "--ledger", str(tmp_path / "none.tsv"), str(PROBLEMS))
    assert missing.returncode == 4 and "cannot read the ledger" in missing.stderr.decode()
    alone = run("check", "--ledger", str(ledger), str(PROBLEMS))
    assert alone.returncode == 4 and "--ledger is shown by the html report" in alone.stderr.decode()


def test_without_matplotlib_the_error_names_the_extra(tmp_path: Path) -> None:
    blocked = ("import sys; sys.modules['matplotlib'] = None; from patchlint.cli import main; "
               "sys.exit(main(sys.argv[1:]))")
    result = subprocess.run([sys.executable, "-c", blocked, "check", "--format", f"html={tmp_path}/r.html", str(PROBLEMS)],
                            capture_output=True, cwd=ROOT, timeout=120)
    assert result.returncode == 4 and result.stdout == b""
    assert "pip install 'patchlint[html]'" in result.stderr.decode()


# -- in a real browser --------------------------------------------------------------------------------

CHROMIUM = next((found for name in ("chromium", "chromium-browser") if (found := shutil.which(name))), None)
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)")


def chromium(*args: str) -> subprocess.CompletedProcess:
    """Headless Chromium with a fresh profile and no network of its own (no updates, sync, …)."""
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(
            [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--disable-extensions", f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0", *args],
            capture_output=True, timeout=120,
        )


def console(result: subprocess.CompletedProcess, page: Path) -> list[str]:
    """What the page wrote to the browser's console (errors, CSP refusals): Chromium logs each as
    ``INFO:CONSOLE(...)`` with the page's address as its source."""
    lines = result.stderr.decode(errors="replace").splitlines()
    return [line for line in lines if "CONSOLE" in line or "Uncaught" in line or "Refused to" in line]


@needs_chromium
def test_the_page_loads_in_chromium_and_shows_its_charts(written: tuple[Path, dict, Path], tmp_path: Path) -> None:
    from PIL import Image

    page = written[0]
    shot = tmp_path / "shot.png"
    result = chromium("--window-size=1280,2400", "--hide-scrollbars", f"--screenshot={shot}", page.as_uri())
    assert result.returncode == 0 and shot.is_file(), result.stderr.decode(errors="replace")[-2000:]
    assert console(result, page) == []
    with Image.open(shot) as image:
        assert image.size == (1280, 2400)
        colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 200, "a page of text and bar charts has many colours"
    background = max(colours)[0] / (1280 * 2400)
    assert background < 0.98, "not a blank page"
    # The charts' colours (the first rules' bars) are painted.
    painted = {rgb for _, rgb in colours}
    assert (31, 119, 180) in painted and (255, 127, 14) in painted


@needs_chromium
def test_the_dom_has_the_charts_and_the_filter_ran(written: tuple[Path, dict, Path]) -> None:
    page, document, _ = written
    result = chromium("--dump-dom", page.as_uri() + "#filter=PL104")
    assert result.returncode == 0, result.stderr.decode(errors="replace")[-2000:]
    assert console(result, page) == []
    dom = Page(result.stdout.decode())
    charts = [a for t, a in dom.tags if t == "svg" and a.get("class") == "chart"]
    assert len(charts) == 3
    assert sum(1 for t, a in dom.tags if t == "path") > 100, "the bars and axes are drawn"
    with_pl104 = {v["series"] for v in document["violations"] if v["code"] == "PL104"}
    shown = {str(a["data-series"]) for t, a in dom.tags if t == "details" and "data-series" in a and "hidden" not in a}
    assert shown == with_pl104
