"""A closed or restarted notebook kernel loses no buffered metric: real IPython kernels.

jupyter_client's ``shutdown_kernel(now=False)`` (what closing a notebook does)
sends a shutdown request, SIGTERM 2.5 s later and SIGKILL at 5 s; a restart
does the same to the old kernel. 50,000 values are logged with a buffer that
would hold 100,000 and no background interval: only the kit's write-time cap
and its shutdown hook can get them all into the store in time.
"""

from __future__ import annotations

import textwrap

import pytest

N = 50_000


def _log_in_kernel(kc, tracking_uri):
    code = textwrap.dedent(
        f"""
        from mlops_kit.tracking import start_run
        run = start_run("kernel", run_name="left-open", tracking_uri={tracking_uri!r},
                        flush_interval=None, buffer_size=100_000)
        for i in range({N}):
            run.log_metric("loss", i * 0.5)
        print(run.run_id, len(run.buffer) > 0)
        """
    )
    output = _Collector()
    reply = kc.execute_interactive(code, timeout=600, output_hook=output)
    assert reply["content"]["status"] == "ok", output.text
    run_id, some_pending = output.text.split()
    assert some_pending == "True", "some values are still only in memory"
    return run_id


def _check_store(tracking_uri, run_id):
    from mlops_kit.tracking.store import get_client

    client = get_client(tracking_uri)
    history = client.get_metric_history(run_id, "loss")
    assert [(m.step, m.value) for m in history] == [(i, i * 0.5) for i in range(N)]
    assert client.get_run(run_id).info.status == "FINISHED"


@pytest.mark.slow
def test_kernel_shutdown_writes_every_buffered_value(tracking_uri):
    from jupyter_client.manager import start_new_kernel

    km, kc = start_new_kernel(kernel_name="python3")
    try:
        run_id = _log_in_kernel(kc, tracking_uri)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)  # what closing a notebook does: a shutdown request
    _check_store(tracking_uri, run_id)


@pytest.mark.slow
def test_kernel_restart_writes_every_buffered_value(tracking_uri):
    from jupyter_client.manager import start_new_kernel

    km, kc = start_new_kernel(kernel_name="python3")
    try:
        run_id = _log_in_kernel(kc, tracking_uri)
        km.restart_kernel(now=False)  # "Restart kernel": the old process is shut down
        _check_store(tracking_uri, run_id)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


class _Collector:
    def __init__(self):
        self.text = ""

    def __call__(self, msg):
        if msg["msg_type"] == "stream":
            self.text += msg["content"]["text"]
        elif msg["msg_type"] == "error":
            self.text += "\n".join(msg["content"]["traceback"])
