"""Typed, immutable model objects: everything after validation works on these, never on raw dicts."""

from __future__ import annotations

from trustdocs.model.architecture import Architecture, Component, DataAsset, DataFlow, TrustBoundary
from trustdocs.model.base import Location
from trustdocs.model.document import DocumentControl
from trustdocs.model.escrow import DepositItem, Escrow
from trustdocs.model.legal import Indemnification, Insurance, Policy
from trustdocs.model.project import Customer, NegotiatedTerms, Project
from trustdocs.model.security import SecurityProgramme
from trustdocs.model.sla import CreditTier, Incident, Service, Sla, Support
from trustdocs.model.threats import Mitigation, RiskMatrix, Threat, ThreatModel

__all__ = [
    "Architecture",
    "Component",
    "CreditTier",
    "Customer",
    "DataAsset",
    "DataFlow",
    "DepositItem",
    "DocumentControl",
    "Escrow",
    "Incident",
    "Indemnification",
    "Insurance",
    "Location",
    "Mitigation",
    "NegotiatedTerms",
    "Policy",
    "Project",
    "RiskMatrix",
    "SecurityProgramme",
    "Service",
    "Sla",
    "Support",
    "Threat",
    "ThreatModel",
    "TrustBoundary",
]
