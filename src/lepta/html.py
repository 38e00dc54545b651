"""Builders for every element of the WHATWG HTML standard.

    from lepta.html import div, button, span
    div(button("Go", on_click=go), span("Value: ", value), class_="counter")

Children are positional, attributes keyword (see lepta.view). `del` is `del_`;
any other tag, such as a custom element, is `el("my-widget", ...)`.
"""

from .view._nodes import Builder, el

__all__ = [
    "a",
    "abbr",
    "address",
    "area",
    "article",
    "aside",
    "audio",
    "b",
    "base",
    "bdi",
    "bdo",
    "blockquote",
    "body",
    "br",
    "button",
    "canvas",
    "caption",
    "cite",
    "code",
    "col",
    "colgroup",
    "data",
    "datalist",
    "dd",
    "del_",
    "details",
    "dfn",
    "dialog",
    "div",
    "dl",
    "dt",
    "el",
    "em",
    "embed",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hgroup",
    "hr",
    "html",
    "i",
    "iframe",
    "img",
    "input",
    "ins",
    "kbd",
    "label",
    "legend",
    "li",
    "link",
    "main",
    "map",
    "mark",
    "menu",
    "meta",
    "meter",
    "nav",
    "noscript",
    "object",
    "ol",
    "optgroup",
    "option",
    "output",
    "p",
    "picture",
    "pre",
    "progress",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "script",
    "search",
    "section",
    "select",
    "selectedcontent",
    "slot",
    "small",
    "source",
    "span",
    "strong",
    "style",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "template",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "time",
    "title",
    "tr",
    "track",
    "u",
    "ul",
    "var",
    "video",
    "wbr",
]

a = Builder("a")
abbr = Builder("abbr")
address = Builder("address")
area = Builder("area", void=True)
article = Builder("article")
aside = Builder("aside")
audio = Builder("audio")
b = Builder("b")
base = Builder("base", void=True)
bdi = Builder("bdi")
bdo = Builder("bdo")
blockquote = Builder("blockquote")
body = Builder("body")
br = Builder("br", void=True)
button = Builder("button")
canvas = Builder("canvas")
caption = Builder("caption")
cite = Builder("cite")
code = Builder("code")
col = Builder("col", void=True)
colgroup = Builder("colgroup")
data = Builder("data")
datalist = Builder("datalist")
dd = Builder("dd")
del_ = Builder("del")
details = Builder("details")
dfn = Builder("dfn")
dialog = Builder("dialog")
div = Builder("div")
dl = Builder("dl")
dt = Builder("dt")
em = Builder("em")
embed = Builder("embed", void=True)
fieldset = Builder("fieldset")
figcaption = Builder("figcaption")
figure = Builder("figure")
footer = Builder("footer")
form = Builder("form")
h1 = Builder("h1")
h2 = Builder("h2")
h3 = Builder("h3")
h4 = Builder("h4")
h5 = Builder("h5")
h6 = Builder("h6")
head = Builder("head")
header = Builder("header")
hgroup = Builder("hgroup")
hr = Builder("hr", void=True)
html = Builder("html")
i = Builder("i")
iframe = Builder("iframe")
img = Builder("img", void=True)
input = Builder("input", void=True)
ins = Builder("ins")
kbd = Builder("kbd")
label = Builder("label")
legend = Builder("legend")
li = Builder("li")
link = Builder("link", void=True)
main = Builder("main")
map = Builder("map")
mark = Builder("mark")
menu = Builder("menu")
meta = Builder("meta", void=True)
meter = Builder("meter")
nav = Builder("nav")
noscript = Builder("noscript")
object = Builder("object")
ol = Builder("ol")
optgroup = Builder("optgroup")
option = Builder("option")
output = Builder("output")
p = Builder("p")
picture = Builder("picture")
pre = Builder("pre")
progress = Builder("progress")
q = Builder("q")
rp = Builder("rp")
rt = Builder("rt")
ruby = Builder("ruby")
s = Builder("s")
samp = Builder("samp")
script = Builder("script")
search = Builder("search")
section = Builder("section")
select = Builder("select")
selectedcontent = Builder("selectedcontent")
slot = Builder("slot")
small = Builder("small")
source = Builder("source", void=True)
span = Builder("span")
strong = Builder("strong")
style = Builder("style")
sub = Builder("sub")
summary = Builder("summary")
sup = Builder("sup")
table = Builder("table")
tbody = Builder("tbody")
td = Builder("td")
template = Builder("template")
textarea = Builder("textarea")
tfoot = Builder("tfoot")
th = Builder("th")
thead = Builder("thead")
time = Builder("time")
title = Builder("title")
tr = Builder("tr")
track = Builder("track", void=True)
u = Builder("u")
ul = Builder("ul")
var = Builder("var")
video = Builder("video")
wbr = Builder("wbr", void=True)
