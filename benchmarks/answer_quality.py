"""Benchmark: how well `trustdocs answer` matches customer wording to the question bank.

    .venv/bin/python benchmarks/answer_quality.py                       # tests/data/customer_questions.csv
    .venv/bin/python benchmarks/answer_quality.py --errors              # also list every wrong or missed match
    .venv/bin/python benchmarks/answer_quality.py --labelled other.csv

Prints precision (correct matches / matches at or above the threshold), the share of questions answered
(matched at or above the threshold) and recall at the default threshold, the time to build the matcher and
to match one question, then a sweep over thresholds. The labelled file has the columns
question, expected_id ("" when the bank cannot answer it, "A|B" when either id is right).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from trustdocs.questionnaire.bank import load_bank
from trustdocs.questionnaire.evaluation import quality, read_labelled, run
from trustdocs.questionnaire.matcher import DEFAULT_THRESHOLD, Matcher

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_LABELLED = ROOT / "tests" / "data" / "customer_questions.csv"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labelled", type=Path, default=DEFAULT_LABELLED)
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    parser.add_argument("--errors", action="store_true", help="list wrong matches and misses")
    args = parser.parse_args()

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
