"""Switches: "Hot water" per fixture, and the pump (on = purge every fixture)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from homeassistant.components.switch import SwitchEntity, SwitchEntityDescription
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import ZeroColdWaterConfigEntry
from .engine import FixtureSnapshot, FixtureState, Snapshot, TriggerReason
from .entity import (
    ZeroColdWaterEntity,
    ZeroColdWaterFixtureEntity,
    async_add_fixture_entities,
)
from .intent import suggest_alias

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class FixtureSwitchDescription(SwitchEntityDescription):
    """A fixture switch and how it reads the engine."""

    is_on_fn: Callable[[FixtureSnapshot], bool]


@dataclass(frozen=True, kw_only=True)
class InstallationSwitchDescription(SwitchEntityDescription):
    """An installation switch and how it reads the engine."""

    is_on_fn: Callable[[Snapshot], bool]


HOT_WATER = FixtureSwitchDescription(
    key="hot_water",
    translation_key="hot_water",
    is_on_fn=lambda fixture: fixture.state.underway or fixture.state is FixtureState.READY,
)
PUMP = InstallationSwitchDescription(
    key="pump",
    translation_key="pump",
    is_on_fn=lambda snapshot: any(f.state.underway for f in snapshot.fixtures.values()),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ZeroColdWaterConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the pump switch and each fixture's hot-water switch."""
    coordinator = entry.runtime_data.coordinator
    if coordinator.actuators.pump is not None:
        async_add_entities([PumpSwitch(coordinator, PUMP)])
    async_add_fixture_entities(
        entry,
        async_add_entities,
        lambda coordinator, fixture: [HotWaterSwitch(coordinator, HOT_WATER, fixture)],
    )


class HotWaterSwitch(ZeroColdWaterFixtureEntity, SwitchEntity):
    """On starts a cycle and stays on while heating or ready; off stops it."""

    entity_description: FixtureSwitchDescription

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
        return self.entity_description.is_on_fn(fixture) if fixture else None

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Start a cycle for this fixture."""
        await self._async_start((self.fixture,), TriggerReason.DASHBOARD)

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Stop this fixture's cycle."""
        await self.coordinator.async_stop_cycles((self.fixture,))


class PumpSwitch(ZeroColdWaterEntity, SwitchEntity):
    """The pump under the safety rules: on purges every fixture, off stops them all."""

    entity_description: InstallationSwitchDescription

    @property
    def available(self) -> bool:
        """Follows the wrapped pump."""
        return super().available and self._wrapped_available(self.coordinator.actuators.pump)

    @property
    def is_on(self) -> bool | None:
        """Whether any fixture is being heated."""
        snapshot = self.snapshot
        return self.entity_description.is_on_fn(snapshot) if snapshot else None

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Purge every fixture."""
        snapshot = self.snapshot
        names = tuple(snapshot.fixtures) if snapshot else ()
        await self._async_start(names, TriggerReason.DASHBOARD)

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Stop every cycle."""
        await self.coordinator.async_stop_cycles()
