"""Constants shared by the Zero Cold Water integration."""

from __future__ import annotations

from enum import StrEnum
from typing import Final

DOMAIN: Final = "zero_cold_water"

CONF_TOPOLOGY: Final = "topology"
CONF_PUMP: Final = "pump"

PUMP_DOMAINS: Final = ("switch", "input_boolean")


class Topology(StrEnum):
    """How the cold water in the hot pipe gets out of the way."""

    RETURN_LINE = "return_line"
    """A dedicated return pipe back to the heater; a pump pushes water round the loop."""
    COLD_LINE = "cold_line"
    """The cold pipe serves as the return, through a valve bridging hot and cold at a fixture."""
    DRAIN = "drain"
    """No pump: a valve at the fixture dumps the cold water into the drain."""

    @property
    def has_pump(self) -> bool:
        """Whether this topology moves water with a recirculation pump."""
        return self is not Topology.DRAIN
