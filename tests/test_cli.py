"""The project commands through the CLI: help, version, init, validate, schema, exit codes."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import click
import jsonschema
import pytest
import yaml

from tests.conftest import GLOBEX, MINIMAL, REPO, SAMPLE
from trustdocs import __version__
from trustdocs.cli import main

PLANTED = REPO / "tests" / "data" / "planted"


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    context = click.Context(group)
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        assert command is not None, f"{name} is listed but cannot be loaded"
        found.append(prefix + (name,))
        if isinstance(command, click.Group):
            found += _commands(command, prefix + (name,))
    return found


ALL_COMMANDS = _commands(main)


def test_version(runner):
    result = runner.invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"trustdocs, version {__version__}\n"


def test_each_command_is_loaded_from_the_module_named_for_it():
    import importlib

    from trustdocs.cli import _COMMAND_MODULES

    for module in set(_COMMAND_MODULES.values()):
        importlib.import_module(f"trustdocs.cli.{module}")
    assert sorted(main.commands) == sorted(_COMMAND_MODULES)
    for name, command in main.commands.items():
        assert command.callback is not None
        assert command.callback.__module__ == f"trustdocs.cli.{_COMMAND_MODULES[name]}", name


def test_a_command_does_not_load_the_others():
    probe = (
        "import sys\n"
        "from trustdocs.cli import main\n"
        "try:\n    main(['validate', '--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('trustdocs.cli.')))"
    )
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert "trustdocs.cli.answer" not in loaded and "trustdocs.cli.site" not in loaded
    assert "trustdocs.cli.project_commands" in loaded


@pytest.mark.parametrize("command", ALL_COMMANDS, ids=" ".join)
def test_every_command_has_help(runner, command):
    result = runner.invoke(main, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Usage: main {' '.join(command)}")
    help_text = result.output.split("\n\n", 2)[1].strip()
    assert len(help_text) > 20, f"{command} has no real description"


@pytest.mark.parametrize("command", ALL_COMMANDS, ids=" ".join)
def test_every_command_is_in_the_readme(command):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"trustdocs {' '.join(command)}" in readme


def test_validate_the_sample_prints_a_summary(runner):
    result = runner.invoke(main, ["validate", str(SAMPLE)])
    assert result.exit_code == 0, result.output
    summary = result.stdout.strip().splitlines()[-1]
    assert summary == (
        f"{SAMPLE}: valid: 23 components, 4 trust boundaries, 27 data flows, 57 threats, "
        "3 services, 15 incidents, 7 insurance policies"
    )


def test_validate_with_a_customer_names_it(runner):
    result = runner.invoke(main, ["validate", str(SAMPLE), "--customer", str(GLOBEX)])
    assert result.exit_code == 0, result.output
    assert result.stdout.rstrip().endswith("terms for Globex Corporation")


def test_strict_turns_warnings_into_a_failure(runner):
    lenient = runner.invoke(main, ["validate", str(PLANTED)])
    assert lenient.exit_code == 0
    assert "warning: the accepted risk's review-by date 2026-06-30 has passed" in lenient.stderr
    strict = runner.invoke(main, ["validate", str(PLANTED), "--strict"])
    assert strict.exit_code == 1
    assert strict.stderr.rstrip().endswith("trustdocs: 0 errors, 8 warnings")


def test_invalid_project_exits_1_with_located_lines(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = MINIMAL.read_text(encoding="utf-8").replace("  status: draft", "  status: final")
    (tmp_path / "trustdocs.yaml").write_text(text, encoding="utf-8")
    result = runner.invoke(main, ["validate"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "trustdocs.yaml:15:11: document.status: expected one of: draft, in_review, approved; found 'final'",
        "trustdocs: 1 error",
    ]
    assert "Traceback" not in result.output


def test_usage_errors_exit_2(runner, tmp_path):
    assert runner.invoke(main, ["validate", str(tmp_path / "missing")]).exit_code == 2
    assert runner.invoke(main, ["validate", "--no-such-option"]).exit_code == 2
    assert runner.invoke(main, ["no-such-command"]).exit_code == 2


def test_init_writes_a_starter_that_validates(runner, tmp_path):
    target = tmp_path / "starter"
    result = runner.invoke(main, ["init", str(target)])
    assert result.exit_code == 0, result.output
    assert (target / "trustdocs.yaml").read_text(encoding="utf-8").lstrip().startswith("#")
    validated = runner.invoke(main, ["validate", str(target)])
    assert validated.exit_code == 0, validated.output
    assert ": valid: 3 components" in validated.stdout


def test_init_refuses_to_overwrite(runner, tmp_path):
    runner.invoke(main, ["init", str(tmp_path)])
    again = runner.invoke(main, ["init", str(tmp_path)])
    assert again.exit_code == 1
    assert "is not empty; init writes a new project into an empty or new directory" in again.stderr


def test_schema_is_a_json_schema_that_accepts_the_minimal_project(runner, tmp_path):
    out = tmp_path / "trustdocs.schema.json"
    result = runner.invoke(main, ["schema", "-o", str(out)])
    assert result.exit_code == 0, result.output
    schema = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    data = yaml.load(MINIMAL.read_text(encoding="utf-8"), Loader=_DatesAsText)
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(data)) == []
    printed = runner.invoke(main, ["schema"])
    assert json.loads(printed.stdout) == schema


class _DatesAsText(yaml.SafeLoader):
    """The YAML reading trustdocs does: dates stay strings, as editors using the schema see them."""


_DatesAsText.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def test_no_input_produces_a_traceback(runner, tmp_path):
    cases = {
        "empty.yaml": b"",
        "list.yaml": b"- 1\n- 2\n",
        "latin1.yaml": "caf\xe9: 1\n".encode("latin-1"),
        "tags.yaml": b"a: !!python/object/apply:os.system ['true']\n",
        "nul.yaml": b"\x00\x01\x02",
    }
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        result = runner.invoke(main, ["validate", str(tmp_path / name)])
        assert result.exit_code == 1, (name, result.output)
        assert result.exception is None or isinstance(result.exception, SystemExit), (name, result.exception)
        assert re.match(rf"{re.escape(str(tmp_path / name))}:\d+:\d+: ", result.stderr), (name, result.stderr)


@pytest.mark.parametrize(
    ("args", "code", "expected"),
    [
        (["validate", str(SAMPLE)], 0, "acme: valid: 23 components"),
        (["validate", "--strict", str(SAMPLE)], 0, "acme: valid: 23 components"),
        (["validate", "--strict", str(PLANTED)], 1, "trustdocs: 0 errors, 8 warnings"),
        (["build", "--bogus"], 2, "Error: No such option '--bogus'."),
    ],
)
def test_program_entry_point_keeps_exit_codes_and_output(args, code, expected):
    # `python -m trustdocs` goes through `run`, which freezes the collector on the way out.
    result = subprocess.run([sys.executable, "-m", "trustdocs", *args], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == code, result.stderr
    assert expected in result.stdout + result.stderr
