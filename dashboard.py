"""Industry Transition Dashboard: the entrypoint (page config, global controls, navigation, footer).

Run with `make run`. Page scripts in pages/ are registered here explicitly; their url paths are a public
API (people bookmark them), so keep them stable. Each page starts with ui.run_through_entrypoint(): without it,
the first deep link after a server start would run that page alone (Streamlit's legacy pages/ folder mode).
"""

import streamlit as st

from decarb import ui

APP_TITLE = "Industry Transition Dashboard (LeadIT)"
# The icon by its static URL: a file path would be read and registered as media again on every run.
st.set_page_config(page_title=APP_TITLE, page_icon="/app/static/favicon.png", layout="wide")
ui.begin_run()


def _to_overview() -> None:
    """/overview, the Overview's name in links (url paths are a public API): the Overview is served at /."""
    st.switch_page("pages/overview.py", query_params={key: st.query_params.get_all(key) for key in st.query_params})


def _pages() -> list[st.Page]:
    return [
        st.Page("pages/overview.py", title="Overview", url_path="home", default=True),
        st.Page(_to_overview, title="Overview", url_path="overview", visibility="hidden"),
        st.Page("pages/countries.py", title="Countries", url_path="countries"),
        st.Page("pages/sectors.py", title="Sectors", url_path="sectors"),
        st.Page("pages/industries.py", title="Industries", url_path="industries"),
        st.Page("pages/steel.py", title="Steel", url_path="steel"),
        st.Page("pages/progress.py", title="Progress", url_path="progress"),
        st.Page("pages/members.py", title="Members", url_path="members"),
        st.Page("pages/present.py", title="Present", url_path="present"),
        st.Page("pages/data.py", title="Data and method", url_path="data"),
    ]


# Made once per session, not on every run (making the pages resolves paths on disk).
# Not shared between sessions: st.navigation marks the page it returns, on the Page object, as the one to run.
PAGES = ui.per_session("_pages", _pages)
page = st.navigation(PAGES)
if page.url_path == "overview":
    page.run()  # to / with the same query string, before anything of this run is drawn
ui.enter_page(page.url_path)
st.set_page_config(page_title=f"{page.title} - {APP_TITLE}")  # each page its own tab title (WCAG 2.4.2)

ds, problem = ui.try_dataset()
controls = st.sidebar.container()
if ds is not None:
    ui.decide_global_controls(ds)

notices = st.container()
page.run()
if ds is not None:  # drawn after the page, above its place in the sidebar: the browser gets the charts first
    ui.draw_global_controls(ds, controls)
ui.footer(ds.manifest if ds is not None else None)
ui.finish_run(notices)
