"""A user's own Word template, compiled and rendered where it can be stopped.

A template is code: Jinja's sandbox stops it from reaching Python, but not from
looping ``range(100000)`` inside ``range(100000)``, widening a string with
``center(10**9)`` or calling a macro from itself, and the regular expressions that
mend Word's split tags can be driven quadratic by crafted markup. A thread running
such a template cannot be stopped. So every step that touches a user's template
(docxtpl's preprocessing, compiling, rendering, ``xlsummary fields``' analysis) runs
in a fresh worker process with a wall-clock limit (it is killed on overrun), a CPU
limit (so it dies even if its parent does), and on Linux an address-space limit
(``RLIMIT_AS``: an allocation past it fails inside the worker). The parent reads the
worker's answer as a JSON header and raw bytes, never as a pickle: whatever the
template did, nothing it controls is executed here. An error comes back as its class
name, message key and parameters (a nested :class:`~xlsummary.i18n.Msg` as a tagged
object), so the parent raises the same exception and says it in any language.

The worker is ``sys.executable -I -S`` given the parent's ``sys.path``, so it finds
xlsummary however it was installed (a venv, ``pip --user``, the add-in's interpreter)
and nothing from the current folder. It imports only the template code (jinja2,
docxtpl): about 0.2 s to start. The shipped templates, which are ours, keep the fast
in-process path (:func:`xlsummary.render_docx.load_template`).
"""

from __future__ import annotations

import contextlib
import json
import math
import pickle
import signal
import subprocess
import sys
import threading
from typing import Any

from xlsummary import errors
from xlsummary.errors import TemplateProblem, XlsummaryError
from xlsummary.i18n import LANGS, Msg, catalogue
from xlsummary.limits import DEFAULT, Limits
from xlsummary.render_docx import Analysis

_BOOT = (
    "import sys, json; head = json.loads(sys.stdin.buffer.readline()); "
    "sys.path[:] = head['path']; from xlsummary.untrusted import child_main; child_main(head)"
)


# the workers running now, so that a server stopping can end them (stop_all)
_running: set[subprocess.Popen] = set()
_running_lock = threading.Lock()


def stop_all() -> None:
    """Kill every template worker still running (the server is stopping): their
    requests fail at once instead of holding the process up to the time limit."""
    with _running_lock:
        procs = list(_running)
    for proc in procs:
        with contextlib.suppress(OSError):
            proc.kill()


def render_untrusted(
    data: bytes, source: str, context: dict[str, Any], limits: Limits = DEFAULT
) -> bytes:
    """The rendered report (bytes of a .docx) of a user's template."""
    _, payload = _run(("render", data, source, context, limits), source, limits)
    return payload


def analyse_untrusted(
    data: bytes, source: str, contexts: list[dict[str, Any]], limits: Limits = DEFAULT
) -> Analysis:
    """:func:`xlsummary.render_docx.analyse` of a user's template."""
    head, _ = _run(("analyse", data, source, contexts, limits), source, limits)
    found = head["analysis"]
    problems = [_message(p) for p in found["problems"]]
    sayable = [p for p in problems if p is not None and _sayable(p)]
    return Analysis(found["used"], sayable, found["unrendered"], found["charts"])


#: marks a nested message among a JSON answer's parameters
_MSG = "$msg"
#: longest text taken from a worker's answer (a template's own words are cut shorter)
_LONGEST = 2000


def _to_json(value: Any) -> Any:
    """A message parameter as JSON: numbers and text as they are, a nested message as a
    tagged object, anything else as its text."""
    if isinstance(value, Msg):
        return {_MSG: value.key, "params": {k: _to_json(v) for k, v in value.params.items()}}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _from_json(value: Any) -> Any:
    """The inverse of :func:`_to_json`, on what a worker said: text cut to a sentence's
    length, a nested message only if its key is one of ours."""
    if isinstance(value, dict):
        return _message({"key": value.get(_MSG), "params": value.get("params")}) or ""
    if isinstance(value, str):
        return value[:_LONGEST]
    return value if value is None or isinstance(value, bool | int | float) else str(value)


def _said(key: str, params: dict[str, Any]) -> dict[str, Any]:
    return {"key": key, "params": {k: _to_json(v) for k, v in params.items()}}


def _message(said: Any) -> Msg | None:
    """A message from a worker's answer, or None if it is not one of our keys."""
    if not isinstance(said, dict):
        return None
    key, params = said.get("key"), said.get("params")
    if not isinstance(key, str) or key not in catalogue(LANGS[0]) or not isinstance(params, dict):
        return None
    return Msg(key, {str(k): _from_json(v) for k, v in params.items()})


def _run(job: tuple, source: str, limits: Limits) -> tuple[dict[str, Any], bytes]:
    data = job[1]
    # what is surely not a .docx is refused here, not after starting a process for it
    if not data:
        raise errors.EmptyFile(source, "files.empty")
    if not data.startswith(b"PK\x03\x04"):
        raise TemplateProblem("templates.not_word", source=source)
    head = {
        "path": sys.path,
        "memory": limits.template_memory,
        "seconds": limits.template_seconds,
    }
    message = json.dumps(head).encode("utf-8") + b"\n" + pickle.dumps(job)
    options: dict[str, Any] = {}
    if sys.platform == "win32":
        options["creationflags"] = getattr(subprocess, "CREATE_NO_WINDOW", 0)
    try:
        proc = subprocess.Popen(
            [sys.executable, "-I", "-S", "-c", _BOOT],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            **options,
        )
    except OSError as error:
        raise TemplateProblem(
            "templates.worker_start", detail=str(error.strerror or error), detail_en=str(error)
        ) from None
    with _running_lock:
        _running.add(proc)
    try:
        out, err = proc.communicate(message, timeout=limits.template_seconds)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise _overran(source, limits) from None
    except BaseException:
        proc.kill()
        proc.wait()
        raise
    finally:
        with _running_lock:
            _running.discard(proc)
    header, _, payload = out.partition(b"\n")
    try:
        answer = json.loads(header) if header else None
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        if proc.returncode in (-signal.SIGKILL, -getattr(signal, "SIGXCPU", 24)):
            raise _overran(source, limits)
        if proc.returncode < 0 or b"MemoryError" in err:  # an allocation failed in C code
            raise _out_of_memory(source, limits)
        last = err.decode("utf-8", "replace").strip().splitlines()[-1:] or ["?"]
        raise TemplateProblem("templates.worker_died", source=source, detail=last[0][:200])
    if not answer.get("ok"):
        raise _rebuild(answer, source, limits)
    if len(payload) != answer.get("size", 0):  # cut short: never a truncated report
        raise TemplateProblem("templates.worker_incomplete", source=source)
    return answer, payload


def _rebuild(answer: dict[str, Any], source: str, limits: Limits) -> XlsummaryError:
    """The worker's error as the same exception the parent would have raised."""
    if answer.get("kind") == "memory":
        return _out_of_memory(source, limits)
    kind = getattr(errors, str(answer.get("class")), None)
    if not (isinstance(kind, type) and issubclass(kind, XlsummaryError)):
        kind = TemplateProblem
    said = _message(answer)
    if said is None:
        return _died(source)
    if issubclass(kind, errors.FileError):
        error = kind(source, said.key, **said.params)
    else:
        if kind.__init__ is not XlsummaryError.__init__:  # a constructor of its own: not sent
            kind = TemplateProblem
        error = kind(said.key, **said.params)
    return error if _sayable(error.message) else _died(source)


def _sayable(say: Any) -> bool:
    """Whether a message from the worker can be said in every language: a parameter
    missing or of the wrong type must fail here, not where the message is finally said."""
    try:
        for lang in LANGS:
            say(lang)
    except (KeyError, ValueError, IndexError, TypeError, AttributeError):
        return False
    return True


def _died(source: str) -> TemplateProblem:
    return TemplateProblem("templates.worker_died", source=source, detail="?")


def _overran(source: str, limits: Limits) -> TemplateProblem:
    return TemplateProblem(
        "templates.overran", source=source, seconds=f"{limits.template_seconds:g}"
    )


def _out_of_memory(source: str, limits: Limits) -> TemplateProblem:
    return TemplateProblem(
        "templates.out_of_memory", source=source, mb=f"{limits.template_memory / 1024 / 1024:g}"
    )


def _limit_resources(memory: int, seconds: float) -> None:
    try:
        import resource
    except ImportError:  # Windows: the parent's wall clock is the limit
        return
    cpu = math.ceil(seconds) + 1
    for kind, value in ((resource.RLIMIT_AS, memory), (resource.RLIMIT_CPU, cpu)):
        with contextlib.suppress(ValueError, OSError):  # macOS may refuse RLIMIT_AS
            resource.setrlimit(kind, (value, value))


def child_main(head: dict[str, Any]) -> None:
    """The worker: one job from stdin, one answer on stdout, then exit."""
    _limit_resources(int(head["memory"]), float(head["seconds"]))
    out = sys.stdout.buffer
    try:
        kind, data, source, argument, limits = pickle.load(sys.stdin.buffer)
        from xlsummary.render_docx import CompiledTemplate, analyse

        compiled = CompiledTemplate(data, source, trusted=False, limits=limits)
        if kind == "render":
            payload = compiled.render(argument)
            if len(payload) > limits.max_report:
                raise TemplateProblem(
                    "templates.report_too_large",
                    source=source,
                    mb=limits.max_report // 1024 // 1024,
                )
            answer: dict[str, Any] = {"ok": True, "size": len(payload)}
        else:
            found = analyse(compiled, argument)
            payload = b""
            answer = {
                "ok": True,
                "size": 0,
                "analysis": {
                    "used": found.used,
                    "problems": [_said(p.key, p.params) for p in found.problems],
                    "unrendered": found.unrendered,
                    "charts": found.charts,
                },
            }
    except XlsummaryError as error:
        payload = b""
        answer = {"ok": False, "class": type(error).__name__, **_said(error.key, error.params)}
    except MemoryError:
        payload = b""
        answer = {"ok": False, "kind": "memory"}
    out.write(json.dumps(answer, ensure_ascii=False).encode("utf-8") + b"\n")
    out.write(payload)
    out.flush()
