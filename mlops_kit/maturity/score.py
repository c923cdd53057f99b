"""Scoring: dimension scores and levels, the overall level, gaps, team-size fit.

Pure functions over a :class:`~mlops_kit.maturity.bank.QuestionBank` and a
checked answers dict (``{item_id: 0 | 0.5 | 1 | "na" | None}``, ``None`` =
unanswered). The rules, precisely:

* **dimension score** = weighted mean of the dimension's answered items
  (``na`` and unanswered left out); ``None`` when nothing is answered.
* **level k is passed** in a dimension when the items of level ``k`` (``na``
  left out) have a weighted mean ``>= pass_mark`` (0.5 in the packaged bank:
  on average at least done by hand and documented). Unanswered items count as
  0 here, so a level is never claimed without answers: the level is a lower
  bound until every item is answered. A level with no applicable item passes.
* **dimension level** = the highest ``L`` such that every level ``2..L`` is
  passed; level 1 ("No formal MLOps processes") is the floor. A dimension whose
  items are all ``na`` has no level and is left out of the overall level.
* **gates**: a gate item (version control, rollback, production monitoring)
  answered 0 or left unanswered caps the level at its ``cap`` (its own
  dimension's level and the overall level).
* **overall level** = the minimum over dimensions (the weakest dimension
  decides, as Google's ML Test Score takes the minimum over its sections),
  then capped by the missing gates.
* **mean score** (for tracking progress) = mean of the dimension scores.

Examples
--------
>>> from mlops_kit.maturity.bank import load_bank
>>> bank = load_bank()
>>> answers = {i.id: 1 for i in bank.items}
>>> compute(bank, answers)["level"]
5
>>> answers["cicd_rollback"] = 0
>>> compute(bank, answers)["level"]
2
"""

from __future__ import annotations

__all__ = ["compute", "expected_level", "find_gaps", "team_fit"]

_EPS = 1e-9


def _wmean(pairs) -> float | None:
    pairs = list(pairs)
    total = sum(w for w, _ in pairs)
    if not total:
        return None
    return sum(w * v for w, v in pairs) / total


def _dimension(bank, answers: dict, dim) -> dict:
    items = bank.items_of(dim.id)
    answered = [i for i in items if answers[i.id] not in (None, "na")]
    score = _wmean((i.weight, answers[i.id]) for i in answered)
    applicable = [i for i in items if answers[i.id] != "na"]
    level = None
    if applicable:
        level = 1
        for k in range(2, 6):
            at_k = [(i.weight, answers[i.id] or 0) for i in applicable if i.level == k]
            mean = _wmean(at_k)
            if mean is not None and mean < bank.pass_mark - _EPS:
                break
            level = k
    caps = [i for i in items if i.gate and answers[i.id] in (0, None)]
    capped = level
    if level is not None and caps:
        capped = min(level, *(i.cap for i in caps))
    return {
        "dimension": dim.id,
        "name": dim.name,
        "score": score,
        "level": capped,
        "level_uncapped": level,
        "n_items": len(items),
        "n_answered": len(answered),
        "n_na": sum(1 for i in items if answers[i.id] == "na"),
        "n_unanswered": sum(1 for i in items if answers[i.id] is None),
        "tutorial": dim.tutorial,
    }


def compute(bank, answers: dict) -> dict:
    """Score checked answers: per-dimension rows, overall level, mean score, caps.

    Parameters
    ----------
    bank : QuestionBank
    answers : dict
        ``{item_id: 0 | 0.5 | 1 | "na" | None}`` for every item (see
        :func:`~mlops_kit.maturity.answers.check_answers`).

    Returns
    -------
    dict
        ``level``, ``mean_score``, ``dimensions`` (list of row dicts), ``capped_by``
        (gate items that cap the level) and ``limiting`` (dimensions at the overall level).
    """
    rows = [_dimension(bank, answers, d) for d in bank.dimensions]
    levels = [r["level"] for r in rows if r["level"] is not None]
    gates = [i for i in bank.items if i.gate and answers[i.id] in (0, None)]
    level = min(levels, default=1)
    uncapped = min((r["level_uncapped"] for r in rows if r["level_uncapped"]), default=5)
    capped_by = [{"item": i.id, "cap": i.cap} for i in gates if i.cap < uncapped]
    if gates:
        level = min(level, *(i.cap for i in gates))
    scores = [r["score"] for r in rows if r["score"] is not None]
    return {
        "level": level,
        "mean_score": sum(scores) / len(scores) if scores else None,
        "dimensions": rows,
        "capped_by": capped_by,
        "limiting": [r["dimension"] for r in rows if r["level"] == level],
    }


def find_gaps(bank, answers: dict, base: dict | None = None) -> list[dict]:
    """Rank the items not yet automated by how much answering them 1 would raise the level.

    Each item answered 0, 0.5 or left unanswered (not ``na``) is set to 1 on its own and
    the answers re-scored. Ranked by overall level gain, then missing gates that already
    cap the current level (nothing passes them), then whether it raises a weakest
    (limiting) dimension, then the item's dimension level gain, then the item's level
    (foundations first), gate items first, then the mean score gain.

    Returns
    -------
    list of dict
        One record per gap with ``rank``, ``item``, ``dimension``, ``level``, ``answer``,
        ``gate``, ``level_gain``, ``dimension_level_gain``, ``score_gain``, ``next_step``,
        ``tutorial``, ``tools`` and ``text``.
    """
    base = base or compute(bank, answers)
    base_dims = {r["dimension"]: r for r in base["dimensions"]}
    out = []
    for order, item in enumerate(bank.items):
        current = answers[item.id]
        if current in (1, "na"):
            continue
        after = compute(bank, {**answers, item.id: 1})
        new_dim = next(r for r in after["dimensions"] if r["dimension"] == item.dimension)
        old_dim = base_dims[item.dimension]
        score_gain = (after["mean_score"] or 0) - (base["mean_score"] or 0)
        out.append(
            {
                "item": item.id,
                "dimension": item.dimension,
                "level": item.level,
                "answer": "unanswered" if current is None else current,
                "gate": item.gate,
                "level_gain": after["level"] - base["level"],
                "dimension_level_gain": (new_dim["level"] or 0) - (old_dim["level"] or 0),
                "score_gain": round(score_gain, 4),
                "next_step": item.next_step,
                "tutorial": item.tutorial,
                "tools": ", ".join(item.tools),
                "text": item.text,
                "_order": order,
                "_cap": item.cap or 5,
            }
        )
    limiting = set(base["limiting"])

    def key(g):
        in_weakest = g["dimension"] in limiting and g["dimension_level_gain"] > 0
        blocking = g["gate"] and g["answer"] in (0, "unanswered") and g["_cap"] <= base["level"]
        return (
            -g["level_gain"],
            not blocking,
            not in_weakest,
            -g["dimension_level_gain"],
            g["level"],
            not g["gate"],
            -g["score_gain"],
            g["_order"],
        )

    out.sort(key=key)
    for rank, g in enumerate(out, start=1):
        del g["_order"], g["_cap"]
        g["rank"] = rank
    return out


def expected_level(bank, team_size: int | None) -> int | None:
    """The level the source's maturity table gives a team of ``team_size`` people.

    The table's ranges share their ends (1-3, 3-5, 5-8, 8-12, 12+). A size on a
    shared end (3, 5, 8, 12) gets the HIGHER level: the table's "12+" puts 12 in
    level 5, and the same reading is applied at every shared end. So the result
    is the highest level whose smallest team size is ``<= team_size``.

    Examples
    --------
    >>> from mlops_kit.maturity.bank import load_bank
    >>> [expected_level(load_bank(), n) for n in (1, 2, 3, 4, 5, 8, 11, 12, 100)]
    [1, 1, 2, 2, 3, 4, 4, 5, 5]
    """
    if team_size is None:
        return None
    fitting = [n for n, lv in bank.levels.items() if lv.team_min <= team_size]
    return max(fitting, default=min(bank.levels))


def _boundary(bank, team_size: int) -> int | None:
    """The lower level whose range also ends at ``team_size`` (a shared end), if any."""
    for n, lv in bank.levels.items():
        if lv.team_max == team_size and n + 1 in bank.levels:
            return n
    return None


def team_fit(bank, level: int, team_size: int | None) -> tuple[str | None, str]:
    """Say whether ``level`` fits a team of ``team_size``: ``("below"|"fits"|"above", text)``.

    The text quotes the source framework's maturity table (level name and team
    size) and, on a shared end of two ranges, says which level the size gets.

    Examples
    --------
    >>> from mlops_kit.maturity.bank import load_bank
    >>> team_fit(load_bank(), 2, 12)[1]  # doctest: +NORMALIZE_WHITESPACE
    "The source's maturity table puts a team of 12 at level 5 (Full lifecycle automation,
    12+ people; 12 also ends level 4's 8-12 people, and a shared end counts for the higher
    level); you are at level 2."
    """
    need = expected_level(bank, team_size)
    if need is None:
        return None, "Team size not given: pass team_size= to compare the level with your team."
    lv = bank.levels[need]
    text = f"The source's maturity table puts a team of {team_size} at level {need} ({lv.name}, "
    text += lv.team_label
    lower = _boundary(bank, team_size)
    if lower is not None:
        text += (
            f"; {team_size} also ends level {lower}'s {bank.levels[lower].team_label}, "
            "and a shared end counts for the higher level"
        )
    text += "); "
    if level < need:
        return "below", text + f"you are at level {level}."
    if level == need:
        return "fits", text + f"you are at level {level}, which fits."
    return "above", text + f"you are at level {level}, above what the table gives a team this size."
