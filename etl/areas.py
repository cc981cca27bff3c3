"""Area codes: which codes are valid, and the areas table (names, regions, groups) from maintained libraries."""

from __future__ import annotations

from functools import cache

import countrygroups
import pandas as pd
import pycountry

from decarb.contract import AREA_NAME_ALIASES, SOURCE_AREA_ALIASES, SPECIAL_AREAS

# countrygroups spells the EU as EUU; our code for it is EU27.
_GROUPS = {
    "in_eu27": countrygroups.EUROPEAN_UNION,
    "in_g20": countrygroups.G20,
    "in_oecd": countrygroups.OECD,
}


@cache
def known_codes() -> frozenset[str]:
    """Every code allowed in an iso3 column: ISO 3166-1, ISO 3166-3 (historic) and our documented specials."""
    current = {c.alpha_3 for c in pycountry.countries}
    historic = {c.alpha_3 for c in pycountry.historic_countries}
    return frozenset(current | historic | set(SPECIAL_AREAS))


def canonical_code(raw: str) -> str:
    """A source's spelling of an area, as our code (GLOBAL TOTAL -> WLD, EUU -> EU27)."""
    return SOURCE_AREA_ALIASES.get(raw, raw)


@cache
def _codes_by_name() -> dict[str, str]:
    """Every ISO name, common name and official name (pycountry), exactly as spelled, then our aliases."""
    names: dict[str, str] = {}
    for country in pycountry.countries:
        for attribute in ("name", "common_name", "official_name"):
            name = getattr(country, attribute, None)
            if name:
                names.setdefault(name, country.alpha_3)
    return {**names, **AREA_NAME_ALIASES}


def code_of_name(name: str) -> str | None:
    """An area's name as a source spells it ("Türkiye", "Taiwan, China") as our code; None where it does not map.

    Exact spelling only (no fuzzy match): a name that maps to nothing must stop the build, not map to a
    neighbour."""
    return _codes_by_name().get(name)


def _name_and_kind(code: str) -> tuple[str, str]:
    if code in SPECIAL_AREAS:
        return SPECIAL_AREAS[code]
    country = pycountry.countries.get(alpha_3=code)
    if country is not None:
        return getattr(country, "common_name", None) or country.name, "country"
    historic = pycountry.historic_countries.get(alpha_3=code)
    if historic is None:  # the schemas admit only known_codes(): a code reaching here unknown is our bug
        raise ValueError(f"{code!r} is not a known area code (known_codes() lets only ISO 3166 and specials in)")
    return historic.name, "historic"


@cache
def _region_of() -> dict[str, str]:
    regions = countrygroups.UNSTATS_GEOGRAPHICAL_REGIONS
    continents = [name for name in dir(regions) if name.isupper()]
    return {code: name.replace("_", " ").title() for name in continents for code in getattr(regions, name)}


@cache
def _group_members() -> dict[str, frozenset[str]]:
    return {column: frozenset(canonical_code(m) for m in members) for column, members in _GROUPS.items()}


def build_areas(codes: set[str]) -> pd.DataFrame:
    """One row per code used anywhere in the processed tables."""
    rows = []
    for code in sorted(codes):
        name, kind = _name_and_kind(code)
        row: dict[str, object] = {"iso3": code, "name": name, "kind": kind, "region": _region_of().get(code, "")}
        for column, members in _group_members().items():
            row[column] = code in members
        rows.append(row)
    return pd.DataFrame(rows)
