"""Data quality expectations: learn them from reference data, check new data.

Expectations cover columns and dtypes, the missing share per column (with a
tolerance), numeric ranges (optionally widened by a margin), allowed
categories, the duplicate-row share and the row count. They are learned from
a reference frame (:meth:`Expectations.learn`), written by hand (a dict or
YAML file, or the ``expect_*`` builder) and checked with
:class:`QualityCheck`, which returns a :class:`QualityReport` naming each
offending column, the expectation and the observed value.

Data quality: why pandera
-------------------------
The per-cell checks run on `pandera <https://pandera.readthedocs.io>`_, a
widely used, actively maintained validation library for pandas. Its lazy
validation collects every failure in one pass (not just the first) together
with the index of each offending row, so a report can say *which* rows broke
a range or brought an unseen category (``QualityReport.failure_cases``); its
dtype engine understands pandas and numpy dtype names and their aliases
(``"int"`` matches ``int64``), which makes hand-written specs forgiving; and
:meth:`Expectations.to_pandera` hands a team a standard ``DataFrameSchema``
they can reuse in their own pipelines. It adds about 0.15 s of import time,
paid only when a check runs, and installs without changing the pandas,
numpy or Evidently versions. What pandera does not express is computed with
vectorised pandas from pandera's failure counts or directly: the missing
share with a tolerance (pandera's ``nullable`` is all-or-nothing), the share
of values allowed outside a learned range (so that a fresh sample of good
data, which lands a value or two beyond the reference extremes by chance,
does not raise a false alarm), the share of duplicated rows, the row-count
bounds, and the observed value of every expectation, passed or failed, so
that the report reads "income: 3.2% missing > allowed 1.0%" rather than
"check failed".

Examples
--------
>>> import pandas as pd
>>> from mlops_kit.validation.quality import Expectations, QualityCheck
>>> ref = pd.DataFrame({"income": [1.0, 2.0, 3.0, 4.0], "region": ["n", "s", "n", "s"]})
>>> new = pd.DataFrame({"income": [1.0, None, 3.0, 9.0], "region": ["n", "s", "XX", "s"]})
>>> report = QualityCheck(Expectations.learn(ref)).check(new)
>>> report.passed
False
>>> for line in report.failures:
...     print(line)
income: 25.0% missing > allowed 1.0%
income: 1 value above max 4 (33.3% > allowed 1.0%; highest 9)
region: unseen categories ['XX'] (1 row)
"""

from __future__ import annotations

from mlops_kit._lazy import lazy_exports

#: public name -> submodule that defines it
_EXPORTS: dict[str, str] = {
    "QualityCheck": "check",
    "Expectations": "expectations",
    "QualityReport": "result",
}

__all__ = sorted(_EXPORTS)

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
