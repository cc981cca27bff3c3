"""Industries: one industry across countries and sources, members against the pathway, sources compared."""

import streamlit as st

from decarb import ui
from decarb.contract import GAS_SETS, SOURCE_LABELS, UNFCCC
from decarb.industries import industry_labels
from decarb.screens import industries as screen
from decarb.screens import shared
from decarb.screens import steel as steel_screen
from decarb.ui.state import claim
from decarb.view import industry_source_choice

ui.run_through_entrypoint()

ds = ui.dataset_or_stop()
view = ui.current_view()
industries = industry_labels()
countries = ui.cached(screen.country_options, ds)
names = ui.cached(shared.country_names, ds)

st.title("Industries")
left, middle, right = st.columns(3)
industry = str(
    ui.choose(ui.Choice("industry", "Industry", tuple(industries), screen.DEFAULT_INDUSTRY, industries), where=left)
)
source = str(ui.choose(industry_source_choice(), where=middle))

st.header("Members against the pathway to net zero")
pathway = ui.cached(screen.member_pathway, ds, view, source, industry)
p = pathway.progress
ui.headline(
    [
        (
            f"Members' {shared.sector_label(industry).lower()} {p['latest_year']}",
            f"{shared.number_text(p['latest_value'], 1)} {p['unit']}",
            None,
        ),
        (f"Change since {p['since_year']}", shared.number_text(p["change_since_pct"], 1, "%", signed=True), None),
        (
            "Status",
            str(p["status"]).capitalize(),
            f"Observed {shared.number_text(p['observed_rate_pct'], 1, '%/yr')} against required "
            f"{shared.number_text(p['required_rate_pct'], 1, '%/yr')} (status rule in Data and method).",
        ),
    ]
)
st.info(pathway.coverage)
ui.chart(pathway.chart, key="members")

# One of the three views at a time: each is a chart or two, and drawing all of them made every rerun 3x slower.
shown = ui.choose(ui.Choice("show", "Show", tuple(screen.SECTIONS), "ranking", screen.SECTIONS), widget="segmented")
# The country is drawn (top right) only for the views that use it: its 200-odd options would be a third of a
# ranking rerun's page content; the ranking view leaves its value in the link for the other views.
if shown == "ranking":
    claim("area")
else:
    country = str(ui.choose(ui.Choice("area", "Country", countries, screen.DEFAULT_COUNTRY, names), where=right))
steel = screen.steel_link(
    industry, None if shown == "ranking" else country, ui.cached(steel_screen.countries_with_plants, ds), names
)
if steel is not None:
    st.page_link("pages/steel.py", label=steel[0], query_params=steel[1])
if shown == "ranking":
    ranking = ui.cached(screen.industry_ranking, ds, view, source, industry)
    if ranking is None:
        st.info(f"{SOURCE_LABELS[source]} has no country data for this industry.")
    else:
        ui.chart(ranking, key="ranking")
elif shown == "country":
    ui.chart(ui.cached(screen.country_industries, ds, source, country), key="country")
    if source == UNFCCC:
        parts = ui.cached(screen.fuel_process_chart, ds, country, industry)
        if parts is None:
            st.info(f"{names.get(country, country)} reports no fuel or process part for this industry to the UNFCCC.")
        else:
            ui.chart(parts, key="fuel_process")
else:
    gas_set = ui.choose(
        ui.Choice(
            "gases",
            "Gases",
            tuple(GAS_SETS),
            "all_ghg",
            GAS_SETS,
            help="CO2 only takes the sources' different GWPs out of the comparison.",
        ),
        widget="radio",
    )
    ui.chart(ui.cached(screen.sources_chart, ds, country, industry, gas_set), key="sources")
    table, info = ui.cached(screen.comparison_table, ds, country, industry, gas_set)
    if len(table):
        st.caption(
            f"Each source's value in {info['year']}, the latest year they share, and its difference from "
            f"{table['Series'].iloc[0].split(':')[0]} (the first row), in its unit. The CSV adds each source's "
            "full label and scope."
        )
        ui.table(
            table,
            key="compare",
            name=f"sources-compared-{country}-{industry}-{gas_set}",
            column_config=screen.COMPARISON_COLUMNS,
        )
    st.caption(info["note"])
