"""Present: the storyline for the current selection as full-screen slides for dialogue meetings.

One chart, one headline number and one source line per slide; the sidebar is hidden; left/right arrow keys or
the buttons move between slides. The slide number and the storyline (slides, order, titles, headlines) are in the
URL, so a presenter can jump to a slide or share the exact deck. The slide fills the window; behind the "Presenter
tools" toggle: edit the storyline, download it as an editable PowerPoint deck or as one offline HTML file, leave.
"""

from decarb import ui
from decarb.ui import present

ui.run_through_entrypoint()
present.render()
