"""Builders for MathML elements.

    from lepta.mathml import math, mfrac, mi, mn
    math(mfrac(mi("x"), mn(2)))

`annotation-xml` is `annotation_xml`.
"""

from .view._nodes import Builder

__all__ = [
    "annotation",
    "annotation_xml",
    "maction",
    "math",
    "menclose",
    "merror",
    "mfrac",
    "mi",
    "mmultiscripts",
    "mn",
    "mo",
    "mover",
    "mpadded",
    "mphantom",
    "mprescripts",
    "mroot",
    "mrow",
    "ms",
    "mspace",
    "msqrt",
    "mstyle",
    "msub",
    "msubsup",
    "msup",
    "mtable",
    "mtd",
    "mtext",
    "mtr",
    "munder",
    "munderover",
    "semantics",
]

math = Builder("math", "math")
annotation = Builder("annotation", "math")
annotation_xml = Builder("annotation-xml", "math")
maction = Builder("maction", "math")
menclose = Builder("menclose", "math")
merror = Builder("merror", "math")
mfrac = Builder("mfrac", "math")
mi = Builder("mi", "math")
mmultiscripts = Builder("mmultiscripts", "math")
mn = Builder("mn", "math")
mo = Builder("mo", "math")
mover = Builder("mover", "math")
mpadded = Builder("mpadded", "math")
mphantom = Builder("mphantom", "math")
mprescripts = Builder("mprescripts", "math")
mroot = Builder("mroot", "math")
mrow = Builder("mrow", "math")
ms = Builder("ms", "math")
mspace = Builder("mspace", "math")
msqrt = Builder("msqrt", "math")
mstyle = Builder("mstyle", "math")
msub = Builder("msub", "math")
msubsup = Builder("msubsup", "math")
msup = Builder("msup", "math")
mtable = Builder("mtable", "math")
mtd = Builder("mtd", "math")
mtext = Builder("mtext", "math")
mtr = Builder("mtr", "math")
munder = Builder("munder", "math")
munderover = Builder("munderover", "math")
semantics = Builder("semantics", "math")
