"""``mlops-kit app``: a real Voilà server started and stopped by PID, and its bad input."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import urllib.request

from click.testing import CliRunner

from mlops_kit.cli import cli


def test_serves_the_pages_prints_urls_and_stops_on_sigterm(tmp_path):
    env = {**os.environ, "MLOPS_KIT_TRACEBACK": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "mlops_kit", "app", "room", "--room", str(tmp_path / "room")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,
    )
    try:
        first = proc.stdout.readline()
        assert first.startswith("Serving the training room"), first + proc.stderr.read()
        line = proc.stdout.readline()
        url = re.search(
            r"room: (http://127\.0\.0\.1:\d+/voila/render/room\.ipynb\?token=\S+)", line
        )
        assert url, line
        page = urllib.request.urlopen(url.group(1), timeout=120).read().decode()
        # the page ran the packaged notebook; Voilà hides its code
        assert "widget-view" in page or "application/vnd.jupyter.widget-view" in page
        assert "from mlops_kit.app.pages import" not in page
        # without the token the page is refused: Voilà sends the browser to its login form
        bare = urllib.request.urlopen(url.group(1).split("?")[0], timeout=30)
        assert "/login" in bare.geturl()
        assert "widget-view" not in bare.read().decode()
    finally:
        os.kill(proc.pid, signal.SIGTERM)
        _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "Stopping the training room." in err
    assert "Traceback" not in err


def test_port_in_use_is_exit_2_naming_the_port(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        res = CliRunner().invoke(
            cli, ["app", "assess", "--room", str(tmp_path), "--port", str(port)]
        )
    assert res.exit_code == 2, res.output
    assert f"Invalid --port: got {port}" in res.output
    assert len(res.output.strip().splitlines()) == 1


def test_voila_missing_names_the_extra(tmp_path, monkeypatch):
    # Voilà is installed here; a None entry in sys.modules makes it unimportable, as when
    # the 'app' extra was not installed
    monkeypatch.setitem(sys.modules, "voila", None)
    res = CliRunner().invoke(cli, ["app", "roi", "--room", str(tmp_path)])
    assert res.exit_code == 2, res.output
    assert "pip install 'mlops-kit[app]'" in res.output
    assert "Traceback" not in res.output


def test_lan_host_warns_about_authentication(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "voila", None)  # stop before a server starts
    res = CliRunner().invoke(cli, ["app", "assess", "--room", str(tmp_path), "--host", "0.0.0.0"])
    assert "no other authentication" in res.output
    assert res.exit_code == 2


def test_unknown_page_is_exit_2():
    res = CliRunner().invoke(cli, ["app", "quiz"])
    assert res.exit_code == 2
    assert "quiz" in res.output
