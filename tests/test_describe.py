"""A chart's description for assistive technology (decarb.describe) from tiny frames built here, and the same text in
the PowerPoint deck's speaker notes and the offline HTML deck's alt text, on the real data."""

from __future__ import annotations

import html
import io

import numpy as np
import pandas as pd
import pytest
from pptx import Presentation

from decarb.describe import alt_text, describe
from decarb.metrics import progress


def lines(values: dict[int, float], pathway: dict[int, float] | None = None, series: str = "Members") -> pd.DataFrame:
    rows = [{"series": series, "kind": "observed", "year": y, "value": v, "unit": "Mt CO2e"} for y, v in values.items()]
    rows += [
        {"series": series, "kind": "pathway", "year": y, "value": v, "unit": "Mt CO2e"}
        for y, v in (pathway or {}).items()
    ]
    return pd.DataFrame(rows)


def test_a_line_against_its_pathway_gives_latest_value_change_since_the_pathway_start_and_status():
    observed = {2013: 90.0, 2015: 100.0, 2016: 98.0, 2017: 97.0, 2018: 95.0, 2019: 94.0, 2020: 80.0}
    data = lines(observed, pathway={2015: 100.0, 2050: 0.0})
    text = describe(data)
    expected_status = progress(pd.Series(observed), 2050, since_year=2015)["status"]
    assert "Lines over time, 2013 to 2020: Members with the pathway to net zero." in text
    assert "Members: 80 Mt CO2e in 2020, -20.0% since 2015" in text
    assert text.endswith(f"status against net zero in 2050: {expected_status}.")


def test_without_a_pathway_the_change_is_since_the_first_value_and_no_status_is_claimed():
    data = pd.concat([lines({2000: 50.0, 2010: 75.5}), lines({2000: 1.0, 2010: 2.0}, series="Other")])
    text = describe(data)
    assert text == "Lines over time, 2000 to 2010: Members, Other. Members: 75.5 Mt CO2e in 2010, +51.0% since 2000."
    assert "status" not in text


def test_many_series_are_counted_and_a_single_point_has_no_change():
    data = pd.concat([lines({2020: 5.0}, series=f"S{i}") for i in range(5)])
    assert describe(data) == "Lines over time, 2020 to 2020: S0, S1, S2 and 2 more. S0: 5 Mt CO2e in 2020."


def test_a_base_year_the_line_does_not_reach_is_said_not_guessed():
    text = describe(lines({2018: 10.0, 2020: 8.0}, pathway={2015: 10.0, 2050: 0.0}))
    assert "no change to give since 2015" in text and "%" not in text


def test_ranked_rows_give_how_many_the_highest_and_lowest_and_the_statuses():
    data = pd.DataFrame(
        {
            "label": ["<b>India</b>", "Japan", "Chile"],
            "value": [3.1, -4.1, np.nan],
            "status": ["wrong direction", "on track", "not assessed"],
            "year": [2023, 2023, 2023],
            "unit": "Mt CO2e",
        }
    )
    assert describe(data) == (
        "2 values in 2023: highest India 3.1 Mt CO2e, lowest Japan -4.1 Mt CO2e. "
        "Status: 1 wrong direction, 1 on track, 1 not assessed."
    )


def test_required_and_observed_rates_rank_the_observed_and_say_the_need_once():
    data = pd.DataFrame(
        {
            "label": ["A", "A", "B", "B"],
            "measure": ["required", "observed", "required", "observed"],
            "value": [-3.7, -1.0, -3.7, 2.0],
            "unit": "% per year",
        }
    )
    assert describe(data) == "2 values: highest B 2 % per year, lowest A -1 % per year. Needed: -3.7 % per year."


def test_categories_without_values_are_counted():
    data = pd.DataFrame({"area_name": ["X", "Y", "Z"], "category": ["Confirmed", "Confirmed", "Unverified"]})
    assert describe(data) == "3 rows: Confirmed 2, Unverified 1."


def test_dates_read_as_dates_and_an_empty_chart_says_so():
    data = pd.DataFrame(
        {
            "series": "Countries",
            "kind": "named",
            "date": pd.to_datetime(["2019-09-23", "2024-06-25"]),
            "value": [11, 14],
        }
    )
    assert "Countries: 14 on 2024-06-25, +27.3% since 2019-09-23." in describe(data)
    assert describe(data.iloc[0:0]) == "No data for this selection."


def test_the_alt_text_is_the_title_then_the_description():
    data = lines({2000: 1.0, 2001: 2.0})
    assert alt_text("<b>Emissions</b>.", data) == f"Emissions. {describe(data)}"


def test_the_decks_notes_and_the_html_alt_text_carry_each_charts_description(ds):
    from decarb.briefing import build_deck
    from decarb.briefing.html import deck_html
    from decarb.briefing.pptx import deck_pptx
    from decarb.view import View

    deck = build_deck(ds, View())
    prs = Presentation(io.BytesIO(deck_pptx(deck)))
    page = deck_html(deck)
    for index, slide in enumerate(deck.slides):
        assert slide.alt.startswith(f"{slide.title}. ") and slide.alt == alt_text(slide.title, slide.table)
        notes = prs.slides[index + 1].notes_slide.notes_text_frame.text
        assert f"Chart (as a screen reader reads it): {slide.alt}" in notes
        frames = [shape for shape in prs.slides[index + 1].shapes if shape.has_chart]
        assert [f._element.nvGraphicFramePr.cNvPr.get("descr") for f in frames] == [slide.alt]
        assert f'role="img" aria-label="{html.escape(slide.alt)}"' in page


@pytest.mark.parametrize("title", ["A title", "A title."])
def test_one_full_stop_after_the_title(title):
    assert alt_text(title, pd.DataFrame()).startswith("A title. No data")


def test_bars_stacked_by_technology_and_plants_on_a_map_are_described():
    """The Steel page's capacity bars (a row and a technology per bar part) and plant map (a capacity per plant)."""
    bars = pd.DataFrame(
        {
            "row": ["Steel: operating", "Steel: operating"],
            "technology_label": ["Oxygen furnace (BOF)", "Electric arc (EAF)"],
            "value": [3.0, 1.5],
            "unit": "Mt a year",
        }
    )
    assert describe(bars) == (
        "2 values: highest Steel: operating, Oxygen furnace (BOF) 3 Mt a year, "
        "lowest Steel: operating, Electric arc (EAF) 1.5 Mt a year."
    )
    plants = pd.DataFrame({"plant_name": ["A", "B", "C"], "capacity_mt": [2.0, 0.5, 1.0], "unit": "Mt a year"})
    assert describe(plants) == "3 values: highest A 2 Mt a year, lowest B 0.5 Mt a year."
