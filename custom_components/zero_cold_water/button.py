"""Buttons: "Heat now" per fixture; "Reset usage profile" per installation."""

from __future__ import annotations

from homeassistant.components.button import ButtonEntity, ButtonEntityDescription
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import ZeroColdWaterConfigEntry, ZeroColdWaterCoordinator
from .engine import TriggerReason
from .entity import ZeroColdWaterEntity, ZeroColdWaterFixtureEntity, async_add_platform_entities

PARALLEL_UPDATES = 0


HEAT_NOW = ButtonEntityDescription(key="heat_now", translation_key="heat_now")
RESET_USAGE = ButtonEntityDescription(
    key="reset_usage", translation_key="reset_usage", entity_category=EntityCategory.CONFIG
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ZeroColdWaterConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the installation's reset button and each fixture's heat-now button."""
    async_add_platform_entities(entry, async_add_entities, _reset_button, _heat_now_button)


def _reset_button(coordinator: ZeroColdWaterCoordinator) -> list[Entity]:
    return [ResetUsageButton(coordinator, RESET_USAGE)]


def _heat_now_button(coordinator: ZeroColdWaterCoordinator, fixture: str) -> list[Entity]:
    return [HeatNowButton(coordinator, HEAT_NOW, fixture)]


class HeatNowButton(ZeroColdWaterFixtureEntity, ButtonEntity):
    """Start a cycle for the fixture."""

    async def async_press(self) -> None:
        """Start a cycle."""
        await self._async_start((self.fixture,), TriggerReason.BUTTON)


class ResetUsageButton(ZeroColdWaterEntity, ButtonEntity):
    """Forget the usage profile and pre-heat statistics (learned pipe volumes stay)."""

    async def async_press(self) -> None:
        """Start learning the household's habits afresh."""
        await self.coordinator.async_reset_usage()
