"""One replica of `make serve`: `streamlit run dashboard.py`, refusing to start on a broken .streamlit/config.toml.

Streamlit prints a traceback for a config.toml it cannot parse and then runs on its own defaults (full error
details, the file watcher, uploads): a replica must stop instead, with one line. The app declares its pages with
st.navigation, so the pages/ folder is not Streamlit's legacy pages directory: a replica that no session has used
yet (one started again after a crash) would otherwise answer its first session, a browser reconnecting from a lost
replica, with the legacy page list, and that page lost its next control change.

Run: .venv/bin/python -m deploy.replica (with STREAMLIT_SERVER_* settings in the environment, as deploy/serve.py does)
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENTRYPOINT = ROOT / "dashboard.py"
CONFIG = ROOT / ".streamlit" / "config.toml"
EXIT_CONFIG = 78  # EX_CONFIG (sysexits.h): a configuration error, not a crash worth restarting at once


def config_problem(path: Path = CONFIG) -> str | None:
    """One line naming the file and what is wrong with it, or None when it parses (or is absent)."""
    try:
        tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as err:
        return f"{path.relative_to(ROOT)}: {err}; not starting on Streamlit's defaults"
    return None


def main() -> int:
    problem = config_problem()
    if problem:
        print(problem, file=sys.stderr, flush=True)  # noqa: T201
        return EXIT_CONFIG
    from streamlit.runtime.pages_manager import PagesManager  # noqa: PLC0415
    from streamlit.web import cli  # noqa: PLC0415

    PagesManager.uses_pages_directory = False  # internal; tests/test_serve.py's reconnect test guards it
    sys.argv = ["streamlit", "run", str(ENTRYPOINT)]
    return int(cli.main(prog_name="streamlit") or 0)


if __name__ == "__main__":
    sys.exit(main())
