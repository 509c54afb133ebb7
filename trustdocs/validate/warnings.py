"""Warnings found on the built model: things that are allowed but that a reviewer would question."""

from __future__ import annotations

from trustdocs.analyse.liability import insurance_covers_super_cap, rating_meets
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
    if project.insurance is not None:
        # The insurance summary promises insurers rated at least the minimum; a weaker one makes that untrue.
        minimum = project.insurance.minimum_rating
        for index, policy in enumerate(project.insurance.policies):
            if rating_meets(policy.am_best_rating, minimum) is False:
                problems.append(
                    Problem(
                        policy.loc,
                        f"insurance.policies[{index}].am_best_rating",
                        f"the insurer of '{policy.id}' is rated {policy.am_best_rating}, below the minimum {minimum} "
                        "that the insurance summary commits to",
                        "warning",
                    )
                )
            if policy.retroactive_date is not None and policy.basis != "claims_made":
                problems.append(
                    Problem(
                        policy.loc,
                        f"insurance.policies[{index}].retroactive_date",
                        f"'{policy.id}' is not claims-made, so its retroactive date is not printed",
                        "warning",
                    )
                )
            elif policy.retroactive_date is not None and policy.retroactive_date > policy.period_start:
                problems.append(
                    Problem(
                        policy.loc,
                        f"insurance.policies[{index}].retroactive_date",
                        f"the retroactive date {policy.retroactive_date} of '{policy.id}' is after its period_start "
                        f"{policy.period_start}",
                        "warning",
                    )
                )
    if statements is not None:
        problems += consistency_warnings(project, statements)
        problems += prose_figure_warnings(project, statements)
    return problems
