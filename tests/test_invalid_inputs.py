"""Table of invalid inputs: each edits one line of tests/data/minimal.yaml and expects one exact located message."""

from __future__ import annotations

from pathlib import Path

import pytest

from trustdocs.errors import InputError
from trustdocs.project import load_project

MINIMAL = (Path(__file__).parent / "data" / "minimal.yaml").read_text(encoding="utf-8")
F = "proj/trustdocs.yaml"

# (case id, line as written in minimal.yaml, replacement (None: blank the line), expected message line)
CASES = [
    (
        "unknown-key-typo",
        "      technology: Python",
        "      techology: Python",
        f"{F}:42:7: architecture.components[1]: unknown key 'techology'; did you mean 'technology'?",
    ),
    (
        "missing-required-key",
        "      owner: Platform team\n      audit_logging: true",
        "      audit_logging: true\n",
        f"{F}:39:7: architecture.components[1]: missing required key 'owner'",
    ),
    (
        "enum-with-suggestion",
        "      kind: process",
        "      kind: proces",
        f"{F}:41:13: architecture.components[1].kind: expected one of: external_entity, process, data_store; "
        "found 'proces'; did you mean 'process'?",
    ),
    (
        "integer-expected",
        "      port: 443",
        "      port: https",
        f"{F}:73:13: architecture.data_flows[0].port: expected an integer, found a string ('https')",
    ),
    (
        "port-out-of-range",
        "      port: 5432",
        "      port: 70000",
        f"{F}:81:13: architecture.data_flows[1].port: expected a number of at most 65535, found 70000",
    ),
    (
        "flow-source-unknown",
        "      source: user",
        "      source: usr",
        f"{F}:70:15: architecture.data_flows[0].source: unknown component 'usr'; "
        "expected one of: user, api, db; did you mean 'user'?",
    ),
    (
        "flow-to-itself",
        "      destination: api",
        "      destination: user",
        f"{F}:71:20: architecture.data_flows[0].destination: a data flow must connect two different components",
    ),
    (
        "flow-data-unknown",
        "      data: [notes]\n    - id: f-api-db",
        "      data: [note]\n    - id: f-api-db",
        f"{F}:76:14: architecture.data_flows[0].data[0]: unknown data asset 'note'; "
        "expected one of: notes; did you mean 'notes'?",
    ),
    (
        "store-asset-unknown",
        "      stores: [notes]",
        "      stores: [notez]",
        f"{F}:52:16: architecture.components[2].stores[0]: unknown data asset 'notez'; "
        "expected one of: notes; did you mean 'notes'?",
    ),
    (
        "boundary-member-unknown",
        "      members: [api]",
        "      members: [apii]",
        f"{F}:58:17: architecture.trust_boundaries[0].members[0]: unknown component 'apii'; "
        "expected one of: user, api, db; did you mean 'api'?",
    ),
    (
        "member-of-two-boundaries",
        "          members: [db]",
        "          members: [api]",
        f"{F}:63:21: architecture.trust_boundaries[0].boundaries[0].members[0]: component 'api' is already a "
        "member of architecture.trust_boundaries[0]; a component belongs to one boundary (nest boundaries instead)",
    ),
    (
        "duplicate-element-id",
        "    - id: db",
        "    - id: api",
        f"{F}:46:11: architecture.components[2].id: duplicate element id 'api' (first defined at {F}:39:11)",
    ),
    (
        "data-classification-enum",
        "      classification: confidential\n  data_flows:",
        "      classification: secret\n  data_flows:",
        f"{F}:67:23: architecture.data_assets[0].classification: expected one of: public, internal, confidential, "
        "restricted; found 'secret'",
    ),
    (
        "status-enum",
        "  status: draft",
        "  status: aproved",
        f"{F}:15:11: document.status: expected one of: draft, in_review, approved; found 'aproved'; "
        "did you mean 'approved'?",
    ),
    (
        "impossible-date",
        "  effective_date: 2026-01-15",
        "  effective_date: 2026-02-30",
        f"{F}:16:19: document.effective_date: expected a date (YYYY-MM-DD), found '2026-02-30'",
    ),
    (
        "revisions-out-of-order",
        "      date: 2026-01-15",
        "      date: 2025-11-01",
        f"{F}:28:13: document.revisions[1].date: revisions are listed oldest first: 2025-11-01 is before 2025-12-01",
    ),
    ("unknown-section", "sla:", "slaa:", f"{F}:148:1: unknown key 'slaa'; did you mean 'sla'?"),
    (
        "negative-team",
        "    team_size: 2",
        "    team_size: -2",
        f"{F}:89:16: security.organisation.team_size: expected a number of at least 1, found -2",
    ),
    (
        "threat-target-unknown",
        "      targets: [api]",
        "      targets: [apx]",
        f"{F}:131:17: threat_model.threats[0].targets[0]: unknown element 'apx'; "
        "expected one of: user, api, db, f-user-api, "
        "f-api-db, vpc, data-subnet; did you mean 'api'?",
    ),
    (
        "threat-mitigation-unknown",
        "      mitigations: [M-MFA]",
        "      mitigations: [M-MFX]",
        f"{F}:136:21: threat_model.threats[0].mitigations[0]: unknown mitigation 'M-MFX'; "
        "expected one of: M-MFA; did you mean 'M-MFA'?",
    ),
    (
        "mitigation-control-unknown",
        "      controls: [CTL-MFA]",
        "      controls: [CTL-MF]",
        f"{F}:126:18: threat_model.mitigations[0].controls[0]: unknown control 'CTL-MF'; "
        "expected one of: CTL-MFA; did you mean 'CTL-MFA'?",
    ),
    (
        "duplicate-threat-id",
        "    - id: T-2",
        "    - id: T-1",
        f"{F}:137:11: threat_model.threats[1].id: duplicate threat id 'T-1' (first defined at {F}:128:11)",
    ),
    (
        "stride-letter",
        "      stride: [S]",
        "      stride: [X]",
        f"{F}:130:16: threat_model.threats[0].stride[0]: expected one of: S, T, R, I, D, E; found 'X'",
    ),
    (
        "likelihood-level",
        "      likelihood: possible",
        "      likelihood: posible",
        f"{F}:133:19: threat_model.threats[0].likelihood: unknown likelihood level 'posible'; "
        "expected one of: rare, unlikely, possible, likely, almost_certain; did you mean 'possible'?",
    ),
    (
        "accepted-without-owner",
        "      owner: Ada Lovelace\n      justification",
        "      justification",
        f"{F}:137:7: threat_model.threats[1]: a threat with status 'accepted' needs 'owner'",
    ),
    (
        "mitigated-without-mitigations",
        "      mitigations: [M-MFA]",
        "      ticket: SEC-1",
        f"{F}:135:15: threat_model.threats[0].status: a mitigated threat must list the mitigations that address it",
    ),
    (
        "credit-tiers-not-descending",
        "      - availability_at_least: 95.0",
        "      - availability_at_least: 99.5",
        f"{F}:161:32: sla.credits.tiers[1].availability_at_least: tiers go from the highest availability down: "
        "99.5 is not below 99.0",
    ),
    (
        "credit-not-growing",
        "        credit_percent: 25",
        "        credit_percent: 5",
        f"{F}:162:25: sla.credits.tiers[1].credit_percent: credits must grow as availability falls: 5 is not above 10",
    ),
    (
        "last-tier-not-zero",
        "      - availability_at_least: 0",
        "      - availability_at_least: 90",
        f"{F}:163:32: sla.credits.tiers[2].availability_at_least: the last tier must start at 0 so that every "
        "availability below the commitment earns a credit; found 90",
    ),
    (
        "cap-below-highest-credit",
        "    cap_percent: 50",
        "    cap_percent: 20",
        f"{F}:165:18: sla.credits.cap_percent: the credit cap 20 % is below the highest tier's credit 50 %",
    ),
    (
        "commitment-over-100",
        "      commitment_percent: 99.9",
        "      commitment_percent: 100.5",
        f"{F}:152:27: sla.services[0].commitment_percent: expected a number of at most 100, found 100.5",
    ),
    (
        "incident-ends-before-start",
        "    end: 2026-02-03T11:00:00Z",
        "    end: 2026-02-03T09:00:00Z",
        f"{F}:175:10: incidents[0].end: the incident ends (2026-02-03T09:00:00Z) before it starts "
        "(2026-02-03T10:00:00Z)",
    ),
    (
        "incident-service-unknown",
        "    services: [app]",
        "    services: [ap]",
        f"{F}:176:16: incidents[0].services[0]: unknown service 'ap'; expected one of: app; did you mean 'app'?",
    ),
    (
        "wrong-type-list",
        "    regions: [eu-west-2]",
        "    regions: eu-west-2",
        f"{F}:118:14: security.hosting.regions: expected a list, found a string ('eu-west-2')",
    ),
    (
        "duplicate-yaml-key",
        "      port: 443",
        "      port: 443\n      port: 444",
        f"{F}:74:7: architecture.data_flows[0].port: duplicate key 'port' (first defined at line 73)",
    ),
    (
        "yaml-syntax",
        "      stores: [notes]",
        "      stores: [notes",
        f"{F}:53:24: YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence at line 52)",
    ),
    (
        "incident-start-without-offset",
        "    start: 2026-02-03T10:00:00Z",
        "    start: 2026-02-03T10:00:00",
        f"{F}:174:12: incidents[0].start: the time '2026-02-03T10:00:00' needs a UTC offset: write "
        "2026-02-03T10:00:00Z for UTC, or the offset in force then, e.g. 2026-02-03T10:00:00+01:00",
    ),
    (
        "incident-end-without-offset-quoted",
        "    end: 2026-02-03T11:00:00Z",
        '    end: "2026-02-03T11:00:00"',
        f"{F}:175:10: incidents[0].end: the time '2026-02-03T11:00:00' needs a UTC offset: write "
        "2026-02-03T11:00:00Z for UTC, or the offset in force then, e.g. 2026-02-03T11:00:00+01:00",
    ),
    (
        "sla-time-zone-unknown",
        "  time_zone: Europe/London",
        "  time_zone: America/Chicag",
        f"{F}:154:14: sla.time_zone: expected an IANA time zone name (e.g. Europe/London or UTC), found "
        "'America/Chicag'; did you mean 'America/Chicago'?",
    ),
    (
        "sla-time-zone-lower-case",
        "  time_zone: Europe/London",
        "  time_zone: europe/london",
        f"{F}:154:14: sla.time_zone: expected an IANA time zone name (e.g. Europe/London or UTC), found "
        "'europe/london'; did you mean 'Europe/London'?",
    ),
    (
        "number-too-large-to-represent",
        "      commitment_percent: 99.9",
        "      commitment_percent: 1e400",
        f"{F}:152:27: sla.services[0].commitment_percent: expected a number of at most 100, found a number too "
        "large to represent",
    ),
    (
        "number-beyond-the-limit",
        "    retention_days: 365",
        "    retention_days: 1e308",
        f"{F}:110:21: security.logging.retention_days: expected a number of at most 1,000,000,000,000,000 (1e15), "
        "found 1e+308",
    ),
    (
        "integer-beyond-the-limit",
        "    team_size: 2",
        "    team_size: 123456789012345678901234567890",
        f"{F}:89:16: security.organisation.team_size: expected a number of at most 1,000,000,000,000,000 (1e15), "
        "found a 30-digit number",
    ),
    (
        "effective-date-in-9999",
        "  effective_date: 2026-01-15",
        "  effective_date: 9999-12-31",
        f"{F}:16:19: document.effective_date: expected a date in the years 1900 to 2999, found '9999-12-31'",
    ),
    (
        "incident-in-year-1",
        "    start: 2026-02-03T10:00:00Z",
        "    start: 0001-01-01T00:00:00+01:00",
        f"{F}:174:12: incidents[0].start: expected a time in the years 1900 to 2999, found '0001-01-01T00:00:00+01:00'",
    ),
    (
        "incident-log-too-long",
        "    start: 2026-02-03T10:00:00Z\n    end: 2026-02-03T11:00:00Z",
        "    start: 2026-02-03T10:00:00Z\n    end: 2026-02-03T11:00:00Z\n    services: [app]\n    severity: sev1\n"
        "    summary: x\n  - id: INC-2\n    start: 2062-02-03T10:00:00Z\n    end: 2062-02-03T11:00:00Z",
        f"{F}:180:12: incidents[1].start: the incident log runs from 2026-02-03T10:00:00Z (INC-1) to "
        "2062-02-03T10:00:00Z, more than 10 years; keep at most the last 10 years (is a year mistyped?)",
    ),
    (
        "minimum-downtime-too-long",
        "  minimum_downtime_minutes: 1",
        "  minimum_downtime_minutes: 100000000000",
        f"{F}:156:29: sla.minimum_downtime_minutes: expected a number of at most 1440, found 100000000000",
    ),
    (
        "likelihood-level-far",
        "      likelihood: possible",
        "      likelihood: medium",
        f"{F}:133:19: threat_model.threats[0].likelihood: unknown likelihood level 'medium'; "
        "expected one of: rare, unlikely, possible, likely, almost_certain",
    ),
]


def _mutate(old: str, new: str) -> str:
    assert MINIMAL.count(old) == 1, f"{old!r} must occur once in minimal.yaml"
    return MINIMAL.replace(old, new)


@pytest.fixture
def project_dir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "proj").mkdir()
    return Path("proj")


def test_the_unchanged_minimal_project_is_valid(project_dir):
    (project_dir / "trustdocs.yaml").write_text(MINIMAL, encoding="utf-8")
    result = load_project(project_dir)
    assert result.warnings == ()
    assert [c.id for c in result.project.architecture.components] == ["user", "api", "db"]


def test_there_are_at_least_thirty_cases():
    assert len(CASES) >= 30
    assert len({case[0] for case in CASES}) == len(CASES)


@pytest.mark.parametrize(("old", "new", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_invalid_input_is_reported_at_its_place(project_dir, old, new, expected):
    (project_dir / "trustdocs.yaml").write_text(_mutate(old, new), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_project(project_dir)
    lines = [str(p) for p in caught.value.problems]
    assert expected in lines, "\n".join(lines)


def test_every_problem_is_reported_in_one_run(project_dir):
    schema_and_reference_cases = CASES[:6]  # each keeps the line count, so every expected line still holds
    text = MINIMAL
    for _, old, new, _ in schema_and_reference_cases:
        text = text.replace(old, new)
    (project_dir / "trustdocs.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_project(project_dir)
    lines = [str(p) for p in caught.value.problems]
    assert [expected for *_, expected in schema_and_reference_cases if expected not in lines] == []
    assert lines == sorted(lines, key=lambda line: int(line.split(":")[1]))
