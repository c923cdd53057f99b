"""QualityCheck: check a DataFrame against expectations and report every failure.

pandera (run lazily, so every failure is collected) checks presence, extra
columns, dtypes, ranges and categories; the missing-share tolerance, the
out-of-range share tolerance, the duplicate-row share and the row-count
bounds are computed here with vectorised pandas, since pandera's
``nullable`` is all-or-nothing and it has no share or row-count checks.

Examples
--------
>>> import pandas as pd
>>> from mlops_kit.validation.quality import Expectations
>>> ref = pd.DataFrame({"age": [20, 30, 40, 50], "region": ["n", "s", "n", "s"]})
>>> new = pd.DataFrame({"age": [25, 99, 120, 30], "region": ["n", "XX", "s", "n"]})
>>> report = QualityCheck(Expectations.learn(ref)).check(new)
>>> for line in report.failures:
...     print(line)
age: 2 values above max 50 (50.0% > allowed 1.0%; highest 120)
region: unseen categories ['XX'] (1 row)
"""

from __future__ import annotations

from mlops_kit._params import InstanceOf, Params
from mlops_kit.validation.quality.expectations import Expectations
from mlops_kit.validation.quality.learn import require_frame
from mlops_kit.validation.quality.result import QualityReport
from mlops_kit.validation.quality.schema import run_schema
from mlops_kit.validation.quality.spec import DEFAULT_SEVERITY, TABLE, normalise_spec

__all__ = ["QualityCheck", "format_share"]

_SHOWN_VALUES = 5


def format_share(share: float) -> str:
    """Format a share in [0, 1] as a percentage with one decimal (more when tiny).

    Examples
    --------
    >>> format_share(0.032), format_share(0.0004), format_share(0)
    ('3.2%', '0.04%', '0.0%')
    """
    pct = 100.0 * float(share)
    if 0 < pct < 0.05:
        return f"{pct:.2g}%"
    return f"{pct:.1f}%"


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def _rows(n: int) -> str:
    return f"{n} row" if n == 1 else f"{n} rows"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


class QualityCheck(Params):
    """Check data against :class:`~.expectations.Expectations`: a gate that passes or fails.

    Parameters
    ----------
    expectations : Expectations or dict
        What the data should look like (a dict is read with
        :meth:`Expectations.from_dict`).

    Examples
    --------
    >>> import pandas as pd
    >>> from mlops_kit.validation.quality import Expectations
    >>> exp = Expectations().expect_column("income", max_missing=0.0)
    >>> QualityCheck(exp).check(pd.DataFrame({"income": [1.0, None]})).failures
    ['income: 50.0% missing > allowed 0.0%']
    """

    _parameter_constraints = {
        "expectations": [
            InstanceOf(Expectations, dict, description="an Expectations object or a spec dict")
        ],
    }

    def __init__(self, expectations):
        self.expectations = expectations

    def _spec(self) -> dict:
        self._validate_params()
        exp = self.expectations
        return normalise_spec(exp.spec if isinstance(exp, Expectations) else exp)

    def check(self, data) -> QualityReport:
        """Check ``data`` and return a :class:`~.result.QualityReport`.

        Raises
        ------
        InputError
            ``data`` is not a non-empty DataFrame with unique column names.
        ConfigError
            The expectations are invalid (for example an unknown dtype name).
        """
        spec = self._spec()
        require_frame(data, "data")
        failures, cases = run_schema(spec, data)
        rows: list[dict] = []
        for name, col in spec["columns"].items():
            rows.extend(self._column_rows(spec, name, col, data, failures))
        rows.extend(self._table_rows(spec, data))
        return QualityReport(rows, n_rows=len(data), failure_cases=cases)

    # --- rows ---------------------------------------------------------------
    @staticmethod
    def _severity(spec: dict, kind: str, col: dict | None = None) -> str:
        if col is not None and col.get("severity"):
            return col["severity"]
        return spec["severity"].get(kind) or DEFAULT_SEVERITY[kind]

    def _column_rows(self, spec, name, col, data, failures) -> list[dict]:
        import pandas as pd

        def row(kind, expected, observed, passed, failing, message):
            return {
                "column": name,
                "expectation": kind,
                "expected": expected,
                "observed": observed,
                "passed": bool(passed),
                "severity": self._severity(spec, kind, col),
                "failing_rows": failing,
                "message": message,
            }

        present = name in data.columns
        out = []
        if col["required"]:
            msg = f"{name}: present" if present else f"{name}: column missing"
            out.append(row("present", True, present, present, None, msg))
        if not present:
            return out
        series = data[name]
        if col["dtype"] is not None:
            got = str(series.dtype)
            fail = failures.get((name, "dtype"))
            msg = f"{name}: dtype {got}"
            if fail:
                msg += f", expected {col['dtype']}"
            out.append(row("dtype", col["dtype"], got, fail is None, None, msg))
        if col["max_missing"] is not None:
            n_missing = int(series.isna().sum())
            share = n_missing / len(series)
            ok = share <= col["max_missing"] + 1e-12
            sign = "<=" if ok else ">"
            msg = f"{name}: {format_share(share)} missing {sign} allowed "
            msg += format_share(col["max_missing"])
            out.append(row("max_missing", col["max_missing"], share, ok, n_missing, msg))
        numeric = pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(
            series.dtype
        )
        tol = col["max_out_of_range"] or 0.0
        n_valid = int(series.notna().sum())
        for kind, word, extreme in (("min", "below", "lowest"), ("max", "above", "highest")):
            if col[kind] is None:
                continue
            observed = None
            if numeric and n_valid:
                observed = (series.min() if kind == "min" else series.max()).item()
            fail = failures.get((name, kind)) or {"count": 0, "values": [], "error": None}
            count, limit = fail["count"], f"{kind} {_fmt(col[kind])}"
            if fail["error"]:
                msg = f"{name}: {kind} check could not run ({fail['error']})"
                out.append(row(kind, col[kind], observed, False, count, msg))
                continue
            share = count / n_valid if n_valid else 0.0
            ok = share <= tol + 1e-12
            worst = fail["values"][0 if kind == "min" else -1] if fail["values"] else observed
            msg = f"{name}: {_plural(count, 'value')} {word} {limit}" if count else ""
            if not count:
                msg = f"{name}: no values {word} {limit}"
            elif ok:
                msg += f" ({format_share(share)} <= allowed {format_share(tol)})"
            elif tol:
                msg += f" ({format_share(share)} > allowed {format_share(tol)}; "
                msg += f"{extreme} {_fmt(worst)})"
            else:
                msg += f" ({extreme} {_fmt(worst)})"
            out.append(row(kind, col[kind], observed, ok, count, msg))
        if col["categories"] is not None:
            fail = failures.get((name, "categories"))
            if fail is None:
                msg = f"{name}: no unseen categories"
                out.append(row("categories", col["categories"], [], True, 0, msg))
            else:
                unseen = list(fail["values"])
                if fail["error"]:
                    msg = f"{name}: categories check could not run ({fail['error']})"
                else:
                    shown = repr(unseen[:_SHOWN_VALUES])
                    if len(unseen) > _SHOWN_VALUES:
                        shown = shown[:-1] + f", ... {len(unseen) - _SHOWN_VALUES} more]"
                    msg = f"{name}: unseen categories {shown} ({_rows(fail['count'])})"
                out.append(row("categories", col["categories"], unseen, False, fail["count"], msg))
        return out

    def _table_rows(self, spec, data) -> list[dict]:
        table = spec["table"]

        def row(kind, column, expected, observed, passed, failing, message):
            return {
                "column": column,
                "expectation": kind,
                "expected": expected,
                "observed": observed,
                "passed": bool(passed),
                "severity": self._severity(spec, kind),
                "failing_rows": failing,
                "message": message,
            }

        out = []
        if not table["allow_extra_columns"]:
            extra = [c for c in data.columns if c not in spec["columns"]]
            for name in extra:
                msg = f"{name}: unexpected column (not in expectations)"
                out.append(row("extra_column", name, "absent", "present", False, None, msg))
            if not extra:
                msg = f"{TABLE}: no unexpected columns"
                out.append(row("extra_column", TABLE, "absent", "absent", True, None, msg))
        lo, hi = table["row_count"]["min"], table["row_count"]["max"]
        if lo is not None or hi is not None:
            n = len(data)
            expected = {k: v for k, v in table["row_count"].items() if v is not None}
            if lo is not None and n < lo:
                ok, msg = False, f"{TABLE}: {_rows(n)} < min {lo}"
            elif hi is not None and n > hi:
                ok, msg = False, f"{TABLE}: {_rows(n)} > max {hi}"
            else:
                ok, msg = True, f"{TABLE}: {_rows(n)}"
            out.append(row("row_count", TABLE, expected, n, ok, None, msg))
        limit = table["max_duplicate_share"]
        if limit is not None:
            try:
                n_dup = int(data.duplicated().sum())
            except TypeError:  # unhashable cells (lists, dicts)
                msg = f"{TABLE}: duplicate rows not checked (cells are not hashable)"
                out.append(row("max_duplicate_share", TABLE, limit, None, True, None, msg))
                return out
            share = n_dup / len(data)
            ok = share <= limit + 1e-12
            sign = "<=" if ok else ">"
            msg = (
                f"{TABLE}: {format_share(share)} duplicate rows {sign} allowed "
                f"{format_share(limit)} ({_rows(n_dup)})"
            )
            out.append(row("max_duplicate_share", TABLE, limit, share, ok, n_dup, msg))
        return out
