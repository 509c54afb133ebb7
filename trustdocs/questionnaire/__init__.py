"""Security questionnaires: the question bank, answers derived from the model, matching and workbooks."""

from __future__ import annotations

from trustdocs.questionnaire.bank import Question, QuestionBank, load_bank
from trustdocs.questionnaire.derive import Answer, derive, registry
from trustdocs.questionnaire.fill import fill_questionnaire
from trustdocs.questionnaire.library import AnsweredQuestion, answer_library
from trustdocs.questionnaire.matcher import DEFAULT_THRESHOLD, Match, Matcher
from trustdocs.questionnaire.outcome import FilledQuestion, FillResult
from trustdocs.questionnaire.standards import Recognised, Standard, recognise
from trustdocs.questionnaire.workbook import library_csv, library_xlsx

__all__ = [
    "DEFAULT_THRESHOLD",
    "Answer",
    "AnsweredQuestion",
    "FillResult",
    "FilledQuestion",
    "Match",
    "Matcher",
    "Question",
    "QuestionBank",
    "Recognised",
    "Standard",
    "answer_library",
    "derive",
    "fill_questionnaire",
    "library_csv",
    "library_xlsx",
    "load_bank",
    "recognise",
    "registry",
]
