"""Contract-test examples for the Result classes of the kit's shared modules.

Each ``tests/**/*result_examples.py`` module defines ``EXAMPLES``, a mapping from
a Result class to a callable returning a small instance; the contract test
(``tests/test_results_contract.py``) runs over every one of them.
"""

from __future__ import annotations

from mlops_kit.results import TableResult


def table_result() -> TableResult:
    # user strings with markup: the contract test checks they are escaped
    return TableResult("Example <table>", [{"name": "<b>x</b>", "value": 1.0, "n": 3}])


EXAMPLES = {TableResult: table_result}
