"""Atomic output writing and the build manifest."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from trustdocs.errors import BuildError
from trustdocs.model.project import SourceFile
from trustdocs.write import atomic
from trustdocs.write.atomic import OutputSet, atomic_write_bytes
from trustdocs.write.manifest import add_manifest, build_manifest, combined_input_hash, manifest_bytes

SOURCES = (
    SourceFile("sla.yaml", "b" * 64),
    SourceFile("document.yaml", "a" * 64),
)


def test_atomic_write_replaces_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "out" / "doc.pdf"
    atomic_write_bytes(target, b"first")
    atomic_write_bytes(target, b"second")
    assert target.read_bytes() == b"second"
    assert sorted(p.name for p in target.parent.iterdir()) == ["doc.pdf"]
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask


def test_output_set_writes_everything(tmp_path: Path) -> None:
    outputs = OutputSet(tmp_path / "out")
    outputs.add("security-document.pdf", b"pdf")
    outputs.add("diagrams/system.svg", b"<svg/>")
    written = outputs.write()
    assert written == [tmp_path / "out" / "diagrams" / "system.svg", tmp_path / "out" / "security-document.pdf"]
    assert (tmp_path / "out" / "diagrams" / "system.svg").read_bytes() == b"<svg/>"
    assert len(outputs) == 2 and "diagrams/system.svg" in outputs


@pytest.mark.parametrize("bad", ["/etc/passwd", "../escape.pdf", "a/../../b", "", "a//b"])
def test_output_paths_stay_inside(tmp_path: Path, bad: str) -> None:
    with pytest.raises(ValueError, match="output path must be relative and stay inside the output folder"):
        OutputSet(tmp_path).add(bad, b"x")


def test_an_output_is_produced_once(tmp_path: Path) -> None:
    outputs = OutputSet(tmp_path)
    outputs.add("a.pdf", b"1")
    with pytest.raises(ValueError, match="output a.pdf is produced twice"):
        outputs.add("a.pdf", b"2")


def test_failed_write_leaves_earlier_outputs_untouched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    first = OutputSet(out)
    first.add("a.pdf", b"old a")
    first.add("b.pdf", b"old b")
    first.write()

    real = atomic._write_temporary

    def fail_on_b(path: Path, data: bytes) -> Path:
        if path.name == "b.pdf":
            raise OSError(28, "No space left on device", str(path))
        return real(path, data)

    monkeypatch.setattr(atomic, "_write_temporary", fail_on_b)
    second = OutputSet(out)
    second.add("a.pdf", b"new a")
    second.add("b.pdf", b"new b")
    with pytest.raises(BuildError) as caught:
        second.write()
    assert caught.value.message == f"could not write {out / 'b.pdf'}: No space left on device"
    assert (out / "a.pdf").read_bytes() == b"old a"
    assert (out / "b.pdf").read_bytes() == b"old b"
    assert sorted(p.name for p in out.iterdir()) == ["a.pdf", "b.pdf"]


def test_manifest_lists_outputs_and_inputs() -> None:
    manifest = build_manifest([("b.pdf", b"bb"), ("a/x.svg", b"a")], SOURCES)
    assert manifest == {
        "format": 1,
        "generator": {"name": "trustdocs", "version": "0.1.0"},
        "inputs": {
            "files": [{"path": "document.yaml", "sha256": "a" * 64}, {"path": "sla.yaml", "sha256": "b" * 64}],
            "sha256": hashlib.sha256(f"document.yaml\0{'a' * 64}\nsla.yaml\0{'b' * 64}\n".encode()).hexdigest(),
        },
        "outputs": [
            {"path": "a/x.svg", "sha256": hashlib.sha256(b"a").hexdigest(), "size": 1},
            {"path": "b.pdf", "sha256": hashlib.sha256(b"bb").hexdigest(), "size": 2},
        ],
    }


def test_combined_input_hash_ignores_order() -> None:
    assert combined_input_hash(SOURCES) == combined_input_hash(reversed(SOURCES))
    assert combined_input_hash(SOURCES) != combined_input_hash(SOURCES[:1])


def test_manifest_json_is_stable(tmp_path: Path) -> None:
    outputs = OutputSet(tmp_path)
    outputs.add("security-document.pdf", b"%PDF")
    add_manifest(outputs, SOURCES)
    data = outputs.files["manifest.json"]
    assert data == manifest_bytes(json.loads(data))
    assert data.endswith(b"}\n") and b"timestamp" not in data
    assert list(json.loads(data)) == ["format", "generator", "inputs", "outputs"]
    assert [o["path"] for o in json.loads(data)["outputs"]] == ["security-document.pdf"]
