"""Statuspage ground truth: what a correct tap emits from the sandbox's Statuspage data.

In v1 mode every record as served, with `page_id` where it lacks one, updates taken from their
incident's embedded list, and the organization's users; pages answering an access error are left
out when only readable records count. In public mode each page whose public host answers, read
through the v2 payloads. The `component_uptime` stream depends on the run's date and its
`start_date` setting, so it has its own truth (`ground_truth_uptime`, and the plain figures
`uptime_by_component_month` that rebuilt uptime is reconciled with).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from functools import partial

from sandbox.generate import EPOCH_MS
from sandbox.lookups import chunked
from sandbox.server import GroundTruthStreams, Record
from sandbox.statuspage_render import StatuspageRender
from sandbox.statuspage_skeleton import Component, Page
from sandbox.statuspage_timeline import local_date, month_ranges

MANAGE_LISTS = (
    "component_groups",
    "components",
    "incidents",
    "incident_templates",
    "subscribers",
    "metrics_providers",
    "metrics",
    "page_access_users",
    "page_access_groups",
)
"""The page-scoped v1 lists, by ground-truth stream name, in the order the truth lists them."""


def ground_truth_manage(render: StatuspageRender, readable_only: bool) -> GroundTruthStreams:
    """What a correct tap emits in v1 mode: API records plus `page_id` where they lack it."""
    every_page = render.skeleton.pages
    pages = [p for p in every_page if not (readable_only and p.spec.access_status)]
    yield "pages", (render.page_v1(page) for page in every_page)
    for stream in MANAGE_LISTS:
        yield stream, _scoped(render, pages, stream)
    yield "incident_updates", _manage_updates(render, pages)
    yield "users", (render.lists.user(index) for index in range(render.skeleton.users))


def ground_truth_public(render: StatuspageRender) -> GroundTruthStreams:
    """What a correct tap emits in public mode (access_status does not apply to v2).

    A page whose public host is broken (`PageSpec.public_source`) emits nothing.
    """
    pages = [page for page in render.skeleton.pages if page.spec.public_source == "ok"]
    yield "pages", (render.public_page(page) for page in pages)
    yield "page_status", ({"page_id": p.id, **render.public_status(p)} for p in pages)
    yield "components", (c for page in pages for c in render.public_components(page))
    yield (
        "component_groups",
        (c for page in pages for c in render.public_components(page) if c["group"]),
    )
    yield "incidents", (i for page in pages for i in render.public_history(page))
    yield "incident_updates", _public_updates(render, pages)


def _scoped(render: StatuspageRender, pages: Iterable[Page], stream: str) -> Iterator[Record]:
    for page in pages:
        count = render.changes.count(page.index, stream)
        for record in chunked(count, partial(render.records, page.index, stream)):
            record.setdefault("page_id", page.id)
            yield record


def _manage_updates(render: StatuspageRender, pages: Iterable[Page]) -> Iterator[Record]:
    for incident in _scoped(render, pages, "incidents"):
        for update in incident["incident_updates"]:
            update.setdefault("page_id", incident["page_id"])
            yield update


def _public_updates(render: StatuspageRender, pages: Iterable[Page]) -> Iterator[Record]:
    for page in pages:
        for incident in render.public_history(page):
            for update in incident["incident_updates"]:
                update.setdefault("page_id", page.id)
                yield update


# Component uptime (docs/apis/statuspage.md, "Component uptime")


def uptime_months(
    render: StatuspageRender,
    page_index: int,
    *,
    today: date | None = None,
    since: date | None = None,
) -> Iterator[tuple[int, Component, date, date]]:
    """(component row, component, first day, last day) of every month a correct tap asks for:
    each component with uptime, from the month of its start (or of `since`, when later) to the
    month of `today` (default: the page's date at the sandbox's "now"), which ends `today`."""
    skeleton = render.skeleton
    page = skeleton.pages[page_index]
    last = today or local_date(EPOCH_MS, page.offset_min)
    for row in range(page.layout.rows):
        component = skeleton.component(page, row)
        if component.is_group or not component.showcase:
            continue
        first = max(component.uptime_start, since or date.min)
        for month_start, month_end in month_ranges(first, last):
            yield row, component, month_start, month_end


def ground_truth_uptime(
    render: StatuspageRender,
    *,
    today: Mapping[str, date] | None = None,
    since: date | None = None,
) -> list[Record]:
    """What a correct tap emits for `component_uptime`, the stream a run selects explicitly:
    not in the v1 truth because it depends on the run's date, `today` (by page id; default each
    page's date at the sandbox's "now") and the `start_date` setting (`since`)."""
    return [
        record
        for page in render.skeleton.pages
        if not page.spec.access_status
        for record in component_uptime_records(
            render, page.index, today=(today or {}).get(page.id), since=since
        )
    ]


def component_uptime_records(
    render: StatuspageRender,
    page_index: int,
    *,
    today: date | None = None,
    since: date | None = None,
) -> list[Record]:
    """The `component_uptime` records a correct tap emits for one page (see `uptime_months`)."""
    page = render.skeleton.pages[page_index]
    return [
        {
            **render.uptime_body(page, row, component, first, last),
            "page_id": page.id,
            "component_id": component.id,
        }
        for row, component, first, last in uptime_months(
            render, page_index, today=today, since=since
        )
    ]


def uptime_by_component_month(
    render: StatuspageRender,
    *,
    today: Mapping[str, date] | None = None,
    since: date | None = None,
) -> list[Record]:
    """The uptime truth per page, component and month, as plain figures (for reconciling
    rebuilt uptime): seconds in major and partial outage, counted seconds, percentage."""
    figures = []
    for page in render.skeleton.pages:
        last = (today or {}).get(page.id)
        months = uptime_months(render, page.index, today=last, since=since)
        for row, component, first, end in months:
            result = render.uptime_figures(page, row, component, first, end)
            figures.append(
                {
                    "page_id": page.id,
                    "component_id": component.id,
                    "month": first.replace(day=1).isoformat(),
                    "range_start": first.isoformat(),
                    "range_end": end.isoformat(),
                    "major_outage_seconds": result.major_s,
                    "partial_outage_seconds": result.partial_s,
                    "counted_seconds": result.range_s,
                    "uptime_percentage": result.percentage,
                }
            )
    return figures
