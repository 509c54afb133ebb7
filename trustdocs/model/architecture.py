"""Architecture: components, nested trust boundaries, data assets and the data flows between them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from trustdocs.model.base import Audience, Location, loc_field

ComponentKind = Literal["external_entity", "process", "data_store"]
DataClassification = Literal["public", "internal", "confidential", "restricted"]
Encryption = Literal["none", "tls", "mtls", "ssh", "ipsec", "application", "local"]
"""'local': the flow never leaves one device or process, so there is no network to encrypt."""
Authentication = Literal[
    "none",
    "password",
    "api_key",
    "oauth2",
    "oidc",
    "saml",
    "mtls",
    "iam",
    "jwt",
    "service_account",
    "ssh_key",
    "hmac",
    "certificate",
    "pre_shared_key",
]
Operator = Literal["vendor", "customer", "third_party"]

CLASSIFICATION_RANK: dict[str, int] = {"public": 0, "internal": 1, "confidential": 2, "restricted": 3}


@dataclass(frozen=True)
class Component:
    id: str
    name: str
    kind: ComponentKind
    technology: str
    hosting: str
    owner: str
    description: str = ""
    stores: tuple[str, ...] = ()
    """Data asset ids held at rest (data stores)."""
    encrypted_at_rest: bool | None = None
    """Data stores: whether data is encrypted at rest; None when not stated."""
    audit_logging: bool | None = None
    """Processes: whether security-relevant actions are written to the audit log."""
    internet_facing: bool = False
    audience: Audience = "public"
    loc: Location | None = loc_field()


@dataclass(frozen=True)
class TrustBoundary:
    id: str
    name: str
    trust_level: int
    """Higher is more trusted; a nested boundary is usually more trusted than its parent."""
    members: tuple[str, ...] = ()
    """Component ids directly inside this boundary (not inside a nested one)."""
    boundaries: tuple[TrustBoundary, ...] = ()
    description: str = ""
    operated_by: Operator = "vendor"
    """Who runs the zone; a customer-operated zone is the customer's to secure."""
    loc: Location | None = loc_field()


@dataclass(frozen=True)
class DataAsset:
    id: str
    name: str
    classification: DataClassification
    description: str = ""
    retention: str = ""
    personal_data: bool = False
    phi: bool = False
    """Protected health information under HIPAA."""
    cardholder_data: bool = False
    """Payment card data in PCI DSS scope."""
    audience: Audience = "public"
    loc: Location | None = loc_field()


@dataclass(frozen=True)
class DataFlow:
    id: str
    source: str
    destination: str
    protocol: str
    authentication: Authentication
    encryption: Encryption
    port: int | None = None
    authorisation: str = ""
    data: tuple[str, ...] = ()
    description: str = ""
    tls_version: str | None = None
    audience: Audience = "public"
    loc: Location | None = loc_field()

    @property
    def encrypted(self) -> bool:
        """Protected in transit; a local flow has no transit to protect and counts as protected."""
        return self.encryption != "none"

    @property
    def local(self) -> bool:
        return self.encryption == "local"


@dataclass(frozen=True)
class Architecture:
    components: tuple[Component, ...]
    data_flows: tuple[DataFlow, ...] = ()
    trust_boundaries: tuple[TrustBoundary, ...] = ()
    data_assets: tuple[DataAsset, ...] = ()
    overview: str = ""
    tenancy: str = ""
    loc: Location | None = loc_field()
