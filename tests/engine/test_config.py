"""Settings validation: invalid settings are rejected as a whole, with every reason."""

from __future__ import annotations

from dataclasses import replace
import math

import pytest

from custom_components.zero_cold_water.engine import (
    Controller,
    FixtureSettings,
    InstallationSettings,
    InvalidSettingsError,
    SettingsErrorCode as Code,
    Topology,
    validate,
)

from .helpers import cold_line, drain, return_line

BASIN = FixtureSettings(name="basin", cold_line_limit_c=45.0)


def codes(settings: InstallationSettings) -> set[tuple[Code, str]]:
    return {(e.code, e.field) for e in validate(settings)}


@pytest.mark.parametrize(
    "settings", [cold_line("a", "b"), return_line("far", junction=True), drain("sink")]
)
def test_reference_settings_are_valid(settings: InstallationSettings) -> None:
    assert validate(settings) == ()


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        (replace(cold_line(), fixtures=()), (Code.NO_FIXTURES, "fixtures")),
        (cold_line(max_run_s=-1.0), (Code.NEGATIVE_TIME, "max_run_s")),
        (cold_line(max_run_s=0.0), (Code.NOT_POSITIVE, "max_run_s")),
        (cold_line(cooldown_s=math.nan), (Code.NOT_FINITE, "cooldown_s")),
        (cold_line(daily_pump_cap_s=-5.0), (Code.NEGATIVE_TIME, "daily_pump_cap_s")),
        (cold_line(onset_rise_c=0.0), (Code.NOT_POSITIVE, "onset_rise_c")),
        (replace(cold_line(), pump_flow_lpm=None), (Code.PUMP_FLOW_REQUIRED, "pump_flow_lpm")),
        (replace(cold_line(), pump_flow_lpm=0.0), (Code.NOT_POSITIVE, "pump_flow_lpm")),
        (replace(cold_line(), pump_flow_lpm=math.inf), (Code.NOT_FINITE, "pump_flow_lpm")),
        (replace(drain(), pump_flow_lpm=6.0), (Code.PUMP_FLOW_NOT_ALLOWED, "pump_flow_lpm")),
        (
            replace(cold_line(), junction_valve=True),
            (Code.JUNCTION_VALVE_NOT_ALLOWED, "junction_valve"),
        ),
        (
            replace(cold_line(), fixtures=(replace(BASIN, target_c=50.0),)),
            (Code.LIMIT_BELOW_TARGET, "cold_line_limit_c"),
        ),
        (
            replace(cold_line(), fixtures=(replace(BASIN, target_c=10.0),)),
            (Code.TEMPERATURE_OUT_OF_RANGE, "target_c"),
        ),
        (
            replace(cold_line(), fixtures=(replace(BASIN, sensor_lead_s=-1.0),)),
            (Code.NEGATIVE_TIME, "sensor_lead_s"),
        ),
        (replace(cold_line(), fixtures=(replace(BASIN, name=" "),)), (Code.EMPTY_NAME, "name")),
        (
            replace(cold_line(), fixtures=(replace(BASIN, name="junction"),)),
            (Code.RESERVED_NAME, "name"),
        ),
        (replace(cold_line(), fixtures=(BASIN, BASIN)), (Code.DUPLICATE_FIXTURE, "name")),
        (
            replace(cold_line(), fixtures=(replace(BASIN, has_valve=False),)),
            (Code.VALVE_REQUIRED, "has_valve"),
        ),
        (
            replace(cold_line(), fixtures=(replace(BASIN, has_valve=False, served_by="ghost"),)),
            (Code.UNKNOWN_FIXTURE, "served_by"),
        ),
        (
            replace(cold_line(), fixtures=(replace(BASIN, has_sensor=False),)),
            (Code.VOLUME_REQUIRED, "configured_volume_l"),
        ),
        (
            replace(drain(), fixtures=(FixtureSettings(name="sink"),)),
            (Code.TAP_FLOW_REQUIRED, "tap_flow_lpm"),
        ),
        (
            replace(cold_line(), fixtures=(replace(BASIN, configured_volume_l=-1.0),)),
            (Code.NOT_POSITIVE, "configured_volume_l"),
        ),
    ],
)
def test_invalid_settings_are_named(
    settings: InstallationSettings, expected: tuple[Code, str]
) -> None:
    assert expected in codes(settings)
    with pytest.raises(InvalidSettingsError) as info:
        Controller(settings)
    assert expected in {(e.code, e.field) for e in info.value.errors}


def test_every_problem_is_listed_at_once() -> None:
    settings = replace(cold_line(max_run_s=-1.0, cooldown_s=-1.0), pump_flow_lpm=None)
    assert codes(settings) >= {
        (Code.NEGATIVE_TIME, "max_run_s"),
        (Code.NEGATIVE_TIME, "cooldown_s"),
        (Code.PUMP_FLOW_REQUIRED, "pump_flow_lpm"),
    }


def test_served_fixture_uses_the_serving_valve() -> None:
    near = FixtureSettings(name="near", has_valve=False, served_by="far")
    far = FixtureSettings(name="far")
    settings = InstallationSettings(
        topology=Topology.COLD_LINE, fixtures=(far, near), pump_flow_lpm=6.0
    )
    assert validate(settings) == ()
    assert settings.path("near") == "far"
    assert settings.path("far") == "far"
