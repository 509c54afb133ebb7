"""The packet command's pipeline: the answered questionnaire and the customer's packet PDF, rendered then written."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from trustdocs.build import WrittenOutput
from trustdocs.errors import BuildError
from trustdocs.model.audience import OutputAudience, for_audience
from trustdocs.model.project import Project
from trustdocs.render.diagrams import render_diagrams
from trustdocs.render.documents import DocumentSpec
from trustdocs.render.packet import packet_filename, render_packet
from trustdocs.render.pdf import PdfAttachment
from trustdocs.write.atomic import OutputSet
from trustdocs.write.manifest import MANIFEST_NAME, build_manifest, manifest_bytes

log = logging.getLogger(__name__)

QUESTIONNAIRE_XLSX = "questionnaire.xlsx"
QUESTIONNAIRE_CSV = "questionnaire.csv"


def _questionnaire_files(project: Project) -> dict[str, bytes]:
    """The answer library of `project` as a workbook for people and as CSV."""
    # Imported here so that the documents can be rendered without the question bank being loaded.
    from trustdocs.questionnaire.library import answer_library
    from trustdocs.questionnaire.workbook import library_csv, library_xlsx

    answers = answer_library(project)
    title = f"{project.document.product} security questionnaire answers"
    if project.customer is not None:
        title += f", prepared for {project.customer.legal_name}"
    xlsx = library_xlsx(answers, project.document.effective_date, title=title)
    return {QUESTIONNAIRE_XLSX: xlsx, QUESTIONNAIRE_CSV: library_csv(answers)}


def received_changes(project: Project, audience: OutputAudience) -> DocumentSpec | None:
    """The "Changes since version X" part for the version the customer last received, read from the git
    revision its customer file names, with the customer's terms applied to both versions; None when the
    customer file names no version."""
    import tempfile
    from dataclasses import replace

    from trustdocs.errors import InputError, Problem
    from trustdocs.load.revisions import RevisionError, extract_revision
    from trustdocs.model.terms import apply_customer
    from trustdocs.project import load_project
    from trustdocs.render.changes import Version, changes_spec, compare

    customer = project.customer
    received = customer.last_received if customer else None
    if customer is None or received is None:
        return None
    with tempfile.TemporaryDirectory(prefix="trustdocs-received-") as scratch:
        try:
            folder = extract_revision(project.root, received.revision, Path(scratch))
        except RevisionError as error:
            raise InputError([Problem(received.loc, "customer.last_received.revision", error.message)]) from error
        old = for_audience(apply_customer(load_project(folder).project, customer), audience)
    report = compare(old, project, received.revision, "")
    return changes_spec(replace(report, old=Version(received.version, received.revision)))


def render_packet_outputs(
    project: Project,
    out_dir: Path,
    *,
    audience: OutputAudience = "nda",
    progress: Callable[[str], None] = lambda step: None,
) -> OutputSet:
    """The packet PDF and the answered questionnaire of `project` for its customer, in memory.

    The PDF carries the questionnaire workbook and a manifest (the inputs, and the questionnaire files
    written next to it) as attached files.
    """
    if project.customer is None:
        raise BuildError("a packet is prepared for one customer: give the customer file with --customer")
    project = for_audience(project, audience)
    outputs = OutputSet(out_dir)
    progress("Answering the questionnaire")
    for name, data in _questionnaire_files(project).items():
        outputs.add(name, data)
    manifest = manifest_bytes(build_manifest(iter(outputs), project.sources))
    attachments = (
        PdfAttachment(
            QUESTIONNAIRE_XLSX,
            outputs.files[QUESTIONNAIRE_XLSX],
            "the answered security questionnaire",
            "Supplement",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        PdfAttachment(
            MANIFEST_NAME,
            manifest,
            "the inputs this packet was built from, with their SHA-256",
            "Data",
            "application/json",
        ),
    )
    progress("Comparing with the version the customer last received")
    changes = received_changes(project, audience)
    progress("Drawing architecture diagrams")
    diagrams = render_diagrams(project.architecture)
    assert project.customer is not None  # checked on entry
    filename = packet_filename(project.customer)
    log.info("rendering %s", filename)
    outputs.add(
        filename,
        render_packet(
            project, diagrams, audience=audience, attachments=attachments, progress=progress, changes=changes
        ),
    )
    return outputs


def build_packet(
    project: Project,
    out_dir: Path,
    *,
    audience: OutputAudience = "nda",
    progress: Callable[[str], None] = lambda step: None,
) -> list[WrittenOutput]:
    """Render the packet of `project` and its questionnaire, then write them all into `out_dir`.

    A failure while rendering leaves `out_dir` exactly as it was; files are replaced by rename.
    """
    outputs = render_packet_outputs(project, out_dir, audience=audience, progress=progress)
    progress("Writing outputs")
    outputs.write()
    return [WrittenOutput(path, len(data)) for path, data in outputs]
