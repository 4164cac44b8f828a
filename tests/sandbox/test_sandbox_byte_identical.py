"""The sandboxes answer byte for byte as recorded, and so does their truth.

A crawl walks every endpoint of each API over HTTP the way a client does (ids taken from the
answers, every page of every list, errors included), changes the data between steps the way the
incremental tests do, and records a sha256 of each answer and of each ground-truth stream.
`sandbox_digests.json` holds the digests as last recorded on purpose (first before the data
classes were split by role; since, for intended changes of the generated data, each said in its
commit), so any other change of generated data, rendering, mutation or ground truth fails here,
naming the request.

Rewrite the file only for an intended change of the generated data:
``uv run --frozen python tests/sandbox/test_sandbox_byte_identical.py --write``.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote, urlencode, urlsplit

import pytest

from sandbox import FaultRule, Sandbox, SandboxOptions
from sandbox.configcat import ConfigCatData, ProductSpec
from sandbox.instatus import STREAMS, InstatusData, InstatusPageSpec
from sandbox.statuspage import PageSpec, StatuspageData

DIGESTS = Path(__file__).with_name("sandbox_digests.json")
SEEDS = (1, 5)
SIZES = ("tiny", "small")
PRODUCT_LISTS = (
    "environments",
    "configs",
    "tags",
    "segments",
    "permissions",
    "webhooks",
    "members",
    "invitations",
    "unknown",
)
# The stale flags report and the audit logs with each kind of parameter, valid or not.
STALE_FLAG_QUERIES: tuple[dict[str, object], ...] = (
    {},
    {"scope": "watchedByMe", "staleFlagAgeDays": 7},
    {"staleFlagAgeDays": 90, "staleFlagStaleInEnvironmentsType": "staleInAllEnvironments"},
    {"staleFlagAgeDays": 6},
    {"staleFlagAgeDays": "x"},
    {"scope": "mine"},
    {"staleFlagStaleInEnvironmentsType": "sometimes"},
    {"ignoredTagIds": "tag"},
)
AUDIT_LOG_QUERIES: tuple[dict[str, object], ...] = (
    {"pageSize": 0},
    {"pageSize": 101},
    {"pageNumber": "first"},
    {"auditLogType": "nothingHappened"},
    {"auditLogType": "settingValueChanged"},
    {"auditLogType": "organizationAdded"},
)
# A fault on one list of each API, so the API's own error body is recorded too.
FAULTS = (
    FaultRule(path_regex=r"^/instatus/v1/[^/]+/templates$", kind="status", status=503, times=1),
    FaultRule(path_regex=r"^/instatus/v1/[^/]+/team$", kind="retry_after", times=1),
    FaultRule(path_regex=r"^/configcat/v1/products/[^/]+/preferences$", kind="status", times=1),
)

Digests = dict[str, str]
Recording = dict[str, Any]
T = TypeVar("T")


def _sha(body: bytes) -> str:
    """The first 64 bits of the sha256: ample to see a change, and keeps the recording small."""
    return hashlib.sha256(body).hexdigest()[:16]


class Crawler:
    """GETs over one keep-alive connection, each answer recorded as "<status> <sha256>"."""

    def __init__(self, sandbox: Sandbox, digests: Digests, step: str) -> None:
        parts = urlsplit(sandbox.url)
        self._connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
        self.digests = digests
        self.step = step
        self.headers: dict[str, str] = {}

    def close(self) -> None:
        self._connection.close()

    def get(
        self,
        path: str,
        *,
        method: str = "GET",
        headers: dict[str, str] | None = None,
        **params: object,
    ) -> Any:
        return self.ask(path, params, method=method, headers=headers)

    def ask(
        self,
        path: str,
        params: dict[str, object],
        *,
        method: str = "GET",
        headers: dict[str, str] | None = None,
    ) -> Any:
        """`get` with the query as a mapping; the answer's JSON, None when it is not JSON."""
        target = quote(path) + ("?" + urlencode(params) if params else "")
        sent = self.headers if headers is None else headers
        self._connection.request(method, target, headers=sent)
        # Names who asked without writing a credential into the recording.
        who = "key" if sent and sent == self.headers else _sha(repr(sorted(sent.items())).encode())
        key = f"{self.step} {method} {target} as {who[:8]}"
        assert key not in self.digests, key
        try:
            response = self._connection.getresponse()
        except http.client.RemoteDisconnected:
            # An unreachable public host closes the connection; the next request reconnects.
            self._connection.close()
            self.digests[key] = "closed"
            return None
        body = response.read()
        self.digests[key] = f"{response.status} {_sha(body)}"
        return json.loads(body) if body and body[:1] in b"[{" else None

    def every_page(
        self, path: str, size_param: str, page_size: int, first: int = 1, **params: object
    ) -> list[Any]:
        """Rows of every page of a list (first page number `first`) read `page_size` at a time."""
        rows: list[Any] = []
        page = first
        while True:
            batch = self.ask(path, params | {size_param: page_size, "page": page})
            if not isinstance(batch, list):
                return rows
            rows.extend(batch)
            if len(batch) < page_size:
                return rows
            page += 1


def _record_truth(sandbox: Sandbox, api: str, digests: Digests, step: str) -> None:
    for stream, records in sandbox.ground_truth(api).items():
        digests[f"{step} truth {api} {stream}"] = _sha(json.dumps(records).encode())
    for stream, records in sandbox.ground_truth(api, readable_only=True).items():
        digests[f"{step} truth-readable {api} {stream}"] = _sha(json.dumps(records).encode())


def _crawl_steps(
    sandbox: Sandbox,
    api: str,
    steps: int,
    crawl: Callable[[Crawler], None],
    change: Callable[[int], None],
    record_truth: Callable[[Digests, str], None] | None = None,
) -> Digests:
    """Crawl and record the truth; then, `steps - 1` times, change the data and do it again.

    `record_truth(digests, step)` records the truth; by default the API's, both variants.
    """
    record = record_truth or partial(_record_truth, sandbox, api)
    digests: Digests = {}
    for step in range(steps):
        if step:
            change(step)
        crawler = Crawler(sandbox, digests, f"step{step}")
        try:
            crawl(crawler)
        finally:
            crawler.close()
        record(digests, f"step{step}")
    return digests


def _preset_sources(
    api: str, from_size: Callable[[int, str], T]
) -> Iterator[tuple[str, Callable[[], T]]]:
    """Each seed and size preset of an API's data, named like its recording."""
    for seed in SEEDS:
        for size in SIZES:
            yield f"{api} seed={seed} size={size}", partial(from_size, seed, size)


# Instatus


def _crawl_instatus(crawler: Crawler, data: InstatusData) -> None:
    base = "/instatus"
    crawler.headers = {}
    crawler.get(f"{base}/v2/pages")
    crawler.get(f"{base}/v2/pages", headers={"Authorization": "Bearer wrong"})
    crawler.headers = {"Authorization": f"Bearer {data.api_key}"}
    crawler.get(f"{base}/v2/pages", method="POST")
    crawler.get(f"{base}/v1/user")
    crawler.get(f"{base}/v1/nowhere")
    crawler.get(f"{base}/v2/pages")
    crawler.get(f"{base}/v2/pages", per_page=500, page=0)
    crawler.get(f"{base}/v2/pages", per_page="x", page="y")
    pages = crawler.every_page(f"{base}/v2/pages", "per_page", 2)
    for page in pages:
        scoped = f"{base}/v1/{page['id']}"
        for stream in STREAMS:
            crawler.get(f"{scoped}/{stream}")
            rows = crawler.every_page(f"{scoped}/{stream}", "per_page", 100)
            crawler.every_page(f"{scoped}/{stream}", "per_page", 7)
            if stream == "incidents":
                for incident_id in dict.fromkeys(row["id"] for row in rows[:3] + rows[-2:]):
                    crawler.get(f"{scoped}/incidents/{incident_id}")
                crawler.get(f"{scoped}/incidents/cnotanincident000000000000")
        crawler.get(f"{base}/v2/{page['id']}/subscribers", per_page=100)
        crawler.get(f"{base}/v2/{page['id']}/components")
        crawler.get(f"{scoped}/templates/{page['id']}")
        crawler.get(f"{scoped}/nothing")
    crawler.get(f"{base}/v1/cnotapage0000000000000000/components")
    crawler.headers = {}
    for host in data.hosts:
        crawler.get(f"/instatus-public/{host}/summary.json")
    crawler.get(f"/instatus-public/{data.hosts[0]}/summary.json", method="POST")
    crawler.get("/instatus-public/nowhere.example/summary.json")
    crawler.get(f"/instatus-public/{data.hosts[0]}/other.json")


def _change_instatus(data: InstatusData, step: int) -> None:
    at = datetime(2026, 2, 1, tzinfo=UTC) + timedelta(days=step, minutes=17 * step)
    for page_id in data.page_ids[:2]:
        if not data.is_owner(data.find_page(page_id) or 0):
            continue
        data.add_incidents(page_id, step, at)
        data.touch_incidents(page_id, 3 * step, at + timedelta(hours=1))
        data.add_maintenances(page_id, step, at + timedelta(hours=2))
        data.touch_maintenances(page_id, 2 * step + 1, at + timedelta(hours=3))


def _instatus_sources() -> Iterator[tuple[str, Callable[[], InstatusData]]]:
    yield from _preset_sources("instatus", InstatusData.from_size)
    custom = (
        InstatusPageSpec(components=9, component_groups=0, public_source="html"),
        InstatusPageSpec(owner=False, public_source="error"),
        InstatusPageSpec(custom_domain="status.custom.example", incidents=3, maintenances=0),
        InstatusPageSpec(components=40, component_groups=4, team=0, metrics=3),
    )
    yield "instatus custom", partial(InstatusData, seed=3, pages=custom, api_key="custom-key")


def _instatus_digests(make: Callable[[], InstatusData]) -> Digests:
    data = make()
    with Sandbox(instatus=data, options=SandboxOptions(faults=FAULTS)) as sandbox:
        crawl = partial(_crawl_instatus, data=data)
        return _crawl_steps(sandbox, "instatus", 3, crawl, partial(_change_instatus, data))


# ConfigCat


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _crawl_audit_logs(crawler: Crawler, path: str, now: datetime, days: int) -> None:
    end = now
    while end > now - timedelta(days=days):
        start = end - timedelta(days=30)
        page = 1
        while True:
            answer = crawler.get(
                path, fromUtcDateTime=_iso(start), toUtcDateTime=_iso(end), pageNumber=page
            )
            if not answer["paging"]["hasNext"]:
                break
            page += 1
        end = start - timedelta(milliseconds=1)


def _crawl_configcat(crawler: Crawler, data: ConfigCatData, *, days: int) -> None:
    base = "/configcat"
    now = data.now
    crawler.headers = {}
    crawler.get(f"{base}/v1/me")
    wrong = base64.b64encode(b"someone:wrong").decode()
    crawler.get(f"{base}/v1/me", headers={"Authorization": f"Basic {wrong}"})
    crawler.get(f"{base}/v1/me", headers={"Authorization": "Basic %%%"})
    token = base64.b64encode(f"{data.username}:{data.password}".encode()).decode()
    crawler.headers = {"Authorization": f"Basic {token}"}
    crawler.get(f"{base}/v1/me", method="POST")
    crawler.get(f"{base}/v1/me")
    crawler.get(f"{base}/v3/nothing")
    organizations = crawler.get(f"{base}/v1/organizations")
    products = crawler.get(f"{base}/v1/products")
    for org in organizations:
        scoped = f"{base}/v1/organizations/{org['organizationId']}"
        crawler.get(f"{scoped}/members")
        crawler.get(f"{base}/v2/organizations/{org['organizationId']}/members")
        crawler.get(f"{scoped}/invitations")
        audit = f"{base}/v2/organizations/{org['organizationId']}/auditlogs"
        crawler.get(audit)
        crawler.get(audit, productId=products[0]["productId"])
        crawler.get(audit, productId="00000000-0000-4000-8000-000000000000")
        _crawl_audit_logs(crawler, audit, now, 60)
    crawler.get(f"{base}/v1/organizations/00000000-0000-4000-8000-000000000000/members")
    for product in products:
        _crawl_product(crawler, product["productId"], now, days)
    for kind in (
        "environments",
        "settings",
        "tags",
        "segments",
        "permissions",
        "integrations",
        "webhooks",
        "configs",
        "products",
    ):
        crawler.get(f"{base}/v1/{kind}/00000000-0000-4000-8000-000000000000")
        crawler.get(f"{base}/v1/{kind}/12345")
    crawler.get(f"{base}/v1/webhooks/1/keys")


def _crawl_product(crawler: Crawler, product_id: str, now: datetime, days: int) -> None:
    base = "/configcat"
    scoped = f"{base}/v1/products/{product_id}"
    crawler.get(scoped)
    crawler.get(scoped.upper().replace("/CONFIGCAT/V1/PRODUCTS", "/configcat/v1/products"))
    integrations = crawler.get(f"{scoped}/integrations")["integrations"]
    crawler.get(f"{scoped}/preferences")
    lists = {segment: crawler.get(f"{scoped}/{segment}") for segment in PRODUCT_LISTS}
    environments, configs, tags = lists["environments"], lists["configs"], lists["tags"]
    stale = f"{scoped}/staleflags"
    for query in STALE_FLAG_QUERIES:
        crawler.ask(stale, query)
    if environments:
        crawler.get(stale, ignoredEnvironmentIds=environments[0]["environmentId"].upper())
    if tags:
        crawler.get(stale, ignoredTagIds=tags[0]["tagId"])
    audit = f"{base}/v2/products/{product_id}/auditlogs"
    crawler.get(audit)
    crawler.get(f"{scoped}/auditlogs")
    crawler.get(f"{scoped}/auditlogs", fromUtcDateTime=_iso(now - timedelta(days=20)))
    crawler.get(f"{scoped}/auditlogs", fromUtcDateTime="yesterday")
    crawler.get(audit, fromUtcDateTime=_iso(now - timedelta(days=3)))
    crawler.get(audit, toUtcDateTime=_iso(now - timedelta(days=3)))
    crawler.get(audit, toUtcDateTime="2026-09-30T00:00:00+02:00", pageSize=5, pageNumber=2)
    crawler.get(audit, fromUtcDateTime=_iso(now), toUtcDateTime=_iso(now - timedelta(days=1)))
    crawler.get(audit, fromUtcDateTime=_iso(now - timedelta(days=31)), toUtcDateTime=_iso(now))
    crawler.get(audit, fromUtcDateTime=_iso(now - timedelta(days=30)), toUtcDateTime=_iso(now))
    for query in AUDIT_LOG_QUERIES:
        crawler.ask(audit, query)
    if configs:
        crawler.get(audit, configId=configs[0]["configId"].upper())
    if environments:
        crawler.get(audit, environmentId=environments[-1]["environmentId"])
    _crawl_audit_logs(crawler, audit, now, days)
    for config in configs:
        _crawl_config(crawler, config["configId"], environments)
    for environment in environments:
        crawler.get(f"{base}/v1/environments/{environment['environmentId']}")
    for tag in tags:
        crawler.get(f"{base}/v1/tags/{tag['tagId']}")
    for segment in lists["segments"]:
        crawler.get(f"{base}/v1/segments/{segment['segmentId'].upper()}")
    for group in lists["permissions"]:
        crawler.get(f"{base}/v1/permissions/{group['permissionGroupId']}")
    for webhook in lists["webhooks"]:
        crawler.get(f"{base}/v1/webhooks/{webhook['webhookId']}")
        crawler.get(f"{base}/v1/webhooks/{webhook['webhookId']}/keys")
    for integration in integrations:
        crawler.get(f"{base}/v1/integrations/{integration['integrationId']}")


def _crawl_config(crawler: Crawler, config_id: str, environments: list[Any]) -> None:
    base = "/configcat"
    crawler.get(f"{base}/v1/configs/{config_id}")
    for setting in crawler.get(f"{base}/v1/configs/{config_id}/settings"):
        crawler.get(f"{base}/v1/settings/{setting['settingId']}")
    crawler.get(f"{base}/v1/configs/{config_id}/deleted-settings")
    for environment in environments:
        scoped = f"{base}/v1/configs/{config_id}/environments/{environment['environmentId']}"
        crawler.get(scoped)
        crawler.get(f"{scoped}/values")
        crawler.get(f"{scoped.replace('/v1/', '/v2/')}/values")
    crawler.get(f"{base}/v2/configs/{config_id}/environments/nowhere/values")


def _configcat_sources() -> Iterator[tuple[str, Callable[[], ConfigCatData], int]]:
    for name, make in _preset_sources("configcat", ConfigCatData.from_size):
        yield name, make, 130
    custom = (
        ProductSpec(
            organization=1,
            settings=20,
            audit_logs=60,
            audit_log_days=40,
            audit_log_burst=10,
            members=3,
        ),
        ProductSpec(
            environments=1,
            configs_v1=0,
            configs_v2=2,
            webhooks=0,
            members=0,
            invitations=0,
            permission_groups=1,
        ),
    )
    later = datetime(2027, 3, 4, 5, 6, 7, 890000, tzinfo=UTC)
    yield (
        "configcat custom",
        partial(
            ConfigCatData,
            seed=9,
            products=custom,
            organizations=3,
            users=6,
            username="u",
            password="p",
            now=later,
        ),
        45,
    )


def _change_configcat(data: ConfigCatData, step: int) -> None:
    for offset, product_id in enumerate(data.product_ids[:2]):
        at = data.now - timedelta(days=1 + 20 * offset, hours=step)
        data.add_audit_logs(product_id, 2 * step + offset, at)
        data.add_audit_logs(product_id, 1, data.now + timedelta(days=step))


def _configcat_digests(make: Callable[[], ConfigCatData], days: int) -> Digests:
    data = make()
    with Sandbox(configcat=data, options=SandboxOptions(faults=FAULTS)) as sandbox:
        crawl = partial(_crawl_configcat, data=data, days=days)
        return _crawl_steps(sandbox, "configcat", 2, crawl, partial(_change_configcat, data))


def _medium_truth(api: str, seed: int) -> Digests:
    """Ground truth of a medium preset, without a crawl (its lists are long)."""
    digests: Digests = {}
    if api == "instatus":
        sandbox = Sandbox(instatus=InstatusData.from_size(seed, "medium"))
    else:
        sandbox = Sandbox(configcat=ConfigCatData.from_size(seed, "medium"))
    with sandbox:
        _record_truth(sandbox, api, digests, "step0")
    return digests


# Statuspage

# path segment -> (size parameter, first page number); None: the list is not paged.
STATUSPAGE_LISTS: dict[str, tuple[str, int] | None] = {
    "component-groups": ("per_page", 1),
    "components": ("per_page", 1),
    "metrics": ("per_page", 1),
    "page_access_users": ("per_page", 1),
    "page_access_groups": ("per_page", 1),
    "incidents": ("limit", 1),
    "subscribers": ("limit", 0),
    "incident_templates": ("per_page", 1),
    "metrics_providers": None,
}
# Lists longer than this are read in full at 100 rows only; at the small size, their first pages.
STATUSPAGE_SAMPLE = 60
SUBSCRIBER_FILTERS: tuple[dict[str, object], ...] = (
    {"type": "email"},
    {"type": "sms", "state": "all"},
    {"type": "webhook", "state": "unconfirmed"},
    {"type": "slack"},
    {"type": "teams", "state": "quarantined"},
    {"type": "integration_partner", "state": "all"},
    {"state": "active"},
    {"state": "unconfirmed"},
    {"state": "quarantined"},
    {"state": "all"},
    {"state": "gone"},
    {"type": "pager"},
    {"limit": 0, "page": -1},
    {"limit": "x", "page": "y"},
    {"limit": 1000, "page": 0},
)
UPTIME_QUERIES: tuple[dict[str, object], ...] = (
    {},
    {"start": "2025-12-01"},
    {"start": "2025-10-03", "end": "2025-12-31"},
    {"end": "2025-06-30"},
    {"start": "2025-07-01", "end": "2025-12-31"},
    {"start": "2025-07-01", "end": "2026-01-01"},
    {"start": "2025-12-02", "end": "2025-12-01"},
    {"start": "1969-12-01", "end": "1970-01-31"},
    {"start": "yesterday"},
)
STATUSPAGE_PUBLIC_ENDPOINTS = (
    "summary.json",
    "status.json",
    "components.json",
    "incidents.json",
    "incidents/unresolved.json",
    "scheduled-maintenances.json",
    "scheduled-maintenances/upcoming.json",
    "scheduled-maintenances/active.json",
    "incidents/upcoming.json",
    "nothing.json",
)
STATUSPAGE_FAULTS = (
    FaultRule(path_regex=r"^/statuspage/v1/pages/[^/]+/metrics$", kind="status", times=1),
    FaultRule(path_regex=r"^/statuspage-public/[^/]+/api/v2/status.json$", kind="retry_after"),
)
UPTIME_SINCE = date(2025, 11, 15)


def _crawl_statuspage_lists(crawler: Crawler, scoped: str) -> list[Any]:
    """Every page-scoped list at two page sizes (long ones sampled); the components."""
    components: list[Any] = []
    for segment, paging in STATUSPAGE_LISTS.items():
        if paging is None:
            crawler.get(f"{scoped}/{segment}")
            crawler.get(f"{scoped}/{segment}", per_page=1, page=2)
            continue
        size_param, first = paging
        crawler.get(f"{scoped}/{segment}")
        rows = crawler.every_page(f"{scoped}/{segment}", size_param, 100, first)
        if len(rows) <= STATUSPAGE_SAMPLE:
            crawler.every_page(f"{scoped}/{segment}", size_param, 7, first)
        else:
            for page in range(first, first + 3):
                crawler.ask(f"{scoped}/{segment}", {size_param: 7, "page": page})
            crawler.ask(f"{scoped}/{segment}", {size_param: 7, "page": first + len(rows) // 7})
        if segment == "components":
            components = rows
    for query in SUBSCRIBER_FILTERS:
        for number in (0, 1) if "limit" not in query else (None,):
            crawler.ask(f"{scoped}/subscribers", {"limit": 25, "page": number} | query)
    return components


def _crawl_uptime(crawler: Crawler, scoped: str, components: list[Any]) -> None:
    """Uptime of a few components: a group, showcased ones, a hidden one, with each range."""
    groups = [c for c in components if c["group"]][:1]
    shown = [c for c in components if not c["group"] and c["showcase"]][:3]
    hidden = [c for c in components if not c["group"] and not c["showcase"]][:1]
    for component in groups + hidden:
        crawler.get(f"{scoped}/components/{component['id']}/uptime")
    for number, component in enumerate(shown):
        queries = UPTIME_QUERIES if number == 0 else UPTIME_QUERIES[:3]
        for query in queries:
            crawler.ask(f"{scoped}/components/{component['id']}/uptime", query)
    crawler.get(f"{scoped}/components/notacomponent/uptime")


def _crawl_statuspage(crawler: Crawler, data: StatuspageData) -> None:
    base = "/statuspage/v1"
    crawler.headers = {}
    crawler.get(f"{base}/pages")
    crawler.get(f"{base}/pages", headers={"Authorization": "OAuth wrong"})
    crawler.get(f"{base}/pages", headers={"Authorization": data.api_key})
    crawler.get(f"{base}/pages", api_key=data.api_key)
    crawler.headers = {"Authorization": f"OAuth {data.api_key}"}
    crawler.get(f"{base}/pages", method="POST")
    crawler.get(f"{base}/pages.json")
    crawler.get(f"{base}/nothing")
    pages = crawler.get(f"{base}/pages", page=2)
    users = f"{base}/organizations/{data.organization_id}/users"
    crawler.every_page(users, "per_page", 100)
    crawler.every_page(users, "per_page", 40)
    crawler.get(users, per_page=0, page=0)
    crawler.get(f"{base}/organizations/notanorg/users")
    for page in pages:
        scoped = f"{base}/pages/{page['id']}"
        crawler.get(scoped)
        crawler.get(f"{scoped}.json")
        crawler.get(f"{scoped}/nothing")
        crawler.get(f"{scoped}/components/x/uptime")
        if page["id"] in data.page_ids and data.access_status(data.page_ids.index(page["id"])):
            crawler.get(f"{scoped}/components")
            continue
        components = _crawl_statuspage_lists(crawler, scoped)
        _crawl_uptime(crawler, scoped, components)
    crawler.get(f"{base}/pages/notapage")
    crawler.get(f"{base}/pages/notapage/components")
    crawler.get(f"{base}/pages/notapage/components/x/uptime")
    crawler.headers = {}
    public = "/statuspage-public"
    for subdomain in data.subdomains:
        for endpoint in STATUSPAGE_PUBLIC_ENDPOINTS:
            crawler.get(f"{public}/{subdomain}/api/v2/{endpoint}")
    crawler.get(f"{public}/{data.subdomains[0]}/api/v2/summary.json", method="POST")
    crawler.get(f"{public}/{data.subdomains[0]}/api/v1/summary.json")
    crawler.get(f"{public}/nowhere/api/v2/summary.json")


def _record_statuspage_truth(
    sandbox: Sandbox, data: StatuspageData, digests: Digests, step: str
) -> None:
    _record_truth(sandbox, "statuspage", digests, step)
    for stream, records in sandbox.ground_truth("statuspage-public").items():
        digests[f"{step} truth statuspage-public {stream}"] = _sha(json.dumps(records).encode())
    today = {page_id: date(2025, 12, 20) for page_id in data.page_ids[:1]}
    uptime = {
        "default": data.ground_truth_uptime(),
        "since": data.ground_truth_uptime(since=UPTIME_SINCE),
        "today": data.ground_truth_uptime(today=today, since=date(2025, 6, 1)),
        "by month": data.uptime_by_component_month(since=UPTIME_SINCE),
        "by month today": data.uptime_by_component_month(today=today),
    }
    for name, records in uptime.items():
        digests[f"{step} truth uptime {name}"] = _sha(json.dumps(records).encode())


def _change_statuspage(data: StatuspageData, step: int) -> None:
    at = datetime(2026, 2, 1, tzinfo=UTC) + timedelta(days=step, minutes=17 * step)
    for page_id in data.page_ids[:2]:
        data.touch_incidents(page_id, 3 * step, at)
        data.add_incidents(page_id, step + 1, at + timedelta(hours=1))
        data.touch_incidents(page_id, 1, at + timedelta(hours=2))


def _statuspage_sources() -> Iterator[tuple[str, Callable[[], StatuspageData]]]:
    yield from _preset_sources("statuspage", StatuspageData.from_size)
    custom = (
        PageSpec(components=2, component_groups=1, incidents=0, subscribers=0, metrics=0),
        PageSpec(access_status=401, time_zone="Australia/Sydney"),
        PageSpec(access_status=403, public_source="html"),
        PageSpec(access_status=404, public_source="error"),
        PageSpec(
            components=30,
            component_groups=0,
            incidents=40,
            subscribers=61,
            incident_templates=0,
            metrics_providers=0,
            metrics=0,
            page_access_users=9,
            page_access_groups=0,
            time_zone="Asia/Tokyo",
        ),
        PageSpec(components=9, component_groups=4, incidents=1, time_zone="UTC"),
        PageSpec(public_source="unreachable", page_access_groups=4, page_access_users=1),
    )
    yield (
        "statuspage custom",
        partial(
            StatuspageData,
            seed=7,
            pages=custom,
            organization_id="customorg123",
            users=11,
            api_key="custom-key",
        ),
    )


def _statuspage_digests(make: Callable[[], StatuspageData]) -> Digests:
    data = make()
    with Sandbox(statuspage=data, options=SandboxOptions(faults=STATUSPAGE_FAULTS)) as sandbox:
        crawl = partial(_crawl_statuspage, data=data)
        change = partial(_change_statuspage, data)
        truth = partial(_record_statuspage_truth, sandbox, data)
        return _crawl_steps(sandbox, "statuspage", 3, crawl, change, truth)


def _statuspage_medium_truth(seed: int) -> Digests:
    """Ground truth of the medium preset, without a crawl (its lists are long)."""
    data = StatuspageData.from_size(seed, "medium")
    digests: Digests = {}
    with Sandbox(statuspage=data) as sandbox:
        _record_statuspage_truth(sandbox, data, digests, "step0")
    return digests


def all_sources() -> Iterator[tuple[str, Callable[[], Digests]]]:
    for name, make in _instatus_sources():
        yield name, partial(_instatus_digests, make)
    for name, make_data, days in _configcat_sources():
        yield name, partial(_configcat_digests, make_data, days)
    for api in ("instatus", "configcat"):
        yield f"{api} seed=2 size=medium truth", partial(_medium_truth, api, 2)
    for name, make_statuspage in _statuspage_sources():
        yield name, partial(_statuspage_digests, make_statuspage)
    yield "statuspage seed=2 size=medium truth", partial(_statuspage_medium_truth, 2)


SOURCES = dict(all_sources())


def _recording(digests: Digests) -> Recording:
    """The requests as one digest, then each answer's digest in crawl order."""
    return {"requests": _sha("\n".join(digests).encode()), "answers": list(digests.values())}


@pytest.fixture(scope="module")
def recorded() -> dict[str, Recording]:
    recorded: dict[str, Recording] = json.loads(DIGESTS.read_text(encoding="utf-8"))
    return recorded


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_every_answer_and_truth_is_byte_identical_to_the_recording(
    source: str, recorded: dict[str, Recording]
) -> None:
    expected = recorded[source]
    actual = SOURCES[source]()
    assert _recording(actual)["requests"] == expected["requests"], "the crawl asked other requests"
    changed = [
        key
        for key, answer in zip(actual, expected["answers"], strict=True)
        if actual[key] != answer
    ]
    assert not changed, f"{len(changed)} of {len(actual)} answers changed, first: {changed[:5]}"


def test_the_recording_covers_errors_and_every_step(recorded: dict[str, Recording]) -> None:
    statuses = {
        answer.split()[0] for recording in recorded.values() for answer in recording["answers"]
    }
    assert {"200", "400", "401", "403", "404", "405", "422", "429", "503", "closed"} <= statuses
    assert sum(len(recording["answers"]) for recording in recorded.values()) > 8000


def main() -> None:
    if sys.argv[1:] != ["--write"]:
        raise SystemExit("usage: test_sandbox_byte_identical.py --write")
    recordings = {name: _recording(make()) for name, make in sorted(SOURCES.items())}
    DIGESTS.write_text(json.dumps(recordings, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {sum(len(r['answers']) for r in recordings.values())} digests to {DIGESTS}")


if __name__ == "__main__":
    main()
