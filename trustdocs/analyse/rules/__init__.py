"""Declarative threat-model rules: data files (*.yaml) in this package, read and run by engine.py."""

from __future__ import annotations

from trustdocs.analyse.rules.engine import (
    AnsweredFinding,
    Rule,
    RuleFileError,
    evaluate_rules,
    load_rules,
    parse_rule_file,
)

__all__ = ["AnsweredFinding", "Rule", "RuleFileError", "evaluate_rules", "load_rules", "parse_rule_file"]
