"""When will hot water be wanted: a weekly usage profile, draw detection, pre-heat and keep-warm.

Pure and clock-free like the rest of the engine (every function takes ``now``); the host converts
to local time by passing the offset from UTC in seconds. Not yet wired into the controller: the
pieces a predictive mode, keep-warm ("cruise") and the ``zcw_predictive`` benchmark strategy share.

- :class:`UsageProfile`: per fixture, one weight per 15-minute slot of the week; each draw adds 1
  to its slot after every weight has decayed by ``DECAY`` per day since the last update. A slot
  drawn from every week holds ``DECAY**7 / (1 - DECAY**7)`` just before its next draw;
  :meth:`UsageProfile.score` divides by that, so 1.0 means "a draw here every week".
- :func:`detect_draw`: a pipe warming at the fixture while no cycle runs is somebody drawing hot
  water.
- :func:`preheat_due`: pre-heat a fixture when the slot its learned time to hot ahead of ``now``
  falls in scores above a threshold, within a daily limit.
- :func:`keep_warm_due`: keep-warm hysteresis with a minimum interval between starts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
import math
from typing import Any

SLOT_S = 900.0
"""One slot: 15 minutes."""
WEEK_S = 7 * 86400.0
SLOTS = int(WEEK_S // SLOT_S)
DAY_S = 86400.0
DECAY = 0.9
"""Daily decay of every weight."""
FULL_WEIGHT = DECAY**7 / (1.0 - DECAY**7)
"""The weight a slot drawn from once every week converges to, just before its next draw."""
PROFILE_VERSION = 1
DRAW_RISE_K = 3.0
"""A rise of this much within ``DRAW_WINDOW_S`` with no cycle running is a draw."""
DRAW_WINDOW_S = 90.0


def slot_of(at: float, utc_offset_s: float = 0.0) -> int:
    """The slot of the week (0..SLOTS-1) holding local time ``at + utc_offset_s``."""
    return int(((at + utc_offset_s) % WEEK_S) // SLOT_S)


@dataclass(frozen=True, slots=True, kw_only=True)
class UsageProfile:
    """Decaying weekly draw counts per fixture."""

    weights: Mapping[str, tuple[float, ...]] = field(default_factory=dict)
    updated_at: float | None = None
    """When the weights were last decayed (None: never)."""

    def decayed(self, now: float) -> UsageProfile:
        """Every weight decayed to ``now``."""
        if self.updated_at is None or now <= self.updated_at:
            return replace(self, updated_at=now if self.updated_at is None else self.updated_at)
        factor = DECAY ** ((now - self.updated_at) / DAY_S)
        return UsageProfile(
            weights={f: tuple(w * factor for w in ws) for f, ws in self.weights.items()},
            updated_at=now,
        )

    def with_draw(self, fixture: str, at: float, utc_offset_s: float = 0.0) -> UsageProfile:
        """Record a draw at ``fixture``."""
        profile = self.decayed(at)
        weights = list(profile.weights.get(fixture, (0.0,) * SLOTS))
        weights[slot_of(at, utc_offset_s)] += 1.0
        return replace(profile, weights={**profile.weights, fixture: tuple(weights)})

    def score(self, fixture: str, at: float, utc_offset_s: float = 0.0) -> float:
        """How likely a draw at ``fixture`` in the slot holding ``at`` is (1.0: every week)."""
        weights = self.weights.get(fixture)
        if weights is None:
            return 0.0
        age = 0.0 if self.updated_at is None else max(0.0, at - self.updated_at)
        return float(weights[slot_of(at, utc_offset_s)] * DECAY ** (age / DAY_S) / FULL_WEIGHT)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready; weights rounded and stored sparsely."""
        return {
            "version": PROFILE_VERSION,
            "updated_at": self.updated_at,
            "fixtures": {
                fixture: {str(i): round(w, 4) for i, w in enumerate(ws) if w >= 1e-3}
                for fixture, ws in self.weights.items()
            },
        }

    @classmethod
    def from_dict(cls, raw: object) -> UsageProfile:
        """Read stored data; anything unreadable gives an empty profile (never raises)."""
        if not isinstance(raw, Mapping) or raw.get("version") != PROFILE_VERSION:
            return cls()
        updated = raw.get("updated_at")
        fixtures = raw.get("fixtures")
        if not isinstance(fixtures, Mapping) or not (
            updated is None or (isinstance(updated, int | float) and math.isfinite(updated))
        ):
            return cls()
        weights: dict[str, tuple[float, ...]] = {}
        for fixture, sparse in fixtures.items():
            if not isinstance(fixture, str) or not isinstance(sparse, Mapping):
                return cls()
            values = [0.0] * SLOTS
            for key, value in sparse.items():
                try:
                    index = int(key)
                except (TypeError, ValueError):
                    return cls()
                if not (0 <= index < SLOTS and isinstance(value, int | float)) or not (
                    math.isfinite(value) and value >= 0
                ):
                    return cls()
                values[index] = float(value)
            weights[fixture] = tuple(values)
        return cls(weights=weights, updated_at=None if updated is None else float(updated))


def detect_draw(
    previous: tuple[float, float] | None, celsius: float, at: float, *, cycle_running: bool
) -> bool:
    """Whether a reading (after ``previous`` = (celsius, at)) shows someone drawing hot water."""
    if cycle_running or previous is None:
        return False
    before, then = previous
    return 0.0 < at - then <= DRAW_WINDOW_S and celsius - before >= DRAW_RISE_K


@dataclass(frozen=True, slots=True, kw_only=True)
class PreheatBudget:
    """Pre-heats started in the current local day, per the daily limit."""

    day: int = -1
    used: int = 0

    def spend(self, now: float, utc_offset_s: float = 0.0) -> PreheatBudget:
        """One more pre-heat today."""
        today = int((now + utc_offset_s) // DAY_S)
        return PreheatBudget(day=today, used=(self.used if self.day == today else 0) + 1)

    def left(self, now: float, limit: int, utc_offset_s: float = 0.0) -> int:
        """Pre-heats still allowed today."""
        today = int((now + utc_offset_s) // DAY_S)
        return max(0, limit - (self.used if self.day == today else 0))


def preheat_due(
    profile: UsageProfile,
    fixture: str,
    now: float,
    *,
    lead_s: float,
    threshold: float = 0.5,
    budget: PreheatBudget | None = None,
    daily_limit: int = 6,
    utc_offset_s: float = 0.0,
) -> bool:
    """Whether to pre-heat ``fixture`` now for a likely draw ``lead_s`` ahead."""
    if budget is not None and budget.left(now, daily_limit, utc_offset_s) <= 0:
        return False
    return profile.score(fixture, now + lead_s, utc_offset_s) >= threshold


def keep_warm_due(
    celsius: float | None,
    target_c: float,
    now: float,
    *,
    hysteresis_k: float,
    last_start: float | None,
    min_interval_s: float,
    ready_until: float | None = None,
) -> bool:
    """Keep-warm ("cruise"): start when the water fell below target minus the hysteresis.

    Without a believed temperature, the learned cooling time decides: start once ``ready_until``
    (when readiness expires) has passed. Never twice within ``min_interval_s``.
    """
    if last_start is not None and now - last_start < min_interval_s:
        return False
    if celsius is not None:
        return celsius < target_c - hysteresis_k
    return ready_until is None or now >= ready_until
