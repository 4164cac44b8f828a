"""ConfigCat runtime changes: audit log entries added between two runs.

The generated entries come from the skeleton (`sandbox.configcat_skeleton`); incremental tests
add entries at a given time, with ids after every existing one. Entries are kept per product as
(time, auditLogId) in time order, so a window is two bisections.
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Sequence
from datetime import datetime

from sandbox.configcat_skeleton import ConfigCatSkeleton
from sandbox.generate import to_ms

_MAX_ID = 2**63


class ConfigCatChanges:
    """Every product's audit log entries, generated and added at runtime."""

    def __init__(self, skeleton: ConfigCatSkeleton) -> None:
        self.skeleton = skeleton
        self._audit = [list(entries) for entries in skeleton.audit_logs]
        self._next_audit_id = skeleton.next_audit_id
        self._lock = threading.Lock()

    def add_audit_logs(self, product_id: str, count: int, at: datetime) -> list[int]:
        """Add `count` entries at `at` to a product (ids after every existing one); their ids."""
        index = self.skeleton.find_product(product_id)
        if index is None:
            raise KeyError(f"unknown product id {product_id!r}")
        at_ms = to_ms(at)
        with self._lock:
            added = list(range(self._next_audit_id, self._next_audit_id + count))
            self._next_audit_id += count
            for audit_id in added:
                bisect.insort(self._audit[index], (at_ms, audit_id))
        return added

    def audit_entries(
        self, product_indices: Sequence[int], from_ms: int, to_ms: int
    ) -> list[tuple[int, int, int]]:
        """(at_ms, auditLogId, product index) in [from_ms, to_ms], newest first."""
        found: list[tuple[int, int, int]] = []
        with self._lock:
            for index in product_indices:
                entries = self._audit[index]
                low = bisect.bisect_left(entries, (from_ms, -1))
                high = bisect.bisect_right(entries, (to_ms, _MAX_ID))
                found.extend((at, audit_id, index) for at, audit_id in entries[low:high])
        found.sort(reverse=True)
        return found

    def all_audit_entries(self, product_index: int) -> list[tuple[int, int, int]]:
        """Every entry of one product, newest first."""
        return self.audit_entries([product_index], 0, _MAX_ID)
