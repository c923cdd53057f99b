"""Error messages that name the command-line option a user typed, not the Python parameter.

The kit's errors name the Python parameter (``Invalid monthly_budget: ...``); a
command translates them to the option the user typed (``Invalid --budget: ...``).

Examples
--------
>>> with_option_names("Invalid monthly_budget: got -1; allowed: ...", {"monthly_budget": "--budget"})
'Invalid --budget: got -1; allowed: ...'
>>> option_name("projects_per_year")
'--projects-per-year'
"""

from __future__ import annotations

import re

__all__ = ["option_name", "with_option_names"]


def option_name(param: str) -> str:
    """The option click makes of a parameter name (``team_size`` -> ``--team-size``).

    Examples
    --------
    >>> option_name("team_size")
    '--team-size'
    """
    return "--" + param.replace("_", "-")


def with_option_names(message: str, names: dict[str, str]) -> str:
    """Replace ``Invalid <param>`` by ``Invalid <option>`` for every ``param -> option``.

    Examples
    --------
    >>> with_option_names("Invalid team_size: got 0", {"team_size": "--team-size"})
    'Invalid --team-size: got 0'
    """
    for param, option in names.items():
        message = re.sub(rf"\bInvalid {re.escape(param)}(?=[:\s])", f"Invalid {option}", message)
    return message
