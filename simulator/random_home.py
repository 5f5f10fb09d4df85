"""Random but plausible homes within physics.md's ranges, for property tests."""

from __future__ import annotations

import random

from .control import Topology
from .home import (
    FixtureKind,
    FixtureSpec,
    HeaterSpec,
    Home,
    PeopleSpec,
    PipeSpec,
    PumpSpec,
    SensorSpec,
    ValveSpec,
    validate,
)

_PLASTIC = ("ppr20", "pex_half")
_TRUNK = ("ppr20", "ppr25", "pex_half", "pex_3q", "copper_half", "copper_3q")


def random_home(seed: int, *, topology: Topology | None = None) -> Home:
    """A random but plausible home within physics.md's ranges (for property tests)."""
    rng = random.Random(seed)  # noqa: S311 - a simulation, not cryptography
    topologies: tuple[Topology, ...] = ("return_line", "cold_line", "drain")
    topo: Topology = topology if topology is not None else rng.choice(topologies)
    insulated = rng.random() < 0.3
    trunk_kind = rng.choice(_TRUNK)
    trunk_len = round(rng.uniform(4.0, 30.0 if topo == "return_line" else 15.0), 1)
    n_fix = rng.randint(1, 3)
    kinds: list[FixtureKind] = ["shower", "basin", "kitchen"]
    rng.shuffle(kinds)
    hot: list[PipeSpec] = [
        PipeSpec(
            name="trunk",
            kind=trunk_kind,
            length_m=trunk_len,
            from_node="heater",
            to_node="tee",
            insulated=insulated,
        )
    ]
    cold: list[PipeSpec] = [
        PipeSpec(
            name="cold_trunk",
            kind=trunk_kind,
            length_m=trunk_len,
            from_node="mains",
            to_node="ctee",
        )
    ]
    fixtures: list[FixtureSpec] = []
    room = round(rng.uniform(10.0, 25.0), 1)
    limit = 38.0 if topo == "cold_line" else None
    for i in range(n_fix):
        fname = f"f{i}"
        bkind = rng.choice(_PLASTIC)
        blen = round(rng.uniform(0.5, 4.0), 1)
        hot.append(
            PipeSpec(
                name=f"branch_{i}",
                kind=bkind,
                length_m=blen,
                from_node="tee",
                to_node=fname,
                insulated=insulated,
            )
        )
        cold.append(
            PipeSpec(
                name=f"cold_branch_{i}", kind=bkind, length_m=blen, from_node="ctee", to_node=fname
            )
        )
        has_valve = topo != "return_line" and (i == 0 or rng.random() < 0.5)
        fixtures.append(
            FixtureSpec(
                name=fname,
                kind=kinds[i],
                tap_flow_lpm=round(rng.uniform(5.0, 9.0), 1),
                valve=ValveSpec() if has_valve else None,
                sensor=SensorSpec(
                    pipe="trunk" if topo == "return_line" else None,
                    at_m=trunk_len if topo == "return_line" else None,
                ),
                cold_sensor=SensorSpec() if topo == "cold_line" and i == 0 else None,
                cold_line_limit_c=limit,
            )
        )
    ret = None
    if topo == "return_line":
        ret = PipeSpec(
            name="return",
            kind="pex_half",
            length_m=trunk_len,
            from_node="tee",
            to_node="heater",
            insulated=insulated,
        )
    lo = rng.randint(8, 20)
    home = Home(
        name=f"random-{seed}",
        description="random home within physics.md ranges",
        topology=topo,
        room_c=room,
        mains_c=round(rng.uniform(8.0, min(room, 20.0)), 1),
        front_mixing=round(rng.uniform(1.0, 1.5), 2),
        heater=HeaterSpec(
            setpoint_c=float(rng.choice((45, 50, 55))),
            activation_lpm=round(rng.uniform(1.5, 3.0), 1),
        ),
        pump=None if topo == "drain" else PumpSpec(flow_lpm=round(rng.uniform(4.0, 10.0), 1)),
        hot_pipes=tuple(hot),
        cold_pipes=tuple(cold),
        return_pipe=ret,
        fixtures=tuple(fixtures),
        people=PeopleSpec(
            draws_per_day=(lo, lo + rng.randint(0, 10)),
            cold_draws_per_day=(0, rng.randint(0, 10)),
        ),
    )
    validate(home)
    return home
