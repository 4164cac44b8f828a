"""Local HTTP sandbox speaking the taps' APIs with seeded data, faults and ground truth."""

from sandbox.app import Sandbox
from sandbox.server import FaultRule, RateLimit, SandboxOptions

__all__ = ["FaultRule", "RateLimit", "Sandbox", "SandboxOptions"]
