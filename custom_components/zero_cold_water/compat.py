"""Differences between the Home Assistant versions this integration supports (2025.4 onward).

Each shim names the version that made it necessary, so it can go when hacs.json's minimum passes it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
import importlib
import inspect
from typing import TYPE_CHECKING, Any, cast

# HA 2026.x defines these in submodules (binary_sensor/const.py, valve/entity.py) that the
# packages re-export only implicitly, which strict mypy rejects; HA 2025.4 defines them in the
# packages themselves. The import works at runtime in both; the ignore is for 2026.x's mypy.
from homeassistant.components.binary_sensor import (  # type: ignore[attr-defined, unused-ignore]
    BinarySensorDeviceClass,
)
from homeassistant.components.valve import (  # type: ignore[attr-defined, unused-ignore]
    ValveEntity,
    ValveEntityDescription,
    ValveEntityFeature,
)
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, ServiceCall
from homeassistant.helpers import service as service_helper
from homeassistant.helpers.device_registry import DeviceInfo

# HA 2026.x validates with probatio, a voluptuous-compatible library, and no longer ships
# voluptuous; older versions have only voluptuous.
if TYPE_CHECKING:
    import probatio as vol
else:
    try:
        import probatio as vol
    except ImportError:  # Home Assistant before probatio
        import voluptuous as vol

__all__ = [
    "BinarySensorDeviceClass",
    "ValveEntity",
    "ValveEntityDescription",
    "ValveEntityFeature",
    "async_extract_entity_ids",
    "child_device_info",
    "register_sentence_trigger",
    "vol",
]

# HA 2026.x links a child device by its parent's device id (``via_device_id``; ``via_device`` is
# deprecated there and goes in 2027.8); HA 2025.4 knows only ``via_device`` (a parent identifier).
VIA_DEVICE_ID = "via_device_id" in DeviceInfo.__optional_keys__


def child_device_info(
    info: dict[str, Any], parent_identifier: tuple[str, str], parent_device_id: str
) -> DeviceInfo:
    """Device info of a device linked to its parent, in the form this HA expects."""
    if VIA_DEVICE_ID:  # pragma: no cover - one lane only
        info["via_device_id"] = parent_device_id
    else:  # pragma: no cover - one lane only
        info["via_device"] = parent_identifier
    return cast("DeviceInfo", info)


async def async_extract_entity_ids(hass: HomeAssistant, call: ServiceCall) -> set[str]:
    """Entity ids a service call targets (entities, devices, areas, ...), groups expanded.

    HA 2025.4 takes ``(hass, call)``; HA 2026.x takes only ``(call)`` (the call carries hass).
    """
    extract: Any = service_helper.async_extract_entity_ids
    if "hass" in inspect.signature(extract).parameters:
        result: set[str] = await extract(hass, call)
    else:
        result = await extract(call)
    return result


def register_sentence_trigger(
    hass: HomeAssistant,
    sentences: list[str],
    answer: Callable[[Any, Any], Awaitable[str | None]],
) -> CALLBACK_TYPE:
    """Have Assist's default agent call ``answer`` for these sentences, before any intent.

    What an automation's sentence trigger uses. HA 2025.4 keeps these on the default agent
    (``hass.data``, set up with the conversation integration); later versions on the agent
    manager. Only call this once the conversation integration is set up.
    """
    agent_manager: Any = importlib.import_module(
        "homeassistant.components.conversation.agent_manager"
    )
    manager: Any = agent_manager.get_agent_manager(hass)
    if not hasattr(manager, "register_trigger"):  # pragma: no cover - HA 2025.4 only
        const: Any = importlib.import_module("homeassistant.components.conversation.const")
        manager = hass.data[const.DATA_DEFAULT_ENTITY]
    unregister: CALLBACK_TYPE = manager.register_trigger(sentences, answer)
    return unregister
