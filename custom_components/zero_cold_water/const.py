"""Constants shared by the Zero Cold Water integration."""

from __future__ import annotations

from typing import Final

from .engine import Topology

DOMAIN: Final = "zero_cold_water"

# Installation (config entry) data: the plumbing, fixed or changed by reconfigure.
CONF_TOPOLOGY: Final = "topology"
CONF_PUMP: Final = "pump"
CONF_PUMP_FLOW: Final = "pump_flow_lpm"
CONF_JUNCTION_VALVE: Final = "junction_valve"
"""The supply/return junction valve of a return_line installation (optional)."""

# Installation options: the tunables (options flow and the number entities).
CONF_TARGET: Final = "target_c"
"""Default target temperature for new fixtures."""
CONF_COLD_LINE_LIMIT: Final = "cold_line_limit_c"
CONF_MAX_RUN: Final = "max_run_s"
CONF_COOLDOWN: Final = "cooldown_s"
CONF_DAILY_PUMP_CAP: Final = "daily_pump_cap_s"

# Fixture (config subentry) data.
SUBENTRY_FIXTURE: Final = "fixture"
CONF_SENSOR: Final = "sensor"
CONF_VALVE: Final = "valve"
CONF_COLD_SENSOR: Final = "cold_sensor"
CONF_TAP_FLOW: Final = "tap_flow_lpm"
CONF_VOLUME: Final = "volume_l"

# Remote (config subentry) data: a button, event or action entity that starts/stops fixtures.
SUBENTRY_REMOTE: Final = "remote"
CONF_REMOTE_ENTITY: Final = "remote_entity"
CONF_REMOTE_FIXTURES: Final = "fixtures"
"""The fixtures (subentry ids) a remote starts and stops; empty: every fixture."""
CONF_START_ON: Final = "start_on"
"""Event types / states that start; empty: any press that is not a stop."""
CONF_STOP_ON: Final = "stop_on"
REMOTE_DOMAINS: Final = ("event", "sensor", "binary_sensor", "input_button", "button")

PUMP_DOMAINS: Final = ("switch", "input_boolean")
VALVE_DOMAINS: Final = ("switch", "valve", "input_boolean")

DEFAULT_PUMP_FLOW: Final = 6.0
DEFAULT_TARGET: Final = 40.0
DEFAULT_COLD_LINE_LIMIT: Final = 45.0
DEFAULT_MAX_RUN: Final = 300.0
DEFAULT_COOLDOWN: Final = 15.0
DEFAULT_DAILY_PUMP_CAP: Final = 3.0 * 3600.0

DEFAULT_OPTIONS: Final = {
    CONF_TARGET: DEFAULT_TARGET,
    CONF_COLD_LINE_LIMIT: DEFAULT_COLD_LINE_LIMIT,
    CONF_MAX_RUN: DEFAULT_MAX_RUN,
    CONF_COOLDOWN: DEFAULT_COOLDOWN,
    CONF_DAILY_PUMP_CAP: DEFAULT_DAILY_PUMP_CAP,
}

# Ranges shared by the options flow, the number entities and the start service.
TARGET_RANGE: Final = (30.0, 75.0)
LIMIT_RANGE: Final = (30.0, 90.0)
MAX_RUN_RANGE: Final = (30.0, 1800.0)
COOLDOWN_RANGE: Final = (0.0, 600.0)
DAILY_PUMP_CAP_RANGE: Final = (600.0, 86400.0)
FLOW_RANGE: Final = (0.5, 60.0)
VOLUME_RANGE: Final = (0.05, 100.0)

EVENT_CYCLE: Final = "zero_cold_water_event"
"""Bus event fired for every finished cycle."""

SERVICE_START: Final = "start"
SERVICE_STOP: Final = "stop"
SERVICE_RESET_LEARNING: Final = "reset_learning"
ATTR_MAX_RUN_TIME: Final = "max_run_time"
ATTR_TARGET_TEMPERATURE: Final = "target_temperature"

__all__ = [
    "CONF_PUMP",
    "CONF_TOPOLOGY",
    "DOMAIN",
    "PUMP_DOMAINS",
    "Topology",
]
