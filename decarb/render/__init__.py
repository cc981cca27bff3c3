"""The rendering layer: what a chart looks like in pixels (templates, sizes, text layout), for the pages, the
slides and the exports. The domain side (analytics, screens, the slide model) says what to draw, not how big.
"""
