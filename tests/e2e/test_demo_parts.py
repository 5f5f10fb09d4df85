"""The demo's pure parts, without a browser: the real-time simulated home and the dashboard."""

from __future__ import annotations

from demo import dashboard
from demo.zcw_simulated_home.live import Change, LiveHome, with_draws_per_day
import simulator


def _home(**kwargs: object) -> LiveHome:
    return LiveHome(simulator.load_home("B"), seed=3, **kwargs)  # type: ignore[arg-type]


def test_commands_land_and_report_with_the_hardware_latency() -> None:
    home = _home(people=False)
    seen: list[Change] = []
    home.listeners.append(seen.extend)
    assert home.reported == {
        "pump": False,
        "valve:kitchen": False,
        "valve:basin": False,
        "valve:shower": False,
    }
    home.set_valve("kitchen", True)
    home.advance_to(0.5)
    assert home.commanded["valve:kitchen"] is True
    assert home.reported["valve:kitchen"] is False  # a sleepy valve: not yet
    home.advance_to(15.0)
    assert home.reported["valve:kitchen"] is True
    assert Change("actuator", "valve:kitchen") in seen


def test_sensors_lag_the_water_while_the_pump_runs() -> None:
    home = _home(people=False)
    home.advance_to(1.0)
    assert set(home.readings) == {"kitchen", "cold:kitchen", "basin", "shower"}
    home.set_valve("kitchen", True)
    home.set_pump(True)
    home.advance_to(40.0)
    assert home.water_c("kitchen") > 40.0  # hot water has arrived...
    assert home.readings["kitchen"] < 30.0  # ...and the strap-on sensor has barely noticed
    home.advance_to(150.0)
    assert home.readings["kitchen"] > 40.0


def test_drawing_water_runs_the_tap_until_the_person_is_done() -> None:
    home = _home(people=False)
    assert home.draw_water("basin", use_s=10.0)
    assert not home.draw_water("basin")  # already running
    assert home.taps["basin"].running
    home.advance_to(200.0)
    tap = home.taps["basin"]
    assert not tap.running
    assert tap.draws == 1
    assert tap.last_wait_s is not None
    assert tap.last_wasted_l is not None
    assert tap.last_wasted_l > 0


def test_people_keep_the_daily_rhythm_from_where_the_week_starts() -> None:
    home = _home(people=True, week_offset_s=7 * 3600.0)  # Monday 07:00
    first = home.sim.draws[0]
    assert first.start >= 60.0
    busy = LiveHome(with_draws_per_day(simulator.load_home("B"), 80, 90), seed=3)
    assert len(busy.sim.draws) > len(home.sim.draws)


def _entity(entity_id: str, platform: str, **extra: object) -> dict[str, object]:
    return {"entity_id": entity_id, "platform": platform, **extra}


def test_dashboard_has_a_card_per_fixture_and_the_temperatures() -> None:
    registry = [
        _entity(
            "switch.kitchen_hot_water",
            "zero_cold_water",
            config_entry_id="e1",
            config_subentry_id="s1",
        ),
        _entity(
            "binary_sensor.kitchen_hot_water_ready",
            "zero_cold_water",
            config_entry_id="e1",
            config_subentry_id="s1",
        ),
        _entity(
            "button.kitchen_heat_now",
            "zero_cold_water",
            config_entry_id="e1",
            config_subentry_id="s1",
        ),
        _entity("sensor.home_state", "zero_cold_water", config_entry_id="e1"),
        _entity("event.home_cycle", "zero_cold_water", config_entry_id="e1"),
        _entity("number.home_cooldown", "zero_cold_water", config_entry_id="e1"),
        _entity("sensor.hidden", "zero_cold_water", config_entry_id="e1", hidden_by="user"),
        _entity(
            "switch.recirculation_pump", "zcw_simulated_home", unique_id="zcw_simulated_home_b_pump"
        ),
        _entity(
            "sensor.kitchen_hot_pipe",
            "zcw_simulated_home",
            unique_id="zcw_simulated_home_b_kitchen",
        ),
        _entity(
            "sensor.kitchen_ro_inlet",
            "zcw_simulated_home",
            unique_id="zcw_simulated_home_b_cold_kitchen",
        ),
        _entity(
            "switch.kitchen_valve",
            "zcw_simulated_home",
            unique_id="zcw_simulated_home_b_valve_kitchen",
        ),
    ]
    registry.append(
        _entity(
            "event.kitchen_remote_presses",
            "zero_cold_water",
            config_entry_id="e1",
            config_subentry_id="r1",
        )
    )
    subentries = [
        {"subentry_id": "s1", "title": "Kitchen", "subentry_type": "fixture"},
        {"subentry_id": "r1", "title": "Kitchen remote", "subentry_type": "remote"},
    ]
    config = dashboard.build(registry, {"e1": subentries})
    cards = [card for section in config["views"][0]["sections"] for card in section["cards"]]
    by_title = {card.get("title"): card for card in cards}
    assert cards[0]["title"] == "Kitchen"
    assert by_title["Kitchen"]["entities"] == [
        "switch.kitchen_hot_water",
        "binary_sensor.kitchen_hot_water_ready",
        "button.kitchen_heat_now",
        "sensor.kitchen_hot_pipe",
    ]
    assert by_title["Installation"]["entities"] == [
        "sensor.home_state",
        "event.home_cycle",
        "event.kitchen_remote_presses",
    ]
    assert "Kitchen remote" not in by_title
    assert by_title["Tuning"]["entities"] == ["number.home_cooldown"]
    hardware = by_title["Simulated home: the hardware"]["entities"]
    assert hardware == ["switch.recirculation_pump", "switch.kitchen_valve"]
    graph = next(card for card in cards if card["type"] == "history-graph")
    assert graph["entities"] == ["sensor.kitchen_hot_pipe", "sensor.kitchen_ro_inlet"]
    logbook = next(card for card in cards if card["type"] == "logbook")
    assert logbook["target"]["entity_id"] == [
        "event.home_cycle",
        "event.kitchen_remote_presses",
        "binary_sensor.kitchen_hot_water_ready",
    ]


def test_dashboard_without_an_installation_shows_the_simulated_home() -> None:
    registry = [
        _entity(
            "switch.recirculation_pump", "zcw_simulated_home", unique_id="zcw_simulated_home_b_pump"
        ),
        _entity(
            "sensor.kitchen_hot_pipe",
            "zcw_simulated_home",
            unique_id="zcw_simulated_home_b_kitchen",
        ),
    ]
    config = dashboard.build(registry, {})
    cards = [card for section in config["views"][0]["sections"] for card in section["cards"]]
    assert cards[0]["title"] == "Simulated home: the hardware"
    assert cards[1]["entities"] == ["sensor.kitchen_hot_pipe"]
