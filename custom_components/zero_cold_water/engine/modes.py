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


@dataclass(frozen=True, slots=True, kw_only=True)
class ModePolicy:
    """What a mode allows."""

    accepts_start: bool
    """Whether ``Start`` requests are accepted."""
    keeps_cycles: bool
    """Whether running cycles continue when the mode is entered."""


POLICIES: dict[Mode, ModePolicy] = {
    Mode.OFF: ModePolicy(accepts_start=False, keeps_cycles=False),
    Mode.ON_DEMAND: ModePolicy(accepts_start=True, keeps_cycles=True),
}


def policy(mode: Mode) -> ModePolicy:
    """The policy of ``mode``."""
    return POLICIES[mode]
