"""Builders for SVG elements; tag names keep their case (`linearGradient`).

    from lepta.svg import svg, circle
    svg(circle(cx=5, cy=5, r=4), viewBox="0 0 10 10")

Attribute names keep their case too (`viewBox`); `xlink_href` is `xlink:href`.
Names that clash with Python builtins (`filter`, `set`) are exported as they are.
"""

from .view._nodes import Builder

__all__ = [
    "a",
    "animate",
    "animateMotion",
    "animateTransform",
    "circle",
    "clipPath",
    "defs",
    "desc",
    "ellipse",
    "feBlend",
    "feColorMatrix",
    "feComponentTransfer",
    "feComposite",
    "feConvolveMatrix",
    "feDiffuseLighting",
    "feDisplacementMap",
    "feDistantLight",
    "feDropShadow",
    "feFlood",
    "feFuncA",
    "feFuncB",
    "feFuncG",
    "feFuncR",
    "feGaussianBlur",
    "feImage",
    "feMerge",
    "feMergeNode",
    "feMorphology",
    "feOffset",
    "fePointLight",
    "feSpecularLighting",
    "feSpotLight",
    "feTile",
    "feTurbulence",
    "filter",
    "foreignObject",
    "g",
    "image",
    "line",
    "linearGradient",
    "marker",
    "mask",
    "metadata",
    "mpath",
    "path",
    "pattern",
    "polygon",
    "polyline",
    "radialGradient",
    "rect",
    "script",
    "set",
    "stop",
    "style",
    "svg",
    "switch",
    "symbol",
    "text",
    "textPath",
    "title",
    "tspan",
    "use",
    "view",
]

a = Builder("a", "svg")
animate = Builder("animate", "svg")
animateMotion = Builder("animateMotion", "svg")
animateTransform = Builder("animateTransform", "svg")
circle = Builder("circle", "svg")
clipPath = Builder("clipPath", "svg")
defs = Builder("defs", "svg")
desc = Builder("desc", "svg")
ellipse = Builder("ellipse", "svg")
feBlend = Builder("feBlend", "svg")
feColorMatrix = Builder("feColorMatrix", "svg")
feComponentTransfer = Builder("feComponentTransfer", "svg")
feComposite = Builder("feComposite", "svg")
feConvolveMatrix = Builder("feConvolveMatrix", "svg")
feDiffuseLighting = Builder("feDiffuseLighting", "svg")
feDisplacementMap = Builder("feDisplacementMap", "svg")
feDistantLight = Builder("feDistantLight", "svg")
feDropShadow = Builder("feDropShadow", "svg")
feFlood = Builder("feFlood", "svg")
feFuncA = Builder("feFuncA", "svg")
feFuncB = Builder("feFuncB", "svg")
feFuncG = Builder("feFuncG", "svg")
feFuncR = Builder("feFuncR", "svg")
feGaussianBlur = Builder("feGaussianBlur", "svg")
feImage = Builder("feImage", "svg")
feMerge = Builder("feMerge", "svg")
feMergeNode = Builder("feMergeNode", "svg")
feMorphology = Builder("feMorphology", "svg")
feOffset = Builder("feOffset", "svg")
fePointLight = Builder("fePointLight", "svg")
feSpecularLighting = Builder("feSpecularLighting", "svg")
feSpotLight = Builder("feSpotLight", "svg")
feTile = Builder("feTile", "svg")
feTurbulence = Builder("feTurbulence", "svg")
filter = Builder("filter", "svg")
foreignObject = Builder("foreignObject", "svg")
g = Builder("g", "svg")
image = Builder("image", "svg")
line = Builder("line", "svg")
linearGradient = Builder("linearGradient", "svg")
marker = Builder("marker", "svg")
mask = Builder("mask", "svg")
metadata = Builder("metadata", "svg")
mpath = Builder("mpath", "svg")
path = Builder("path", "svg")
pattern = Builder("pattern", "svg")
polygon = Builder("polygon", "svg")
polyline = Builder("polyline", "svg")
radialGradient = Builder("radialGradient", "svg")
rect = Builder("rect", "svg")
script = Builder("script", "svg")
set = Builder("set", "svg")
stop = Builder("stop", "svg")
style = Builder("style", "svg")
svg = Builder("svg", "svg")
switch = Builder("switch", "svg")
symbol = Builder("symbol", "svg")
text = Builder("text", "svg")
textPath = Builder("textPath", "svg")
title = Builder("title", "svg")
tspan = Builder("tspan", "svg")
use = Builder("use", "svg")
view = Builder("view", "svg")
