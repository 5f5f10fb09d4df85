"""The benchmark's runner, tables, command line and plots."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.cli import main
from bench.runner import COLUMNS, Run, markdown_table, run_home, table_row
import simulator
from simulator.homefile import HOMES_DIR


def test_markdown_table_rows_and_na() -> None:
    home = simulator.load_home("A")
    runs = run_home(home, ["none", "continuous", "oracle"], days=0.25, seed=1)
    table = markdown_table(runs, cold_line=True)
    lines = table.splitlines()
    assert len(lines) == 2 + 3
    assert all(line.count("|") == len(COLUMNS) + 1 for line in lines)
    assert "| continuous | n/a |" in table
    assert table_row(Run(strategy="x", result=None))[1:] == ["n/a"] * (len(COLUMNS) - 1)
    no_cold = table_row(runs[0], cold_line=False)
    assert no_cold[5] == "-"
    assert no_cold[7] == "-"


def test_cli_prints_reproducible_tables(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--homes", "A", "--days", "0.25", "--strategies", "none", "timer", "oracle"]
    assert main(args) == 0
    first = capsys.readouterr().out
    assert "### Home A" in first
    assert "| oracle |" in first
    assert main(args) == 0
    assert capsys.readouterr().out == first


def test_cli_home_file_and_unknown_strategy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = HOMES_DIR / "a.yaml"
    path = tmp_path / "mine.yaml"
    path.write_text(src.read_text(encoding="utf-8").replace("name: A", "name: Mine"), "utf-8")
    assert main(["--home-file", str(path), "--days", "0.1", "--strategies", "none"]) == 0
    assert "### Home Mine" in capsys.readouterr().out
    assert main(["--homes", "A", "--strategies", "nonsense"]) == 2


def test_cli_speed(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--speed", "--days", "0.05", "--speed-home", "A"]) == 0
    out = capsys.readouterr().out
    assert "simulated seconds per wall second" in out
    assert "continuous" in out
    assert "n/a" in out


def test_cli_docs_writes_markdown_and_plots(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--homes", "A", "--days", "0.1", "--strategies", "none", "aquastat"]
    assert main([*args, "--docs", "--out", str(tmp_path)]) == 0
    capsys.readouterr()
    text = (tmp_path / "benchmark.md").read_text(encoding="utf-8")
    assert "| aquastat |" in text
    assert "seed 1" in text
    for png in ("cycle_profile.png", "strategies.png"):
        data = (tmp_path / "img" / png).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        assert len(data) > 10_000


def test_python_dash_m_bench(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import runpy
    import sys

    monkeypatch.setattr(
        sys, "argv", ["bench", "--homes", "A", "--days", "0.05", "--strategies", "none"]
    )
    with pytest.raises(SystemExit) as exc:
        runpy.run_module("bench", run_name="__main__")
    assert exc.value.code == 0
    assert "| none |" in capsys.readouterr().out
