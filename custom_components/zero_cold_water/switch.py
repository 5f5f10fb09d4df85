"""Switches: "Hot water" per fixture, and the pump (on = purge every fixture)."""

from __future__ import annotations

from typing import Any

from homeassistant.components.switch import SwitchEntity, SwitchEntityDescription
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import ZeroColdWaterConfigEntry, ZeroColdWaterCoordinator
from .engine import FixtureState, TriggerReason
from .entity import ZeroColdWaterEntity, ZeroColdWaterFixtureEntity, async_add_platform_entities
from .intent import suggest_alias

PARALLEL_UPDATES = 0

HOT_WATER = SwitchEntityDescription(key="hot_water", translation_key="hot_water")
PUMP = SwitchEntityDescription(key="pump", translation_key="pump")


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ZeroColdWaterConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the pump switch (with a pump) and each fixture's hot-water switch."""
    async_add_platform_entities(entry, async_add_entities, _pump_switch, _hot_water_switch)


def _pump_switch(coordinator: ZeroColdWaterCoordinator) -> list[Entity]:
    return [PumpSwitch(coordinator, PUMP)] if coordinator.actuators.pump is not None else []


def _hot_water_switch(coordinator: ZeroColdWaterCoordinator, fixture: str) -> list[Entity]:
    return [HotWaterSwitch(coordinator, HOT_WATER, fixture)]


class HotWaterSwitch(ZeroColdWaterFixtureEntity, SwitchEntity):
    """On starts a cycle and stays on while heating or ready; off stops it."""

    async def async_added_to_hass(self) -> None:
        """Registered: a CJK name gets a spoken alias without spaces (see intent.py)."""
        await super().async_added_to_hass()
        if self.registry_entry is not None and isinstance(self.name, str):
            suggest_alias(
                self.hass,
                self.entity_id,
                f"{self.coordinator.fixture_name(self.fixture)} {self.name}",
            )

    @property
    def is_on(self) -> bool | None:
        """Heating or ready."""
        fixture = self.fixture_snapshot
        if fixture is None:
            return None
        return fixture.state.underway or fixture.state is FixtureState.READY

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Start a cycle for this fixture."""
        await self._async_start((self.fixture,), TriggerReason.DASHBOARD)

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Stop this fixture's cycle."""
        await self.coordinator.async_stop_cycles((self.fixture,))


class PumpSwitch(ZeroColdWaterEntity, SwitchEntity):
    """The pump under the safety rules: on purges every fixture, off stops them all."""

    @property
    def available(self) -> bool:
        """Follows the wrapped pump."""
        return super().available and self._wrapped_available(self.coordinator.actuators.pump)

    @property
    def is_on(self) -> bool | None:
        """Whether any fixture is being heated."""
        snapshot = self.snapshot
        if snapshot is None:
            return None
        return any(fixture.state.underway for fixture in snapshot.fixtures.values())

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Purge every fixture."""
        snapshot = self.snapshot
        names = tuple(snapshot.fixtures) if snapshot else ()
        await self._async_start(names, TriggerReason.DASHBOARD)

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Stop every cycle."""
        await self.coordinator.async_stop_cycles()
