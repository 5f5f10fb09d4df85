"""The simulated pump and fixture valves: commands land, and report back, with real latency."""

from __future__ import annotations

from typing import Any

from homeassistant.components.switch import SwitchEntity
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddEntitiesCallback
from homeassistant.helpers.typing import ConfigType, DiscoveryInfoType

from simulator.control import PUMP, VALVE_PREFIX, valve

from .entity import SimEntity, live_home, title
from .live import LiveHome


async def async_setup_platform(
    hass: HomeAssistant,
    config: ConfigType,
    async_add_entities: AddEntitiesCallback,
    discovery_info: DiscoveryInfoType | None = None,
) -> None:
    """Add the pump (if any) and a valve switch per fixture valve."""
    if discovery_info is None:
        return
    home = live_home(hass)
    entities: list[SwitchEntity] = []
    if home.has_pump:
        entities.append(SimSwitch(home, PUMP, "Recirculation pump", "mdi:pump"))
    entities.extend(
        SimSwitch(home, valve(fixture), f"{title(fixture)} valve", "mdi:valve")
        for fixture in home.valves
    )
    async_add_entities(entities)


class SimSwitch(SimEntity, SwitchEntity):
    """A switch whose state is what the hardware last reported, not what was asked."""

    def __init__(self, home: LiveHome, actuator: str, name: str, icon: str) -> None:
        """Wrap the actuator ``actuator`` ("pump" or "valve:<fixture>")."""
        super().__init__(home, actuator.replace(":", "_"), name, {("actuator", actuator)})
        self._actuator = actuator
        self._attr_icon = icon

    @property
    def is_on(self) -> bool:
        """The reported state."""
        return self.home.reported.get(self._actuator, False)

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """What was last commanded (it lands after the hardware's latency)."""
        return {"commanded": self.home.commanded.get(self._actuator, False)}

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Command on."""
        self._command(True)

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Command off."""
        self._command(False)

    def _command(self, on: bool) -> None:
        if self._actuator == PUMP:
            self.home.set_pump(on)
        else:
            self.home.set_valve(self._actuator.removeprefix(VALVE_PREFIX), on)
        self.async_write_ha_state()
