"""A canary's plan: its schedule of traffic shares and the sample each stage needs.

:class:`~mlops_kit.deploy.canary.CanaryRollout` checks its ``schedule`` with
:func:`check_schedule` and sizes each stage with :func:`min_sample` (Step 2's
power calculation, with the arms as unequal as the stage's split).

Examples
--------
>>> check_schedule([5, 25, 50, 100])
(5.0, 25.0, 50.0, 100.0)
>>> min_sample(5, 0.85, 0.03)["challenger"]
1263
"""

from __future__ import annotations

import itertools
import math
import numbers

from mlops_kit.errors import InputError

__all__ = ["DEFAULT_SCHEDULE", "check_schedule", "min_sample"]

DEFAULT_SCHEDULE = (5, 25, 50, 100)
#: what a valid schedule is (said in errors)
SCHEDULE_ALLOWED = (
    "a non-empty, strictly increasing list of percentages in (0, 100], e.g. [5, 25, 50, 100]"
)


def check_schedule(schedule) -> tuple[float, ...]:
    """Return the schedule as floats, or raise InputError naming ``schedule``.

    Examples
    --------
    >>> check_schedule((10, 100))
    (10.0, 100.0)
    """
    ok = isinstance(schedule, list | tuple) and len(schedule) > 0
    ok = ok and all(
        isinstance(p, numbers.Real)
        and not isinstance(p, bool)
        and math.isfinite(p)
        and 0 < p <= 100
        for p in schedule
    )
    ok = ok and all(b > a for a, b in itertools.pairwise(schedule))
    if not ok:
        raise InputError.invalid(
            "schedule",
            list(schedule) if isinstance(schedule, tuple) else schedule,
            SCHEDULE_ALLOWED,
        )
    return tuple(float(p) for p in schedule)


def min_sample(
    percent: float,
    baseline_accuracy: float,
    min_detectable_difference: float,
    alpha: float = 0.05,
    power: float = 0.8,
) -> dict:
    """Rows needed on each arm of a stage that sends ``percent`` % to the challenger.

    Step 2's :func:`~mlops_kit.validation.sample_size` for a drop of
    ``min_detectable_difference`` below ``baseline_accuracy``, with arm A the
    challenger and ``ratio`` = champion rows per challenger row.

    Examples
    --------
    >>> min_sample(50, 0.85, 0.03)
    {'challenger': 2399, 'champion': 2399, 'total': 4798}
    """
    from mlops_kit.validation import sample_size

    ratio = (100.0 - percent) / percent
    # a drop of mdd from the baseline: the effect between baseline - mdd and baseline
    mdd = min(min_detectable_difference, baseline_accuracy - 1e-6)
    low = baseline_accuracy - mdd
    challenger = sample_size(low, mdd, alpha=alpha, power=power, ratio=ratio)
    champion = math.ceil(challenger * ratio - 1e-9)
    return {"challenger": challenger, "champion": champion, "total": challenger + champion}
