"""Calendar-month windows: one request per month of a partition, for APIs that report per range.

A stream declares `calendar_windows = CalendarMonths(...)`; the kit then reads each partition as
one request per calendar month in the partition's time zone, from the month of the latest of
(the bookmark, the `start_date` setting, the partition's own first day) to the month of today,
the last month ending today. The bookmark is the first day of the last month read, so the next
run reads that (then still open) month again and the ones after it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _zone(name: Any) -> tzinfo:
    """The named IANA time zone; UTC when there is none or it is unknown."""
    if not isinstance(name, str) or not name:
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def _day(value: Any, zone: tzinfo) -> date | None:
    """The date of a date or date-time text (a date-time counted in `zone`), None if neither."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        return value
    elif isinstance(value, str) and value:
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
        if len(value) == 10:
            return moment.date()
    else:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(zone).date()


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


@dataclass(frozen=True)
class CalendarMonths:
    """One request per calendar month, with the month's first and last day as query parameters."""

    #: Query parameters that take the first and the last day of the month (YYYY-MM-DD).
    start_param: str
    end_param: str
    #: Context keys holding the partition's first day (date or date-time); the first set one wins.
    first_day_keys: tuple[str, ...] = ()
    #: Context key holding the partition's IANA time zone; months are counted there (else UTC).
    time_zone_key: str | None = None
    #: Where "now" comes from; tests of the kit pass a fixed clock.
    clock: Callable[[], datetime] = field(default=_utc_now, compare=False)

    def months(
        self, context: Mapping[str, Any], bookmark: Any, start_setting: Any
    ) -> list[dict[str, str]]:
        """The query parameters of each month to read, oldest first."""
        zone = _zone(context.get(self.time_zone_key) if self.time_zone_key else None)
        today = self.clock().astimezone(zone).date()
        own_first = next(
            (day for key in self.first_day_keys if (day := _day(context.get(key), zone))), None
        )
        candidates = [_day(bookmark, zone), _day(start_setting, zone), own_first]
        first = max((day for day in candidates if day is not None), default=today)
        months = []
        month = first.replace(day=1)
        while month <= today:
            following = _next_month(month)
            last = min(following - timedelta(days=1), today)
            months.append({self.start_param: month.isoformat(), self.end_param: last.isoformat()})
            month = following
        return months
