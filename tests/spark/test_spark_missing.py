"""Without pyspark the kit imports and works; a Spark-like input says how to install the extra.

A PySpark DataFrame cannot exist without pyspark, so these tests stand one in: an object
whose class is named ``DataFrame`` in a ``pyspark.*`` module, in a subprocess where
importing pyspark fails (``sys.modules["pyspark"] = None``).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(
    """
    import sys
    sys.modules["pyspark"] = None  # pyspark is not importable in this process
    import pandas as pd
    from mlops_kit.errors import InputError
    from mlops_kit.validation import DriftCheck

    ref = pd.DataFrame({"c": ["a", "b"] * 50})
    print("pandas", DriftCheck().run(ref, ref).dataset_drift)

    class DataFrame:  # what a Spark frame looks like from outside
        pass
    DataFrame.__module__ = "pyspark.sql.dataframe"

    fitted = DriftCheck().fit(ref)
    for call in (lambda: DriftCheck().fit(DataFrame()), lambda: fitted.run(DataFrame())):
        try:
            call()
        except InputError as exc:
            print("error", exc)
    """
)


def test_without_pyspark_the_kit_works_and_says_how_to_install():
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120, check=True
    ).stdout.splitlines()
    assert out[0] == "pandas False"
    errors = [line for line in out if line.startswith("error")]
    assert len(errors) == 2
    assert errors[0].startswith("error Invalid reference: got 'a Spark DataFrame, but pyspark")
    assert errors[1].startswith("error Invalid current: got 'a Spark DataFrame, but pyspark")
    for line in errors:
        assert "pip install 'mlops-kit[spark]'" in line and "Java 17" in line
        assert "\n" not in line


def test_spark_frames_are_recognised_without_importing_pyspark():
    from mlops_kit.validation.drift.spark import is_spark_frame

    class DataFrame:
        pass

    assert not is_spark_frame(DataFrame())
    DataFrame.__module__ = "pyspark.sql.connect.dataframe"
    assert is_spark_frame(DataFrame())
    code = "import mlops_kit.validation.drift.spark, sys; print('pyspark' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
