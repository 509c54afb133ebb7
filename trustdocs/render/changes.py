"""The changes between two versions as a reader sees them: clause numbers from the new documents, a PDF
"Changes since version X", a Markdown summary for a pull request, plain text and JSON."""

from __future__ import annotations

import html as html_lib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass

from trustdocs.analyse.changes import Change, customer_visible, project_changes, with_clauses
from trustdocs.model.audience import OutputAudience, may_read, readers_of
from trustdocs.model.project import Project
from trustdocs.render.documents import (
    DOCUMENTS,
    DocumentSpec,
    build_furniture,
    number_headings,
    render_pdf_document,
)

_TAG_RE = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Version:
    """One side of the comparison: the document version it holds and where it was read from."""

    version: str
    source: str
    """The revision or folder as given: "globex-signed", "sample_inputs/acme"."""


@dataclass(frozen=True)
class ChangeReport:
    old: Version
    new: Version
    customer: str | None
    changes: tuple[Change, ...]

    @property
    def customer_changes(self) -> tuple[Change, ...]:
        return customer_visible(self.changes)

    @property
    def internal_changes(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if not c.customer_visible)


def document_titles() -> dict[str, str]:
    return {spec.name: spec.title for spec in DOCUMENTS}


def clause_numbers(project: Project, documents: Iterable[str]) -> dict[tuple[str, str], str]:
    """The number of every heading of the named documents as `project` renders them, keyed by the heading's
    id and by its title (the security document's headings have no ids)."""
    numbers: dict[tuple[str, str], str] = {}
    for spec in DOCUMENTS:
        if spec.name not in set(documents) or not spec.requires(project):
            continue
        html = spec.render_html(project)
        _, entries = number_headings(html[html.find("<main") :])
        for entry in entries:
            if entry.number:
                numbers.setdefault((spec.name, entry.anchor), entry.number)
                numbers.setdefault(
                    (spec.name, html_lib.unescape(_TAG_RE.sub("", entry.title_html)).strip()), entry.number
                )
    return numbers


def compare(old: Project, new: Project, old_source: str, new_source: str) -> ChangeReport:
    """The changes from `old` to `new`, each with its clause number in the new version's documents."""
    changes = project_changes(old, new)
    numbers = clause_numbers(new, {c.place.document for c in changes})
    customer = new.customer.legal_name if new.customer else None
    return ChangeReport(
        Version(old.document.version, old_source),
        Version(new.document.version, new_source),
        customer,
        with_clauses(changes, numbers),
    )


# -- text, Markdown and JSON -------------------------------------------------------------------------


def where(change: Change, titles: dict[str, str]) -> str:
    """ "SLA Addendum, clause 5.3", or the document alone when its heading was not found."""
    title = titles.get(change.place.document, change.place.document)
    return f"{title}, clause {change.clause}" if change.clause else title


def _value(text: str | None) -> str:
    return "(none)" if text is None else text


def change_line(change: Change, titles: dict[str, str]) -> str:
    """ "Service Credit cap: 50 % → 100 % (SLA Addendum, clause 5.3)"."""
    if change.kind == "added":
        what = f"added: {_value(change.new)}"
    elif change.kind == "removed":
        what = f"removed (was {_value(change.old)})"
    else:
        what = f"{_value(change.old)} → {_value(change.new)}"
    return f"{change.subject}: {what} ({where(change, titles)})"


def _heading(report: ChangeReport) -> str:
    customer = f" for {report.customer}" if report.customer else ""
    return (
        f"Changes since version {report.old.version} ({report.old.source}) to version "
        f"{report.new.version} ({report.new.source}){customer}"
    )


def report_text(report: ChangeReport) -> str:
    titles = document_titles()
    lines = [_heading(report)]
    if not report.changes:
        lines.append("No term or figure changed.")
    lines += [change_line(c, titles) for c in report.customer_changes]
    if report.internal_changes:
        lines.append("Internal only (not in any customer document):")
        lines += [f"  {change_line(c, titles)}" for c in report.internal_changes]
    visible = len(report.customer_changes)
    lines.append(
        f"{visible} change{'s' if visible != 1 else ''} a customer would see, {len(report.internal_changes)} internal"
    )
    return "\n".join(lines) + "\n"


def _cell(text: str | None) -> str:
    return _value(text).replace("|", "\\|").replace("\n", " ")


def _markdown_table(changes: Iterable[Change], titles: dict[str, str]) -> list[str]:
    rows = ["| Document | Clause | Term | Was | Now |", "|---|---|---|---|---|"]
    for c in changes:
        rows.append(
            f"| {_cell(titles.get(c.place.document, c.place.document))} | {c.clause or '—'} | "
            f"{_cell(c.subject)} | {_cell(c.old)} | {_cell(c.new)} |"
        )
    return rows


def report_markdown(report: ChangeReport) -> str:
    titles = document_titles()
    lines = [f"## {_heading(report)}", ""]
    if report.customer_changes:
        lines += [f"**{len(report.customer_changes)} change(s) a customer would see: legal review needed.**", ""]
        lines += _markdown_table(report.customer_changes, titles) + [""]
    else:
        lines += ["No change a customer would see.", ""]
    if report.internal_changes:
        lines += ["### Internal only (not in any customer document)", ""]
        lines += _markdown_table(report.internal_changes, titles) + [""]
    return "\n".join(lines)


def report_json(report: ChangeReport) -> str:
    titles = document_titles()
    data = {
        "old": {"version": report.old.version, "source": report.old.source},
        "new": {"version": report.new.version, "source": report.new.source},
        "customer": report.customer,
        "customer_visible": len(report.customer_changes),
        "internal": len(report.internal_changes),
        "changes": [
            {
                "kind": c.kind,
                "subject": c.subject,
                "old": c.old,
                "new": c.new,
                "document": c.place.document,
                "document_title": titles.get(c.place.document, c.place.document),
                "heading": c.place.heading,
                "clause": c.clause or None,
                "audience": c.audience,
            }
            for c in report.changes
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


# -- the PDF ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChangeRow:
    clause: str
    subject: str
    was: str
    now: str


@dataclass(frozen=True)
class DocumentChanges:
    title: str
    rows: tuple[ChangeRow, ...]


@dataclass(frozen=True)
class ChangesDocument:
    """The context of templates/changes.html: the customer-visible changes grouped by document."""

    old_version: str
    new_version: str
    documents: tuple[DocumentChanges, ...]


def changes_title(old_version: str) -> str:
    return f"Changes since version {old_version}"


def changes_context(report: ChangeReport, readers: OutputAudience = "nda") -> ChangesDocument:
    """The changes `readers` may see (never internal ones; NDA ones only for NDA readers), by document."""
    titles = document_titles()
    order = [spec.name for spec in DOCUMENTS]
    grouped: dict[str, list[ChangeRow]] = {}
    for c in (c for c in report.customer_changes if may_read(readers, c.audience)):
        grouped.setdefault(c.place.document, []).append(
            ChangeRow(
                c.clause or "—",
                c.subject,
                _value(c.old) if c.kind != "added" else "(not stated)",
                _value(c.new) if c.kind != "removed" else "(no longer stated)",
            )
        )
    documents = tuple(
        DocumentChanges(titles.get(name, name), tuple(grouped[name]))
        for name in sorted(grouped, key=lambda n: order.index(n) if n in order else len(order))
    )
    return ChangesDocument(report.old.version, report.new.version, documents)


def render_changes_pdf(report: ChangeReport, project: Project) -> bytes:
    """ "Changes since version X" with the new version's cover and furniture; customer-visible changes only."""
    furniture = build_furniture(
        project.document,
        title=changes_title(report.old.version),
        project_root=project.root,
        customer=project.customer,
        subject=f"Changes to the trust documents since version {report.old.version}",
    )
    return render_pdf_document(
        "changes.html",
        furniture=furniture,
        context=changes_context(report, readers_of(project)),
        project_root=project.root,
    )


def changes_spec(report: ChangeReport) -> DocumentSpec:
    """ "Changes since version X" as a document, for the packet to include as one of its parts."""
    return DocumentSpec(
        "changes",
        "changes.pdf",
        "changes.html",
        changes_title(report.old.version),
        lambda project: changes_context(report, readers_of(project)),
        subject=f"Changes to the trust documents since version {report.old.version}",
    )
