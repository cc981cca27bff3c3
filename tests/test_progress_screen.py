"""Progress in words (issue 11 item 8), on the real data: the intro, the windows on each row, column help, no empty
cell without a reason, the row order, and status tags that look different."""

from __future__ import annotations

import itertools
import math
import re
import unicodedata

import pandas as pd
import pytest

from decarb import metrics, theme
from decarb.contract import HEAVY_INDUSTRY
from decarb.metrics import STATUS_RULE, STATUSES
from decarb.render import layout
from decarb.render.draw import draw
from decarb.screens import progress as screen
from decarb.selection import series
from decarb.view import View


def table_for(ds, view: View, areas: str = "groups_members", sector: str = HEAVY_INDUSTRY) -> pd.DataFrame:
    board = screen.scoreboard_for(ds, view)
    return screen.progress_view(board, view, (sector,), areas, STATUSES).table


def test_the_intro_says_what_the_page_shows_in_words():
    view = View()
    text = screen.intro(view)
    assert "ratio =" not in text and "ratio =" in STATUS_RULE  # the formula is folded below, not the intro
    assert f"net zero in {view.target_year}" in text
    for status in STATUSES:
        assert f"**{status}**" in text.lower()


def test_a_row_names_the_window_of_its_trend_beside_the_change_since_the_base_year(ds):
    """South Korea fell since 2015 but rose over its trend years: the row shows both windows."""
    view = View()
    table = table_for(ds, view).set_index("Code")
    korea = table.loc["KOR"]
    expected = metrics.progress(series(ds, "edgar", ["KOR"], HEAVY_INDUSTRY), since_year=view.base_year)
    assert korea[f"Change since {view.base_year} (%)"] == pytest.approx(expected["change_since_pct"])
    assert korea["Trend (%/yr)"] == pytest.approx(expected["observed_rate_pct"])
    assert korea["Trend years"] == f"{expected['window_start']}-{expected['latest_year']}"
    assert korea[f"Change since {view.base_year} (%)"] < 0 < korea["Trend (%/yr)"]  # the case that looked wrong
    assert korea["Status"] == metrics.WRONG_DIRECTION
    assert korea["Net zero at trend"] == "none while rising"


def test_every_shown_column_has_help_and_machine_columns_are_hidden(ds):
    view = View()
    table = table_for(ds, view)
    shown = [c for c in table.columns if c not in screen.hidden_columns(table)]
    helps = screen.column_help(view.base_year, view.target_year)
    assert set(shown) - {"Area", "Sector", "Unit"} <= set(helps)
    assert not {"Code", "Sector code", "Licence", screen.NOTE} & set(shown)  # no note needed on EDGAR's default
    assert len(shown) <= 13
    assert "Trend ÷ needed" in helps and "on track" in helps["Trend ÷ needed"]
    line = screen.table_source(table)
    assert table["Source"].iloc[0] in line and table["Licence"].iloc[0] in line


@pytest.mark.parametrize(("source", "sector"), [("owid", "cement_process"), ("climate_trace", HEAVY_INDUSTRY)])
def test_every_empty_cell_has_a_reason_in_words(ds, source, sector):
    table = table_for(ds, View(source=source), "all", sector)
    numbers = table[["Trend (%/yr)", "Needed (%/yr)", "Trend ÷ needed", f"Change since {2015} (%)"]]
    gaps = numbers.isna().any(axis=1)
    assert gaps.sum() > 0  # these sources have such rows
    assert (table.loc[gaps, screen.NOTE].str.len() > 0).all()
    assert (table.loc[~gaps, screen.NOTE] == "").all()
    assert table["Net zero at trend"].notna().all() and (table["Net zero at trend"] != "<NA>").all()
    assert screen.NOTE not in screen.hidden_columns(table)


def test_everything_lists_member_countries_then_other_countries_by_name_then_the_rest(ds):
    view = View()
    table = table_for(ds, view, "all")
    board = screen.scoreboard_for(ds, view).drop_duplicates("iso3").set_index("iso3")
    kind = board.loc[table["Code"], "area_kind"].to_numpy()
    member_country = (kind == "country") & table["Member"].to_numpy()
    other_country = (kind == "country") & ~table["Member"].to_numpy()
    n_members, n_others = int(member_country.sum()), int(other_country.sum())
    assert member_country[:n_members].all() and other_country[n_members : n_members + n_others].all()
    assert not (kind[n_members + n_others :] == "country").any()  # aggregates and groups last
    names = table["Area"].tolist()
    assert names[:n_members] == sorted(names[:n_members], key=plain)
    assert names[n_members : n_members + n_others] == sorted(names[n_members : n_members + n_others], key=plain)
    assert "International aviation" in names[n_members + n_others :]


def plain(name: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).casefold()


def test_names_with_accents_sort_with_their_letter(ds):
    names = table_for(ds, View(source="climate_trace"), "countries")["Area"].tolist()
    assert names.index("Åland Islands") < names.index("Albania")


def _lab(hex_colour: str, over: str, alpha: float) -> tuple[float, float, float]:
    """CIELAB of `hex_colour` at `alpha` over the background `over` (the tag's tint)."""

    def rgb(h: str) -> list[float]:
        return [int(h.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]

    mixed = [alpha * c + (1 - alpha) * b for c, b in zip(rgb(hex_colour), rgb(over), strict=True)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in mixed]
    x = (0.4124 * lin[0] + 0.3576 * lin[1] + 0.1805 * lin[2]) / 0.95047
    y = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    z = (0.0193 * lin[0] + 0.1192 * lin[1] + 0.9505 * lin[2]) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


@pytest.mark.parametrize("background", ["light", "dark"])
def test_status_tags_differ_from_each_other_in_both_themes(background):
    """The table tints each tag at 25 % (hex alpha 40): off track and wrong direction were 7.7 apart in CIELAB on
    white (ochre and vermillion); every pair is now at least as far apart as green and grey (15)."""
    over = theme.BACKGROUNDS[background]
    for (a, ca), (b, cb) in itertools.combinations(theme.STATUS_COLOURS.items(), 2):
        distance = math.dist(_lab(ca, over, 0x40 / 255), _lab(cb, over, 0x40 / 255))
        assert distance >= 14, (a, b, distance)
    off, wrong = (theme.STATUS_COLOURS[s] for s in (metrics.OFF_TRACK, metrics.WRONG_DIRECTION))
    assert math.dist(_lab(off, over, 0x40 / 255), _lab(wrong, over, 0x40 / 255)) >= 18


def test_the_page_shows_the_intro_the_folded_rule_and_the_table_whole(ds):
    from test_app_pages import run

    at = run("pages/progress.py")
    texts = " ".join(m.value for m in at.markdown)
    assert "Is each area cutting its emissions fast enough" in texts
    assert at.expander[0].label == "How the status is decided"
    assert STATUS_RULE in " ".join(m.value for m in at.expander[0].markdown)
    assert STATUS_RULE not in " ".join(c.value for c in at.caption)
    table = at.dataframe[0].value
    assert table["Area"].tolist()[:2] == ["Argentina", "Austria"] and table["Area"].iloc[-1] == "Non-members"
    assert len(table) <= screen.ROWS_IN_FULL  # shown whole, without scrolling inside the table


def test_the_table_fits_and_the_rest_is_in_the_detail_view(ds):
    """Brief s4 item 4: at 1280x800 the scoreboard scrolled sideways; the detail columns, one sector and one unit
    leave the table (the CSV keeps every column) and are named in the detail view and the caption."""
    view = View()
    table = table_for(ds, view)
    hidden = screen.hidden_columns(table)
    shown = [c for c in table.columns if c not in hidden]
    assert not set(screen.DETAIL_COLUMNS) & set(shown) and {"Sector", "Unit"} <= set(hidden)
    assert len(shown) <= 8
    detail = screen.detail_table(table)
    assert list(detail.columns) == ["Area", "Sector", *screen.DETAIL_COLUMNS] and len(detail) == len(table)
    unit = table["Unit"].iloc[0]
    assert f"{len(table)} rows; sector: Heavy industry; latest values in {unit}." in screen.table_caption(table)


@pytest.mark.parametrize(
    ("sectors", "areas", "limit"),
    [
        (("heavy_industry", "total"), "groups_members", None),  # 38 rows: all drawn
        (("heavy_industry", "total"), "groups_members", 30),  # the 8 beyond the limit named
        (("heavy_industry",), "all", None),  # every country: the rows beyond counted, some named
    ],
)
def test_rate_chart_draws_every_row_or_names_the_missing_and_gives_each_label_room(ds, sectors, areas, limit):
    from decarb.metrics import STATUSES
    from decarb.screens import progress as screen
    from decarb.view import View

    view = View()
    table = screen.progress_view(screen.scoreboard_for(ds, view), view, sectors, areas, STATUSES).table
    chart = screen.rate_figure(table, view) if limit is None else screen.rate_figure(table, view, limit)
    drawn = chart.data["label"].nunique()
    rated = table.dropna(subset=["Trend (%/yr)", "Needed (%/yr)"])
    expected = min(len(rated), limit or screen.RATE_ROWS)
    assert drawn == expected
    subtitle = draw(chart).fig.layout.title.subtitle.text.replace("<br>", " ")
    if drawn == len(table):
        assert "every row of the table" in subtitle
    else:
        assert f"{drawn} of the table's {len(table)} rows; not drawn: " in subtitle
        left = table.drop(index=rated.sort_values("Latest value", ascending=False).head(expected).index)
        named = [f"{a} ({s.split(' (')[0].lower()})" for a, s in zip(left["Area"], left["Sector"], strict=True)]
        flat = " ".join(subtitle.split())
        counted = sum(int(n) for n in re.findall(r"and (\d+) more \(all in the table\)", flat))
        assert sum(name in flat for name in named) + counted == len(left)
    ticks = draw(chart).fig.data[0].y
    margin = draw(chart).fig.layout.margin
    room = (draw(chart).fig.layout.height - margin.t - margin.b) / len(set(ticks))
    tallest = max(str(t).count("<br>") + 1 for t in ticks)
    assert room >= (tallest + 1) * layout.ROW_LINE_PX, (room, tallest)  # a line of space between rows
