"""Instatus ground truth: what a correct tap emits from the sandbox's Instatus data.

Every record as served, with `page_id` on page-scoped ones, nested ``site`` objects trimmed to
`SITE_KEYS`, ``team`` flattened, updates taken from their parent's embedded list (plus
``incident_id`` or ``maintenance_id``), one ``user`` record and one ``public_data`` record per
page whose public host answers. Pages whose key user is not the owner appear in ``status_pages``
and ``public_data`` only: a correct tap cannot read their lists.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import partial
from typing import Any

from sandbox.instatus_render import InstatusRender
from sandbox.instatus_skeleton import Page
from sandbox.lookups import chunked
from sandbox.server import GroundTruthStreams, Record

SITE_KEYS = ("id", "name", "subdomain")
"""The fields a nested `site` object keeps in a tap's output (docs/design.md, "Records")."""


def trim_sites(value: Any) -> Any:
    """A copy of `value` whose nested sites keep only `SITE_KEYS` (docs/design.md, "Records")."""
    if isinstance(value, dict):
        return {
            key: {k: item[k] for k in SITE_KEYS if k in item}
            if key == "site" and isinstance(item, dict)
            else trim_sites(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [trim_sites(item) for item in value]
    return value


def flatten_teammate(item: Record) -> Record:
    """A raw `/team` item `{id, user: {...}}` as a tap emits it (docs/design.md, "Records")."""
    user = item["user"]
    return {
        "id": item["id"],
        "userId": user["id"],
        "name": user["name"],
        "email": user["email"],
        "avatar": user["avatar"],
    }


def ground_truth(render: InstatusRender) -> GroundTruthStreams:
    """What a correct tap emits (module docstring): readable pages' rows, trimmed sites."""
    pages = render.pages
    readable = [page for page in pages if page.spec.owner]
    yield "status_pages", (render.page_record(page) for page in pages)
    yield "components", _scoped(render, readable, "components")
    yield "incidents", _scoped(render, readable, "incidents")
    yield "incident_updates", _embedded_updates(render, readable, "incidents")
    yield "maintenances", _scoped(render, readable, "maintenances")
    yield "maintenance_updates", _embedded_updates(render, readable, "maintenances")
    yield "templates", _scoped(render, readable, "templates")
    yield "team", _scoped(render, readable, "team")
    yield "subscribers", _scoped(render, readable, "subscribers")
    yield "metrics", _scoped(render, readable, "metrics")
    yield "user", iter([render.user()])
    yield (
        "public_data",
        (
            {"page_id": p.id, **render.summary(p.index)}
            for p in pages
            if p.spec.public_source == "ok"
        ),
    )


def _scoped(render: InstatusRender, pages: Iterable[Page], stream: str) -> Iterator[Record]:
    for page in pages:
        count = render.changes.count(page.index, stream)
        for record in chunked(count, partial(render.records, page.index, stream)):
            row = flatten_teammate(record) if stream == "team" else trim_sites(record)
            row["page_id"] = page.id
            yield row


def _embedded_updates(
    render: InstatusRender, pages: Iterable[Page], stream: str
) -> Iterator[Record]:
    # A child carries its parents' keys in snake_case too (docs/design.md, "Records").
    parent_key = "incident_id" if stream == "incidents" else "maintenance_id"
    for parent in _scoped(render, pages, stream):
        for update in parent["updates"]:
            yield update | {"page_id": parent["page_id"], parent_key: parent["id"]}
