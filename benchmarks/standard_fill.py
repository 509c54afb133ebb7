"""Benchmark: recognising and filling a CAIQ-sized standard questionnaire in place.

    .venv/bin/python benchmarks/standard_fill.py            # 261 questions over the 17 CAIQ domains
    .venv/bin/python benchmarks/standard_fill.py --questions 1000

Builds a CAIQ-v4-shaped workbook (made-up wording, cycling through a few questions), then times the
whole fill (read, recognise, answer every question from the sample project, save) and prints the counts.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import openpyxl
from openpyxl.worksheet.datavalidation import DataValidation

from trustdocs.model.audience import for_audience
from trustdocs.project import load_project
from trustdocs.questionnaire.fill import fill_questionnaire
from trustdocs.questionnaire.respond import Responder
from trustdocs.questionnaire.standards import CAIQ
from trustdocs.questionnaire.workbook import midnight

ROOT = Path(__file__).resolve().parent.parent
WORDING = (
    "Is customer data encrypted at rest?",
    "Is multi-factor authentication enforced for all users?",
    "Is there a documented security incident response plan?",
    "Are background checks performed on new employees?",
    "What was the company's annual revenue last year?",
)


def build(path: Path, questions: int) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "CAIQv4.0.3"
    sheet["A1"] = "CONSENSUS ASSESSMENTS INITIATIVE QUESTIONNAIRE v4.0.3"
    sheet.append(
        ["Question ID", "Question", "CSP CAIQ Answer", "SSRM Control Ownership", "CSP Implementation Description"]
    )
    domains = list(CAIQ.domains)
    for number in range(questions):
        domain = domains[number % len(domains)]
        sheet.append([f"{domain}-{number // len(domains) + 1:02d}.1", WORDING[number % len(WORDING)]])
    answers = DataValidation(type="list", formula1='"Yes,No,NA"')
    answers.add(f"C3:C{questions + 2}")
    sheet.add_data_validation(answers)
    workbook.save(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=261)
    args = parser.parse_args()
    project = for_audience(load_project(ROOT / "sample_inputs" / "acme").project, "nda")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "caiq.xlsx"
        build(path, args.questions)
        started = time.perf_counter()
        responder = Responder(project)
        ready = time.perf_counter()
        result = fill_questionnaire(path, responder, moment=midnight(project.document.effective_date))
        done = time.perf_counter()
    assert result.standard is not None
    print(f"{result.standard.label}: {result.counts.total} question(s): {result.counts}")
    print(f"responder built in {ready - started:.2f} s; read, recognised, answered and saved in {done - ready:.2f} s")
    print(f"{(done - ready) / max(result.counts.total, 1) * 1000:.1f} ms per question")


if __name__ == "__main__":
    main()
