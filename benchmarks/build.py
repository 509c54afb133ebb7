"""Times each stage of a full build on generated projects and reports wall time and peak memory.

    python benchmarks/build.py                 # N = 10, 50, 200, 1000
    python benchmarks/build.py 200 --stages validate,analysis

Each N runs in its own process, so peak RSS (getrusage ru_maxrss) belongs to that build alone; the peak
shown for a stage is the process's peak once that stage has finished. The stages run one after the other;
the last row per N is `trustdocs build` itself as a user runs it, with its worker processes: wall time, and
peak memory summed over the process and its workers (sampled every 0.1 s from /proc).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

DEFAULT_SIZES = (10, 50, 200, 1000)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_one(n: int, workdir: Path) -> list[dict[str, object]]:
    """Build a generated N-component project stage by stage, in this process."""
    from benchmarks.generate import generate_project
    from trustdocs.analyse.availability import project_history
    from trustdocs.analyse.threat_model import analyse_threat_model
    from trustdocs.model.audience import for_audience
    from trustdocs.project import load_project
    from trustdocs.render.diagrams import render_diagrams
    from trustdocs.render.documents import documents_for
    from trustdocs.write.atomic import OutputSet
    from trustdocs.write.manifest import add_manifest

    project_dir = workdir / f"n{n}"
    generate_project(n, project_dir)
    rows: list[dict[str, object]] = []

    def stage(name: str, fn):
        start = time.perf_counter()
        value = fn()
        rows.append(
            {"n": n, "stage": name, "seconds": round(time.perf_counter() - start, 3), "peak_mb": round(_peak_mb(), 1)}
        )
        return value

    project = stage("load and validate", lambda: load_project(project_dir).project)
    project = for_audience(project, "nda")
    today = project.document.effective_date
    stage("analysis", lambda: (analyse_threat_model(project, today), project_history(project)))
    outputs = OutputSet(workdir / f"out{n}")
    diagrams = stage("diagrams", lambda: render_diagrams(project.architecture))
    for diagram in diagrams:
        for filename, data in diagram.files().items():
            outputs.add(f"diagrams/{filename}", data)
    for spec in documents_for(project):
        outputs.add(spec.filename, stage(spec.filename, lambda spec=spec: spec.render(project)))
    add_manifest(outputs, project.sources)
    stage("write", outputs.write)
    return rows


def whole_build(n: int, workdir: Path) -> tuple[float, float]:
    """Wall seconds and peak summed RSS (MB) of `trustdocs build` on a generated N-component project."""
    from benchmarks.generate import generate_project

    project_dir = workdir / f"n{n}"
    generate_project(n, project_dir)
    command = [sys.executable, "-m", "trustdocs", "build", str(project_dir), "-o", str(workdir / "out"), "-q"]
    start = time.perf_counter()
    build = subprocess.Popen(command, stderr=subprocess.DEVNULL)
    peak = 0
    while build.poll() is None:
        peak = max(peak, _tree_rss_kb(build.pid))
        time.sleep(0.1)
    seconds = time.perf_counter() - start
    if build.returncode != 0:
        raise SystemExit(f"trustdocs build failed for N = {n}")
    return seconds, peak / 1024


def _tree_rss_kb(root: int) -> int:
    """Resident memory of `root` and its descendants, in kB (Linux /proc)."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        except OSError:  # the process ended while being read
            continue
        pid = int(status.parent.name)
        parents[pid] = int(fields["PPid"])
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0])

    def descends(pid: int) -> bool:
        while pid not in (0, 1):
            if pid == root:
                return True
            pid = parents.get(pid, 0)
        return False

    return sum(kb for pid, kb in rss.items() if descends(pid))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes", nargs="*", type=int, default=list(DEFAULT_SIZES))
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        with tempfile.TemporaryDirectory() as tmp:
            print(json.dumps(run_one(args.child, Path(tmp))))
        return
    print(f"{'N':>5}  {'stage':<32} {'seconds':>8} {'peak MB':>8}")
    for n in args.sizes:
        done = subprocess.run([sys.executable, __file__, "--child", str(n)], capture_output=True, text=True)
        if done.returncode != 0:
            print(f"{n:>5}  failed:\n{done.stderr}")
            continue
        rows = json.loads(done.stdout.strip().splitlines()[-1])
        for row in rows:
            print(f"{row['n']:>5}  {row['stage']:<32} {row['seconds']:>8.3f} {row['peak_mb']:>8.1f}")
        total = sum(float(r["seconds"]) for r in rows)
        print(f"{n:>5}  {'total':<32} {total:>8.3f} {max(float(r['peak_mb']) for r in rows):>8.1f}")
        with tempfile.TemporaryDirectory() as tmp:
            seconds, peak = whole_build(n, Path(tmp))
        print(f"{n:>5}  {'trustdocs build (with workers)':<32} {seconds:>8.3f} {peak:>8.1f}")


if __name__ == "__main__":
    main()
