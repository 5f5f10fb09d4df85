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
CONF_SENSOR_GRACE: Final = "sensor_grace_s"
"""How long a cycle goes on without a believed sensor when nothing else tells it when to stop."""
# Installation options: automatic cycles (keep-warm, presence and vacation, pre-heat, freezing).
SECTION_AUTOMATIC: Final = "automatic"
"""The options form's section holding them (stored flat in the options)."""
CONF_SCHEDULE: Final = "keep_warm_schedule"
"""A schedule (or input_boolean / binary_sensor) entity: keep-warm runs while it is on."""
CONF_PRESENCE: Final = "presence"
"""Entities that say whether someone is home (person, device_tracker, zone, binary_sensor,
input_boolean)."""
CONF_VACATION_AFTER: Final = "vacation_after_h"
CONF_KEEP_WARM_HYSTERESIS: Final = "keep_warm_hysteresis_k"
CONF_KEEP_WARM_INTERVAL: Final = "keep_warm_min_interval_min"
CONF_PREHEAT_LIMIT: Final = "preheat_daily_limit"
CONF_FREEZE_PROTECT: Final = "freeze_protect_c"
"""Circulate when a pipe falls below this (absent: off)."""
OPTIONAL_OPTIONS: Final = (CONF_SCHEDULE, CONF_PRESENCE, CONF_FREEZE_PROTECT)
"""Options that may be absent; clearing them in the form removes them."""

# Fixture (config subentry) data.
SUBENTRY_FIXTURE: Final = "fixture"
CONF_SENSOR: Final = "sensor"
CONF_VALVE: Final = "valve"
CONF_COLD_SENSOR: Final = "cold_sensor"
CONF_TAP_FLOW: Final = "tap_flow_lpm"
CONF_VOLUME: Final = "volume_l"
CONF_KEEP_WARM: Final = "keep_warm"
"""Kept hot in keep-warm mode and pre-heated in predictive mode (absent: yes)."""
CONF_DRAW_SENSOR: Final = "draw_sensor"
"""A binary sensor on while hot water is drawn here, or a numeric flow sensor (> 0: drawing)."""

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
SCHEDULE_DOMAINS: Final = ("schedule", "input_boolean", "binary_sensor")
PRESENCE_DOMAINS: Final = ("person", "device_tracker", "zone", "binary_sensor", "input_boolean")
DRAW_SENSOR_DOMAINS: Final = ("binary_sensor", "input_boolean", "sensor")

DEFAULT_PUMP_FLOW: Final = 6.0
DEFAULT_TARGET: Final = 40.0
DEFAULT_COLD_LINE_LIMIT: Final = 45.0
DEFAULT_MAX_RUN: Final = 300.0
DEFAULT_COOLDOWN: Final = 15.0
DEFAULT_DAILY_PUMP_CAP: Final = 3.0 * 3600.0
DEFAULT_SENSOR_GRACE: Final = 45.0
DEFAULT_VACATION_AFTER: Final = 24.0
DEFAULT_KEEP_WARM_HYSTERESIS: Final = 5.0
DEFAULT_KEEP_WARM_INTERVAL: Final = 30.0
DEFAULT_PREHEAT_LIMIT: Final = 6

DEFAULT_OPTIONS: Final = {
    CONF_TARGET: DEFAULT_TARGET,
    CONF_COLD_LINE_LIMIT: DEFAULT_COLD_LINE_LIMIT,
    CONF_MAX_RUN: DEFAULT_MAX_RUN,
    CONF_COOLDOWN: DEFAULT_COOLDOWN,
    CONF_DAILY_PUMP_CAP: DEFAULT_DAILY_PUMP_CAP,
    CONF_SENSOR_GRACE: DEFAULT_SENSOR_GRACE,
    CONF_VACATION_AFTER: DEFAULT_VACATION_AFTER,
    CONF_KEEP_WARM_HYSTERESIS: DEFAULT_KEEP_WARM_HYSTERESIS,
    CONF_KEEP_WARM_INTERVAL: DEFAULT_KEEP_WARM_INTERVAL,
    CONF_PREHEAT_LIMIT: DEFAULT_PREHEAT_LIMIT,
}

# Ranges shared by the options flow, the number entities and the start service.
TARGET_RANGE: Final = (30.0, 75.0)
LIMIT_RANGE: Final = (30.0, 90.0)
MAX_RUN_RANGE: Final = (30.0, 1800.0)
COOLDOWN_RANGE: Final = (0.0, 600.0)
DAILY_PUMP_CAP_RANGE: Final = (600.0, 86400.0)
SENSOR_GRACE_RANGE: Final = (10.0, 300.0)
FLOW_RANGE: Final = (0.5, 60.0)
VOLUME_RANGE: Final = (0.05, 100.0)
VACATION_AFTER_RANGE: Final = (1.0, 336.0)
"""Hours away before vacation (up to two weeks)."""
HYSTERESIS_RANGE: Final = (1.0, 20.0)
KEEP_WARM_INTERVAL_RANGE: Final = (5.0, 720.0)
"""Minutes between keep-warm starts of one fixture."""
PREHEAT_LIMIT_RANGE: Final = (0, 24)
FREEZE_PROTECT_RANGE: Final = (1.0, 15.0)

EVENT_CYCLE: Final = "zero_cold_water_event"
"""Bus event fired for every finished cycle."""

SERVICE_START: Final = "start"
SERVICE_STOP: Final = "stop"
SERVICE_RESET_LEARNING: Final = "reset_learning"
ATTR_MAX_RUN_TIME: Final = "max_run_time"
ATTR_TARGET_TEMPERATURE: Final = "target_temperature"
ATTR_FORGET: Final = "forget"
"""reset_learning: what to forget (one of RESET_SCOPES)."""
RESET_PIPE_VOLUMES: Final = "pipe_volumes"
RESET_USAGE_PROFILE: Final = "usage_profile"
RESET_ALL: Final = "all"
RESET_SCOPES: Final = (RESET_PIPE_VOLUMES, RESET_USAGE_PROFILE, RESET_ALL)

__all__ = [
    "CONF_PUMP",
    "CONF_TOPOLOGY",
    "DOMAIN",
    "PUMP_DOMAINS",
    "Topology",
]
