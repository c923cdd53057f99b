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
