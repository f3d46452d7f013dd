"""Figure placeholders in narrative text: ``全年开展手术{手术例数}例``.

The grammar is deliberately tiny, so that office staff can write it and nobody can
run anything with it (it is parsed here, never handed to Jinja or any evaluator):

    {指标}          the period total of an indicator, by Chinese name, English name or code
    {指标|选项}     another figure of it; options:
                    上年 / 上年同期 / prior    the prior-year figure
                    同比 / yoy                 the year-on-year change
                    1月 … 12月 / m1 … m12      one month
                    第一季度 / 一季度 / q1 …   one quarter
                    上半年 / 下半年 / h1 / h2   one half
                    累计 / ytd                  year to date

Full-width braces and bars (｛｝｜) and a colon (: or ：) in place of | are accepted,
because Chinese input methods produce them. A brace that is doubled or followed by
``%`` or ``#`` (``{{ … }}``, ``{% … %}``) is ordinary text and comes out as typed, as
does any text that does not form a placeholder.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PLACEHOLDER = re.compile(r"(?<![{｛])[{｛](?![{｛%#])([^{}｛｝\n]{1,60}?)[}｝](?![}｝])")
_SEPARATOR = re.compile(r"\s*[|｜:：]\s*")

_CN_NUM = "一二三四五六七八九十"
OPTIONS: dict[str, tuple[str, int]] = {
    "": ("total", 0),
    "合计": ("total", 0),
    "本期": ("total", 0),
    "total": ("total", 0),
    "上年": ("prior", 0),
    "上年同期": ("prior", 0),
    "去年": ("prior", 0),
    "prior": ("prior", 0),
    "同比": ("yoy", 0),
    "yoy": ("yoy", 0),
    "上半年": ("half", 1),
    "下半年": ("half", 2),
    "h1": ("half", 1),
    "h2": ("half", 2),
    "累计": ("ytd", 0),
    "ytd": ("ytd", 0),
}
for _m in range(1, 13):
    OPTIONS[f"{_m}月"] = ("month", _m)
    OPTIONS[f"m{_m}"] = ("month", _m)
for _q in range(1, 5):
    for _label in (f"第{_CN_NUM[_q - 1]}季度", f"{_CN_NUM[_q - 1]}季度", f"q{_q}", f"第{_q}季度"):
        OPTIONS[_label] = ("quarter", _q)


@dataclass(frozen=True, slots=True)
class Placeholder:
    start: int  # span in the text, for replacement
    end: int
    raw: str  # as typed, braces included
    name: str  # the indicator as written
    option: str  # as written, "" for none
    selector: tuple[str, int] | None  # ("month", 3)...; None when the option is unknown


def find_placeholders(text: str) -> list[Placeholder]:
    found = []
    for match in _PLACEHOLDER.finditer(text):
        body = match.group(1).strip()
        if not body:
            continue
        name, _, option = _SEPARATOR.sub("|", body, count=1).partition("|")
        option = option.strip()
        found.append(
            Placeholder(
                match.start(),
                match.end(),
                match.group(0),
                name.strip(),
                option,
                OPTIONS.get(option.replace(" ", "").casefold()),
            )
        )
    return found
