"""One local Spark session (``local[2]``) for the whole test session; skipped without pyspark."""

from __future__ import annotations

import os
import shutil
import sys

import pytest


@pytest.fixture(scope="session")
def spark():
    """A real SparkSession in local mode: 2 cores, no UI, 2 shuffle partitions, on 127.0.0.1."""
    pytest.importorskip("pyspark", reason="the [spark] extra (pyspark) is not installed")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("pyspark needs Java 17, which is not installed")
    from pyspark.sql import SparkSession

    # executors run this interpreter (and inherit PYTHONPATH, so they import this checkout)
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    session = (
        SparkSession.builder.master("local[2]")
        .appName("mlops-kit-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
