"""Select: the installation's mode (kept in the Store, so it survives restarts).

Off, on demand, keep warm ("cruise"), predictive and vacation; the engine switches keep-warm and
predictive to vacation after a long absence, and back on return (the select follows).
"""

from __future__ import annotations

from homeassistant.components.select import SelectEntity, SelectEntityDescription
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import ZeroColdWaterConfigEntry, ZeroColdWaterCoordinator
from .engine import Mode
from .entity import ZeroColdWaterEntity, async_add_platform_entities

PARALLEL_UPDATES = 0

MODE = SelectEntityDescription(
    key="mode", translation_key="mode", options=[mode.value for mode in Mode]
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ZeroColdWaterConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the mode select."""
    async_add_platform_entities(entry, async_add_entities, _mode_select)


def _mode_select(coordinator: ZeroColdWaterCoordinator) -> list[Entity]:
    return [ModeSelect(coordinator, MODE)]


class ModeSelect(ZeroColdWaterEntity, SelectEntity):
    """The mode: what starts cycles besides a request."""

    @property
    def current_option(self) -> str | None:
        """The engine's mode."""
        snapshot = self.snapshot
        return snapshot.mode.value if snapshot else None

    async def async_select_option(self, option: str) -> None:
        """Switch mode (off stops every cycle)."""
        await self.coordinator.async_set_mode(Mode(option))
