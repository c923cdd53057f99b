"""The one parameter mechanism: constraints, the checker, get_params and repr."""

import pytest

from mlops_kit._params import InstanceOf, Interval, Options, Params, Predicate, check_param
from mlops_kit.errors import InputError


class Check(Params):
    _parameter_constraints = {
        "share": [Interval(float, 0, 1, closed="right")],
        "engine": [Options("native", "evidently")],
        "columns": [None, InstanceOf(list, tuple, description="a list of column names")],
        "n": [Interval(int, 1, None)],
        "flag": ["boolean"],
    }

    def __init__(self, share=0.5, engine="native", columns=None, n=3, flag=False):
        self.share = share
        self.engine = engine
        self.columns = columns
        self.n = n
        self.flag = flag


def test_constructor_only_stores_and_validation_names_the_parameter():
    bad = Check(share=0.0)  # no error yet: constructors only store
    with pytest.raises(InputError, match=r"Invalid share: got 0.0; allowed: a number in \(0, 1\]"):
        bad._validate_params()


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"share": True}, "share"),
        ({"share": float("nan")}, "share"),
        ({"engine": "spark"}, "engine"),
        ({"columns": "a"}, "columns"),
        ({"n": 2.0}, "n"),
        ({"n": True}, "n"),
        ({"flag": 1}, "flag"),
    ],
)
def test_each_violation_is_the_standard_error(kwargs, name):
    with pytest.raises(InputError, match=rf"^Invalid {name}: got "):
        Check(**kwargs)._validate_params()


def test_valid_parameters_pass_and_round_trip():
    check = Check(share=1, engine="evidently", columns=["a"], n=5, flag=True)
    check._validate_params()
    assert check.get_params() == {
        "share": 1,
        "engine": "evidently",
        "columns": ["a"],
        "n": 5,
        "flag": True,
    }
    assert Check().set_params(**check.get_params()).get_params() == check.get_params()


def test_repr_shows_only_what_differs_from_defaults():
    assert repr(Check()) == "Check()"
    assert repr(Check(engine="evidently", n=4)) == "Check(engine='evidently', n=4)"


def test_set_params_refuses_unknown_names():
    with pytest.raises(InputError, match="Invalid parameter: got 'nope'"):
        Check().set_params(nope=1)


def test_check_param_for_functions_and_predicates():
    positive = Predicate(lambda v: v > 0, "a positive number")
    assert check_param("x", 2, [positive]) == 2
    with pytest.raises(InputError, match="allowed: a positive number or None"):
        check_param("x", "a", [positive, None])
    assert check_param("x", None, [positive, None]) is None
