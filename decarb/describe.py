"""What a screen reader says about a chart: its title as the name, then a short description generated from exactly
the data it plots (a Chart's or a slide's tidy table): what it shows, the latest value with its year, the change
and, where the chart draws a pathway to net zero, the status by the published rule (decarb.metrics).

Pure: the pages give the text to the chart's figure element (decarb.ui.widgets.chart), the PowerPoint deck puts it
in the chart slide's speaker notes and the offline HTML deck uses it as the chart's alt text, so the three say the
same. Where the data cannot answer (no value, one year only), the text says so rather than guess.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from decarb.metrics import progress

MAX_NAMED = 3  # series or rows named in the opening sentence; the rest are counted
_TAG = re.compile(r"<[^>]+>")


def _number(value: float, unit: str = "") -> str:
    digits = 0 if float(value).is_integer() else 1  # counts read as counts
    return f"{value:,.{digits}f}{f' {unit}' if unit else ''}"


def _names(names: list[str]) -> str:
    shown = ", ".join(names[:MAX_NAMED])
    return shown + (f" and {len(names) - MAX_NAMED} more" if len(names) > MAX_NAMED else "")


def _plain(text: object) -> str:
    return _TAG.sub("", str(text)).strip()


def _unit(data: pd.DataFrame) -> str:
    units = data["unit"].dropna().unique() if "unit" in data else []
    return str(units[0]) if len(units) == 1 else ""


def _over_time(data: pd.DataFrame, when: str) -> str:
    """Series over years or dates: the first series' latest value, its change since the pathway's start (or its
    first value) and, with a pathway drawn, the status; the others named."""
    unit = _unit(data)
    kinds = data["kind"] if "kind" in data else pd.Series("observed", index=data.index)
    observed = data[kinds.isin(["observed", "named", "reported"])].dropna(subset=["value"])
    if observed.empty:
        return "No data for this selection."
    order = list(dict.fromkeys(observed["series"].tolist()))
    first = order[0]
    rows = observed[observed["series"] == first].sort_values(when)
    drawn = [
        w
        for k, w in (("pathway", "the pathway to net zero"), ("projection", "the current trend"))
        if (kinds == k).any()
    ]
    span = f"{_when(rows[when].iloc[0])} to {_when(rows[when].iloc[-1])}"
    also = f" with {' and '.join(drawn)}" if drawn else ""
    parts = [f"Lines over time, {span}: {_names([_plain(s) for s in order])}{also}."]
    at = "in" if when == "year" else "on"
    latest = f"{_plain(first)}: {_number(float(rows['value'].iloc[-1]), unit)} {at} {_when(rows[when].iloc[-1])}"
    # The pathway of the first series (the slides draw one pathway under a series name of its own).
    pathways = data[(kinds == "pathway")].dropna(subset=["value"])
    pathway = pathways[pathways["series"] == first] if (pathways["series"] == first).any() else pathways
    base = int(pathway["year"].min()) if not pathway.empty else None
    start = rows[rows[when] == base] if base is not None else rows.iloc[:1]
    if len(rows) < 2 or start.empty or float(start["value"].iloc[0]) == 0:
        latest += f"; no change to give since {base}" if base is not None else ""
    else:
        change = 100 * (float(rows["value"].iloc[-1]) / float(start["value"].iloc[0]) - 1)
        latest += f", {change:+.1f}% since {_when(start[when].iloc[0])}"
    if base is not None:
        series = pd.Series(rows["value"].to_numpy(dtype=float), index=rows["year"].astype(int).to_numpy())
        target = int(pathway["year"].max())
        latest += f"; status against net zero in {target}: {progress(series, target, since_year=base)['status']}"
    return " ".join([*parts, latest + "."])


def _when(value: object) -> str:
    return str(pd.Timestamp(value).date()) if isinstance(value, pd.Timestamp | np.datetime64) else str(value)


LABELS = ("label", "area_name", "category", "plant_name")
VALUES = ("value", "observed_rate_pct", "change", "latest_value", "capacity_mt")


def _by_row(data: pd.DataFrame) -> str:
    """One value per row (rankings, bars, maps): how many rows, the highest and the lowest, and the statuses."""
    if {"row", "technology_label"} <= set(data):  # bars stacked by technology within a row (steel capacity)
        data = data.assign(label=data["row"].astype(str) + ", " + data["technology_label"].astype(str))
    label = next((c for c in LABELS if c in data), None)
    value = next((c for c in VALUES if c in data and pd.api.types.is_numeric_dtype(data[c])), None)
    if label is None:
        return "No data for this selection."
    needed = ""
    if "measure" in data:  # required and observed rates side by side: the observed ones ranked, the need said once
        required = data.loc[data["measure"] == "required", "value"].dropna().unique()
        needed = f" Needed: {_number(float(required[0]), '% per year')}." if len(required) == 1 else ""
        data = data[data["measure"] == "observed"]
    if {"category", "status"} <= set(data):  # counts stacked by status within a category
        data = data.assign(category=data["category"].astype(str) + " (" + data["status"].astype(str) + ")")
        label = "category"
    year = f" in {int(data['year'].max())}" if "year" in data and data["year"].notna().any() else ""
    parts = []
    if value is not None and data[value].notna().any():
        unit = _unit(data) if value != "observed_rate_pct" else "% per year"
        ranked = data.dropna(subset=[value]).sort_values(value, ascending=False)
        top, bottom = ranked.iloc[0], ranked.iloc[-1]
        parts.append(
            f"{len(ranked)} values{year}: highest {_plain(top[label])} {_number(float(top[value]), unit)}, "
            f"lowest {_plain(bottom[label])} {_number(float(bottom[value]), unit)}."
        )
    else:
        counts = data["category" if "category" in data else label].astype(str).value_counts(sort=False)
        parts.append(f"{len(data)} rows{year}: " + ", ".join(f"{k} {v}" for k, v in counts.items()) + ".")
    if "status" in data and label != "category":
        statuses = data["status"].astype(str).value_counts()
        parts.append("Status: " + ", ".join(f"{n} {s}" for s, n in statuses.items()) + ".")
    return " ".join(parts) + needed


def describe(data: pd.DataFrame) -> str:
    """The description of a chart from the tidy table it plots."""
    if data.empty:
        return "No data for this selection."
    if {"series", "value"} <= set(data) and ("year" in data or "date" in data):
        return _over_time(data, "year" if "year" in data else "date")
    return _by_row(data)


def alt_text(title: str, data: pd.DataFrame) -> str:
    """The chart's name and description as one text: Streamlit gives a chart one label (its `alt`, the figure's
    aria-label), and the slides' notes and the HTML deck's alt text read the same."""
    return f"{_plain(title).rstrip('.')}. {describe(data)}"
