"""Checking answers and team sizes before anything is scored.

Answers map item ids to ``0`` (not done), ``0.5`` (done by hand and
documented), ``1`` (automated) or ``"na"`` (not applicable, only where the
item allows it). Strings such as ``"0.5"`` or ``"NA"`` (from a YAML/JSON
file or a prompt) are accepted too. ``None`` means unanswered.

Examples
--------
>>> from mlops_kit.maturity.bank import load_bank
>>> bank = load_bank()
>>> parse_answer(bank.item("tv_notebook_tests"), "NA")
'na'
>>> parse_answer(bank.item("cicd_rollback"), "0.5")
0.5
"""

from __future__ import annotations

import difflib
import numbers
from collections.abc import Mapping

from mlops_kit._params import Interval, check_param
from mlops_kit.errors import InputError

#: people doing ML: a whole number, bounded so that no timeline or cost overflows
_TEAM_SIZE = Interval(int, 1, 10_000_000)
_TEAM_SIZE.text = "a whole number of people in [1, 10000000]"

__all__ = ["check_answers", "check_team_size", "parse_answer"]

_STRINGS = {"0": 0, "0.0": 0, "0.5": 0.5, ".5": 0.5, "1": 1, "1.0": 1, "na": "na", "n/a": "na"}


def _allowed_text(item) -> str:
    if item.na:
        return "0 (not done), 0.5 (done by hand and documented), 1 (automated) or 'na'"
    return (
        "0 (not done), 0.5 (done by hand and documented) or 1 (automated); this item cannot be 'na'"
    )


def parse_answer(item, value):
    """Return the canonical answer (0, 0.5, 1, ``"na"`` or ``None``) or raise InputError.

    Parameters
    ----------
    item : Item
        The question the answer is for.
    value : object
        The answer as given.
    """
    out = None
    if value is None:
        return None
    if isinstance(value, str):
        out = _STRINGS.get(value.strip().lower())
    elif isinstance(value, numbers.Real) and not isinstance(value, bool):
        out = {0.0: 0, 0.5: 0.5, 1.0: 1}.get(float(value))
    if out is None or (out == "na" and not item.na):
        raise InputError.invalid(f"answer for item {item.id!r}", value, _allowed_text(item))
    return out


def _unknown_message(unknown: list, bank) -> str:
    ids = bank.item_ids
    parts = []
    for key in unknown[:5]:
        close = difflib.get_close_matches(str(key), ids, n=1)
        parts.append(f"{key!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
    more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
    return (
        f"Unknown item id(s) in answers: {', '.join(parts)}{more}. "
        f"Valid ids include: {', '.join(ids[:5])}, ... ({len(ids)} in total; "
        "see load_bank().item_ids)."
    )


def check_answers(bank, answers, allow_missing: bool = False) -> tuple[dict, list[str]]:
    """Validate ``answers`` against ``bank``.

    Parameters
    ----------
    bank : QuestionBank
    answers : mapping of str to 0, 0.5, 1, "na" or None
    allow_missing : bool, default False
        When False, items without an answer raise :class:`InputError` listing their ids;
        when True they are returned as unanswered (never scored as zero).

    Returns
    -------
    (dict, list)
        ``{item_id: answer or None}`` for every item of the bank, in bank order, and the
        ids left unanswered.

    Examples
    --------
    >>> from mlops_kit.maturity.bank import load_bank
    >>> answers, missing = check_answers(load_bank(), {"cicd_rollback": 1}, allow_missing=True)
    >>> answers["cicd_rollback"], "vt_code_in_git" in missing
    (1, True)
    """
    if not isinstance(answers, Mapping):
        raise InputError.invalid(
            "answers", type(answers).__name__, "a dict of item id -> 0, 0.5, 1 or 'na'"
        )
    unknown = [k for k in answers if not isinstance(k, str) or k not in bank._index]
    if unknown:
        raise InputError(_unknown_message(unknown, bank))
    out = {item.id: parse_answer(item, answers.get(item.id)) for item in bank.items}
    missing = [k for k, v in out.items() if v is None]
    if missing and not allow_missing:
        shown = ", ".join(missing[:10]) + (
            f" and {len(missing) - 10} more" if len(missing) > 10 else ""
        )
        raise InputError(
            f"Missing answers for {len(missing)} item(s): {shown}. Answer them (0, 0.5, 1 or "
            "'na' where allowed), or pass allow_missing=True to report them as unanswered."
        )
    return out, missing


def check_team_size(team_size) -> int | None:
    """Return ``team_size`` as an int (or None), rejecting zero, negatives and non-integers.

    Examples
    --------
    >>> check_team_size(25)
    25
    """
    if team_size is None:
        return None
    if isinstance(team_size, float) and team_size.is_integer():
        team_size = int(team_size)  # 25.0 from a file or a form is 25 people
    return int(check_param("team_size", team_size, [_TEAM_SIZE]))
