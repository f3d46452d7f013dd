"""``xlsummary addin install | remove | status``: put the add-in where Excel loads it.

- Windows: copy ``xlsummary.xlam`` into Excel's startup folder (%APPDATA%\\Microsoft\\
  Excel\\XLSTART); write the interpreter that runs xlsummary into the add-in's user
  config file (%USERPROFILE%\\.myaddin\\myaddin.conf; without it the button fails with
  "Python not found"); and import the worksheet functions' VBA wrappers into the
  add-in, as xlwings' "Import Functions" does. That last step needs Excel's "Trust
  access to the VBA project object model" (File > Options > Trust Center > Trust
  Center Settings > Macro Settings); without it we say so, and IT can import
  ``xlsummary_udfs.bas`` by hand.
- macOS: the same copy and config file, plus xlwings' RunPython setup (``xlwings
  runpython install``). Excel runs sandboxed there, so the VBA's ``$HOME`` is
  ~/Library/Containers/com.microsoft.Excel/Data, where the file must go. The worksheet functions are Windows-only in
  xlwings: Mac users get the button and the plain workbook, whose formulas need no
  add-in.
- Elsewhere (Linux: no Excel) it prints what it would do and changes nothing.

The settings file format is xlwings': one ``"KEY","VALUE"`` pair per line, in the
encoding VBA reads it with (the ANSI code page on Windows: GBK on a Chinese system,
where a user name such as 张三 is part of the Python path). Keys we do not own are
kept. The file is named after the template's ``PROJECT_NAME`` (``myaddin``), which
other add-ins built from the same xlwings template share: ``remove`` deletes only the
keys we wrote, and only while they still hold what we wrote.

What the commands say is the catalogue's (``excel.install.*``, ``excel.remove.*``,
``excel.status.*`` in :mod:`xlsummary.i18n`), in the default language unless asked.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from xlsummary.excel.build_addin import ADDIN_NAME, PROJECT_NAME, UDF_MODULES, shipped_addin
from xlsummary.excel.vba_wrappers import shipped_bas
from xlsummary.i18n import DEFAULT, Msg, text

_MAC_STARTUP = "Library/Group Containers/UBF8T346G9.Office/User Content/Startup/Excel"
_MAC_SANDBOX_HOME = "Library/Containers/com.microsoft.Excel/Data"


@dataclass
class Target:
    """Where things go on one machine."""

    platform: str
    startup: Path | None
    config: Path | None
    interpreter: str

    @property
    def supported(self) -> bool:
        return self.startup is not None

    @property
    def addin(self) -> Path | None:
        return self.startup / ADDIN_NAME if self.startup else None


@dataclass
class Outcome:
    done: list[str] = field(default_factory=list)
    todo: list[str] = field(default_factory=list)  # steps the user has to take


def target(
    platform: str | None = None,
    env: dict | None = None,
    home: Path | None = None,
    interpreter: str | None = None,
) -> Target:
    platform = platform or sys.platform
    env = os.environ if env is None else env
    home = home or Path.home()
    interpreter = interpreter or sys.executable
    if platform == "win32":
        appdata = Path(env.get("APPDATA") or home / "AppData" / "Roaming")
        profile = Path(env.get("USERPROFILE") or home)
        return Target(
            platform,
            appdata / "Microsoft" / "Excel" / "XLSTART",
            profile / f".{PROJECT_NAME}" / f"{PROJECT_NAME}.conf",
            interpreter,
        )
    if platform == "darwin":
        return Target(
            platform,
            home / _MAC_STARTUP,
            home / _MAC_SANDBOX_HOME / f"{PROJECT_NAME}.conf",
            interpreter,
        )
    return Target(platform, None, None, interpreter)


def _settings(t: Target) -> dict[str, str]:
    key = "INTERPRETER_WIN" if t.platform == "win32" else "INTERPRETER_MAC"
    return {key: t.interpreter, "UDF MODULES": UDF_MODULES}


def _encoding(platform: str) -> str:
    """What VBA's ``Open ... For Input`` reads: the ANSI code page on Windows."""
    return "mbcs" if platform == "win32" and sys.platform == "win32" else "utf-8"


def read_config(path: Path, platform: str = "") -> dict[str, str]:
    values: dict[str, str] = {}
    if path.is_file():
        text = path.read_bytes().decode(_encoding(platform), errors="replace")
        for line in text.splitlines():
            parts = [p.strip().strip('"') for p in line.split('","')]
            if len(parts) == 2:
                values[parts[0].upper()] = parts[1]
    return values


def _write_config(path: Path, values: dict[str, str], platform: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "".join(f'"{k}","{v}"\n' for k, v in values.items())
    path.write_bytes(text.encode(_encoding(platform), errors="replace"))


def install(t: Target, lang: str = DEFAULT) -> Outcome:
    out = Outcome()
    if not t.supported:
        out.todo += [
            text("excel.install.no_excel", lang, platform=t.platform),
            text("excel.install.would_copy", lang, addin=ADDIN_NAME),
            text(
                "excel.install.would_configure",
                lang,
                config=f"{PROJECT_NAME}.conf",
                interpreter=t.interpreter,
            ),
            text("excel.install.would_import", lang),
        ]
        return out
    t.startup.mkdir(parents=True, exist_ok=True)
    try:
        shutil.copyfile(shipped_addin(), t.addin)
    except PermissionError:
        out.todo.append(text("excel.install.in_use", lang, addin=t.addin))
        return out
    out.done.append(text("excel.install.copied", lang, addin=t.addin))
    values = read_config(t.config, t.platform) | _settings(t)
    _write_config(t.config, values, t.platform)
    out.done.append(
        text("excel.install.configured", lang, config=t.config, interpreter=t.interpreter)
    )
    if t.platform == "win32":
        if sys.platform == "win32":
            _import_functions(t, out, lang)
        else:
            out.todo.append(text("excel.install.import_by_hand", lang, bas=shipped_bas()))
    else:
        if sys.platform == "darwin":
            subprocess.run(
                [sys.executable, "-m", "xlwings.cli", "runpython", "install"], check=False
            )
            out.done.append(text("excel.install.ran_runpython", lang))
        else:
            out.todo.append(text("excel.install.run_runpython", lang))
        out.todo.append(text("excel.install.no_mac_functions", lang))
    out.todo.append(text("excel.install.restart", lang, tab=Msg("excel.ribbon.tab")))
    return out


def _import_functions(
    t: Target, out: Outcome, lang: str = DEFAULT
) -> None:  # pragma: no cover - Windows only
    """xlwings' "Import Functions": the wrappers go into the add-in's VBA project."""
    import xlwings as xw

    app = xw.App(visible=False)
    try:
        book = app.books.open(str(t.addin))
        try:
            components = book.api.VBProject.VBComponents
        except Exception:
            out.todo.append(text("excel.install.vba_refused", lang, bas=shipped_bas()))
            return
        for component in components:
            if component.Name == "xlwings_udfs":
                components.Remove(component)
        components.Import(str(shipped_bas()))
        _describe_functions(app, book)
        book.save()
        out.done.append(text("excel.install.imported", lang))
    finally:
        app.quit()


def _describe_functions(app, book) -> None:  # pragma: no cover - Windows only
    """The Function Wizard's description, category and argument help, as xlwings'
    import_udfs sets them (Application.MacroOptions)."""
    from xlsummary.excel import udfs

    for name in ("XLS_TOTALS", "XLS_YOY", "XLS_STATUS", "XLS_ISSUES", "XLS_FIGURE"):
        func = getattr(udfs, name)
        args = getattr(func, "__xlfunc__", {}).get("args", [])
        docs = [a.get("doc", "")[:255] for a in args]
        app.api.MacroOptions(
            f"'{book.name}'!{name}",
            Description=(func.__doc__ or "")[:255],
            Category=udfs.CATEGORY,
            ArgumentDescriptions=docs or None,
        )


def remove(t: Target, lang: str = DEFAULT) -> Outcome:
    out = Outcome()
    if not t.supported:
        out.todo.append(text("excel.remove.no_excel", lang, platform=t.platform))
        return out
    if t.addin.exists():
        t.addin.unlink()
        out.done.append(text("excel.remove.deleted", lang, addin=t.addin))
    values = read_config(t.config, t.platform)
    ours = _settings(t)
    kept = {k: v for k, v in values.items() if ours.get(k) != v}
    if values and kept:
        _write_config(t.config, kept, t.platform)
        out.done.append(text("excel.remove.settings_kept", lang, config=t.config))
    elif values:
        t.config.unlink()
        out.done.append(text("excel.remove.settings_deleted", lang, config=t.config))
    if not out.done:
        out.done.append(text("excel.remove.nothing", lang))
    return out


def status(t: Target, lang: str = DEFAULT) -> list[str]:
    import xlwings as xw

    if not t.supported:
        return [
            text("excel.status.no_excel", lang, platform=t.platform),
            text("excel.status.shipped", lang, addin=shipped_addin(), version=xw.__version__),
        ]
    settings = read_config(t.config, t.platform)
    key = "INTERPRETER_WIN" if t.platform == "win32" else "INTERPRETER_MAC"
    state = "excel.status.installed" if t.addin.exists() else "excel.status.not_installed"
    interpreter = settings[key] if key in settings else Msg("excel.status.not_set")
    lines = [
        text("excel.status.addin", lang, addin=t.addin, state=Msg(state)),
        text("excel.status.settings", lang, config=t.config, interpreter=interpreter),
        text("excel.status.xlwings", lang, version=xw.__version__),
    ]
    if settings.get(key) and not Path(settings[key]).exists():
        lines.append(text("excel.status.python_missing", lang))
    return lines
