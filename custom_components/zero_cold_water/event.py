"""Event: the installation's cycle outcomes (one event per finished cycle)."""

from __future__ import annotations

from homeassistant.components.event import EventEntity, EventEntityDescription
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from . import ZeroColdWaterConfigEntry
from .coordinator import figures_dict
from .engine import CycleFinished, Outcome
from .entity import ZeroColdWaterEntity

PARALLEL_UPDATES = 0

CYCLE = EventEntityDescription(
    key="cycle", translation_key="cycle", event_types=[outcome.value for outcome in Outcome]
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ZeroColdWaterConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the cycle event entity."""
    async_add_entities([CycleEvent(entry.runtime_data.coordinator, CYCLE)])


class CycleEvent(ZeroColdWaterEntity, EventEntity):
    """Fires with the outcome as event type and the figures as attributes."""

    async def async_added_to_hass(self) -> None:
        """Listen for finished cycles."""
        await super().async_added_to_hass()
        self.async_on_remove(self.coordinator.add_cycle_listener(self._async_cycle))

    @callback
    def _async_cycle(self, finished: CycleFinished) -> None:
        self._trigger_event(
            finished.outcome.value,
            {
                "fixture": self.coordinator.fixture_name(finished.fixture),
                "device_id": self.coordinator.fixture_device_id(finished.fixture),
                **figures_dict(finished),
            },
        )
        self.async_write_ha_state()
