"""LeadIT members, reported counts and milestones: small files the analysts edit by hand, so validated strictly."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from decarb.contract import MEMBER_STATUSES, MEMBER_TYPES, MILESTONE_KINDS
from etl.areas import known_codes
from etl.errors import InputError, row_label, validated
from etl.readers import read_csv

MEMBERS_FILE = "leadit/leadit_members.csv"
COUNTS_FILE = "leadit/leadit_reported_counts.csv"
MILESTONES_FILE = "leadit/leadit_events.csv"
COMPANY_GEM_IDS_FILE = "leadit/leadit_company_gem_ids.csv"
MEMBER_COLUMNS = [
    "member",
    "member_type",
    "iso3",
    "home_iso3",
    "sector",
    "joined_on",
    "join_event",
    "status",
    "source_url",
    "note",
]
COUNT_COLUMNS = ["date", "event", "countries", "companies", "total", "source_url"]
MILESTONE_COLUMNS = ["date", "kind", "event", "what_happened", "source_url"]


def _is_date(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values, format="%Y-%m-%d", errors="coerce").notna() | values.isna()


def _not_future(values: pd.Series) -> pd.Series:
    parsed = pd.to_datetime(values, format="%Y-%m-%d", errors="coerce")
    return ~(parsed > pd.Timestamp(dt.date.today()))


def _is_url(values: pd.Series) -> pd.Series:
    return values.isna() | values.str.match(r"^https?://\S+$")


def _code_where(kind: str, column: str):
    """A member of `kind` must have a known code in `column`; the other kind must leave it empty."""

    def check(frame: pd.DataFrame) -> pd.Series:
        is_kind = frame["member_type"] == kind
        # As Python objects: isin() on Arrow strings converts all ~500 known codes to Arrow scalars on each call.
        known = frame[column].astype(object).isin(known_codes())
        return (is_kind & known) | (~is_kind & frame[column].isna())

    return pa.Check(check, name=f"{column} is a known ISO3 code for a {kind} and empty otherwise")


def _confirmed_has_source(frame: pd.DataFrame) -> pd.Series:
    return (frame["status"] != "confirmed") | frame["source_url"].notna()


DATE = [pa.Check(_is_date, name="date as YYYY-MM-DD"), pa.Check(_not_future, name="date not in the future")]
TEXT = pa.Column(str, nullable=True)
MEMBERS_SCHEMA = pa.DataFrameSchema(
    {
        "member": pa.Column(str, unique=True, report_duplicates="exclude_first"),
        "member_type": pa.Column(str, pa.Check.isin(list(MEMBER_TYPES))),
        "iso3": TEXT,
        "home_iso3": TEXT,
        "sector": TEXT,
        "joined_on": pa.Column(str, DATE, nullable=True),
        "join_event": TEXT,
        "status": pa.Column(str, pa.Check.isin(list(MEMBER_STATUSES))),
        "source_url": pa.Column(str, pa.Check(_is_url, name="an http(s) URL"), nullable=True),
        "note": TEXT,
    },
    checks=[
        _code_where("country", "iso3"),
        _code_where("company", "home_iso3"),
        pa.Check(_confirmed_has_source, name="a confirmed member needs a source_url"),
    ],
    strict=True,
    ordered=True,
)


def _counts_add_up(frame: pd.DataFrame) -> pd.Series:
    both = frame["countries"].notna() & frame["companies"].notna()
    return ~both | (frame["countries"] + frame["companies"] == frame["total"])


COUNT = pa.Column("Int64", pa.Check.ge(0), nullable=True, coerce=True)
COUNTS_SCHEMA = pa.DataFrameSchema(
    {
        "date": pa.Column(str, DATE, unique=True),
        "event": TEXT,
        "countries": COUNT,
        "companies": COUNT,
        "total": pa.Column("Int64", pa.Check.ge(0), coerce=True),
        "source_url": pa.Column(str, pa.Check(_is_url, name="an http(s) URL")),
    },
    checks=[pa.Check(_counts_add_up, name="countries + companies = total")],
    strict=True,
    ordered=True,
)


MILESTONES_SCHEMA = pa.DataFrameSchema(
    {
        "date": pa.Column(str, DATE),
        "kind": pa.Column(str, pa.Check.isin(list(MILESTONE_KINDS))),
        "event": pa.Column(str),
        "what_happened": pa.Column(str),
        # Every milestone is shown with its source, so unlike a member row a milestone cannot lack one.
        "source_url": pa.Column(str, pa.Check(_is_url, name="an http(s) URL")),
    },
    checks=[pa.Check(lambda frame: ~frame.duplicated(["date", "event"]), name="one row per date and event")],
    strict=True,
    ordered=True,
)


COMPANY_GEM_IDS_SCHEMA = pa.DataFrameSchema(
    {
        "company": pa.Column(str),
        "gem_entity_id": pa.Column(str, pa.Check.str_matches(r"^E\d{12}$")),
        "note": TEXT,
        "source_url": pa.Column(str, pa.Check(_is_url, name="an http(s) URL")),
    },
    checks=[pa.Check(lambda f: ~f.duplicated(["company", "gem_entity_id"]), name="one row per company and id")],
    strict=True,
    ordered=True,
)


def _read_text_table(path: Path) -> pd.DataFrame:
    # Every cell as text; an empty cell is missing (never the string "nan").
    frame = read_csv(path, dtype=str, keep_default_na=False)
    return frame.apply(lambda col: col.str.strip()).replace("", pd.NA)


def read_members(raw_dir: Path) -> pd.DataFrame:
    path = raw_dir / MEMBERS_FILE
    return validated(MEMBERS_SCHEMA, _read_text_table(path), path)


def read_counts(raw_dir: Path) -> pd.DataFrame:
    path = raw_dir / COUNTS_FILE
    return validated(COUNTS_SCHEMA, _read_text_table(path), path)


def read_milestones(raw_dir: Path) -> pd.DataFrame:
    path = raw_dir / MILESTONES_FILE
    return validated(MILESTONES_SCHEMA, _read_text_table(path), path)


def read_company_gem_ids(raw_dir: Path) -> pd.DataFrame:
    path = raw_dir / COMPANY_GEM_IDS_FILE
    return validated(COMPANY_GEM_IDS_SCHEMA, _read_text_table(path), path)


def to_company_steel_owners(
    frame: pd.DataFrame, members: pd.DataFrame, plants: pd.DataFrame, path: Path
) -> pd.DataFrame:
    """The reviewed mapping, checked against both files it joins: the company must be a member company (by its
    exact name in the member list) and the id must be among some plant's owner or parent ids."""
    companies = set(members.loc[members["member_type"] == "company", "member"])
    ids = set(
        pd.concat([plants["owner_gem_ids"], plants["parent_gem_ids"]]).dropna().str.findall(r"E\d+").explode().dropna()
    )
    for position, row in enumerate(frame.itertuples(index=False)):
        if row.company not in companies:
            raise InputError(
                path, f"{row_label(position)}, column 'company'", f"{row.company!r} is not a company in the member list"
            )
        if row.gem_entity_id not in ids:
            raise InputError(
                path,
                f"{row_label(position)}, column 'gem_entity_id'",
                f"{row.gem_entity_id} is not an owner or parent id of any plant in the GEM tracker file",
            )
    return frame.reset_index(drop=True)


def to_members(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(joined_on=pd.to_datetime(frame["joined_on"], format="%Y-%m-%d").dt.date)


def to_reported_counts(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(date=pd.to_datetime(frame["date"], format="%Y-%m-%d").dt.date)


def to_milestones(frame: pd.DataFrame) -> pd.DataFrame:
    # In date order whatever order the analysts typed them in: charts label them left to right.
    dated = frame.assign(date=pd.to_datetime(frame["date"], format="%Y-%m-%d").dt.date)
    return dated.sort_values(["date", "event"], kind="stable", ignore_index=True)
