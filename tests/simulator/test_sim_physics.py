"""Validation of the simulator against physics.md's published figures (each within its tolerance)."""

from __future__ import annotations

import math

import pytest

from simulator import PIPE_KINDS, RHO_C, Pipe, SensorSpec
from simulator.home import SENSOR_LAGS
from simulator.sensors import Sensor

# physics.md table: 55->35 C minutes (bare, 20 C room), bare UA' W/(m K)
TABLE_55_35 = {
    "ppr20": 28,
    "ppr25": 36,
    "copper_half": 27,
    "copper_3q": 39,
    "pex_half": 24,
    "pex_3q": 34,
}


def _pipe(
    kind: str, *, length: float = 1.0, insulated: bool = False, initial: float = 55.0
) -> Pipe:
    return Pipe(
        name="p",
        kind=PIPE_KINDS[kind],
        length_m=length,
        insulated=insulated,
        room_c=20.0,
        initial_c=initial,
    )


def _minutes_to(pipe: Pipe, celsius: float) -> float:
    t = 0.0
    while pipe.temperature_at(0.5) > celsius:
        pipe.advance_still(5.0)
        t += 5.0
        assert t < 6 * 3600
    return t / 60.0


def test_bare_ppr20_cools_55_to_35_in_28_min() -> None:
    minutes = _minutes_to(_pipe("ppr20"), 35.0)
    assert minutes == pytest.approx(28.0, rel=0.15)


@pytest.mark.parametrize("kind", sorted(TABLE_55_35))
def test_every_bare_pipe_cools_55_to_35_as_the_table(kind: str) -> None:
    assert _minutes_to(_pipe(kind), 35.0) == pytest.approx(TABLE_55_35[kind], rel=0.15)


@pytest.mark.parametrize("kind", sorted(PIPE_KINDS))
def test_insulated_still_water_time_constant(kind: str) -> None:
    pipe = _pipe(kind, insulated=True)
    # T - Ta falls to 1/e of its start after tau (the slow mode dominates).
    minutes = _minutes_to(pipe, 20.0 + 35.0 / math.e)
    assert minutes == pytest.approx(PIPE_KINDS[kind].tau_insulated_min, rel=0.1)


def _steady_flow(pipe: Pipe, inlet_c: float, lpm: float, seconds: float, dt: float = 1.0) -> float:
    """Feed ``pipe`` at ``inlet_c``; return the mean outlet temperature over the last minute."""
    q = lpm / 60.0
    steps = int(seconds / dt)
    heat = 0.0
    vol = 0.0
    for i in range(steps):
        out = pipe.pop_outflow(q * dt)
        pipe.push_inflow([(q * dt, inlet_c)])
        pipe.exchange(dt)
        if i >= steps - int(60 / dt):
            heat += sum(v * t for v, t in out)
            vol += sum(v for v, _ in out)
    return heat / vol


@pytest.mark.parametrize(
    ("kind", "length", "lpm", "insulated"),
    [
        ("ppr20", 20.0, 1.0, False),
        ("ppr20", 8.0, 6.0, False),
        ("pex_3q", 30.0, 2.0, True),
        ("copper_half", 15.0, 0.5, False),
    ],
)
def test_steady_flow_outlet_matches_exponential(
    kind: str, length: float, lpm: float, insulated: bool
) -> None:
    k = PIPE_KINDS[kind]
    pipe = _pipe(kind, length=length, insulated=insulated, initial=20.0)
    t_res = pipe.volume_l / (lpm / 60.0)
    r_c = k.water_c_j_mk / k.ua_w_mk(insulated=insulated)  # R' C' (water), s
    expected = 20.0 + (55.0 - 20.0) * math.exp(-t_res / r_c)
    # long enough for the wall to reach its steady state (several wall time constants)
    outlet = _steady_flow(pipe, 55.0, lpm, seconds=max(6 * t_res, 3000.0))
    assert outlet == pytest.approx(expected, abs=0.2)


@pytest.mark.parametrize("kind", sorted(PIPE_KINDS))
def test_heat_loss_per_metre_at_35_k(kind: str) -> None:
    k = PIPE_KINDS[kind]
    for insulated in (False, True):
        pipe = _pipe(kind, length=4.0, insulated=insulated, initial=55.0)
        # hold the water at 55 C by a fast flow until the wall is steady, then measure
        _steady_flow(pipe, 55.0, 10.0, seconds=3000.0)
        before = pipe.lost_j
        mean_c = _steady_flow(pipe, 55.0, 10.0, seconds=600.0)
        w_per_m = (pipe.lost_j - before) / 600.0 / pipe.length_m
        w_per_m *= 35.0 / (mean_c - 20.0)
        table = (k.ua_bare_w_mk if not insulated else k.ua_w_mk(insulated=True)) * 35.0
        assert w_per_m == pytest.approx(table, rel=0.2)
        if insulated:
            assert 7.0 * 0.8 <= w_per_m <= 8.5 * 1.2
        else:
            assert 14.0 * 0.8 <= w_per_m <= 20.0 * 1.2


def test_wall_heat_capacity_ratios_match_physics() -> None:
    ratio = {n: k.wall_c_j_mk / k.water_c_j_mk for n, k in PIPE_KINDS.items()}
    assert ratio["copper_half"] == pytest.approx(0.26, abs=0.03)
    assert ratio["ppr20"] == pytest.approx(0.53, abs=0.03)
    assert all(0.2 <= r <= 0.55 for r in ratio.values())


def _step_times(lags: tuple[float, ...]) -> dict[float, float]:
    sensor = Sensor(
        name="s",
        spec=SensorSpec(ambient_coupling=0.0),
        lags=lags,
        initial_c=20.0,
        room_c=20.0,
        seed=1,
    )
    times: dict[float, float] = {}
    t = 0.0
    while len(times) < 3:
        sensor.advance(50.0, 0.25)
        t += 0.25
        frac = (sensor.true_reading() - 20.0) / 30.0
        for level in (0.1, 0.63, 0.9):
            if level not in times and frac >= level:
                times[level] = t
    return times


def test_ppr_sensor_reaches_63_percent_in_42_s() -> None:
    times = _step_times(SENSOR_LAGS["ppr"])
    assert times[0.63] == pytest.approx(42.0, rel=0.25)
    assert times[0.1] == pytest.approx(11.0, rel=0.25)
    assert times[0.9] == pytest.approx(87.0, rel=0.25)


def test_pex_sensor_is_faster() -> None:
    times = _step_times(SENSOR_LAGS["pex"])
    assert times[0.1] == pytest.approx(2.0, rel=0.3)
    assert times[0.63] == pytest.approx(9.0, rel=0.25)
    assert times[0.9] == pytest.approx(18.0, rel=0.25)


def test_cold_wall_cools_the_arriving_front() -> None:
    """A cold wall takes heat from the first hot water: the front arrives cooler."""

    def front(wall_c: float) -> float:
        pipe = _pipe("ppr20", length=8.0, initial=20.0)
        pipe.set_uniform(20.0, wall_c=wall_c)
        q = 0.1  # 6 L/min
        for _ in range(40):
            out = pipe.pop_outflow(q)
            pipe.push_inflow([(q, 50.0)])
            pipe.exchange(1.0)
            if out[-1][1] > 30.0:
                return out[-1][1]
        raise AssertionError("no hot water arrived")

    cold, warm = front(20.0), front(50.0)
    assert cold < warm - 2.0
    assert cold > 40.0


def test_front_mixing_spreads_the_front() -> None:
    def arrival(af: float) -> tuple[int, int]:
        pipe = Pipe(
            name="p",
            kind=PIPE_KINDS["ppr20"],
            length_m=10.0,
            insulated=True,
            room_c=50.0,
            initial_c=20.0,
            front_mixing=af,
        )
        pipe.lost_j = 0.0
        outs = []
        for _ in range(90):
            out = pipe.pop_outflow(0.05)
            pipe.push_inflow([(0.05, 50.0)])
            pipe.mix_front()
            pipe.exchange(0.5)
            outs.append(out[-1][1])
        first = next(i for i, t in enumerate(outs) if t > 21.0)
        full = next(i for i, t in enumerate(outs) if t > 45.0)
        return first, full

    plug = arrival(1.0)
    mixed = arrival(2.0)
    assert mixed[0] < plug[0]  # the first warm water comes earlier...
    assert mixed[1] > plug[1]  # ...and fully hot water later


def test_volume_and_heat_are_conserved_by_advection() -> None:
    pipe = _pipe("ppr25", length=5.0, initial=30.0)
    start_heat = pipe.stored_j()
    vol = pipe.water_volume()
    heat_in = 0.0
    heat_out = 0.0
    for i in range(200):
        v = 0.01 + 0.003 * (i % 7)
        t_in = 20.0 + i % 30
        out = pipe.pop_outflow(v, forward=i % 5 != 0)
        pipe.push_inflow([(v, t_in)], forward=i % 5 != 0)
        heat_in += v * t_in * RHO_C
        heat_out += sum(a * b for a, b in out) * RHO_C
        pipe.exchange(0.7)
    assert pipe.water_volume() == pytest.approx(vol, abs=1e-9)
    balance = start_heat + heat_in - heat_out - pipe.lost_j
    assert pipe.stored_j() == pytest.approx(balance, rel=1e-9)


def test_idle_jump_equals_many_small_steps() -> None:
    a = _pipe("ppr20", length=3.0, initial=50.0)
    b = _pipe("ppr20", length=3.0, initial=50.0)
    a.advance_still(3600.0)
    for _ in range(3600):
        b.advance_still(1.0)
    assert a.temperature_at(0.5) == pytest.approx(b.temperature_at(0.5), abs=1e-6)
    assert a.lost_j == pytest.approx(b.lost_j, rel=1e-6)
