"""The pure prediction pieces: weekly profile, draw detection, pre-heat budget, keep-warm."""

from __future__ import annotations

import pytest

from custom_components.zero_cold_water.engine.prediction import (
    DAY_S,
    SLOT_S,
    SLOTS,
    WEEK_S,
    UsageProfile,
    draw_base,
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


def test_draw_base() -> None:
    """A rise of 3 K within 90 s over the lowest recent reading is a draw, from that reading."""
    assert draw_base([(100.0, 21.0)], 26.0, 130.0) == (100.0, 21.0)
    assert draw_base([(100.0, 23.0), (110.0, 21.0), (120.0, 22.5)], 24.5, 130.0) == (110.0, 21.0)
    assert draw_base([(100.0, 21.0)], 22.0, 130.0) is None
    assert draw_base([(100.0, 21.0)], 30.0, 400.0) is None
    assert draw_base([], 30.0, 400.0) is None


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
