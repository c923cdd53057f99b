"""Expectations: learning from a reference frame, specs (dict/YAML), the builder, bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mlops_kit.errors import ColumnError, ConfigError, InputError
from mlops_kit.validation.quality import Expectations


@pytest.fixture
def reference():
    rng = np.random.default_rng(0)
    n = 200
    income = rng.normal(50_000, 10_000, n)
    income[:4] = np.nan  # 2% missing
    return pd.DataFrame(
        {
            "age": rng.integers(18, 90, n),
            "income": income,
            "region": rng.choice(["north", "south", "east"], n),
            "customer_id": [f"c{i}" for i in range(n)],  # high cardinality
            "active": rng.random(n) < 0.5,
            "segment": pd.Categorical(rng.choice(["a", "b"], n)),
        }
    )


def test_learn_records_dtypes_missing_ranges_and_categories(reference):
    spec = Expectations.learn(reference, missing_tolerance=0.01).to_dict()
    cols = spec["columns"]
    assert cols["age"]["dtype"] == "int64"
    assert cols["age"]["min"] == int(reference["age"].min())
    assert cols["age"]["max"] == int(reference["age"].max())
    assert cols["income"]["max_missing"] == pytest.approx(0.02 + 0.01)
    assert cols["income"]["max_out_of_range"] == 0.01
    assert cols["region"]["categories"] == ["east", "north", "south"]
    assert cols["segment"]["dtype"] == "category"
    assert cols["segment"]["categories"] == ["a", "b"]
    # ids and booleans get no range / category expectation
    assert "categories" not in cols["customer_id"]
    assert "min" not in cols["active"] and "categories" not in cols["active"]
    assert spec["table"] == {"row_count": {"min": 1}, "max_duplicate_share": 0.01}


def test_learn_margin_widens_ranges_by_a_share_of_the_width():
    ref = pd.DataFrame({"x": [0.0, 50.0, 100.0]})
    col = Expectations.learn(ref, range_margin=0.1, range_tolerance=0).to_dict()["columns"]["x"]
    assert (col["min"], col["max"]) == (-10.0, 110.0)
    assert "max_out_of_range" not in col


def test_learn_categorical_max_unique_and_row_count_ratio(reference):
    spec = Expectations.learn(
        reference, categorical_max_unique=2, row_count_ratio=(0.5, 2.0)
    ).to_dict()
    assert "categories" not in spec["columns"]["region"]  # 3 > 2 distinct values
    assert spec["columns"]["segment"]["categories"] == ["a", "b"]
    assert spec["table"]["row_count"] == {"min": 100, "max": 400}


def test_learn_duplicate_share_comes_from_the_reference():
    ref = pd.DataFrame({"a": [1, 1, 1, 2], "b": ["x", "x", "x", "y"]})  # 2 of 4 duplicated
    spec = Expectations.learn(ref, duplicate_tolerance=0.0).to_dict()
    assert spec["table"]["max_duplicate_share"] == 0.5


@pytest.mark.parametrize(
    ("data", "match"),
    [
        ([1, 2, 3], "Invalid reference: got a list"),
        (pd.DataFrame(), "empty DataFrame"),
        (pd.DataFrame({"a": []}), "empty DataFrame"),
    ],
)
def test_learn_rejects_non_frames_and_empty_frames(data, match):
    with pytest.raises(InputError, match=match):
        Expectations.learn(data)


def test_learn_rejects_duplicate_column_names():
    df = pd.DataFrame([[1, 2, 3]], columns=["a", "b", "a"])
    with pytest.raises(ColumnError, match=r"duplicated column names \['a'\]"):
        Expectations.learn(df)


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"range_margin": -0.1}, "range_margin"),
        ({"missing_tolerance": "1%"}, "missing_tolerance"),
        ({"categorical_max_unique": 2.5}, "categorical_max_unique"),
        ({"range_tolerance": 2}, "range_tolerance"),
        ({"row_count_ratio": (2, 1)}, "row_count_ratio"),
    ],
)
def test_learn_rejects_bad_options(kwargs, name):
    with pytest.raises(InputError, match=f"Invalid {name}"):
        Expectations.learn(pd.DataFrame({"a": [1]}), **kwargs)


def test_dict_and_yaml_round_trip(reference, tmp_path):
    exp = Expectations.learn(reference).with_severity(max_duplicate_share="warning")
    assert Expectations.from_dict(exp.to_dict()) == exp
    path = exp.to_yaml(tmp_path / "sub" / "expectations.yaml")
    assert path.is_file() and not path.with_name(path.name + ".tmp").exists()
    assert Expectations.from_yaml(path) == exp
    assert "region:" in path.read_text()


def test_hand_written_yaml_spec(tmp_path):
    path = tmp_path / "exp.yaml"
    path.write_text(
        "columns:\n"
        "  age: {dtype: int64, min: 18, max: 95, max_missing: 0.0}\n"
        "  region: {categories: [north, south], severity: warning}\n"
        "table:\n"
        "  row_count: {min: 10, max: 1000}\n"
        "  allow_extra_columns: false\n"
    )
    exp = Expectations.from_yaml(path)
    assert exp.columns == ["age", "region"]
    # age: present, dtype, min, max, max_missing; region: present, categories; row count
    assert exp.n_expectations == 8
    spec = exp.to_dict()
    assert spec["columns"]["region"]["severity"] == "warning"
    assert spec["table"]["allow_extra_columns"] is False


@pytest.mark.parametrize(
    ("spec", "match"),
    [
        ({"columns": {"age": {"maximum": 3}}}, r"columns\.age\.maximum: unknown key"),
        ({"colums": {}}, r"colums: unknown key; allowed keys: \['columns', 'table', 'severity'\]"),
        ({"table": {"rows": 3}}, r"table\.rows: unknown key; allowed keys: \['row_count', "),
        ({"columns": {"x": {"max_missing": 2}}}, r"columns\.x\.max_missing: got 2"),
        ({"columns": {"x": {"max_out_of_range": -1}}}, r"columns\.x\.max_out_of_range"),
        ({"columns": {"x": {"min": 5, "max": 1}}}, r"columns\.x: min \(5\) must be <= max \(1\)"),
        ({"columns": {"x": {"categories": "abc"}}}, r"columns\.x\.categories"),
        (
            {"columns": {"x": {"severity": "fatal"}}},
            r"columns\.x\.severity: got 'fatal'; allowed: 'error' or",
        ),
        ({"severity": {"size": "warning"}}, r"severity\.size: got 'size'; allowed"),
        ({"table": {"row_count": {"min": -1}}}, r"table\.row_count\.min"),
        ([1, 2], r"must be a YAML mapping, got list"),
    ],
)
def test_bad_specs_raise_config_error_naming_the_key(spec, match):
    with pytest.raises(ConfigError, match=match):
        Expectations.from_dict(spec)


def test_every_problem_of_a_spec_file_is_reported_at_once_with_the_file(tmp_path):
    path = tmp_path / "exp.yaml"
    path.write_text(
        "columns:\n  age: {max_missing: 2, min: 5, max: 1}\n  region: {severity: fatal}\n"
        "table: {row_count: {min: -1}}\n"
    )
    with pytest.raises(ConfigError) as info:
        Expectations.from_yaml(path)
    text = str(info.value)
    assert text.startswith(f"Invalid expectation spec {path}: 3 problem(s)"), text
    for part in ("columns.age.max_missing", "columns.region.severity", "table.row_count.min"):
        assert part in text, part


def test_from_yaml_errors(tmp_path):
    with pytest.raises(InputError, match="Invalid path"):
        Expectations.from_yaml(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("columns: [unclosed\n")
    with pytest.raises(ConfigError, match=r"bad\.yaml: the expectation spec is not valid YAML"):
        Expectations.from_yaml(bad)


def test_builder_returns_new_objects():
    base = Expectations()
    exp = (
        base.expect_column("age", dtype="int64", min=18, max=95)
        .expect_column("age", max_missing=0.0)  # merges into the same column
        .expect_row_count(min=10)
        .expect_max_duplicate_share(0.0)
        .expect_no_extra_columns()
    )
    assert base.to_dict() == {"columns": {}}
    assert exp.to_dict() == {
        "columns": {"age": {"dtype": "int64", "max_missing": 0.0, "min": 18, "max": 95}},
        "table": {
            "row_count": {"min": 10},
            "max_duplicate_share": 0.0,
            "allow_extra_columns": False,
        },
    }
    with pytest.raises(ConfigError, match=r"columns\.age\.max_missing"):
        exp.expect_column("age", max_missing=1.5)
    with pytest.raises(InputError, match="Invalid kind"):
        exp.with_severity(colour="warning")


def test_to_pandera_gives_a_reusable_schema():
    import pandera.pandas as pa
    from pandera.errors import SchemaErrors

    schema = Expectations().expect_column("age", dtype="int64", max=95).to_pandera()
    assert isinstance(schema, pa.DataFrameSchema)
    schema.validate(pd.DataFrame({"age": [20, 95]}))
    with pytest.raises(SchemaErrors):
        schema.validate(pd.DataFrame({"age": [20, 96]}), lazy=True)
