"""Loads a project: read the YAML, validate it completely, then build the typed model.

This is the one entry point every command uses: `load_project()` either returns a valid model (and the
warnings) or raises `InputError` carrying every problem found, in source order.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from trustdocs.errors import InputError, Problem
from trustdocs.interpreter import collector_paused
from trustdocs.load import Positions, load_extra_file, load_source_tree, load_yaml, read_project_file
from trustdocs.load.images import ImageRefused, check_image
from trustdocs.model.base import Location
from trustdocs.model.convert import build
from trustdocs.model.escrow import Deposit
from trustdocs.model.project import Customer, Project
from trustdocs.model.terms import apply_customer, customer_problems
from trustdocs.validate.limits import number_problems
from trustdocs.validate.schema_check import schema_problems
from trustdocs.validate.schemas import (
    customer_validator,
    deposit_log_validator,
    is_valid_quickly,
    project_validator,
)
from trustdocs.validate.semantic import check_project
from trustdocs.validate.statements import ProjectStatements
from trustdocs.validate.warnings import model_warnings


@dataclass(frozen=True)
class LoadResult:
    project: Project
    warnings: tuple[Problem, ...]


def _sort_key(problem: Problem) -> tuple[Any, ...]:
    loc = problem.location or Location("\uffff", 0, 0)
    return (loc.file, loc.line, loc.col, problem.path, problem.message)


def load_project(
    path: Path, customer: Path | None = None, *, strict: bool = False, today: dt.date | None = None
) -> LoadResult:
    """Load, validate and model the project at `path` (a directory or a single YAML file).

    With `customer`, the customer's negotiated terms are validated and overlaid on the model. With `strict`,
    warnings count as errors. `today` dates the review-by checks (default: the current date).
    """
    with collector_paused():
        return _load_project(path, customer, strict=strict, today=today)


def _load_project(path: Path, customer: Path | None, *, strict: bool, today: dt.date | None) -> LoadResult:
    today = today or dt.date.today()
    tree = load_source_tree(Path(path))
    problems = (
        []
        if is_valid_quickly("project", tree.data)
        else schema_problems(project_validator(), tree.data, tree.positions)
    )
    problems += check_project(tree.data, tree.positions, today=today)
    problems = _with_number_problems(problems, tree.data, tree.positions)

    deposits: list[tuple[Any, Positions]] = []
    sources = list(tree.sources)
    log_path = _deposit_log_path(tree.data)
    if log_path is not None:
        try:
            log_data, log_positions, log_source = load_extra_file(
                tree.root,
                tree.display_root,
                log_path,
                where=tree.positions.value(("escrow", "deposit_log")),
                path="escrow.deposit_log",
                noun="deposit log",
                when_missing=DEPOSIT_LOG_MISSING,
            )
        except InputError as exc:
            problems += exc.problems
        else:
            sources.append(replace(log_source, sections=("escrow",)))
            problems += _with_number_problems(
                schema_problems(deposit_log_validator(), log_data, log_positions), log_data, log_positions
            )
            deposits.append((log_data, log_positions))

    logo = _logo_path(tree.data)
    if logo is not None and not any(p.path == "document.branding.logo" for p in problems):
        where = tree.positions.value(("document", "branding", "logo"))
        try:
            found = read_project_file(tree.root, tree.display_root, logo, where=where, path="document.branding.logo")
            check_image(found.raw, logo)
        except InputError as exc:
            problems += exc.problems
        except ImageRefused as exc:
            problems.append(Problem(where, "document.branding.logo", str(exc)))
        else:
            sources.append(found.source)

    customer_model: Customer | None = None
    customer_positions: Positions | None = None
    if customer is not None:
        try:
            customer_data, customer_positions = load_yaml(Path(customer), str(customer))
        except InputError as exc:  # reported with the project's problems, not instead of them
            raise InputError(sorted([*problems, *exc.problems], key=_sort_key)) from None
        customer_found = _with_number_problems(
            schema_problems(customer_validator(), customer_data, customer_positions), customer_data, customer_positions
        )
        customer_found += customer_problems(
            customer_data, customer_positions, tree.data, tree.positions, problems, today=today
        )
        problems += customer_found
        if not any(p.severity == "error" for p in customer_found):
            customer_model = build(Customer, customer_data["customer"], customer_positions, ("customer",))

    _raise_if_errors(problems, strict=False)  # warnings so far are reported with the model's, all at once
    project = build(Project, {**tree.data, "root": tree.root}, tree.positions)
    project = replace(project, root=tree.root, sources=tuple(sources))
    if project.escrow is not None and deposits:
        log_data, log_positions = deposits[0]
        entries = tuple(
            build(Deposit, d, log_positions, ("deposits", i))
            for i, d in enumerate((log_data or {}).get("deposits") or [])
        )
        project = replace(project, escrow=replace(project.escrow, deposits=entries))
    if customer_model is not None:
        project = replace(
            apply_customer(project, customer_model), customer_file=Path(customer) if customer is not None else None
        )
    problems += model_warnings(project, ProjectStatements(tree.data, tree.positions, customer_positions))
    if project.questionnaire is not None:
        from trustdocs.questionnaire.own_answers import library_warnings  # the bank loads only when needed

        problems += library_warnings(project, tree.positions, today)
    _raise_if_errors(problems, strict)
    warnings = tuple(sorted((p for p in problems if p.severity == "warning"), key=_sort_key))
    return LoadResult(project, warnings)


DEPOSIT_LOG_MISSING = (
    "create it holding the line 'deposits: []' (trustdocs escrow deposit --project then "
    "appends each deposit to it), or remove escrow.deposit_log"
)
"""Added to the message when the escrow section names a deposit log that does not exist."""


def _with_number_problems(problems: list[Problem], data: Any, positions: Positions) -> list[Problem]:
    """`problems` plus one for each number too large to compute with, unless its value is reported already."""
    reported = {p.path for p in problems}
    return problems + [p for p in number_problems(data, positions) if p.path not in reported]


def _deposit_log_path(data: dict[str, Any]) -> str | None:
    escrow = data.get("escrow")
    log = escrow.get("deposit_log") if isinstance(escrow, dict) else None
    return log if isinstance(log, str) else None


def _logo_path(data: dict[str, Any]) -> str | None:
    document = data.get("document")
    branding = document.get("branding") if isinstance(document, dict) else None
    logo = branding.get("logo") if isinstance(branding, dict) else None
    return logo if isinstance(logo, str) else None


def _raise_if_errors(problems: list[Problem], strict: bool) -> None:
    if any(p.severity == "error" for p in problems) or (strict and problems):
        raise InputError(sorted(problems, key=_sort_key))
