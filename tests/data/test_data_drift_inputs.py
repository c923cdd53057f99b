"""Bad input to inject_drift, split_reference_current and DriftSpec; the split and the spec."""

from __future__ import annotations

import pandas as pd
import pytest

from mlops_kit.data import (
    DRIFT_KINDS,
    DriftSpec,
    inject_drift,
    make_credit,
    split_reference_current,
)
from mlops_kit.errors import ColumnError, InputError


@pytest.fixture(scope="module")
def small():
    return make_credit(n_rows=800, seed=1)


# --- inject_drift -------------------------------------------------------------------


def test_kinds_are_listed():
    assert DRIFT_KINDS == ("covariate", "category_mix", "concept", "label")


@pytest.mark.parametrize("kind", ["bogus", "Covariate", None, 3])
def test_unknown_kind(small, kind):
    with pytest.raises(InputError, match=r"Invalid kind: .*allowed: one of \['covariate'"):
        inject_drift(small, kind)


@pytest.mark.parametrize("severity", [-0.1, 1.5, float("nan"), float("inf"), True, "0.5", None])
def test_severity_outside_zero_one(small, severity):
    with pytest.raises(InputError, match=r"Invalid severity: .*allowed: a number in \[0, 1\]"):
        inject_drift(small, "covariate", severity=severity)


@pytest.mark.parametrize("seed", [-1, 0.5, "1"])
def test_bad_seed(small, seed):
    with pytest.raises(InputError, match="Invalid seed"):
        inject_drift(small, "concept", seed=seed)


def test_missing_column_names_it_and_lists_the_frame_columns(small):
    with pytest.raises(ColumnError) as info:
        inject_drift(small, "covariate", columns=["income", "salary"])
    message = str(info.value)
    assert "'salary'" in message and "'income'" in message and "'loan_purpose'" in message
    assert isinstance(info.value, KeyError)


@pytest.mark.parametrize(
    ("kind", "column", "needs"),
    [
        ("covariate", "region", "needs a numeric column"),
        ("category_mix", "income", "needs a categorical column"),
        ("covariate", "default", "cannot drift"),
        ("covariate", "id", "cannot drift"),
        ("category_mix", "application_date", "cannot drift"),
        ("concept", "id", "cannot drift"),
    ],
)
def test_column_of_the_wrong_type(small, kind, column, needs):
    with pytest.raises(ColumnError, match=f"'{column}'.*{needs}"):
        inject_drift(small, kind, columns=column)


def test_concept_column_must_be_a_concept_feature(small):
    df = small.assign(note=[float(i % 7) for i in range(len(small))])
    with pytest.raises(ColumnError, match="'note' is not a feature of the credit concept"):
        inject_drift(df, "concept", columns="note")
    # a numeric column outside the concept can still shift (its targets keep their law)
    out = inject_drift(df, "covariate", columns="note", severity=1.0)
    assert (out["note"] > df["note"]).sum() > 0
    # a constant column has no spread to shift by
    constant = inject_drift(small.assign(one=1.0), "covariate", columns="one", severity=1.0)
    assert (constant["one"] == 1.0).all()


@pytest.mark.parametrize("columns", [[], ["income", "income"], [1], 5])
def test_bad_column_lists(small, columns):
    with pytest.raises(InputError, match="Invalid columns"):
        inject_drift(small, "covariate", columns=columns)


def test_label_takes_only_the_target(small):
    with pytest.raises(InputError, match=r"Invalid columns: got \['income'\].*\['default'\]"):
        inject_drift(small, "label", columns=["income"])
    assert inject_drift(small, "label", columns="default").attrs["mlops_kit_drift"]


@pytest.mark.parametrize("start", ["2099-01-01", "yesterday-ish", 42, pd.Timestamp("2030-01-01")])
def test_start_must_be_a_time_at_or_before_the_last_row(small, start):
    with pytest.raises(InputError, match="Invalid start"):
        inject_drift(small, "covariate", start=start)


def test_start_with_a_time_zone_on_naive_data(small):
    with pytest.raises(InputError, match="time zone"):
        inject_drift(small, "covariate", start=pd.Timestamp("2023-06-01", tz="UTC"))


def test_label_needs_a_positive_row_after_start():
    df = make_credit(n_rows=200, seed=0)
    last = df["application_date"].max()
    df.loc[df["application_date"] == last, "default"] = 0
    with pytest.raises(InputError, match="at least one positive row"):
        inject_drift(df, "label", start=last)


def test_category_argument(small):
    with pytest.raises(InputError, match=r"Invalid category: .*unless kind='category_mix'"):
        inject_drift(small, "covariate", category="car")
    with pytest.raises(InputError, match=r"Invalid category: got 'boat'.*'loan_purpose'"):
        inject_drift(small, "category_mix", category="boat")
    with pytest.raises(InputError, match="a dict"):
        inject_drift(small, "category_mix", columns=["region", "loan_purpose"], category="car")
    with pytest.raises(InputError, match="keys are among columns"):
        inject_drift(small, "category_mix", columns="region", category={"loan_purpose": "car"})
    with pytest.raises(InputError, match="Invalid category"):
        inject_drift(small, "category_mix", columns="region", category=["north"])


def test_frame_checks(small):
    with pytest.raises(InputError, match="Invalid df: got 'list'; allowed: a pandas DataFrame"):
        inject_drift([1, 2], "covariate")
    with pytest.raises(InputError, match="make_credit or make_demand"):
        inject_drift(pd.DataFrame({"x": [1.0, 2.0]}), "covariate", columns="x")
    with pytest.raises(InputError, match="at least one row"):
        inject_drift(small.iloc[:0], "covariate")
    as_text = small.assign(application_date=small["application_date"].astype(str))
    with pytest.raises(ColumnError, match="'application_date' must hold timestamps"):
        inject_drift(as_text, "covariate")
    without = small.drop(columns="credit_score")
    with pytest.raises(ColumnError, match="'credit_score'"):
        inject_drift(without, "concept", columns="age")


def test_frame_without_attrs_is_recognised_by_its_columns(small):
    df = small.copy()
    df.attrs.clear()
    out = inject_drift(df, "concept", severity=0.3)
    assert out.attrs["mlops_kit_dataset"] == "credit"
    assert df.attrs == {}


# --- split_reference_current --------------------------------------------------------


def test_split_defaults_to_the_middle_without_drift(small):
    reference, current = split_reference_current(small)
    assert reference["application_date"].max() < pd.Timestamp("2023-10-01")
    assert current["application_date"].min() >= pd.Timestamp("2023-10-01")
    assert len(reference) + len(current) == len(small)
    assert list(reference.index) == list(range(len(reference)))
    assert current.attrs["mlops_kit_dataset"] == "credit"


def test_split_defaults_to_the_first_recorded_drift_start(small):
    df = inject_drift(small, "covariate", start="2024-03-01")
    df = inject_drift(df, "concept", start="2024-05-01")
    reference, current = split_reference_current(df)
    assert current["application_date"].min() >= pd.Timestamp("2024-03-01")
    assert reference["application_date"].max() < pd.Timestamp("2024-03-01")
    reference, current = split_reference_current(df, at="2023-02-01")
    assert reference["application_date"].max() < pd.Timestamp("2023-02-01")


@pytest.mark.parametrize("at", ["2000-01-01", "2030-01-01", "2023-01-01", "garbage"])
def test_split_needs_both_windows(small, at):
    with pytest.raises(InputError, match="Invalid at"):
        split_reference_current(small, at=at)


# --- DriftSpec ----------------------------------------------------------------------


def test_spec_applies_like_inject_drift(small):
    spec = DriftSpec("category_mix", columns=("region",), severity=0.6, seed=2, category="west")
    pd.testing.assert_frame_equal(
        spec.apply(small),
        inject_drift(
            small, "category_mix", columns=["region"], severity=0.6, seed=2, category="west"
        ),
    )
    assert DriftSpec.from_dict(spec.to_dict()) == spec
    record = spec.apply(small).attrs["mlops_kit_drift"][0]
    assert DriftSpec.from_dict(record).apply(small).equals(spec.apply(small))


def test_spec_is_checked_when_applied_not_built(small):
    spec = DriftSpec("bogus", severity=7)  # stored as is
    with pytest.raises(InputError, match="Invalid kind"):
        spec.apply(small)
    with pytest.raises(InputError, match="Invalid data"):
        DriftSpec.from_dict({"kind": "label", "strength": 1})
    with pytest.raises(InputError, match="Invalid data"):
        DriftSpec.from_dict({"severity": 1})
