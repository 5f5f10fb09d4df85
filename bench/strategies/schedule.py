"""A daily window of time, as the keep-warm strategies (``cruise``, ``zcw_keep_warm``) use it."""

from __future__ import annotations

from dataclasses import dataclass

DAY_S = 86400.0


@dataclass(frozen=True, slots=True)
class DailyWindow:
    """From ``start_s`` to ``end_s`` seconds after local midnight, every day."""

    start_s: float
    end_s: float

    def contains(self, now: float) -> bool:
        """Whether ``now`` (seconds since a midnight) falls inside the window."""
        tod = now % DAY_S
        return self.start_s <= tod < self.end_s

    def next_edge(self, now: float) -> float:
        """The next time after ``now`` the window opens or closes."""
        day = now - now % DAY_S
        edges = (day + self.start_s, day + self.end_s, day + DAY_S + self.start_s)
        return next(e for e in edges if e > now + 1e-6)


KEEP_WARM_HOURS = DailyWindow(6 * 3600.0, 23 * 3600.0)
"""06:00-23:00: while someone is usually awake."""
