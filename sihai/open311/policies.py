"""Open311 API keys are issued by the security administrator (``open311.keys``)."""

from sihai.cases.policies import OPEN311_KEYS

__all__ = ["OPEN311_KEYS"]
