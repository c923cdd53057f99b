"""Flush and end live runs when the interpreter exits or receives SIGTERM.

Installed once, when the first kit run starts (after MLflow is imported, so
the kit's ``atexit`` handler runs before MLflow's own ``end_run`` handler):

- at normal interpreter exit every run still open has its buffered metrics
  written and is ended (``FAILED`` if the interpreter is exiting on an
  unhandled exception, else ``FINISHED``, as MLflow would);
- on SIGTERM, only when the default handler is in place (the kit never
  replaces a handler someone else installed), open runs are flushed and
  marked ``KILLED``, then the default behaviour is re-delivered (the process
  terminates by SIGTERM as it would have).

SIGKILL cannot be caught: values still in memory then are lost, which is why
buffers also flush on a short interval.

Examples
--------
>>> live_runs()
[]
"""

from __future__ import annotations

import atexit
import os
import signal
import sys
import threading

__all__ = ["end_live_runs", "live_runs", "register", "unregister"]

_LIVE: dict[int, object] = {}
_LOCK = threading.Lock()
_INSTALLED_PID: int | None = None


def register(run) -> None:
    """Track ``run`` (anything with ``end(status)``) until :func:`unregister`."""
    with _LOCK:
        _LIVE[id(run)] = run
    _install()


def unregister(run) -> None:
    """Stop tracking ``run``."""
    with _LOCK:
        _LIVE.pop(id(run), None)


def live_runs() -> list:
    """Return the runs started in this process and not yet ended."""
    with _LOCK:
        return list(_LIVE.values())


def end_live_runs(status: str) -> None:
    """End every live run with ``status`` (best effort; failures go to stderr)."""
    if _INSTALLED_PID is not None and os.getpid() != _INSTALLED_PID:
        return  # a forked child must not end its parent's runs
    for run in reversed(live_runs()):
        try:
            run.end(status)
        except Exception as exc:  # at exit there is no caller to raise to
            print(f"mlops-kit: could not end run cleanly: {exc}", file=sys.stderr)


def _at_exit() -> None:
    failed = getattr(sys, "last_value", None) is not None
    end_live_runs("FAILED" if failed else "FINISHED")


def _on_sigterm(signum, frame) -> None:
    end_live_runs("KILLED")
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    os.kill(os.getpid(), signal.SIGTERM)


def _install() -> None:
    global _INSTALLED_PID
    with _LOCK:
        if os.getpid() == _INSTALLED_PID:
            return
        _INSTALLED_PID = os.getpid()
    atexit.register(_at_exit)
    if threading.current_thread() is not threading.main_thread():
        return
    try:
        if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
            signal.signal(signal.SIGTERM, _on_sigterm)
    except (ValueError, OSError, AttributeError):  # no SIGTERM or not allowed here
        pass
