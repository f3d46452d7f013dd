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
template did, nothing it controls is executed here.

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
    return Analysis(found["used"], [tuple(p) for p in found["problems"]], found["unrendered"])


def _run(job: tuple, source: str, limits: Limits) -> tuple[dict[str, Any], bytes]:
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
            f"无法启动渲染 Word 模板的工作进程（{error.strerror or error}），未生成报告。",
            f"Could not start the worker that renders the Word template ({error}).",
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
        raise TemplateProblem(
            f"渲染 Word 模板“{source}”的工作进程意外退出（{last[0][:200]}），未生成报告。",
            f"The worker rendering the Word template {source} stopped unexpectedly "
            f"({last[0][:200]}); no report was written.",
        )
    if not answer.get("ok"):
        raise _rebuild(answer, source, limits)
    if len(payload) != answer.get("size", 0):  # cut short: never a truncated report
        raise TemplateProblem(
            f"渲染 Word 模板“{source}”的工作进程没有交回完整的报告，未生成报告。",
            f"The worker rendering the Word template {source} returned an incomplete "
            "report; none was written.",
        )
    return answer, payload


def _rebuild(answer: dict[str, Any], source: str, limits: Limits) -> XlsummaryError:
    """The worker's error as the same exception the parent would have raised."""
    if answer.get("kind") == "memory":
        return _out_of_memory(source, limits)
    kind = getattr(errors, str(answer.get("class")), None)
    zh, en = str(answer.get("zh", ""))[:2000], str(answer.get("en", ""))[:2000]
    if isinstance(kind, type) and issubclass(kind, errors.FileError):
        return kind(source, zh, en)
    if isinstance(kind, type) and issubclass(kind, XlsummaryError):
        return kind(zh, en)
    return TemplateProblem(zh, en)


def _overran(source: str, limits: Limits) -> TemplateProblem:
    seconds = f"{limits.template_seconds:g}"
    return TemplateProblem(
        f"Word 模板“{source}”渲染超过 {seconds} 秒仍未完成，已停止，未生成报告。"
        "模板中可能有过多或嵌套的循环（例如 range() 套 range()）。",
        f"Rendering the Word template {source} took longer than {seconds} s and was "
        "stopped; no report was written. The template may loop too much (a range() "
        "inside a range()).",
    )


def _out_of_memory(source: str, limits: Limits) -> TemplateProblem:
    mb = f"{limits.template_memory / 1024 / 1024:g}"
    return TemplateProblem(
        f"Word 模板“{source}”渲染所需内存超过 {mb} MB，已停止，未生成报告。"
        "模板中可能有放大文字的过滤器（如 center(10**9)）或过多的循环。",
        f"Rendering the Word template {source} needed more than {mb} MB and was stopped; "
        "no report was written. The template may inflate text (center(10**9)) or loop "
        "too much.",
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
                    f"Word 模板“{source}”生成的报告超过 {limits.max_report // 1024 // 1024} MB，未生成报告。",
                    f"The report from the Word template {source} would exceed "
                    f"{limits.max_report // 1024 // 1024} MB; none was written.",
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
                    "problems": found.problems,
                    "unrendered": found.unrendered,
                },
            }
    except XlsummaryError as error:
        payload = b""
        answer = {
            "ok": False,
            "class": type(error).__name__,
            "zh": error.message_zh,
            "en": error.message_en,
        }
    except MemoryError:
        payload = b""
        answer = {"ok": False, "kind": "memory"}
    out.write(json.dumps(answer, ensure_ascii=False).encode("utf-8") + b"\n")
    out.write(payload)
    out.flush()
