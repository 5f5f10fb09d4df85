"""Home files: a home read from YAML or JSON (schema: docs/homes.md), checked key by key.

A key a file leaves out keeps the default its spec in ``simulator.home`` declares; each section's
table below names its keys and how a value is read.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
import json
from pathlib import Path
from typing import Any, get_args

import yaml

from .control import Topology
from .home import (
    BridgeKind,
    FixtureKind,
    FixtureSpec,
    HeaterSpec,
    Home,
    HomeError,
    PeopleSpec,
    PipeSpec,
    PumpSpec,
    SensorSpec,
    ValveSpec,
    validate,
)
from .pipes import PIPE_KINDS

HOMES_DIR = Path(__file__).parent / "homes"

Readers = Mapping[str, Callable[[Any], Any]]
"""A section's keys, each with how its value is read."""


def home_names() -> list[str]:
    """The names of the homes shipped with the simulator (A, B, C)."""
    return sorted(p.stem.upper() for p in HOMES_DIR.glob("*.yaml"))


def load_home(path_or_name: str | Path) -> Home:
    """Load a shipped home by name ("A", "B", "C") or any home file (.yaml, .yml, .json)."""
    path = Path(path_or_name)
    if not path.exists():
        candidate = HOMES_DIR / f"{str(path_or_name).lower()}.yaml"
        if not candidate.exists():
            raise HomeError(f"no home file {path_or_name!r} (shipped: {home_names()})")
        path = candidate
    text = path.read_text(encoding="utf-8")
    data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    if not isinstance(data, dict):
        raise HomeError(f"{path}: expected a mapping at the top level")
    return home_from_dict(data)


def home_from_dict(data: Mapping[str, Any]) -> Home:
    """Build and validate a home from the parsed contents of a home file."""
    readers: Readers = {
        "name": str,
        "description": str,
        "topology": _same,
        "room_c": float,
        "mains_c": float,
        "front_mixing": float,
        "heater": _heater,
        "pump": _pump,
        "hot_pipes": lambda pipes: _pipes(pipes, "hot_pipes"),
        "cold_pipes": lambda pipes: _pipes(pipes, "cold_pipes"),
        "return_pipe": lambda pipe: None if pipe is None else _pipe(pipe, "return_pipe"),
        "fixtures": _fixtures,
        "people": _people,
    }
    _known(data, set(readers), "home")
    if data.get("topology") not in get_args(Topology):
        raise HomeError("home: topology must be return_line, cold_line or drain")
    home = Home(**({"name": "home", "hot_pipes": (), "fixtures": ()} | _read(data, readers)))
    validate(home)
    return home


def _same(value: Any) -> Any:
    return value


def _optional_float(value: Any) -> float | None:
    return None if value is None else float(value)


def _read(data: Mapping[str, Any], readers: Readers) -> dict[str, Any]:
    """The keys ``data`` gives, each read by its reader (a key left out keeps its default)."""
    return {key: read(data[key]) for key, read in readers.items() if key in data}


def _known(data: Mapping[str, Any], keys: set[str], what: str) -> None:
    unknown = set(data) - keys
    if unknown:
        raise HomeError(f"{what}: unknown keys {sorted(unknown)}")


def _pair(value: Any, what: str) -> tuple[float, float]:
    if isinstance(value, (int, float)):
        return (float(value), float(value))
    if isinstance(value, list) and len(value) == 2:
        lo, hi = float(value[0]), float(value[1])
        if lo > hi:
            raise HomeError(f"{what}: [min, max] with min > max")
        return (lo, hi)
    raise HomeError(f"{what}: expected a number or [min, max]")


def _count_pair(value: Any, what: str) -> tuple[int, int]:
    lo, hi = _pair(value, what)
    return (int(lo), int(hi))


def _heater(data: Mapping[str, Any]) -> HeaterSpec:
    keys = {"setpoint_c", "activation_lpm", "min_kw", "max_kw", "ignition_delay_s"}
    _known(data, keys, "heater")
    return HeaterSpec(**{k: float(v) for k, v in data.items()})


def _pump(data: Mapping[str, Any] | None) -> PumpSpec | None:
    if data is None:
        return None
    readers: Readers = {
        "flow_lpm": float,
        "power_w": float,
        "command_latency_s": lambda v: _pair(v, "pump"),
        "report_latency_s": lambda v: _pair(v, "pump"),
    }
    _known(data, set(readers), "pump")
    return PumpSpec(**_read(data, readers))


def _people(data: Mapping[str, Any]) -> PeopleSpec:
    readers: Readers = {
        "draws_per_day": lambda v: _count_pair(v, "people.draws_per_day"),
        "cold_draws_per_day": lambda v: _count_pair(v, "people.cold_draws_per_day"),
        "trigger_lead_median_s": float,
        "trigger_lead_max_s": float,
        "max_wait_s": float,
    }
    _known(data, set(readers), "people")
    return PeopleSpec(**_read(data, readers))


def _pipes(data: list[Mapping[str, Any]], section: str) -> tuple[PipeSpec, ...]:
    return tuple(_pipe(p, f"{section}[{i}]") for i, p in enumerate(data))


def _pipe(data: Mapping[str, Any], what: str) -> PipeSpec:
    _known(data, {"name", "kind", "length_m", "from", "to", "insulated"}, what)
    try:
        spec = PipeSpec(
            name=str(data["name"]),
            kind=str(data["kind"]),
            length_m=float(data["length_m"]),
            from_node=str(data["from"]),
            to_node=str(data["to"]),
            **({"insulated": bool(data["insulated"])} if "insulated" in data else {}),
        )
    except KeyError as err:
        raise HomeError(f"{what}: missing {err}") from err
    if spec.kind not in PIPE_KINDS:
        raise HomeError(f"{what}: unknown pipe kind {spec.kind!r} (one of {sorted(PIPE_KINDS)})")
    if spec.length_m <= 0:
        raise HomeError(f"{what}: length_m must be > 0")
    return spec


def _switch(data: Any, what: str) -> Mapping[str, Any] | None:
    """A section that may be a mapping or a flag: false (none) or true (all its defaults)."""
    if data is None or data is False:
        return None
    if data is True:
        return {}
    if not isinstance(data, dict):
        raise HomeError(f"{what}: expected a mapping, true or false")
    return data


def _sensor(data: Any, what: str) -> SensorSpec | None:
    section = _switch(data, what)
    if section is None:
        return None
    readers: Readers = dict.fromkeys(
        (
            "pipe",
            "at_m",
            "ambient_coupling",
            "noise_c",
            "resolution_c",
            "report_delta_c",
            "min_interval_s",
            "max_interval_s",
            "sample_s",
        ),
        _same,
    ) | {
        "lags_s": lambda lags: tuple(float(x) for x in lags),
        "faults": lambda faults: tuple(
            (float(f["at_s"]), float(f["duration_s"]), float(f["value"])) for f in faults
        ),
    }
    _known(section, set(readers), what)
    return SensorSpec(**_read(section, readers))


def _valve(data: Any, what: str) -> ValveSpec | None:
    section = _switch(data, what)
    if section is None:
        return None
    readers: Readers = {
        "kind": _same,
        "command_latency_s": lambda v: _pair(v, what),
        "report_latency_s": lambda v: _pair(v, what),
        "close_c": float,
        "flow_lpm": _optional_float,
        "cross_flow_share": float,
    }
    _known(section, set(readers), what)
    if "kind" in section and section["kind"] not in get_args(BridgeKind):
        raise HomeError(f"{what}: unknown valve kind {section['kind']!r}")
    return ValveSpec(**_read(section, readers))


def _fixtures(data: list[Mapping[str, Any]]) -> tuple[FixtureSpec, ...]:
    return tuple(_fixture(f, f"fixtures[{i}]") for i, f in enumerate(data))


def _fixture(data: Mapping[str, Any], what: str) -> FixtureSpec:
    readers: Readers = {
        "name": str,
        "kind": _same,
        "tap_flow_lpm": float,
        "target_c": float,
        "valve": lambda v: _valve(v, f"{what}.valve"),
        "sensor": lambda v: _sensor(v, f"{what}.sensor"),
        "cold_sensor": lambda v: _sensor(v, f"{what}.cold_sensor"),
        "cold_line_limit_c": _optional_float,
        "draw_weight": float,
        "trigger_probability": float,
    }
    _known(data, set(readers), what)
    if "name" not in data:
        raise HomeError(f"{what}: missing 'name'")
    if "kind" in data and data["kind"] not in get_args(FixtureKind):
        raise HomeError(f"{what}: unknown fixture kind {data['kind']!r}")
    return FixtureSpec(**_read(data, readers))
