"""Binary sensors: "Hot water ready" per fixture, and the installation's problem sensor."""

from __future__ import annotations

from homeassistant.components.binary_sensor import (
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .compat import BinarySensorDeviceClass
from .coordinator import ZeroColdWaterConfigEntry, ZeroColdWaterCoordinator
from .engine import InstallationState
from .entity import ZeroColdWaterEntity, ZeroColdWaterFixtureEntity, async_add_platform_entities

PARALLEL_UPDATES = 0

READY = BinarySensorEntityDescription(key="ready", translation_key="ready")
PROBLEM = BinarySensorEntityDescription(key="problem", device_class=BinarySensorDeviceClass.PROBLEM)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ZeroColdWaterConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the problem sensor and each fixture's ready sensor."""
    async_add_platform_entities(entry, async_add_entities, _problem_sensor, _ready_sensor)


def _problem_sensor(coordinator: ZeroColdWaterCoordinator) -> list[Entity]:
    return [ProblemSensor(coordinator, PROBLEM)]


def _ready_sensor(coordinator: ZeroColdWaterCoordinator, fixture: str) -> list[Entity]:
    return [ReadySensor(coordinator, READY, fixture)]


class ReadySensor(ZeroColdWaterFixtureEntity, BinarySensorEntity):
    """On while the water at the fixture is hot."""

    @property
    def is_on(self) -> bool | None:
        """Ready (or a trusted lag-beating stop awaiting its sensor)."""
        fixture = self.fixture_snapshot
        return fixture.hot if fixture else None


class ProblemSensor(ZeroColdWaterEntity, BinarySensorEntity):
    """On while the installation is in fault."""

    @property
    def is_on(self) -> bool | None:
        """In fault."""
        snapshot = self.snapshot
        return snapshot.state is InstallationState.FAULT if snapshot else None
