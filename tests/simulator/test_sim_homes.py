"""Home files: the schema, validation errors, JSON, bridges, the people generator."""

from __future__ import annotations

from dataclasses import replace
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

import simulator
from simulator import HomeError, generate_draws, home_from_dict, load_home
from simulator.homefile import HOMES_DIR


def _data(name: str = "b") -> dict[str, Any]:
    data = yaml.safe_load((HOMES_DIR / f"{name}.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_shipped_homes_load() -> None:
    assert simulator.home_names() == ["A", "B", "C"]
    for name in "ABC":
        home = load_home(name)
        assert home.name == name
        info = home.info()
        assert info.topology == home.topology
        assert {f.name for f in info.fixtures} == {f.name for f in home.fixtures}
    b = load_home("b").info()
    assert all(f.has_valve and f.cold_line_limit_c == 38.0 for f in b.fixtures)
    assert b.pump_flow_lpm == 8.0
    assert [f.has_cold_sensor for f in b.fixtures] == [True, False, False]
    c = load_home("C").info()
    assert not any(f.has_valve for f in c.fixtures)
    assert c.heater_setpoint_c == 55.0


def test_load_from_path_yaml_and_json(tmp_path: Path) -> None:
    data = _data("a")
    data["name"] = "mine"
    (tmp_path / "h.json").write_text(json.dumps(data), encoding="utf-8")
    (tmp_path / "h.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    assert load_home(tmp_path / "h.json") == load_home(str(tmp_path / "h.yaml"))
    assert load_home(tmp_path / "h.json").name == "mine"
    (tmp_path / "bad.yaml").write_text("- 1\n- 2\n", encoding="utf-8")
    with pytest.raises(HomeError, match="mapping"):
        load_home(tmp_path / "bad.yaml")
    with pytest.raises(HomeError, match="no home file"):
        load_home("Z")


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d.update(topology="loop"), "topology"),
        (lambda d: d.update(colour="red"), "unknown keys"),
        (lambda d: d["hot_pipes"][0].update(kind="lead"), "unknown pipe kind"),
        (lambda d: d["hot_pipes"][0].update(length_m=0), "length_m"),
        (lambda d: d["hot_pipes"][0].pop("kind"), "missing"),
        (lambda d: d["hot_pipes"][1].update(name="trunk1"), "unique"),
        (lambda d: d["hot_pipes"][1].update(to="kitchen"), "same node"),
        (lambda d: d["hot_pipes"][4].update(to="elsewhere"), "no pipe path"),
        (lambda d: d["fixtures"][0].update(kind="bidet"), "fixture kind"),
        (lambda d: d["fixtures"][0].update(tap_flow_lpm=0), "tap_flow_lpm"),
        (lambda d: d["fixtures"][0].update(valve={"kind": "magic"}), "valve kind"),
        (lambda d: d["fixtures"][0].update(valve=3), "mapping"),
        (lambda d: d["fixtures"][0].update(sensor={"pipe": "nope"}), "unknown pipe"),
        (lambda d: d["fixtures"][0].update(sensor={"colour": 1}), "unknown keys"),
        (lambda d: d["fixtures"][0].update(sensor=7), "mapping"),
        (lambda d: d["fixtures"][1].update(name="kitchen"), "unique"),
        (lambda d: d["fixtures"][0].pop("name"), "name"),
        (lambda d: d.update(fixtures=[]), "at least one fixture"),
        (lambda d: d.update(hot_pipes=[]), "at least one hot pipe"),
        (lambda d: d.update(front_mixing=2.5), "front_mixing"),
        (lambda d: d.pop("pump"), "needs a pump"),
        (lambda d: [f.pop("valve") for f in d["fixtures"]], "valve"),
        (lambda d: d["pump"].update(command_latency_s=[3, 1]), "min > max"),
        (lambda d: d["pump"].update(command_latency_s="slow"), "number or"),
        (
            lambda d: d["hot_pipes"].append(
                {"name": "x", "kind": "ppr20", "length_m": 1, "from": "a", "to": "heater"}
            ),
            "no pipe may end",
        ),
        (lambda d: d.update(topology="return_line"), "return_line"),
        (
            lambda d: d.update(
                topology="drain", fixtures=[{"name": f["name"]} for f in d["fixtures"]]
            ),
            "drain",
        ),
    ],
)
def test_invalid_homes_are_rejected(edit: Any, message: str) -> None:
    data = _data("b")
    edit(data)
    with pytest.raises(HomeError, match=message):
        home_from_dict(data)


def test_return_line_validation() -> None:
    data = _data("c")
    data["return_pipe"]["to"] = "t_kitchen"
    with pytest.raises(HomeError, match="must end at 'heater'"):
        home_from_dict(data)


def test_sensor_and_valve_options_parse() -> None:
    data = _data("a")
    fx = data["fixtures"][0]
    fx["sensor"] = {
        "lags_s": [1, 2],
        "faults": [{"at_s": 10, "duration_s": 5, "value": 85.0}],
        "report_delta_c": 1.0,
    }
    fx["valve"] = {"kind": "thermostatic", "close_c": 36, "flow_lpm": 5, "command_latency_s": 2}
    fx["cold_sensor"] = False
    home = home_from_dict(data)
    f = home.fixtures[0]
    assert f.sensor is not None
    assert f.sensor.lags_s == (1.0, 2.0)
    assert f.sensor.faults == ((10.0, 5.0, 85.0),)
    assert f.valve is not None
    assert f.valve.kind == "thermostatic"
    assert f.valve.command_latency_s == (2.0, 2.0)
    assert f.cold_sensor is None
    assert not home.info().fixtures[0].has_valve  # a passive bridge is not controllable


def test_with_bridge_puts_one_passive_bridge_at_the_farthest_fixture() -> None:
    home = load_home("B")
    assert home.with_bridge("solenoid") is home
    thermo = home.with_bridge("thermostatic")
    valves = {f.name: f.valve for f in thermo.fixtures}
    assert valves["kitchen"] is None
    assert valves["basin"] is None
    shower = valves["shower"]
    assert shower is not None
    assert shower.kind == "thermostatic"
    assert shower.close_c == 38.0
    assert load_home("C").with_bridge("check_valve") == load_home("C")


def test_draws_are_seeded_and_plausible() -> None:
    home = load_home("B")
    everything = generate_draws(home, 7, 3)
    assert everything == generate_draws(home, 7, 3)
    assert everything != generate_draws(home, 7, 4)
    a = [d for d in everything if not d.cold]
    cold = [d for d in everything if d.cold]
    clo, chi = home.people.cold_draws_per_day
    assert 7 * clo - 14 <= len(cold) <= 7 * chi
    assert all(d.trigger_at is None and d.flow_lpm == 6.0 for d in cold)
    # cold draws come from their own random stream: the hot draws do not change with them
    no_cold = replace(home, people=replace(home.people, cold_draws_per_day=(0, 0)))
    assert generate_draws(no_cold, 7, 3) == a
    lo, hi = home.people.draws_per_day
    per_day = [sum(1 for d in a if int(d.start // 86400) == day) for day in range(7)]
    assert all(lo - 2 <= n <= hi for n in per_day)
    assert [d.start for d in a] == sorted(d.start for d in a)
    for d in a:
        assert d.trigger_at is None or 0.0 <= d.trigger_at <= d.start
        assert d.fixture in {f.name for f in home.fixtures}
        assert d.use_s > 0
    showers = [d.use_s for d in a if d.fixture == "shower"]
    basins = [d.use_s for d in a if d.fixture == "basin"]
    assert min(showers) > max(basins)
    share = sum(1 for d in a if d.trigger_at is not None) / len(a)
    assert 0.3 < share < 0.8
    hours = [d.start % 86400 / 3600 for d in a]
    assert sum(1 for h in hours if h < 5.0) == 0  # nobody showers at 3 am


def test_documented_example_home_loads(tmp_path: Path) -> None:
    doc = (Path(__file__).parents[2] / "docs" / "homes.md").read_text(encoding="utf-8")
    block = doc.split("## Example", 1)[1].split("```yaml", 1)[1].split("```", 1)[0]
    path = tmp_path / "example.yaml"
    path.write_text(block, encoding="utf-8")
    home = load_home(path)
    assert home.name == "my-flat"
    assert home.hot_volume_l("basin") == pytest.approx(1.1, rel=0.01)


def test_start_measuring_forgets_the_figures_so_far() -> None:
    from bench.strategies.baseline import Timer
    from simulator import Simulation

    home = load_home("A")
    draws = generate_draws(home, 2.0, 1)
    sim = Simulation(home, Timer(), draws, seed=1)
    sim.run_until(86400.0)
    before = len(sim.draw_results)
    assert before > 0
    sim.start_measuring()
    assert sim.draw_results == []
    assert sim.measure_from == 86400.0
    sim.run_until(2 * 86400.0)
    result = sim.finish()
    assert result.duration_s == 86400.0
    assert all(d.start >= 86400.0 - 200.0 for d in result.draws)
    assert abs(result.energy.residual_j) < 0.01 * result.energy.heater_in_j + 1e3


def test_sections_set_to_none_or_false_are_absent() -> None:
    data = _data("a")
    data["topology"] = "drain"
    data["pump"] = None
    data["return_pipe"] = None
    fixture = data["fixtures"][0]
    fixture.update(sensor=False, cold_sensor=None, cold_line_limit_c=None)
    home = home_from_dict(data)
    assert home.pump is None
    assert home.return_pipe is None
    spec = home.fixtures[0]
    assert (spec.sensor, spec.cold_sensor, spec.cold_line_limit_c) == (None, None, None)
    fixture["valve"] = False
    with pytest.raises(HomeError, match="drain: at least one fixture needs a"):
        home_from_dict(data)
