"""Sensors: the installation's state and long-term totals; per fixture, diagnostic figures."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import (
    PERCENTAGE,
    EntityCategory,
    UnitOfEnergy,
    UnitOfTime,
    UnitOfVolume,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.typing import StateType

from .coordinator import ZeroColdWaterConfigEntry, ZeroColdWaterCoordinator
from .engine import FixtureSnapshot, InstallationState, Snapshot
from .entity import ZeroColdWaterEntity, ZeroColdWaterFixtureEntity, async_add_platform_entities

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class InstallationSensorDescription(SensorEntityDescription):
    """An installation sensor and how it reads the engine."""

    value_fn: Callable[[Snapshot], StateType]


@dataclass(frozen=True, kw_only=True)
class FixtureSensorDescription(SensorEntityDescription):
    """A fixture sensor and how it reads the engine."""

    value_fn: Callable[[FixtureSnapshot], StateType]


def _hit_rate(snapshot: Snapshot) -> StateType:
    rate = snapshot.prediction.hit_rate
    return None if rate is None else round(rate * 100.0, 1)


def _time_to_hot(fixture: FixtureSnapshot) -> StateType:
    last = fixture.last_cycle
    if last is None or last.figures.time_to_hot_s is None:
        return None
    return round(last.figures.time_to_hot_s, 1)


INSTALLATION_SENSORS: tuple[InstallationSensorDescription, ...] = (
    InstallationSensorDescription(
        key="state",
        translation_key="state",
        device_class=SensorDeviceClass.ENUM,
        options=[state.value for state in InstallationState],
        value_fn=lambda snapshot: snapshot.state.value,
    ),
    # Totals live in the learned data (persisted by the Store): they survive restarts as they are.
    InstallationSensorDescription(
        key="cycles",
        translation_key="cycles",
        state_class=SensorStateClass.TOTAL_INCREASING,
        value_fn=lambda snapshot: snapshot.totals.cycles,
    ),
    InstallationSensorDescription(
        key="pump_run_time",
        translation_key="pump_run_time",
        device_class=SensorDeviceClass.DURATION,
        state_class=SensorStateClass.TOTAL_INCREASING,
        native_unit_of_measurement=UnitOfTime.SECONDS,
        suggested_unit_of_measurement=UnitOfTime.MINUTES,
        suggested_display_precision=1,
        value_fn=lambda snapshot: round(snapshot.totals.pump_run_s, 1),
    ),
    InstallationSensorDescription(
        key="water_moved",
        translation_key="water_moved",
        device_class=SensorDeviceClass.WATER,
        state_class=SensorStateClass.TOTAL_INCREASING,
        native_unit_of_measurement=UnitOfVolume.LITERS,
        suggested_display_precision=1,
        value_fn=lambda snapshot: round(snapshot.totals.litres_moved, 3),
    ),
    InstallationSensorDescription(
        key="heat_moved",
        translation_key="heat_moved",
        device_class=SensorDeviceClass.ENERGY,
        state_class=SensorStateClass.TOTAL_INCREASING,
        native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        suggested_display_precision=3,
        value_fn=lambda snapshot: round(snapshot.totals.heat_moved_kwh, 5),
    ),
    # Predictive pre-heat: how often a draw found the water hot, and what it cost.
    InstallationSensorDescription(
        key="preheat_hit_rate",
        translation_key="preheat_hit_rate",
        native_unit_of_measurement=PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
        value_fn=_hit_rate,
    ),
    InstallationSensorDescription(
        key="preheats_today",
        translation_key="preheats_today",
        state_class=SensorStateClass.TOTAL_INCREASING,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda snapshot: snapshot.prediction.preheats_today,
    ),
    InstallationSensorDescription(
        key="wasted_preheats_today",
        translation_key="wasted_preheats_today",
        state_class=SensorStateClass.TOTAL_INCREASING,
        value_fn=lambda snapshot: snapshot.prediction.wasted_today,
    ),
)

FIXTURE_SENSORS: tuple[FixtureSensorDescription, ...] = (
    FixtureSensorDescription(
        key="time_to_hot",
        translation_key="time_to_hot",
        device_class=SensorDeviceClass.DURATION,
        native_unit_of_measurement=UnitOfTime.SECONDS,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=_time_to_hot,
    ),
    FixtureSensorDescription(
        key="transit_volume",
        translation_key="transit_volume",
        device_class=SensorDeviceClass.VOLUME,
        native_unit_of_measurement=UnitOfVolume.LITERS,
        suggested_display_precision=2,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda fixture: (
            None if fixture.learned_transit_l is None else round(fixture.learned_transit_l, 3)
        ),
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ZeroColdWaterConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the installation's sensors and each fixture's diagnostic sensors."""
    async_add_platform_entities(entry, async_add_entities, _sensors, _fixture_sensors)


def _sensors(coordinator: ZeroColdWaterCoordinator) -> list[Entity]:
    return [InstallationSensor(coordinator, description) for description in INSTALLATION_SENSORS]


def _fixture_sensors(coordinator: ZeroColdWaterCoordinator, fixture: str) -> list[Entity]:
    return [FixtureSensor(coordinator, description, fixture) for description in FIXTURE_SENSORS]


class InstallationSensor(ZeroColdWaterEntity, SensorEntity):
    """An installation sensor."""

    entity_description: InstallationSensorDescription

    @property
    def native_value(self) -> StateType:
        """The description's reading of the engine's snapshot."""
        snapshot = self.snapshot
        return self.entity_description.value_fn(snapshot) if snapshot else None


class FixtureSensor(ZeroColdWaterFixtureEntity, SensorEntity):
    """A fixture sensor."""

    entity_description: FixtureSensorDescription

    @property
    def native_value(self) -> StateType:
        """The description's reading of the fixture's snapshot."""
        fixture = self.fixture_snapshot
        return self.entity_description.value_fn(fixture) if fixture else None
