"""A closed notebook kernel loses no buffered metric: a real IPython kernel, shut down."""

from __future__ import annotations

import textwrap

import pytest


@pytest.mark.slow
def test_kernel_shutdown_flushes_buffered_metrics(tracking_uri):
    from jupyter_client.manager import start_new_kernel

    from mlops_kit.tracking.store import get_client

    km, kc = start_new_kernel(kernel_name="python3")
    try:
        code = textwrap.dedent(
            f"""
            from mlops_kit.tracking import start_run
            run = start_run("kernel", run_name="left-open", tracking_uri={tracking_uri!r},
                            flush_interval=None, buffer_size=100_000)
            for i in range(2500):
                run.log_metric("loss", 1.0 / (i + 1))
            print(run.run_id, len(run.buffer))
            """
        )
        output = _Collector()
        reply = kc.execute_interactive(code, timeout=120, output_hook=output)
        assert reply["content"]["status"] == "ok", output.text
        run_id, pending = output.text.split()
        assert int(pending) == 2500, "the values are still only in memory"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)  # what closing a notebook does: a shutdown request

    client = get_client(tracking_uri)
    history = client.get_metric_history(run_id, "loss")
    assert [m.step for m in history] == list(range(2500))
    assert client.get_run(run_id).info.status == "FINISHED"


class _Collector:
    def __init__(self):
        self.text = ""

    def __call__(self, msg):
        if msg["msg_type"] == "stream":
            self.text += msg["content"]["text"]
        elif msg["msg_type"] == "error":
            self.text += "\n".join(msg["content"]["traceback"])
