"""The briefing deck as one self-contained HTML file: plotly.js embedded, no request to the network, keyboard
navigation (arrow keys, Page Up/Down, space, Home/End) and the slide number in the address (#3), so it works in a
meeting room without internet or without the server, from a USB stick.
"""

from __future__ import annotations

import html
import json
from functools import lru_cache

from plotly.offline import get_plotlyjs

from decarb import theme
from decarb.briefing import Deck

# plotly.js options: no logo, no link out, no map shapes to fetch (the storyline has no maps).
PLOTLY_CONFIG = {
    "displaylogo": False,
    "responsive": True,
    "showLink": False,
    "showSendToCloud": False,
    "modeBarButtonsToRemove": ["lasso2d", "select2d"],
}

STYLE = """
* { box-sizing: border-box; }
html, body { margin: 0; height: 100%; background: __PAPER__; color: __INK__; font-family: __FONT__; }
.slide { display: none; width: 100vw; height: 100vh; padding: 2.5vh 3vw 1.5vh; flex-direction: column; }
.slide.current { display: flex; }
.slide h1 { font-size: clamp(22px, 2.6vw, 48px); margin: 0 0 .3em; line-height: 1.15; }
.subtitle { font-size: clamp(12px, 1.25vw, 24px); color: __MUTED__; margin: .4vh 0 .6vh; }
.body { flex: 1; display: flex; flex-direction: column; min-height: 0; }
.headline { flex: none; display: flex; align-items: baseline; gap: 1.2vw; order: -1; }
.headline .number { font-size: clamp(28px, 3.2vw, 64px); font-weight: 700; color: __ACCENT__; line-height: 1.1;
  white-space: nowrap; }
.headline .label { font-size: clamp(14px, 1.5vw, 28px); line-height: 1.3; }
.chart { flex: 1; min-width: 0; min-height: 0; }
.foot { display: flex; justify-content: space-between; gap: 2vw; align-items: flex-end; }
.source { font-size: clamp(12px, 1.25vw, 24px); color: __MUTED__; margin: 0; }
.pageno { font-size: clamp(12px, 1.25vw, 24px); color: __MUTED__; white-space: nowrap; }
.cover { justify-content: center; }
.sources ul { flex: 1; overflow-y: auto; margin: 0; padding-left: 1.2em; font-size: clamp(12px, 1.25vw, 24px); }
.sources li { margin-bottom: .6em; }
.cover h1 { font-size: clamp(30px, 4vw, 72px); }
.cover p { font-size: clamp(16px, 1.5vw, 28px); color: __INK__; max-width: 70vw; }
.cover .link { font-size: clamp(12px, 1.25vw, 24px); word-break: break-all; }
.nav { position: fixed; right: 1vw; top: 1vh; display: flex; gap: .4em; opacity: .35; }
.nav:hover { opacity: 1; }
.nav button { font: inherit; font-size: 16px; padding: .2em .7em; cursor: pointer; }
.hint { font-size: clamp(12px, 1.25vw, 24px); color: __FAINT__; margin: 0; }
@media print {
  .slide { display: flex !important; page-break-after: always; height: 100vh; }
  .nav, .hint { display: none; }
}
"""

SCRIPT = """
(function () {
  var slides = Array.prototype.slice.call(document.querySelectorAll('.slide'));
  var figures = JSON.parse(document.getElementById('figures').textContent);
  var config = JSON.parse(document.getElementById('plotly-config').textContent);
  var current = 0;
  window.slideCount = slides.length;
  window.renderedCharts = 0;
  // No chart text smaller than the slide's least (1.25% of the width: 12 pt on a 13.3-inch slide, as in the
  // PowerPoint deck): the figure is the Present page's, sized for a screen.
  function legible(layout) {
    var least = Math.max(12, Math.round(window.innerWidth * 0.0125));
    function atLeast(font) { font = font || {}; font.size = Math.max(font.size || 0, least); return font; }
    layout.font = atLeast(layout.font);
    Object.keys(layout).forEach(function (k) {
      if (/^[xy]axis/.test(k)) {
        var axis = layout[k];
        axis.tickfont = atLeast(axis.tickfont);
        axis.automargin = true;
        if (axis.title && typeof axis.title === 'object') { axis.title.font = atLeast(axis.title.font); }
      }
    });
    if (layout.legend) { layout.legend.font = atLeast(layout.legend.font); }
    (layout.annotations || []).forEach(function (a) { a.font = atLeast(a.font); });
    return layout;
  }
  function render(i) {
    var box = slides[i].querySelector('.chart');
    if (!box || box.dataset.rendered) { return; }
    var fig = figures[box.dataset.figure];
    Plotly.newPlot(box, fig.data, legible(fig.layout), config).then(function () {
      box.dataset.rendered = 'true';
      window.renderedCharts += 1;
    });
  }
  function show(n, push) {
    n = Math.max(1, Math.min(slides.length, n));
    slides[current].classList.remove('current');
    current = n - 1;
    slides[current].classList.add('current');
    render(current);
    var box = slides[current].querySelector('.chart');
    if (box && box.dataset.rendered) { Plotly.Plots.resize(box); }
    document.getElementById('pageno-nav').textContent = n + ' / ' + slides.length;
    if (push && location.hash !== '#' + n) { location.hash = '#' + n; }
  }
  function fromHash() {
    var n = parseInt(location.hash.replace('#', ''), 10);
    return isNaN(n) ? 1 : n;
  }
  document.addEventListener('keydown', function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) { return; }
    var k = e.key;
    if (k === 'ArrowRight' || k === 'ArrowDown' || k === 'PageDown' || k === ' ' || k === 'Enter') {
      show(current + 2, true); e.preventDefault();
    } else if (k === 'ArrowLeft' || k === 'ArrowUp' || k === 'PageUp' || k === 'Backspace') {
      show(current, true); e.preventDefault();
    } else if (k === 'Home') { show(1, true); e.preventDefault(); }
    else if (k === 'End') { show(slides.length, true); e.preventDefault(); }
  });
  window.addEventListener('hashchange', function () { show(fromHash(), false); });
  document.getElementById('prev').addEventListener('click', function () { show(current, true); });
  document.getElementById('next').addEventListener('click', function () { show(current + 2, true); });
  window.addEventListener('beforeprint', function () { slides.forEach(function (s, i) { render(i); }); });
  window.showSlide = function (n) { show(n, true); };
  show(fromHash(), false);
})();
"""


@lru_cache(maxsize=1)
def _plotly_js() -> str:
    return get_plotlyjs()


def _script_json(value: object) -> str:
    """JSON safe inside a <script> element (no '</' that could close it)."""
    return value.replace("</", "<\\/") if isinstance(value, str) else json.dumps(value).replace("</", "<\\/")


def _slide_html(deck: Deck, index: int) -> str:
    slide, e = deck.slides[index], html.escape
    return f"""<section class="slide" id="slide-{index + 2}" data-key="{e(slide.key)}" aria-label="{e(slide.title)}">
<h1>{e(slide.title)}</h1>
<p class="subtitle">{e(deck.deck_subtitle(index))}</p>
<div class="body">
<div class="headline"><div class="number" style="color: {e(slide.headline_colour)}">{e(slide.headline)}</div>
<div class="label">{e(slide.headline_label)}</div></div>
<div class="chart" data-figure="{index}" role="img" aria-label="{e(slide.alt)}"></div>
</div>
<div class="foot"><p class="source">{e(deck.footnote(index))}</p>
<span class="pageno">{index + 2} / {_pages(deck)}</span></div>
</section>"""


def _pages(deck: Deck) -> int:
    """The cover, the storyline, and one Sources slide where the deck names sources."""
    return len(deck.slides) + (2 if deck.sources else 1)


def _sources_html(deck: Deck) -> str:
    """The Sources slide: each source's full citation and licence, once (the slides' footnotes give short names)."""
    if not deck.sources:
        return ""
    e, number = html.escape, len(deck.slides) + 2
    entries = "\n".join(f"<li>{e(entry)}</li>" for entry in deck.sources)
    return f"""<section class="slide sources" id="slide-{number}" aria-label="Sources">
<h1>Sources</h1>
<ul>
{entries}
</ul>
<div class="foot"><p class="source"></p><span class="pageno">{number} / {_pages(deck)}</span></div>
</section>"""


def deck_html(deck: Deck) -> str:
    """The whole deck as one HTML document (about 5 MB, most of it plotly.js)."""
    e = html.escape
    figures = json.dumps([s.spec for s in deck.slides], allow_nan=False, separators=(",", ":"))
    cover = f"""<section class="slide cover" id="slide-1" aria-label="{e(deck.title)}">
<h1>{e(deck.title)}</h1>
<p>{e(deck.selection)}</p>
<p>{e(deck.vintage)}</p>
{f'<p class="link">{e(deck.link_line)}</p>' if deck.link_line else ""}
<p class="link">{"<br>".join(e(v) for v in deck.versions)}</p>
<div class="foot"><p class="hint">Arrow keys or Page Up/Down: next and previous slide; Home/End: first and last;
#n at the end of the address: slide n. Works without a network.</p>
<span class="pageno">1 / {_pages(deck)}</span></div>
</section>"""
    slides = "\n".join([*(_slide_html(deck, i) for i in range(len(deck.slides))), _sources_html(deck)])
    style = STYLE
    for name, value in (
        ("FONT", theme.FONT),
        ("ACCENT", theme.ACCENT),
        ("PAPER", theme.PAPER),
        ("INK", theme.INK),
        ("MUTED", theme.MUTED),
        ("FAINT", theme.FAINT),
    ):
        style = style.replace(f"__{name}__", value)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="{e(deck.selection)}">
<title>{e(deck.title)}</title>
<style>{style}</style>
<script>{_plotly_js()}</script>
</head>
<body>
{cover}
{slides}
<nav class="nav" aria-label="Slides"><button id="prev" aria-label="Previous slide">&lt;</button>
<span id="pageno-nav" class="pageno"></span><button id="next" aria-label="Next slide">&gt;</button></nav>
<script type="application/json" id="figures">{_script_json(figures)}</script>
<script type="application/json" id="plotly-config">{_script_json(PLOTLY_CONFIG)}</script>
<script>{SCRIPT}</script>
</body>
</html>
"""
