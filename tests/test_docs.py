"""Documentation derived from code stays in step with it."""

from __future__ import annotations

import importlib.util

from tests.conftest import ROOT


def _gen_docs():
    spec = importlib.util.spec_from_file_location("gen_docs", ROOT / "scripts" / "gen_docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_docs_are_current():
    gen = _gen_docs()
    for name, make in gen.OUTPUTS.items():
        committed = (ROOT / "docs" / name).read_text(encoding="utf-8")
        assert committed == make(), f"docs/{name} is stale: run python scripts/gen_docs.py"


def test_readme_commands_are_the_scripts_ci_runs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "bash scripts/demo.sh" in readme and "bash scripts/test.sh" in readme
    assert "exec bash scripts/test.sh" in (ROOT / ".ci" / "run").read_text()


def test_every_variable_the_server_reads_is_documented():
    """A setting nobody can find is a setting nobody uses (or one that surprises)."""
    import re

    from tests.conftest import ROOT

    code = "".join(
        (ROOT / "src/xlsummary" / name).read_text("utf-8")
        for name in ("web/settings.py", "limits.py", "pdf/converter.py")
    )
    docs = "".join((ROOT / "docs" / n).read_text("utf-8") for n in ("server.md", "limits.md"))
    variables = set(re.findall(r"XLSUMMARY_[A-Z_]+", code))
    assert len(variables) > 15
    assert sorted(v for v in variables if v not in docs) == []
