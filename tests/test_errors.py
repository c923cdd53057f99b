"""The exception tree: one root, standard-library compatible, clear messages."""

from __future__ import annotations

import inspect

import pytest

from mlops_kit import errors


def test_every_error_derives_from_the_root():
    classes = [
        c for _, c in inspect.getmembers(errors, inspect.isclass) if c.__module__ == errors.__name__
    ]
    assert len(classes) >= 10
    for cls in classes:
        assert issubclass(cls, errors.MlopsKitError), cls
    assert set(errors.__all__) == {c.__name__ for c in classes}


def test_input_errors_are_value_errors_and_name_what_was_wrong():
    exc = errors.InputError.invalid("severity", 2.5, "a number in [0, 1]", hint="Use 0.3.")
    assert isinstance(exc, ValueError)
    assert str(exc) == "Invalid severity: got 2.5; allowed: a number in [0, 1]. Use 0.3."
    assert "'abc'" in str(errors.InputError.invalid("kind", "abc", "x"))


def test_long_values_are_shortened():
    exc = errors.InputError.invalid("data", "x" * 1000, "short")
    assert len(str(exc)) < 300


@pytest.mark.parametrize(
    "cls", [errors.ColumnError, errors.ModelNotFoundError, errors.AliasNotFoundError]
)
def test_lookup_errors_print_their_message_without_quotes(cls):
    assert str(cls("column 'age' is missing")) == "column 'age' is missing"


def test_lookups_are_catchable_as_lookup_errors():
    with pytest.raises(LookupError):
        raise errors.ModelNotFoundError("no model 'x'")
    with pytest.raises(ConnectionError):
        raise errors.StoreUnreachableError("down")
