"""The plain workbook's formulas (name, unit, total, 同比, status of every tally row)
agree with the core, recalculated by the real LibreOffice Calc.

One Calc serves the whole module (tests/calc.py): each generated workbook is loaded
once, then for each case its catalogue labels, figures and period are typed over UNO
and the sheet recalculated, and the core reads the same cells (the file's grids with
the same values set) through build_model and check_model. The figures come from a
seeded random generator and are valid input in the core's sense, apart from the
negatives and text put in on purpose: whole numbers for counts, 0..100 for rates,
figures up to 10^6 with at most two decimals, and ties (a total up to four decimals
longer than its prior) whose 同比 lies exactly half way between two tenths: within
the bounds docs/workbook.md gives for the formulas' 四舍五入.
"""

from __future__ import annotations

import copy
import math
import random
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from tests.calc import Calc
from tests.conftest import fill
from xlsummary import catalogue as cat
from xlsummary import periods
from xlsummary import workbook_layout as layout
from xlsummary.check import CheckResult, check_model, check_workbook
from xlsummary.grids import WorkbookGrids, column_index
from xlsummary.i18n import LANGS
from xlsummary.model_reader import build_model
from xlsummary.read_xlsx import read_grids
from xlsummary.workbook_words import TEXT

pytestmark = pytest.mark.slow

SEED = 14
FIRST = 4  # the first data row of the catalogue and the tally (headers in row 3)
EXTRAS = 8  # indicators added to the catalogue, in the tally's reserved rows
#: the 基本信息 cells of 报告期, 起始月, 截止月
PERIOD_CELLS = ("B6", "B7", "B8")
#: what users type that the core refuses, for each catalogue choice
REFUSED = {"rule": ["合", "total", "sum total"], "kind": ["百分", "ratio"], "required": ["maybe"]}
TEXTS = ["约80", "十二", "n/a", "12次"]
#: cells the core reads as empty: an empty text (="" pasted as values) and spaces
EMPTY_TEXTS = ["", " ", "  "]
#: figures the core refuses as typing accidents (10^12 or more)
TOO_LARGE = [2e12, -3e12, 1e12]
COMPUTED = ("name", "unit", "total", "yoy", "status")  # the formula columns B, C, Q, R, S


@pytest.fixture(scope="module")
def calc(tmp_path_factory):
    running = Calc(tmp_path_factory.mktemp("calc"))
    yield running
    running.close()


def sheet(key: str, lang: str) -> str:
    return layout.SHEETS[key][lang]


# ------------------------------------------------------------------- what is typed


def spelled(rng: random.Random, label: str) -> str:
    """A label as staff type it: in any case, with spaces around."""
    if label.isascii():
        label = rng.choice([label, label.upper(), label.title()])
    return " " * rng.randint(0, 2) + label + " " * rng.randint(0, 1)


def choice_label(rng: random.Random, key: str, code: object, lang: str) -> str:
    """The catalogue cell for a rule, kind or required flag: mostly the drop-down's
    entry, else any label the core accepts for it (in any language, case, spacing),
    blank for the default, or now and then something the core refuses."""
    parse, offered, accepted, default = {
        "rule": (cat.parse_rule, cat.RULE_LABELS[lang], cat.RULE_BY_LABEL, "sum"),
        "kind": (cat.parse_kind, cat.KIND_LABELS[lang], cat.KIND_BY_LABEL, "count"),
        "required": (
            cat.parse_yes_no,
            dict(zip((True, False), cat.YES_NO[lang], strict=True)),
            cat.BOOL_BY_LABEL,
            False,
        ),
    }[key]
    roll = rng.random()
    if roll < 0.45:
        return offered[code]
    if roll < 0.55 and code == default:
        return ""
    if roll < 0.6:
        return rng.choice(REFUSED[key])
    label = spelled(rng, rng.choice([a for a, meant in accepted.items() if meant == code]))
    assert parse(label) == code, label
    return label


def read_as(key: str, label: str) -> str | None:
    """The rule or kind the core reads from a catalogue cell: its default when blank,
    None when it refuses the label (it then reports the cell and uses the default)."""
    parse, default = {"rule": (cat.parse_rule, "sum"), "kind": (cat.parse_kind, "count")}[key]
    return parse(label) if label.strip() else default


def figure(rng: random.Random, kind: str) -> float:
    if kind == "count":
        return rng.randint(0, 500) if rng.random() < 0.8 else rng.randint(0, 10**6)
    top = 100 if kind == "percent" else rng.choice([100, 1000, 10**6 - 1])
    return round(rng.uniform(0, top), rng.randint(0, 2))


def tie(rng: random.Random, kind: str) -> tuple[float, float]:
    """A period figure and a prior whose 同比 (or change in points) lies exactly half
    way between two tenths: where 四舍五入 on the decimals and on binary floats differ."""
    sign = rng.choice([1, -1])
    k = rng.randint(0, 400)
    if kind == "percent":
        prior = Decimal(rng.randint(0, 9000)) / 100
        step = (2 * (k % 100) + 1) * Decimal("0.05")
        total = prior + step if prior + step <= 100 else prior - step
    elif kind == "amount":
        prior = Decimal(rng.randint(1, 10**6 - 1)) / 10 ** rng.randint(0, 2)
        total = prior + sign * prior * (2 * k + 1) / 2000
        if total < 0:
            total = prior + prior * (2 * k + 1) / 2000
    else:
        j = rng.randint(1, 500)
        prior = Decimal(2000 * j)
        total = prior + sign * (2 * k + 1) * j
    return float(total), float(prior)


def summed_tie(rng: random.Random, months: int) -> tuple[list[float], float]:
    """``months`` amounts with two decimals, around 10^5..10^6 each, whose sum lies
    exactly half way between two tenths of a percent from a prior of 10^6..10^7 (the
    float sum of twelve of them errs above 10^-9)."""
    j = rng.randint(50_000, 500_000)
    k = rng.randint(0, 400)
    prior = 2000 * j  # in cents: the change j * (2k + 1) cents is (2k + 1) / 2000 of it
    total = prior + rng.choice([1, -1]) * j * (2 * k + 1)
    cuts = sorted(rng.randint(0, total) for _ in range(months - 1))
    parts = [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]
    return [float(Decimal(c) / 100) for c in parts], float(Decimal(prior) / 100)


def tally_row(rng: random.Random, kind: str, window: tuple[int, int]) -> list[object]:
    """Twelve months and the prior: blanks, ties, full rows, negatives, text, and the
    other errors of the kind (a decimal in a count, a rate over 100, too large)."""
    roll = rng.random()
    row: list[object] = [None] * 13
    if roll < 0.05:
        return row
    if roll < 0.15 and kind == "amount":  # a tie summed over the period's months
        first, last = window
        months, prior = summed_tie(rng, last - first + 1)
        row[first - 1 : last] = months
        row[12] = prior
        return row
    if roll < 0.3:  # one month inside the period, a tie with the prior
        total, prior = tie(rng, kind)
        row[rng.randint(*window) - 1] = total
        row[12] = prior
        return row
    blanks = rng.choice([0.0, 0.0, 0.2, 0.5, 0.8])
    row = [None if rng.random() < blanks else figure(rng, kind) for _ in range(12)]
    row.append(rng.choice([None, 0, figure(rng, kind), figure(rng, kind), figure(rng, kind)]))
    if roll > 0.85:  # mistakes, one to three, anywhere
        for _ in range(rng.randint(1, 3)):
            row[rng.randrange(13)] = mistake(rng, kind)
    elif roll > 0.75:  # cells that look filled and are empty
        for _ in range(rng.randint(1, 3)):
            row[rng.randrange(12)] = rng.choice(EMPTY_TEXTS)
    return row


def mistake(rng: random.Random, kind: str) -> object:
    """A cell the core reports as an error: negative, text, too large, a decimal in a
    count, a rate over 100."""
    roll = rng.random()
    if roll < 0.25:
        return -rng.randint(1, 50)
    if roll < 0.45:
        return rng.choice(TEXTS)
    if roll < 0.6:
        return rng.choice(TOO_LARGE)
    if kind == "count":
        return rng.randint(0, 50) + rng.choice([0.5, 0.25, 0.1])
    if kind == "percent":
        return round(rng.uniform(100.01, 250), rng.randint(0, 2))
    return rng.choice(EMPTY_TEXTS)


def period_label(rng: random.Random, code: str, lang: str) -> str:
    """The 报告期 cell for a period: mostly the drop-down's entry, else any label the
    core accepts for it (the other language's, 一季度, q1, 年度…), spelled with spaces."""
    if rng.random() < 0.5:
        return periods.LABELS[lang][code]
    label = rng.choice([a for a, meant in periods.BY_LABEL.items() if meant == code])
    if len(label) > 1 and rng.random() < 0.5:
        cut = rng.randrange(1, len(label))
        label = label[:cut] + " " + label[cut:]
    label = spelled(rng, label)
    assert periods.parse_period_label(label.strip()) == code, label
    return label


def period_cases(rng: random.Random, lang: str) -> list[tuple[list[object], tuple[int, int]]]:
    """The 报告期 cells of every kind of period, and the months each covers; an empty,
    a refused 报告期 and a custom one with refused months (the core then takes the
    full year and checks no months)."""
    out = []
    for code, bounds in periods.NAMED.items():
        stray = rng.choice([None, None, rng.randint(1, 12)])  # ignored unless custom
        out.append(([period_label(rng, code, lang), stray, stray], bounds))
    month = rng.randint(1, 12)
    out.append(([period_label(rng, "custom", lang), month, month], (month, month)))
    for _ in range(3):
        start = rng.randint(1, 12)
        end = rng.randint(start, 12)
        out.append(([period_label(rng, "custom", lang), start, end], (start, end)))
    custom = periods.LABELS[lang]["custom"]
    start = rng.randint(2, 12)
    for cells in (
        [None, None, None],
        [rng.choice(["", " "]), 3, 5],
        [rng.choice(["第五季度", "H3", "yearly"]), None, None],
        [custom, start, start - 1],
        [custom, None, 6],
        [custom, 0, 13],
        [custom, 2.5, 6],
    ):
        out.append((cells, (1, 12)))
    return out


# ------------------------------------------------------------------ the two readers


def set_block(grids: WorkbookGrids, name: str, top: str, rows: list[list[object]]) -> None:
    """What typing ``rows`` at ``top`` (a cell such as D4) does, in the grids the core reads."""
    col0 = column_index(re.match(r"[A-Z]+", top).group())
    row0 = int(re.search(r"\d+", top).group()) - 1
    grid = grids.sheets[name].rows
    for r, values in enumerate(rows, start=row0):
        while len(grid) <= r:
            grid.append([])
        line = grid[r]
        while len(line) < col0 + len(values):
            line.append(None)
        line[col0 : col0 + len(values)] = values


def core_status(result: CheckResult, row0: int) -> tuple:
    """The first error of a tally row in sheet order, as a category, or ✓ when it has
    none: what the plain 状态 cell names. XLS_STATUS (the live workbook) names the same
    error; on a row with warnings only it shows the first warning, which the plain
    formula does not compute."""
    tally = result.model.sheet_names["tally"]
    errors = [i for i in result.issues if i.sheet == tally and i.row == row0 and i.is_error]
    if not errors:
        return ("ok",)
    first = errors[0]
    if first.code == "missing_month":
        n = 0
        for part in first.cell.split(","):
            a, _, b = part.partition(":")
            n += column_index(re.match(r"[A-Z]+", b or a).group()) - column_index(
                re.match(r"[A-Z]+", a).group()
            )
            n += 1
        return ("missing", n)
    return STATUS_CODES.get(first.code, ("other", first.code))


#: the core's error codes the 状态 cell names, and the word it uses
STATUS_CODES = {
    "negative": ("neg",),
    "not_a_number": ("text",),
    "too_large": ("large",),
    "fraction_in_count": ("fraction",),
    "percent_out_of_range": ("over",),
}


def calc_status(value: object, lang: str) -> tuple:
    words = TEXT[lang]
    said = {words["status_ok"]: ("ok",), words["status_neg"]: ("neg",)}
    said[words["status_text"]] = ("text",)
    said[words["status_large"]] = ("large",)
    said[words["status_fraction"]] = ("fraction",)
    said[words["status_over"]] = ("over",)
    if value in said:
        return said[value]
    before, _, after = str(words["status_missing"]).partition("{n}")
    match = re.fullmatch(re.escape(before) + r"(\d+)" + re.escape(after), str(value))
    return ("missing", int(match.group(1))) if match else ("calc", value)


# ----------------------------------------------------------------------- the test


def build_file(make_workbook, rng: random.Random, profile_name: str, lang: str) -> Path:
    """A generated workbook with EXTRAS more indicators of random rules and kinds, their
    rows in the tally's reserved rows, then a row of an unknown code."""
    path = make_workbook(profile_name, lang=lang, year=2024)
    n = len(cat.load_profile(profile_name).indicators)
    cells: dict[str, object] = {}
    cat_sheet, tally = sheet("catalogue", lang), sheet("tally", lang)
    for k in range(EXTRAS):
        r = FIRST + n + k
        code = f"extra_{k + 1}"
        values = (code, f"额外指标{k + 1}", f"Extra {k + 1}", "个" if lang == "zh" else "pcs")
        for col, value in zip("ABCD", values, strict=True):
            cells[f"{cat_sheet}!{col}{r}"] = value
        # the core strips the code: padded with spaces it is the same indicator
        cells[f"{tally}!A{r}"] = code if k % 2 else " " * (k % 3) + code + " "
    cells[f"{tally}!A{FIRST + n + EXTRAS}"] = "zz_unknown"
    return fill(path, cells)


def run_file(
    calc: Calc, path: Path, rng: random.Random, profile_name: str, lang: str, seen, save=None
):
    """Every case of one workbook through Calc and the core: the number of cells
    compared, the mismatches, the core's result of the last case. ``seen`` counts what
    the cases covered."""
    profile = cat.load_profile(profile_name)
    indicators = [(i.rule, i.kind, i.required) for i in profile.indicators]
    indicators += [
        (rng.choice(cat.RULES), rng.choice(cat.KINDS), rng.random() < 0.5) for _ in range(EXTRAS)
    ]
    n_rows = len(profile.indicators) + 10  # the generator's reserved rows
    grids = copy.deepcopy(read_grids(path))
    info, cat_sheet, tally = (sheet(k, lang) for k in ("info", "catalogue", "tally"))
    cases, expected = [], []
    for period_cells, window in period_cases(rng, lang):
        choices, kinds, refused = [], [], []
        for rule, kind, required in indicators:
            labels = [
                choice_label(rng, "rule", rule, lang),
                choice_label(rng, "kind", kind, lang),
                choice_label(rng, "required", required, lang),
            ]
            choices.append(labels)
            # figures valid for the kind the core reads (a refused kind counts as count)
            kinds.append(read_as("kind", labels[1]) or "count")
            refused.append(
                {
                    k
                    for k, label in zip(("rule", "kind"), labels[:2], strict=True)
                    if not read_as(k, label)
                }
            )
        figures = [tally_row(rng, kinds[k], window) for k in range(len(indicators))]
        figures.append(tally_row(rng, "count", window))  # the unknown code's row
        figures += [[None] * 13] * (n_rows - len(figures))
        blocks = [
            [cat_sheet, f"F{FIRST}:H{FIRST + len(choices) - 1}", choices],
            [tally, f"D{FIRST}:P{FIRST + n_rows - 1}", figures],
            [info, f"{PERIOD_CELLS[0]}:{PERIOD_CELLS[-1]}", [[v] for v in period_cells]],
        ]
        # an empty text, as Excel keeps ="" pasted as values: the core reads "", Calc
        # computes it (it keeps no empty text as a value)
        empty_texts = {
            f"{layout.column_letter(3 + j)}{FIRST + i}": '=""'
            for i, line in enumerate(figures)
            for j, value in enumerate(line)
            if value == ""
        }
        # (not in the file Calc saves for the core to read again: a formula there)
        cases.append({"blocks": blocks, "set": {tally: {} if save else empty_texts}})
        for name, cells, rows in blocks:
            set_block(grids, name, cells.split(":")[0], rows)
        expected.append((check_model(build_model(grids)), refused))
    computed = calc.recalc(path, cases, tally, f"A{FIRST}:S{FIRST + n_rows - 1}", save=save)
    compared, mismatches = 0, []
    for (result, refused), rows in zip(expected, computed, strict=True):
        for k, row in enumerate(rows):
            where = f"{path.name} {result.model.period} row {FIRST + k}"
            code = row[0].strip().lower() if isinstance(row[0], str) else row[0]
            got = dict(zip(COMPUTED, row[1:3] + row[16:19], strict=True))
            want = want_row(
                result, code, refused[k] if k < len(refused) else set(), lang, FIRST - 1 + k
            )
            seen.update(
                covered(result, code, want, refused[k] if k < len(refused) else set(), row[0])
            )
            tot = result.totals.by_code.get(code)
            mean = tot is not None and tot.rule == "mean"
            for key, value in want.items():
                compared += 1
                if not same(key, value, got[key], lang, mean):
                    mismatches.append(
                        f"{where} {code} {key}: Calc {got[key]!r}, core {value!r}; {row}"
                    )
    return compared, mismatches, expected[-1][0]


def want_row(result: CheckResult, code: str, refused: set, lang: str, row0: int) -> dict:
    ind = result.model.indicator(code) if code else None
    if not code:
        return dict.fromkeys(COMPUTED, "")
    if ind is None:
        return dict.fromkeys(COMPUTED, "") | {"name": TEXT[lang]["unknown_code"]}
    tot = result.totals[code]
    total = "" if "rule" in refused or tot.total is None else tot.total
    if total == "" or "kind" in refused:
        yoy = ""
    elif tot.yoy_points is not None:
        yoy = ("points", tot.yoy_points)
    elif tot.yoy_percent is not None:
        yoy = ("percent", tot.yoy_percent)
    else:
        yoy = ""
    return {
        "name": ind.name_zh if lang == "zh" else ind.name_en,
        "unit": ind.unit,
        "total": total,
        "yoy": yoy,
        "status": core_status(result, row0),
    }


def covered(result: CheckResult, code: str, want: dict, refused: set, raw: object) -> list[str]:
    """What a row exercised: its status, a refused label, its rule over blank months,
    a 同比 or change in points (a tie: exactly half way between two tenths; summed: a
    sum of several months), prior 0, a padded code, and the 报告期 it was read with."""
    tot = result.totals.by_code.get(code)
    if tot is None:
        return []
    out = [f"status {want['status'][0]}", *(f"refused {key}" for key in refused)]
    period = result.totals.period
    window = tot.months[period.start - 1 : period.end]
    if tot.total is not None and None in window:
        out.append(f"{tot.rule} over blanks")
    if tot.prior == 0 and tot.total is not None:
        out.append("prior 0")
    if raw != code:
        out.append("padded code")
    typed = result.model.info["period"].value
    if result.model.period is None:
        out.append("empty period" if typed is None else "refused period")
    elif typed not in periods.LABELS[result.model.lang].values():
        out.append("period alias")
    if want["yoy"]:
        kind, _ = want["yoy"]
        change = Decimal(repr(tot.total)) - Decimal(repr(tot.prior))
        exact = change * 10 if kind == "points" else change / Decimal(repr(tot.prior)) * 1000
        tied = abs(exact) % 1 == Decimal("0.5")
        out.append(f"{kind} tie" if tied else kind)
        if tied and tot.rule == "sum" and sum(v is not None for v in window) > 3:
            out.append("summed tie")
    return out


def same(key: str, want: object, got: object, lang: str, mean: bool = False) -> bool:
    if key == "status" and want != "":
        return want == calc_status(got, lang)
    if key == "total":  # the core's figure exactly: the decimals the figures add up to
        if want == "" or not isinstance(got, float):
            return want == got
        # a mean at 9 decimals: Calc's ROUND leaves the last binary digits of figures
        # above 10^6, where 9 decimals are more than a float holds
        return got == want or (mean and abs(got - want) <= 4 * math.ulp(want))
    if key == "yoy":
        if want == "":
            return got == ""
        kind, value = want
        if kind == "points":
            number = re.match(r"-?[\d.]+", got) if isinstance(got, str) else None
            return number is not None and Decimal(number.group()) == value
        return isinstance(got, float) and abs(got * 1000 - float(value) * 10) < 1e-6
    return want == got


def test_the_plain_formulas_agree_with_the_core(calc, make_workbook, tmp_path: Path):
    rng = random.Random(SEED)
    compared, mismatches, seen = 0, [], Counter()
    saved = tmp_path / "saved-by-calc.xlsx"
    for profile_name in cat.profile_names():
        for lang in LANGS:
            for _ in range(3):
                path = build_file(make_workbook, rng, profile_name, lang)
                save = None if saved.exists() else saved
                count, wrong, last = run_file(calc, path, rng, profile_name, lang, seen, save)
                compared += count
                mismatches += wrong
                if save is not None:  # the cells set over UNO are the cells the core read
                    again = check_workbook(saved)
                    assert again.totals.to_dict() == last.totals.to_dict()
                    assert [(i.code, i.cell) for i in again.issues] == [
                        (i.code, i.cell) for i in last.issues
                    ]
    print(f"compared {compared} computed cells with the core: {len(mismatches)} differ")
    print(sorted(seen.items()))
    assert compared > 20000
    for what in ("status ok", "status neg", "status text", "status missing", "prior 0"):
        assert seen[what] >= 50, what
    for what in ("status large", "status fraction", "status over", "summed tie"):
        assert seen[what] >= 30, what
    for what in ("empty period", "refused period", "period alias", "padded code"):
        assert seen[what] >= 10, what
    for what in ("refused rule", "refused kind", "percent tie", "points tie"):
        assert seen[what] >= 50, what
    for rule in cat.RULES:
        assert seen[f"{rule} over blanks"] >= 50, rule
    assert not mismatches, "\n".join(mismatches[:25]) + f"\n{len(mismatches)} of {compared}"


#: twelve amounts whose float sum, 4756254.989999999, misses the exact 4756254.99: against
#: 3821820.00 that is +24.45 %, so 24.5 % (24.4 % from the float)
SUMMED_TIE = [
    898003.42,
    170252.6,
    452479.92,
    379111.74,
    531702.49,
    643334.06,
    101867.77,
    803249.68,
    169301.22,
    207075.77,
    67151.47,
    332724.85,
]


def test_the_cases_the_issue_names(calc, make_workbook):
    """Issue #14's examples, as a user would read them off the sheet: 1.7 against 1.6 is
    +6.3 % (6.25 % rounded half away from zero, not the float's 6.2 %), 200.1 against
    200 is +0.1 %, 1.5 against 1.6 is -6.3 %, a rate of 70.05 against 70 is 0.1 points
    up; 取期末 over blank months is the last month that has a figure; and the status
    names the first problem of the row, missing months only for required indicators.
    And the reviewer's rows: twelve amounts summed to a tie (24.45 %: 24.5 %), an empty
    text or a space (an empty month), a code with a space after it, a decimal in a
    count, a rate over 100 and a figure of 10^12 or more (left out of the total)."""
    rows = {  # code: (rule, kind, required, 1月… and the prior from column D on)
        "t_up": ("sum", "amount", "否", [1.7, *[None] * 11, 1.6]),
        "t_small": ("sum", "amount", "否", [200.1, *[None] * 11, 200]),
        "t_down": ("sum", "amount", "否", [1.5, *[None] * 11, 1.6]),
        "t_rate": ("mean", "percent", "否", [70.05, *[None] * 11, 70]),
        "t_last": ("last", "count", "否", [5, None, 7, None, *[None] * 8, 0]),
        "t_text": ("sum", "count", "是", [None, 3, "约80", -1, *[8] * 8, None]),
        "t_neg": ("sum", "count", "是", [1, -2, None, "约80", *[8] * 8, 5]),
        "t_optional": ("sum", "count", "否", [None, 4, *[None] * 10, 4]),
        "t_required": ("sum", "count", "是", [None, 4, *[None] * 10, 4]),
        "t_summed": ("sum", "amount", "否", [*SUMMED_TIE, 3821820.0]),
        "t_empty": ("sum", "count", "是", [1, "", 1, -4, 1, 1, 1, "x", 1, 1, 1, 1, 5]),
        "t_space": ("sum", "count", "是", [1, 1, " ", *[1] * 9, 5]),
        "t_space_opt": ("sum", "count", "否", [1, 1, " ", *[1] * 9, 12]),
        "t_sp": ("sum", "count", "否", [2, *[None] * 11, 1]),
        "t_frac": ("sum", "count", "是", [1, 1.5, -2, *[1] * 9, 5]),
        "t_over": ("max", "percent", "否", [50, None, 120, "x", *[None] * 8, 40]),
        "t_large": ("sum", "amount", "否", [3, None, 2e12, 1.5, *[None] * 8, -1]),
    }
    tally_codes = {"t_sp": "t_sp "}  # padded in the tally: the core strips it
    path = make_workbook("hospital", year=2024)
    cells: dict[str, object] = {}
    # over the profile's own rows of the catalogue and the tally: more rows than the
    # tally's reserved ones
    for k, (code, (rule, kind, required, figures)) in enumerate(rows.items()):
        r = FIRST + k
        rule, kind = cat.RULE_LABELS["zh"][rule], cat.KIND_LABELS["zh"][kind]
        for col, value in zip(
            "ABCDFGH", (code, code, code, "个", rule, kind, required), strict=True
        ):
            cells[f"指标!{col}{r}"] = value
        cells[f"月度统计!A{r}"] = tally_codes.get(code, code)
        for col, value in zip("DEFGHIJKLMNOP", figures, strict=True):
            cells[f"月度统计!{col}{r}"] = value
    fill(path, cells)
    first, last = FIRST, FIRST + len(rows) - 1
    empty_text = {"月度统计": {f"E{FIRST + list(rows).index('t_empty')}": '=""'}}
    (computed,) = calc.recalc(path, [{"set": empty_text}], "月度统计", f"A{first}:S{last}")
    shown = {row[0].strip(): (row[16], row[17], row[18]) for row in computed}
    assert shown == {
        "t_up": (1.7, 0.063, "✓ 完整"),
        "t_small": (200.1, 0.001, "✓ 完整"),
        "t_down": (1.5, -0.063, "✓ 完整"),
        "t_rate": (70.05, "0.1个百分点", "✓ 完整"),
        "t_last": (7.0, "", "✓ 完整"),  # prior 0: no 同比
        "t_text": (66.0, "", "缺1个月"),  # 1月 is missing, then 3月 text
        "t_neg": (63.0, 11.6, "有负数"),  # 2月 negative, before 3月 missing and 4月 text
        "t_optional": (4.0, 0.0, "✓ 完整"),
        "t_required": (4.0, 0.0, "缺11个月"),
        "t_summed": (4756254.99, 0.245, "✓ 完整"),  # 24.45 %: the exact sum, not the float's
        "t_empty": (5.0, 0.0, "缺1个月"),  # 2月 "" is empty, before 4月 negative, 8月 text
        "t_space": (11.0, 1.2, "缺1个月"),  # a space is an empty month, not text
        "t_space_opt": (11.0, -0.083, "✓ 完整"),
        "t_sp": (2.0, 1.0, "✓ 完整"),  # "t_sp " is t_sp
        "t_frac": (9.5, 0.9, "有小数"),  # 1.5 in a count, before 3月 negative
        "t_over": (120.0, "80个百分点", "超出0–100"),
        "t_large": (4.5, -5.5, "数字过大"),  # 2e12 is left out of the total, as the core does
    }
    result = check_workbook(path)  # and the core says the same
    for code, (total, _, _) in shown.items():
        assert result.totals[code].total == total, code
    assert str(result.totals["t_summed"].yoy_percent) == "24.5"
    tally = result.model.sheet_names["tally"]
    first_errors = {}
    for issue in result.issues:
        if issue.sheet == tally and issue.is_error:
            first_errors.setdefault(issue.row - first + 1, issue.code)
    codes = list(rows)
    assert {codes[k]: c for k, c in first_errors.items() if 0 <= k < len(codes)} == {
        "t_text": "missing_month",
        "t_neg": "negative",
        "t_required": "missing_month",
        "t_empty": "missing_month",
        "t_space": "missing_month",
        "t_frac": "fraction_in_count",
        "t_over": "percent_out_of_range",
        "t_large": "too_large",
    }
    assert [str(result.totals[c].yoy_percent) for c in ("t_up", "t_small", "t_down")] == [
        "6.3",
        "0.1",
        "-6.3",
    ]
    assert str(result.totals["t_rate"].yoy_points) == "0.1"
