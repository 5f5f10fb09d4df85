"""The safety rules as pure functions: they flag every broken rule and order commands safely."""

from __future__ import annotations

from custom_components.zero_cold_water.engine import (
    ActuatorReading,
    FixtureSettings,
    SetPump,
    SetValve,
)
from custom_components.zero_cold_water.engine.safety import (
    ordered_commands,
    violations,
    wanted_pump,
    wanted_valves,
)

from .helpers import cold_line, drain, return_line

ON = ActuatorReading.ON
OFF = ActuatorReading.OFF


def test_violations_flag_each_rule() -> None:
    settings = cold_line("a", "b")
    found = violations(
        settings,
        pump_on=True,
        valve_open={"a": True, "b": False},
        valve_reported={"a": OFF},
        cycle_valves=set(),
        limit_reached={"a"},
    )
    assert found == [
        "valve a open without a cycle",
        "valve a open at or above its limit",
        "pump on with no confirmed-open valve (dead-heading)",
    ]
    assert violations(
        drain(), pump_on=True, valve_open={}, valve_reported={}, cycle_valves=(), limit_reached=()
    ) == ["pump commanded in a topology without one"]


def test_a_safe_state_has_no_violations() -> None:
    assert (
        violations(
            cold_line("a"),
            pump_on=True,
            valve_open={"a": True},
            valve_reported={"a": ON},
            cycle_valves={"a"},
            limit_reached=(),
        )
        == []
    )
    # a return line without a junction valve circulates freely
    assert (
        violations(
            return_line("far"),
            pump_on=True,
            valve_open={},
            valve_reported={},
            cycle_valves=(),
            limit_reached=(),
        )
        == []
    )


def test_wanted_states() -> None:
    settings = cold_line("a", "b")
    valves = wanted_valves(settings, cycle_valves={"a", "b"}, limit_reached={"b"}, active=True)
    assert valves == {"a": True, "b": False}
    assert wanted_valves(settings, cycle_valves={"a"}, limit_reached=(), active=False) == {
        "a": False,
        "b": False,
    }
    assert not wanted_pump(
        settings, running=True, valve_open=valves, valve_reported={}, cap_reached=False
    )
    assert wanted_pump(
        settings, running=True, valve_open=valves, valve_reported={"a": ON}, cap_reached=False
    )
    assert not wanted_pump(
        settings, running=True, valve_open=valves, valve_reported={"a": ON}, cap_reached=True
    )
    assert not wanted_pump(
        drain(), running=True, valve_open={}, valve_reported={}, cap_reached=False
    )


def test_commands_are_ordered_pump_off_closes_opens_pump_on() -> None:
    out = ordered_commands(
        pump_was=True,
        pump_now=False,
        valves_were={"a": True, "b": False},
        valves_now={"a": False, "b": True},
    )
    assert out == [
        SetPump(on=False),
        SetValve(fixture="a", open=False),
        SetValve(fixture="b", open=True),
    ]
    out = ordered_commands(
        pump_was=False, pump_now=True, valves_were={"a": False}, valves_now={"a": True}
    )
    assert out == [SetValve(fixture="a", open=True), SetPump(on=True)]
    assert (
        ordered_commands(
            pump_was=True, pump_now=True, valves_were={"a": True}, valves_now={"a": True}
        )
        == []
    )
    assert ordered_commands(
        pump_was=True,
        pump_now=True,
        valves_were={"a": True},
        valves_now={"a": True},
        resend={"a"},
        resend_pump=True,
    ) == [SetValve(fixture="a", open=True), SetPump(on=True)]


def test_fixture_settings_defaults_are_a_sensor_and_a_valve() -> None:
    fixture = FixtureSettings(name="x")
    assert fixture.has_sensor
    assert fixture.has_valve
    assert fixture.target_c == 40.0
