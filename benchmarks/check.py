"""Times `trustdocs check` on generated projects: loading and validation, then the analysis, separately.

Run `python benchmarks/check.py` (default: 500 components and 2,000 flows, the target being under 2 s on a
2-core machine) or `python benchmarks/check.py --components 1000 --flows-per-component 4`. Each figure is
the best of `--repeat` runs, so that one slow start does not hide the steady cost.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate_project  # noqa: E402

from trustdocs.analyse.threat_model import analyse_threat_model  # noqa: E402
from trustdocs.project import load_project  # noqa: E402
from trustdocs.write.sarif import sarif_text  # noqa: E402

TODAY = dt.date(2026, 3, 14)
TARGET_SECONDS = 2.0


def best_of(repeat: int, work: Callable[[], Any]) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - start)
    return best, result


def run(components: int, flows_per_component: int, threats_per_component: int, repeat: int) -> bool:
    with tempfile.TemporaryDirectory() as folder:
        root = generate_project(
            components,
            Path(folder) / "project",
            flows_per_component=flows_per_component,
            threats_per_component=threats_per_component,
        )
        size = sum(p.stat().st_size for p in root.rglob("*.yaml"))
        load_time, loaded = best_of(repeat, lambda: load_project(root, today=TODAY))
        project = loaded.project
        analyse_time, report = best_of(repeat, lambda: analyse_threat_model(project, TODAY))
        sarif_time, _ = best_of(repeat, lambda: sarif_text(report))
    arch = project.architecture
    total = load_time + analyse_time + sarif_time
    print(
        f"model: {len(arch.components)} components, {len(arch.data_flows)} flows, "
        f"{len(project.threat_model.threats)} threats, {size / 1e6:.1f} MB of YAML"
    )
    print(
        f"findings: {len(report.findings)} ({len(report.exempted)} exempted), "
        f"{len(report.answered)} answered rule matches, coverage {report.coverage.covered}/"
        f"{report.coverage.applicable}"
    )
    print(f"load + validate: {load_time:.3f} s")
    print(f"analysis:        {analyse_time:.3f} s")
    print(f"SARIF output:    {sarif_time:.3f} s")
    verdict = "met" if total < TARGET_SECONDS else "MISSED"
    print(f"total:           {total:.3f} s (target < {TARGET_SECONDS:.0f} s: {verdict})")
    return total < TARGET_SECONDS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--components", type=int, default=500)
    parser.add_argument("--flows-per-component", type=int, default=4)
    parser.add_argument("--threats-per-component", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    run(args.components, args.flows_per_component, args.threats_per_component, args.repeat)


if __name__ == "__main__":
    main()
