"""Many units' workbooks into one roll-up (汇总): which are included, and the figures.

Pure core (numpy only): :class:`Submission` values in (what the adapter read from each
file, kept small: a unit's twelve months and prior figure per indicator, never its
whole model), a :class:`Rollup` out. ``rollup_workbook`` writes it as a standardized
workbook, which can be checked, rendered and consolidated again one level up.

Why the figures are aggregated *month by month*: the roll-up is a workbook like any
other, and its own rules (``totals.py``: sum / last / max / mean over months) must give
back the consolidated period figures from its monthly cells. Per indicator rule:

- ``sum`` (flows): each month the sum over the units that have a figure (no figure
  where none has one). The roll-up's period total is then the sum of the units' totals.
- ``last`` (stocks, 派驻人员 on site): each unit's latest figure is carried forward
  month by month, and the carried figures are summed, so the roll-up's period-end value
  is the sum of the units' period-end values even when a unit's last figure is from an
  earlier month. The carrying restarts at the period's first month and stops after its
  last one, so no figure from before the period counts in it and none appears after it.
- ``max``: monthly sums as for ``sum``; the roll-up's max is then the peak month of all
  units together (not the sum of each unit's own peak, which may fall in different
  months and never happened at once).
- ``mean`` (rates, 患者满意度): each month the average over the units with a figure,
  weighted by the rate's declared weight indicator (``weight`` in the profile or
  ``--weight RATE=WEIGHT``: satisfaction by outpatient visits; a unit counts in a month
  only when its weight figure there is positive) or, with none declared, plain (each
  unit counts once). The roll-up's period figure is its own mean of those months.
- 上年同期 (prior): summed for sum/last/max; for a mean, weighted the same way (by the
  weight indicator's prior figures).

Every averaged monthly figure keeps the weight behind it (the number of units, or the
sum of the weight figures): the roll-up records it (:attr:`Rollup.weights`, a sheet of
its own) and a submission that is itself a roll-up brings it back in
(:attr:`Submission.weights`), so consolidating roll-ups of A,B and of C,D,E gives the
same figures as consolidating A–E at once. A recorded weight is trusted up to what an
honest roll-up can hold (its number of units, or its own weight-indicator figure):
a forged weights sheet cannot make one submission outweigh the others.

Conflicts are reported, never guessed: different years or periods refuse the run
(:class:`~xlsummary.errors.ConsolidationRefused`) unless the wanted ones are named;
the same unit twice excludes every copy (keeping one would be a guess which); the same
code with another unit of measure, rule or weight basis drops that indicator from the
roll-up; an indicator some catalogues lack is kept (those units' cells stay blank) and
the units lacking it are listed; workbooks with errors are excluded unless drafts are
allowed.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache

import numpy as np

from xlsummary.catalogue import Indicator, listing, load_profile, profile_names
from xlsummary.errors import ConsolidationRefused
from xlsummary.i18n import Msg
from xlsummary.periods import Period
from xlsummary.totals import RULE_INDEX, aggregate, typed_decimals, window_masks

#: the weight basis of a plain average (each unit counts once)
UNITS = ""


@dataclass(frozen=True)
class Submission:
    """One unit's workbook as far as consolidation needs it.

    ``values`` (n, 12) and ``prior`` (n,) are NaN for "no figure", rows in
    ``indicators`` order. ``weights`` only for a submission that is itself a roll-up:
    per averaged indicator, its basis (a weight code, or :data:`UNITS`) and the 13
    weights (12 months, then the prior) behind its figures. ``failure`` (a message)
    when the file could not be read at all: nothing else is then known."""

    file: str
    unit: str = ""
    sha256: str = ""
    profile: str = ""
    lang: str = ""  # the workbook's language
    year: int | None = None
    period: Period | None = None
    indicators: tuple[Indicator, ...] = ()
    values: np.ndarray = field(default_factory=lambda: np.empty((0, 12)))
    prior: np.ndarray = field(default_factory=lambda: np.empty(0))
    errors: int = 0
    warnings: int = 0
    first_issue: Msg | None = None
    weights: dict[str, tuple[str, np.ndarray]] | None = None
    failure: Msg | None = None
    #: for a roll-up, the units it consolidated (its 分单位 rows): given again beside
    #: it, or inside another roll-up too, a unit would be counted twice
    members: tuple[str, ...] = ()

    @property
    def is_rollup(self) -> bool:
        return self.weights is not None


@dataclass(frozen=True)
class Decision:
    """Whether a submission is in the roll-up, and why not (``reason``) when it is not;
    ``note`` for one included despite something (a draft)."""

    submission: Submission
    included: bool
    reason: Msg | None = None
    note: Msg | None = None


@dataclass(frozen=True)
class Rollup:
    unit: str
    year: int
    period: Period
    profile: str
    indicators: tuple[Indicator, ...]  # the union catalogue, conflicting codes left out
    values: np.ndarray  # (m, 12) the roll-up's monthly figures, NaN = no figure
    prior: np.ndarray  # (m,)
    #: per averaged indicator: its basis (a weight code or UNITS) and the (13,) weights
    weights: dict[str, tuple[str, np.ndarray]]
    decisions: list[Decision]
    conflicts: list[Msg]  # what made an indicator or a submission drop out
    lacking: dict[str, list[str]]  # indicator code -> units whose catalogue lacks it
    units: list[str]  # the included units, in input order
    breakdown: np.ndarray  # (units, m): each unit's period figure by the rule
    totals: np.ndarray  # (m,): the consolidated period figure (the breakdown's totals row)

    @property
    def included(self) -> list[Decision]:
        return [d for d in self.decisions if d.included]

    @property
    def included_submissions(self) -> list[Submission]:
        return [d.submission for d in self.decisions if d.included]

    @property
    def excluded(self) -> list[Decision]:
        return [d for d in self.decisions if not d.included]

    @property
    def clean(self) -> bool:
        """Everything submitted is in, none as a draft, nothing refused: exit code 0."""
        return not self.excluded and not self.conflicts and not any(d.note for d in self.decisions)


def consolidate(
    submissions: Sequence[Submission],
    *,
    unit: str,
    year: int | None = None,
    period: Period | None = None,
    include_drafts: bool = False,
    weights: dict[str, str] | None = None,
    declared: dict[str, str] | None = None,
) -> Rollup:
    """The roll-up of ``submissions`` for ``unit`` (the consolidating office).

    ``year``/``period`` pick the wanted ones when the submissions differ (the others are
    excluded); without them differing submissions refuse the run. ``weights`` (rate
    code -> weight code, from ``--weight``) overrides ``declared`` (the same, from the
    submissions' profiles). Last year's figures are each submission's ``prior``
    (already computed from the unit's workbook of the year before, when one was given:
    see ``rollup_workbook``)."""
    year, period = _pick_year_period(submissions, year, period)
    decisions = _decide(submissions, year, period, include_drafts)
    included = [d.submission for d in decisions if d.included]
    basis = {**(declared or {}), **(weights or {})}
    indicators, conflicts, lacking = _union(included, basis)
    codes = [i.code for i in indicators]
    rows = {c: k for k, c in enumerate(codes)}
    m = len(indicators)
    u = len(included)
    # (units, m, 12) and (units, m): the included units' figures on the union catalogue
    cube = np.full((u, m, 12), np.nan)
    prior = np.full((u, m), np.nan)
    for s, sub in enumerate(included):
        for i, ind in enumerate(sub.indicators):
            k = rows.get(ind.code)
            if k is not None:
                cube[s, k] = sub.values[i]
                prior[s, k] = sub.prior[i]
    rules = np.array([RULE_INDEX[i.rule] for i in indicators], dtype=np.int8)
    values = np.full((m, 12), np.nan)
    prior_out = np.full(m, np.nan)
    weight_out: dict[str, tuple[str, np.ndarray]] = {}
    for k, ind in enumerate(indicators):
        if ind.rule == "mean":
            base = basis.get(ind.code, UNITS)
            base = base if base in rows else UNITS
            w = _unit_weights(included, ind.code, base, cube, prior, rows)
            values[k], prior_out[k] = _weighted(cube[:, k], prior[:, k], w)
            weight_out[ind.code] = (base, w.sum(axis=0))
        else:
            months = _carried(cube[:, k], period) if ind.rule == "last" else cube[:, k]
            values[k] = _sum_present(months)
            prior_out[k] = _sum_present(prior[:, k][:, None])[0]
    values, prior_out = _settle(values, prior_out, cube, prior, rules)
    mask = window_masks(period, ((0, 0),))
    breakdown = np.full((u, m), np.nan)
    for s in range(u):
        breakdown[s] = aggregate(cube[s], rules, mask, typed_decimals(cube[s]))[:, 0]
    totals = aggregate(values, rules, mask, typed_decimals(values))[:, 0] if m else np.empty(0)
    return Rollup(
        unit=unit,
        year=year,
        period=period,
        profile=_profile(included),
        indicators=tuple(indicators),
        values=values,
        prior=prior_out,
        weights=weight_out,
        decisions=decisions,
        conflicts=conflicts,
        lacking=lacking,
        units=[s.unit for s in included],
        breakdown=breakdown,
        totals=totals,
    )


def _pick_year_period(
    submissions: Sequence[Submission], year: int | None, period: Period | None
) -> tuple[int, Period]:
    readable = [s for s in submissions if s.failure is None and s.year and s.period]
    if not readable:
        raise ConsolidationRefused("consolidate.nothing_readable")
    years = _distinct(s.year for s in readable)
    if year is None:
        if len(years) > 1:
            raise ConsolidationRefused(
                "consolidate.years_differ", files=_who(readable, lambda s: str(s.year))
            )
        year = years[0]
    spans = _distinct((s.period.start, s.period.end) for s in readable if s.year == year)
    if period is None:
        if len(spans) > 1:
            same_year = [s for s in readable if s.year == year]
            raise ConsolidationRefused(
                "consolidate.periods_differ",
                files=_who(same_year, lambda s: f"{s.period.start}-{s.period.end}"),
            )
        if not spans:
            raise ConsolidationRefused("consolidate.no_such_year", year=year)
        period = Period.months(*spans[0])
    return year, period


def _distinct(items: Iterable) -> list:
    return list(dict.fromkeys(items))


def _who(subs: Sequence[Submission], what, shown: int = 5) -> str:
    """ "2022: y.xlsx; 2023: a.xlsx, b.xlsx … (+8)": the detail of a refusal, grouped by
    what differs, a few files named per group."""
    groups: dict[str, list[str]] = {}
    for s in subs:
        groups.setdefault(what(s), []).append(s.file)
    parts = []
    for value, files in sorted(groups.items()):
        more = f" … (+{len(files) - shown})" if len(files) > shown else ""
        parts.append(f"{value}: " + ", ".join(files[:shown]) + more)
    return "; ".join(parts)


def _decide(
    submissions: Sequence[Submission], year: int, period: Period, include_drafts: bool
) -> list[Decision]:
    reasons: list[Msg | None] = []
    for s in submissions:
        if s.failure is not None:
            reasons.append(s.failure)
        elif s.year != year:
            reasons.append(Msg("consolidate.other_year", {"year": s.year or "—", "want": year}))
        elif s.period is None or (s.period.start, s.period.end) != (period.start, period.end):
            found = s.period.as_message() if s.period else "—"
            wanted = {"period": found, "want": period.as_message()}
            reasons.append(Msg("consolidate.other_period", wanted))
        elif s.errors and not include_drafts:
            reasons.append(Msg("consolidate.has_errors", {"errors": s.errors}))
        elif not s.unit.strip():
            reasons.append(Msg("consolidate.no_unit"))
        else:
            reasons.append(None)
    # the same unit twice: every copy out (which one is right is not ours to guess);
    # a unit inside a roll-up counts as given by that roll-up's file
    files_of: dict[str, list[str]] = {}
    for s, r in zip(submissions, reasons, strict=True):
        if r is None:
            for key in _unit_keys(s):
                files_of.setdefault(key, []).append(s.file)
    out = []
    for s, r in zip(submissions, reasons, strict=True):
        twice = [files_of[k] for k in _unit_keys(s) if len(files_of[k]) > 1] if r is None else []
        if twice:
            r = Msg(
                "consolidate.duplicate_unit",
                listing("files", _distinct(f for files in twice for f in files)),
            )
        note = Msg("consolidate.draft", {"errors": s.errors}) if r is None and s.errors else None
        out.append(Decision(s, r is None, r, note))
    return out


def _unit_keys(s: Submission) -> set[str]:
    """The units a submission stands for: its own, and a roll-up's members."""
    return {_unit_key(s.unit), *(_unit_key(u) for u in s.members)}


def _unit_key(unit: str) -> str:
    """One unit however it was typed: spaces aside, full-width letters, digits and
    brackets as their half-width forms (NFKC: 第１医院（分院） is 第1医院(分院)), case aside."""
    return "".join(unicodedata.normalize("NFKC", unit).split()).casefold()


def _union(
    included: list[Submission], basis: dict[str, str]
) -> tuple[list[Indicator], list[Msg], dict[str, list[str]]]:
    """The union catalogue in first-seen order; a code declared with another unit,
    rule or (for a roll-up) weight basis is dropped, with a message naming the units."""
    first: dict[str, tuple[Indicator, str]] = {}
    bad: dict[str, Msg] = {}
    for sub in included:
        for ind in map(_in_both_languages, sub.indicators):
            seen = first.get(ind.code)
            if seen is None:
                first[ind.code] = (ind, sub.unit)
                continue
            other, who = seen
            if (ind.unit, ind.rule) != (other.unit, other.rule) and ind.code not in bad:
                bad[ind.code] = Msg(
                    "consolidate.indicator_differs",
                    {
                        "code": ind.code,
                        "a": who,
                        "a_rule": f"{other.unit}, {other.rule}",
                        "b": sub.unit,
                        "b_rule": f"{ind.unit}, {ind.rule}",
                    },
                )
    for sub in included:
        for code, (base, _) in (sub.weights or {}).items():
            want = basis.get(code, UNITS)
            if code in first and base != want and code not in bad:
                bad[code] = Msg(
                    "consolidate.weight_differs",
                    {"code": code, "unit": sub.unit, "had": base or "—", "want": want or "—"},
                )
    indicators = [ind for code, (ind, _) in first.items() if code not in bad]
    lacking: dict[str, list[str]] = {}
    for ind in indicators:
        missing = [s.unit for s in included if ind.code not in {i.code for i in s.indicators}]
        if missing:
            lacking[ind.code] = missing
    # a required flag is kept when any unit requires the indicator; likewise the chart
    # flag: an indicator one unit charts is charted in the roll-up, so a unit that never
    # marked the column (or made its workbook before it existed) takes nothing away
    required = {i.code for s in included for i in s.indicators if i.required}
    charted = {i.code for s in included for i in s.indicators if i.chart}
    indicators = [
        _with_flags(ind, ind.required or ind.code in required, ind.chart or ind.code in charted)
        for ind in indicators
    ]
    return indicators, list(bad.values()), lacking


@cache
def _shipped_measures() -> dict[str, tuple[tuple[str, str], ...]]:
    """Indicator code -> the (zh, en) units of measure the shipped profiles give it."""
    out: dict[str, tuple[tuple[str, str], ...]] = {}
    for name in profile_names():
        for ind in load_profile(name).indicators:
            if ind.unit_en:
                out[ind.code] = (*out.get(ind.code, ()), (ind.unit, ind.unit_en))
    return out


def _in_both_languages(ind: Indicator) -> Indicator:
    """A workbook in English names a shipped indicator's unit of measure in English
    (persons where a Chinese one says 名): the same measure, so the indicator gets the
    shipped zh and en words and compares equal to a Chinese unit's. Any other unit of
    measure is kept as typed (and a real difference, 元 against 万元, still conflicts)."""
    for zh, en in _shipped_measures().get(ind.code, ()):
        if ind.unit in (zh, en):
            return ind if (ind.unit, ind.unit_en) == (zh, en) else replace(ind, unit=zh, unit_en=en)
    return ind


def _with_flags(ind: Indicator, required: bool, chart: bool) -> Indicator:
    """The same object when nothing changes: units of one profile share one catalogue."""
    if (ind.required, ind.chart) == (required, chart):
        return ind
    return replace(ind, required=required, chart=chart)


def _unit_weights(
    included: list[Submission],
    code: str,
    base: str,
    cube: np.ndarray,
    prior: np.ndarray,
    rows: dict[str, int],
) -> np.ndarray:
    """(units, 13): the weight of each unit's figure per month (and prior). A roll-up
    brings its recorded weights; a unit counts 1, or its weight indicator's figure."""
    k = rows[code]
    present = ~np.isnan(np.column_stack([cube[:, k], prior[:, k]]))
    if base == UNITS:
        w = np.ones(present.shape)
    else:
        j = rows[base]
        w = np.column_stack([cube[:, j], prior[:, j]])
        w = np.where(np.isnan(w) | (w < 0), 0.0, w)
    for s, sub in enumerate(included):
        if sub.weights and code in sub.weights:
            recorded = np.where(np.isnan(sub.weights[code][1]), 0.0, sub.weights[code][1])
            # what an honest roll-up can record: no more units than its 分单位 lists, no
            # more weight than its own weight-indicator figure; a forged weights sheet
            # must not make one submission count as a thousand units
            bound = float(max(1, len(sub.members))) if base == UNITS else w[s]
            w[s] = np.clip(recorded, 0.0, bound)
    return np.where(present, w, 0.0)


def _weighted(months: np.ndarray, prior: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, float]:
    """The weighted average per month (and of the prior); no figure where no weight."""
    figures = np.column_stack([months, prior])
    total = np.where(w > 0, np.nan_to_num(figures) * w, 0.0).sum(axis=0)
    weight = w.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(weight > 0, total / weight, np.nan)
    return out[:12], float(out[12])


def _carried(months: np.ndarray, period: Period) -> np.ndarray:
    """(units, 12) with each unit's latest figure carried forward, restarting at the
    period's first month and stopping after its last (see the module docstring)."""
    out = months.copy()
    for start, end in ((1, period.start - 1), (period.start, period.end)):
        for m in range(start, end):  # 1-based month m+1 takes month m's when empty
            empty = np.isnan(out[:, m])
            out[empty, m] = out[empty, m - 1]
    return out


def _sum_present(units: np.ndarray) -> np.ndarray:
    """Sum over axis 0 of what is present; NaN where nothing is."""
    present = ~np.isnan(units)
    return np.where(present.any(axis=0), np.nansum(units, axis=0), np.nan)


def _settle(
    values: np.ndarray, prior: np.ndarray, cube: np.ndarray, prior_in: np.ndarray, rules
) -> tuple[np.ndarray, np.ndarray]:
    """Sums rounded to the decimals their figures were typed with (12.5 + 8.2 is 20.7,
    not 20.700000000000003), as the totals round them; averages kept as computed."""
    if not len(values):
        return values, prior
    typed = np.concatenate([cube.transpose(1, 0, 2), prior_in.T[:, :, None]], axis=2)
    decimals = typed_decimals(typed.reshape(typed.shape[0], -1))
    decimals = np.where(rules == RULE_INDEX["mean"], -1, decimals)
    scale = 10.0 ** np.maximum(decimals, 0)
    keep = decimals < 0
    with np.errstate(invalid="ignore"):
        values = np.where(keep[:, None], values, np.rint(values * scale[:, None]) / scale[:, None])
        prior = np.where(keep, prior, np.rint(prior * scale) / scale)
    return values, prior


def _profile(included: list[Submission]) -> str:
    profiles = _distinct(s.profile for s in included if s.profile)
    return profiles[0] if len(profiles) == 1 else "general"
