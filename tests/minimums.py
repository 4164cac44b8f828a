"""The fewest requests a correct full sync can make, computed from the sandbox's ground truth.

Shared by the tests (which assert the taps make exactly these) and the benchmarks (which report
them). "One request per page of at most 100 rows" needs one more read after an exactly full last
page, since these APIs send no total: hence `n // 100 + 1`.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

Truth = dict[str, list[dict[str, Any]]]
PAGE_SIZE = 100


def pages_for(rows: int) -> int:
    return rows // PAGE_SIZE + 1


def statuspage_minimum(truth: Truth) -> int:
    """/pages once; per page each paginated list, metrics_providers once; users pages."""
    lists = [
        "component_groups", "components", "incidents", "incident_templates", "subscribers",
        "metrics", "page_access_users", "page_access_groups",
    ]  # fmt: skip
    page_ids = [row["id"] for row in truth["pages"]]
    total = 1 + len(page_ids) + pages_for(len(truth["users"]))
    for stream in lists:
        per_page = Counter(row["page_id"] for row in truth[stream])
        total += sum(pages_for(per_page[page_id]) for page_id in page_ids)
    return total


def instatus_minimum(truth: Truth) -> int:
    """/v2/pages pages, /v1/user, a public summary per page, each list per readable page, and
    one refused request per page the key's user does not own: Instatus refuses every list of
    such a page alike (401), so its first refusal skips the other lists without a request."""
    lists = [
        "components",
        "incidents",
        "maintenances",
        "templates",
        "team",
        "subscribers",
        "metrics",
    ]
    page_ids = [row["id"] for row in truth["status_pages"]]
    readable = {row["page_id"] for stream in lists for row in truth[stream]}
    total = pages_for(len(page_ids)) + 1 + len(page_ids) + len(set(page_ids) - readable)
    for stream in lists:
        per_page = Counter(row["page_id"] for row in truth[stream])
        total += sum(pages_for(per_page[p]) for p in page_ids if p in readable)
    return total


def configcat_list_minimum(truth: Truth) -> int:
    """Every list once: organizations, products, per organization 2, per product 10, per config
    settings + deleted settings + one values read per environment of its product."""
    environments = Counter(row["productId"] for row in truth["environments"])
    total = 2 + 2 * len(truth["organizations"]) + 10 * len(truth["products"])
    return total + sum(2 + environments[row["productId"]] for row in truth["configs"])
