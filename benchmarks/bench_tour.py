"""Benchmark: ``mlops-kit tour`` (the five steps) against a plain script of its core library calls.

Each repeat runs in a fresh Python process, so both sides pay their imports:

- **tour**: :func:`mlops_kit.tour.run_tour` on ``--rows`` sample rows into a
  temporary folder (train and track two models, validate, a gated pipeline, a
  real scoring server, two canaries, six monitored months, an approval gate and
  a model card, the evidence scan and ROI, one HTML report); its per-stage
  seconds come from ``summary.facts["seconds"]``;
- **peer** (a plain script doing the modelling a tour cannot skip): fit the same
  baseline and candidate scikit-learn pipelines on the same rows and save one
  Evidently 0.7 ``DataDriftPreset`` report of the drifted batch as HTML.

Printed: the median of ``--repeat`` runs for the tour's total and each stage,
the peer's median, and the ratio tour / peer (what the whole framework costs
over the bare modelling). The report of every tour run is parsed: a missing
summary, a step section (0 to 5) without its heading, its chart or its text, or
a missing link makes the benchmark exit 1, as does a tour that fails.

Run::

    .venv/bin/python benchmarks/bench_tour.py [--rows 3000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from html.parser import HTMLParser
from pathlib import Path

TOUR = """
import json, sys, time, warnings
warnings.filterwarnings("ignore")
t0 = time.perf_counter()
from mlops_kit.tour import run_tour
s = run_tour(sys.argv[1], n_rows=int(sys.argv[2]), echo=None)
print(json.dumps({"total": time.perf_counter() - t0, "seconds": s.facts["seconds"]}))
"""

PEER = """
import json, sys, time, warnings
warnings.filterwarnings("ignore")
t0 = time.perf_counter()
from evidently import Report
from evidently.presets import DataDriftPreset
from mlops_kit._tour_models import TARGET, _baseline, _candidate, _features
from mlops_kit.data import inject_drift, make_credit, split_reference_current
df = make_credit(n_rows=int(sys.argv[2]), seed=0)
X, numeric, categorical = _features(df)
_baseline().fit(X, df[TARGET])
_candidate(numeric, categorical).fit(X, df[TARGET])
drifted = inject_drift(df, "covariate", columns=["income", "loan_amount"], severity=0.6)
reference, current = split_reference_current(drifted)
cols = list(_features(current)[0].columns)
snapshot = Report([DataDriftPreset()]).run(current[cols], reference[cols])
snapshot.save_html(sys.argv[1] + "/drift.html")
print(json.dumps({"total": time.perf_counter() - t0}))
"""

SECTIONS = [f"step-{i}" for i in range(6)]
LINKS = {"mlruns.db", "drift.html", "predictions.db", "model_card.html"}


class _Report(HTMLParser):
    def __init__(self):
        super().__init__()
        self.sections: dict[str, dict] = {}
        self.links: set[str] = set()
        self._cur = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section":
            self._cur = self.sections.setdefault(attrs.get("id"), {"imgs": 0, "text": ""})
        elif tag == "img" and self._cur is not None:
            self._cur["imgs"] += 1
        elif tag == "a":
            self.links.add(attrs.get("href"))

    def handle_endtag(self, tag):
        if tag == "section":
            self._cur = None

    def handle_data(self, data):
        if self._cur is not None:
            self._cur["text"] += data


def check_report(path: Path) -> list[str]:
    """Return what the report misses (empty when it is complete)."""
    if not path.is_file():
        return [f"no report at {path}"]
    parser = _Report()
    parser.feed(path.read_text(encoding="utf-8"))
    problems = []
    summary = parser.sections.get("summary", {}).get("text", "")
    for i in range(6):
        if f"Step {i}:" not in summary:
            problems.append(f"summary has no line for Step {i}")
    for anchor in SECTIONS:
        section = parser.sections.get(anchor)
        if section is None:
            problems.append(f"section {anchor} missing")
        elif section["imgs"] == 0 or len(section["text"]) < 200:
            problems.append(f"section {anchor} has no chart or no content")
    problems += [f"link {link} missing" for link in sorted(LINKS - parser.links)]
    if path.stat().st_size > 2_000_000:
        problems.append(f"report is {path.stat().st_size:,} bytes (over 2 MB)")
    return problems


def _run(script: str, folder: str, rows: int) -> dict:
    env = {**os.environ, "MPLBACKEND": "Agg", "MLFLOW_TRACKING_URI": ""}
    env.setdefault("MLFLOW_LOGGING_LEVEL", "WARNING")
    proc = subprocess.run(
        [sys.executable, "-c", script, folder, str(rows)],
        capture_output=True,
        text=True,
        env=env,
        timeout=1800,
    )
    if proc.returncode != 0:
        print(proc.stderr[-3000:], file=sys.stderr)
        raise SystemExit(f"FAILED: {script.split()[4]} exited {proc.returncode}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    tours, peers, failures = [], [], []
    for i in range(args.repeat):
        with tempfile.TemporaryDirectory(prefix="bench-tour-") as tmp:
            started = time.perf_counter()
            tours.append(_run(TOUR, tmp, args.rows))
            problems = check_report(Path(tmp) / "report.html")
            failures += [f"run {i + 1}: {p}" for p in problems]
            print(f"  tour run {i + 1}: {time.perf_counter() - started:.1f} s", flush=True)
        with tempfile.TemporaryDirectory(prefix="bench-peer-") as tmp:
            peers.append(_run(PEER, tmp, args.rows))
            print(f"  peer run {i + 1}: {peers[-1]['total']:.1f} s", flush=True)

    med = statistics.median
    total = med(t["total"] for t in tours)
    peer = med(p["total"] for p in peers)
    print(f"\nmlops-kit tour, {args.rows:,} rows, median of {args.repeat} (fresh processes):")
    print(f"{'stage':<14}{'seconds':>9}")
    for stage in tours[0]["seconds"]:
        print(f"{stage:<14}{med(t['seconds'][stage] for t in tours):>9.1f}")
    print(f"{'total':<14}{total:>9.1f}")
    print(f"peer (plain script: fit the two models + one Evidently drift report): {peer:.1f} s")
    print(f"ratio tour / peer: {total / peer:.1f}x")
    if failures:
        print("REPORT INCOMPLETE:\n  " + "\n  ".join(failures))
        return 1
    print("report: summary, links and sections step-0 .. step-5 each with a chart: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
