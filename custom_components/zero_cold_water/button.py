"""Buttons: "Heat now" per fixture."""

from __future__ import annotations

from dataclasses import dataclass

from homeassistant.components.button import ButtonEntity, ButtonEntityDescription
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from . import ZeroColdWaterConfigEntry
from .engine import TriggerReason
from .entity import ZeroColdWaterFixtureEntity, fixture_ids, raise_if_refused

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class FixtureButtonDescription(ButtonEntityDescription):
    """A fixture button."""

    reason: TriggerReason


HEAT_NOW = FixtureButtonDescription(
    key="heat_now", translation_key="heat_now", reason=TriggerReason.BUTTON
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ZeroColdWaterConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add each fixture's heat-now button."""
    coordinator = entry.runtime_data.coordinator
    for fixture in fixture_ids(entry):
        async_add_entities(
            [HeatNowButton(coordinator, HEAT_NOW, fixture)], config_subentry_id=fixture
        )


class HeatNowButton(ZeroColdWaterFixtureEntity, ButtonEntity):
    """Start a cycle for the fixture."""

    entity_description: FixtureButtonDescription

    async def async_press(self) -> None:
        """Start a cycle."""
        result = await self.coordinator.async_start_cycles(
            (self.fixture,), self.entity_description.reason
        )
        raise_if_refused(self.coordinator, result)
