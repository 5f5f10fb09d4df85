"""Base entities: one device per installation, one per fixture (via the installation)."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import callback
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .const import CONF_TOPOLOGY, DOMAIN
from .coordinator import MANUFACTURER, ZeroColdWaterCoordinator
from .devices import installation_model
from .engine import FixtureSnapshot, Snapshot, TriggerReason
from .errors import refusal_error
from .settings import fixture_subentries


class ZeroColdWaterEntity(CoordinatorEntity[ZeroColdWaterCoordinator]):
    """An entity of an installation (its device is the installation)."""

    _attr_has_entity_name = True

    def __init__(
        self, coordinator: ZeroColdWaterCoordinator, description: EntityDescription
    ) -> None:
        """Name and place the entity."""
        super().__init__(coordinator)
        self.entity_description = description
        entry = coordinator.config_entry
        self._attr_unique_id = f"{entry.entry_id}_{description.key}"
        self._attr_device_info = DeviceInfo(
            identifiers={(DOMAIN, entry.entry_id)},
            name=entry.title,
            manufacturer=MANUFACTURER,
            model=installation_model(coordinator.hass, entry.data[CONF_TOPOLOGY]),
        )

    _shown: tuple[Any, ...] | None = None

    @callback
    def _handle_coordinator_update(self) -> None:
        """Write the state only when what this entity shows changed.

        The engine pushes a snapshot after every event (a pipe-sensor report every few seconds
        per fixture); most entities show the same as before, and writing each of them again
        made an update cost ten times generic_thermostat's (see docs/safety.md, load and cost).
        """
        shown = (
            self.available,
            self.state,
            self.state_attributes,
            self.extra_state_attributes,
            self.icon,
        )
        if shown == self._shown:
            return
        self._shown = shown
        super()._handle_coordinator_update()

    @property
    def snapshot(self) -> Snapshot | None:
        """The engine's state as last pushed."""
        return self.coordinator.data

    @property
    def available(self) -> bool:
        """Available while the engine runs."""
        return super().available and self.coordinator.data is not None

    async def _async_start(self, fixtures: tuple[str, ...], reason: TriggerReason) -> None:
        """Start cycles; already heating, hot or waiting for the cooldown is success.

        Only a start that nothing came of raises, with the engine's reason translated.
        """
        result = await self.coordinator.async_start_cycles(fixtures, reason)
        if result.underway or result.finished or not result.refused:
            return
        raise refusal_error(self.coordinator, result.refused[0])


class ZeroColdWaterFixtureEntity(ZeroColdWaterEntity):
    """An entity of one fixture (its device is the fixture, via the installation)."""

    def __init__(
        self,
        coordinator: ZeroColdWaterCoordinator,
        description: EntityDescription,
        fixture: str,
    ) -> None:
        """Name and place the entity; ``fixture`` is the subentry id."""
        super().__init__(coordinator, description)
        self.fixture = fixture
        self._attr_unique_id = f"{fixture}_{description.key}"
        self._attr_device_info = coordinator.fixture_device_info(fixture)

    @property
    def fixture_snapshot(self) -> FixtureSnapshot | None:
        """The fixture's state as last pushed."""
        data = self.coordinator.data
        return data.fixtures.get(self.fixture) if data is not None else None

    @property
    def available(self) -> bool:
        """Available while the engine runs and knows the fixture."""
        return super().available and self.fixture_snapshot is not None


def fixture_ids(entry: ConfigEntry) -> list[str]:
    """The subentry ids of an entry's fixtures."""
    return [subentry_id for subentry_id, _ in fixture_subentries(entry)]
