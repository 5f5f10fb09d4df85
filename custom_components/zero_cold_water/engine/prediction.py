"""When will hot water be wanted: a weekly usage profile, draw detection, usage records.

Pure and clock-free like the rest of the engine (every function takes ``now``); the host converts
to local time by passing the offset from UTC in seconds. ``automatic.py`` wires these pieces into
the controller (keep-warm, predictive pre-heat, usage statistics).

- :class:`UsageProfile`: per fixture, one weight per 15-minute slot of the week; each draw adds 1
  to its slot after every weight has decayed by ``DECAY`` per day since the last update.
  :meth:`UsageProfile.score` is a decayed frequency: the decayed draws in the slot over the decayed
  number of times the slot came round since observation began. The weekly estimate (this weekday)
  is blended with the daily one (the same time of day on every day), so a daily routine is
  learned in two or three days and a weekly one still stands out after a few weeks.
  1.0 means "a draw here every time".
- :func:`draw_base`: a pipe warming at the fixture while no cycle runs is somebody drawing hot
  water.
- :class:`DrawRecord`, :class:`PreheatRecord`: what the statistics count.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
import math
from typing import Any

SLOT_S = 900.0
"""One slot: 15 minutes."""
WEEK_S = 7 * 86400.0
SLOTS = int(WEEK_S // SLOT_S)
DAY_S = 86400.0
DECAY = 0.9
"""Daily decay of every weight."""
DAY_SLOTS = int(DAY_S // SLOT_S)
PRIOR_DAYS = 1.0
"""Daily estimate: this many days' worth of "no draw" weigh against the first draws (one draw
on one day is not a routine yet)."""
PRIOR_WEEKS = 1.0
"""Weekly estimate: the daily estimate counts as this many weeks of observation of the slot."""
MIN_WEIGHT = 1e-3
"""Weights below this are dropped (stored and renormalised profiles stay small)."""
RENORMALIZE_S = 30 * DAY_S
"""Lazy decay: the profile is decayed as a whole when a draw is this far from its reference."""
PROFILE_VERSION = 1
DRAW_RISE_K = 3.0
"""A rise of this much within ``DRAW_WINDOW_S`` with no cycle running is a draw."""
DRAW_WINDOW_S = 90.0


def slot_of(at: float, utc_offset_s: float = 0.0) -> int:
    """The slot of the week (0..SLOTS-1) holding local time ``at + utc_offset_s``."""
    return int(((at + utc_offset_s) % WEEK_S) // SLOT_S) % SLOTS  # % again: float rounding


def _geometric(ratio: float, count: int) -> float:
    """``ratio + ratio**2 + ... + ratio**count`` (0 for no terms)."""
    if count <= 0:
        return 0.0
    return ratio * (1.0 - ratio**count) / (1.0 - ratio)


@dataclass(frozen=True, slots=True, kw_only=True)
class UsageProfile:
    """Decaying weekly draw counts per fixture (sparse: only slots that saw a draw).

    Decay is lazy: the weights are stored as of ``updated_at`` and a draw adds its weight as of
    that time (``DECAY ** -(age)``), so recording a draw touches one slot; every
    ``RENORMALIZE_S`` the whole profile is decayed once to keep the numbers small.
    """

    weights: Mapping[str, Mapping[int, float]] = field(default_factory=dict)
    """Per fixture, slot of the week -> weight as of ``updated_at``."""
    updated_at: float | None = None
    """The time the weights are expressed at (None: never)."""
    since: float | None = None
    """When observation began (the first draw recorded; None: never)."""
    offsets: Mapping[str, Mapping[int, float]] = field(default_factory=dict)
    """Per fixture, slot of the week -> the weighted sum of the draws' seconds into the slot
    (over the weight: when in the slot the draws come)."""

    def decayed(self, now: float) -> UsageProfile:
        """Every weight decayed (or grown, for an earlier ``now``) to ``now``."""
        if self.updated_at is None:
            return replace(self, updated_at=now)
        factor = DECAY ** ((now - self.updated_at) / DAY_S)
        weights = {
            f: {k: w * factor for k, w in ws.items() if w * factor >= MIN_WEIGHT}
            for f, ws in self.weights.items()
        }
        offsets = {
            f: {k: o * factor for k, o in os.items() if k in weights.get(f, {})}
            for f, os in self.offsets.items()
        }
        return replace(self, weights=weights, offsets=offsets, updated_at=now)

    def with_draw(self, fixture: str, at: float, utc_offset_s: float = 0.0) -> UsageProfile:
        """Record a draw at ``fixture``."""
        profile = self
        if profile.updated_at is None or abs(at - profile.updated_at) > RENORMALIZE_S:
            profile = profile.decayed(at)
        ref = profile.updated_at
        assert ref is not None  # noqa: S101 - set just above
        slot = slot_of(at, utc_offset_s)
        added = DECAY ** ((ref - at) / DAY_S)
        weights = dict(profile.weights.get(fixture, {}))
        weights[slot] = weights.get(slot, 0.0) + added
        offsets = dict(profile.offsets.get(fixture, {}))
        offsets[slot] = offsets.get(slot, 0.0) + added * ((at + utc_offset_s) % SLOT_S)
        since = at if profile.since is None else min(profile.since, at)
        return replace(
            profile,
            weights={**profile.weights, fixture: weights},
            offsets={**profile.offsets, fixture: offsets},
            since=since,
        )

    def offset_s(self, fixture: str, slot: int) -> float:
        """When in ``slot`` (seconds from its start) the draws came, weighted.

        The same time of day on other days when the slot itself saw none; mid-slot when nothing
        is known.
        """
        weights = self.weights.get(fixture, {})
        offsets = self.offsets.get(fixture, {})
        weight = weights.get(slot, 0.0)
        if weight > 0.0 and slot in offsets:
            return min(max(offsets[slot] / weight, 0.0), SLOT_S)
        tod = slot % DAY_SLOTS
        total = sum(w for k, w in weights.items() if k % DAY_SLOTS == tod and k in offsets)
        if total <= 0.0:
            return SLOT_S / 2
        summed = sum(o for k, o in offsets.items() if k % DAY_SLOTS == tod and k in weights)
        return min(max(summed / total, 0.0), SLOT_S)

    def without(self, fixtures: tuple[str, ...]) -> UsageProfile:
        """Forget ``fixtures`` (every fixture, and when observation began, when empty)."""
        if not fixtures:
            return UsageProfile()
        return replace(
            self,
            weights={f: w for f, w in self.weights.items() if f not in fixtures},
            offsets={f: o for f, o in self.offsets.items() if f not in fixtures},
        )

    def _factor(self, at: float) -> float:
        """How much the weights have decayed since the last update (they decay lazily)."""
        if self.updated_at is None:
            return 1.0
        return float(DECAY ** ((at - self.updated_at) / DAY_S))

    def daily_sums(self, fixture: str) -> tuple[float, ...]:
        """Per time-of-day slot, the weights of that slot on all seven days (as of the update)."""
        sums = [0.0] * DAY_SLOTS
        for slot, w in self.weights.get(fixture, {}).items():
            sums[slot % DAY_SLOTS] += w
        return tuple(sums)

    def score(
        self,
        fixture: str,
        at: float,
        utc_offset_s: float = 0.0,
        daily: tuple[float, ...] | None = None,
    ) -> float:
        """How likely a draw at ``fixture`` in the slot holding ``at`` is (1.0: every time).

        ``daily``: :meth:`daily_sums` of ``fixture``, when scoring many slots in a row.
        """
        weights = self.weights.get(fixture)
        if weights is None or self.since is None:
            return 0.0
        slot = slot_of(at, utc_offset_s)
        factor = self._factor(at)
        if daily is None:
            tod = slot % DAY_SLOTS
            day_count = sum(w for k, w in weights.items() if k % DAY_SLOTS == tod)
        else:
            day_count = daily[slot % DAY_SLOTS]
        elapsed = max(0.0, at - self.since)
        days_seen = _geometric(DECAY, int(elapsed // DAY_S))
        weeks_seen = _geometric(DECAY**7, int(elapsed // WEEK_S))
        daily_rate = day_count * factor / (days_seen + PRIOR_DAYS)
        weekly = weights.get(slot, 0.0) * factor
        return float((weekly + PRIOR_WEEKS * daily_rate) / (weeks_seen + PRIOR_WEEKS))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready; weights rounded and stored sparsely."""
        return {
            "version": PROFILE_VERSION,
            "updated_at": self.updated_at,
            "since": self.since,
            "fixtures": {
                fixture: {str(i): round(w, 4) for i, w in sorted(ws.items()) if w >= MIN_WEIGHT}
                for fixture, ws in self.weights.items()
            },
            "offsets": {
                fixture: {
                    str(i): round(o, 1)
                    for i, o in sorted(os.items())
                    if self.weights.get(fixture, {}).get(i, 0.0) >= MIN_WEIGHT
                }
                for fixture, os in self.offsets.items()
            },
        }

    @classmethod
    def from_dict(cls, raw: object) -> UsageProfile:
        """Read stored data; anything unreadable gives an empty profile (never raises)."""
        parsed = cls.parse(raw)
        return cls() if parsed is None else parsed

    @classmethod
    def parse(cls, raw: object) -> UsageProfile | None:
        """Read stored data; None if it is not a readable profile."""
        if not isinstance(raw, Mapping) or raw.get("version") != PROFILE_VERSION:
            return None
        updated = raw.get("updated_at")
        since = raw.get("since", updated)
        fixtures = raw.get("fixtures")
        if not isinstance(fixtures, Mapping) or not all(
            value is None
            or (
                isinstance(value, int | float)
                and not isinstance(value, bool)
                and math.isfinite(value)
            )
            for value in (updated, since)
        ):
            return None
        weights = _sparse(fixtures)
        offsets = _sparse(raw.get("offsets", {}))
        if weights is None or offsets is None:
            return None
        return cls(
            weights=weights,
            updated_at=None if updated is None else float(updated),
            since=None if since is None else float(since),
            offsets=offsets,
        )


def _sparse(raw: object) -> dict[str, dict[int, float]] | None:
    """Per fixture, slot -> non-negative finite number; None if unreadable."""
    if not isinstance(raw, Mapping):
        return None
    out: dict[str, dict[int, float]] = {}
    for fixture, sparse in raw.items():
        if not isinstance(fixture, str) or not isinstance(sparse, Mapping):
            return None
        values: dict[int, float] = {}
        for key, value in sparse.items():
            try:
                index = int(key)
            except (TypeError, ValueError):
                return None
            if not (0 <= index < SLOTS and isinstance(value, int | float)) or not (
                math.isfinite(value) and value >= 0
            ):
                return None
            values[index] = float(value)
        out[fixture] = values
    return out


def draw_base(
    recent: Iterable[tuple[float, float]], celsius: float, at: float
) -> tuple[float, float] | None:
    """The reading a draw warmed the pipe from, or None if ``celsius`` at ``at`` is no draw.

    ``recent``: earlier (at, celsius) readings of the same sensor. A draw is a rise of at least
    ``DRAW_RISE_K`` over the lowest of them within ``DRAW_WINDOW_S`` (a report-on-change sensor
    sends a warming pipe as many small steps).
    """
    base: tuple[float, float] | None = None
    for then, before in recent:
        if 0.0 < at - then <= DRAW_WINDOW_S and (base is None or before < base[1]):
            base = (then, before)
    if base is None or celsius - base[1] < DRAW_RISE_K:
        return None
    return base


@dataclass(frozen=True, slots=True, kw_only=True)
class DrawRecord:
    """A draw seen at ``fixture``: did it find the water hot?"""

    at: float
    fixture: str
    hit: bool


class PreheatOutcome(StrEnum):
    """What became of a pre-heat."""

    PENDING = "pending"
    USED = "used"
    """A draw came at the fixture while its water was hot."""
    WASTED = "wasted"
    """Its water cooled (or an hour passed) with no draw at the fixture."""


@dataclass(frozen=True, slots=True, kw_only=True)
class PreheatRecord:
    """A predictive pre-heat started at ``at``."""

    at: float
    fixture: str
    outcome: PreheatOutcome = PreheatOutcome.PENDING
