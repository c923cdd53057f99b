"""The training-room app: the assessment and ROI widgets as Voilà pages, and a room's results.

:class:`Room` stores what participants submit (SQLite in the room folder);
``mlops-kit app assess|roi|room`` serves the pages (see :mod:`mlops_kit.app.serve`).

Examples
--------
>>> import tempfile
>>> from mlops_kit.app import Room
>>> Room(tempfile.mkdtemp()).results().summary()
'Room: no submissions yet'
"""

from __future__ import annotations

from mlops_kit._lazy import lazy_exports

__all__ = ["Room", "RoomResult"]

__getattr__, __dir__ = lazy_exports(__name__, {"Room": "room", "RoomResult": "results"}, globals())
