"""Events: the installation's cycle outcomes, and each bound remote's presses."""

from __future__ import annotations

from homeassistant.components.event import EventEntity, EventEntityDescription
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import ZeroColdWaterConfigEntry, ZeroColdWaterCoordinator
from .devices import device_info
from .engine import CycleFinished, Outcome
from .entity import ZeroColdWaterEntity, async_add_platform_entities
from .remotes import RemoteAction, RemoteBinding

PARALLEL_UPDATES = 0

CYCLE = EventEntityDescription(
    key="cycle", translation_key="cycle", event_types=[outcome.value for outcome in Outcome]
)
REMOTE = EventEntityDescription(
    key="remote", translation_key="remote", event_types=list(RemoteAction.ALL)
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ZeroColdWaterConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the cycle event entity and each bound remote's event entity."""
    async_add_platform_entities(entry, async_add_entities, _cycle_event)
    coordinator = entry.runtime_data.coordinator
    for binding in coordinator.inputs.remotes:
        async_add_entities(
            [RemoteEvent(coordinator, REMOTE, binding)], config_subentry_id=binding.remote_id
        )


def _cycle_event(coordinator: ZeroColdWaterCoordinator) -> list[Entity]:
    return [CycleEvent(coordinator, CYCLE)]


class CycleEvent(ZeroColdWaterEntity, EventEntity):
    """Fires with the outcome as event type and the figures as attributes."""

    async def async_added_to_hass(self) -> None:
        """Listen for finished cycles."""
        await super().async_added_to_hass()
        self.async_on_remove(self.coordinator.reports.add_listener(self._async_cycle))

    @callback
    def _async_cycle(self, finished: CycleFinished) -> None:
        self._trigger_event(finished.outcome.value, self.coordinator.reports.payload(finished))
        self.async_write_ha_state()


class RemoteEvent(ZeroColdWaterEntity, EventEntity):
    """A bound remote's presses: start, stop or other, with the raw action as an attribute."""

    def __init__(
        self,
        coordinator: ZeroColdWaterCoordinator,
        description: EventEntityDescription,
        binding: RemoteBinding,
    ) -> None:
        """One per remote subentry, on the remote's own device."""
        super().__init__(coordinator, description)
        self.binding = binding
        self._attr_unique_id = f"{binding.remote_id}_{description.key}"
        # A device belongs to one subentry: the remote's, linked to the installation's.
        self._attr_device_info = device_info(
            coordinator.hass,
            coordinator.config_entry,
            binding.remote_id,
            installation_device_id=coordinator.installation_device_id,
        )

    async def async_added_to_hass(self) -> None:
        """Listen for presses of this remote."""
        await super().async_added_to_hass()
        self.async_on_remove(self.coordinator.inputs.add_remote_listener(self._async_pressed))

    @callback
    def _async_pressed(self, binding: RemoteBinding, action: str, meaning: str) -> None:
        if binding.remote_id != self.binding.remote_id:
            return
        fixtures = self.coordinator.fixtures(binding.fixtures or None)
        self._trigger_event(
            meaning,
            {
                "action": action,
                "source": binding.entity_id,
                "fixtures": [self.coordinator.fixture_name(f) for f in fixtures],
            },
        )
        self.async_write_ha_state()
