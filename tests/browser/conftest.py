"""A real JupyterLab server and a real headless Chromium for widget tests.

The server is started on a free 127.0.0.1 port with its own token, config,
runtime and workspace folders, and stopped by its PID afterwards. Chromium is
Debian's (``/usr/bin/chromium``, installed by ``.ci/run``), driven by
Playwright; a test tool's own browser download does not work here.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
TOKEN = "mlops-kit-browser-test"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def chromium_path():
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("CI must install Debian's chromium (see .ci/run) for the browser tests")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    return str(CHROMIUM)


@pytest.fixture(scope="session")
def lab(tmp_path_factory, chromium_path):
    """A JupyterLab server rooted in a temp folder: yields (base_url, root, token)."""
    root = tmp_path_factory.mktemp("lab")
    home = tmp_path_factory.mktemp("lab-home")
    config = home / "config"
    (config / "labconfig").mkdir(parents=True)
    # no "news" pop-up over the page
    (config / "labconfig" / "page_config.json").write_text(
        json.dumps({"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}})
    )
    port = _free_port()
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(config),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "MLFLOW_LOGGING_LEVEL": "WARNING",
        "MPLBACKEND": "Agg",
    }
    log = open(home / "lab.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyter",
            "lab",
            "--no-browser",
            "--allow-root",
            f"--port={port}",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.token={TOKEN}",
            f"--ServerApp.root_dir={root}",
            f"--LabApp.workspaces_dir={home / 'workspaces'}",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={TOKEN}", timeout=5):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    pytest.fail(
                        f"JupyterLab did not start: {(home / 'lab.log').read_text()[-2000:]}"
                    )
                time.sleep(0.5)
        yield base, root, TOKEN
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
        log.close()


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path, args=FLAGS)
        yield b
        b.close()


@pytest.fixture
def open_notebook(lab, browser):
    """Write a notebook into the lab's folder, open it and run all cells; returns the page."""
    import nbformat

    pages = []

    def _open(name: str, *sources: str, width: int = 1400, height: int = 1000, init_script=None):
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
        nbformat.write(nb, lab[1] / name)
        page = browser.new_page(viewport={"width": width, "height": height})
        pages.append(page)
        if init_script:  # runs in the page before JupyterLab's own scripts
            page.add_init_script(init_script)
        page.set_default_timeout(120_000)
        # a workspace of its own, reset: only this notebook is open
        stem = name.rsplit(".", 1)[0]
        page.goto(f"{lab[0]}/lab/workspaces/{stem}/tree/{name}?reset&token={lab[2]}")
        page.wait_for_selector(".jp-Notebook .jp-Cell")
        page.wait_for_selector("#jp-main-statusbar >> text=Idle")
        page.click(".jp-Notebook .jp-Cell .jp-InputArea-editor")
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
        return page

    yield _open
    for page in pages:
        page.close()
