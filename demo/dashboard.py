"""The demo's dashboard, built from the entity registry (so it follows whatever entities exist).

Pure data in, pure data out: `build(registry, subentries, simulated)` returns a Lovelace config.
Used by demo/bootstrap.py and by the browser test.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

INTEGRATION = "zero_cold_water"
SIMULATED = "zcw_simulated_home"

# Within a fixture, the order people look for things: the toggle, whether it is ready, the button.
_FIXTURE_ORDER = ("switch", "binary_sensor", "button", "valve", "sensor", "number", "select")
_INSTALLATION_ORDER = ("select", "switch", "sensor", "binary_sensor", "event", "button", "number")


def _rank(entity_id: str, order: Sequence[str]) -> tuple[int, str]:
    domain = entity_id.split(".", 1)[0]
    return (order.index(domain) if domain in order else len(order), entity_id)


def _visible(entries: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    return [e for e in entries if not e.get("disabled_by") and not e.get("hidden_by")]


def _ids(entries: Iterable[Mapping[str, Any]], order: Sequence[str]) -> list[str]:
    return sorted((str(e["entity_id"]) for e in entries), key=lambda i: _rank(i, order))


def _simulated(registry: Sequence[Mapping[str, Any]], fixture: str | None) -> dict[str, str]:
    """The simulated home's entity ids by role (for one fixture, or the home's own)."""
    out: dict[str, str] = {}
    for entry in registry:
        if entry.get("platform") != SIMULATED:
            continue
        unique = str(entry.get("unique_id", ""))
        _, _, key = unique.partition("_home_")  # zcw_simulated_home_<home>_<key>
        key = key.split("_", 1)[1] if "_" in key else key
        roles = {
            "pump": "pump",
            "burner": "burner",
            f"{fixture}": "hot_pipe",
            f"cold_{fixture}": "cold_sensor",
            f"true_{fixture}": "true_water",
            f"valve_{fixture}": "valve",
            f"tap_{fixture}": "tap",
            f"draw_{fixture}": "draw",
            f"remote_{fixture}": "remote",
            f"press_{fixture}": "press",
        }
        if key in roles:
            out[roles[key]] = str(entry["entity_id"])
    return out


def build(
    registry: Sequence[Mapping[str, Any]],
    subentries: Mapping[str, Sequence[Mapping[str, Any]]],
    *,
    title: str = "Zero Cold Water",
    hours_to_show: float = 1.0,
) -> dict[str, Any]:
    """A Lovelace config for every installation in ``registry`` and the simulated home.

    Entities cards (a toggle per switch, a "press" per button) work the same in every supported
    frontend. First a card per fixture: its "Hot water" switch, whether it is ready, "Heat now" and
    its other entities, and its pipe sensor; then the pipe temperatures over the last hour (sensors
    beside the simulator's true water, and the RO inlet); then the installation's state and
    statistics, the simulated hardware (pump, heater, valves, taps, remotes), the tunables, and
    the logbook of outcomes.

    Args:
        registry: the entity registry (`config/entity_registry/list`).
        subentries: per config entry id, its subentries (`config_entries/subentries/list`).
        title: the dashboard's title.
        hours_to_show: how far back the temperature graph reaches.
    """
    entries = _visible(registry)
    ours = [e for e in entries if e.get("platform") == INTEGRATION]
    fixtures: list[dict[str, Any]] = []
    cards: list[dict[str, Any]] = []
    history: list[str] = []
    logbook: list[str] = []
    hardware: list[str] = []
    for entry_id in sorted({str(e["config_entry_id"]) for e in ours}):
        own = [e for e in ours if e["config_entry_id"] == entry_id]
        kinds = {
            str(sub["subentry_id"]): sub.get("subentry_type", "fixture")
            for sub in subentries.get(entry_id, [])
        }
        # The installation's own entities, and those of subentries other than fixtures (remotes).
        whole = _ids(
            [e for e in own if kinds.get(str(e.get("config_subentry_id")), "") != "fixture"],
            _INSTALLATION_ORDER,
        )
        status = [i for i in whole if not i.startswith("number.")]
        tuning = [i for i in whole if i.startswith("number.")]
        cards.append(_entities("Installation", status))
        logbook.extend(i for i in whole if i.startswith("event."))
        sim = _simulated(registry, None)
        hardware.extend(sim[r] for r in ("pump", "burner") if r in sim)
        for subentry in subentries.get(entry_id, []):
            if subentry.get("subentry_type", "fixture") != "fixture":
                continue
            name = str(subentry["title"])
            fixture = [e for e in own if e.get("config_subentry_id") == subentry["subentry_id"]]
            ids = _ids(fixture, _FIXTURE_ORDER)
            sim = _simulated(registry, name.casefold().replace(" ", "_"))
            fixtures.append(_entities(name, ids + [sim[r] for r in ("hot_pipe",) if r in sim]))
            history.extend(sim[r] for r in ("hot_pipe", "true_water", "cold_sensor") if r in sim)
            logbook.extend(i for i in ids if i.startswith("binary_sensor."))
            hardware.extend(sim[r] for r in ("valve", "tap", "draw", "remote", "press") if r in sim)
        if tuning:
            cards.append(_entities("Tuning", tuning))
    if not ours:  # no installation yet: the simulated home alone
        sim_ids = _ids([e for e in entries if e.get("platform") == SIMULATED], _FIXTURE_ORDER)
        hardware = sim_ids
        history = [i for i in sim_ids if i.startswith("sensor.")]
    if hardware and ours:
        cards.insert(1, _entities("Simulated home: the hardware", hardware))
    elif hardware:
        fixtures.append(_entities("Simulated home: the hardware", hardware))
    cards = fixtures + cards
    sections: list[dict[str, Any]] = [{"type": "grid", "cards": [card]} for card in fixtures]
    if history:
        graph = {
            "type": "history-graph",
            "title": "Pipe temperatures: sensors, true water, RO inlet",
            "hours_to_show": hours_to_show,
            "entities": history,
            "grid_options": {"columns": "full"},
        }
        sections.append({"type": "grid", "column_span": 2, "cards": [graph]})
    sections.extend({"type": "grid", "cards": [card]} for card in cards[len(fixtures) :])
    if logbook:
        log = {
            "type": "logbook",
            "title": "Last outcomes",
            "hours_to_show": 24,
            "target": {"entity_id": logbook},
            "grid_options": {"columns": "full"},
        }
        sections.append({"type": "grid", "column_span": 2, "cards": [log]})
    return {
        "title": title,
        "views": [
            {
                "title": "Hot water",
                "path": "hot-water",
                "icon": "mdi:water-boiler",
                "type": "sections",
                "max_columns": 4,
                "sections": sections,
            }
        ],
    }


def _entities(title: str, entity_ids: list[str]) -> dict[str, Any]:
    return {
        "type": "entities",
        "title": title,
        "show_header_toggle": False,
        "state_color": True,
        "entities": entity_ids,
    }
