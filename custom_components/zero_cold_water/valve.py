"""Valves: each fixture's solenoid valve, under the safety rules (opening it purges the fixture)."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .compat import ValveEntity, ValveEntityDescription, ValveEntityFeature
from .coordinator import ZeroColdWaterConfigEntry, ZeroColdWaterCoordinator
from .engine import ActuatorReading, TriggerReason
from .entity import ZeroColdWaterFixtureEntity, async_add_platform_entities

PARALLEL_UPDATES = 0

VALVE = ValveEntityDescription(key="valve", translation_key="valve", reports_position=False)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ZeroColdWaterConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a valve for each fixture that has one."""
    async_add_platform_entities(entry, async_add_entities, fixture=_valve)


def _valve(coordinator: ZeroColdWaterCoordinator, fixture: str) -> list[Entity]:
    if coordinator.actuators.valve(fixture) is None:
        return []
    return [FixtureValve(coordinator, VALVE, fixture)]


class FixtureValve(ZeroColdWaterFixtureEntity, ValveEntity):
    """Reports the wrapped valve; open purges the fixture through Start, close stops it."""

    _attr_supported_features = ValveEntityFeature.OPEN | ValveEntityFeature.CLOSE

    @property
    def available(self) -> bool:
        """Follows the wrapped valve."""
        return super().available and self._wrapped_available(
            self.coordinator.actuators.valve(self.fixture)
        )

    @property
    def is_closed(self) -> bool | None:
        """Closed as the device reports it."""
        fixture = self.fixture_snapshot
        if fixture is None or fixture.valve_reported in (None, ActuatorReading.UNAVAILABLE):
            return None
        return fixture.valve_reported is ActuatorReading.OFF

    @property
    def is_opening(self) -> bool | None:
        """Commanded open, not yet reported open."""
        fixture = self.fixture_snapshot
        return bool(
            fixture
            and fixture.valve_open_commanded
            and fixture.valve_reported is ActuatorReading.OFF
        )

    @property
    def is_closing(self) -> bool | None:
        """Commanded closed, still reported open."""
        fixture = self.fixture_snapshot
        return bool(
            fixture
            and fixture.valve_open_commanded is False
            and fixture.valve_reported is ActuatorReading.ON
        )

    async def async_open_valve(self) -> None:
        """Purge this fixture (the engine opens the valve when it is safe)."""
        await self._async_start((self.fixture,), TriggerReason.DASHBOARD)

    async def async_close_valve(self) -> None:
        """Stop this fixture's cycle (the engine closes the valve)."""
        await self.coordinator.async_stop_cycles((self.fixture,))
