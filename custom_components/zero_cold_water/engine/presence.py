"""Presence, vacation, the keep-warm schedule and the local time of the automatic cycles.

Away without a break for ``vacation_after_s`` in a mode that goes on vacation switches the mode
to ``vacation``; coming home switches back (docs/engine.md, "Presence and vacation").
"""

from __future__ import annotations

import math

from .commands import ModeSwitched, ModeSwitchReason
from .config import InstallationSettings
from .modes import Mode, policy
from .prediction import DAY_S

MAX_UTC_OFFSET_S = 18 * 3600.0


class Presence:
    """Who is home, the schedule, the local time (internal, mutable)."""

    def __init__(self) -> None:
        """Nobody known to be away, schedule on, UTC."""
        self.home: bool | None = None
        self.away_since: float | None = None
        self.schedule_active = True
        self.utc_offset_s = 0.0

    def on_presence(
        self, home: bool | None, now: float, mode: Mode, resume_mode: Mode | None
    ) -> ModeSwitched | None:
        """Presence changed; returns the switch back from an automatic vacation, if any."""
        if home is False:
            if self.home is not False:
                self.away_since = now
            self.home = False
            return None
        self.home = home
        self.away_since = None
        if mode is Mode.VACATION and resume_mode is not None:
            return ModeSwitched(
                mode=resume_mode, reason=ModeSwitchReason.RETURNED, resume_mode=None
            )
        return None

    def vacation_deadline(self, mode: Mode, settings: InstallationSettings) -> float | None:
        """When a long absence switches ``mode`` to vacation (None: it does not)."""
        if self.away_since is None or not policy(mode).goes_on_vacation:
            return None
        return self.away_since + settings.vacation_after_s

    def check_vacation(
        self, now: float, mode: Mode, settings: InstallationSettings
    ) -> ModeSwitched | None:
        """The switch to vacation, if the absence has lasted long enough."""
        deadline = self.vacation_deadline(mode, settings)
        if deadline is None or now < deadline:
            return None
        return ModeSwitched(mode=Mode.VACATION, reason=ModeSwitchReason.VACATION, resume_mode=mode)

    def wakeups(self, mode: Mode, settings: InstallationSettings) -> list[float]:
        """The vacation deadline while away."""
        deadline = self.vacation_deadline(mode, settings)
        return [deadline] if deadline is not None and self.home is False else []

    def set_offset(self, utc_offset_s: float) -> bool:
        """Set the local time's offset from UTC; False when ignored (not finite, too far, same)."""
        if (
            math.isfinite(utc_offset_s)
            and abs(utc_offset_s) <= MAX_UTC_OFFSET_S
            and utc_offset_s != self.utc_offset_s
        ):
            self.utc_offset_s = utc_offset_s
            return True
        return False

    def local_day(self, at: float) -> int:
        """The local day number of ``at``."""
        return int((at + self.utc_offset_s) // DAY_S)
