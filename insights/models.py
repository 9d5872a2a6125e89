"""Insights' models live in `logic_models` and `indicator_results`; Django
finds them here."""

from insights.indicator_results import IndicatorResult
from insights.logic_models import Indicator, LogicModel, LogicModelPart, Stage

__all__ = ["Indicator", "IndicatorResult", "LogicModel", "LogicModelPart", "Stage"]
