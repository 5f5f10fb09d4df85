"""A household with a routine: the same draws every day, a few minutes early or late.

The reference homes' people draw at random times inside broad windows (mornings, evenings), so no
15-minute slot holds a draw on most days and a usage profile has little to predict. This
household shows what prediction does when there is a routine to learn: each fixture is used at
fixed times of day (morning basin and shower, lunch and dinner at the kitchen, an evening shower),
each draw up to ``JITTER_S`` early or late. ``scripts/bench --routine`` runs it.
"""

from __future__ import annotations

import math
import random

from simulator import Draw, Home

JITTER_S = 240.0
"""Each routine draw comes up to this early or late."""
HOUR = 3600.0
TIMES: dict[str, tuple[float, ...]] = {
    "basin": (7.0, 22.5),
    "shower": (7.25, 21.5),
    "kitchen": (7.75, 12.5, 19.0),
}
"""Hours of the day each kind of fixture is used."""
USE_S: dict[str, float] = {"basin": 30.0, "shower": 480.0, "kitchen": 45.0}


def routine_draws(home: Home, days: float, seed: int) -> list[Draw]:
    """Every fixture's routine draws over ``days`` (sorted; seeded jitter)."""
    rng = random.Random(seed * 7919 + 41)  # noqa: S311 - a simulation, not cryptography
    horizon = days * 86400.0
    draws: list[Draw] = []
    for day in range(math.ceil(days)):
        for fixture in home.fixtures:
            for hour in TIMES[fixture.kind]:
                start = day * 86400.0 + hour * HOUR + rng.uniform(-JITTER_S, JITTER_S)
                if 0.0 <= start < horizon - 900.0:
                    draws.append(
                        Draw(
                            fixture=fixture.name,
                            start=round(start, 1),
                            use_s=USE_S[fixture.kind],
                            flow_lpm=fixture.tap_flow_lpm,
                        )
                    )
    return sorted(draws, key=lambda d: d.start)
