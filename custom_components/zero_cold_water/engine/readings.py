"""Which temperature readings to believe.

A reading is believed when it is a finite number inside -20..100 C, is not a classic DS18B20 error
value (85.0 at power-on, -127 disconnected), and is not older than the staleness limit. An
unavailable or implausible report marks the sensor failed until a good reading arrives.
"""

from __future__ import annotations

from dataclasses import dataclass
import math

PLAUSIBLE_MIN_C = -20.0
PLAUSIBLE_MAX_C = 100.0
ERROR_VALUES_C = (85.0, -127.0)


def plausible(celsius: float | None) -> bool:
    """Whether ``celsius`` could be a real water temperature."""
    return (
        celsius is not None
        and math.isfinite(celsius)
        and PLAUSIBLE_MIN_C <= celsius <= PLAUSIBLE_MAX_C
        and celsius not in ERROR_VALUES_C
    )


@dataclass(slots=True)
class SensorTrack:
    """The last word from one sensor."""

    celsius: float | None = None
    """Last believed value (None before any)."""
    at: float | None = None
    """When the last report (good or bad) was made."""
    good_at: float | None = None
    """When ``celsius`` was reported."""
    failed: bool = False
    """The last report was unavailable or implausible."""
    implausible: bool = False
    """The last report was a number not to believe (an error value, out of range)."""

    def report(self, celsius: float | None, at: float) -> bool:
        """Take a report; False if it is out of order (older than the last) and was dropped."""
        if self.at is not None and at < self.at:
            return False
        self.at = at
        if plausible(celsius):
            assert celsius is not None  # noqa: S101 - narrowed by plausible()
            self.celsius = celsius
            self.good_at = at
            self.failed = False
        else:
            self.failed = True
        self.implausible = celsius is not None and self.failed
        return True

    def believed(self, now: float, stale_after_s: float) -> float | None:
        """The value to believe at ``now``, or None (failed, stale or never reported)."""
        if self.failed or self.celsius is None or self.good_at is None:
            return None
        if now - self.good_at > stale_after_s:
            return None
        return self.celsius
