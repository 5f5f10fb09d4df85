"""Learned data: round trips, tolerant loading, robustness to outliers."""

from __future__ import annotations

import json
import math
from typing import Any

from hypothesis import given, strategies as st
import pytest

from custom_components.zero_cold_water.engine import (
    SCHEMA_VERSION,
    FixtureLearning,
    LearnedData,
    ResetReason,
    Totals,
)
from custom_components.zero_cold_water.engine.learning import prune_runs, pump_seconds_in_window
from custom_components.zero_cold_water.engine.pipe import MAX_SAMPLES

from .helpers import profile


def sample_data() -> LearnedData:
    return LearnedData(
        fixtures={
            "basin": FixtureLearning(
                transit_samples=(1.1, 1.2, 1.0),
                shortfalls=1,
                warm_samples=(0.4,),
                confirmed=3,
                probe_l=1.5,
                failures=2,
            )
        },
        totals=Totals(cycles=3, pump_run_s=60.0, litres_moved=3.3, heat_moved_kwh=0.1),
        pump_runs=((0.0, 20.0), (100.0, 130.0)),
    )


def test_round_trip_through_json() -> None:
    data = sample_data()
    loaded = LearnedData.from_dict(json.loads(json.dumps(data.to_dict())))
    assert loaded == data
    assert loaded.reset_reason is None
    assert loaded.to_dict()["version"] == SCHEMA_VERSION


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (None, ResetReason.NOT_A_MAPPING),
        ([1, 2], ResetReason.NOT_A_MAPPING),
        ({"version": 0}, ResetReason.UNSUPPORTED_VERSION),
        ({"version": SCHEMA_VERSION + 1, "fixtures": {}}, ResetReason.UNSUPPORTED_VERSION),
        ({}, ResetReason.UNSUPPORTED_VERSION),
    ],
)
def test_unreadable_data_resets_with_a_reason(raw: object, reason: ResetReason) -> None:
    loaded = LearnedData.from_dict(raw)
    assert loaded.reset_reason is reason
    assert loaded == LearnedData()


def test_corrupt_parts_are_dropped_and_the_rest_kept() -> None:
    raw: dict[str, Any] = sample_data().to_dict()
    raw["fixtures"]["bad"] = {"transit_samples": ["x"]}
    raw["fixtures"]["nan"] = {"transit_samples": [math.nan]}
    raw["pump_runs"].append([5.0, 1.0])
    loaded = LearnedData.from_dict(raw)
    assert loaded.reset_reason is ResetReason.CORRUPT
    assert set(loaded.fixtures) == {"basin"}
    assert loaded.pump_runs == ((0.0, 20.0), (100.0, 130.0))
    assert loaded.totals == sample_data().totals


def test_data_without_warm_samples_still_loads() -> None:
    raw: dict[str, Any] = sample_data().to_dict()
    del raw["fixtures"]["basin"]["warm_samples"]
    loaded = LearnedData.from_dict(raw)
    assert loaded.reset_reason is None
    assert loaded.fixture("basin").warm_transit_l is None
    assert loaded.fixture("basin").transit_l == pytest.approx(1.1)


def test_corrupt_totals_reset_only_the_totals() -> None:
    raw: dict[str, Any] = sample_data().to_dict()
    raw["totals"] = {"cycles": -1}
    loaded = LearnedData.from_dict(raw)
    assert loaded.reset_reason is ResetReason.CORRUPT
    assert loaded.totals == Totals()
    assert loaded.fixture("basin").transit_l == pytest.approx(1.1)


@profile()
@given(
    st.recursive(
        st.none() | st.booleans() | st.floats() | st.integers() | st.text(),
        lambda c: st.lists(c) | st.dictionaries(st.text(), c),
        max_leaves=20,
    )
)
def test_from_dict_never_raises(raw: object) -> None:
    loaded = LearnedData.from_dict(raw)
    assert isinstance(loaded, LearnedData)
    assert LearnedData.from_dict(loaded.to_dict()) == loaded


def test_median_resists_an_outlier() -> None:
    learning = FixtureLearning()
    for litres in (1.0, 1.1, 0.9, 1.05):
        learning = learning.with_sample(litres)
    learning = learning.with_sample(40.0)
    assert learning.transit_l == pytest.approx(1.05)
    assert max(learning.transit_samples) <= 2.0 * 1.05 + 1e-9


def test_implausible_samples_are_ignored_and_history_is_bounded() -> None:
    learning = FixtureLearning().with_sample(math.nan).with_sample(-1.0).with_sample(0.0)
    assert learning.transit_l is None
    for i in range(20):
        learning = learning.with_sample(1.0 + i / 100)
    assert len(learning.transit_samples) == MAX_SAMPLES
    assert learning.transit_samples[-1] == pytest.approx(1.19)


def test_trust_grows_with_confirmations_and_goes_with_a_shortfall() -> None:
    learning = FixtureLearning(transit_samples=(1.0,))
    assert not learning.trusted
    learning = learning.with_confirmation().with_confirmation()
    assert learning.trusted
    learning = learning.with_shortfall(None, failed=True)
    assert (learning.trusted, learning.confirmed, learning.shortfalls) == (False, 0, 1)
    assert learning.failures == 1
    assert learning.transit_samples == (1.0,)  # a failed cycle teaches no volume


def test_a_transit_found_after_shortfalls_drops_the_samples_that_came_too_early() -> None:
    learning = FixtureLearning(transit_samples=(1.0, 1.1, 2.1, 1.05))
    learning = learning.with_shortfall(1.2, failed=False).with_sample(2.0)
    assert learning.transit_samples == (2.1, 2.0)
    assert (learning.shortfalls, learning.probe_l, learning.failures) == (0, None, 0)


@pytest.mark.parametrize(
    ("key", "value"),
    [("confirmed", -1), ("failures", True), ("shortfalls", 1.5), ("probe_l", "x"), ("probe_l", 0)],
)
def test_corrupt_trust_counters_reset_that_fixture(key: str, value: object) -> None:
    raw = sample_data().to_dict()
    raw["fixtures"]["basin"][key] = value
    loaded = LearnedData.from_dict(raw)
    assert loaded.reset_reason is ResetReason.CORRUPT
    assert "basin" not in loaded.fixtures


def test_rolling_window_counts_only_the_last_day() -> None:
    runs = ((0.0, 100.0), (86_000.0, 86_500.0))
    assert pump_seconds_in_window(runs, 86_450.0) == pytest.approx(50.0 + 450.0)
    assert prune_runs(runs, 86_450.0 + 100.0) == ((86_000.0, 86_500.0),)
