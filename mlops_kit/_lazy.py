"""Lazy public names for a package: import a submodule on first attribute access.

Every subpackage of the kit exposes its public names this way, so importing it
stays cheap (mlflow, pandas, ipywidgets and matplotlib load only when a name
that needs them is used).

Examples
--------
>>> getattr_, dir_ = lazy_exports("mlops_kit.tracking", {"get_client": "store"}, {})
>>> getattr_("get_client").__name__
'get_client'
"""

from __future__ import annotations

import importlib
import sys
import types

#: package name -> its name map (read by :class:`_LazyPackage`)
_MAPS: dict[str, dict[str, str]] = {}


class _LazyPackage(types.ModuleType):
    """A package whose public name keeps its meaning when a same-named submodule loads.

    ``mlops_kit.stack.recommend`` is a function defined in the submodule
    ``recommend``; when that submodule is first imported (by anyone), Python
    sets the package attribute ``recommend`` to the module. This class keeps the
    exported function there instead, as an eager ``from .recommend import
    recommend`` in ``__init__`` would (the module stays in ``sys.modules``).
    """

    def __setattr__(self, name, value):
        module = _MAPS.get(self.__name__, {}).get(name)
        if (
            module == name
            and isinstance(value, types.ModuleType)
            and value.__name__ == f"{self.__name__}.{name}"
            and hasattr(value, name)
        ):
            value = getattr(value, name)
        super().__setattr__(name, value)


def lazy_exports(package: str, exports: dict[str, str], namespace: dict):
    """Return ``(__getattr__, __dir__)`` for ``package``.

    Parameters
    ----------
    package : str
        The package's ``__name__``.
    exports : dict of str to str
        Public name -> submodule (relative to ``package``) that defines it.
    namespace : dict
        The package's ``globals()``; a resolved name is cached there.
    """

    _MAPS[package] = dict(exports)
    if package in sys.modules and type(sys.modules[package]) is types.ModuleType:
        sys.modules[package].__class__ = _LazyPackage

    def __getattr__(name: str):
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        namespace[name] = value
        return value

    def __dir__():
        return sorted(set(namespace) | set(exports))

    return __getattr__, __dir__
