"""Insights' models live in `logic_models`; Django finds them here."""

from insights.logic_models import (
    Indicator,
    IndicatorResult,
    LogicModel,
    LogicModelPart,
)

__all__ = ["Indicator", "IndicatorResult", "LogicModel", "LogicModelPart"]
