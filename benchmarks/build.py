"""Times each stage of a full build on generated projects and reports wall time and peak memory.

    python benchmarks/build.py                 # N = 10, 50, 200, 1000
    python benchmarks/build.py 200 --stages validate,analysis

Each N runs in its own process, so peak RSS (getrusage ru_maxrss) belongs to that build alone; the peak
shown for a stage is the process's peak once that stage has finished. The stages run one after the other;
the last row per N is `trustdocs build` itself as a user runs it, with its worker processes: wall time, and
peak memory summed over the process and its workers (sampled every 0.1 s from /proc).

    python benchmarks/build.py --cache         # the render cache, on the sample and on N = 200

With --cache, each build runs `trustdocs build` in a fresh process and is timed twice: the wall time of the
whole command, and the time of the build itself (loading the project and building, after the imports). It
reports a full build without the cache, a rebuild with no change, a rebuild after one field of legal/sla.yaml
changed (the downtime definition), and the two ratios to the full build (targets: 5 % and 30 %).
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import shutil
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


CACHE_SIZES = (200,)
_SLA_FIELD = re.compile(r"5 % of valid requests", re.IGNORECASE)


def timed_build(project_dir: Path, out_dir: Path, *extra: str) -> tuple[float, float]:
    """Wall seconds of `trustdocs build` in a new process, and seconds of the build inside it."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, __file__, "--build-child", str(project_dir), str(out_dir), *extra],
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"trustdocs build failed for {project_dir}:\n{done.stderr}")
    return wall, float(done.stdout.strip().splitlines()[-1])


def build_child(project_dir: Path, out_dir: Path, no_cache: bool) -> None:
    from trustdocs.build import build_project
    from trustdocs.project import load_project

    start = time.perf_counter()
    build_project(load_project(project_dir).project, out_dir, use_cache=not no_cache)
    print(time.perf_counter() - start)


def cache_rows(name: str, project_dir: Path, workdir: Path) -> None:
    """Full build, no-change rebuild and one-SLA-field rebuild of `project_dir`, printed with the ratios."""
    out = workdir / f"out-{name}"
    full = timed_build(project_dir, out, "--no-cache")
    timed_build(project_dir, out)  # fills the cache
    unchanged = timed_build(project_dir, out)
    sla = project_dir / "legal" / "sla.yaml"
    text, count = _SLA_FIELD.subn(lambda m: "6" + m[0][1:], sla.read_text(encoding="utf-8"), count=1)
    if count != 1:
        raise SystemExit(f"{sla} has no downtime definition to change")
    sla.write_text(text, encoding="utf-8")
    one_field = timed_build(project_dir, out)
    for label, (wall, inner) in (("full build, no cache", full), ("rebuild, no change", unchanged)):
        print(f"{name:<8} {label:<30} {wall:>8.2f} {inner:>8.2f}")
    print(f"{name:<8} {'rebuild, one SLA field':<30} {one_field[0]:>8.2f} {one_field[1]:>8.2f}")
    for label, (wall, inner), target in (("no change", unchanged, 5), ("one SLA field", one_field, 30)):
        print(
            f"{name:<8} {'ratio ' + label + f' (<= {target} %)':<30} "
            f"{100 * wall / full[0]:>7.1f}% {100 * inner / full[1]:>7.1f}%"
        )


def cache_benchmark(sizes: list[int]) -> None:
    from benchmarks.generate import generate_project

    print(f"{'project':<8} {'build':<30} {'wall s':>8} {'build s':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        sample = workdir / "acme"
        shutil.copytree(Path(__file__).resolve().parent.parent / "sample_inputs" / "acme", sample)
        cache_rows("sample", sample, workdir)
        for n in sizes:
            cache_rows(f"N={n}", generate_project(n, workdir / f"n{n}"), workdir)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes", nargs="*", type=int, default=list(DEFAULT_SIZES))
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--cache", action="store_true", help="Time rebuilds with the render cache instead.")
    parser.add_argument("--build-child", nargs=2, type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--no-cache", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build_child is not None:
        build_child(*args.build_child, args.no_cache)
        return
    if args.cache:
        cache_benchmark(args.sizes if args.sizes != list(DEFAULT_SIZES) else list(CACHE_SIZES))
        return
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
