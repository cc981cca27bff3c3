"""Which layer may import what: the slide model draws nothing (no plotly, however indirectly)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _source(module: str) -> Path | None:
    path = ROOT / (module.replace(".", "/") + ".py")
    package = ROOT / module.replace(".", "/") / "__init__.py"
    return path if path.exists() else (package if package.exists() else None)


def _imports(module: str) -> set[str]:
    path = _source(module)
    assert path is not None, module
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names if node.module == "decarb"}
    return found


def _reached(module: str) -> set[str]:
    """Every module imported from `module`, following the project's own (decarb.*) imports."""
    seen, todo = set(), [module]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        own = [m for m in _imports(name) if m.startswith("decarb.") or m == "decarb"]
        todo += [
            m for m in own if (ROOT / (m.replace(".", "/") + ".py")).exists() or (ROOT / m.replace(".", "/")).is_dir()
        ]
        seen |= {m for m in _imports(name) if not m.startswith("decarb")}
    return seen


def test_the_slide_model_imports_no_plotly():
    reached = _reached("decarb.briefing.model")
    assert not sorted(m for m in reached if m.split(".")[0] == "plotly"), sorted(reached)


# Where pixels may be decided: the rendering layer, the page layer and the slide renderers.
RENDERING = ("decarb/render/", "decarb/ui/", "decarb/briefing/figures.py", "decarb/briefing/pptx.py")


def test_no_pixel_outside_the_rendering_layer():
    """No module of the domain side sizes anything: no constant named in px, no text-width guess, no layout.meta
    handed from a figure builder to the page."""
    found = []
    for path in sorted((ROOT / "decarb").rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        if name.startswith(RENDERING):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#")[0]
            if re.search(r"^\s*[A-Z_]*_PX\b\s*[:=]|\btext_width\(|layout\.meta|\bhead_px\b", code):
                found.append(f"{name}:{number}: {line.strip()}")
    assert found == [], "\n".join(found)


# The modules that may import the rendering layer (decarb.render): the page layer, the briefing's builders and
# renderers. The screens and the analytics describe charts (decarb.chartspec) and draw none.
DRAWERS = ("decarb/render/", "decarb/ui/", "decarb/briefing/")


def test_only_the_ui_and_the_briefing_import_the_rendering_layer():
    found = []
    for path in sorted((ROOT / "decarb").rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        module = name[: -len(".py")].replace("/", ".").removesuffix(".__init__")
        if not name.startswith(DRAWERS):
            found += [f"{name}: {m}" for m in sorted(_imports(module)) if m.startswith("decarb.render")]
    assert found == [], "\n".join(found)


def test_screens_reach_no_plotly():
    """A screen's result is a description (data and words); its figure is built where the page shows it."""
    for path in sorted((ROOT / "decarb" / "screens").glob("*.py")):
        reached = _reached(f"decarb.screens.{path.stem}")
        assert not sorted(m for m in reached if m.split(".")[0] == "plotly"), (path.name, sorted(reached))
