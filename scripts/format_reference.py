"""Writes docs/format.md from the JSON Schemas in schemas/ (`make docs`); `--check` only says whether it is current."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from trustdocs.validate.format_reference import format_reference

REFERENCE = Path(__file__).resolve().parent.parent / "docs" / "format.md"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="exit 1 if the file differs from the schemas")
    parser.add_argument("-o", "--output", type=Path, default=REFERENCE, help="where the reference goes")
    args = parser.parse_args(argv)
    text = format_reference()
    current = args.output.read_text(encoding="utf-8") if args.output.exists() else None
    if args.check:
        if current != text:
            print(f"{args.output} is out of date with schemas/: run `make docs`", file=sys.stderr)
            return 1
        print(f"{args.output} is up to date")
        return 0
    if current == text:
        print(f"{args.output} is up to date")
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
