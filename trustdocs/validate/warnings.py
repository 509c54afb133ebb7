"""Warnings found on the built model: things that are allowed but that a reviewer would question."""
from __future__ import annotations

from trustdocs.analyse.liability import insurance_covers_super_cap
from trustdocs.errors import Problem
from trustdocs.model.project import Project
from trustdocs.validate.consistency import consistency_warnings
from trustdocs.validate.prose_figures import prose_figure_warnings
from trustdocs.validate.statements import ProjectStatements


def model_warnings(project: Project, statements: ProjectStatements | None = None) -> list[Problem]:
    """Cross-section checks that need computed figures, reported as warnings.

    With `statements` (the positioned data the model was built from), the consistency checks run too:
    statements that contradict each other, each warning citing both.
    """
    problems: list[Problem] = []
    if project.insurance is not None and project.indemnification is not None:
        check = insurance_covers_super_cap(project.insurance, project.indemnification)
        if check is not None and not check.met:
            where = project.insurance.loc
            problems.append(Problem(where, "insurance.policies", check.explanation, "warning"))
    if statements is not None:
        problems += consistency_warnings(project, statements)
        problems += prose_figure_warnings(project, statements)
    return problems
