"""Which readings are believed, and how the hot front's arrival is recognised."""

from __future__ import annotations

import math

import pytest

from custom_components.zero_cold_water.engine import plausible
from custom_components.zero_cold_water.engine.arrival import ArrivalDetector, Signal
from custom_components.zero_cold_water.engine.readings import SensorTrack


@pytest.mark.parametrize(
    ("celsius", "ok"),
    [
        (20.0, True),
        (-20.0, True),
        (100.0, True),
        (85.0, False),
        (-127.0, False),
        (100.5, False),
        (-20.5, False),
        (math.nan, False),
        (math.inf, False),
        (None, False),
    ],
)
def test_plausible(celsius: float | None, ok: bool) -> None:
    assert plausible(celsius) is ok


def test_track_believes_fresh_plausible_readings_only() -> None:
    track = SensorTrack()
    assert track.believed(0.0, 60.0) is None
    assert track.report(21.0, 10.0)
    assert track.believed(20.0, 60.0) == 21.0
    assert track.believed(71.0, 60.0) is None  # stale
    assert track.report(85.0, 30.0)
    assert track.believed(31.0, 60.0) is None  # failed
    assert not track.report(22.0, 29.0)  # out of order
    assert track.report(22.0, 30.0)  # same timestamp is fine
    assert track.believed(31.0, 60.0) == 22.0


def detector(start: float | None = 20.0) -> ArrivalDetector:
    return ArrivalDetector(
        target_c=40.0, onset_rise_c=1.0, onset_min_slope_c_per_s=0.02, start_c=start
    )


def test_threshold() -> None:
    assert detector().feed(40.0, 10.0, None) is Signal.THRESHOLD


def test_onset_after_a_fast_rise_while_flowing() -> None:
    d = detector()
    assert d.feed(20.5, 30.0, 5.0) is None
    assert d.feed(21.0, 33.0, 5.0) is Signal.ONSET


def test_no_onset_before_water_flows() -> None:
    d = detector()
    assert d.feed(22.0, 30.0, None) is None


def test_quantisation_flapping_is_not_an_onset() -> None:
    d = detector()
    for i in range(40):
        assert d.feed(20.0 if i % 2 else 20.5, 10.0 + i, 5.0) is None


def test_slow_drift_is_not_an_onset() -> None:
    d = detector()
    assert d.feed(20.5, 300.0, 0.0) is None
    assert d.feed(21.0, 700.0, 0.0) is None
    assert d.feed(21.5, 1100.0, 0.0) is None


def test_quiet_report_on_change_sensor_measures_slope_from_flow_start() -> None:
    """The last flat report was long before the cycle: the slope counts from flow start."""
    d = detector(start=None)
    assert d.feed(20.0, -3600.0, None) is None
    assert d.feed(21.5, 40.0, 10.0) is Signal.ONSET


def test_cooling_then_rise_uses_the_lowest_reading() -> None:
    d = detector(start=30.0)
    assert d.feed(25.0, 20.0, 0.0) is None
    assert d.feed(26.5, 22.0, 0.0) is Signal.ONSET
    assert d.peak_c == 30.0
    assert d.lowest_c == 25.0
