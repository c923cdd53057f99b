"""Several real processes log to one experiment and move one model's alias at once, on the server.

Nothing may be lost (every logged value is counted) and the alias history
must stay consistent: sequence numbers unique and dense, each event's
``from_version`` the previous event's ``to_version`` (no lost update), and
the alias equal to the last event.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd

from mlops_kit.tracking.alias_history import history
from mlops_kit.tracking.registry_lock import is_lock
from mlops_kit.tracking.store import get_client

WORKER = str(Path(__file__).with_name("_worker.py"))
N_LOGGERS, N_VALUES = 2, 400
N_MOVERS, N_MOVES = 3, 6


def _model_with_three_versions(uri, name):
    client = get_client(uri)
    run = client.create_run(client.get_experiment_by_name("Default").experiment_id)
    client.create_registered_model(name)
    for _ in range(3):
        client.create_model_version(name, f"runs:/{run.info.run_id}/model", run.info.run_id)
    return client


def _start(args, tmp_path):
    return subprocess.Popen(
        [sys.executable, WORKER, *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=open(tmp_path / f"worker-{args[0]}-{args[-1]}.err", "w"),
        text=True,
        cwd=tmp_path,
    )


def test_concurrent_logging_and_alias_moves_lose_nothing(server_uri, tmp_path):
    client = _model_with_three_versions(server_uri, "churn")
    go = tmp_path / "go"
    logs = [["log", server_uri, go, "team", N_VALUES, i] for i in range(N_LOGGERS)]
    movers = [["move", server_uri, go, "churn", N_MOVES, 10 + i] for i in range(N_MOVERS)]
    procs = [_start(args, tmp_path) for args in logs + movers]
    for proc in procs:  # every worker imported and connected: start them together
        line = proc.stdout.readline().strip()
        assert line == "ready", [p.read_text()[-2000:] for p in tmp_path.glob("*.err")]
    go.touch()
    outputs = []
    for proc in procs:
        out, _ = proc.communicate(timeout=600)
        errs = "\n".join(p.read_text()[-2000:] for p in tmp_path.glob("worker-*.err"))
        assert proc.returncode == 0, errs
        outputs.append(json.loads(out.strip().splitlines()[-1]))

    # every logged value is in the store, once, in order
    runs = [o["run_id"] for o in outputs[:N_LOGGERS]]
    assert len(set(runs)) == N_LOGGERS
    experiment = client.get_experiment_by_name("team")
    assert {r.info.run_id for r in client.search_runs([experiment.experiment_id])} == set(runs)
    for seed, run_id in enumerate(runs):
        loss = client.get_metric_history(run_id, "loss")
        acc = client.get_metric_history(run_id, "acc")
        assert sorted(m.step for m in loss) == list(range(N_VALUES))
        assert sorted(m.step for m in acc) == list(range(N_VALUES))
        assert {m.step: m.value for m in loss} == {s: 1.0 / (s + 1) + seed for s in range(N_VALUES)}
        assert client.get_run(run_id).info.status == "FINISHED"

    # every move a worker made is in the history, in one consistent chain
    moves = [m for o in outputs[N_LOGGERS:] for m in o["moves"]]
    frame = history("churn", "champion", tracking_uri=server_uri)
    assert len(moves) > N_MOVERS  # the workers did move the alias
    assert frame["seq"].tolist() == list(range(1, len(moves) + 1))  # unique and dense
    assert sorted(frame["action"].tolist()) == sorted(m[0] for m in moves)
    previous = [None, *frame["to_version"].tolist()[:-1]]
    got = [None if pd.isna(v) else int(v) for v in frame["from_version"]]
    assert got == previous  # each move saw the one before it: no lost update
    rm = client.get_registered_model("churn")
    assert int(rm.aliases["champion"]) == int(frame["to_version"].iloc[-1])
    assert not [m.name for m in client.search_registered_models() if is_lock(m.name)]
