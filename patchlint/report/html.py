"""The ``html`` report: one self-contained page a maintainer reads after auditing an archive.

``patchlint check ARCHIVE --format html=report.html [--ledger LEDGER.tsv]`` writes a single file
that opens without a network (its charts are inline SVG drawn by matplotlib, its style and its
few lines of script are in the page, and a Content-Security-Policy forbids fetching anything):

* the run's counts (those of the JSON report's ``counts``),
* charts of the audit (:mod:`patchlint.audit`): violations per month and rule, per rule, and the
  senders with the most violations (the author's address: a list's DMARC rewriting of From: is
  undone, as the audit counts them), each with its numbers in a table,
* the rules' precision from the precision ledgers given with ``--ledger`` (judged samples, as in
  ``benchmarks/precision/``), beside how often each rule fired in this run,
* the incomplete series and each rule's most common patterns (the audit's),
* every series: its title, version, postings, sender and month, its patches and each one's
  findings, folded, with a filter (words to match, ``is:incomplete``, only series with findings)
  that a link can preset: ``report.html#filter=PL104``.

The writer only formats what the run kept: the outcomes (small records, no parsed mail) and the
audit's counters. matplotlib is an optional dependency: ``pip install 'patchlint[html]'``.
"""

from __future__ import annotations

import html
import importlib.util
import io
import re
from urllib.parse import quote
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from patchlint import __version__, hookimpl
from patchlint.audit import series_name
from patchlint.ledger import Ledger, LedgerError, Precision, flag_of, precision, read_ledger
from patchlint.rule import Severity, Violation

if TYPE_CHECKING:
    from patchlint.audit import Audit
    from patchlint.engine import Outcome
    from patchlint.report import Results

FORMAT = "html"
EXTRA = "pip install 'patchlint[html]'"
TOP_SENDERS = 15  # bars in the senders' chart (the table below it lists TOP_SENDERS_LISTED)
TOP_SENDERS_LISTED = 50
RULES_PER_MONTH = 9  # rules drawn on their own in the monthly chart; the others are one bar part
OTHER = "other rules"
# Nothing is fetched: styles and scripts only from the page itself, images only inline.
POLICY = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"


def _missing_matplotlib() -> str:
    return f"the html report draws its charts with matplotlib, which is not installed: {EXTRA}"


def ledgers(options: Mapping[str, object]) -> list[Ledger]:
    """The ledgers named by the ``ledger`` option (a path or a tuple of paths), read."""
    named = options.get("ledger") or ()
    paths = (named,) if isinstance(named, str) else tuple(named)  # type: ignore[arg-type]
    try:
        return [read_ledger(path) for path in paths]
    except LedgerError as exc:
        from patchlint.report import ReportError

        raise ReportError(str(exc)) from None


@hookimpl(trylast=True)
def patchlint_report_formats() -> dict[str, str]:
    return {FORMAT: "one self-contained HTML page: charts of the audit, rule precision (--ledger), every series "
                    f"with its findings ({EXTRA})"}


@hookimpl(trylast=True)
def patchlint_report_check(format: str, options: Mapping[str, object]) -> None:
    if format != FORMAT:
        return
    from patchlint.report import ReportError

    if importlib.util.find_spec("matplotlib") is None:
        raise ReportError(_missing_matplotlib())
    ledgers(options)


@hookimpl(trylast=True)
def patchlint_report(results: Results, format: str, out: TextIO) -> bool | None:
    if format != FORMAT:
        return None
    try:
        import matplotlib  # noqa: F401 - only to say what is missing before writing anything
    except ImportError:
        from patchlint.report import ReportError

        raise ReportError(_missing_matplotlib()) from None
    Page(results, ledgers(results.options)).write(out)
    return True


# -- the page -------------------------------------------------------------------------------------


def _filter(words: str) -> str:
    """A link to the series list filtered by ``words`` (the page's script reads it)."""
    return esc(f"#filter={quote(words, safe='@:')}")


def esc(value: object) -> str:
    """Text for HTML (element content and quoted attributes alike)."""
    return html.escape(str(value), quote=True)


def num(value: int, key: str | None = None) -> str:
    """A count as a table cell; ``key`` (the JSON report's path of the same number) marks it."""
    mark = f' data-key="{esc(key)}"' if key else ""
    return f'<td class="n"{mark}>{value:,}</td>'


class Page:
    """One run's report page, written piece by piece to a stream."""

    def __init__(self, results: Results, ledgers: Sequence[Ledger] = ()) -> None:
        from patchlint.report import series_id

        self.results = results
        self.audit: Audit = results.report.audit
        self.ledgers = tuple(ledgers)
        self.messages = results.messages
        self.series = results.series
        self.names = {rule.code: rule.name for rule in results.rules}
        self.summaries = {rule.code: rule.summary for rule in results.rules}
        # Each series' section: by its id, and by the name the audit gives it.
        self.anchors: dict[str, str] = {}
        self.audit_names: dict[str, str] = {}
        for number, outcome in enumerate(self.series):
            anchor = f"s{number}"
            self.anchors[series_id(outcome)] = anchor
            self.audit_names[series_name(outcome.target)] = anchor
        # The rules with the most violations get a colour of their own, the same in every chart.
        drawn = [name.split(" ", 1)[0] for name, _ in self.audit.by_rule.most_common(RULES_PER_MONTH)]
        self.colours = _colours(drawn)

    def write(self, out: TextIO) -> None:
        counts = self._counts()
        total = sum(counts["violations"].values())
        title = (f"patchlint report: {counts['messages']:,} messages, {counts['series']:,} series, "
                 f"{total:,} violations")
        out.write(HEAD.format(title=esc(title), policy=esc(POLICY), style=STYLE))
        out.write(f"<header><h1>patchlint report</h1><p>{esc(self._inputs())} · patchlint {esc(__version__)} · "
                  f"fail on {esc(self.results.fail_on)}: {'failed' if self.results.failed else 'passed'}</p>\n")
        out.write(NAV)
        out.write("</header>\n<main>\n")
        self._summary(out, counts)
        self._months(out)
        self._rules(out)
        self._senders(out)
        self._precision(out)
        self._incomplete(out)
        self._patterns(out)
        self._series(out)
        out.write(f"</main>\n<script>{SCRIPT}</script>\n</body>\n</html>\n")

    # -- the parts --------------------------------------------------------------------------------

    def _counts(self) -> dict[str, Any]:
        from patchlint.report.document import counts

        return counts(self.results)

    def _inputs(self) -> str:
        sources = list(dict.fromkeys(o.target.source for o in self.messages))
        if not sources:
            return "no input"
        shown = ", ".join(sources[:3])
        return shown + (f" and {len(sources) - 3:,} more files" if len(sources) > 3 else "")

    def _summary(self, out: TextIO, counts: Mapping[str, Any]) -> None:
        out.write('<section id="summary"><h2>What was read</h2>\n<table class="counts"><tbody>\n')
        rows = [("messages read", counts["messages"], "counts.messages")]
        rows += [(f"… of them {kind}", n, f"counts.kinds.{kind}") for kind, n in counts["kinds"].items() if n]
        rows += [
            ("checked", counts["checked"], "counts.checked"),
            ("skipped", counts["skipped"], "counts.skipped"),
        ]
        rows += [(f"… skipped: {why}", n, f"counts.skipped_reasons.{why}") for why, n in counts["skipped_reasons"].items()]
        rows += [
            ("unparseable", counts["unparseable"], "counts.unparseable"),
            ("repeated deliveries (judged once)", counts["repeats"], "counts.repeats"),
            ("series", counts["series"], "counts.series"),
        ]
        rows += [(f"postings judged by the {name} profile", n, f"counts.profiles.{name}")
                 for name, n in counts["profiles"].items()]
        rows += [(f"violations: {severity}", n, f"counts.violations.{severity}")
                 for severity, n in counts["violations"].items()]
        for label, value, key in rows:
            out.write(f"<tr><th>{esc(label)}</th>{num(value, key)}</tr>\n")
        out.write("</tbody></table></section>\n")

    def _months(self, out: TextIO) -> None:
        out.write('<section id="months"><h2>Violations per month and rule</h2>\n')
        months = [month for month, _ in self.audit.per_month()]
        if not months:
            out.write("<p>No violations.</p></section>\n")
            return
        drawn = list(self.colours)
        table: dict[str, Counter[str]] = {month: Counter() for month in months}
        for (month, code), count in self.audit.by_month.items():
            table[month][code if code in self.colours else OTHER] += count
        parts = drawn + ([OTHER] if any(table[m][OTHER] for m in months) else [])
        labels = {code: f"{code} {self.names.get(code, '')}".strip() for code in drawn}
        out.write(_figure(month_chart(months, parts, table, self.colours, labels), "months",
                          "Violations per month, each bar split by rule"))
        out.write("<details><summary>The numbers</summary><table><thead><tr><th>month</th>")
        out.write("".join(f"<th>{esc(p)}</th>" for p in parts) + "<th>all</th></tr></thead><tbody>\n")
        for month, total in self.audit.per_month():
            cells = "".join(num(table[month][p]) for p in parts)
            out.write(f'<tr><th>{esc(month)}</th>{cells}{num(total, f"months.{month}")}</tr>\n')
        out.write("</tbody></table></details></section>\n")

    def _rules(self, out: TextIO) -> None:
        out.write('<section id="rules"><h2>Violations per rule</h2>\n')
        rows = self.audit.by_rule.most_common()
        if not rows:
            out.write("<p>No violations.</p></section>\n")
            return
        out.write(_figure(bar_chart([name for name, _ in rows], [n for _, n in rows],
                                    [self.colours.get(name.split(" ", 1)[0], GREY) for name, _ in rows]),
                          "rules", "Violations per rule"))
        out.write("<table><thead><tr><th>rule</th><th>what it checks</th><th>violations</th><th></th></tr></thead>"
                  "<tbody>\n")
        for name, count in rows:
            code = name.split(" ", 1)[0]
            out.write(f"<tr><th>{esc(name)}</th><td>{esc(self.summaries.get(code, ''))}</td>"
                      f"{num(count, f'counts.rules.{code}')}"
                      f'<td><a href="{_filter(code)}">series</a></td></tr>\n')
        out.write("</tbody></table></section>\n")

    def _senders(self, out: TextIO) -> None:
        out.write('<section id="senders"><h2>Senders with the most violations</h2>\n'
                  "<p>By the patch author's address (the in-body From:, or the From: a list rewrote for "
                  "DMARC undone to its sender).</p>\n")
        rows = self.audit.by_sender.most_common(TOP_SENDERS_LISTED)
        if not rows:
            out.write("<p>No violations of a posting with a known sender.</p></section>\n")
            return
        drawn = rows[:TOP_SENDERS]
        out.write(_figure(bar_chart([s for s, _ in drawn], [n for _, n in drawn], [BLUE] * len(drawn)),
                          "senders", f"The {len(drawn)} senders with the most violations"))
        out.write(f"<details><summary>The {len(rows):,} senders with the most violations "
                  f"(of {len(self.audit.by_sender):,})</summary><table><thead><tr><th>sender</th>"
                  "<th>violations</th><th></th></tr></thead><tbody>\n")
        for sender, count in rows:
            out.write(f"<tr><th>{esc(sender)}</th>{num(count, f'senders.{sender}')}"
                      f'<td><a href="{_filter(sender)}">series</a></td></tr>\n')
        out.write("</tbody></table></details></section>\n")

    def _precision(self, out: TextIO) -> None:
        out.write('<section id="precision"><h2>Rule precision</h2>\n')
        if not self.ledgers:
            out.write("<p>No precision ledger given: <code>patchlint check --format html=FILE --ledger "
                      "LEDGER.tsv</code> shows here how often each rule's flags were judged right "
                      "(<code>benchmarks/precision/</code> has the project's).</p></section>\n")
            return
        flags = [flag_of(o.target, v) for o in self.results.outcomes for v in o.violations]
        rows = precision(self.ledgers, flags)
        described = "; ".join(
            f"{ledger.path} ({ledger.archive or 'archive not named'}"
            + (f", sampled at {dict(ledger.header)['sampled at']}" if "sampled at" in dict(ledger.header) else "")
            + f", {len(ledger.entries):,} rows)"
            for ledger in self.ledgers
        )
        out.write(f"<p>Ledgers: {esc(described)}. A flag is judged <em>right</em> (true, and the list "
                  "would want it fixed), <em>convention</em> (true, but against the list's accepted practice) "
                  "or <em>wrong</em>. <em>Still raised</em> counts the judged flags this run raises again "
                  "(same rule, posting, line and message): the figure <code>ledger.py report</code> prints "
                  "when the run covers the ledger's archive.</p>\n")
        out.write("<table><thead><tr><th>rule</th><th>flags in this run</th><th>judged</th><th>right</th>"
                  "<th>convention</th><th>wrong</th><th>precision</th><th>still raised</th>"
                  "<th>precision (still raised)</th></tr></thead><tbody>\n")
        all_judged: Counter[str] = Counter()
        all_raised: Counter[str] = Counter()
        for row in rows:
            all_judged.update(row.judged)
            all_raised.update(row.raised)
            out.write(f"<tr><th>{esc(row.code)} {esc(self.names.get(row.code, ''))}</th>"
                      f"{num(row.flags, f'precision.{row.code}.flags')}{_verdicts(row.judged, row.raised, row.code)}"
                      "</tr>\n")
        flags_total = sum(row.flags for row in rows)
        out.write(f"<tr><th>all</th>{num(flags_total)}{_verdicts(all_judged, all_raised, 'all')}</tr>\n")
        out.write("</tbody></table></section>\n")

    def _incomplete(self, out: TextIO) -> None:
        found = self.audit.incomplete
        out.write(f'<section id="incomplete"><h2>Incomplete series ({len(found):,})</h2>\n')
        if not found:
            out.write("<p>Every series holds all its patches.</p></section>\n")
            return
        out.write('<p><a href="#filter=is:incomplete">Show them in the series list</a>.</p>\n'
                  "<details><summary>The list</summary><ul>\n")
        for line in found:
            name, _, missing = line.rpartition(": missing ")
            anchor = self.audit_names.get(name)
            text = esc(name) if anchor is None else f'<a href="#{anchor}">{esc(name)}</a>'
            out.write(f"<li>{text}: missing {esc(missing)}</li>\n")
        out.write("</ul></details></section>\n")

    def _patterns(self, out: TextIO) -> None:
        top = self.audit.top_patterns()
        out.write('<section id="patterns"><h2>Most common patterns per rule</h2>\n')
        if not top:
            out.write("<p>No violations.</p></section>\n")
            return
        out.write("<p>Each rule's messages with their specifics (quoted text, numbers) left out; "
                  "<code>patchlint explain CODE</code> names the options that accept a list's style.</p>\n"
                  f"<details><summary>{sum(map(len, top.values())):,} patterns of {len(top):,} rules</summary>"
                  "<table><thead><tr><th>rule</th><th>count</th><th>pattern, and an example</th></tr></thead><tbody>\n")
        for code, patterns in top.items():
            for count, text, example in patterns:
                out.write(f'<tr><th class="code" title="{esc(self.names.get(code, ""))}">{esc(code)}</th>{num(count)}'
                          f'<td>{esc(text)}<div class="eg">e.g. {esc(example)}</div></td></tr>\n')
        out.write("</tbody></table></details></section>\n")

    def _series(self, out: TextIO) -> None:
        from patchlint.report import series_id

        by_key = {o.target.key: o for o in self.messages}
        in_series: set[tuple[str, int]] = set()
        with_findings = 0
        out.write(f'<section id="series"><h2>Series ({len(self.series):,})</h2>\n'
                  '<p class="filter"><label>Filter <input id="filter" type="search" placeholder="words, PL104, '
                  'an address, is:incomplete" size="40"></label> <label><input id="only-findings" type="checkbox" '
                  'checked> only series with findings</label> · <span id="shown"></span> shown</p>\n')
        for outcome in self.series:
            target = outcome.target
            members = [by_key[key] for key in target.members if key in by_key]
            in_series.update(target.members)
            found = [*outcome.violations, *(v for m in members for v in m.violations)]
            with_findings += bool(found)
            self._one_series(out, outcome, series_id(outcome), members, found)
        outside = [o for o in self.messages if o.violations and o.target.key not in in_series]
        out.write("</section>\n")
        if outside:
            out.write(f'<section id="outside"><h2>Messages outside any series ({len(outside):,})</h2><ul>\n')
            for outcome in outside:
                out.write(f"<li>{_posting(outcome)}</li>\n")
            out.write("</ul></section>\n")

    def _one_series(self, out: TextIO, outcome: Outcome, ident: str, members: list[Outcome],
                    found: list[Violation]) -> None:
        target = outcome.target
        severities = Counter(v.severity for v in found)
        badges = "".join(
            f'<span class="b {s.value}" title="{esc(s.value)}">{severities[s]}</span>' for s in Severity if severities[s]
        ) or '<span class="b clean">clean</span>'
        version = f"v{target.version}" if target.version else "v?"
        meta = [version, f"{len(members):,} posting{'s' if len(members) != 1 else ''}"]
        if target.sender:
            meta.append(target.sender)
        if target.month:
            meta.append(target.month)
        incomplete = ' data-incomplete="1"' if target.missing else ""
        out.write(f'<details class="series" id="{self.anchors[ident]}" data-series="{esc(ident)}" '
                  f'data-findings="{len(found)}"{incomplete}><summary>{badges} <span class="t">'
                  f"{esc(target.subject or '(no subject)')}</span> <span class=\"m\">{esc(' · '.join(meta))}"
                  "</span></summary>\n<div class=\"body\">")
        facts = [f"cover letter or first patch at {esc(target.source)}:{target.line}"]
        if target.message_id:
            facts.append(f"Message-ID &lt;{esc(target.message_id)}&gt;")
        if outcome.profile:
            facts.append(f"profile {esc(outcome.profile)}")
        if outcome.status.value != "checked":
            facts.append(f"{esc(outcome.status.value)}: {esc(outcome.reason)}")
        if target.missing:
            facts.append(f"<strong>missing patches {esc(', '.join(map(str, target.missing)))}</strong>")
        out.write(f'<p class="facts">{" · ".join(facts)}</p>\n')
        # A series rule's finding about one patch (its prefix, its place in the thread) is shown
        # with that patch; what is about the series as a whole, with the series.
        by_mid = {m.target.message_id: m.target.key for m in members if m.target.message_id}
        about: dict[tuple[str, int], list[Violation]] = {}
        whole: list[Violation] = []
        for violation in outcome.violations:
            key = by_mid.get(violation.message_id) if violation.message_id != target.message_id else None
            (about.setdefault(key, []) if key is not None else whole).append(violation)
        if whole:
            out.write(f'<p class="h">The series</p>{_findings(whole, target.source)}')
        out.write('<ol class="postings">\n')
        for member in members:
            out.write(f"<li>{_posting(member, about.get(member.target.key, ()), target.source, target.sender)}</li>\n")
        out.write("</ol></div></details>\n")


def _posting(outcome: Outcome, of_series: Sequence[Violation] = (), source: str = "", sender: str = "") -> str:
    """One posting: its subject, where it is, its author when not the series' (``sender``), its findings."""
    target = outcome.target
    subject = esc(target.subject or f"({target.kind})")
    where = _where(target.source, target.line, source)
    if target.sender and target.sender != sender:
        where += f" · {esc(target.sender)}"
    return (f'<span class="t">{subject}</span> <span class="m">{where}</span>'
            + _findings([*outcome.violations, *of_series], source))


def _where(source: str, line: int, known: str) -> str:
    """``FILE:LINE``, or ``line LINE`` in ``known``, the file of the series' cover letter or first
    patch, named once above (an archive's series are in one file: its name once per series)."""
    return f"line {line}" if source == known else f"{esc(source)}:{line}"


def _findings(violations: Iterable[Violation], source: str = "") -> str:
    items = "".join(
        f'<li class="{v.severity.value}"><span class="sev">{v.severity.value}</span> '
        f'<span class="loc">{_where(v.source, v.line, source)}</span> <strong>{esc(v.code)} {esc(v.rule)}</strong>: '
        f"{esc(v.message)}</li>"
        for v in violations
    )
    return f'<ul class="findings">{items}</ul>' if items else ""


def _verdicts(judged: Counter[str], raised: Counter[str], key: str) -> str:
    def share(counts: Counter[str]) -> str:
        value = Precision.share(counts)
        return "–" if value is None else f"{100 * value:.0f} %"

    judged_total = sum(judged.values())
    return (num(judged_total, f"precision.{key}.judged") + num(judged["right"]) + num(judged["convention"])
            + num(judged["wrong"]) + f'<td class="n">{share(judged)}</td>'
            + num(sum(raised.values()), f"precision.{key}.raised") + f'<td class="n">{share(raised)}</td>')


# -- charts ---------------------------------------------------------------------------------------

GREY = "#9a9a9a"
BLUE = "#3b6ea8"
_ID = re.compile(r'\bid="([^"]+)"')
_REF = re.compile(r'(url\(#|href="#)')


def _colours(codes: Sequence[str]) -> dict[str, str]:
    """A colour per drawn rule, the same in every chart; the others share grey."""
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    palette = colormaps["tab10"]
    distinct = [i for i in range(10) if i != 7]  # tab10's grey is for the other rules
    return {code: to_hex(palette(distinct[i % len(distinct)])) for i, code in enumerate(codes)}


def _style() -> dict[str, object]:
    # Text stays text (small, selectable, searchable), no math parsing of subjects or addresses
    # (a '$' in one would start TeX), ids salted the same way every run (same page, same input).
    return {"svg.fonttype": "none", "text.parse_math": False, "svg.hashsalt": "patchlint",
            "font.size": 9, "font.family": "sans-serif", "font.sans-serif": ["DejaVu Sans"], "axes.spines.top": False, "axes.spines.right": False}


def _svg(figure: Any) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    text = buffer.getvalue()
    text = text[text.index("<svg"):]
    return re.sub(r"<metadata>.*?</metadata>\s*", "", text, flags=re.S)


def _figure(svg: str, name: str, caption: str) -> str:
    """An SVG chart placed in the page: its ids made unique in the page, its size a maximum."""
    svg = _ID.sub(lambda m: f'id="{name}-{m.group(1)}"', svg)
    svg = _REF.sub(lambda m: f"{m.group(1)}{name}-", svg)
    match = re.match(r'<svg([^>]*?) width="([\d.]+)pt" height="([\d.]+)pt"', svg)
    if match:
        width = float(match.group(2)) * 4 / 3  # points to CSS pixels
        svg = svg.replace(match.group(0), f'<svg{match.group(1)} class="chart" role="img" '
                          f'aria-label="{esc(caption)}" style="max-width:{width:.0f}px"', 1)
    return f'<figure class="chart" id="chart-{name}">{svg}<figcaption>{esc(caption)}</figcaption></figure>\n'


def month_chart(months: Sequence[str], parts: Sequence[str], table: Mapping[str, Counter[str]],
                colours: Mapping[str, str], labels: Mapping[str, str]) -> str:
    """Stacked bars: one per month, split by rule (``parts``, named in the legend by ``labels``;
    ``OTHER`` for the rest)."""
    from matplotlib import rc_context
    from matplotlib.figure import Figure

    with rc_context(_style()):
        width = min(16.0, max(7.5, 0.28 * len(months) + 3))
        figure = Figure(figsize=(width, 3.8), layout="constrained")
        axes = figure.add_subplot()
        positions = range(len(months))
        bottom = [0] * len(months)
        for part in parts:
            heights = [table[m][part] for m in months]
            axes.bar(positions, heights, 0.8, bottom=bottom, color=colours.get(part, GREY),
                     label=labels.get(part, part))
            bottom = [b + h for b, h in zip(bottom, heights)]
        step = max(1, len(months) // 36)
        axes.set_xticks(list(positions)[::step], list(months)[::step], rotation=90 if len(months) > 6 else 0)
        axes.set_ylabel("violations")
        axes.set_xlim(-0.6, len(months) - 0.4)
        axes.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=8)
        return _svg(figure)


def bar_chart(labels: Sequence[str], values: Sequence[int], colours: Sequence[str]) -> str:
    """Horizontal bars, the first label at the top, each bar with its count."""
    from matplotlib import rc_context
    from matplotlib.figure import Figure

    with rc_context(_style()):
        longest = max(len(label) for label in labels)
        figure = Figure(figsize=(min(12.0, 4.5 + 0.065 * longest), 0.6 + 0.22 * len(labels)), layout="constrained")
        axes = figure.add_subplot()
        positions = list(range(len(labels)))[::-1]
        bars = axes.barh(positions, values, 0.7, color=list(colours))
        axes.bar_label(bars, labels=[f"{v:,}" for v in values], padding=2, fontsize=8)
        axes.set_yticks(positions, list(labels))
        axes.set_xlabel("violations")
        axes.margins(x=0.08)
        axes.set_ylim(-0.6, len(labels) - 0.4)
        return _svg(figure)


# -- the page's fixed parts -----------------------------------------------------------------------

HEAD = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{policy}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="patchlint">
<title>{title}</title>
<style>{style}</style>
</head>
<body>
"""

NAV = """<nav><a href="#summary">What was read</a> · <a href="#months">Per month</a> · <a href="#rules">Per rule</a> ·
<a href="#senders">Senders</a> · <a href="#precision">Precision</a> · <a href="#incomplete">Incomplete series</a> ·
<a href="#patterns">Patterns</a> · <a href="#series">Series</a></nav>
"""

STYLE = """
:root { color-scheme: light; --fg: #1d1d1f; --muted: #5f6368; --line: #d9d9de; --error: #b3261e;
  --warning: #8a5a00; --info: #1a5fb4; }
[hidden] { display: none !important; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); margin: 0; }
header { padding: 1rem 2rem 0.5rem; border-bottom: 1px solid var(--line); }
header p, nav { color: var(--muted); margin: 0.25rem 0; }
main { padding: 0 2rem 3rem; max-width: 78rem; }
h1 { font-size: 1.5rem; margin: 0.25rem 0; }
h2 { font-size: 1.2rem; margin: 2rem 0 0.5rem; border-bottom: 1px solid var(--line); padding-bottom: 0.2rem; }
table { border-collapse: collapse; margin: 0.5rem 0; }
th, td { text-align: left; padding: 0.15rem 0.6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th.code { white-space: nowrap; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
figure.chart { margin: 0.5rem 0; }
svg.chart { width: 100%; height: auto; display: block; }
figcaption, .m, .facts, .eg { color: var(--muted); font-size: 0.9em; }
details > summary { cursor: pointer; }
details.series { border-bottom: 1px solid var(--line); padding: 0.3rem 0; }
details.series .body { padding: 0.2rem 0 0.4rem 1.5rem; }
.b { display: inline-block; min-width: 1.4em; text-align: center; border-radius: 0.7em; color: #fff;
  font-size: 0.8em; padding: 0 0.35em; margin-right: 0.15em; }
.b.error { background: var(--error); } .b.warning { background: var(--warning); }
.b.info { background: var(--info); } .b.clean { background: #2e7d32; }
ul.findings { margin: 0.2rem 0; padding-left: 1.2rem; }
ul.findings li { font-size: 0.92em; }
.sev { font-weight: 600; text-transform: uppercase; font-size: 0.75em; }
li.error .sev { color: var(--error); } li.warning .sev { color: var(--warning); } li.info .sev { color: var(--info); }
.loc { color: var(--muted); font-family: ui-monospace, monospace; font-size: 0.9em; }
.h { margin: 0.3rem 0 0; font-weight: 600; }
.filter input[type=search] { font: inherit; padding: 0.15rem 0.4rem; }
"""

# The filter: words a series' text must all hold (case-insensitive), `is:incomplete`, and the
# checkbox for series with findings; `#filter=WORDS` in the address presets it (the rule and
# sender tables link so). Without script every series is shown.
SCRIPT = """
(function () {
  "use strict";
  var box = document.getElementById("filter");
  var only = document.getElementById("only-findings");
  var shown = document.getElementById("shown");
  if (!box || !only || !shown) { return; }
  var items = Array.prototype.slice.call(document.querySelectorAll("details.series"));
  var texts = items.map(function (item) { return item.textContent.toLowerCase(); });
  function apply() {
    var terms = box.value.toLowerCase().split(/\\s+/).filter(function (t) { return t.length > 0; });
    var count = 0;
    items.forEach(function (item, i) {
      var ok = !only.checked || item.getAttribute("data-findings") !== "0";
      terms.forEach(function (term) {
        if (term === "is:incomplete") { ok = ok && item.hasAttribute("data-incomplete"); }
        else { ok = ok && texts[i].indexOf(term) !== -1; }
      });
      item.hidden = !ok;
      if (ok) { count += 1; }
    });
    shown.textContent = count.toLocaleString("en");
  }
  function fromAddress() {
    var match = /^#filter=(.*)$/.exec(window.location.hash);
    if (!match) {
      var target = window.location.hash.length > 1 ? document.getElementById(window.location.hash.slice(1)) : null;
      if (target && target.tagName === "DETAILS") { target.hidden = false; target.open = true; }
      return;
    }
    box.value = decodeURIComponent(match[1]);
    only.checked = false;
    apply();
    document.getElementById("series").scrollIntoView();
  }
  box.addEventListener("input", apply);
  only.addEventListener("change", apply);
  window.addEventListener("hashchange", fromAddress);
  apply();
  fromAddress();
})();
"""
