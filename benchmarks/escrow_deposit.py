"""Benchmark: deposit a generated source tree (default 1 GB) and report wall time and peak memory.

    .venv/bin/python benchmarks/escrow_deposit.py                 # 1 GB, 2,000 files
    .venv/bin/python benchmarks/escrow_deposit.py --size 200MB --files 500

The tree is made of seeded random bytes (incompressible, like images and binaries) and text cut from a
seeded word pool (compressible, like source code). Each step runs in its own child process, started by a
small launcher, and its peak resident memory is read from that child's rusage, so the generator's memory
is not counted.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

DATE = "2026-03-14T02:10:00Z"
WORDS = (
    "def class return import self value error index escrow deposit archive manifest verify "
    "tenant invoice customer service request response config logger stream buffer"
).split()
_CHUNK = 4 * 1024 * 1024


@dataclass(frozen=True)
class Step:
    name: str
    seconds: float
    peak_rss_mb: float
    returncode: int


def parse_size(text: str) -> int:
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([KMG]?)B?", text.strip().upper())
    if not match:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (e.g. 1GB, 500MB)")
    return int(float(match.group(1)) * {"": 1, "K": 10**3, "M": 10**6, "G": 10**9}[match.group(2)])


def file_sizes(total: int, count: int, rng: random.Random) -> list[int]:
    """Mixed sizes: many small files, a few large ones (log-normal), scaled to add up to `total`."""
    weights = [rng.lognormvariate(0, 2.0) for _ in range(count)]
    scale = total / sum(weights)
    sizes = [int(w * scale) for w in weights]
    sizes[0] += total - sum(sizes)
    return sizes


def generate_tree(root: Path, total: int, count: int, seed: int) -> tuple[int, int]:
    """Write the tree; returns (text bytes, random bytes)."""
    rng = random.Random(seed)
    pool = " ".join(rng.choice(WORDS) + ("\n" if rng.random() < 0.1 else "") for _ in range(400_000)).encode()
    fixed = {
        "README.md": b"# Benchmark\n\nmake build\n",
        "LICENSE": b"Apache-2.0\n",
        "poetry.lock": b"[[package]]\nname = 'click'\n",
    }
    for name, data in fixed.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    text_bytes = random_bytes = 0
    for i, size in enumerate(file_sizes(total, count, rng)):
        compressible = rng.random() < 0.5
        folder = root / ("src" if compressible else "assets") / f"m{i % 37:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / (f"f{i:05d}.txt" if compressible else f"f{i:05d}.bin")
        with path.open("wb") as out:
            left = size
            while left:
                n = min(left, _CHUNK)
                if compressible:
                    start = rng.randrange(0, len(pool) - min(n, len(pool) - 1))
                    piece = pool[start : start + n]
                    piece += b"\n" * (n - len(piece))
                else:
                    piece = rng.randbytes(n)
                out.write(piece)
                left -= n
        if compressible:
            text_bytes += size
        else:
            random_bytes += size
    return text_bytes, random_bytes


# Linux counts a child's peak RSS from the moment it was forked, when it still shares its parent's memory;
# so each step is started by this small launcher rather than by the benchmark, whose RSS holds the generator.
_LAUNCHER = """
import os, sys
pid = os.posix_spawn(sys.argv[1], sys.argv[1:], os.environ,
                     file_actions=[(os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0)])
_, status, usage = os.wait4(pid, 0)
print(os.waitstatus_to_exitcode(status), usage.ru_maxrss)
"""


def run_step(name: str, command: list[str]) -> Step:
    """Run `command` through the launcher and read its own peak RSS (ru_maxrss, KiB on Linux)."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-S", "-c", _LAUNCHER, *command], capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0 or not done.stdout.strip():
        sys.stderr.write(done.stderr)
        return Step(name, seconds, float("nan"), done.returncode or -1)
    returncode, max_rss_kib = (int(v) for v in done.stdout.split())
    if returncode not in (0, 1):
        sys.stderr.write(done.stderr)
    return Step(name, seconds, max_rss_kib / 1024, returncode)


def trustdocs(*args: str) -> list[str]:
    return [sys.executable, "-m", "trustdocs", *args]


def touch_everything(root: Path) -> None:
    """Give every file a new modification time, so a second deposit checks reproducibility."""
    for i, path in enumerate(sorted(p for p in root.rglob("*") if p.is_file())):
        os.utime(path, (2_000_000_000 - i, 2_000_000_000 - i))


def archive_sha256(out: Path) -> str:
    import json

    manifest = next(out.glob("*.manifest.json"))
    return json.loads(manifest.read_text())["archive"]["sha256"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=parse_size, default=parse_size("1GB"), help="tree size (default 1GB)")
    parser.add_argument("--files", type=int, default=2000, help="number of files (default 2000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-repeat", action="store_true", help="skip the second, reproducibility deposit")
    parser.add_argument("--workdir", type=Path, help="where to make the tree (default: a temp folder)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="escrow-bench-", dir=args.workdir))
    try:
        tree, out, again = work / "tree", work / "out", work / "out-again"
        tree.mkdir()
        start = time.perf_counter()
        text_bytes, random_bytes = generate_tree(tree, args.size, args.files, args.seed)
        generated = time.perf_counter() - start
        total = text_bytes + random_bytes
        print(
            f"tree: {args.files} files, {total / 1e6:,.0f} MB ({text_bytes / 1e6:,.0f} MB text, "
            f"{random_bytes / 1e6:,.0f} MB random), generated in {generated:.1f} s"
        )

        steps = [
            run_step("startup (trustdocs --version)", trustdocs("--version")),
            run_step(
                "escrow deposit", trustdocs("escrow", "deposit", str(tree), "-o", str(out), "--date", DATE, "--quiet")
            ),
        ]
        archive = next(out.glob("*.tar.gz"))
        steps.append(run_step("escrow verify", trustdocs("escrow", "verify", str(archive))))
        identical = None
        if not args.no_repeat:
            touch_everything(tree)
            steps.append(
                run_step(
                    "escrow deposit (times changed)",
                    trustdocs("escrow", "deposit", str(tree), "-o", str(again), "--date", DATE, "--quiet"),
                )
            )
            identical = archive_sha256(out) == archive_sha256(again)

        print(f"archive: {archive.stat().st_size / 1e6:,.0f} MB ({archive.stat().st_size / total:.0%} of the tree)")
        print()
        print(f"| {'step':<32} | {'wall time':>9} | {'MB/s':>6} | {'peak RSS':>9} | exit |")
        print(f"|{'-' * 34}|{'-' * 11}|{'-' * 8}|{'-' * 11}|------|")
        for step in steps:
            rate = f"{total / 1e6 / step.seconds:6.0f}" if "escrow" in step.name else "     -"
            print(
                f"| {step.name:<32} | {step.seconds:7.1f} s | {rate} | {step.peak_rss_mb:6.1f} MB | "
                f"{step.returncode:>4} |"
            )
        if identical is not None:
            print(f"\nsame archive SHA-256 after changing every file's time: {'yes' if identical else 'NO'}")
        failed = any(s.returncode != 0 for s in steps) or identical is False
        return 1 if failed else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
