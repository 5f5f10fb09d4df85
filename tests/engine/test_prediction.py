"""The pure prediction pieces: weekly profile, draw detection, pre-heat budget, keep-warm."""

from __future__ import annotations

import pytest

from custom_components.zero_cold_water.engine.prediction import (
    DAY_S,
    SLOT_S,
    SLOTS,
    WEEK_S,
    PreheatBudget,
    UsageProfile,
    detect_draw,
    keep_warm_due,
    preheat_due,
    slot_of,
)

MORNING = 7 * 3600.0 + 5 * 60  # 07:05 on day 0 (UTC)


def test_slots() -> None:
    assert slot_of(0.0) == 0
    assert slot_of(SLOT_S * 3 + 1) == 3
    assert slot_of(WEEK_S + SLOT_S) == 1
    assert slot_of(0.0, utc_offset_s=8 * 3600) == 32  # 08:00 in UTC+8
    assert SLOTS == 672


def test_a_weekly_habit_is_learned_and_fades() -> None:
    profile = UsageProfile()
    for week in range(6):
        profile = profile.with_draw("shower", MORNING + week * WEEK_S)
    now = MORNING + 6 * WEEK_S - 600  # ten minutes before the seventh
    assert profile.score("shower", now + 600) > 0.5
    assert profile.score("shower", now + 3 * 3600) == 0.0
    assert profile.score("kitchen", now) == 0.0
    # Weeks without the habit: the slot fades below the threshold.
    assert profile.score("shower", now + 600 + 4 * WEEK_S) < 0.2


def test_preheat_due_with_a_daily_limit() -> None:
    profile = UsageProfile()
    for week in range(5):
        profile = profile.with_draw("shower", MORNING + week * WEEK_S)
    now = MORNING + 5 * WEEK_S - 120
    assert preheat_due(profile, "shower", now, lead_s=120)
    assert not preheat_due(profile, "shower", now - 3600, lead_s=120)
    budget = PreheatBudget().spend(now).spend(now)
    assert not preheat_due(profile, "shower", now, lead_s=120, budget=budget, daily_limit=2)
    assert budget.left(now + DAY_S, 2) == 2  # a new day


def test_detect_draw() -> None:
    assert detect_draw((21.0, 100.0), 26.0, 130.0, cycle_running=False)
    assert not detect_draw((21.0, 100.0), 26.0, 130.0, cycle_running=True)
    assert not detect_draw((21.0, 100.0), 22.0, 130.0, cycle_running=False)
    assert not detect_draw((21.0, 100.0), 30.0, 400.0, cycle_running=False)
    assert not detect_draw(None, 30.0, 400.0, cycle_running=False)


@pytest.mark.parametrize(
    ("celsius", "last_start", "ready_until", "expected"),
    [
        (38.0, None, None, False),  # above target - hysteresis
        (34.0, None, None, True),
        (34.0, 1000.0 - 60, None, False),  # within the minimum interval
        (None, None, 900.0, True),  # sensorless: readiness expired
        (None, None, 2000.0, False),
    ],
)
def test_keep_warm(
    celsius: float | None, last_start: float | None, ready_until: float | None, expected: bool
) -> None:
    assert (
        keep_warm_due(
            celsius,
            40.0,
            1000.0,
            hysteresis_k=5.0,
            last_start=last_start,
            min_interval_s=600.0,
            ready_until=ready_until,
        )
        is expected
    )


def test_round_trip_and_corrupt_data() -> None:
    profile = UsageProfile().with_draw("basin", MORNING).with_draw("basin", MORNING + DAY_S)
    again = UsageProfile.from_dict(profile.to_dict())
    assert again.updated_at == profile.updated_at
    assert again.score("basin", MORNING + DAY_S) == pytest.approx(
        profile.score("basin", MORNING + DAY_S), abs=1e-3
    )
    for raw in (
        None,
        [],
        {"version": 2},
        {"version": 1, "fixtures": {"b": {"x": 1}}},
        {"version": 1, "fixtures": {"b": {"1": -1}}},
        {"version": 1, "updated_at": "x", "fixtures": {}},
    ):
        assert UsageProfile.from_dict(raw) == UsageProfile()
