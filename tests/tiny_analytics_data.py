"""A tiny Dataset built in code for the analytics tests: every number here is chosen so results are hand-checkable.

Areas: AAA (EU27, G20), BBB (EU27), CCC (G20), bunker SEA, aggregates WLD and EU27 (a G20 member).
EDGAR-like rows for AAA/BBB/CCC/SEA plus EDGAR's own WLD (= their sum) and EU27 totals; Climate TRACE-like
'manufacturing' rows with gas 'ghg' only. Members: AAA confirmed (joined 2019-09-23), CCC confirmed (date
unknown), BBB unverified (date unknown), one company.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from decarb.data import Dataset
from decarb.provenance import Manifest

YEARS = list(range(2018, 2024))


def _rows(
    source: str,
    iso3: str,
    sector: str,
    gas: str,
    values: list[float],
    years: list[int] | None = None,
    unit: str = "Mt CO2e",
) -> list[dict]:
    return [
        {
            "source": source,
            "iso3": iso3,
            "year": y,
            "sector": sector,
            "gas": gas,
            "value": float(v),
            "unit": unit,
            "gwp": "test",
        }
        for y, v in zip(years or YEARS, values, strict=True)
    ]


def emissions() -> pd.DataFrame:
    rows = []
    # AAA: combustion CO2 falls 4 a year from 60; process CO2 falls 0 from 30; CH4 in combustion a flat 10.
    rows += _rows("edgar", "AAA", "industrial_combustion", "co2", [60, 56, 52, 48, 44, 40], unit="Mt CO2")
    rows += _rows("edgar", "AAA", "industrial_combustion", "ch4", [10] * 6)
    rows += _rows("edgar", "AAA", "industrial_processes", "co2", [30] * 6, unit="Mt CO2")
    rows += _rows("edgar", "AAA", "power", "co2", [100] * 6, unit="Mt CO2")
    # BBB: rising; its 2021 process row is absent (a component gap, not an area gap).
    rows += _rows("edgar", "BBB", "industrial_combustion", "co2", [10, 11, 12, 13, 14, 15], unit="Mt CO2")
    rows += _rows(
        "edgar", "BBB", "industrial_processes", "co2", [5, 5, 5, 5, 5], [2018, 2019, 2020, 2022, 2023], unit="Mt CO2"
    )
    # CCC: no heavy-industry row at all in 2020 (an area gap inside its reported years).
    rows += _rows(
        "edgar",
        "CCC",
        "industrial_combustion",
        "co2",
        [20, 20, 20, 20, 20],
        [2018, 2019, 2021, 2022, 2023],
        unit="Mt CO2",
    )
    rows += _rows("edgar", "SEA", "transport", "co2", [7] * 6, unit="Mt CO2")
    frame = pd.DataFrame(rows)
    totals = frame.groupby(["year", "sector", "gas", "unit"], as_index=False)["value"].sum()
    wld = totals.assign(source="edgar", iso3="WLD", gwp="test")
    eu = frame[frame["iso3"].isin(["AAA", "BBB"])].groupby(["year", "sector", "gas", "unit"], as_index=False)
    eu27 = eu["value"].sum().assign(source="edgar", iso3="EU27", gwp="test")
    trace = []
    trace += _rows("climate_trace", "AAA", "manufacturing", "ghg", [50, 50, 50, 50, 50, 50])
    trace += _rows("climate_trace", "BBB", "manufacturing", "ghg", [20, 22, 24, 26, 28, 30])
    out = pd.concat([frame, wld, eu27, pd.DataFrame(trace)], ignore_index=True)
    return out.astype({"year": "int16"})[["source", "iso3", "year", "sector", "gas", "value", "unit", "gwp"]]


def areas() -> pd.DataFrame:
    rows = [
        ("AAA", "Aland", "country", True, True),
        ("BBB", "Bland", "country", True, False),
        ("CCC", "Cland", "country", False, True),
        ("SEA", "International shipping", "bunker", False, False),
        ("WLD", "World", "aggregate", False, False),
        ("EU27", "European Union (27)", "aggregate", False, True),
    ]
    frame = pd.DataFrame(rows, columns=["iso3", "name", "kind", "in_eu27", "in_g20"])
    return frame.assign(region="", in_oecd=False)[["iso3", "name", "kind", "region", "in_eu27", "in_g20", "in_oecd"]]


def indicators() -> pd.DataFrame:
    rows = [
        (c, y, pop, gdp) for c, pop, gdp in (("AAA", 5e6, 1e11), ("BBB", 1e6, 2e10), ("CCC", 4e6, None)) for y in YEARS
    ]
    return pd.DataFrame(rows, columns=["iso3", "year", "population", "gdp"]).astype({"year": "int16"})


def members() -> pd.DataFrame:
    rows = [
        ("Aland", "country", "AAA", None, None, dt.date(2019, 9, 23), "launch", "confirmed"),
        ("Cland", "country", "CCC", None, None, None, None, "confirmed"),
        ("Bland", "country", "BBB", None, None, None, None, "unverified"),
        ("Steel Co", "company", None, "AAA", "iron and steel", dt.date(2021, 4, 23), "summit", "confirmed"),
    ]
    frame = pd.DataFrame(
        rows, columns=["member", "member_type", "iso3", "home_iso3", "sector", "joined_on", "join_event", "status"]
    )
    return frame.assign(source_url="https://example.org", note=None)


def reported_counts() -> pd.DataFrame:
    rows = [(dt.date(2019, 9, 23), "launch", 3, 2, 5), (dt.date(2022, 1, 1), "report", None, None, 9)]
    frame = pd.DataFrame(rows, columns=["date", "event", "countries", "companies", "total"])
    frame = frame.astype({"countries": "Int64", "companies": "Int64", "total": "Int64"})
    return frame.assign(source_url="https://example.org")


def milestones() -> pd.DataFrame:
    rows = [
        (dt.date(2019, 9, 23), "launch", "Launch summit", "Group launched"),
        (dt.date(2021, 4, 23), "members", "Online summit", "Steel Co joins"),
    ]
    frame = pd.DataFrame(rows, columns=["date", "kind", "event", "what_happened"])
    return frame.assign(source_url="https://example.org")


def targets() -> pd.DataFrame:
    rows = [
        ("C1", "Aland", "country", "AAA", "Net zero", 2045, "In law"),
        ("C2", "Cland", "country", "CCC", "Emissions reduction target", 2030, "In policy document"),
    ]
    frame = pd.DataFrame(
        rows, columns=["actor_id", "name", "actor_type", "iso3", "end_target", "end_target_year", "end_target_status"]
    )
    # Two releases: Aland's target moved from 2050 and into law; Cland's is unchanged.
    return frame.astype({"end_target_year": "Int16"}).assign(
        industry=None,
        end_target_snapshot=pd.Timestamp("2025-09-17").date(),
        end_target_status_updated=pd.array([2024, 2020], dtype="Int16"),
        earlier_end_target=["Net zero", "Emissions reduction target"],
        earlier_end_target_year=pd.array([2050, 2030], dtype="Int16"),
        earlier_end_target_status=["In policy document", "In policy document"],
        earlier_end_target_snapshot=pd.Timestamp("2023-04-22").date(),
    )


def tiny_dataset() -> Dataset:
    return Dataset(
        emissions=emissions(),
        areas=areas(),
        indicators=indicators(),
        members=members(),
        reported_counts=reported_counts(),
        milestones=milestones(),
        targets=targets(),
        manifest=Manifest(),
    )
