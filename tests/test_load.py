"""Tests for trustdocs.load: safe YAML with positions, limits, includes and the files data refers to."""

from __future__ import annotations

import hashlib
import tracemalloc
from pathlib import Path

import pytest
import yaml

from trustdocs.errors import InputError
from trustdocs.load import (
    MAX_NODES,
    Positions,
    format_path,
    load_extra_file,
    load_source_tree,
    load_yaml,
    parse_yaml,
    project_files,
    read_project_file,
)
from trustdocs.model.base import Location
from trustdocs.model.project import SourceFile

LIBYAML = yaml.__with_libyaml__


def messages(exc: pytest.ExceptionInfo[InputError]) -> list[str]:
    return [str(p) for p in exc.value.problems]


def parse_errors(text: str | bytes, display: str = "f.yaml") -> list[str]:
    raw = text.encode() if isinstance(text, str) else text
    with pytest.raises(InputError) as exc:
        parse_yaml(raw, display)
    return messages(exc)


def write(root: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Write files under tmp_path/p and return the project path as a user would type it (relative)."""
    monkeypatch.chdir(tmp_path)

    def make(files: dict[str, str | bytes]) -> Path:
        write(tmp_path / "p", files)
        return Path("p")

    return make


def tree_errors(path: Path) -> list[str]:
    with pytest.raises(InputError) as exc:
        load_source_tree(path)
    return messages(exc)


# --- paths and positions ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ((), ""),
        (("architecture",), "architecture"),
        (("architecture", "data_flows", 3, "source"), "architecture.data_flows[3].source"),
        ((0,), "[0]"),
        (("a", 0, 1, "b"), "a[0][1].b"),
    ],
)
def test_format_path(path, expected):
    assert format_path(path) == expected


def test_positions_fall_back_to_nearest_ancestor():
    data, positions = parse_yaml(b"# head\narch:\n  flows:\n    - source: web\n      target: db\n", "a.yaml")
    assert data == {"arch": {"flows": [{"source": "web", "target": "db"}]}}
    assert positions.value(("arch", "flows", 0, "target")) == Location("a.yaml", 5, 15)
    assert positions.key(("arch", "flows", 0, "target")) == Location("a.yaml", 5, 7)
    assert positions.key(("arch", "flows", 0)) == Location("a.yaml", 4, 7)  # a list item: its value
    assert positions.value(("arch", "flows", 0, "missing", 3)) == Location("a.yaml", 4, 7)
    assert positions.key(("nothing", "here")) == Location("a.yaml", 2, 1)
    assert positions.value(()) == Location("a.yaml", 2, 1)
    assert Positions().value(("a",)) is None
    assert Positions().key(()) is None


# --- scalars --------------------------------------------------------------------------------------


def test_scalars_follow_yaml_1_2():
    data, _ = parse_yaml(
        b"words: [yes, No, on, OFF, y, n]\n"
        b"bools: [true, False, TRUE, tRuE]\n"
        b"nulls: [~, null, Null, NULL]\nempty:\n"
        b"dates: [2026-01-15, 2026-03-14T02:10:00Z]\n"
        b"ints: [12, -3, +4, 012, 0o17, 0x1f]\n"
        b"floats: [1.5, 1.0, .5, 1e3]\n"
        b"text: [1_000, 0b101, 12:30, .inf, .nan, '5', !!str 7]\n"
        b"block: |\n  two\n  lines\n",
        "s.yaml",
    )
    assert data == {
        "words": ["yes", "No", "on", "OFF", "y", "n"],
        "bools": [True, False, True, True],
        "nulls": [None, None, None, None],
        "empty": None,
        "dates": ["2026-01-15", "2026-03-14T02:10:00Z"],
        "ints": [12, -3, 4, 12, 15, 31],
        "floats": [1.5, 1.0, 0.5, 1000.0],
        "text": ["1_000", "0b101", "12:30", ".inf", ".nan", "5", "7"],
        "block": "two\nlines\n",
    }


def test_utf8_bom_is_accepted():
    data, positions = parse_yaml("\ufeffname: Zoë\n".encode(), "b.yaml")
    assert data == {"name": "Zoë"}
    assert positions.value(("name",)) == Location("b.yaml", 1, 7)


def test_merge_keys_are_supported():
    data, positions = parse_yaml(
        b"base: &b {region: eu, tier: 1}\nother: &o {zone: a, tier: 9}\nsvc:\n  tier: 2\n  <<: [*b, *o]\n", "m.yaml"
    )
    assert data["svc"] == {"tier": 2, "region": "eu", "zone": "a"}
    assert positions.value(("svc", "region")) == Location("m.yaml", 1, 19)
    assert positions.value(("svc", "tier")) == Location("m.yaml", 4, 9)


def test_inline_and_nested_merges():
    data, positions = parse_yaml(
        b"m:\n  <<: {a: 1, b: {c: 2}}\n  a: 0\nbase: &b {x: 1}\nmid: &m\n  <<: *b\n  y: 2\nend:\n  <<: *m\n  z: 3\n",
        "m.yaml",
    )
    assert data == {
        "m": {"a": 0, "b": {"c": 2}},
        "base": {"x": 1},
        "mid": {"y": 2, "x": 1},
        "end": {"z": 3, "y": 2, "x": 1},
    }
    assert positions.value(("m", "b", "c")) == Location("m.yaml", 2, 21)
    assert positions.value(("m", "a")) == Location("m.yaml", 3, 6)
    assert positions.value(("end", "x")) == Location("m.yaml", 4, 14)
    assert positions.key(("end", "y")) == Location("m.yaml", 7, 3)


def test_explicit_core_tags_and_alias_keys():
    data, _ = parse_yaml(b"a: !!map {x: !!float 1}\nb: !!seq [!!null '']\nk: &k name\n*k : v\n", "t.yaml")
    assert data == {"a": {"x": 1.0}, "b": [None], "k": "name", "name": "v"}


def test_aliases_expand_with_the_anchor_position():
    data, positions = parse_yaml(b"a: &x [1, 2]\nb: *x\n", "al.yaml")
    assert data == {"a": [1, 2], "b": [1, 2]}
    assert data["a"] is not data["b"]
    assert positions.value(("b", 1)) == Location("al.yaml", 1, 11)


# --- errors in one file -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ["f.yaml:1:1: file is empty"]),
        ("# only a comment\n\n   \n", ["f.yaml:1:1: file is empty"]),
        ("---\n", ["f.yaml:1:1: file is empty"]),
        ("port: 1\nname: x\nport: 2\n", ["f.yaml:3:1: port: duplicate key 'port' (first defined at line 1)"]),
        ("a:\n  b: 1\n  c: {d: 1, d: 2}\n", ["f.yaml:3:13: a.c.d: duplicate key 'd' (first defined at line 3)"]),
        ("404: not found\n", ["f.yaml:1:1: mapping keys must be strings, found 404; write it in quotes: '404'"]),
        ("true: x\n", ["f.yaml:1:1: mapping keys must be strings, found true; write it in quotes: 'true'"]),
        ("a:\n  ? [x]\n  : y\n", ["f.yaml:2:5: a: mapping keys must be strings, found a list"]),
        (
            "a: 1\n---\nb: 2\n",
            ["f.yaml:2:1: expected a single YAML document but found another one (a line with '---')"],
        ),
        ("a: *nope\n", ["f.yaml:1:4: a: undefined alias 'nope'"]),
        ("a: &x 1\nb: &x 2\n", ["f.yaml:2:4: b: duplicate anchor 'x' (first defined at line 1)"]),
        (
            "a: !!python/object/apply:os.system [ls]\n",
            [
                "f.yaml:1:4: a: unsupported tag '!!python/object/apply:os.system'; only text, numbers, true/false, "
                "null, lists and mappings are allowed"
            ],
        ),
        (
            "a: !secret x\nb: !!binary aGk=\n",
            [
                "f.yaml:1:4: a: unsupported tag '!secret'; only text, numbers, true/false, null, lists and mappings "
                "are allowed",
                "f.yaml:2:4: b: unsupported tag '!!binary'; only text, numbers, true/false, null, lists and mappings "
                "are allowed",
            ],
        ),
        ("a: !!int twelve\n", ["f.yaml:1:4: a: 'twelve' is not an integer"]),
        (
            "a: !!set {x}\nb: !!omap [c: 1]\n",
            [
                "f.yaml:1:4: a: unsupported tag '!!set'; only text, numbers, true/false, null, lists and mappings "
                "are allowed",
                "f.yaml:2:4: b: unsupported tag '!!omap'; only text, numbers, true/false, null, lists and mappings "
                "are allowed",
            ],
        ),
        (
            "a: &x [1]\n*x : 2\n",
            ["f.yaml:2:1: mapping keys must be strings; an alias used as a key must name a string"],
        ),
        ("a: &r [1, *r]\n", ["f.yaml:1:11: a[1]: recursive alias: this value contains itself"]),
        ("a: &r {b: *r}\n", ["f.yaml:1:11: a.b: recursive alias: this value contains itself"]),
        ("m: &r {<<: *r}\n", ["f.yaml:1:12: m: recursive alias: this value contains itself"]),
        ("m:\n  <<: 5\n", ["f.yaml:2:7: m: a merge key '<<' takes a mapping or a list of mappings"]),
        (
            "a: 'x\n",
            [
                "f.yaml:2:1: YAML syntax error: found unexpected end of stream "
                "(while scanning a quoted scalar at line 1)"
            ],
        ),
        ("a: \x07bell\n", ["f.yaml:1:4: control character U+0007 is not allowed in YAML text"]),
        ("x: " + "9" * 5000 + "\n", ["f.yaml:1:4: x: number '999999999999999999999999999999999999999…' is too long"]),
    ],
)
def test_load_errors(text, expected):
    assert parse_errors(text) == expected


@pytest.mark.skipif(not LIBYAML, reason="the exact wording comes from libyaml's parser")
def test_syntax_error_wording_from_libyaml():
    assert parse_errors("a: b: c\n") == [
        "f.yaml:1:5: YAML syntax error: mapping values are not allowed in this context"
    ]
    assert parse_errors("a: [1, 2\nb: 3\n") == [
        "f.yaml:2:2: YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence at line 1)"
    ]


def test_problems_before_a_syntax_error_are_reported_with_it():
    assert parse_errors("a: *nope\nb: 1\nb: 2\nc: [\n") == [
        "f.yaml:1:4: a: undefined alias 'nope'",
        "f.yaml:3:1: b: duplicate key 'b' (first defined at line 2)",
        "f.yaml:5:1: YAML syntax error: "
        + (
            "did not find expected node content (while parsing a flow node at line 5)"
            if LIBYAML
            else "expected the node content, but found '<stream end>' (while parsing a flow node at line 5)"
        ),
    ]


def test_problems_in_one_file_are_all_reported():
    assert parse_errors("a: 1\na: 2\n5: x\nb: !x y\n") == [
        "f.yaml:2:1: a: duplicate key 'a' (first defined at line 1)",
        "f.yaml:3:1: mapping keys must be strings, found 5; write it in quotes: '5'",
        "f.yaml:4:4: b: unsupported tag '!x'; only text, numbers, true/false, null, lists and mappings are allowed",
    ]


def test_non_utf8_bytes_name_the_offset():
    assert parse_errors(b"name: ok\nbad: caf\xe9\n") == [
        "f.yaml:2:9: file is not valid UTF-8: byte 0xe9 at offset 17 cannot be decoded; save the file as UTF-8"
    ]


def test_utf16_file_is_rejected():
    assert parse_errors("a: 1\n".encode("utf-16")) == [
        "f.yaml:1:1: file is not valid UTF-8: byte 0xff at offset 0 cannot be decoded; save the file as UTF-8"
    ]


def test_deep_block_nesting_is_refused():
    text = "a:\n" + "".join("  " * i + "- \n" for i in range(1, 70))
    assert parse_errors(text) == ["f.yaml:65:129: nesting is deeper than 64 levels"]


def test_deep_flow_nesting_is_refused():
    assert parse_errors("[" * 100 + "]" * 100) == ["f.yaml:1:65: nesting is deeper than 64 levels"]


def test_very_deep_flow_nesting_is_refused_without_recursion_error():
    assert parse_errors("[" * 100_000)[0].endswith(": nesting is deeper than 64 levels")


def test_nesting_through_aliases_is_bounded():
    inner = "&deep " + "[" * 40 + "]" * 40
    text = f"a: {inner}\nb: " + "[" * 30 + "*deep" + "]" * 30 + "\n"
    # reported at the alias, which is level 32 and expands to 40 more levels
    assert parse_errors(text) == ["f.yaml:2:34: nesting is deeper than 64 levels"]


def billion_laughs() -> bytes:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    return ("\n".join(lines) + "\n").encode()


def test_billion_laughs_stops_at_the_node_limit_with_bounded_memory():
    tracemalloc.start()
    try:
        with pytest.raises(InputError) as exc:
            parse_yaml(billion_laughs(), "bomb.yaml")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    [problem] = exc.value.problems
    assert problem.message == f"too many nodes after alias expansion (limit {MAX_NODES})"
    assert problem.location is not None and problem.location.file == "bomb.yaml"
    assert peak < 200 * 1024 * 1024


def test_nested_anchors_share_one_recording():
    # 30 anchors around the same 50,000 values: a copy of the positions per anchor would take ~200 MB
    text = "a: " + "".join(f"&a{i} [" for i in range(30)) + ",".join(["x"] * 50_000) + "]" * 30 + "\n"
    tracemalloc.start()
    try:
        _, positions = parse_yaml(text.encode(), "n.yaml")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(positions) == 50_031  # the values, the 30 lists and the root mapping
    assert peak < 60 * 1024 * 1024


def test_merging_a_large_anchor_many_times_is_bounded():
    text = (
        "base: &b {"
        + ", ".join(f"k{i}: {i}" for i in range(20_000))
        + "}\n"
        + "".join(f"m{j}: {{<<: *b}}\n" for j in range(50))
    )
    assert parse_errors(text) == [f"f.yaml:4:6: m2.k19992: too many nodes after alias expansion (limit {MAX_NODES})"]


def test_too_many_plain_nodes():
    text = "x: [" + "1," * MAX_NODES + "1]\n"
    # the root mapping and the list come first, so item 199,998 (column 400,001) is value 200,001
    assert parse_errors(text) == [f"f.yaml:1:400001: x[199998]: too many nodes (limit {MAX_NODES})"]


def test_file_over_5_mib_is_refused(tmp_path: Path):
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a: '" + b"x" * (5 * 1024 * 1024) + b"'\n")
    with pytest.raises(InputError) as exc:
        load_yaml(big, "big.yaml")
    assert messages(exc) == ["big.yaml:1:1: file is larger than the limit of 5.0 MiB"]


def test_load_yaml_reads_a_file(tmp_path: Path):
    write(tmp_path, {"c.yaml": "customer:\n  legal_name: Globex\n"})
    data, positions = load_yaml(tmp_path / "c.yaml", "customers/c.yaml")
    assert data == {"customer": {"legal_name": "Globex"}}
    assert positions.value(("customer", "legal_name")) == Location("customers/c.yaml", 2, 15)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("missing.yaml", "cannot read shown.yaml: no such file or directory"),
        ("adir", "cannot read shown.yaml: is a directory"),
    ],
)
def test_load_yaml_unreadable(tmp_path: Path, name: str, expected: str):
    (tmp_path / "adir").mkdir()
    with pytest.raises(InputError) as exc:
        load_yaml(tmp_path / name, "shown.yaml")
    assert messages(exc) == [expected]


# --- projects and includes ----------------------------------------------------------------------

ROOT = "# Acme\ninclude:\n  - legal/sla.yaml\n  - security.yaml\ndocument:\n  product: Acme Ledger\n"
SLA = "sla:\n  availability: 99.9\n"
SECURITY = "include: [security/extra.yaml]\nsecurity:\n  programme: ISO 27001\n"
EXTRA = "threat_model:\n  threats: []\n"


def test_project_with_nested_includes(project):
    path = project(
        {"trustdocs.yaml": ROOT, "legal/sla.yaml": SLA, "security.yaml": SECURITY, "security/extra.yaml": EXTRA}
    )
    tree = load_source_tree(path)
    assert tree.data == {
        "document": {"product": "Acme Ledger"},
        "sla": {"availability": 99.9},
        "security": {"programme": "ISO 27001"},
        "threat_model": {"threats": []},
    }
    assert list(tree.data) == ["document", "sla", "security", "threat_model"]
    assert tree.root == (Path.cwd() / "p").resolve()
    assert tree.display_root == "p"
    assert tree.sources == (
        SourceFile("trustdocs.yaml", hashlib.sha256(ROOT.encode()).hexdigest(), ("document",)),
        SourceFile("legal/sla.yaml", hashlib.sha256(SLA.encode()).hexdigest(), ("sla",)),
        SourceFile("security.yaml", hashlib.sha256(SECURITY.encode()).hexdigest(), ("security",)),
        SourceFile("security/extra.yaml", hashlib.sha256(EXTRA.encode()).hexdigest(), ("threat_model",)),
    )
    assert tree.positions.value(()) == Location("p/trustdocs.yaml", 2, 1)
    assert tree.positions.value(("document", "product")) == Location("p/trustdocs.yaml", 6, 12)
    assert tree.positions.value(("sla", "availability")) == Location("p/legal/sla.yaml", 2, 17)
    assert tree.positions.key(("security",)) == Location("p/security.yaml", 2, 1)
    assert tree.positions.value(("threat_model", "threats")) == Location("p/security/extra.yaml", 2, 12)
    assert not tree.positions.has_value(("include",))


def test_project_given_as_a_single_file(project):
    project({"acme.yaml": "document:\n  product: Acme\n"})
    tree = load_source_tree(Path("p/acme.yaml"))
    assert tree.data == {"document": {"product": "Acme"}}
    assert tree.sources[0].path == "acme.yaml"
    assert tree.positions.value(("document", "product")) == Location("p/acme.yaml", 2, 12)


def test_project_in_the_current_directory(project, monkeypatch: pytest.MonkeyPatch):
    project({"trustdocs.yaml": "include: [a.yaml]\n", "a.yaml": "sla: 1\n"})
    monkeypatch.chdir("p")
    tree = load_source_tree(Path("."))
    assert tree.positions.value(("sla",)) == Location("a.yaml", 1, 6)


def test_project_with_an_absolute_path(tmp_path: Path):
    write(tmp_path, {"trustdocs.yaml": "sla: [\n"})
    assert tree_errors(tmp_path) == [
        f"{tmp_path.as_posix()}/trustdocs.yaml:2:1: YAML syntax error: "
        + (
            "did not find expected node content (while parsing a flow node at line 2)"
            if LIBYAML
            else "expected the node content, but found '<stream end>' (while parsing a flow node at line 2)"
        )
    ]


@pytest.mark.parametrize(
    ("files", "target", "expected"),
    [
        ({"other.yaml": "a: 1\n"}, "p", ["no trustdocs.yaml in p"]),
        ({"trustdocs.yaml": "a: 1\n"}, "nowhere", ["no such file or directory: nowhere"]),
        ({"notes.txt": "a: 1\n"}, "p/notes.txt", ["p/notes.txt is not a .yaml or .yml file"]),
        (
            {"trustdocs.yaml": "- document\n- sla\n"},
            "p",
            ["p/trustdocs.yaml:1:1: a project file must be a mapping of top-level sections, found a list"],
        ),
        (
            {"trustdocs.yaml": "just text\n"},
            "p",
            ["p/trustdocs.yaml:1:1: a project file must be a mapping of top-level sections, found a string"],
        ),
        ({"trustdocs.yaml": ""}, "p", ["p/trustdocs.yaml:1:1: file is empty"]),
    ],
)
def test_project_root_errors(project, files, target, expected):
    project(files)
    assert tree_errors(Path(target)) == expected


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (
            {
                "trustdocs.yaml": "include: [a.yaml]\n",
                "a.yaml": "include: [b.yaml]\nx: 1\n",
                "b.yaml": "include: [a.yaml]\ny: 1\n",
            },
            ["p/b.yaml:1:11: include[0]: include cycle: a.yaml -> b.yaml -> a.yaml"],
        ),
        (
            {"trustdocs.yaml": "include: [a.yaml]\n", "a.yaml": "include: [trustdocs.yaml]\n"},
            ["p/a.yaml:1:11: include[0]: include cycle: trustdocs.yaml -> a.yaml -> trustdocs.yaml"],
        ),
        (
            {"trustdocs.yaml": "include:\n  - ../secrets.yaml\n"},
            ["p/trustdocs.yaml:2:5: include[0]: include '../secrets.yaml' is outside the project"],
        ),
        (
            {"trustdocs.yaml": "include:\n  - legal/../../x.yaml\n"},
            ["p/trustdocs.yaml:2:5: include[0]: include 'legal/../../x.yaml' is outside the project"],
        ),
        (
            {"trustdocs.yaml": "include:\n  - /etc/passwd\n"},
            ["p/trustdocs.yaml:2:5: include[0]: include '/etc/passwd' is outside the project"],
        ),
        (
            {"trustdocs.yaml": "include:\n  - 'C:/x.yaml'\n"},
            ["p/trustdocs.yaml:2:5: include[0]: include 'C:/x.yaml' is outside the project"],
        ),
        (
            {"trustdocs.yaml": "include:\n  - 'legal\\sla.yaml'\n"},
            ["p/trustdocs.yaml:2:5: include[0]: include 'legal\\sla.yaml' must use '/' between folders"],
        ),
        (
            {"trustdocs.yaml": "include:\n  - legal/sla.yaml\n"},
            ["p/trustdocs.yaml:2:5: include[0]: included file 'legal/sla.yaml' not found"],
        ),
        (
            {"trustdocs.yaml": "include:\n  - sla.yaml/x.yaml\n", "sla.yaml": "sla: 1\n"},
            ["p/trustdocs.yaml:2:5: include[0]: included file 'sla.yaml/x.yaml' not found"],
        ),
        (
            {"trustdocs.yaml": "include:\n  - legal\n", "legal/sla.yaml": "sla: 1\n"},
            ["p/trustdocs.yaml:2:5: include[0]: included file 'legal' is a directory, not a file"],
        ),
        (
            {"trustdocs.yaml": "include:\n  - a.yaml\n  - ./a.yaml\n", "a.yaml": "sla: 1\n"},
            ["p/trustdocs.yaml:3:5: include[1]: './a.yaml' is included twice (first at p/trustdocs.yaml:2:5)"],
        ),
        (
            {
                "trustdocs.yaml": "include: [a.yaml, b.yaml]\n",
                "a.yaml": "include: [c.yaml]\n",
                "b.yaml": "include: [c.yaml]\n",
                "c.yaml": "sla: 1\n",
            },
            ["p/b.yaml:1:11: include[0]: 'c.yaml' is included twice (first at p/a.yaml:1:11)"],
        ),
        (
            {"trustdocs.yaml": "sla:\n  a: 1\ninclude: [legal/sla.yaml]\n", "legal/sla.yaml": "\nsla:\n  b: 2\n"},
            ["p/legal/sla.yaml:2:1: sla: 'sla' is already defined in p/trustdocs.yaml:1:1"],
        ),
        (
            {"trustdocs.yaml": "include: [a.yaml, b.yaml]\n", "a.yaml": "sla: 1\n", "b.yaml": "x: 1\nsla: 2\n"},
            ["p/b.yaml:2:1: sla: 'sla' is already defined in p/a.yaml:1:1"],
        ),
        (
            {"trustdocs.yaml": "include: [a.yaml]\n", "a.yaml": "- sla\n"},
            ["p/a.yaml:1:1: an included file must be a mapping of top-level sections, found a list"],
        ),
        (
            {"trustdocs.yaml": "include: a.yaml\n"},
            ["p/trustdocs.yaml:1:10: include: expected a list of file paths, found a string"],
        ),
        (
            {"trustdocs.yaml": "include: [5, '', {a: 1}]\n"},
            [
                "p/trustdocs.yaml:1:11: include[0]: expected a file path, found a number",
                "p/trustdocs.yaml:1:14: include[1]: expected a file path, found an empty string",
                "p/trustdocs.yaml:1:18: include[2]: expected a file path, found a mapping",
            ],
        ),
        ({"trustdocs.yaml": "include: ['.']\n"}, ["p/trustdocs.yaml:1:11: include[0]: include '.' is not a file"]),
    ],
)
def test_include_errors(project, files, expected):
    assert tree_errors(project(files)) == expected


def test_problems_in_several_included_files_are_all_reported(project):
    path = project(
        {
            "trustdocs.yaml": "include: [a.yaml, b.yaml, missing.yaml, c.yaml]\ndocument: {}\n",
            "a.yaml": "sla:\n  x: 1\n  x: 2\n",
            "b.yaml": b"support: \xff\n",
            "c.yaml": "incidents: [\n",
        }
    )
    assert tree_errors(path) == [
        "p/a.yaml:3:3: sla.x: duplicate key 'x' (first defined at line 2)",
        "p/b.yaml:1:10: file is not valid UTF-8: byte 0xff at offset 9 cannot be decoded; save the file as UTF-8",
        "p/trustdocs.yaml:1:27: include[2]: included file 'missing.yaml' not found",
        "p/c.yaml:2:1: YAML syntax error: "
        + (
            "did not find expected node content (while parsing a flow node at line 2)"
            if LIBYAML
            else "expected the node content, but found '<stream end>' (while parsing a flow node at line 2)"
        ),
    ]


def test_include_through_a_symlink_outside_the_project(project, tmp_path: Path):
    (tmp_path / "outside.yaml").write_text("sla: 1\n")
    path = project({"trustdocs.yaml": "include:\n  - legal/sla.yaml\n"})
    (path / "legal").mkdir()
    (path / "legal" / "sla.yaml").symlink_to(tmp_path / "outside.yaml")
    assert tree_errors(path) == ["p/trustdocs.yaml:2:5: include[0]: include 'legal/sla.yaml' is outside the project"]


def test_include_through_a_symlinked_folder_outside_the_project(project, tmp_path: Path):
    write(tmp_path, {"shared/sla.yaml": "sla: 1\n"})
    path = project({"trustdocs.yaml": "include:\n  - legal/sla.yaml\n"})
    (path / "legal").symlink_to(tmp_path / "shared", target_is_directory=True)
    assert tree_errors(path) == ["p/trustdocs.yaml:2:5: include[0]: include 'legal/sla.yaml' is outside the project"]


def test_symlink_inside_the_project_is_followed(project):
    path = project({"trustdocs.yaml": "include: [current/sla.yaml]\n", "v2/sla.yaml": "sla: 2\n"})
    (path / "current").symlink_to("v2", target_is_directory=True)
    tree = load_source_tree(path)
    assert tree.data == {"sla": 2}
    assert tree.sources[1].path == "current/sla.yaml"
    assert tree.positions.value(("sla",)) == Location("p/current/sla.yaml", 1, 6)


def test_include_symlink_loop(project):
    path = project({"trustdocs.yaml": "include: [loop.yaml]\n"})
    (path / "loop.yaml").symlink_to("loop.yaml")
    assert tree_errors(path) == [
        "p/trustdocs.yaml:1:11: include[0]: include 'loop.yaml' cannot be resolved (symlink loop?)"
    ]


def test_unreadable_include(project, monkeypatch: pytest.MonkeyPatch):
    real_read = project_files.read_limited

    def read(path: Path, *args: int) -> bytes:  # chmod cannot deny root, who may run the tests
        if path.name == "a.yaml":
            raise PermissionError(13, "Permission denied", str(path))
        return real_read(path, *args)

    monkeypatch.setattr(project_files, "read_limited", read)
    path = project({"trustdocs.yaml": "include: [a.yaml]\n", "a.yaml": "sla: 1\n"})
    assert tree_errors(path) == [
        "p/trustdocs.yaml:1:11: include[0]: cannot read included file 'a.yaml': permission denied"
    ]


def test_file_count_limit(project, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(project_files, "MAX_FILES", 3)
    files: dict[str, str | bytes] = {f"f{i}.yaml": f"k{i}: 1\n" for i in range(5)}
    files["trustdocs.yaml"] = "include: [f0.yaml, f1.yaml, f2.yaml, f3.yaml, f4.yaml]\n"
    assert tree_errors(project(files)) == ["p/trustdocs.yaml:1:29: too many files (limit 3)"]


def test_total_size_limit(project, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(project_files, "MAX_TOTAL_BYTES", 100)
    path = project(
        {"trustdocs.yaml": "include: [a.yaml, b.yaml]\n", "a.yaml": "a: '" + "x" * 70 + "'\n", "b.yaml": "b: 1\n"}
    )
    assert tree_errors(path) == ["p/trustdocs.yaml:1:11: the project's files together exceed the limit of 100 bytes"]


# --- files the data refers to -------------------------------------------------------------------


def test_load_extra_file(project):
    log = "deposits:\n  - date: 2026-01-01\n"
    path = project({"trustdocs.yaml": "escrow: {}\n", "escrow/log.yaml": log})
    data, positions, source = load_extra_file(path.resolve(), "p", "escrow/log.yaml")
    assert data == {"deposits": [{"date": "2026-01-01"}]}
    assert positions.value(("deposits", 0, "date")) == Location("p/escrow/log.yaml", 2, 11)
    assert source == SourceFile("escrow/log.yaml", hashlib.sha256(log.encode()).hexdigest())


@pytest.mark.parametrize(
    ("relative", "expected"),
    [
        ("../x.yaml", "p/trustdocs.yaml:3:16: escrow.deposit_log: file '../x.yaml' is outside the project"),
        ("escrow/none.yaml", "p/trustdocs.yaml:3:16: escrow.deposit_log: file 'escrow/none.yaml' not found"),
    ],
)
def test_load_extra_file_errors(project, relative, expected):
    path = project({"trustdocs.yaml": "escrow: {}\n"})
    where = Location("p/trustdocs.yaml", 3, 16)
    with pytest.raises(InputError) as exc:
        load_extra_file(path.resolve(), "p", relative, where=where, path="escrow.deposit_log")
    assert messages(exc) == [expected]


def test_load_extra_file_errors_inside_the_file(project):
    path = project({"trustdocs.yaml": "escrow: {}\n", "log.yaml": "a: 1\na: 2\n"})
    with pytest.raises(InputError) as exc:
        load_extra_file(path.resolve(), "p", "log.yaml")
    assert messages(exc) == ["p/log.yaml:2:1: a: duplicate key 'a' (first defined at line 1)"]


def test_read_project_file_for_binary_assets(project):
    path = project({"trustdocs.yaml": "a: 1\n", "assets/logo.svg": b"<svg/>"})
    found = read_project_file(path.resolve(), "p", "assets/logo.svg")
    assert found.raw == b"<svg/>"
    assert found.display == "p/assets/logo.svg"
    assert found.path == (path / "assets" / "logo.svg").resolve()
    assert found.source == SourceFile("assets/logo.svg", hashlib.sha256(b"<svg/>").hexdigest())
