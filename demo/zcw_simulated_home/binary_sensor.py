"""Who is drawing water now, and whether the heater fires."""

from __future__ import annotations

from typing import Any

from homeassistant.components.binary_sensor import BinarySensorDeviceClass, BinarySensorEntity
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddEntitiesCallback
from homeassistant.helpers.typing import ConfigType, DiscoveryInfoType

from simulator.control import PUMP

from .entity import SimEntity, live_home, title
from .live import LiveHome


async def async_setup_platform(
    hass: HomeAssistant,
    config: ConfigType,
    async_add_entities: AddEntitiesCallback,
    discovery_info: DiscoveryInfoType | None = None,
) -> None:
    """Add a "tap running" sensor per fixture and the heater's burner."""
    if discovery_info is None:
        return
    home = live_home(hass)
    entities: list[BinarySensorEntity] = [TapRunning(home, fixture) for fixture in home.fixtures]
    entities.append(Burner(home))
    async_add_entities(entities)


class TapRunning(SimEntity, BinarySensorEntity):
    """Someone has the hot tap open at this fixture."""

    _attr_device_class = BinarySensorDeviceClass.RUNNING
    _attr_icon = "mdi:faucet"

    def __init__(self, home: LiveHome, fixture: str) -> None:
        """Follow the fixture's tap."""
        super().__init__(home, f"tap_{fixture}", f"{title(fixture)} tap", {("tap", fixture)})
        self._fixture = fixture

    @property
    def is_on(self) -> bool:
        """Whether the tap is open."""
        return self.home.taps[self._fixture].running

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """How the last person at this tap fared."""
        tap = self.home.taps[self._fixture]
        return {
            "draws": tap.draws,
            "last_wait_s": None if tap.last_wait_s is None else round(tap.last_wait_s, 1),
            "last_wasted_l": None if tap.last_wasted_l is None else round(tap.last_wasted_l, 2),
        }


class Burner(SimEntity, BinarySensorEntity):
    """The heater's burner (it fires only above its activation flow)."""

    _attr_icon = "mdi:fire"

    def __init__(self, home: LiveHome) -> None:
        """Follow the heater; it changes with the pump and the taps."""
        watch = {("actuator", PUMP)} | {("tap", f) for f in home.fixtures}
        watch |= {("sensor", f) for f in home.fixtures}
        super().__init__(home, "burner", "Heater burner", watch)

    @property
    def is_on(self) -> bool:
        """Whether the burner is on."""
        return self.home.heater_firing
