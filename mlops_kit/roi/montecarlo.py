"""Monte Carlo over uncertain inputs: :func:`simulate` and :class:`SimulationResult`.

Every draw runs through the same vectorised model as :meth:`RoiModel.run`
(:func:`~mlops_kit.roi.model.evaluate`), all draws at once, so 10,000 draws take
a fraction of a second. The draws come from ``numpy.random.default_rng(seed)``
in a fixed order, so a seed gives the same result every time.

Examples
--------
>>> from mlops_kit.roi import simulate
>>> sim = simulate(n=2000, seed=1)
>>> 0 <= sim.prob_roi_positive <= 1
True
>>> ax = sim.plot()
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping

import numpy as np

from mlops_kit._params import Interval, check_param
from mlops_kit.errors import InputError
from mlops_kit.results import Result, get_ax
from mlops_kit.roi.inputs import FIELDS, RoiInputs, check_field
from mlops_kit.roi.results import cents, money

__all__ = [
    "DEFAULT_RANGES",
    "DEFAULT_UNCERTAIN",
    "PROGRESS_FROM",
    "SimulationResult",
    "default_ranges",
    "describe_ranges",
    "simulate",
]

#: Default ranges of the uncertain inputs: name -> (low, high, source). ``low`` and
#: ``high`` are multiples of the input's value (the mode of a triangular draw); a
#: rate's high end is capped at 1. They are wide on purpose, so the simulation
#: includes the pessimistic cases a sceptical reader asks about: small failure
#: reductions, one or two projects a year, failures that cost only part of the
#: source's $2.6M. Each says where it comes from; "assumption" marks a figure the
#: kit chose because no published one exists.
DEFAULT_RANGES = {
    "projects_per_year": (
        "one",
        1.5,
        "assumption: from one project a year (the pessimistic case) to 1.5x the value",
    ),
    "failure_rate": (
        0.5,
        1.1,
        "sources: the 87% is a 2019 industry panel estimate (VentureBeat Transform 2019); "
        "Gartner's 2022 survey gives 46%, about half: the range runs down to half the value",
    ),
    "failure_reduction": (
        0.1,
        2.0,
        "assumption: no published figure; from a tenth of the value (a small reduction) "
        "to twice it",
    ),
    "development_cost": (
        0.25,
        1.0,
        "assumption: the source's $800k is a full failure; a failure stopped early loses "
        "a quarter of it",
    ),
    "opportunity_cost": (
        0.0,
        1.0,
        "assumption: partial failure costs; the source's $1.0M is the full loss, a failure "
        "caught early may lose none",
    ),
    "corrective_cost": (
        0.0,
        1.0,
        "assumption: partial failure costs; the source's $500k is its drift case's full cost",
    ),
    "reputational_cost": (
        0.0,
        1.0,
        "assumption: partial failure costs; the source's $300k is the full damage, "
        "an internal failure may cost none",
    ),
    "time_to_production_months": (0.5, 1.5, "assumption: +-50% around the value"),
    "time_to_production_cut": (
        0.2,
        1.0,
        "source claims up to 50% faster; assumption: the realised cut may be a fifth of it",
    ),
    "value_per_model_month": (0.25, 1.5, "assumption: from a quarter of the value to 1.5x"),
    "tool_cost_monthly": (0.75, 2.0, "assumption: tool costs may double (usage, overruns)"),
    "staff_fte": (1.0, 1.5, "assumption: staffing may overrun by half"),
    "staff_cost_per_fte": (0.8, 1.3, "assumption: -20% to +30% around the value"),
}
#: inputs varied by default
DEFAULT_UNCERTAIN = tuple(DEFAULT_RANGES)
_PERCENTILES = (5, 25, 50, 75, 95)
_OUTPUTS = ("npv", "roi", "payback_month")
_CHUNK = 20_000
#: above this many draws a progress bar (tqdm.auto) is shown by default
PROGRESS_FROM = 200_000


def default_ranges(inputs: RoiInputs) -> dict[str, tuple]:
    """Triangular ranges ``(low, mode, high)`` of the uncertain inputs (:data:`DEFAULT_RANGES`).

    The mode is the input's value; ``low`` and ``high`` follow
    :data:`DEFAULT_RANGES`, each documented with its source or marked as an
    assumption. :func:`describe_ranges` lists them with their sources.

    Examples
    --------
    >>> r = default_ranges(RoiInputs())
    >>> r["failure_reduction"], r["projects_per_year"]
    ((0.025, 0.25, 0.5), (1.0, 10.0, 15.0))
    >>> r["opportunity_cost"]
    (0.0, 1000000.0, 1000000.0)
    """
    out = {}
    for name, (low, high, _source) in DEFAULT_RANGES.items():
        v = getattr(inputs, name)
        lo = min(1.0, v) if low == "one" else round(v * low, 10)
        hi = round(v * high, 10)
        if FIELDS[name].kind == "rate":
            hi = min(hi, 1.0)
        hi = min(hi, FIELDS[name].allowed.high)
        out[name] = (lo, v, max(hi, v))
    return out


def describe_ranges(inputs: RoiInputs | None = None):
    """The default ranges with their sources, as a DataFrame (one row per input).

    Examples
    --------
    >>> [float(x) for x in describe_ranges().loc["failure_rate", ["low", "mode", "high"]]]
    [0.435, 0.87, 0.957]
    """
    import pandas as pd

    inputs = inputs if inputs is not None else RoiInputs()
    rows = [
        {"input": name, "low": lo, "mode": mode, "high": hi, "source": DEFAULT_RANGES[name][2]}
        for name, (lo, mode, hi) in default_ranges(inputs).items()
    ]
    return pd.DataFrame(rows).set_index("input")


def _check_range(name, spec) -> tuple[float, ...]:
    if name not in FIELDS or name == "horizon_years":
        allowed = "one of " + ", ".join(n for n in FIELDS if n != "horizon_years")
        raise InputError.invalid("ranges key", name, allowed, "The horizon cannot vary.")
    if isinstance(spec, numbers.Real) and not isinstance(spec, bool):
        return (check_field(name, spec),)
    if not isinstance(spec, (list, tuple)) or len(spec) not in (2, 3):
        raise InputError.invalid(
            f"ranges[{name!r}]", spec, "a number, (low, high) uniform or (low, mode, high)"
        )
    values = tuple(check_field(name, v) for v in spec)
    if list(values) != sorted(values):
        raise InputError.invalid(f"ranges[{name!r}]", spec, "values in order low <= (mode <=) high")
    return values


def _draw(rng, values: tuple, n: int) -> np.ndarray:
    if len(values) == 1 or values[0] == values[-1]:
        return np.full(n, values[0])
    if len(values) == 2:
        return rng.uniform(values[0], values[1], n)
    return rng.triangular(values[0], values[1], values[2], n)


def simulate(
    inputs: RoiInputs | None = None,
    ranges: Mapping | None = None,
    n: int = 10_000,
    seed: int | None = 0,
    progress: bool | None = None,
):
    """Sample uncertain inputs and return the distribution of NPV, ROI and payback.

    Parameters
    ----------
    inputs : RoiInputs, optional
        Base inputs; inputs without a range keep these values.
    ranges : mapping, optional
        Input name -> a number (fixed), ``(low, high)`` (uniform) or
        ``(low, mode, high)`` (triangular). Default: :func:`default_ranges`.
        Every value is checked like the input itself; the horizon cannot vary.
    n : int
        Number of draws (>= 1).
    seed : int or None
        Seed of ``numpy.random.default_rng``; the same seed gives the same result.
    progress : bool or None
        Show a progress bar over the chunks of draws (``tqdm.auto``: a widget in a
        notebook, text in a terminal, on stderr). None (default): only from
        :data:`PROGRESS_FROM` draws, when the run is long enough to wait for.

    Returns
    -------
    SimulationResult

    Examples
    --------
    >>> sim = simulate(ranges={"failure_reduction": (0.0, 0.5)}, n=1000, seed=0)
    >>> sim.ranges["failure_reduction"]
    [0.0, 0.5]
    """
    from mlops_kit.roi.model import RoiModel, evaluate

    inputs = inputs if inputs is not None else RoiInputs()
    if not isinstance(inputs, RoiInputs):
        inputs = RoiInputs.from_dict(inputs)
    check_param("n", n, [Interval(int, 1, 1_000_000)])
    check_param("seed", seed, [None, Interval(int, 0, None)])
    check_param("progress", progress, [None, "boolean"])
    if ranges is None:
        ranges = default_ranges(inputs)
    if not isinstance(ranges, Mapping):
        raise InputError.invalid("ranges", type(ranges).__name__, "a mapping of input names")
    checked = {name: _check_range(name, ranges[name]) for name in sorted(ranges)}

    rng = np.random.default_rng(seed)
    draws = {name: _draw(rng, values, int(n)) for name, values in checked.items()}
    base = inputs.to_dict()
    outputs = {k: np.empty(int(n)) for k in _OUTPUTS}
    starts = range(0, int(n), _CHUNK)
    if progress or (progress is None and n >= PROGRESS_FROM):
        from tqdm.auto import tqdm

        starts = tqdm(starts, desc="ROI Monte Carlo", unit="chunk", leave=False)
    for start in starts:
        stop = min(start + _CHUNK, int(n))
        params = {k: draws[k][start:stop] if k in draws else v for k, v in base.items()}
        out = evaluate(params, inputs.horizon_months)
        for k in _OUTPUTS:
            outputs[k][start:stop] = out[k]
    base_result = RoiModel(inputs).run()
    return SimulationResult(
        n=int(n),
        seed=seed,
        ranges={k: list(v) for k, v in checked.items()},
        samples={**draws, **outputs},
        base={"npv": base_result.npv, "roi": base_result.roi},  # npv already in cents
        stats=_stats(outputs),
        prob_roi_positive=float(np.mean(outputs["roi"] > 0)),
        prob_npv_positive=float(np.mean(outputs["npv"] > 0)),
        prob_payback=float(np.mean(~np.isnan(outputs["payback_month"]))),
    )


def _stats(outputs: dict[str, np.ndarray]) -> list[dict]:
    rows = []
    for name in _OUTPUTS:
        x = outputs[name]
        ok = x[~np.isnan(x)]
        row = {"metric": name, "mean": float(ok.mean()) if ok.size else float("nan")}
        row["std"] = float(ok.std()) if ok.size else float("nan")
        for q in _PERCENTILES:
            row[f"p{q}"] = float(np.percentile(ok, q)) if ok.size else float("nan")
        if name == "npv":  # money: in cents, as every ROI result
            row = {k: cents(v) if k != "metric" else v for k, v in row.items()}
        rows.append(row)
    return rows


class SimulationResult(Result):
    """Distribution of NPV, ROI and payback month over Monte Carlo draws.

    Attributes
    ----------
    n, seed : int
        Number of draws and the seed.
    ranges : dict
        The ranges drawn from (name -> [value] | [low, high] | [low, mode, high]).
    samples : dict of numpy.ndarray
        The drawn inputs and the outputs ``npv``, ``roi``, ``payback_month``.
    stats : list of dict
        Mean, std and percentiles (5, 25, 50, 75, 95) of each output.
    prob_roi_positive, prob_npv_positive, prob_payback : float
        P(ROI > 0), P(NPV > 0) and the share of draws that pay back in the horizon.

    Examples
    --------
    >>> r = simulate(n=500, seed=0)
    >>> r.stat("roi", "p50") > 0
    True
    """

    title = "ROI simulation"

    def __init__(self, *, n, seed, ranges, samples, base, stats, **probabilities):
        self.n = n
        self.seed = seed
        self.ranges = ranges
        self.samples = samples
        self.base = base
        self.stats = stats
        self.prob_roi_positive = probabilities["prob_roi_positive"]
        self.prob_npv_positive = probabilities["prob_npv_positive"]
        self.prob_payback = probabilities["prob_payback"]

    def stat(self, metric: str, name: str) -> float:
        """One statistic, e.g. ``stat("roi", "p5")``.

        Raises
        ------
        InputError
            Unknown metric or statistic.
        """
        for row in self.stats:
            if row["metric"] == metric:
                if name not in row or name == "metric":
                    allowed = ", ".join(k for k in row if k != "metric")
                    raise InputError.invalid("statistic", name, "one of " + allowed)
                return row[name]
        raise InputError.invalid("metric", metric, "one of " + ", ".join(_OUTPUTS))

    def to_dict(self) -> dict:
        return {
            "n": self.n,
            "seed": self.seed,
            "ranges": self.ranges,
            "base": dict(self.base),
            "prob_roi_positive": self.prob_roi_positive,
            "prob_npv_positive": self.prob_npv_positive,
            "prob_payback": self.prob_payback,
            "stats": [dict(r) for r in self.stats],
        }

    def to_frame(self):
        import pandas as pd

        return pd.DataFrame.from_records(self.stats).set_index("metric")

    def summary(self) -> str:
        return (
            f"P(ROI>0) = {self.prob_roi_positive:.1%} over {self.n:,} draws; ROI median "
            f"{self.stat('roi', 'p50'):.1f}x (5-95%: {self.stat('roi', 'p5'):.1f}x to "
            f"{self.stat('roi', 'p95'):.1f}x); NPV median {money(self.stat('npv', 'p50'))}"
        )

    def plot(self, ax=None, metric: str = "roi"):
        """Draw the distribution of ``metric`` ("roi" or "npv") with percentiles."""
        if metric not in ("roi", "npv"):
            raise InputError.invalid("metric", metric, "'roi' or 'npv'")
        ax = get_ax(ax, figsize=(7, 3.5))
        x = self.samples[metric]
        x = x[~np.isnan(x)]
        ax.hist(x, bins=min(60, max(10, self.n // 50)), color="#1f77b4", alpha=0.75)
        fmt = money if metric == "npv" else (lambda v: f"{v:.1f}x")
        for q, style in ((5, ":"), (50, "-"), (95, ":")):
            v = self.stat(metric, f"p{q}")
            ax.axvline(v, color="black", linestyle=style, linewidth=1, label=f"p{q} {fmt(v)}")
        ax.axvline(0, color="#d62728", linewidth=1)
        prob = self.prob_roi_positive if metric == "roi" else self.prob_npv_positive
        ax.set_title(f"{metric.upper()} over {self.n:,} draws: P({metric.upper()}>0) = {prob:.1%}")
        ax.set_xlabel(metric.upper())
        ax.set_ylabel("draws")
        ax.legend(fontsize=8)
        return ax
