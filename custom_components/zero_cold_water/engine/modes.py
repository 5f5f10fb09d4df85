"""Operating modes and what each allows.

To add a mode: add a member to :class:`Mode` and its :class:`ModePolicy` to ``POLICIES``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Mode(StrEnum):
    """How the installation is run."""

    OFF = "off"
    """Nothing runs; the hardware stays safe."""
    ON_DEMAND = "on_demand"
    """A cycle runs when someone (or an automation) asks for hot water."""
    KEEP_WARM = "keep_warm"
    """On demand, and keep-warm fixtures are kept hot while the schedule is on ("cruise")."""
    PREDICTIVE = "predictive"
    """On demand, and fixtures are pre-heated ahead of the draws the usage profile expects."""
    VACATION = "vacation"
    """Nobody home for long: on demand only, no automatic cycle (freeze protection still runs)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ModePolicy:
    """What a mode allows."""

    accepts_start: bool
    """Whether ``Start`` requests are accepted."""
    keeps_cycles: bool
    """Whether running cycles continue when the mode is entered."""
    keep_warm: bool = False
    """Whether keep-warm cycles run (schedule on, someone home)."""
    predictive: bool = False
    """Whether predictive pre-heats run (someone home)."""
    freeze_protection: bool = False
    """Whether freeze-protection cycles run (when configured)."""
    goes_on_vacation: bool = False
    """Whether a long absence switches this mode to ``VACATION`` (and back on return)."""


POLICIES: dict[Mode, ModePolicy] = {
    Mode.OFF: ModePolicy(accepts_start=False, keeps_cycles=False),
    Mode.ON_DEMAND: ModePolicy(accepts_start=True, keeps_cycles=True, freeze_protection=True),
    Mode.KEEP_WARM: ModePolicy(
        accepts_start=True,
        keeps_cycles=True,
        keep_warm=True,
        freeze_protection=True,
        goes_on_vacation=True,
    ),
    Mode.PREDICTIVE: ModePolicy(
        accepts_start=True,
        keeps_cycles=True,
        predictive=True,
        freeze_protection=True,
        goes_on_vacation=True,
    ),
    Mode.VACATION: ModePolicy(accepts_start=True, keeps_cycles=True, freeze_protection=True),
}


def policy(mode: Mode) -> ModePolicy:
    """The policy of ``mode``."""
    return POLICIES[mode]
