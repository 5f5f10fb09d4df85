"""Pipes: a Lagrangian (parcel) model of water in plug flow over a fixed grid of wall cells.

Water is a sequence of parcels ``[volume_l, celsius]`` ordered from the pipe's inlet (index 0) to
its outlet (index -1); advection moves whole parcels, so it is exact and has no numerical
diffusion. The pipe wall is a fixed row of cells, each a heat capacity that exchanges heat with the
water above it through ``ri`` and with the room through ``ro`` (the two-node model of physics.md).
A parcel is never larger than one wall cell, so the water sees the wall's temperature profile.

A pipe that is still (no flow) is regularised to one parcel per cell; each cell's water and wall
then evolve by the exact solution of the linear two-node system, so idle hours are jumped
analytically in one step of any length.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
import math

RHO_C = 4180.0
"""Volumetric heat capacity of water, J/(L K)."""

Piece = tuple[float, float]
"""A volume of water in transit: (litres, celsius)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class PipeKind:
    """A pipe type from physics.md's table (20 C room)."""

    name: str
    litres_per_m: float
    ua_bare_w_mk: float
    """Bare heat-loss coefficient per metre, W/(m K)."""
    tau_bare_min: float
    """Still-water cooling time constant, bare."""
    tau_insulated_min: float
    """Still-water cooling time constant with 13 mm insulation."""
    ri_mk_w: float
    """Resistance water -> wall node per metre (film + half the wall for plastic), m K/W."""

    @property
    def water_c_j_mk(self) -> float:
        """Heat capacity of the water per metre, J/(m K)."""
        return self.litres_per_m * RHO_C

    @property
    def wall_c_j_mk(self) -> float:
        """Heat capacity of the wall per metre, from tau = (C_water' + C_wall') * R'."""
        return self.tau_bare_min * 60.0 * self.ua_bare_w_mk - self.water_c_j_mk

    def ua_w_mk(self, *, insulated: bool) -> float:
        """Heat-loss coefficient per metre, W/(m K)."""
        if not insulated:
            return self.ua_bare_w_mk
        return (self.water_c_j_mk + self.wall_c_j_mk) / (self.tau_insulated_min * 60.0)


PIPE_KINDS: dict[str, PipeKind] = {
    k.name: k
    for k in (
        PipeKind(
            name="ppr20",
            litres_per_m=0.137,
            ua_bare_w_mk=0.44,
            tau_bare_min=33,
            tau_insulated_min=68,
            ri_mk_w=0.16,
        ),
        PipeKind(
            name="ppr25",
            litres_per_m=0.216,
            ua_bare_w_mk=0.53,
            tau_bare_min=42,
            tau_insulated_min=93,
            ri_mk_w=0.16,
        ),
        PipeKind(
            name="copper_half",
            litres_per_m=0.150,
            ua_bare_w_mk=0.41,
            tau_bare_min=32,
            tau_insulated_min=67,
            ri_mk_w=0.03,
        ),
        PipeKind(
            name="copper_3q",
            litres_per_m=0.312,
            ua_bare_w_mk=0.57,
            tau_bare_min=46,
            tau_insulated_min=107,
            ri_mk_w=0.02,
        ),
        PipeKind(
            name="pex_half",
            litres_per_m=0.119,
            ua_bare_w_mk=0.39,
            tau_bare_min=29,
            tau_insulated_min=58,
            ri_mk_w=0.12,
        ),
        PipeKind(
            name="pex_3q",
            litres_per_m=0.235,
            ua_bare_w_mk=0.53,
            tau_bare_min=41,
            tau_insulated_min=92,
            ri_mk_w=0.12,
        ),
    )
}
"""The pipe catalogue (physics.md, "A pipe, physically")."""


class _Propagator:
    """Exact solution of the still two-node cell (water <-> wall <-> room) over a time step."""

    __slots__ = ("_cache", "a11", "a12", "a21", "a22", "l1", "l2")

    def __init__(self, c1: float, c2: float, gi: float, go: float) -> None:
        # d/dt [x1, x2] = A [x1, x2] with x = T - T_room.
        self.a11 = -gi / c1
        self.a12 = gi / c1
        self.a21 = gi / c2
        self.a22 = -(gi + go) / c2
        tr = self.a11 + self.a22
        det = self.a11 * self.a22 - self.a12 * self.a21
        disc = math.sqrt(max(tr * tr / 4.0 - det, 0.0))
        self.l1 = tr / 2.0 + disc
        self.l2 = tr / 2.0 - disc
        self._cache: dict[float, tuple[float, float, float, float]] = {}

    def matrix(self, dt: float) -> tuple[float, float, float, float]:
        """Return exp(A dt) as (m11, m12, m21, m22)."""
        m = self._cache.get(dt)
        if m is not None:
            return m
        e1 = math.exp(self.l1 * dt)
        e2 = math.exp(self.l2 * dt)
        # Sylvester: exp(At) = (e1 (A - l2 I) - e2 (A - l1 I)) / (l1 - l2)
        d = self.l1 - self.l2
        m11 = (e1 * (self.a11 - self.l2) - e2 * (self.a11 - self.l1)) / d
        m12 = (e1 - e2) * self.a12 / d
        m21 = (e1 - e2) * self.a21 / d
        m22 = (e1 * (self.a22 - self.l2) - e2 * (self.a22 - self.l1)) / d
        m = (m11, m12, m21, m22)
        if len(self._cache) < 256:
            self._cache[dt] = m
        return m


class Pipe:
    """One pipe: parcels of water over wall cells, losing heat to a room at ``room_c``.

    Flow is signed: positive moves water from the inlet end to the outlet end.
    """

    __slots__ = (
        "_exchange_cache",
        "_prop",
        "_regular",
        "c_cell_wall",
        "c_cell_water",
        "cell_vol",
        "gi",
        "go",
        "kind",
        "length_m",
        "lost_j",
        "mix_vol",
        "n",
        "name",
        "parcels",
        "room_c",
        "volume_l",
        "wall",
    )

    def __init__(
        self,
        *,
        name: str,
        kind: PipeKind,
        length_m: float,
        insulated: bool,
        room_c: float,
        initial_c: float,
        front_mixing: float = 1.0,
        cell_length_m: float = 0.25,
        max_cells: int = 48,
    ) -> None:
        """Create a pipe full of still water at ``initial_c`` (wall likewise)."""
        if length_m <= 0:
            raise ValueError(f"pipe {name}: length must be > 0")
        self.name = name
        self.kind = kind
        self.length_m = length_m
        self.room_c = room_c
        self.volume_l = kind.litres_per_m * length_m
        self.n = max(2, min(max_cells, math.ceil(length_m / cell_length_m)))
        self.cell_vol = self.volume_l / self.n
        cell_len = length_m / self.n
        self.c_cell_water = self.cell_vol * RHO_C
        self.c_cell_wall = kind.wall_c_j_mk * cell_len
        ua = kind.ua_w_mk(insulated=insulated)
        ro = 1.0 / ua - kind.ri_mk_w
        self.gi = cell_len / kind.ri_mk_w
        self.go = cell_len / ro
        self.mix_vol = max(0.0, (front_mixing - 1.0) / 2.0) * self.volume_l
        self.parcels: deque[list[float]] = deque([self.cell_vol, initial_c] for _ in range(self.n))
        self.wall = [initial_c] * self.n
        self._regular = True
        self._prop = _Propagator(self.c_cell_water, self.c_cell_wall, self.gi, self.go)
        self._exchange_cache: dict[float, tuple[float, float]] = {}
        self.lost_j = 0.0

    # ----------------------------------------------------------------- reading
    def temperature_at(self, fraction: float) -> float:
        """Water temperature at ``fraction`` (0 = inlet, 1 = outlet) of the pipe's volume."""
        target = min(max(fraction, 0.0), 1.0) * self.volume_l
        if target >= self.volume_l - 1e-12:
            return self.parcels[-1][1]
        pos = 0.0
        for v, t in self.parcels:
            pos += v
            if pos >= target:
                return t
        return self.parcels[-1][1]

    def stored_j(self) -> float:
        """Heat stored in water and wall, relative to 0 C."""
        water = sum(v * t for v, t in self.parcels) * RHO_C
        return water + sum(self.wall) * self.c_cell_wall

    def water_volume(self) -> float:
        """Litres of water in the pipe (equals ``volume_l`` up to rounding)."""
        return sum(p[0] for p in self.parcels)

    def max_water_c(self) -> float:
        """Hottest water in the pipe."""
        return max(p[1] for p in self.parcels)

    # --------------------------------------------------------------- advection
    def pop_outflow(self, volume: float, *, forward: bool = True) -> list[Piece]:
        """Remove ``volume`` litres from the downstream end; return them in the order they leave."""
        out: list[Piece] = []
        parcels = self.parcels
        remaining = volume
        while remaining > 1e-12 and parcels:
            p = parcels[-1] if forward else parcels[0]
            if p[0] <= remaining + 1e-12:
                out.append((p[0], p[1]))
                remaining -= p[0]
                if forward:
                    parcels.pop()
                else:
                    parcels.popleft()
            else:
                out.append((remaining, p[1]))
                p[0] -= remaining
                remaining = 0.0
        if remaining > 1e-9:
            raise RuntimeError(f"pipe {self.name}: outflow {volume} L exceeds its contents")
        self._regular = False
        return out

    def push_inflow(self, pieces: list[Piece], *, forward: bool = True) -> None:
        """Add ``pieces`` (in the order they enter) at the upstream end."""
        parcels = self.parcels
        cap = self.cell_vol
        for vol, temp in pieces:
            remaining = vol
            while remaining > 1e-12:
                head = parcels[0] if forward else parcels[-1]
                room = cap - head[0]
                if room > 1e-12 and abs(head[1] - temp) < 0.02:
                    take = min(room, remaining)
                    head[1] = (head[1] * head[0] + temp * take) / (head[0] + take)
                    head[0] += take
                    remaining -= take
                    continue
                take = min(cap, remaining)
                if forward:
                    parcels.appendleft([take, temp])
                else:
                    parcels.append([take, temp])
                remaining -= take
        self._regular = False

    def mix_front(self, *, forward: bool = True) -> None:
        """Mix the downstream ``mix_vol`` litres (front mixing, AF/PV = 1 + 2 * mix_vol / V)."""
        if self.mix_vol <= 0.0:
            return
        parcels = self.parcels
        idx = range(len(parcels) - 1, -1, -1) if forward else range(len(parcels))
        vol = 0.0
        heat = 0.0
        chosen: list[list[float]] = []
        for i in idx:
            p = parcels[i]
            chosen.append(p)
            vol += p[0]
            heat += p[0] * p[1]
            if vol >= self.mix_vol:
                break
        mean = heat / vol
        for p in chosen:
            p[1] = mean

    # ------------------------------------------------------------------ heat
    def _exchange_factors(self, dt: float) -> tuple[float, float]:
        f = self._exchange_cache.get(dt)
        if f is None:
            rate = self.gi / self.c_cell_water + self.gi / self.c_cell_wall
            f = (1.0 - math.exp(-rate * dt), math.exp(-self.go / self.c_cell_wall * dt))
            if len(self._exchange_cache) < 256:
                self._exchange_cache[dt] = f
        return f

    def exchange(self, dt: float) -> None:
        """Exchange heat water <-> wall <-> room over ``dt`` s for the current parcel layout."""
        if self._regular:
            self.advance_still(dt)
            return
        relax, decay = self._exchange_factors(dt)
        cap = self.cell_vol
        wall = self.wall
        cw = self.c_cell_wall
        last = self.n - 1
        cell = 0
        cell_end = cap
        pos = 0.0
        for p in self.parcels:
            v = p[0]
            start = pos
            end = pos + v
            pos = end
            # parcel [start, end) overlaps cells from `cell` upward
            while True:
                seg_end = end if end < cell_end or cell == last else cell_end
                s = seg_end - start
                if s > 1e-12:
                    ca = s * RHO_C
                    cb = cw * s / cap
                    q = (p[1] - wall[cell]) * relax * ca * cb / (ca + cb)
                    p[1] -= q / (v * RHO_C)
                    wall[cell] += q / cw
                if seg_end >= end or cell == last:
                    break
                start = seg_end
                cell += 1
                cell_end += cap
        room = self.room_c
        lost = 0.0
        for i in range(self.n):
            dw = (wall[i] - room) * (1.0 - decay)
            wall[i] -= dw
            lost += dw
        self.lost_j += lost * cw

    def regularise(self) -> None:
        """Resample the water into exactly one parcel per wall cell (energy-exact)."""
        if self._regular:
            return
        cap = self.cell_vol
        heats = [0.0] * self.n
        last = self.n - 1
        cell = 0
        cell_end = cap
        pos = 0.0
        for v, t in self.parcels:
            start = pos
            end = pos + v
            pos = end
            while True:
                seg_end = end if end < cell_end or cell == last else cell_end
                heats[cell] += (seg_end - start) * t
                if seg_end >= end or cell == last:
                    break
                start = seg_end
                cell += 1
                cell_end += cap
        # The last cell absorbs rounding so that the volume is conserved exactly.
        vols = [cap] * self.n
        vols[last] = pos - cap * last
        self.parcels = deque([vols[i], heats[i] / vols[i]] for i in range(self.n))
        self._regular = True

    def advance_still(self, dt: float) -> None:
        """Advance a still pipe by ``dt`` seconds exactly (any length of time)."""
        if dt <= 0.0:
            return
        self.regularise()
        m11, m12, m21, m22 = self._prop.matrix(dt)
        room = self.room_c
        wall = self.wall
        cw = self.c_cell_wall
        before = 0.0
        after = 0.0
        for i, p in enumerate(self.parcels):
            x1 = p[1] - room
            x2 = wall[i] - room
            y1 = m11 * x1 + m12 * x2
            y2 = m21 * x1 + m22 * x2
            before += p[0] * RHO_C * x1 + cw * x2
            after += p[0] * RHO_C * y1 + cw * y2
            p[1] = room + y1
            wall[i] = room + y2
        self.lost_j += before - after

    def still_temperature_after(self, fraction: float, dt: float) -> float:
        """Water temperature at ``fraction`` after ``dt`` s still, without changing the pipe."""
        self.regularise()
        i = min(self.n - 1, int(min(max(fraction, 0.0), 1.0) * self.n))
        if dt <= 0.0:
            return self.parcels[i][1]
        m11, m12, _, _ = self._prop.matrix(dt)
        room = self.room_c
        return room + m11 * (self.parcels[i][1] - room) + m12 * (self.wall[i] - room)

    def set_uniform(self, celsius: float, *, wall_c: float | None = None) -> None:
        """Fill the pipe with still water at ``celsius`` (wall at ``wall_c`` or the same)."""
        self.parcels = deque([self.cell_vol, celsius] for _ in range(self.n))
        self.wall = [celsius if wall_c is None else wall_c] * self.n
        self._regular = True
