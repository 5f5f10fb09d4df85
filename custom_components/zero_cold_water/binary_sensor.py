"""Binary sensors: "Hot water ready" per fixture, and the installation's problem sensor."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from homeassistant.components.binary_sensor import (
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .compat import BinarySensorDeviceClass
from .coordinator import ZeroColdWaterConfigEntry
from .engine import FixtureSnapshot, FixtureState, InstallationState, Snapshot
from .entity import (
    ZeroColdWaterEntity,
    ZeroColdWaterFixtureEntity,
    async_add_fixture_entities,
)

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class FixtureBinarySensorDescription(BinarySensorEntityDescription):
    """A fixture binary sensor and how it reads the engine."""

    is_on_fn: Callable[[FixtureSnapshot], bool]


@dataclass(frozen=True, kw_only=True)
class InstallationBinarySensorDescription(BinarySensorEntityDescription):
    """An installation binary sensor and how it reads the engine."""

    is_on_fn: Callable[[Snapshot], bool]


READY = FixtureBinarySensorDescription(
    key="ready",
    translation_key="ready",
    is_on_fn=lambda fixture: fixture.state is FixtureState.READY,
)
PROBLEM = InstallationBinarySensorDescription(
    key="problem",
    device_class=BinarySensorDeviceClass.PROBLEM,
    is_on_fn=lambda snapshot: snapshot.state is InstallationState.FAULT,
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ZeroColdWaterConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the problem sensor and each fixture's ready sensor."""
    async_add_entities([InstallationBinarySensor(entry.runtime_data.coordinator, PROBLEM)])
    async_add_fixture_entities(
        entry,
        async_add_entities,
        lambda coordinator, fixture: [FixtureBinarySensor(coordinator, READY, fixture)],
    )


class FixtureBinarySensor(ZeroColdWaterFixtureEntity, BinarySensorEntity):
    """A fixture's binary state."""

    entity_description: FixtureBinarySensorDescription

    @property
    def is_on(self) -> bool | None:
        """Read the engine."""
        fixture = self.fixture_snapshot
        return self.entity_description.is_on_fn(fixture) if fixture else None


class InstallationBinarySensor(ZeroColdWaterEntity, BinarySensorEntity):
    """The installation's binary state."""

    entity_description: InstallationBinarySensorDescription

    @property
    def is_on(self) -> bool | None:
        """Read the engine."""
        snapshot = self.snapshot
        return self.entity_description.is_on_fn(snapshot) if snapshot else None
