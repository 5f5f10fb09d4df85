"""People: a seeded generator of hot-water draws and of remote presses before them."""

from __future__ import annotations

from dataclasses import dataclass
import math
import random

from .home import FixtureKind, Home

# Use (after hot water arrives) in seconds: (low, high) of a log-uniform spread.
_USE_S: dict[FixtureKind, tuple[float, float]] = {
    "kitchen": (10.0, 90.0),
    "basin": (8.0, 45.0),
    "shower": (240.0, 720.0),
}
# Daily profile: (start hour, end hour, weight): mornings and evenings.
_PROFILE = ((6.0, 9.0, 0.35), (11.5, 13.5, 0.12), (17.5, 23.0, 0.43), (9.0, 17.5, 0.10))


@dataclass(frozen=True, slots=True, kw_only=True)
class Draw:
    """Someone opens the hot tap at ``fixture`` at ``start`` and uses ``use_s`` of hot water.

    If the water is not hot yet, the person lets it run (into the drain) until it is, up to the
    home's ``max_wait_s``; then uses it for ``use_s``.
    """

    fixture: str
    start: float
    use_s: float
    flow_lpm: float
    trigger_at: float | None = None
    """When this person pressed the remote before the draw (None: they did not)."""
    cold: bool = False
    """A cold-water draw (toilet cistern, cold tap) at the fixture's cold pipe, for ``use_s``.

    Through an open bridge (a passive check valve) part of it comes from the hot side, through
    the heater: "hot water flushing the toilet"."""


def generate_draws(home: Home, days: float, seed: int) -> list[Draw]:
    """A reproducible schedule of draws over ``days`` days, sorted by start time."""
    rng = random.Random(seed * 7919 + 17)  # noqa: S311 - a simulation, not cryptography
    fixtures = home.fixtures
    weights = [f.draw_weight for f in fixtures]
    people = home.people
    draws: list[Draw] = []
    busy_until: dict[str, float] = {f.name: -1.0 for f in fixtures}
    n_days = math.ceil(days)
    horizon = days * 86400.0
    for day in range(n_days):
        n = rng.randint(people.draws_per_day[0], people.draws_per_day[1])
        starts: list[float] = []
        for _ in range(n):
            lo, hi, _w = rng.choices(_PROFILE, weights=[p[2] for p in _PROFILE])[0]
            starts.append(day * 86400.0 + rng.uniform(lo, hi) * 3600.0)
        starts.sort()
        for start in starts:
            fx = rng.choices(fixtures, weights=weights)[0]
            lo_s, hi_s = _USE_S[fx.kind]
            use_s = math.exp(rng.uniform(math.log(lo_s), math.log(hi_s)))
            t = max(start, busy_until[fx.name] + 60.0)
            if t >= horizon - 900.0:
                continue
            trigger_at = None
            if rng.random() < fx.trigger_probability:
                lead = people.trigger_lead_median_s * math.exp(rng.gauss(0.0, 0.6))
                trigger_at = t - min(lead, people.trigger_lead_max_s)
            busy_until[fx.name] = t + people.max_wait_s + use_s
            draws.append(
                Draw(
                    fixture=fx.name,
                    start=round(t, 1),
                    use_s=round(use_s, 1),
                    flow_lpm=fx.tap_flow_lpm,
                    trigger_at=None if trigger_at is None else round(max(trigger_at, 0.0), 1),
                )
            )
    draws.extend(_cold_draws(home, days, seed))
    draws.sort(key=lambda d: d.start)
    return draws


def _cold_draws(home: Home, days: float, seed: int) -> list[Draw]:
    lo, hi = home.people.cold_draws_per_day
    cold_ends = {p.to_node for p in home.cold_pipes}
    fixtures = [f for f in home.fixtures if f.name in cold_ends]
    if hi <= 0 or not fixtures:
        return []
    rng = random.Random(seed * 7919 + 29)  # noqa: S311 - a simulation, not cryptography
    weights = [f.draw_weight for f in fixtures]
    horizon = days * 86400.0
    out: list[Draw] = []
    busy_until: dict[str, float] = {f.name: -1.0 for f in fixtures}
    for day in range(math.ceil(days)):
        starts = []
        for _ in range(rng.randint(lo, hi)):
            a, b, _w = rng.choices(_PROFILE, weights=[p[2] for p in _PROFILE])[0]
            starts.append(day * 86400.0 + rng.uniform(a, b) * 3600.0)
        for start in sorted(starts):
            fx = rng.choices(fixtures, weights=weights)[0]
            t = max(start, busy_until[fx.name] + 5.0)
            use_s = rng.uniform(15.0, 60.0)
            if t + use_s >= horizon:
                continue
            busy_until[fx.name] = t + use_s
            out.append(
                Draw(
                    fixture=fx.name,
                    start=round(t, 1),
                    use_s=round(use_s, 1),
                    flow_lpm=6.0,
                    cold=True,
                )
            )
    return out
