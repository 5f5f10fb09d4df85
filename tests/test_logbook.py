"""The logbook line of each cycle outcome."""

from __future__ import annotations

from collections.abc import Callable

from homeassistant.core import Event, HomeAssistant
import pytest

from custom_components.zero_cold_water.const import DOMAIN, EVENT_CYCLE
from custom_components.zero_cold_water.logbook import async_describe_events


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"fixture": "Kitchen", "outcome": "ready", "time_to_hot_s": 12.5},
            "hot water ready after 12.5 s",
        ),
        ({"fixture": "Kitchen", "outcome": "ready", "time_to_hot_s": None}, "hot water ready"),
        ({"fixture": "Basin", "outcome": "already_hot"}, "water was already hot"),
        ({"fixture": "Basin", "outcome": "timed_out"}, "hot water did not arrive in time"),
        ({"fixture": "Basin", "outcome": "stopped"}, "hot water cycle stopped"),
        (
            {"fixture": "Basin", "outcome": "stopped", "end_reason": "restarted"},
            "hot water cycle stopped (Home Assistant did not stop cleanly)",
        ),
        ({"fixture": "Basin", "outcome": "fault"}, "hot water cycle stopped by a fault"),
        (
            {"fixture": "Basin", "outcome": "fault", "end_reason": "sensor_lost"},
            "hot water cycle stopped by a fault (the temperature sensor was lost)",
        ),
        (
            {
                "fixture": "Shower",
                "outcome": "ready",
                "time_to_hot_s": 20,
                "end_reason": "purge_complete",
            },
            "hot water ready after 20 s (by the pipe volume, not a sensor)",
        ),
        ({"fixture": "Basin", "outcome": "new"}, "hot water cycle ended (new)"),
        (
            {"fixture": "Kitchen", "outcome": "ready", "time_to_hot_s": 9, "trigger": "keep_warm"},
            "hot water ready after 9 s (keep warm)",
        ),
        (
            {"fixture": "Kitchen", "outcome": "already_hot", "trigger": "prediction"},
            "water was already hot (pre-heat)",
        ),
        (
            {"fixture": "Shower", "outcome": "stopped", "trigger": "freeze"},
            "hot water cycle stopped (freeze protection)",
        ),
        ({"fixture": "Shower", "outcome": "ready", "trigger": "button"}, "hot water ready"),
    ],
)
def test_describe(hass: HomeAssistant, data: dict[str, object], message: str) -> None:
    described: dict[tuple[str, str], Callable[[Event], dict[str, str]]] = {}

    def register(domain: str, event_type: str, describe: Callable[[Event], dict[str, str]]) -> None:
        described[(domain, event_type)] = describe

    async_describe_events(hass, register)
    entry = described[(DOMAIN, EVENT_CYCLE)](Event(EVENT_CYCLE, data))
    assert entry == {"name": data["fixture"], "message": message}
