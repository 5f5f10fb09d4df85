"""The engine's refusals as translated errors that say which rule and what to do."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.exceptions import ServiceValidationError
from homeassistant.util import dt as dt_util

from .const import DOMAIN
from .engine import JUNCTION, ActuatorReading, RefusalReason, Refused
from .engine.topology import cycle_valve

if TYPE_CHECKING:
    from .coordinator import ZeroColdWaterCoordinator


def _duration(seconds: float) -> str:
    """``3 h``, ``90 min``: how the daily pump limit reads in a message."""
    if seconds >= 3600 and seconds % 3600 == 0:
        return f"{seconds / 3600:g} h"
    return f"{seconds / 60:g} min"


def _unavailable(coordinator: ZeroColdWaterCoordinator, refused: Refused) -> str:
    """The pump or valves (entity ids) that made a start impossible."""
    controller = coordinator.controller
    snapshot = controller.snapshot() if controller is not None else None
    if snapshot is None:
        return ""
    if snapshot.pump_reported is ActuatorReading.UNAVAILABLE and coordinator.pump_entity:
        return coordinator.pump_entity
    assert controller is not None  # noqa: S101 - a snapshot came from it
    found: list[str] = []
    for fixture in refused.fixtures:
        valve = cycle_valve(controller.settings, fixture)
        entity = coordinator.valve_entity(valve) if valve is not None else None
        if valve == JUNCTION or entity is not None:
            found.append(entity or valve or "")
    return ", ".join(dict.fromkeys(found))


def refusal_error(
    coordinator: ZeroColdWaterCoordinator, refused: Refused, *, target_c: float | None = None
) -> ServiceValidationError:
    """The translated error for a refused start: the rule that forbids it, and what to do."""
    placeholders = {
        "fixtures": ", ".join(coordinator.fixture_name(name) for name in refused.fixtures),
        "installation": coordinator.config_entry.title,
    }
    match refused.reason:
        case RefusalReason.DAILY_CAP_REACHED:
            controller = coordinator.controller
            cap = controller.settings.daily_pump_cap_s if controller is not None else 0.0
            placeholders["cap"] = _duration(cap)
            retry = refused.retry_at
            placeholders["retry_at"] = (
                dt_util.as_local(dt_util.utc_from_timestamp(retry)).strftime("%H:%M")
                if retry is not None
                else "-"
            )
        case RefusalReason.ACTUATOR_UNAVAILABLE:
            placeholders["devices"] = _unavailable(coordinator, refused)
        case RefusalReason.TARGET_ABOVE_LIMIT:
            placeholders["target"] = f"{target_c:g}" if target_c is not None else "-"
            placeholders["limit"] = f"{refused.limit_c:g}" if refused.limit_c is not None else "-"
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key=f"refused_{refused.reason.value}",
        translation_placeholders=placeholders,
    )
