"""The CRM data model (SQLAlchemy 2.0 typed ORM). Import models from here."""

from crm.models.base import Base, Money, utcnow
from crm.models.engagement import ACTIVITY_TYPES, Activity, Call, Suggestion, Task
from crm.models.finance import Collection, ForecastSubmission, MarketingSpend, Order, Target
from crm.models.org import DEFAULT_REGIONS, DEFAULT_STAGES, OrgProfile, Product, Region, Stage, Team
from crm.models.people import ROLES, ApiToken, User
from crm.models.rollups import (
                                ScoringAccountRollup,
                                ScoringDealRollup,
                                ScoringLabel,
                                ScoringRepRollup,
                                ScoringRollupDirty,
)
from crm.models.sales import Account, Contact, Lead, Opportunity, StageHistory
from crm.models.system import AuditLog, Conversation, InboundEvent, Message, OpportunityScore

__all__ = [
    "ACTIVITY_TYPES", "DEFAULT_REGIONS", "DEFAULT_STAGES", "ROLES",
    "Account", "Activity", "ApiToken", "AuditLog", "Base", "Call", "Collection", "Contact",
    "Conversation", "ForecastSubmission", "InboundEvent", "Lead", "MarketingSpend", "Message",
    "Money", "Opportunity", "OpportunityScore", "Order", "OrgProfile", "Product", "Region",
    "ScoringAccountRollup", "ScoringDealRollup", "ScoringLabel", "ScoringRepRollup", "ScoringRollupDirty",
    "Stage", "StageHistory", "Suggestion", "Target", "Task", "Team", "User", "utcnow",
]
