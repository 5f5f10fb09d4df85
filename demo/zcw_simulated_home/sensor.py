"""The simulated pipe sensors (lagging, quantised, reporting by threshold) and the true water."""

from __future__ import annotations

from homeassistant.components.sensor import SensorDeviceClass, SensorEntity, SensorStateClass
from homeassistant.const import UnitOfTemperature
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddEntitiesCallback
from homeassistant.helpers.typing import ConfigType, DiscoveryInfoType

from simulator.control import PUMP, cold_sensor

from .entity import SimEntity, live_home, title
from .live import LiveHome


async def async_setup_platform(
    hass: HomeAssistant,
    config: ConfigType,
    async_add_entities: AddEntitiesCallback,
    discovery_info: DiscoveryInfoType | None = None,
) -> None:
    """Add a hot-pipe sensor per fixture, the cold-line sensors, and the true water temperature."""
    if discovery_info is None:
        return
    home = live_home(hass)
    entities: list[SensorEntity] = [
        PipeSensor(home, fixture, f"{title(fixture)} hot pipe", "mdi:thermometer-water")
        for fixture in home.fixtures
    ]
    entities.extend(
        PipeSensor(
            home, cold_sensor(fixture), f"{title(fixture)} RO inlet", "mdi:water-thermometer"
        )
        for fixture in home.cold_sensors
    )
    entities.extend(TrueWater(home, fixture) for fixture in home.fixtures)
    async_add_entities(entities)


class _Temperature(SimEntity, SensorEntity):
    _attr_device_class = SensorDeviceClass.TEMPERATURE
    _attr_state_class = SensorStateClass.MEASUREMENT
    _attr_native_unit_of_measurement = UnitOfTemperature.CELSIUS
    _attr_suggested_display_precision = 1


class PipeSensor(_Temperature):
    """A strap-on pipe sensor as it reports over the radio."""

    def __init__(self, home: LiveHome, sensor: str, name: str, icon: str) -> None:
        """Wrap the simulator's sensor ``sensor`` (a fixture name, or "cold:<fixture>")."""
        super().__init__(home, sensor.replace(":", "_"), name, {("sensor", sensor)})
        self._sensor = sensor
        self._attr_icon = icon

    @property
    def available(self) -> bool:
        """Unavailable until the first report."""
        return self._sensor in self.home.readings

    @property
    def native_value(self) -> float | None:
        """The last reported reading."""
        return self.home.readings.get(self._sensor)


class TrueWater(_Temperature):
    """The water at the end of a fixture's hot pipe, without any sensor lag (the simulator knows).

    Not hardware a home has: it is there to show, beside the pipe sensor, how far the sensor lags.
    """

    _attr_icon = "mdi:water"
    _attr_entity_registry_enabled_default = True

    def __init__(self, home: LiveHome, fixture: str) -> None:
        """Follow the fixture's water; it updates with the fixture's sensor reports."""
        super().__init__(
            home,
            f"true_{fixture}",
            f"{title(fixture)} water (simulated truth)",
            {("sensor", fixture), ("tap", fixture), ("actuator", PUMP)},
        )
        self._fixture = fixture

    @property
    def native_value(self) -> float:
        """The water temperature now, rounded as a good instrument would show it."""
        return round(self.home.water_c(self._fixture), 1)
