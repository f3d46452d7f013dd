"""Every word xlsummary says to a person, one catalogue per language.

``zh.py`` and ``en.py`` each hold one flat dict, ``MESSAGES``, from a stable key
(``issue.not_a_number``, ``error.encrypted``, ``label.error``…) to a ``str.format``
pattern. Code never writes a user-facing sentence or branches on the language: it
names a key and passes parameters, and :func:`text` picks the pattern of the language
asked for. Fixing a word is one edit in one file; adding a language is one new file
beside these two (and its code in :data:`LANGS`); a test keeps the catalogues' keys
identical, and their placeholders too (except the few entries whose languages build a
sentence from different parameters, listed in that test).

Why not gettext/Babel: gettext keys messages by their source-language text, so
fixing a Chinese word would change the key in every other catalogue, and .po files
need a compile step in the build and a parser at run time. A dict per language costs
nothing to import (these modules are bytecode like any other) and is checked by a
plain test.

Parameters: a value that differs by language is passed as ``name=…`` plus
``name_en=…`` (``name_<lang>`` stands in for ``name`` in that language), so an
indicator's Chinese and English names travel with an issue or an error and each
language picks its own. A value may also be a :class:`Msg`, rendered in the same
language (a word inside a sentence: "the workbook" or "the Word template").
"""

from __future__ import annotations

import importlib
import string
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

#: the languages with a catalogue; the first is the default
LANGS = ("zh", "en")
DEFAULT = LANGS[0]


def language(lang: str | None) -> str:
    """``lang`` if it has a catalogue, else the default: an unknown language never fails."""
    return lang if lang in LANGS else DEFAULT


@cache
def catalogue(lang: str) -> dict[str, str]:
    return importlib.import_module(f"xlsummary.i18n.{language(lang)}").MESSAGES


@dataclass(frozen=True)
class Msg:
    """A message not yet put into words: a key and its parameters. Exceptions and
    issues keep one and say it in whichever language each reader asks for."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)

    def __call__(self, lang: str = DEFAULT) -> str:
        return text(self.key, lang, **self.params)


def text(key: str, lang: str = DEFAULT, /, **params: Any) -> str:
    """The message ``key`` in ``lang`` with ``params`` filled in."""
    lang = language(lang)
    pattern = catalogue(lang)[key]
    if not params:  # still formatted: "{{" means "{" whether or not parameters come
        return pattern.format()
    suffix = f"_{lang}"
    values = {}
    for name, value in params.items():
        if isinstance(value, Msg):
            value = value(lang)
        values[name] = value
    for name in params:
        if name.endswith(suffix) and params[name] not in (None, ""):
            values[name[: -len(suffix)]] = values[name]
    return pattern.format(**values)


def pattern(key: str, lang: str = DEFAULT) -> str:
    """The unfilled pattern of ``key``, for a caller that fills it in its own way (a
    report title whose year may be missing)."""
    return catalogue(language(lang))[key]


def words(prefix: str, lang: str = DEFAULT) -> dict[str, str]:
    """Every entry under ``prefix.`` (``words("label", "en")["error"]``), in catalogue
    order: a set of labels used together, such as the 校验结果 sheet's column heads.
    An entry that takes parameters comes as its pattern, for the caller to fill (the
    web page's ``found``, the workbook's ``title``); the others as :func:`text` says them."""
    return dict(_words(prefix, language(lang)))


@cache
def word_list(key: str, lang: str = DEFAULT) -> tuple[str, ...]:
    """An entry that lists words, ``|`` between them ("对口支援|工作总结"), as a tuple;
    empty when the language has none."""
    return tuple(w for w in text(key, lang).split("|") if w)


@cache
def _words(prefix: str, lang: str) -> tuple[tuple[str, str], ...]:
    start = prefix + "."
    return tuple(
        (k[len(start) :], v if _takes_parameters(v) else text(k, lang))
        for k, v in catalogue(lang).items()
        if k.startswith(start)
    )


def _takes_parameters(pattern: str) -> bool:
    return any(name for _, name, _, _ in string.Formatter().parse(pattern) if name)


def in_language(data: object, lang: str, base: str = "", fallback: bool = True) -> str:
    """What ``data`` (a column, a field, an indicator of a profile file) says in ``lang``:
    its attribute ``<base>_<lang>`` (``<lang>`` when there is no base; the default
    language's may be ``<base>`` alone, as an indicator's ``unit`` or ``description``).
    Data comes in the languages its files were written in, not from the catalogue, so
    when ``lang`` has none (or an empty one) the default language's stands in, unless
    ``fallback`` is False (a text only the default language has, shown in no other)."""

    def own(code: str) -> str:
        name = f"{base}_{code}" if base else code
        if not hasattr(data, name) and code == DEFAULT and base:
            name = base
        return getattr(data, name, "") or ""

    found = own(language(lang))
    return found if found or not fallback else own(DEFAULT)


def per_language(name: str, value: Callable[[str], str]) -> dict[str, str]:
    """Message parameters for a value each language says its own way (data in two
    languages, a list joined by each language's separator): ``name`` in the default
    language and ``name_<lang>`` in every other, as :func:`xlsummary.i18n.text` reads them."""
    return {name: value(DEFAULT), **{f"{name}_{lang}": value(lang) for lang in LANGS[1:]}}
