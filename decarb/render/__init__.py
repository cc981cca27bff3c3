"""The rendering layer: every pixel of a chart (templates, sizes, text layout, figure builders, milestone marks),
for the pages, the slides and the exports. The domain side says what to draw (decarb.chartspec: a chart's words,
axes, legend place and size; decarb.milestones: which marks), not how big.
"""
