"""Benchmark: how well `trustdocs answer` matches customer wording and answers it without a wrong answer.

    .venv/bin/python benchmarks/answer_quality.py                       # both labelled sets in tests/data/
    .venv/bin/python benchmarks/answer_quality.py --errors              # also list every wrong or missed match
    .venv/bin/python benchmarks/answer_quality.py --labelled other.csv --answers other_answers.csv \
        --project other/project

First the matcher alone on tests/data/customer_questions.csv (columns question, expected_id; "" when the
bank cannot answer it, "A|B" when either id is right): precision (correct matches / matches at or above the
threshold), the share answered and recall, the time to build the matcher and to match one question, and a
sweep over thresholds.

Then the whole engine (`Responder.respond`) on tests/data/answer_quality.csv against the sample project
(columns question, style, split, expected, detail_contains): precision of unflagged answers, the share
answered without a review flag and the wrong-and-unflagged count, for the tuned and the unseen questions
apart. With --errors, every wrong unflagged answer is listed too.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from trustdocs.model.audience import for_audience
from trustdocs.project import load_project
from trustdocs.questionnaire.bank import load_bank
from trustdocs.questionnaire.evaluation import answer_quality, quality, read_answer_set, read_labelled, run, run_answers
from trustdocs.questionnaire.matcher import DEFAULT_THRESHOLD, Matcher
from trustdocs.questionnaire.respond import Responder

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_LABELLED = ROOT / "tests" / "data" / "customer_questions.csv"
DEFAULT_ANSWERS = ROOT / "tests" / "data" / "answer_quality.csv"
DEFAULT_PROJECT = ROOT / "sample_inputs" / "acme"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labelled", type=Path, default=DEFAULT_LABELLED)
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    parser.add_argument("--answers", type=Path, default=DEFAULT_ANSWERS, help="the labelled answer set")
    parser.add_argument("--project", type=Path, default=DEFAULT_PROJECT, help="the project the answers are for")
    parser.add_argument("--errors", action="store_true", help="list wrong matches, misses and wrong answers")
    args = parser.parse_args()
    report_matches(args)
    print()
    report_answers(args)


def report_answers(args: argparse.Namespace) -> None:
    items = read_answer_set(args.answers.read_text(encoding="utf-8"))
    started = time.perf_counter()
    responder = Responder(for_audience(load_project(args.project).project, "nda"), threshold=args.threshold)
    built = time.perf_counter()
    outcomes = run_answers(responder, items)
    finished = time.perf_counter()
    print(f"answer set: {len(items)} questions, answered from {args.project.name}")
    print(
        f"responder built in {(built - started) * 1000:.0f} ms; "
        f"{(finished - built) / max(1, len(items)) * 1000:.1f} ms per question (citations' documents rendered once)"
    )
    print("split    questions  precision (unflagged)  answered unflagged  wrong and unflagged")
    for split in ("tuned", "unseen", ""):
        result = answer_quality(outcomes, split)
        if split and not result.total:  # a file of one split only
            continue
        print(
            f"{result.split:7}  {result.total:9}  {result.precision:8.1%} ({result.right}/{result.unflagged})"
            f"{'':5}{result.share_unflagged:8.1%}{'':11}{result.wrong_unflagged:3}"
        )
    if args.errors:
        for outcome in outcomes:
            if outcome.wrong_unflagged:
                print(
                    f"WRONG  [{outcome.item.split}] want {outcome.item.expected} got {outcome.value}: "
                    f"{outcome.item.question} -> {outcome.detail[:120]}"
                )


def report_matches(args: argparse.Namespace) -> None:

    items = read_labelled(args.labelled.read_text(encoding="utf-8"))
    started = time.perf_counter()
    matcher = Matcher(load_bank())
    built = time.perf_counter()
    outcomes = run(matcher, items)
    finished = time.perf_counter()
    result = quality(outcomes, args.threshold)
    print(f"labelled questions: {result.total} ({result.answerable} answerable by the bank)")
    print(
        f"matcher built in {(built - started) * 1000:.0f} ms; "
        f"{(finished - built) / max(1, len(items)) * 1000:.1f} ms per question"
    )
    print(
        f"threshold {result.threshold:.2f}: precision {result.precision:.1%} "
        f"({result.correct}/{result.answered}), answered {result.share_answered:.1%} "
        f"({result.answered}/{result.total}), recall {result.recall:.1%}"
    )
    print()
    print("threshold  precision  answered  recall")
    for step in range(5, 80, 5):
        swept = quality(outcomes, step / 100)
        print(
            f"   {swept.threshold:.2f}     {swept.precision:6.1%}    {swept.share_answered:6.1%}  {swept.recall:6.1%}"
        )
    if args.errors:
        print()
        for outcome in outcomes:
            matched = outcome.match.question.id if outcome.match.question else "-"
            answered = outcome.answered(args.threshold)
            if (answered and not outcome.correct) or (not answered and outcome.item.expected):
                expected = "|".join(sorted(outcome.item.expected)) or "(none)"
                kind = "WRONG" if answered else "MISSED"
                print(
                    f"{kind:6} {outcome.match.confidence:.3f} got {matched:7} want {expected:22} "
                    f"{outcome.item.question}"
                )


if __name__ == "__main__":
    main()
