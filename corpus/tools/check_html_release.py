#!/usr/bin/env python3
"""Tick-and-tie checker for the HTML releases of the tieout test corpus.

An independent oracle (Python stdlib only, html.parser): it reads each
table of corpus/NN-*.htm into rows of (label, figures), joining the pieces a
figure is split into (`$` | `(46` | `)`, `22.0` | `%`, `(57` | `)%`), and
verifies the identities the release was written to satisfy, declared per
release in SPECS below: footing, income-statement identities, balance, EPS,
cross-table agreement, retained-earnings roll, year-to-date >= quarter,
%-change and bps columns, narrative amounts. It also checks that every cell
a sidecar (.expect.yaml) names holds the value the sidecar states.

A good release must pass every check. A broken release (corpus/broken/,
sidecar `base:` naming its good release) must fail exactly one check, and
that check's rule and row must be the ones its sidecar names.

Usage: check_html_release.py [FILE.htm ...]   (default: every corpus .htm)
Exit status 0 when every file behaves as its sidecar says.
"""
import os
import re
import sys
from decimal import Decimal, ROUND_HALF_UP
from html.parser import HTMLParser

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.dirname(HERE)

BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "address", "li", "hr", "tr", "table", "center"}


# ------------------------------------------------------------------ extraction
class Extractor(HTMLParser):
    """Tables as rows of cells, and the text blocks outside tables."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks = []        # [(index of the next table, text)]
        self.tables = []        # [[row]], row = [(text, hidden, colspan)]
        self.cur_block = []
        self.in_table = 0
        self.row = None
        self.cell = None

    # cells and rows close implicitly, as HTML allows
    def _close_cell(self):
        if self.cell is not None and self.row is not None:
            text, hidden, span = self.cell
            self.row.append(("".join(text), hidden, span))
        self.cell = None

    def _close_row(self):
        self._close_cell()
        if self.row is not None and self.tables:
            self.tables[-1].append(self.row)
        self.row = None

    def _flush_block(self):
        t = norm("".join(self.cur_block))
        if t:
            self.blocks.append((len(self.tables), t))
        self.cur_block = []

    def handle_starttag(self, tag, attrs):
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "table":
            self._flush_block()
            self.in_table += 1
            self.tables.append([])
            return
        if self.in_table:
            if tag == "tr":
                self._close_row()
                self.row = []
            elif tag in ("td", "th"):
                self._close_cell()
                if self.row is None:
                    self.row = []
                style = a.get("style", "").replace(" ", "").lower()
                span = int(a.get("colspan", "1") or 1)
                self.cell = ([], "display:none" in style, span)
            elif tag == "br" and self.cell is not None:
                self.cell[0].append(" ")
            return
        if tag in BLOCK or tag == "br":
            self._flush_block()

    def handle_endtag(self, tag):
        if tag == "table" and self.in_table:
            self._close_row()
            self.in_table -= 1
            return
        if self.in_table:
            if tag in ("td", "th"):
                self._close_cell()
            elif tag == "tr":
                self._close_row()
            return
        if tag in BLOCK:
            self._flush_block()

    def handle_data(self, data):
        if self.in_table:
            if self.cell is not None:
                self.cell[0].append(data)
        else:
            self.cur_block.append(data)

    def close(self):
        super().close()
        self._close_row()
        self._flush_block()


def norm(s):
    return re.sub(r"\s+", " ", s.replace("\xa0", " ")).strip()


PIECE_AFTER = re.compile(r"^\)?%?$|^\)$|^\)%$")
NUM = re.compile(r"^\$?\(?\$?-?(\d{1,3}(,\d{3})*|\d+)?(\.\d+)?\)?%?\)?%?( ?bps)?$")
NIL = {"\u2014", "\u2013", "-", "--", "\u2014%"}
NA = {"nm", "*", "n/m", "nm%"}


class Fig:
    __slots__ = ("value", "dec", "percent", "bps", "text")

    def __init__(self, value, dec, percent, bps, text):
        self.value, self.dec, self.percent, self.bps, self.text = value, dec, percent, bps, text

    def __repr__(self):
        return self.text


def parse_fig(t):
    t = t.strip()
    if t in NIL:
        return Fig(Decimal(0), 0, False, False, t)
    if t.lower() in NA:
        return Fig(None, 0, False, False, t)
    if not NUM.match(t) or not re.search(r"\d", t):
        return None
    neg = "(" in t or t.startswith("-") or t.startswith("$-")
    core = re.sub(r"[^\d.]", "", t)
    v = Decimal(core)
    dec = len(core.split(".")[1]) if "." in core else 0
    return Fig(-v if neg else v, dec, "%" in t, "bps" in t, t)


def row_figures(cells):
    """(label, [Fig]) or None when the row is not a data row."""
    texts = [norm(t) for t, hidden, _ in cells if not hidden]
    texts = [t for t in texts if t]
    if not texts:
        return None
    label, rest = texts[0], texts[1:]
    if parse_fig(label) is not None or label == "$":
        return None
    merged, dollar = [], False
    for t in rest:
        if t == "$":
            dollar = True
            continue
        if merged and PIECE_AFTER.match(t):
            merged[-1] += t
            continue
        merged.append(("$" if dollar else "") + t)
        dollar = False
    figs = [parse_fig(t) for t in merged]
    if not figs or any(f is None for f in figs):
        return None
    return label, figs


class Table:
    def __init__(self, title, header, rows):
        self.title, self.header, self.rows = title, header, rows

    def get(self, label):
        hits = [f for lab, f in self.rows if lab == label]
        if not hits:
            raise KeyError(f"no row {label!r} in table {self.title!r}")
        return hits[0]


def furniture(text):
    return bool(re.fullmatch(r"\(more\)|\d{1,3}|#\s*#\s*#|\(continued\)", text, re.I))


def extract(path):
    raw = open(path, "rb").read().decode("utf-8")
    ex = Extractor()
    ex.feed(raw)
    ex.close()
    tables = []
    for ti, rows in enumerate(ex.tables):
        data, header = [], []
        for cells in rows:
            r = row_figures(cells)
            if r is None:
                if not data:
                    header.append(" ".join(norm(t) for t, h, _ in cells if not h and norm(t)))
                continue
            data.append(r)
        if not data:
            continue        # footnote / layout tables
        before = [t for (i, t) in ex.blocks if i == ti and not furniture(t)]
        title = " / ".join(before[-4:])
        tables.append(Table(title, " ".join(header), data))
    narrative = " ".join(t for (i, t) in ex.blocks if not furniture(t) and i == 0)
    everything = " ".join(t for (i, t) in ex.blocks if not furniture(t))
    return tables, narrative, everything


# ------------------------------------------------------------------ checks
class Failure(Exception):
    pass


def find_table(tables, title):
    for t in tables:
        if title.lower() in t.title.lower():
            return t
    raise KeyError(f"no table titled {title!r}")


def q(v, dec):
    return v.quantize(Decimal(1).scaleb(-dec), ROUND_HALF_UP)


def val(f):
    return f.value if f.value is not None else None


class Checker:
    def __init__(self, tables, narrative):
        self.tables, self.narrative = tables, narrative
        self.results = []   # (ok, rule, row, col, message)

    def record(self, ok, rule, row, col, msg):
        self.results.append((ok, rule, row, col, msg))

    def T(self, title):
        return find_table(self.tables, title)

    # total = signed sum of terms, exact in every column
    def foot(self, title, total, terms, rule="total-does-not-foot", cols=None):
        t = self.T(title)
        tot = t.get(total)
        lines = [(s, t.get(lab)) for s, lab in terms]
        for c in (cols if cols is not None else range(len(tot))):
            s = sum((Decimal(sign) * f[c].value for sign, f in lines), Decimal(0))
            ok = s == tot[c].value
            self.record(ok, rule, total, c,
                        f"{title}: {total} col {c}: lines give {s}, printed {tot[c].value}")

    def equal(self, rule, a, b, cols=None):
        """a, b = (title, row); cols = [(col_a, col_b)]."""
        ta, tb = self.T(a[0]), self.T(b[0])
        fa, fb = ta.get(a[1]), tb.get(b[1])
        pairs = cols if cols is not None else [(c, c) for c in range(len(fa))]
        for ca, cb in pairs:
            ok = fa[ca].value == fb[cb].value
            self.record(ok, rule, a[1], ca,
                        f"{a[0]}/{a[1]} col {ca} = {fa[ca].value} vs {b[0]}/{b[1]} col {cb} = {fb[cb].value}")

    def eps(self, title, ni, shares, eps_row, rule="eps-mismatch", cols=None):
        t = self.T(title)
        n, s, e = t.get(ni), t.get(shares), t.get(eps_row)
        for c in (cols if cols is not None else range(len(e))):
            half_n = Decimal(1).scaleb(-n[c].dec) / 2
            half_s = Decimal(1).scaleb(-s[c].dec) / 2
            vals = [(n[c].value + dn) / (s[c].value + ds) for dn in (-half_n, half_n) for ds in (-half_s, half_s)]
            lo, hi = q(min(vals), e[c].dec), q(max(vals), e[c].dec)
            mid = q(n[c].value / s[c].value, e[c].dec)
            ok = lo <= e[c].value <= hi and mid == e[c].value
            self.record(ok, rule, eps_row, c,
                        f"{title}: {eps_row} col {c}: {n[c].value}/{s[c].value} = {mid}, printed {e[c].value}")

    def roll(self, bs, re_row, end, start, inc, ni_row, col, rule="accumulated-deficit-roll"):
        b, i = self.T(bs), self.T(inc)
        r, n = b.get(re_row), i.get(ni_row)
        d = r[end].value - r[start].value
        ok = d == n[col].value
        self.record(ok, rule, re_row, end, f"{re_row} change {d} vs {ni_row} {n[col].value}")

    def ytd(self, title, row, pairs, rule="ytd-less-than-quarter"):
        f = self.T(title).get(row)
        for long, short in pairs:
            ok = f[long].value >= f[short].value
            self.record(ok, rule, row, long, f"{row}: col {long} {f[long].value} >= col {short} {f[short].value}")

    def pct_col(self, title, cur, prior, pcol, skip=(), rule="percent-column"):
        t = self.T(title)
        for lab, f in t.rows:
            if lab in skip:
                continue
            p = f[pcol]
            if p.value is None:
                self.record(False, rule, lab, pcol, f"{lab}: % column not meaningful but not skipped")
                continue
            a, b = f[cur].value, f[prior].value
            calc = q((a - b) / abs(b) * 100, p.dec)
            self.record(calc == p.value, rule, lab, pcol, f"{lab}: % change {calc}, printed {p.value}")

    def bps_col(self, title, cur, prior, ccol, rule="bps-column"):
        t = self.T(title)
        for lab, f in t.rows:
            c = f[ccol]
            if c.value is None:
                continue
            calc = (f[cur].value - f[prior].value) * 100
            self.record(calc == c.value and c.bps, rule, lab, ccol, f"{lab}: {calc} bps, printed {c.text}")

    def ratio(self, title, row, num, den, scale=100, rule="ratio"):
        """num/den: lists of (sign, table, row)."""
        f = self.T(title).get(row)
        for c in range(len(f) - (1 if f[-1].bps or f[-1].value is None else 0)):
            n = sum(Decimal(s) * self.T(tt).get(rr)[c].value for s, tt, rr in num)
            d = sum(Decimal(s) * self.T(tt).get(rr)[c].value for s, tt, rr in den)
            calc = q(n / d * scale, f[c].dec)
            self.record(calc == f[c].value, rule, row, c, f"{row} col {c}: computed {calc}, printed {f[c].value}")

    def claim(self, pattern, kind, title, row, col, scale=None, base_col=None):
        """kind: money (scale = dollars per table unit), per_share, pct (col vs base_col)."""
        hits = list(re.finditer(pattern, self.narrative))
        rule = {"money": "narrative-amount-mismatch", "per_share": "narrative-per-share-mismatch",
                "pct": "narrative-percent-mismatch"}[kind]
        if len(hits) != 1:
            self.record(False, "claim-not-found", row, col, f"{len(hits)} matches for /{pattern}/")
            return
        amt = hits[0].group("amt")
        f = self.T(title).get(row)
        if kind == "pct":
            m = re.fullmatch(r"([\d.]+)%", amt)
            dec = len(m.group(1).split(".")[1]) if "." in m.group(1) else 0
            stated = Decimal(m.group(1))
            a, b = f[col].value, f[base_col].value
            calc = q((a - b) / abs(b) * 100, dec)
            self.record(calc == stated, rule, row, col, f"narrative {amt} vs computed {calc}%")
            return
        m = re.fullmatch(r"\$\(?([\d,]*\.?\d+)\)?(?: (million|billion))?", amt)
        num = m.group(1).replace(",", "")
        dec = len(num.split(".")[1]) if "." in num else 0
        mult = {"million": Decimal(10) ** 6, "billion": Decimal(10) ** 9, None: Decimal(1)}[m.group(2)]
        stated = Decimal(num) * mult
        half = Decimal(1).scaleb(-dec) * mult / 2
        actual = abs(f[col].value) * (scale if kind == "money" else 1)
        ok = stated - half <= actual < stated + half
        self.record(ok, rule, row, col, f"narrative {amt} vs table {f[col].value} (x{scale or 1})")


# ------------------------------------------------------------------ specs
def P(*terms):
    """'+Label' / '-Label' strings to (sign, label)."""
    return [(1 if t[0] == "+" else -1, t[1:]) for t in terms]


def spec_14(k):
    IS, BS, EB = "Statements of Income", "Balance Sheets", "Adjusted EBITDA"
    k.foot(IS, "Gross profit", P("+Net sales", "-Cost of sales, including buying, distribution and occupancy costs"),
           "gross-profit-mismatch")
    k.foot(IS, "Total operating expenses", P("+Selling, general and administrative", "+Depreciation and amortization",
                                             "+Store impairment charges"))
    k.foot(IS, "Operating income", P("+Gross profit", "-Total operating expenses"), "operating-income-mismatch")
    k.foot(IS, "Income before income taxes", P("+Operating income", "+Interest expense, net"), "pretax-income-mismatch")
    k.foot(IS, "Net income", P("+Income before income taxes", "-Income tax expense"), "net-income-mismatch")
    k.eps(IS, "Net income", "Basic weighted average shares outstanding", "Basic earnings per share")
    k.eps(IS, "Net income", "Diluted weighted average shares outstanding", "Diluted earnings per share")
    k.ytd(IS, "Net sales", [(2, 0), (3, 1)])
    k.ytd(IS, "Cost of sales, including buying, distribution and occupancy costs", [(2, 0), (3, 1)])
    k.foot(BS, "Total current assets", P("+Cash and cash equivalents", "+Short-term investments", "+Receivables",
                                         "+Inventories", "+Prepaid expenses and other current assets"))
    k.foot(BS, "Total assets", P("+Total current assets", "+Property and equipment, net",
                                 "+Operating lease right-of-use assets", "+Long-term investments", "+Other assets"))
    k.foot(BS, "Total current liabilities", P("+Accounts payable", "+Accrued employee compensation",
                                              "+Accrued store operating expenses",
                                              "+Current portion of operating lease liabilities", "+Income taxes payable"))
    k.foot(BS, "Total liabilities", P("+Total current liabilities", "+Operating lease liabilities, net of current portion",
                                      "+Other long-term liabilities"))
    k.foot(BS, "Total stockholders\u2019 equity",
           P("+Common stock, $0.01 par value; 150,000 shares authorized; 61,240 and 61,015 shares issued",
             "+Additional paid-in capital", "+Treasury stock, at cost", "+Accumulated other comprehensive loss",
             "+Retained earnings"))
    k.foot(BS, "Total liabilities and stockholders\u2019 equity",
           P("+Total liabilities", "+Total stockholders\u2019 equity"), "liabilities-plus-equity-mismatch")
    k.equal("balance-sheet-out-of-balance", (BS, "Total liabilities and stockholders\u2019 equity"), (BS, "Total assets"))
    k.roll(BS, "Retained earnings", 0, 1, IS, "Net income", 2)
    k.foot(EB, "Adjusted EBITDA", P("+Net income", "+Income tax expense", "+Interest expense, net",
                                    "+Depreciation and amortization", "+Store impairment charges",
                                    "+Stock-based compensation"))
    k.equal("cross-table-mismatch", (EB, "Net income"), (IS, "Net income"))
    k.equal("cross-table-mismatch", (EB, "Income tax expense"), (IS, "Income tax expense"))
    k.equal("cross-table-mismatch", (EB, "Depreciation and amortization"), (IS, "Depreciation and amortization"))
    k.equal("cross-table-mismatch", (EB, "Store impairment charges"), (IS, "Store impairment charges"))
    it, ie = k.T(IS).get("Interest expense, net"), k.T(EB).get("Interest expense, net")
    for c in range(4):
        k.record(it[c].value == -ie[c].value, "cross-table-mismatch", "Interest expense, net", c,
                 f"interest {it[c].value} in the income statement, {ie[c].value} added back")
    k.ratio(EB, "Adjusted EBITDA as a percentage of net sales", [(1, EB, "Adjusted EBITDA")], [(1, IS, "Net sales")])
    th = Decimal(1000)
    k.claim(r"Net sales for the third quarter of fiscal 2026 were (?P<amt>\$[\d.,]+ million)", "money", IS, "Net sales", 0, th)
    k.claim(r"an increase of (?P<amt>[\d.]+%) compared with", "pct", IS, "Net sales", 0, base_col=1)
    k.claim(r"compared with (?P<amt>\$[\d.,]+ million) for the prior-year quarter\. Gross", "money", IS, "Net sales", 1, th)
    k.claim(r"Gross profit for the quarter was (?P<amt>\$[\d.,]+ million)", "money", IS, "Gross profit", 0, th)
    k.claim(r"Gross profit for the quarter was \$[\d.,]+ million, compared with (?P<amt>\$[\d.,]+ million)", "money", IS,
            "Gross profit", 1, th)
    k.claim(r"Net income for the third quarter was (?P<amt>\$[\d.,]+ million)", "money", IS, "Net income", 0, th)
    k.claim(r"Net income for the third quarter was \$[\d.,]+ million, or (?P<amt>\$[\d.]+) per diluted", "per_share", IS,
            "Diluted earnings per share", 0)
    k.claim(r"per diluted share, compared with (?P<amt>\$[\d.,]+ million), or \$[\d.]+ per diluted share, for the prior-year quarter",
            "money", IS, "Net income", 1, th)
    k.claim(r"or (?P<amt>\$[\d.]+) per diluted share, for the prior-year quarter", "per_share", IS,
            "Diluted earnings per share", 1)
    k.claim(r"Adjusted EBITDA, a non-GAAP measure reconciled in the tables below, was (?P<amt>\$[\d.,]+ million)", "money",
            EB, "Adjusted EBITDA", 0, th)
    k.claim(r"below, was \$[\d.,]+ million, compared with (?P<amt>\$[\d.,]+ million)", "money", EB, "Adjusted EBITDA", 1, th)
    k.claim(r"October 31, 2026, net sales were (?P<amt>\$[\d.,]+ million)", "money", IS, "Net sales", 2, th)
    k.claim(r"net sales were \$[\d.,]+ million, compared with (?P<amt>\$[\d.,]+ million) for the prior-year period", "money",
            IS, "Net sales", 3, th)
    k.claim(r"Year-to-date net income was (?P<amt>\$[\d.,]+ million)", "money", IS, "Net income", 2, th)
    k.claim(r"Year-to-date net income was \$[\d.,]+ million, or (?P<amt>\$[\d.]+) per", "per_share", IS,
            "Diluted earnings per share", 2)
    k.claim(r"compared with (?P<amt>\$[\d.,]+ million), or \$[\d.]+ per diluted share, for the prior-year period", "money",
            IS, "Net income", 3, th)
    k.claim(r"or (?P<amt>\$[\d.]+) per diluted share, for the prior-year period", "per_share", IS,
            "Diluted earnings per share", 3)
    k.claim(r"cash and cash equivalents of (?P<amt>\$[\d.,]+ million)", "money", BS, "Cash and cash equivalents", 0, th)


def spec_15(k):
    IS, BS, NG = "Statements of Operations", "Balance Sheets", "Reconciliation of GAAP"
    # columns: 0 3M26, 1 3M25, 2 %, 3 6M26, 4 6M25, 5 %; footing runs on the period columns only
    pc = dict(cols=(0, 1, 3, 4))
    k.foot(IS, "Total revenues", P("+Products", "+Services"), **pc)
    k.foot(IS, "Total cost of revenues", P("+Cost of products", "+Cost of services"), **pc)
    k.foot(IS, "Gross profit", P("+Total revenues", "-Total cost of revenues"), "gross-profit-mismatch", **pc)
    k.foot(IS, "Total operating expenses", P("+Research and development", "+Selling, general and administrative",
                                             "+Amortization of intangible assets", "+Restructuring charges"), **pc)
    k.foot(IS, "Operating income", P("+Gross profit", "-Total operating expenses"), "operating-income-mismatch", **pc)
    k.foot(IS, "Income before income taxes", P("+Operating income", "+Interest expense", "+Other income (expense), net"),
           "pretax-income-mismatch", **pc)
    k.foot(IS, "Net income", P("+Income before income taxes", "-Provision for income taxes"), "net-income-mismatch", **pc)
    k.eps(IS, "Net income", "Shares used in computing basic net income per share", "Basic net income per share", **pc)
    k.eps(IS, "Net income", "Shares used in computing diluted net income per share", "Diluted net income per share", **pc)
    t = k.T(IS)
    k.ytd(IS, "Total revenues", [(3, 0), (4, 1)])
    k.ytd(IS, "Total cost of revenues", [(3, 0), (4, 1)])
    k.pct_col(IS, 0, 1, 2, skip=("Interest expense", "Other income (expense), net"))
    k.pct_col(IS, 3, 4, 5, skip=("Interest expense", "Other income (expense), net"))
    for lab in ("Interest expense", "Other income (expense), net"):
        f = t.get(lab)
        k.record(f[2].value is None and f[5].value is None, "percent-column", lab, 2, f"{lab}: % change marked *")
    k.foot(BS, "Total current assets", P("+Cash and cash equivalents", "+Short-term investments",
                                         "+Accounts receivable, net", "+Inventories", "+Other current assets"))
    k.foot(BS, "Total assets", P("+Total current assets", "+Property, plant and equipment, net", "+Goodwill",
                                 "+Intangible assets, net", "+Other assets"))
    k.foot(BS, "Total current liabilities", P("+Accounts payable", "+Accrued liabilities", "+Deferred revenue",
                                              "+Short-term debt"))
    k.foot(BS, "Total liabilities", P("+Total current liabilities", "+Long-term debt", "+Other long-term liabilities"))
    k.foot(BS, "Total shareholders\u2019 equity", P("+Common stock and additional paid-in capital", "+Retained earnings",
                                                   "+Accumulated other comprehensive loss"))
    k.foot(BS, "Total liabilities and shareholders\u2019 equity", P("+Total liabilities", "+Total shareholders\u2019 equity"),
           "liabilities-plus-equity-mismatch")
    k.equal("balance-sheet-out-of-balance", (BS, "Total liabilities and shareholders\u2019 equity"), (BS, "Total assets"))
    k.roll(BS, "Retained earnings", 0, 1, IS, "Net income", 3)
    k.foot(NG, "Non-GAAP net income", P("+GAAP net income", "+Amortization of intangible assets (1)",
                                        "+Restructuring charges (2)", "+Acquisition-related costs (3)",
                                        "+Income tax effect of non-GAAP adjustments (4)"))
    cm = [(0, 0), (1, 1), (2, 3), (3, 4)]
    k.equal("cross-table-mismatch", (NG, "GAAP net income"), (IS, "Net income"), cm)
    k.equal("cross-table-mismatch", (NG, "Amortization of intangible assets (1)"), (IS, "Amortization of intangible assets"), cm)
    k.equal("cross-table-mismatch", (NG, "Restructuring charges (2)"), (IS, "Restructuring charges"), cm)
    k.equal("cross-table-mismatch", (NG, "Shares used in computing diluted net income per share"),
            (IS, "Shares used in computing diluted net income per share"), cm)
    k.eps(NG, "Non-GAAP net income", "Shares used in computing diluted net income per share",
          "Non-GAAP diluted net income per share")
    mi = Decimal(10) ** 6
    k.claim(r"Total revenues for the second quarter of 2026 were (?P<amt>\$[\d.,]+ million)", "money", IS, "Total revenues", 0, mi)
    k.claim(r"an increase of (?P<amt>[\d.]+%) from", "pct", IS, "Total revenues", 0, base_col=1)
    k.claim(r"% from (?P<amt>\$[\d.,]+ million) in the second quarter of 2025", "money", IS, "Total revenues", 1, mi)
    k.claim(r"Gross profit was (?P<amt>\$[\d.,]+ million)", "money", IS, "Gross profit", 0, mi)
    k.claim(r"operating income was (?P<amt>\$[\d.,]+ million)", "money", IS, "Operating income", 0, mi)
    k.claim(r"operating income was \$[\d.,]+ million compared with (?P<amt>\$[\d.,]+ million)", "money", IS,
            "Operating income", 1, mi)
    k.claim(r"Net income for the second quarter of 2026 was (?P<amt>\$[\d.,]+ million)", "money", IS, "Net income", 0, mi)
    k.claim(r"Net income for the second quarter of 2026 was \$[\d.,]+ million, or (?P<amt>\$[\d.]+) per", "per_share", IS,
            "Diluted net income per share", 0)
    # this sentence continues across the page break ("(more)", page number, <HR>)
    k.claim(r"diluted share, compared with (?P<amt>\$[\d.,]+ million), or \$[\d.]+ per diluted share, in the second quarter of 2025",
            "money", IS, "Net income", 1, mi)
    k.claim(r"or (?P<amt>\$[\d.]+) per diluted share, in the second quarter of 2025", "per_share", IS,
            "Diluted net income per share", 1)
    k.claim(r"first six months of 2026, total revenues were (?P<amt>\$[\d.,]+ million)", "money", IS, "Total revenues", 3, mi)
    k.claim(r"and net income was (?P<amt>\$[\d.,]+ million), or \$[\d.]+ per diluted share, compared with revenues", "money",
            IS, "Net income", 3, mi)
    k.claim(r"or (?P<amt>\$[\d.]+) per diluted share, compared with revenues", "per_share", IS,
            "Diluted net income per share", 3)
    k.claim(r"compared with revenues of (?P<amt>\$[\d.,]+ million)", "money", IS, "Total revenues", 4, mi)
    k.claim(r"and net income of (?P<amt>\$[\d.,]+ million), or \$[\d.]+ per diluted share, for the first six months of 2025",
            "money", IS, "Net income", 4, mi)
    k.claim(r"or (?P<amt>\$[\d.]+) per diluted share, for the first six months of 2025", "per_share", IS,
            "Diluted net income per share", 4)
    k.claim(r"Non-GAAP net income for the second quarter of 2026 was (?P<amt>\$[\d.,]+ million)", "money", NG,
            "Non-GAAP net income", 0, mi)
    k.claim(r"Non-GAAP net income for the second quarter of 2026 was \$[\d.,]+ million, or (?P<amt>\$[\d.]+) per",
            "per_share", NG, "Non-GAAP diluted net income per share", 0)
    k.claim(r"Cash and cash equivalents were (?P<amt>\$[\d.,]+ million)", "money", BS, "Cash and cash equivalents", 0, mi)


def spec_16(k):
    IS, RT, BS = "Statements of Income", "Selected Financial Ratios", "Balance Sheets"
    k.foot(IS, "Total interest income", P("+Loans, including fees", "+Investment securities",
                                          "+Interest-bearing deposits in other banks"))
    k.foot(IS, "Total interest expense", P("+Deposits", "+Borrowings", "+Subordinated debt"))
    k.foot(IS, "Net interest income", P("+Total interest income", "-Total interest expense"))
    k.foot(IS, "Net interest income after provision for credit losses",
           P("+Net interest income", "-Provision for credit losses"))
    k.foot(IS, "Total noninterest income", P("+Service charges on deposit accounts", "+Wealth management fees",
                                             "+Mortgage banking income", "+Securities gains (losses), net",
                                             "+Other noninterest income"))
    k.foot(IS, "Total noninterest expense", P("+Salaries and employee benefits", "+Occupancy and equipment",
                                              "+Data processing and technology", "+FDIC insurance", "+Professional fees",
                                              "+Other noninterest expense"))
    k.foot(IS, "Income before income taxes", P("+Net interest income after provision for credit losses",
                                               "+Total noninterest income", "-Total noninterest expense"),
           "pretax-income-mismatch")
    k.foot(IS, "Net income", P("+Income before income taxes", "-Income tax expense"), "net-income-mismatch")
    k.eps(IS, "Net income", "Weighted average common shares outstanding - basic", "Basic earnings per share")
    k.eps(IS, "Net income", "Weighted average common shares outstanding - diluted", "Diluted earnings per share")
    k.bps_col(RT, 0, 2, 3)
    k.ratio(RT, "Efficiency ratio", [(1, IS, "Total noninterest expense")],
            [(1, IS, "Net interest income"), (1, IS, "Total noninterest income")])
    k.ratio(RT, "Allowance for credit losses to total loans", [(-1, BS, "Allowance for credit losses")], [(1, BS, "Loans")])
    nm = k.T(RT).get("Net charge-offs (recoveries) to average loans (annualized)")
    k.record(nm[3].value is None and nm[3].text == "nm", "bps-column", "Net charge-offs", 3, "nm entry present")
    k.foot(BS, "Total cash and cash equivalents", P("+Cash and due from banks", "+Interest-bearing deposits in other banks"))
    k.foot(BS, "Loans, net", P("+Loans", "+Allowance for credit losses"))
    k.foot(BS, "Total assets", P("+Total cash and cash equivalents", "+Securities available for sale, at fair value",
                                 "+Securities held to maturity", "+Loans held for sale", "+Loans, net",
                                 "+Premises and equipment, net", "+Bank-owned life insurance",
                                 "+Goodwill and other intangible assets", "+Accrued interest receivable and other assets"))
    k.foot(BS, "Total deposits", P("+Noninterest-bearing", "+Interest-bearing"))
    k.foot(BS, "Total liabilities", P("+Total deposits", "+Short-term borrowings", "+Federal Home Loan Bank advances",
                                      "+Subordinated debt, net", "+Accrued interest payable and other liabilities"))
    k.foot(BS, "Total shareholders' equity", P("+Common stock", "+Additional paid-in capital", "+Retained earnings",
                                                   "+Accumulated other comprehensive loss"))
    k.foot(BS, "Total liabilities and shareholders' equity", P("+Total liabilities", "+Total shareholders' equity"),
           "liabilities-plus-equity-mismatch")
    k.equal("balance-sheet-out-of-balance", (BS, "Total liabilities and shareholders' equity"), (BS, "Total assets"))
    k.roll(BS, "Retained earnings", 0, 1, IS, "Net income", 0)
    th, bi = Decimal(1000), Decimal(1000)
    k.claim(r"today reported net income of (?P<amt>\$[\d.,]+ million)", "money", IS, "Net income", 0, th)
    k.claim(r"today reported net income of \$[\d.,]+ million, or (?P<amt>\$[\d.]+) per", "per_share", IS,
            "Diluted earnings per share", 0)
    k.claim(r"compared with (?P<amt>\$[\d.,]+ million), or \$[\d.]+ per diluted share, for the fourth quarter of 2025", "money",
            IS, "Net income", 1, th)
    k.claim(r"or (?P<amt>\$[\d.]+) per diluted share, for the fourth quarter of 2025", "per_share", IS,
            "Diluted earnings per share", 1)
    k.claim(r"and (?P<amt>\$[\d.,]+ million), or \$[\d.]+ per diluted share, for the first quarter of 2025", "money", IS,
            "Net income", 2, th)
    k.claim(r"or (?P<amt>\$[\d.]+) per diluted share, for the first quarter of 2025", "per_share", IS,
            "Diluted earnings per share", 2)
    k.claim(r"Net interest income was (?P<amt>\$[\d.,]+ million)", "money", IS, "Net interest income", 0, th)
    k.claim(r"Net interest income was \$[\d.,]+ million for the first quarter of 2026, compared with (?P<amt>\$[\d.,]+ million)",
            "money", IS, "Net interest income", 1, th)
    k.claim(r"provision for credit losses was (?P<amt>\$[\d.,]+ million)", "money", IS, "Provision for credit losses", 0, th)
    k.claim(r"Noninterest income was (?P<amt>\$[\d.,]+ million)", "money", IS, "Total noninterest income", 0, th)
    k.claim(r"included a (?P<amt>\$[\d.,]+ million) loss", "money", IS, "Securities gains (losses), net", 1, th)
    k.claim(r"Total assets were (?P<amt>\$[\d.,]+ billion)", "money", BS, "Total assets", 0, bi)
    k.claim(r"Total deposits were (?P<amt>\$[\d.,]+ billion)", "money", BS, "Total deposits", 0, bi)
    k.claim(r"were (?P<amt>\$[\d.,]+ billion)\.", "money", BS, "Loans, net", 0, bi)
    # the margin in the text and in the ratios table
    t = k.T(RT).get("Net interest margin (tax-equivalent)")
    for c, (pat, label) in enumerate(((r"The net interest margin was (?P<v>[\d.]+)%", "current"),
                                      (r"The net interest margin was [\d.]+%, compared with (?P<v>[\d.]+)%", "prior"))):
        m = re.search(pat, k.narrative)
        ok = bool(m) and Decimal(m.group("v")) == t[c].value
        k.record(ok, "narrative-percent-mismatch", "Net interest margin (tax-equivalent)", c,
                 f"margin ({label}) in text {m and m.group('v')}, table {t[c].value}")


SPECS = {"14-html-workiva": spec_14, "15-html-donnelley": spec_15, "16-html-bank": spec_16}


# ------------------------------------------------------------------ sidecars
def read_sidecar(path):
    """The few fields of the sidecar format this script needs (no YAML library)."""
    sc = {"tables": [], "findings": [], "base": None}
    cur = None
    for line in open(path, encoding="utf-8"):
        s = line.rstrip("\n")
        m = re.match(r'^base:\s*"?([^"#]+?)"?\s*$', s)
        if m:
            sc["base"] = m.group(1)
        m = re.match(r'^  - title:\s*"(.*)"\s*$', s)
        if m:
            cur = {"title": m.group(1), "columns": [], "cells": []}
            sc["tables"].append(cur)
        m = re.match(r"^    columns:\s*\[(.*)\]\s*$", s)
        if m and cur is not None:
            cur["columns"] = re.findall(r'"([^"]*)"', m.group(1))
        m = re.match(r'^      - \{row: "(.*)", col: (\d+), value: "(.*)"\}\s*$', s)
        if m and cur is not None:
            cur["cells"].append((m.group(1), int(m.group(2)), m.group(3)))
        m = re.match(r"^  - \{rule: ([\w-]+), severity: (\w+)(?:, row: \"(.*)\")?(?:, col: (\d+))?\}\s*$", s)
        if m:
            sc["findings"].append((m.group(1), m.group(2), m.group(3), int(m.group(4)) if m.group(4) else None))
    return sc


MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def check_sidecar(tables, sc):
    problems = []
    nxt = 0
    for et in sc["tables"]:
        hit = None
        for i in range(nxt, len(tables)):
            if et["title"].lower() in tables[i].title.lower():
                hit = i
                break
        if hit is None:
            problems.append(f"sidecar table {et['title']!r} not found")
            continue
        t = tables[hit]
        nxt = hit + 1
        width = max(len(f) for _, f in t.rows)
        if width != len(et["columns"]):
            problems.append(f"{et['title']}: {width} figure columns, sidecar lists {len(et['columns'])}")
        for code in et["columns"]:
            m = re.match(r"^(?:\d+[MW]|I) (\d{4})-(\d\d)-(\d\d)$", code)
            if m:
                y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
                if f"{MONTHS[mo - 1]} {d}" not in t.header.replace("\xa0", " ") or str(y) not in t.header:
                    problems.append(f"{et['title']}: column {code} not in header {t.header!r}")
            elif code == "percent" and "%" not in t.header:
                problems.append(f"{et['title']}: no % column header")
            elif code == "change" and "change" not in t.header.lower():
                problems.append(f"{et['title']}: no change column header")
        for row, col, value in et["cells"]:
            try:
                f = t.get(row)
            except KeyError as e:
                problems.append(str(e))
                continue
            got = f[col].value if col < len(f) else "missing"
            if got is None or Decimal(value) != got:
                problems.append(f"{et['title']}: {row!r} col {col}: html {got}, sidecar {value}")
    return problems


# ------------------------------------------------------------------ main
def run(path):
    """Returns (ok, lines)."""
    side = path[:-4] + ".expect.yaml"
    sc = read_sidecar(side) if os.path.exists(side) else None
    if sc is None:
        return False, [f"  no sidecar {side}"]
    base = sc["base"] or os.path.basename(path)[:-4]
    tables, narrative, _ = extract(path)
    k = Checker(tables, narrative)
    try:
        SPECS[base](k)
    except KeyError as e:
        return False, [f"  spec error: {e}"]
    fails = [r for r in k.results if not r[0]]
    lines = [f"  tables: " + "; ".join(f"[{t.title[-60:]}] {len(t.rows)} rows x {max(len(f) for _, f in t.rows)}"
                                        for t in tables),
             f"  checks: {len(k.results)} run, {len(fails)} failed"]
    for _, rule, row, col, msg in fails:
        lines.append(f"  FAIL {rule} (row {row!r}, col {col}): {msg}")
    if sc["base"] is None:
        probs = check_sidecar(tables, sc)
        for p in probs:
            lines.append(f"  SIDECAR {p}")
        cells = sum(len(t["cells"]) for t in sc["tables"])
        lines.append(f"  sidecar: {len(sc['tables'])} tables, {cells} cells, {len(probs)} problems")
        return not fails and not probs, lines
    # a broken release: exactly the finding its sidecar names
    want = sc["findings"]
    ok = len(want) == 1 and len(fails) == 1
    if ok:
        rule, _, row, col = want[0]
        _, frule, frow, fcol, _ = fails[0]
        ok = frule == rule and (row is None or norm(frow) == norm(row)) and (col is None or col == fcol)
    lines.append(f"  expected: {want} -> {'as expected' if ok else 'NOT as expected'}")
    return ok, lines


def main(argv):
    files = argv[1:]
    if not files:
        files = sorted(os.path.join(CORPUS, f) for f in os.listdir(CORPUS) if f.endswith(".htm"))
        bd = os.path.join(CORPUS, "broken")
        files += sorted(os.path.join(bd, f) for f in os.listdir(bd) if f.endswith(".htm"))
    all_ok = True
    for f in files:
        ok, lines = run(f)
        all_ok &= ok
        print(f"{'PASS' if ok else 'FAIL'} {os.path.relpath(f, CORPUS)}")
        for line in lines:
            print(line)
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
