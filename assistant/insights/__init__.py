"""Call insights: Transcript + org profile (+ CRM names, call time) → `CallInsights`.

`extract_insights` picks the engine: the deterministic rules by default, the LLM engine when
DEALWISE_LLM_BASE_URL / DEALWISE_LLM_MODEL are set (falling back to the rules if it fails).
"""

from assistant.insights.engine import extract_insights
from assistant.insights.rules import extract_rules
from assistant.insights.types import CallInsights, CrmNames, Evidence, OrgProfile

__all__ = ["CallInsights", "CrmNames", "Evidence", "OrgProfile", "extract_insights", "extract_rules"]
