"""Writes a synthetic, valid trustdocs project of any size, for benchmarks.

`generate_project(n_components, out_dir)` lays the project out like a real one: `trustdocs.yaml` (document
control and the include list), `architecture.yaml` (external entities, processes and data stores in nested
trust boundaries, data assets, flows), `security/programme.yaml`, `security/threats.yaml` (threats,
mitigations, exemptions) and `legal/*.yaml` (SLA, support, incidents, insurance, indemnification, escrow),
so that `trustdocs validate`, `check` and `build` all run on it. The same arguments always give the same
bytes. Run `python benchmarks/generate.py N OUT` to write one from the command line.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path
from typing import Any

import yaml

STRIDE_PER_KIND = {"external_entity": "SR", "process": "STRIDE", "data_store": "TRID", "data_flow": "TID"}
LIKELIHOOD = ("rare", "unlikely", "possible", "likely", "almost_certain")
IMPACT = ("negligible", "minor", "moderate", "major", "severe")
CLASSIFICATIONS = ("public", "internal", "confidential", "restricted")
ZONE_SIZE = 20
"""Components per VPC zone: each zone is a VPC (level 2) with a nested data subnet (level 3)."""

DOCUMENT = {
    "product": "Synthetic Ledger",
    "vendor": {
        "legal_name": "Synthetic Cloud Ltd",
        "address": {
            "street": "1 Example Street",
            "city": "London",
            "postal_code": "EC1A 1AA",
            "country": "United Kingdom",
        },
    },
    "security_contact": {"name": "Security Team", "email": "security@synthetic.example"},
    "version": "1.0",
    "status": "approved",
    "effective_date": "2026-01-15",
    "classification": "nda",
    "owners": [{"name": "Ada Lovelace", "email": "ada@synthetic.example", "role": "CISO"}],
    "approvers": [{"name": "Grace Hopper", "role": "CEO", "date": "2026-01-14"}],
    "revisions": [{"version": "1.0", "date": "2026-01-15", "author": "Ada Lovelace", "summary": "Generated"}],
}

SECURITY = {
    "organisation": {"security_lead": "Ada Lovelace", "security_lead_title": "CISO", "team_size": 6},
    "encryption": {
        "in_transit": {"minimum_tls": "1.2"},
        "at_rest": {"algorithm": "AES-256-GCM", "key_management": "AWS KMS"},
    },
    "identity": {"customer": {"sso": ["SAML 2.0"], "mfa": True}, "workforce": {"mfa": True, "sso": True}},
    "sdlc": {"code_review": True},
    "vulnerability_management": {
        "remediation": {"critical_days": 1, "high_days": 7, "medium_days": 30, "low_days": 90}
    },
    "logging": {"retention_days": 365, "monitoring_24x7": True},
    "incident_response": {"notification_hours": 48},
    "continuity": {"rto_hours": 4, "rpo_hours": 1, "multi_zone": True},
    "hosting": {"provider": "AWS", "regions": ["eu-west-1"]},
}

SLA = {
    "services": [{"id": "app", "name": "Synthetic Ledger application", "commitment_percent": 99.9}],
    "measurement_period": "month",
    "time_zone": "Europe/London",
    "downtime_definition": "A minute in which more than 5 % of valid requests fail.",
    "minimum_downtime_minutes": 1,
    "credits": {
        "tiers": [
            {"availability_at_least": 99.0, "credit_percent": 10},
            {"availability_at_least": 95.0, "credit_percent": 25},
            {"availability_at_least": 0, "credit_percent": 50},
        ],
        "cap_percent": 50,
    },
    "maintenance": {"notice_hours": 72, "yearly_cap_hours": 12},
    "claims": {"deadline_days": 30, "channel": "support portal"},
}

SUPPORT = {
    "channels": [{"id": "portal", "name": "Support portal"}],
    "plans": [
        {"id": "standard", "name": "Standard", "hours": "24x7", "time_zone": "Europe/London", "channels": ["portal"]}
    ],
    "severities": [
        {"id": "sev1", "name": "Critical", "definition": "The service is down."},
        {"id": "sev2", "name": "High", "definition": "A major function is impaired."},
    ],
    "targets": [
        {
            "plan": "standard",
            "severity": "sev1",
            "first_response": "30m",
            "update_cadence": "1h",
            "workaround": "4h",
            "resolution": "24h",
        },
        {
            "plan": "standard",
            "severity": "sev2",
            "first_response": "2h",
            "update_cadence": "4h",
            "workaround": "1bd",
            "resolution": "3bd",
        },
    ],
}

INSURANCE = {
    "currency": "USD",
    "cancellation_notice_days": 30,
    "certificate": {"form": "ACORD 25", "broker": "Example Brokers Ltd"},
    "policies": [
        {
            "id": "cyber",
            "type": "cyber",
            "carrier": "Example Specialty",
            "am_best_rating": "A+ XV",
            "basis": "claims_made",
            "period_start": "2026-01-01",
            "period_end": "2027-01-01",
            "per_claim_limit": 5000000,
            "aggregate_limit": 5000000,
            "retention": 50000,
        },
        {
            "id": "tech-eo",
            "type": "technology_eo",
            "carrier": "Example Specialty",
            "am_best_rating": "A+ XV",
            "basis": "claims_made",
            "period_start": "2026-01-01",
            "period_end": "2027-01-01",
            "per_claim_limit": 5000000,
            "aggregate_limit": 5000000,
            "retention": 50000,
        },
    ],
}

INDEMNIFICATION = {
    "currency": "USD",
    "annual_fee": 240000,
    "ip_indemnity": {
        "scope": "Third-party IP claims against the service.",
        "exclusions": ["Customer data."],
        "remedies": ["Modify the service.", "Obtain a licence.", "Terminate and refund."],
    },
    "data_breach_indemnity": {"covered_costs": ["Notification", "Credit monitoring"], "notice_hours": 48},
    "customer_indemnity": {"scope": "Claims arising from customer data."},
    "procedure": {
        "notice": "Prompt written notice.",
        "control_of_defence": "Sole control.",
        "cooperation": "Reasonable cooperation.",
        "settlement": "No settlement without consent.",
    },
    "liability": {
        "general_cap": {"fees_multiple": 1, "lookback_months": 12},
        "super_cap": {"fees_multiple": 3, "lookback_months": 12},
        "uncapped": ["IP indemnity"],
    },
}

ESCROW = {
    "agent": {"name": "Example Escrow Ltd", "role": "Escrow agent"},
    "agreement_type": "three_party",
    "depositor": {"name": "Synthetic Cloud Ltd", "role": "Depositor"},
    "beneficiaries": [{"name": "The Customer", "role": "Beneficiary"}],
    "contents": [
        {"id": "source", "name": "Source code", "patterns": ["**/*.py"]},
        {"id": "build", "name": "Build instructions", "patterns": ["README*"]},
    ],
    "method": "SFTP upload of an encrypted archive.",
    "frequency": "Quarterly",
    "encryption": "age to the agent's key",
    "verification": {"level": "inventory", "frequency": "On every deposit"},
    "release_conditions": [{"name": "Insolvency", "description": "The depositor becomes insolvent."}],
    "release_process": {
        "notice": "Written notice with evidence.",
        "objection_days": 10,
        "dispute": "Expert determination.",
    },
}

INCIDENTS = [
    {
        "id": "INC-1",
        "start": "2026-02-03T10:00:00Z",
        "end": "2026-02-03T10:40:00Z",
        "services": ["app"],
        "severity": "sev1",
        "summary": "Database failover.",
    },
]


def _architecture(rng: random.Random, n: int, flows_per_component: int) -> dict[str, Any]:
    n_assets = max(4, n // 10)
    assets = [
        {
            "id": f"asset-{i:04d}",
            "name": f"Data asset {i}",
            "classification": CLASSIFICATIONS[i % 4],
            "personal_data": i % 5 == 0,
        }
        for i in range(n_assets)
    ]
    components: list[dict[str, Any]] = []
    kinds = []
    for i in range(n):
        roll = i % 10
        kind = "external_entity" if roll == 0 else "data_store" if roll in (3, 6, 9) else "process"
        kinds.append(kind)
        component: dict[str, Any] = {
            "id": f"c-{i:04d}",
            "name": f"Component {i}",
            "kind": kind,
            "technology": "Python" if kind == "process" else "PostgreSQL",
            "hosting": "AWS eu-west-1",
            "owner": f"Team {i % 7}",
        }
        if kind == "data_store":
            component["stores"] = sorted({a["id"] for a in rng.sample(assets, 2)})
            component["encrypted_at_rest"] = rng.random() > 0.05
        elif kind == "process":
            component["audit_logging"] = rng.random() > 0.1
            component["internet_facing"] = i % 20 == 1
        components.append(component)

    zones: dict[int, dict[str, list[str]]] = {}
    for i, kind in enumerate(kinds):
        if kind == "external_entity":
            continue
        zone = zones.setdefault(i // ZONE_SIZE, {"vpc": [], "data": []})
        zone["data" if kind == "data_store" else "vpc"].append(f"c-{i:04d}")
    boundaries = [
        {
            "id": "cloud",
            "name": "Cloud account",
            "trust_level": 1,
            "boundaries": [
                {
                    "id": f"vpc-{z:03d}",
                    "name": f"VPC {z}",
                    "trust_level": 2,
                    "members": members["vpc"],
                    "boundaries": [
                        {
                            "id": f"data-{z:03d}",
                            "name": f"Data subnet {z}",
                            "trust_level": 3,
                            "members": members["data"],
                        }
                    ]
                    if members["data"]
                    else [],
                }
                for z, members in sorted(zones.items())
            ],
        }
    ]

    processes = [i for i, k in enumerate(kinds) if k == "process"]
    flows = []
    for i, kind in enumerate(kinds):
        for j in range(flows_per_component):
            if kind == "process":
                target = rng.randrange(n)
                while target == i:
                    target = rng.randrange(n)
            else:  # entities and stores talk to processes only
                target = rng.choice(processes)
            encrypted = rng.random() > 0.03
            flow: dict[str, Any] = {
                "id": f"f-{i:04d}-{j}",
                "source": f"c-{i:04d}",
                "destination": f"c-{target:04d}",
                "protocol": "HTTPS",
                "port": 443,
                "authentication": "oidc" if rng.random() > 0.04 else "none",
                "encryption": "tls" if encrypted else "none",
                "data": sorted({a["id"] for a in rng.sample(assets, rng.randint(1, 2))}),
            }
            if encrypted:
                flow["tls_version"] = "1.2"
            flows.append(flow)
    return {"components": components, "trust_boundaries": boundaries, "data_assets": assets, "data_flows": flows}


def _threat_model(rng: random.Random, architecture: dict[str, Any], threats_per_component: int) -> dict[str, Any]:
    elements = [(c["id"], c["kind"]) for c in architecture["components"]]
    elements += [(f["id"], "data_flow") for f in architecture["data_flows"]]
    n_mitigations = max(3, len(architecture["components"]) // 5)
    mitigations = [
        {"id": f"M-{i:04d}", "title": f"Mitigation {i}", "controls": [f"CTL-{i % 10}"], "status": "implemented"}
        for i in range(n_mitigations)
    ]
    threats = []
    partial: list[tuple[str, str]] = []  # (element, a letter no threat covers): candidates for exemptions
    count = threats_per_component * len(architecture["components"])
    for i in range(count):
        # Walk the elements in order; most threats cover every applicable letter, as in a maintained model,
        # and the rest leave gaps for the coverage check to find.
        element_id, kind = elements[i % len(elements)]
        letters = STRIDE_PER_KIND[kind]
        if rng.random() < 0.95:
            stride = list(letters)
        else:
            stride = sorted(set(rng.sample(letters, min(len(letters), rng.randint(1, 3)))), key=letters.index)
            missing = [letter for letter in letters if letter not in stride]
            if missing and i < len(elements):
                partial.append((element_id, missing[0]))
        targets = [element_id]
        status = ("mitigated", "mitigated", "mitigated", "open", "accepted", "in_progress")[i % 6]
        threat: dict[str, Any] = {
            "id": f"T-{i:05d}",
            "title": f"Threat {i}",
            "stride": stride,
            "targets": targets,
            "description": f"Synthetic threat {i} against {element_id}.",
            "likelihood": rng.choice(LIKELIHOOD),
            "impact": rng.choice(IMPACT),
            "status": status,
            "owner": f"Team {i % 7}",
        }
        if status in ("mitigated", "in_progress"):
            threat["mitigations"] = [mitigations[i % n_mitigations]["id"]]
            threat["residual"] = {"likelihood": "rare", "impact": threat["impact"]}
        if status == "accepted":
            threat["justification"] = "Accepted by the risk committee."
            threat["review_by"] = "2099-01-01"
        threats.append(threat)
    exemptions = [
        {"element": element_id, "stride": [letter], "justification": "Out of scope for this synthetic model."}
        for element_id, letter in partial[::3]
    ]
    return {
        "methodology": "STRIDE per element.",
        "mitigations": mitigations,
        "threats": threats,
        "exemptions": exemptions,
    }


def _write(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=120), encoding="utf-8")


def generate_project(
    n_components: int, out_dir: Path, *, flows_per_component: int = 2, threats_per_component: int = 5, seed: int = 0
) -> Path:
    """Write a valid project with `n_components` components and n × `flows_per_component` flows; return its root."""
    if n_components < 2:
        raise ValueError("a project needs at least 2 components")
    rng = random.Random(seed)
    out_dir = Path(out_dir)
    architecture = _architecture(rng, n_components, flows_per_component)
    threat_model = _threat_model(rng, architecture, threats_per_component)
    security = {**SECURITY, "controls": [{"id": f"CTL-{i}", "name": f"Control {i}"} for i in range(10)]}
    files = {
        "architecture.yaml": {"architecture": architecture},
        "security/programme.yaml": {"security": security},
        "security/threats.yaml": {"threat_model": threat_model},
        "legal/sla.yaml": {"sla": SLA},
        "legal/support.yaml": {"support": SUPPORT},
        "legal/incidents.yaml": {"incidents": INCIDENTS},
        "legal/insurance.yaml": {"insurance": INSURANCE},
        "legal/indemnification.yaml": {"indemnification": INDEMNIFICATION},
        "legal/escrow.yaml": {"escrow": ESCROW},
    }
    for name, data in files.items():
        _write(out_dir / name, data)
    _write(out_dir / "trustdocs.yaml", {"include": list(files), "document": DOCUMENT})
    return out_dir


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("components", type=int, help="number of components, e.g. 500")
    parser.add_argument("out", type=Path, help="directory to write the project into")
    parser.add_argument("--flows-per-component", type=int, default=2)
    parser.add_argument("--threats-per-component", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    root = generate_project(
        args.components,
        args.out,
        flows_per_component=args.flows_per_component,
        threats_per_component=args.threats_per_component,
        seed=args.seed,
    )
    print(f"wrote {root}")


if __name__ == "__main__":
    main()
