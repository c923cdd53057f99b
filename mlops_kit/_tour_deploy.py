"""Step 3 of the tour: a gated pipeline, a real scoring server and two canary rollouts.

On the tour's store: :class:`~mlops_kit.deploy.Pipeline` (the default stages
without ``deploy``: validate data, train, evaluate, gate against the champion,
register, monitor) registers a retrained candidate; MLflow's scoring server
(:func:`~mlops_kit.deploy.serve`) answers a few predictions for the champion
over HTTP; a :class:`~mlops_kit.deploy.CanaryRollout` catches a deliberately
worse candidate at its first stage and rolls it back, and a second one promotes
the pipeline's candidate to ``champion``.

Examples
--------
>>> from mlops_kit._tour_deploy import step_deploy
>>> callable(step_deploy)
True
"""

from __future__ import annotations

import time

from mlops_kit._tour_models import TARGET, _features, _worse

MODEL_NAME = "credit-risk"
PART = "step-3"
#: rows of sample traffic the canaries route (the 5% stage needs about 25,000)
TRAFFIC_ROWS = 40_000


def _pipeline(uri, n_rows, seed, report):
    from mlops_kit.deploy import Pipeline, default_stages

    stages = default_stages(MODEL_NAME, n_rows=n_rows, seed=seed + 1)
    stages = [s for s in stages if s.name != "deploy"]
    result = Pipeline(
        stages, experiment="credit-risk-pipeline", run_name="pipeline-retrain", tracking_uri=uri
    ).run()
    report.add(
        "Pipeline: validate, train, evaluate, gate, register, monitor",
        "One tracked MLflow run; each stage's status, time and metrics are on the run, and a "
        "failing gate would stop it before anything is registered. Its deploy stage is the "
        "canary below.",
        result,
        part=PART,
    )
    return result


def _start_server(uri):
    """Start the champion's scoring server in a thread: it boots while the rollout runs."""
    from concurrent.futures import ThreadPoolExecutor

    from mlops_kit import tracking
    from mlops_kit.deploy import serve

    version = tracking.current(MODEL_NAME, "champion", tracking_uri=uri).version
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tour-serve")
    started = time.perf_counter()
    future = pool.submit(serve, f"models:/{MODEL_NAME}/{version}", tracking_uri=uri)
    future.add_done_callback(lambda _: setattr(future, "ready_at", time.perf_counter()))
    pool.shutdown(wait=False)
    return future, started


def _serve(uri, pending, sample, report):
    import numpy as np

    from mlops_kit.results import TableResult
    from mlops_kit.validation.performance.models import load_model

    future, started = pending
    with future.result() as server:  # raises what serve raised (a server that died, ...)
        start_seconds = getattr(future, "ready_at", time.perf_counter()) - started
        version = server.version
        t0 = time.perf_counter()
        served = np.asarray(server.predict(sample)).reshape(-1)
        request_ms = (time.perf_counter() - t0) * 1000
    local = np.asarray(load_model(f"models:/{MODEL_NAME}/{version}", uri).predict(sample))
    rows = [
        {"row": i, "served_over_http": int(a), "in_process": int(b)}
        for i, (a, b) in enumerate(zip(served, local, strict=True))
    ]
    report.add(
        "Serving: MLflow's scoring server",
        f"The champion (version {version}) served by `mlflow models serve --env-manager local` "
        f"on 127.0.0.1 while the pipeline and the canaries ran: ready {start_seconds:.1f} s "
        f"after start, {len(sample)} rows scored over HTTP in {request_ms:.0f} ms, stopped by PID.",
        TableResult("Predictions over HTTP and in-process", rows),
        chart=False,
        part=PART,
    )
    return {
        "served_version": int(version),
        "server_start_seconds": round(start_seconds, 2),
        "server_rows": len(sample),
        "server_agrees": bool((served == local).all()),
    }


def _canary(uri, version, traffic, seed, heading, text, report):
    from mlops_kit.deploy import CanaryRollout

    result = CanaryRollout(MODEL_NAME, version, seed=seed, tracking_uri=uri).run(traffic, TARGET)
    report.add(heading, text, result, part=PART)
    return result


def _discard(pending) -> None:
    """Stop the server once it is up (or never started): the step failed on the way."""

    def stop(future):
        if not future.cancelled() and future.exception() is None:
            future.result().stop()

    pending[0].add_done_callback(stop)


def step_deploy(uri, n_rows, seed, fallback_version, report, say) -> dict:
    """Run Step 3 on the tour's store; return its facts (see the module docstring)."""
    pending = _start_server(uri)
    try:
        return _rollout(uri, n_rows, seed, fallback_version, pending, report, say)
    except BaseException:
        _discard(pending)
        raise


def _rollout(uri, n_rows, seed, fallback_version, pending, report, say) -> dict:
    from mlops_kit import tracking
    from mlops_kit.data import make_credit

    pipe = _pipeline(uri, n_rows, seed, report)
    info = pipe.context.get("version")
    good = int(info.version) if info is not None else int(fallback_version)
    say(f"Step 3  {pipe.summary()}; candidate registered as v{good}")

    train = make_credit(n_rows=n_rows, seed=seed)
    X, _, _ = _features(train)
    worse = tracking.register(
        _worse().fit(X, train[TARGET]),
        MODEL_NAME,
        tracking_uri=uri,
        description="tour: a deliberately worse candidate (loan_amount only)",
    )
    traffic = make_credit(n_rows=TRAFFIC_ROWS, seed=seed + 11).drop(
        columns=["id", "application_date"]
    )
    bad = _canary(
        uri,
        worse.version,
        traffic,
        seed,
        "Canary: a worse candidate is caught and rolled back",
        f"Version {worse.version} sees only the loan amount. At each stage the A/B test compares "
        "its accuracy with the champion's on the traffic each side received.",
        report,
    )
    say(f"Step 3  canary of the worse v{worse.version}: {bad.summary()}")
    ok = _canary(
        uri,
        good,
        traffic,
        seed,
        "Canary: the pipeline's candidate is promoted",
        f"Version {good}, 5% -> 25% -> 50% -> 100% of the traffic; the champion alias moves only "
        "at the last stage.",
        report,
    )
    say(f"Step 3  canary of v{good}: {ok.summary()}")
    facts = _serve(uri, pending, X.head(5), report)
    say(
        f"Step 3  scoring server for v{facts['served_version']} ready "
        f"{facts['server_start_seconds']:.1f} s after start; {facts['server_rows']} predictions "
        f"over HTTP {'match' if facts['server_agrees'] else 'DIFFER FROM'} the in-process model"
    )
    champion = tracking.current(MODEL_NAME, "champion", tracking_uri=uri).version
    pct = bad.stages[-1]["percent"] if bad.stages else 0.0
    report.headline(
        "Step 3: CI/CD for ML",
        f"{pipe.summary()}; worse v{worse.version} {bad.status} at {pct:g}%, "
        f"v{good} {ok.status}; scoring server answered over HTTP",
    )
    return {
        "pipeline_status": pipe.status,
        "pipeline_stages": len(pipe.stages),
        "candidate_version": good,
        "worse_version": int(worse.version),
        "worse_status": bad.status,
        "worse_caught_at_percent": float(pct),
        "good_status": ok.status,
        "good_stages": len(ok.stages),
        "champion_after": int(champion),
        **facts,
    }
