"""Flush and end live runs when the process is asked to stop.

Installed once, when the first kit run starts (after MLflow is imported, so
the kit's ``atexit`` handler runs before MLflow's own ``end_run`` handler):

- **Jupyter kernel shutdown or restart** (a ``shutdown_request``, what
  closing or restarting a notebook sends): inside an IPython kernel the
  kernel's ``do_shutdown`` is wrapped so that every open run is flushed and
  ended ``FINISHED`` as soon as the request arrives, before the kernel stops
  its loops. jupyter_client sends SIGTERM 2.5 s and SIGKILL 5 s after the
  request; the buffer keeps what is pending writable in about
  ``max_write_seconds`` (1 s by default, see
  :class:`~mlops_kit.tracking.buffer.MetricBuffer`), so the flush fits.
- **normal interpreter exit**: every run still open has its buffered metrics
  written and is ended (``FAILED`` if the interpreter is exiting on an
  unhandled exception, else ``FINISHED``, as MLflow would).
- **SIGTERM**, only when the default handler is in place (the kit never
  replaces a handler someone else installed): open runs are flushed and
  marked ``KILLED``, then the default behaviour is re-delivered (the process
  terminates by SIGTERM as it would have). A SIGTERM that arrives while the
  main thread is already writing or ending a run (the exit flush, a flush,
  an earlier SIGTERM) is *deferred*: the write in progress finishes, then the
  process terminates. It never interrupts a flush half-way.

SIGKILL cannot be caught: values still in memory then are lost. The
background flush bounds that loss to what one ``flush_interval`` holds.

Examples
--------
>>> live_runs()
[]
>>> with busy():
...     pass
"""

from __future__ import annotations

import atexit
import contextlib
import os
import signal
import sys
import threading

__all__ = ["busy", "end_live_runs", "live_runs", "register", "run_deferred", "unregister"]

_LIVE: dict[int, object] = {}
_LOCK = threading.Lock()
_INSTALLED_PID: int | None = None
_STATE = threading.local()  # depth of busy() sections in this thread
_SIGTERM_DEFERRED = False


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


@contextlib.contextmanager
def busy():
    """Mark a write or end in progress: a SIGTERM arriving meanwhile waits for it.

    Used around every flush and run end. When the outermost section of the
    main thread closes and a SIGTERM arrived during it, the process ends its
    remaining runs and terminates then.
    """
    depth = getattr(_STATE, "depth", 0)
    _STATE.depth = depth + 1
    try:
        yield
    finally:
        _STATE.depth = depth
        run_deferred()


def end_live_runs(status: str) -> None:
    """End every live run with ``status`` (best effort; failures go to stderr)."""
    if _INSTALLED_PID is not None and os.getpid() != _INSTALLED_PID:
        return  # a forked child must not end its parent's runs
    with busy():
        for run in reversed(live_runs()):
            try:
                run.end(status)
            except Exception as exc:  # at exit there is no caller to raise to
                print(f"mlops-kit: could not end run cleanly: {exc}", file=sys.stderr)


def _at_exit() -> None:
    failed = getattr(sys, "last_value", None) is not None
    end_live_runs("FAILED" if failed else "FINISHED")


def _terminate() -> None:
    global _SIGTERM_DEFERRED
    _SIGTERM_DEFERRED = False
    _STATE.depth = 1  # a SIGTERM arriving now is deferred, never re-entered
    try:
        end_live_runs("KILLED")
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTERM)


def _interrupted_inside_a_buffer() -> bool:
    """True if this thread was stopped while holding a run's buffer lock (in ``add``)."""
    for run in live_runs():
        lock = getattr(getattr(run, "buffer", None), "_lock", None)
        try:
            if lock is not None and lock._is_owned():
                return True
        except AttributeError:  # not an RLock
            continue
    return False


def run_deferred() -> None:
    """Terminate now if a SIGTERM was deferred while this (main) thread was busy."""
    if (
        _SIGTERM_DEFERRED
        and getattr(_STATE, "depth", 0) == 0
        and threading.current_thread() is threading.main_thread()
    ):
        _terminate()


def _on_sigterm(signum, frame) -> None:
    global _SIGTERM_DEFERRED
    if getattr(_STATE, "depth", 0) > 0 or _interrupted_inside_a_buffer():
        _SIGTERM_DEFERRED = True  # a write, an end or a buffer update is under us: finish it
        return
    _terminate()


def _wrap_kernel_shutdown() -> None:
    """Inside an IPython kernel, end open runs when the shutdown request arrives."""
    if "ipykernel" not in sys.modules:
        return
    try:
        from ipykernel.kernelapp import IPKernelApp

        if not IPKernelApp.initialized():
            return
        kernel = IPKernelApp.instance().kernel
    except Exception:  # not a standard ipykernel: atexit and SIGTERM still apply
        return
    if kernel is None or getattr(kernel.do_shutdown, "_mlops_kit", False):
        return
    original = kernel.do_shutdown

    def do_shutdown(restart, *args, **kwargs):
        end_live_runs("FINISHED")
        return original(restart, *args, **kwargs)

    do_shutdown._mlops_kit = True
    kernel.do_shutdown = do_shutdown


def _install() -> None:
    global _INSTALLED_PID
    with _LOCK:
        if os.getpid() == _INSTALLED_PID:
            return
        _INSTALLED_PID = os.getpid()
    atexit.register(_at_exit)
    _wrap_kernel_shutdown()
    if threading.current_thread() is not threading.main_thread():
        return
    try:
        if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
            signal.signal(signal.SIGTERM, _on_sigterm)
    except (ValueError, OSError, AttributeError):  # no SIGTERM or not allowed here
        pass
