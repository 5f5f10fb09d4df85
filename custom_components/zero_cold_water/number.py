"""Numbers: the installation's tunables, stored in the entry's options."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from homeassistant.components.number import (
    NumberDeviceClass,
    NumberEntity,
    NumberEntityDescription,
    NumberMode,
)
from homeassistant.const import EntityCategory, UnitOfTemperature, UnitOfTime
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .const import (
    CONF_COLD_LINE_LIMIT,
    CONF_COOLDOWN,
    CONF_DAILY_PUMP_CAP,
    CONF_MAX_RUN,
    CONF_TARGET,
    COOLDOWN_RANGE,
    DAILY_PUMP_CAP_RANGE,
    DEFAULT_OPTIONS,
    DOMAIN,
    LIMIT_RANGE,
    MAX_RUN_RANGE,
    TARGET_RANGE,
    Topology,
)
from .coordinator import ZeroColdWaterConfigEntry, ZeroColdWaterCoordinator
from .entity import ZeroColdWaterEntity, async_add_platform_entities
from .options_flow import options_errors

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class TunableDescription(NumberEntityDescription):
    """A tunable and where it applies."""

    applies_fn: Callable[[Topology], bool]


def _always(_topology: Topology) -> bool:
    return True


_CELSIUS = (UnitOfTemperature.CELSIUS, NumberDeviceClass.TEMPERATURE)
_SECONDS = (UnitOfTime.SECONDS, NumberDeviceClass.DURATION)

TUNABLES: tuple[TunableDescription, ...] = tuple(
    TunableDescription(
        key=key,
        translation_key=key,
        native_min_value=bounds[0],
        native_max_value=bounds[1],
        native_step=step,
        native_unit_of_measurement=unit,
        device_class=device_class,
        mode=NumberMode.BOX,
        entity_category=EntityCategory.CONFIG,
        applies_fn=applies_fn,
    )
    for key, bounds, step, (unit, device_class), applies_fn in (
        (CONF_TARGET, TARGET_RANGE, 0.5, _CELSIUS, _always),
        (CONF_COLD_LINE_LIMIT, LIMIT_RANGE, 0.5, _CELSIUS, lambda t: t is Topology.COLD_LINE),
        (CONF_MAX_RUN, MAX_RUN_RANGE, 1, _SECONDS, _always),
        (CONF_COOLDOWN, COOLDOWN_RANGE, 1, _SECONDS, _always),
        (CONF_DAILY_PUMP_CAP, DAILY_PUMP_CAP_RANGE, 60, _SECONDS, lambda t: t.has_pump),
    )
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ZeroColdWaterConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the tunables that apply to this installation's topology."""
    async_add_platform_entities(entry, async_add_entities, _tunables)


def _tunables(coordinator: ZeroColdWaterCoordinator) -> list[Entity]:
    topology = coordinator.config_entry.runtime_data.topology
    return [
        TunableNumber(coordinator, description)
        for description in TUNABLES
        if description.applies_fn(topology)
    ]


class TunableNumber(ZeroColdWaterEntity, NumberEntity):
    """A tunable; setting it updates the entry's options (the engine takes them at once)."""

    entity_description: TunableDescription

    @property
    def native_value(self) -> float:
        """The value in force."""
        entry = self.coordinator.config_entry
        key = self.entity_description.key
        return float(entry.options.get(key, DEFAULT_OPTIONS[key]))

    async def async_set_native_value(self, value: float) -> None:
        """Validate like the options flow, then store."""
        entry = self.coordinator.config_entry
        options = {**DEFAULT_OPTIONS, **entry.options, self.entity_description.key: value}
        if errors := options_errors(entry, options):
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key=f"option_{next(iter(errors.values()))}",
                translation_placeholders={"value": f"{value:g}"},
            )
        self.hass.config_entries.async_update_entry(entry, options=options)
