"""Zero Cold Water: on-demand hot-water recirculation (零冷水) for Home Assistant."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import EVENT_HOMEASSISTANT_STOP, Platform
from homeassistant.core import Event, HomeAssistant
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.typing import ConfigType

from .availability import async_log_availability
from .const import (
    CONF_SCHEDULE,
    CONF_TOPOLOGY,
    DEFAULT_OPTIONS,
    DEFAULT_PUMP_FLOW,
    DOMAIN,
    Topology,
)
from .coordinator import ZeroColdWaterConfigEntry, ZeroColdWaterCoordinator, ZeroColdWaterData
from .issues import async_follow_registry, check_wrapped, delete_issues
from .services import async_setup_services
from .settings import presence_entities, tracked_entities, unhide_entities, wrapped_entities
from .storage import InstallationStore
from .voice import async_setup_voice

PLATFORMS: list[Platform] = [
    Platform.BINARY_SENSOR,
    Platform.BUTTON,
    Platform.EVENT,
    Platform.NUMBER,
    Platform.SELECT,
    Platform.SENSOR,
    Platform.SWITCH,
    Platform.VALVE,
]

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)

__all__ = ["ZeroColdWaterConfigEntry", "ZeroColdWaterData"]


def _reload_key(entry: ConfigEntry) -> Any:
    return (
        dict(entry.data),
        {sid: (sub.title, dict(sub.data)) for sid, sub in entry.subentries.items()},
        # The entities the automatic cycles follow: a new one needs a new subscription.
        entry.options.get(CONF_SCHEDULE),
        tuple(presence_entities(entry.options)),
    )


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the services and voice sentences (they follow whichever installations load)."""
    async_setup_services(hass)
    async_setup_voice(hass)
    return True


async def async_migrate_entry(hass: HomeAssistant, entry: ZeroColdWaterConfigEntry) -> bool:
    """Migrate 1.1 entries (topology and pump only) to 1.2 (pump flow, tunables)."""
    if entry.version > 1:
        return False
    # Only 1.1 gets here (HA does not migrate newer minor versions down).
    data = dict(entry.data)
    if Topology(data[CONF_TOPOLOGY]).has_pump:
        data.setdefault("pump_flow_lpm", DEFAULT_PUMP_FLOW)
    hass.config_entries.async_update_entry(
        entry,
        data=data,
        options={**DEFAULT_OPTIONS, **entry.options},
        minor_version=2,
    )
    return True


async def async_setup_entry(hass: HomeAssistant, entry: ZeroColdWaterConfigEntry) -> bool:
    """Set up an installation: the engine, its entities, the wrapped hardware hidden."""
    coordinator = ZeroColdWaterCoordinator(hass, entry)
    check_wrapped(hass, entry)
    await coordinator.async_start()
    entry.runtime_data = ZeroColdWaterData(
        topology=Topology(entry.data[CONF_TOPOLOGY]),
        coordinator=coordinator,
        reload_key=_reload_key(entry),
    )
    entry.async_on_unload(entry.add_update_listener(_async_update_listener))
    entry.async_on_unload(
        async_log_availability(
            hass, entry.title, [item.entity_id for item in tracked_entities(entry)]
        )
    )

    async def _on_stop(_event: Event) -> None:
        await coordinator.async_stop()

    # Not listen_once: unloading after the stop event must not unsubscribe a spent listener.
    entry.async_on_unload(hass.bus.async_listen(EVENT_HOMEASSISTANT_STOP, _on_stop))
    if hass.is_stopping:  # set up (a reload) while Home Assistant stops: the stop event is gone
        await coordinator.async_stop()
    entry.async_on_unload(async_follow_registry(hass, entry))
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    # With the event entity listening: a cycle a crash cut short is recorded now.
    coordinator.async_report_interrupted()
    return True


async def async_unload_entry(hass: HomeAssistant, entry: ZeroColdWaterConfigEntry) -> bool:
    """Unload an installation: the hardware safe first, then everything else."""
    await entry.runtime_data.coordinator.async_stop()
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_entry(hass: HomeAssistant, entry: ZeroColdWaterConfigEntry) -> None:
    """The installation is gone: show the wrapped entities again, forget stored data."""
    unhide_entities(hass, [w.entity_id for w in wrapped_entities(entry)])
    delete_issues(hass, entry.entry_id)
    await InstallationStore(hass, entry, lambda: None).async_remove()


async def _async_update_listener(hass: HomeAssistant, entry: ZeroColdWaterConfigEntry) -> None:
    """Options alone go straight to the engine; anything else reloads the installation."""
    data = entry.runtime_data
    old = {w.entity_id for w in data.coordinator.inputs.wrapped}
    new = {w.entity_id for w in wrapped_entities(entry)}
    unhide_entities(hass, sorted(old - new))
    if _reload_key(entry) != data.reload_key:
        hass.config_entries.async_schedule_reload(entry.entry_id)
    else:
        await data.coordinator.async_apply_settings()
