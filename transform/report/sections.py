"""The report's sections: each reads its marts, draws its plot and writes its Markdown."""

from __future__ import annotations

import datetime as dt
import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import wraps
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from transform.report.figures import (
    DEGRADED,
    IMPACT_COLOURS,
    MAINTENANCE,
    MAJOR_OUTAGE,
    NO_DATA,
    OPERATIONAL,
    OTHER,
    PARTIAL_OUTAGE,
    SCHEDULED,
    STAGE_COLOURS,
    new_figure,
    save,
    series_colour,
)
from transform.report.warehouse import MART_SOURCES, Row, Warehouse, date_literal

# Longest lists drawn in one plot; the Markdown says when more exist.
MAX_COMPONENT_ROWS = 25
MAX_INCIDENT_ROWS = 25
MAX_HEATMAP_ROWS = 30
HEATMAP_WEEKS = 52
UPTIME_DAYS = 90
RECENT_MONTHS = 12
MAX_STALE_ROWS = 50
RECONCILIATION_ROWS = 10
OVERRUN_TOLERANCE_MINUTES = 1
IMPACT_ORDER = ("none", "minor", "major", "critical")


@dataclass
class Section:
    title: str
    lines: list[str] = field(default_factory=list)
    images: list[Path] = field(default_factory=list)

    def image(self, path: Path, caption: str) -> None:
        self.images.append(path)
        self.lines += [f"![{caption}]({path.name})", ""]

    def markdown(self) -> str:
        return "\n".join([f"## {self.title}", "", *self.lines]).rstrip() + "\n"


@dataclass
class Context:
    warehouse: Warehouse
    folder: Path


SectionBuilder = Callable[[Context], Section]
SectionBody = Callable[[Context, Section, list[Row]], Section]


def empty(section: Section, mart: str) -> Section:
    """The one line a section shows when its mart holds no rows."""
    section.lines.append(
        f"No data: `{mart}` is empty (it fills when {MART_SOURCES[mart]} is loaded)."
    )
    return section


def reads(
    title: str, mart: str, columns: Sequence[str], where: str = ""
) -> Callable[[SectionBody], SectionBuilder]:
    """A section from `columns` of `mart`'s rows; its "No data" line when there are none."""

    def decorate(body: SectionBody) -> SectionBuilder:
        @wraps(body)
        def build(context: Context) -> Section:
            section = Section(title)
            rows = context.warehouse.rows(mart, list(columns), where=where)
            return body(context, section, rows) if rows else empty(section, mart)

        return build

    return decorate


@reads(
    "Uptime over the last 90 days",
    "component_uptime_periods",
    [
        "vendor",
        "page_id",
        "component_id",
        "component_name",
        "period_start",
        "period_end",
        "uptime_pct",
    ],
    where="period_type = 'rolling_90d'",
)
def uptime_bars(context: Context, section: Section, periods: list[Row]) -> Section:
    first_day = min(as_date(row["period_start"]) for row in periods)
    daily = context.warehouse.rows(
        "component_uptime_daily",
        [
            "vendor",
            "page_id",
            "component_id",
            "day",
            "major_outage_seconds",
            "partial_outage_seconds",
            "degraded_seconds",
            "maintenance_seconds",
            "observed_seconds",
        ],
        where=f"day >= {date_literal(first_day)}",
    )
    colours = {
        (row["vendor"], row["page_id"], row["component_id"], as_date(row["day"])): day_colour(row)
        for row in daily
    }
    section.lines += [
        "One bar per day, coloured by the worst status of the day, as a status page shows it;"
        " the percentage is the component's uptime over the 90 days (major outage counts in full,"
        " partial outage in part, degraded and maintenance not at all).",
        "",
    ]
    for (vendor, page_id), rows in grouped(periods, "vendor", "page_id").items():
        rows.sort(key=lambda row: (uptime_key(row["uptime_pct"]), row["component_name"] or ""))
        shown = rows[:MAX_COMPONENT_ROWS]
        figure = new_figure(11, 0.32 * len(shown) + 1.4)
        axes = figure.add_subplot()
        bars: list[list[tuple[float, float]]] = []
        bar_colours: list[str] = []
        for position, row in enumerate(shown):
            days = period_days(row["period_start"], row["period_end"])
            key = (vendor, page_id, row["component_id"])
            for index, day in enumerate(days):
                bars.append(bar_corners(index, position))
                bar_colours.append(colours.get((*key, day), NO_DATA))
            axes.text(len(days) + 1, position, percent(row["uptime_pct"]), va="center", fontsize=8)
        # One collection of rectangles: thousands of single bars take minutes to draw.
        axes.add_collection(PolyCollection(bars, facecolors=bar_colours, edgecolors="none"))
        axes.set_yticks(range(len(shown)), [short(row["component_name"], 40) for row in shown])
        axes.set_ylim(len(shown) - 0.5, -0.5)
        axes.set_xlim(-1, UPTIME_DAYS + 9)
        days = period_days(shown[0]["period_start"], shown[0]["period_end"])
        axes.set_xticks([0, len(days) - 1], [f"{days[0]}", f"{days[-1]}"])
        axes.tick_params(axis="y", labelsize=8)
        for side in ("top", "right", "left"):
            axes.spines[side].set_visible(False)
        axes.set_title(f"{vendor} page {page_id}: 90-day uptime per component")
        figure.legend(
            handles=[
                Patch(color=colour, label=label)
                for label, colour in (
                    ("operational", OPERATIONAL),
                    ("degraded", DEGRADED),
                    ("partial outage", PARTIAL_OUTAGE),
                    ("major outage", MAJOR_OUTAGE),
                    ("maintenance", MAINTENANCE),
                    ("no data", NO_DATA),
                )
            ],
            loc="outside lower center",
            ncols=6,
            fontsize=8,
            frameon=False,
        )
        path = save(figure, [axes], context.folder / f"uptime-{slug(vendor, page_id)}.png")
        section.lines += [f"### {vendor} page `{page_id}`", ""]
        if len(rows) > len(shown):
            section.lines += [
                f"The plot shows the {len(shown)} of {len(rows)} components with the lowest uptime;"
                " the table lists all.",
                "",
            ]
        section.image(path, f"90-day uptime of {vendor} page {page_id}")
        section.lines += table(
            ["Component", "Component id", "Uptime (90 days)"],
            [
                [row["component_name"], row["component_id"], percent(row["uptime_pct"])]
                for row in rows
            ],
        )
    section.lines += sla_lines(context.warehouse)
    return section


def bar_corners(day: int, row: int) -> list[tuple[float, float]]:
    """The rectangle of one day's bar in a component's row."""
    left, right, top, bottom = day - 0.36, day + 0.36, row - 0.35, row + 0.35
    return [(left, top), (right, top), (right, bottom), (left, bottom)]


def sla_lines(warehouse: Warehouse) -> list[str]:
    months = warehouse.rows(
        "component_uptime_periods",
        ["sla_target_pct", "is_sla_breach"],
        where="period_type = 'month'",
    )
    if not months:
        return []
    targets = sorted({row["sla_target_pct"] for row in months if row["sla_target_pct"] is not None})
    breaches = sum(1 for row in months if row["is_sla_breach"])
    target = " / ".join(percent(value) for value in targets) or "unset"
    return [
        f"Calendar months below the SLA target ({target}): {breaches} of {len(months)}"
        " component-months.",
        "",
    ]


def day_colour(row: Row) -> str:
    """The colour of a day: its worst status, or grey when the component was not observed."""
    if not row["observed_seconds"]:
        return NO_DATA
    for column, colour in (
        ("major_outage_seconds", MAJOR_OUTAGE),
        ("partial_outage_seconds", PARTIAL_OUTAGE),
        ("degraded_seconds", DEGRADED),
        ("maintenance_seconds", MAINTENANCE),
    ):
        if row[column]:
            return colour
    return OPERATIONAL


@reads(
    "Incidents per week, by impact",
    "incident_response",
    [
        "started_at",
        "impact",
    ],
    where="NOT is_maintenance",
)
def incidents_per_week(context: Context, section: Section, incidents: list[Row]) -> Section:
    counts: Counter[tuple[dt.date, str]] = Counter(
        (week_of(row["started_at"]), row["impact"] or "unknown") for row in incidents
    )
    impacts = ordered(IMPACT_ORDER, {impact for _, impact in counts})
    figure, axes, weeks = stacked_weekly_bars(
        counts, [(impact, IMPACT_COLOURS.get(impact, OTHER)) for impact in impacts], "impact"
    )
    axes.set_ylabel("incidents (week starting Monday, UTC)")
    axes.set_title("Incidents per week, stacked by impact (maintenance excluded)")
    path = save(figure, [axes], context.folder / "incidents-per-week.png")
    by_impact = Counter(row["impact"] or "unknown" for row in incidents)
    section.lines += [
        f"{len(incidents)} incidents (maintenance excluded) over {len(weeks)} weeks,"
        f" from the week of {weeks[0]} to the week of {weeks[-1]}.",
        "",
    ]
    section.image(path, "incidents per week by impact")
    section.lines += table(["Impact", "Incidents"], [[i, by_impact[i]] for i in impacts])
    return section


@reads(
    "Time to resolve per month: median and p90, with n",
    "incident_resolution_monthly",
    [
        "vendor",
        "page_id",
        "month",
        "incidents_n",
        "resolve_minutes_median",
        "resolve_minutes_p90",
        "resolve_minutes_mean",
    ],
    where="incidents_n > 0",
)
def resolution_monthly(context: Context, section: Section, months: list[Row]) -> Section:
    pages = grouped(months, "vendor", "page_id")
    calendar = month_range(
        min(as_date(row["month"]) for row in months), max(as_date(row["month"]) for row in months)
    )
    figure = new_figure(11, 2.4 * len(pages) + 0.8)
    plots = figure.subplots(len(pages), 1, sharex=True, squeeze=False)[:, 0]
    for axes, ((vendor, page_id), rows) in zip(plots, pages.items(), strict=True):
        for row in rows:
            x = calendar.index(as_date(row["month"]))
            median, p90 = (hours(row[f"resolve_minutes_{q}"]) for q in ("median", "p90"))
            axes.bar(x - 0.2, median, width=0.4, color=series_colour(0))
            axes.bar(x + 0.2, p90, width=0.4, color=series_colour(1))
            axes.text(x, max(median, p90), f"n={row['incidents_n']}", ha="center", va="bottom")
        axes.margins(y=0.15)
        axes.set_ylabel("hours")
        axes.set_title(f"{vendor} page {page_id}", fontsize=9)
    step = max(1, len(calendar) // 12)
    ticks = list(range(0, len(calendar), step))
    plots[-1].set_xticks(ticks, [f"{calendar[i]:%Y-%m}" for i in ticks])
    plots[-1].set_xlim(-0.6, len(calendar) - 0.4)
    figure.legend(
        handles=[
            Patch(color=series_colour(0), label="median"),
            Patch(color=series_colour(1), label="p90"),
        ],
        loc="outside lower center",
        ncols=2,
        frameon=False,
    )
    figure.suptitle("Time from start to resolution of resolved incidents, per month (UTC)")
    path = save(figure, list(plots), context.folder / "resolution-monthly.png")
    section.lines += [
        "Incident durations are heavy-tailed, so the plot shows the median and the 90th"
        " percentile of each month, with its n (resolved incidents) above them.",
        "",
    ]
    section.image(path, "monthly median and p90 time to resolve")
    recent = sorted({as_date(row["month"]) for row in months})[-RECENT_MONTHS:]
    section.lines += [f"The last {len(recent)} months:", ""]
    section.lines += table(
        ["Page", "Month", "n", "Median (min)", "p90 (min)", "Mean (min)"],
        [
            [
                f"{row['vendor']} {row['page_id']}",
                as_date(row["month"]).strftime("%Y-%m"),
                row["incidents_n"],
                minutes(row["resolve_minutes_median"]),
                minutes(row["resolve_minutes_p90"]),
                minutes(row["resolve_minutes_mean"]),
            ]
            for row in sorted(months, key=lambda row: (as_date(row["month"]), row["page_id"]))
            if as_date(row["month"]) in recent
        ],
    )
    return section


STAGES = (
    ("first update", "minutes_to_first_update"),
    ("identified", "minutes_to_identified"),
    ("monitoring", "minutes_to_monitoring"),
    ("resolved", "minutes_to_resolved"),
)


@reads(
    "Incident lifecycle",
    "incident_response",
    [
        "vendor",
        "page_id",
        "incident_id",
        "incident_name",
        "started_at",
        *(column for _, column in STAGES),
    ],
    where="NOT is_maintenance",
)
def incident_lifecycle(context: Context, section: Section, incidents: list[Row]) -> Section:
    # An open incident's lifecycle is unfinished: only resolved ones are drawn.
    resolved = [row for row in incidents if row["minutes_to_resolved"] is not None]
    resolved.sort(key=lambda row: (row["started_at"], row["incident_id"]), reverse=True)
    shown = resolved[:MAX_INCIDENT_ROWS]
    if not shown:
        section.lines.append(f"None of the {len(incidents)} incidents is resolved yet.")
        return section
    figure = new_figure(11, 0.3 * len(shown) + 1.6)
    axes = figure.add_subplot()
    for position, row in enumerate(shown):
        reached = 0.0
        for stage, column in STAGES:
            value = row[column]
            if value is None or value < reached:
                continue
            axes.barh(
                position,
                hours(value) - hours(reached),
                left=hours(reached),
                height=0.7,
                color=STAGE_COLOURS[stage],
            )
            reached = value
    axes.set_yticks(
        range(len(shown)),
        [
            f"{short(row['incident_name'], 38)} ({as_datetime(row['started_at']):%Y-%m-%d})"
            for row in shown
        ],
        fontsize=7,
    )
    axes.set_ylim(len(shown) - 0.5, -0.5)
    axes.set_xlim(left=0)
    axes.set_xlabel("hours since the incident started")
    axes.set_title("Each incident from its start to first update, identified, monitoring, resolved")
    figure.legend(
        handles=[
            Patch(color=colour, label=f"until {stage}") for stage, colour in STAGE_COLOURS.items()
        ],
        loc="outside lower center",
        ncols=4,
        fontsize=8,
        frameon=False,
    )
    path = save(figure, [axes], context.folder / "incident-lifecycle.png")
    section.lines += [
        f"The {len(shown)} most recent of {len(resolved)} resolved incidents (maintenance"
        f" excluded; {len(incidents) - len(resolved)} more are still open); a stage the incident"
        " skipped is left out.",
        "",
    ]
    section.image(path, "per-incident lifecycle")
    section.lines += table(
        [
            "Incident",
            "Started (UTC)",
            "First update (min)",
            "Identified (min)",
            "Monitoring (min)",
            "Resolved (min)",
        ],
        [
            [row["incident_name"], f"{as_datetime(row['started_at']):%Y-%m-%d %H:%M}"]
            + [minutes(row[column]) for _, column in STAGES]
            for row in shown
        ],
    )
    return section


def downtime_heatmap(context: Context) -> Section:
    section = Section("Downtime per component and week")
    mart = "component_uptime_daily"
    last = context.warehouse.max_value(mart, "day")
    if last is None:
        return empty(section, mart)
    last_week = week_of(last)
    first_week = last_week - dt.timedelta(weeks=HEATMAP_WEEKS - 1)
    daily = context.warehouse.rows(
        mart,
        ["vendor", "page_id", "component_id", "component_name", "day", "weighted_downtime_seconds"],
        where=f"day >= {date_literal(first_week)} AND weighted_downtime_seconds > 0",
    )
    weeks = week_range(first_week, last_week)
    downtime: dict[tuple[Any, ...], Counter[dt.date]] = defaultdict(Counter)
    names: dict[tuple[Any, ...], str] = {}
    for row in daily:
        key = (row["vendor"], row["page_id"], row["component_id"])
        downtime[key][week_of(row["day"])] += row["weighted_downtime_seconds"] / 60
        names[key] = row["component_name"] or row["component_id"]
    if not downtime:
        section.lines.append(
            f"No component had downtime in the {HEATMAP_WEEKS} weeks to {as_date(last)}."
        )
        return section
    ranked = sorted(downtime, key=lambda key: (-sum(downtime[key].values()), names[key]))
    shown = ranked[:MAX_HEATMAP_ROWS]
    grid = np.array([[downtime[key][week] for week in weeks] for key in shown])
    figure = new_figure(11, 0.3 * len(shown) + 1.8)
    axes = figure.add_subplot()
    image = axes.imshow(
        np.ma.masked_equal(grid, 0), aspect="auto", cmap="YlOrRd", interpolation="nearest"
    )
    image.cmap.set_bad("#f4f4f4")
    axes.set_yticks(range(len(shown)), [short(names[key], 30) + f" ({key[1]})" for key in shown])
    axes.tick_params(axis="y", labelsize=7)
    week_ticks(axes, weeks)
    axes.set_xlabel("week starting Monday (the page's local days)")
    axes.set_title("Weighted downtime (minutes) per component and week")
    figure.colorbar(image, ax=axes, label="weighted downtime (minutes)")
    path = save(figure, [axes], context.folder / "downtime-heatmap.png")
    section.lines += [
        f"The {len(shown)} of {len(downtime)} components with the most weighted downtime in the"
        f" {HEATMAP_WEEKS} weeks to {as_date(last)} (grey: none that week).",
        "",
    ]
    section.image(path, "downtime heat map")
    section.lines += table(
        ["Component", "Page", "Weighted downtime (min)"],
        [[names[key], key[1], minutes(sum(downtime[key].values()))] for key in shown],
    )
    return section


@reads(
    "Planned vs actual maintenance",
    "maintenance_overrun",
    [
        "vendor",
        "page_id",
        "incident_id",
        "incident_name",
        "scheduled_for",
        "scheduled_minutes",
        "actual_minutes",
        "overrun_minutes",
        "completed_at",
    ],
)
def maintenance(context: Context, section: Section, windows: list[Row]) -> Section:
    done = [row for row in windows if row["actual_minutes"] is not None and row["scheduled_for"]]
    if not done:
        section.lines.append(f"None of the {len(windows)} maintenances has started yet.")
        return section
    done.sort(key=lambda row: (row["scheduled_for"], row["incident_id"]), reverse=True)
    shown = done[:MAX_INCIDENT_ROWS]
    figure = new_figure(11, 0.38 * len(shown) + 1.6)
    axes = figure.add_subplot()
    positions = np.arange(len(shown))
    axes.barh(
        positions - 0.2,
        [hours(row["scheduled_minutes"]) for row in shown],
        height=0.4,
        color=SCHEDULED,
        label="scheduled",
    )
    axes.barh(
        positions + 0.2,
        [hours(row["actual_minutes"]) for row in shown],
        height=0.4,
        color=[PARTIAL_OUTAGE if overran(row) else OPERATIONAL for row in shown],
    )
    axes.set_yticks(
        positions,
        [
            f"{short(row['incident_name'], 38)} ({as_datetime(row['scheduled_for']):%Y-%m-%d})"
            + ("" if row["completed_at"] else " running")
            for row in shown
        ],
        fontsize=7,
    )
    axes.set_ylim(len(shown) - 0.5, -0.5)
    axes.set_xlabel("hours")
    axes.set_title("Scheduled window vs actual duration of each maintenance")
    figure.legend(
        handles=[
            Patch(color=SCHEDULED, label="scheduled"),
            Patch(color=OPERATIONAL, label="actual, within the window"),
            Patch(color=PARTIAL_OUTAGE, label="actual, overran"),
        ],
        loc="outside lower center",
        ncols=3,
        fontsize=8,
        frameon=False,
    )
    path = save(figure, [axes], context.folder / "maintenance.png")
    overruns = [row["overrun_minutes"] for row in done if overran(row)]
    running = sum(1 for row in done if not row["completed_at"])
    summary = (
        f"{len(done)} maintenances started ({running} still running at the end of the data);"
        f" {len(overruns)} overran their window by a minute or more"
    )
    if overruns:
        summary += f", by {minutes(statistics.median(overruns))} minutes at the median"
    section.lines += [summary + f". The plot shows the {len(shown)} most recent.", ""]
    section.image(path, "planned vs actual maintenance")
    section.lines += table(
        ["Maintenance", "Scheduled for (UTC)", "Scheduled (min)", "Actual (min)", "Overrun (min)"],
        [
            [
                row["incident_name"],
                f"{as_datetime(row['scheduled_for']):%Y-%m-%d %H:%M}",
                minutes(row["scheduled_minutes"]),
                minutes(row["actual_minutes"]),
                minutes(row["overrun_minutes"]),
            ]
            for row in shown
        ],
    )
    return section


@reads(
    "Feature-flag changes per environment",
    "flag_changes_weekly",
    [
        "environment_name",
        "week_start",
        "change_count",
    ],
)
def flag_changes(context: Context, section: Section, changes: list[Row]) -> Section:
    counts: Counter[tuple[dt.date, str]] = Counter()
    for row in changes:
        counts[as_date(row["week_start"]), environment(row)] += row["change_count"]
    totals = Counter({name: 0 for _, name in counts})
    for (_, name), count in counts.items():
        totals[name] += count
    names = sorted(totals, key=lambda name: (-totals[name], name))
    figure, axes, weeks = stacked_weekly_bars(
        counts, [(name, series_colour(i)) for i, name in enumerate(names)], "environment"
    )
    axes.set_ylabel("changes per week")
    axes.set_title("Audit-log changes of feature flags per week, by environment")
    path = save(figure, [axes], context.folder / "flag-changes.png")
    section.lines += [
        f"{sum(totals.values())} changes over {len(weeks)} weeks, from the week of {weeks[0]}.",
        "",
    ]
    section.image(path, "flag changes per environment")
    section.lines += table(["Environment", "Changes"], [[name, totals[name]] for name in names])
    return section


def stacked_weekly_bars(
    counts: Counter[tuple[dt.date, str]], series: Sequence[tuple[str, str]], legend_title: str
) -> tuple[Figure, Axes, list[dt.date]]:
    """Bars per week from the first to the last week of `counts`, one stacked colour per series."""
    weeks = week_range(min(week for week, _ in counts), max(week for week, _ in counts))
    figure = new_figure(11, 4)
    axes = figure.add_subplot()
    bottom = np.zeros(len(weeks))
    for name, colour in series:
        heights = np.array([counts[week, name] for week in weeks], dtype=float)
        axes.bar(np.arange(len(weeks)), heights, bottom=bottom, width=0.85, color=colour)
        bottom += heights
    week_ticks(axes, weeks)
    figure.legend(
        handles=[Patch(color=colour, label=name) for name, colour in series],
        loc="outside right upper",
        title=legend_title,
        fontsize=8,
        frameon=False,
    )
    return figure, axes, weeks


def overran(row: Row) -> bool:
    """Longer than scheduled by a minute or more: less is the clocks' noise, not an overrun."""
    return (row["overrun_minutes"] or 0) >= OVERRUN_TOLERANCE_MINUTES


def environment(row: Row) -> str:
    return str(row["environment_name"]) if row["environment_name"] else "(no single environment)"


@reads(
    "Stale feature flags",
    "flag_staleness",
    [
        "product_id",
        "setting_key",
        "stale_environment_count",
        "environment_count",
        "oldest_change_days",
        "is_stale",
    ],
)
def stale_flags(context: Context, section: Section, flags: list[Row]) -> Section:
    aged = [row for row in flags if row["oldest_change_days"] is not None]
    stale = [row for row in flags if row["is_stale"]]
    figure = new_figure(11, 4)
    axes = figure.add_subplot()
    ages = [
        [float(row["oldest_change_days"]) for row in aged if bool(row["is_stale"]) is stale_flag]
        for stale_flag in (False, True)
    ]
    axes.hist(
        ages,
        bins=30,
        stacked=True,
        color=[OPERATIONAL, MAJOR_OUTAGE],
        label=["not stale", "stale"],
    )
    axes.set_xlabel("days since the oldest last value change over the flag's environments")
    axes.set_ylabel("flags")
    axes.set_title("Age of feature flags' values, stale ones stacked on top of the rest")
    figure.legend(loc="outside right upper", frameon=False)
    path = save(figure, [axes], context.folder / "stale-flags.png")
    section.lines += [
        f"{len(stale)} of {len(flags)} flags are stale by ConfigCat's criterion (the age of the"
        " last value change in their environments against the threshold in days).",
        "",
    ]
    section.image(path, "stale-flag age")
    stale.sort(key=lambda row: (-(row["oldest_change_days"] or 0), row["setting_key"]))
    section.lines += table(
        ["Flag", "Product", "Days since change", "Stale environments"],
        [
            [
                row["setting_key"],
                row["product_id"],
                minutes(row["oldest_change_days"]),
                f"{row['stale_environment_count']} of {row['environment_count']}",
            ]
            for row in stale[:MAX_STALE_ROWS]
        ],
    )
    if len(stale) > MAX_STALE_ROWS:
        section.lines += [f"... and {len(stale) - MAX_STALE_ROWS} more.", ""]
    return section


@reads(
    "Rebuilt uptime vs Statuspage's own figures",
    "uptime_reconciliation",
    [
        "page_id",
        "component_id",
        "range_start",
        "rebuilt_major_seconds",
        "rebuilt_partial_seconds",
        "rebuilt_uptime_pct",
        "reported_major_seconds",
        "reported_partial_seconds",
        "reported_uptime_pct",
        "uptime_pct_difference",
        "is_exact",
    ],
)
def reconciliation(context: Context, section: Section, rows: list[Row]) -> Section:
    compared = [row for row in rows if row["rebuilt_uptime_pct"] is not None]
    exact = sum(1 for row in compared if row["is_exact"])
    section.lines += [
        f"Statuspage reported {len(rows)} component-months; {len(compared)} of them lie within"
        f" the loaded data and were rebuilt, and {exact} of those equal the endpoint's figures"
        " exactly (outage seconds and uptime).",
        "",
    ]
    if not compared:
        return section
    largest_points = max(abs(row["uptime_pct_difference"] or 0) for row in compared)
    largest_seconds = max(map(seconds_difference, compared))
    section.lines += [
        f"Largest difference: {largest_points:.2f} points of uptime,"
        f" {largest_seconds:.0f} s of outage (major or partial).",
        "",
    ]
    differing = sorted(
        (row for row in compared if not row["is_exact"]),
        key=lambda row: (-seconds_difference(row), row["page_id"], row["component_id"]),
    )[:RECONCILIATION_ROWS]
    if differing:
        section.lines += [f"The {len(differing)} component-months that differ most:", ""]
        section.lines += table(
            [
                "Page",
                "Component",
                "Month",
                "Major (s) rebuilt / reported",
                "Partial (s) rebuilt / reported",
                "Uptime rebuilt / reported",
            ],
            [
                [
                    row["page_id"],
                    row["component_id"],
                    f"{as_date(row['range_start']):%Y-%m}",
                    f"{row['rebuilt_major_seconds']} / {row['reported_major_seconds']}",
                    f"{row['rebuilt_partial_seconds']} / {row['reported_partial_seconds']}",
                    f"{percent(row['rebuilt_uptime_pct'])} / {percent(row['reported_uptime_pct'])}",
                ]
                for row in differing
            ],
        )
    return section


def seconds_difference(row: Row) -> float:
    """The larger gap between rebuilt and reported outage seconds, major or partial."""
    return max(
        abs(
            float(row[f"rebuilt_{kind}_seconds"] or 0) - float(row[f"reported_{kind}_seconds"] or 0)
        )
        for kind in ("major", "partial")
    )


SECTIONS: tuple[SectionBuilder, ...] = (
    uptime_bars,
    incidents_per_week,
    resolution_monthly,
    incident_lifecycle,
    downtime_heatmap,
    maintenance,
    flag_changes,
    stale_flags,
    reconciliation,
)


def grouped(rows: Iterable[Row], *columns: str) -> dict[tuple[Any, ...], list[Row]]:
    """Rows grouped by `columns`, groups in sorted order."""
    groups: dict[tuple[Any, ...], list[Row]] = defaultdict(list)
    for row in rows:
        groups[tuple(row[column] for column in columns)].append(row)
    return dict(sorted(groups.items(), key=lambda item: tuple(map(str, item[0]))))


def ordered(known: Sequence[str], found: set[str]) -> list[str]:
    """`found` in the order of `known`, then the unknown values sorted."""
    return [value for value in known if value in found] + sorted(found - set(known))


def table(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> list[str]:
    """A Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(value) for value in row) + " |" for row in rows]
    return [*lines, ""]


def cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return text.replace("|", "\\|").replace("\n", " ")


def as_date(value: Any) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else dt.date.fromisoformat(str(value))


def as_datetime(value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.combine(as_date(value), dt.time())


def week_of(value: Any) -> dt.date:
    """The Monday starting the week of `value`."""
    day = as_date(value)
    return day - dt.timedelta(days=day.weekday())


def week_range(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(weeks=i) for i in range((last - first).days // 7 + 1)]


def week_ticks(axes: Axes, weeks: Sequence[dt.date]) -> None:
    """About a dozen of the weeks' Mondays as labels of an axis of week indexes."""
    step = max(1, len(weeks) // 12)
    ticks = list(range(0, len(weeks), step))
    axes.set_xticks(ticks, [f"{weeks[i]:%Y-%m-%d}" for i in ticks], rotation=60, fontsize=7)


def month_range(first: dt.date, last: dt.date) -> list[dt.date]:
    """The first days of the months from `first`'s to `last`'s."""
    months = [first.replace(day=1)]
    while months[-1] < last.replace(day=1):
        following = months[-1] + dt.timedelta(days=32)
        months.append(following.replace(day=1))
    return months


def period_days(start: Any, end: Any) -> list[dt.date]:
    """The days of a period, its last day included."""
    first, last = as_date(start), as_date(end)
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def uptime_key(value: float | None) -> float:
    return 101.0 if value is None else value


def percent(value: float | None) -> str:
    """An uptime as a status page prints it: two decimals."""
    return "no data" if value is None else f"{value:.2f} %"


def minutes(value: float | None) -> str:
    return "" if value is None else f"{value:.0f}"


def hours(value: float | None) -> float:
    return 0.0 if value is None else value / 60


def short(text: Any, length: int) -> str:
    plain = str(text or "")
    return plain if len(plain) <= length else plain[: length - 1] + "…"


def slug(*parts: Any) -> str:
    return re.sub(r"[^a-z0-9]+", "-", "-".join(map(str, parts)).lower()).strip("-")
