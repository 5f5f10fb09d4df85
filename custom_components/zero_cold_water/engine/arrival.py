"""Hot-water arrival detection at one fixture, despite a lagging, quantised sensor.

Three signals, whichever comes first:

* threshold: a reading at or above the target;
* onset: the reading has risen ``onset_rise_c`` above the lowest reading of the cycle, and the
  rise from the last "flat" reading (within half that rise of the lowest) is at least
  ``onset_min_slope_c_per_s``. This is robust to 0.5 C quantisation (one step of flapping is not a
  rise) and to report-on-change sensors that stay silent while the pipe is flat (the slope is
  measured from the last flat report, or from when water started to flow if that is later). Only
  rises seen while water flows count;
* prediction (in the controller): the learned transit volume, less the sensor's lead, was pumped.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
import math


class Signal(StrEnum):
    """What told the detector the hot water is there."""

    THRESHOLD = "threshold"
    ONSET = "onset"


@dataclass(slots=True, kw_only=True)
class ArrivalDetector:
    """Watches one fixture's readings during a cycle."""

    target_c: float
    onset_rise_c: float
    onset_min_slope_c_per_s: float
    start_c: float | None = None
    lowest_c: float | None = None
    flat_c: float | None = None
    flat_at: float = -math.inf
    peak_c: float | None = None

    def __post_init__(self) -> None:
        """Seed the cycle's lowest and peak reading from the believed reading at start."""
        if self.start_c is not None:
            self.lowest_c = self.start_c
            self.flat_c = self.start_c
            self.peak_c = self.start_c

    def feed(self, celsius: float, at: float, flow_since: float | None) -> Signal | None:
        """Take one believed reading; return the signal it gives, if any.

        ``flow_since`` is when water started to flow past the fixture (None: not flowing); a
        flat report older than that counts as made then.
        """
        if self.start_c is None:
            self.start_c = celsius
        self.peak_c = celsius if self.peak_c is None else max(self.peak_c, celsius)
        if celsius >= self.target_c:
            return Signal.THRESHOLD
        if self.lowest_c is None or celsius < self.lowest_c:
            self.lowest_c = celsius
        if celsius <= self.lowest_c + self.onset_rise_c / 2:
            self.flat_c, self.flat_at = celsius, at
            return None
        if flow_since is None or celsius - self.lowest_c < self.onset_rise_c:
            return None
        if self.flat_c is None:
            return None
        elapsed = at - max(self.flat_at, flow_since)
        if elapsed <= 0 or (celsius - self.flat_c) / elapsed >= self.onset_min_slope_c_per_s:
            return Signal.ONSET
        return None
