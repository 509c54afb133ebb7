"""Warnings found on the built model: things that are allowed but that a reviewer would question."""
from __future__ import annotations

from trustdocs.analyse.liability import insurance_covers_super_cap
from trustdocs.errors import Problem
from trustdocs.model.project import Project


def model_warnings(project: Project) -> list[Problem]:
    """Cross-section checks that need computed figures, reported as warnings."""
    problems: list[Problem] = []
    if project.insurance is not None and project.indemnification is not None:
        check = insurance_covers_super_cap(project.insurance, project.indemnification)
        if check is not None and not check.met:
            where = project.insurance.loc
            problems.append(Problem(where, "insurance.policies", check.explanation, "warning"))
    return problems
