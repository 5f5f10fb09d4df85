"""The registry of benchmarked strategies: name -> class (instantiated with no arguments).

To add a strategy, import its class here and add one line to ``STRATEGIES``. A class may declare
``topologies`` (where it applies; elsewhere the table says n/a), ``bridge`` (the bridge hardware it
assumes in cold_line homes: "solenoid", "check_valve" or "thermostatic") and ``privileged``
(it gets ``attach(sim)`` with the simulator, and its commands land at once: the oracle),
``ignores_triggers`` (the runner removes every remote press: draws come unannounced) and
``learning_days`` (the runner first runs that many days of other draws, then measures).
"""

from __future__ import annotations

from simulator.control import Strategy

from .baseline import (
    Aquastat,
    CheckValveTimer,
    Continuous,
    Cruise,
    NoRecirculation,
    Oracle,
    ThermostaticTimer,
    Timer,
)
from .zcw_automatic import ZcwKeepWarm, ZcwPredictive
from .zcw_on_demand import ZcwOnDemand

STRATEGIES: dict[str, type[Strategy]] = {
    "none": NoRecirculation,
    "timer": Timer,
    "continuous": Continuous,
    "check_valve_timer": CheckValveTimer,
    "thermostatic_timer": ThermostaticTimer,
    "aquastat": Aquastat,
    "cruise": Cruise,
    "zcw_on_demand": ZcwOnDemand,
    "zcw_keep_warm": ZcwKeepWarm,
    "zcw_predictive": ZcwPredictive,
    "oracle": Oracle,
}
"""Every strategy the benchmark runs, in table order."""

__all__ = ["STRATEGIES"]
