"""``scripts/bench --ha``: the figures come out of a real Home Assistant (tiny counts here)."""

from __future__ import annotations

import pytest

from bench import ha
from bench.cli import main


def test_ha_figures() -> None:
    table = ha.main(quick=True)
    for row in (
        "sensor update, zero_cold_water",
        "sensor update, generic_thermostat",
        "ratio zero_cold_water / generic_thermostat",
        "50 fixtures at 1 Hz",
        "target reached -> valve close call",
        "| timers fired in between | 0 |",
        "setup, 50 fixture(s)",
        "unload, 1 fixture(s)",
    ):
        assert row in table


def test_cli_ha(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(ha, "main", lambda: "the figures")
    assert main(["--ha"]) == 0
    assert capsys.readouterr().out == "the figures\n"


def test_expect_stops_the_benchmark() -> None:
    with pytest.raises(RuntimeError, match="bench --ha: the valve did not close"):
        ha._expect(False, "the valve did not close")
    assert ha.Figures(1, 0, 0, 0, 0, {}, {}).ratio == float("inf")
