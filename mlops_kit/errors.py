"""One exception tree for mlops-kit.

Every error the kit raises on purpose is a :class:`MlopsKitError`. The
children say *what kind* of thing went wrong; the message says *what* was
received, *what is allowed* and, where it helps, *what to do*.

Errors about bad input also subclass :class:`ValueError` (or
:class:`KeyError`/:class:`LookupError`) so that code written against the
standard library's conventions keeps working.

Examples
--------
>>> from mlops_kit.errors import InputError, MlopsKitError
>>> try:
...     raise InputError.invalid("severity", 2.0, "a number in [0, 1]")
... except MlopsKitError as exc:
...     print(exc)
Invalid severity: got 2.0; allowed: a number in [0, 1].
"""

from __future__ import annotations

__all__ = [
    "AliasNotFoundError",
    "ColumnError",
    "ConfigError",
    "DependencyError",
    "DeploymentError",
    "GateFailedError",
    "InputError",
    "MlopsKitError",
    "ModelNotFoundError",
    "RegistryError",
    "RollbackError",
    "StoreUnreachableError",
    "TrackingError",
    "ValidationError",
]


class MlopsKitError(Exception):
    """Base class of every error raised by mlops-kit."""


class InputError(MlopsKitError, ValueError):
    """A parameter, file or value given by the user is not allowed.

    Use :meth:`invalid` to build the standard message.
    """

    @classmethod
    def invalid(cls, name: str, got: object, allowed: str, hint: str | None = None):
        """Build an error naming the parameter, the value received and what is allowed.

        Parameters
        ----------
        name : str
            Name of the parameter, column or field.
        got : object
            The value that was received (shown with ``repr`` when it is a string).
        allowed : str
            Plain-language description of the allowed values.
        hint : str, optional
            What to do about it.

        Examples
        --------
        >>> str(InputError.invalid("n_rows", -1, "an integer >= 1"))
        'Invalid n_rows: got -1; allowed: an integer >= 1.'
        """
        shown = repr(got) if isinstance(got, str) else str(got)
        if len(shown) > 200:
            shown = shown[:197] + "..."
        msg = f"Invalid {name}: got {shown}; allowed: {allowed}."
        if hint:
            msg += f" {hint}"
        return cls(msg)


class ColumnError(InputError, KeyError):
    """A DataFrame column is missing, duplicated or of the wrong type."""

    def __str__(self) -> str:  # KeyError would otherwise repr() the message
        return str(self.args[0]) if self.args else ""


class ConfigError(MlopsKitError, ValueError):
    """A configuration file (YAML question bank, catalogue, policy) is invalid."""


class DependencyError(MlopsKitError, ImportError):
    """An optional dependency is missing or has an incompatible version."""


class TrackingError(MlopsKitError):
    """Logging to the tracking store failed or was asked to do something invalid."""


class StoreUnreachableError(TrackingError, ConnectionError):
    """The MLflow tracking or registry store cannot be reached."""


class RegistryError(MlopsKitError):
    """A model registry operation is not possible."""


class ModelNotFoundError(RegistryError, LookupError):
    """The registered model or model version does not exist."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class AliasNotFoundError(RegistryError, LookupError):
    """The alias is not set on the registered model."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class RollbackError(RegistryError):
    """A rollback cannot be done (for example there is no earlier version)."""


class ValidationError(MlopsKitError):
    """A validation check could not be run on the data given."""


class GateFailedError(MlopsKitError):
    """A quality, performance or approval gate did not pass (raised only on request)."""


class DeploymentError(MlopsKitError):
    """A deployment, rollout or serving operation failed."""
