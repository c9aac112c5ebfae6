"""Wellbeing questionnaires as data, with validation, scoring, bands and change thresholds.

The definitions are YAML files in this package (ONS4, loneliness, the session mood check and
SWEMWBS); code here loads them into frozen dataclasses and scores answers. Pure code: nothing
here imports ``telegram`` or the database.

Typical use::

    ons4 = load_questionnaire("ons4")
    scores = score(ons4, {"life_satisfaction": 7, "anxiety": 3})
    scores.band_labels  # {"life_satisfaction": "high", "anxiety": "low"}
    risk_flags(ons4, {"anxiety": 9})  # ["anxiety"]
"""

from bot.questionnaires.bands import Band
from bot.questionnaires.change import Change, classify_change, meaningful_change
from bot.questionnaires.errors import (
    AnswerError,
    DefinitionError,
    InvalidAnswerError,
    QuestionnaireError,
    UnknownItemError,
    UnknownMeasureError,
    UnknownQuestionnaireError,
)
from bot.questionnaires.loader import (
    all_questionnaires,
    available_questionnaires,
    load_folder,
    load_questionnaire,
    questionnaire_keys,
)
from bot.questionnaires.model import (
    Direction,
    Item,
    Measure,
    Option,
    Questionnaire,
    RiskThreshold,
    StatisticalScale,
    Summary,
    SummaryMethod,
)
from bot.questionnaires.parser import MAX_BUTTON_LABEL, MAX_QUESTION_TEXT, parse_questionnaire
from bot.questionnaires.risk import default_risk_thresholds, risk_flags
from bot.questionnaires.scoring import Scores, score, validate_answers

__all__ = [
    "MAX_BUTTON_LABEL",
    "MAX_QUESTION_TEXT",
    "AnswerError",
    "Band",
    "Change",
    "DefinitionError",
    "Direction",
    "InvalidAnswerError",
    "Item",
    "Measure",
    "Option",
    "Questionnaire",
    "QuestionnaireError",
    "RiskThreshold",
    "Scores",
    "StatisticalScale",
    "Summary",
    "SummaryMethod",
    "UnknownItemError",
    "UnknownMeasureError",
    "UnknownQuestionnaireError",
    "all_questionnaires",
    "available_questionnaires",
    "classify_change",
    "default_risk_thresholds",
    "load_folder",
    "load_questionnaire",
    "meaningful_change",
    "parse_questionnaire",
    "questionnaire_keys",
    "risk_flags",
    "score",
    "validate_answers",
]
