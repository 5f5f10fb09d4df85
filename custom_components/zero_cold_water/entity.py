"""Base entities: one device per installation, one per fixture (via the installation)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from homeassistant.core import callback
from homeassistant.helpers.entity import Entity, EntityDescription
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .coordinator import ZeroColdWaterConfigEntry, ZeroColdWaterCoordinator
from .devices import device_info
from .engine import FixtureSnapshot, Snapshot, TriggerReason
from .errors import refusal_error
from .settings import fixture_subentries
from .states import usable


def async_add_platform_entities(
    entry: ZeroColdWaterConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
    installation: Callable[[ZeroColdWaterCoordinator], Iterable[Entity]] = lambda _: (),
    fixture: Callable[[ZeroColdWaterCoordinator, str], Iterable[Entity]] = lambda _c, _f: (),
) -> None:
    """Add a platform's installation entities, then each fixture's on the fixture's subentry."""
    coordinator = entry.runtime_data.coordinator
    async_add_entities(installation(coordinator))
    for subentry_id, _ in fixture_subentries(entry):
        async_add_entities(fixture(coordinator, subentry_id), config_subentry_id=subentry_id)


class ZeroColdWaterEntity(CoordinatorEntity[ZeroColdWaterCoordinator]):
    """An entity of an installation (its device is the installation)."""

    _attr_has_entity_name = True
    _shown: tuple[Any, ...] | None = None

    def __init__(
        self, coordinator: ZeroColdWaterCoordinator, description: EntityDescription
    ) -> None:
        """Name and place the entity."""
        super().__init__(coordinator)
        self.entity_description = description
        entry = coordinator.config_entry
        self._attr_unique_id = f"{entry.entry_id}_{description.key}"
        self._attr_device_info = device_info(coordinator.hass, entry)

    @callback
    def _handle_coordinator_update(self) -> None:
        """Write the state only when what this entity shows changed.

        Every engine event but a quiet reading publishes a snapshot; most entities show the same
        as before, and writing each again cost ten times generic_thermostat's per report (see
        docs/safety.md, load and cost). What is compared is all an update can change.
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

    def _wrapped_available(self, entity_id: str | None) -> bool:
        """Whether a wrapped entity (if any) is available."""
        return entity_id is None or usable(self.hass.states.get(entity_id))

    async def _async_start(self, fixtures: tuple[str, ...], reason: TriggerReason) -> None:
        """Start cycles; already heating, hot or waiting for the cooldown is success."""
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
        self._attr_device_info = device_info(
            coordinator.hass,
            coordinator.config_entry,
            fixture,
            installation_device_id=coordinator.installation_device_id,
        )

    @property
    def fixture_snapshot(self) -> FixtureSnapshot | None:
        """The fixture's state as last pushed."""
        data = self.coordinator.data
        return data.fixtures.get(self.fixture) if data is not None else None

    @property
    def available(self) -> bool:
        """Available while the engine runs and knows the fixture."""
        return super().available and self.fixture_snapshot is not None
