"""Derivers for governance, people, assets, access control, cryptography and the network."""

from __future__ import annotations

import re
from collections import Counter

from trustdocs.analyse.architecture import ArchitectureIndex
from trustdocs.model.architecture import Component, DataFlow, TrustBoundary
from trustdocs.model.project import Project
from trustdocs.questionnaire.derive import (
    Answer,
    deriver,
    join,
    months_phrase,
    no,
    plain,
    plural,
    review,
    sentence,
    yes,
)

SENSITIVE = ("confidential", "restricted")
"""Classifications that count as customer data worth protecting in these answers."""

_LIST_LIMIT = 6
"""Longest list of names written into one detail before it is cut with "and N more"."""


def names(items: list[str], limit: int = _LIST_LIMIT) -> str:
    """Names joined for a detail, cut after `limit` with "and N more"."""
    if len(items) <= limit:
        return join(items)
    return f"{', '.join(items[:limit])} and {len(items) - limit} more"


def _index(project: Project) -> ArchitectureIndex:
    return ArchitectureIndex.from_architecture(project.architecture)


def _sensitive_stores(project: Project, index: ArchitectureIndex) -> list[Component]:
    return [
        c
        for c in project.architecture.components
        if c.kind == "data_store" and index.holds_classification(c.id) in SENSITIVE
    ]


def _walk(boundaries: tuple[TrustBoundary, ...]) -> list[TrustBoundary]:
    found: list[TrustBoundary] = []
    for boundary in boundaries:
        found.append(boundary)
        found.extend(_walk(boundary.boundaries))
    return found


def _is_external(index: ArchitectureIndex, flow: DataFlow) -> bool:
    """A flow that leaves its zone or touches an external entity: the ones that travel over other networks."""
    ends = (index.kind(flow.source), index.kind(flow.destination))
    return index.crosses_boundary(flow) or "external_entity" in ends


def _flow_name(index: ArchitectureIndex, flow: DataFlow) -> str:
    return f"{flow.id} ({index.name(flow.id)})"


# Governance ---------------------------------------------------------------------------------------------


@deriver("security_lead")
def security_lead(project: Project) -> Answer:
    org = project.security.organisation
    return yes(f"{org.security_lead}, {org.security_lead_title}, is accountable for information security.")


@deriver("security_team")
def security_team(project: Project) -> Answer:
    org = project.security.organisation
    if org.team_size <= 0:
        return no("The model states no dedicated security staff.")
    return yes(
        f"A security team of {plural(org.team_size, 'person', 'people')}, "
        f"led by {org.security_lead} ({org.security_lead_title})."
    )


@deriver("policy_set")
def policy_set(project: Project) -> Answer:
    policies = list(project.security.organisation.policies)
    if not policies:
        return review("The model lists no security policies (security.organisation.policies).")
    return yes(sentence(f"{plural(len(policies), 'documented policy', 'documented policies')}: {names(policies, 12)}"))


@deriver("shared_responsibilities")
def shared_responsibilities(project: Project) -> Answer:
    areas = [r.area for r in project.security.shared_responsibilities]
    if not areas:
        return review("The model has no shared-responsibility matrix (security.shared_responsibilities).")
    return yes(f"A shared-responsibility matrix covers {plural(len(areas), 'area')}: {names(areas)}.")


@deriver("document_review")
def document_review(project: Project) -> Answer:
    doc = project.document
    cycle = f"reviewed {months_phrase(doc.review_cycle_months)}"
    status = {"draft": "a draft", "in_review": "in review", "approved": "approved"}[doc.status]
    approvers = [f"{a.name} ({a.role}) on {a.date.isoformat()}" for a in doc.approvers]
    if doc.status != "approved" and not approvers:
        return no(f"Version {doc.version} is {status} and has no recorded approval; documents are {cycle}.")
    signed = f"; approved by {join(approvers)}" if approvers else ""
    return yes(
        f"Version {doc.version}, effective {doc.effective_date.isoformat()}, is {status}{signed}; "
        f"documents are {cycle}."
    )


@deriver("security_contact")
def security_contact(project: Project) -> Answer:
    contact = project.document.security_contact
    parts = [contact.name, contact.email] + ([contact.phone] if contact.phone else [])
    url = project.security.sdlc.disclosure_policy_url
    policy = f"; disclosure policy at {url}" if url else ""
    return yes(f"{', '.join(parts)}{policy}.")


# Assets and data ----------------------------------------------------------------------------------------


@deriver("data_classification")
def data_classification(project: Project) -> Answer:
    assets = project.architecture.data_assets
    if not assets:
        return review("The model declares no data assets (architecture.data_assets).")
    counts: Counter[str] = Counter(a.classification for a in assets)
    order = ("restricted", "confidential", "internal", "public")
    spread = join(f"{counts[c]} {c}" for c in order if counts[c])
    return yes(
        f"Every data asset is classified on a four-level scale (public, internal, confidential, restricted): {spread}."
    )


@deriver("component_inventory")
def component_inventory(project: Project) -> Answer:
    counts: Counter[str] = Counter(c.kind for c in project.architecture.components)
    kinds = {
        "process": ("process", "processes"),
        "data_store": ("data store", "data stores"),
        "external_entity": ("external entity", "external entities"),
    }
    spread = join(plural(counts[k], *kinds[k]) for k in kinds if counts[k])
    flows = len(project.architecture.data_flows)
    return yes(
        f"The architecture model lists every component with its technology, hosting and owner: "
        f"{spread}, and {plural(flows, 'data flow')}."
    )


@deriver("data_locations")
def data_locations(project: Project) -> Answer:
    index = _index(project)
    assets = [a for a in project.architecture.data_assets if a.classification in SENSITIVE]
    if not assets:
        return review("The model declares no confidential or restricted data assets.")
    placed = []
    unplaced = []
    for asset in assets:
        stores = [s.name for s in index.stores_of(asset.id)]
        if stores:
            placed.append(f"{asset.name}: {join(stores)}")
        else:
            unplaced.append(asset.name)
    if not placed:
        return review("The model does not say which data stores hold the customer data.")
    detail = "; ".join(placed[:_LIST_LIMIT])
    if len(placed) > _LIST_LIMIT:
        detail += f"; and {len(placed) - _LIST_LIMIT} more"
    if unplaced:
        detail += f". Not stored at rest (in transit only): {names(unplaced)}"
    return yes(f"{detail}.")


@deriver("retention_rules")
def retention_rules(project: Project) -> Answer:
    rules = project.security.retention
    if not rules:
        return review("The model states no retention periods (security.retention).")
    assets = {a.id: a.name for a in project.architecture.data_assets}
    periods = [f"{assets.get(r.data, r.data)}: {plain(r.period, 80)}" for r in rules]
    return yes(
        f"Retention periods are set for {plural(len(rules), 'kind')} of data. "
        f"{'; '.join(periods[:4])}{'; …' if len(periods) > 4 else ''}."
    )


@deriver("deletion_process")
def deletion_process(project: Project) -> Answer:
    rules = project.security.retention
    with_deletion = [r for r in rules if r.deletion.strip()]
    if not with_deletion:
        return review("The model states no deletion process (security.retention[].deletion).")
    first = plain(with_deletion[0].deletion, 240)
    return yes(f"Deletion is defined for {plural(len(with_deletion), 'kind')} of data; for example: {first}")


@deriver("personal_data")
def personal_data(project: Project) -> Answer:
    assets = project.architecture.data_assets
    if not assets:
        return review("The model declares no data assets (architecture.data_assets).")
    personal = [a.name for a in assets if a.personal_data]
    if not personal:
        return no("No data asset in the model is marked as personal data.")
    return yes(f"Personal data: {names(personal)}.")


# Access control -----------------------------------------------------------------------------------------


@deriver("customer_sso")
def customer_sso(project: Project) -> Answer:
    identity = project.security.identity.customer
    if identity == type(identity)():
        return review("The model does not describe customer sign-in (security.identity.customer).")
    if not identity.sso:
        return no("Single sign-on is not offered; users sign in with the product's own accounts.")
    scim = " Users can be provisioned with SCIM." if identity.scim else ""
    return yes(f"Single sign-on with the customer's identity provider over {join(identity.sso)}.{scim}")


@deriver("flows_authenticated")
def flows_authenticated(project: Project) -> Answer:
    index = _index(project)
    crossing = [f for f in project.architecture.data_flows if index.crosses_boundary(f)]
    if not crossing:
        return review("No data flow in the model crosses a trust boundary.")
    open_flows = [_flow_name(index, f) for f in crossing if f.authentication == "none"]
    if open_flows:
        return no(f"Flows crossing a trust boundary without authentication: {names(open_flows)}.")
    methods = sorted({f.authentication for f in crossing})
    return yes(f"Every flow crossing a trust boundary ({len(crossing)}) is authenticated ({', '.join(methods)}).")


@deriver("tenancy")
def tenancy(project: Project) -> Answer:
    stated = project.security.hosting.tenancy or project.architecture.tenancy
    isolation = [c for c in project.security.controls if "tenant" in f"{c.name} {c.description}".lower()]
    if not stated and not isolation:
        return review("The model does not describe tenancy or tenant isolation.")
    parts = [plain(stated, 240)] if stated else []
    parts += [f"{c.name}: {plain(c.description, 160)}" for c in isolation]
    return yes(". ".join(p.rstrip(".") for p in parts) + ".")


# Cryptography -------------------------------------------------------------------------------------------


def _key_words(project: Project) -> str:
    at_rest = project.security.encryption.at_rest
    rotation = f", rotated every {at_rest.key_rotation_days} days" if at_rest.key_rotation_days else ""
    return f"{at_rest.algorithm}, keys managed with {at_rest.key_management}{rotation}"


@deriver("encryption_at_rest")
def encryption_at_rest(project: Project) -> Answer:
    """Yes only when every store of confidential or restricted data is encrypted and the algorithm is stated."""
    index = _index(project)
    stores = [c for c in project.architecture.components if c.kind == "data_store"]
    if not stores:
        return review("The model has no data stores.")
    checked = _sensitive_stores(project, index) or stores
    plain_stores = [s.name for s in checked if s.encrypted_at_rest is False]
    unknown = [s.name for s in checked if s.encrypted_at_rest is None]
    if plain_stores:
        return no(f"Not encrypted at rest: {names(plain_stores)}. Other stores use {_key_words(project)}.")
    if not project.security.encryption.at_rest.algorithm.strip():
        return review("The model does not name the encryption algorithm (security.encryption.at_rest).")
    if unknown:
        return review(
            f"The model does not say whether {names(unknown)} {'is' if len(unknown) == 1 else 'are'} encrypted at rest."
        )
    which = "data store holding confidential or restricted data" if checked is not stores else "data store"
    return yes(f"Every {which} ({len(checked)}) is encrypted at rest: {_key_words(project)}.")


def _tls_words(project: Project) -> str:
    transit = project.security.encryption.in_transit
    protocols = f" ({join(transit.protocols)})" if transit.protocols else ""
    return f"TLS {_version_text(transit.minimum_tls)} or newer{protocols}"


@deriver("encryption_in_transit")
def encryption_in_transit(project: Project) -> Answer:
    index = _index(project)
    external = [
        f
        for f in project.architecture.data_flows
        if _is_external(index, f) and index.carries_classification(f) in SENSITIVE
    ]
    if not external:
        return review("No flow of confidential or restricted data leaves its trust boundary in the model.")
    clear = [_flow_name(index, f) for f in external if not f.encrypted]
    if clear:
        return no(f"Flows of customer data that are not encrypted: {names(clear)}.")
    return yes(
        f"Every flow of customer data across a trust boundary ({len(external)}) is encrypted; {_tls_words(project)}."
    )


@deriver("internal_encryption")
def internal_encryption(project: Project) -> Answer:
    index = _index(project)
    internal = [
        f
        for f in project.architecture.data_flows
        if "external_entity" not in (index.kind(f.source), index.kind(f.destination))
    ]
    if not internal:
        return review("The model has no flows between internal components.")
    transit = project.security.encryption.in_transit
    clear = [_flow_name(index, f) for f in internal if not f.encrypted]
    mesh = "Service-to-service traffic uses mutual TLS. " if transit.internal_mtls else ""
    if clear:
        return no(f"{mesh}Internal flows that are not encrypted: {names(clear)}.")
    return yes(f"{mesh}Every internal flow ({len(internal)}) is encrypted.")


def _version(text: str) -> tuple[int, ...] | None:
    match = re.search(r"(\d+(?:\.\d+)*)", text)
    return tuple(int(p) for p in match.group(1).split(".")) if match else None


def _version_text(text: str) -> str:
    return re.sub(r"(?i)^\s*tls\s*", "", text).strip()


@deriver("minimum_tls")
def minimum_tls(project: Project, version: str) -> Answer:
    stated = project.security.encryption.in_transit.minimum_tls
    found, wanted = _version(stated), _version(version)
    if found is None or wanted is None:
        return review(f"The minimum TLS version '{stated}' is not a version number.")
    words = f"The minimum accepted version is TLS {_version_text(stated)}."
    hsts = " HSTS is enabled." if project.security.encryption.in_transit.hsts else ""
    return (yes if found >= wanted else no)(words + hsts)


@deriver("key_rotation")
def key_rotation(project: Project) -> Answer:
    days = project.security.encryption.at_rest.key_rotation_days
    if days is None:
        return review("The model does not state a key rotation period (security.encryption.at_rest).")
    return yes(
        f"Keys are rotated every {days} days; keys managed with {project.security.encryption.at_rest.key_management}."
    )


@deriver("backups_encrypted")
def backups_encrypted(project: Project) -> Answer:
    backups = project.security.continuity.backups
    if backups is None:
        return review("The model does not describe backups (security.continuity.backups).")
    if not backups.encrypted:
        return no("Backups are not encrypted.")
    return yes(f"Backups are encrypted ({project.security.encryption.at_rest.algorithm}).")


_STRONG = ("aes-256", "aes256", "aes 256", "chacha20")


@deriver("strong_algorithm")
def strong_algorithm(project: Project) -> Answer:
    algorithm = project.security.encryption.at_rest.algorithm
    if any(s in algorithm.lower() for s in _STRONG):
        return yes(f"Data at rest is encrypted with {algorithm}.")
    return review(f"The algorithm is {algorithm}; judge by hand whether it is as strong as AES-256.")


# Network and hosting ------------------------------------------------------------------------------------


@deriver("network_segmentation")
def network_segmentation(project: Project) -> Answer:
    boundaries = _walk(project.architecture.trust_boundaries)
    if not boundaries:
        return review("The model declares no trust boundaries.")
    if len(boundaries) == 1:
        return no(f"The model has a single zone ({boundaries[0].name}) with no zones inside it.")
    zones = [f"{b.name} (trust level {b.trust_level})" for b in boundaries]
    return yes(f"{plural(len(boundaries), 'network zone')} with their own trust levels: {names(zones)}.")


@deriver("data_stores_private")
def data_stores_private(project: Project) -> Answer:
    index = _index(project)
    stores = [c for c in project.architecture.components if c.kind == "data_store"]
    if not stores:
        return review("The model has no data stores.")
    exposed = {c.name for c in stores if c.internet_facing}
    for flow in project.architecture.data_flows:
        if index.kind(flow.source) == "external_entity" and index.kind(flow.destination) == "data_store":
            exposed.add(index.name(flow.destination))
    if exposed:
        return no(f"Reachable from outside: {names(sorted(exposed))}.")
    return yes(f"No data store ({len(stores)} in all) is internet-facing or reached directly by an external party.")


@deriver("internet_facing")
def internet_facing(project: Project) -> Answer:
    facing = [c.name for c in project.architecture.components if c.internet_facing and c.kind != "external_entity"]
    if not facing:
        return review("No component in the model is marked internet-facing.")
    return yes(
        f"Internet-facing components: {names(facing, 10)}; everything else is reachable only "
        f"from inside the service's networks."
    )


@deriver("hosting")
def hosting(project: Project) -> Answer:
    host = project.security.hosting
    return yes(f"{host.provider}, {plural(len(host.regions), 'region')}: {join(host.regions)}.")
