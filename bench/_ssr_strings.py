"""Engine "strings": hand-written string building, the practical limit.

f-strings per row / story, joined once per page.  Data strings go through
``esc`` (text and attribute values alike); integers are formatted directly,
as a hand-writer who knows the data would do.  This module's output is the
baseline every other engine is compared with.
"""

from html import escape as _escape


def esc(s):
    # Fast path: most values contain nothing to escape.
    if "&" in s or "<" in s or ">" in s or '"' in s or "'" in s:
        return _escape(s, quote=True)
    return s


# --- page a: js-framework-benchmark table -----------------------------------

def render_table(rows, selected_id):
    parts = ['<table class="table table-hover table-striped test-data"><tbody id="tbody">']
    append = parts.append
    for row in rows:
        row_id = row["id"]
        tr = '<tr class="danger">' if row_id == selected_id else "<tr>"
        append(
            f'{tr}<td class="col-md-1">{row_id}</td>'
            f'<td class="col-md-4"><a class="lbl">{esc(row["label"])}</a></td>'
            '<td class="col-md-1"><a class="remove"><span class="remove glyphicon glyphicon-remove"'
            ' aria-hidden="true"></span></a></td><td class="col-md-6"></td></tr>'
        )
    append("</tbody></table>")
    return "".join(parts)


# --- page b: news front page ------------------------------------------------

_HEADER = (
    '<div id="app" class="news">'
    '<header class="site-header">'
    '<a class="brand" href="/"><b>Lepta News</b></a>'
    '<nav class="site-nav">'
    '<a href="/newest">new</a> | <a href="/front">past</a> | '
    '<a href="/newcomments">comments</a> | <a href="/ask">ask</a> | '
    '<a href="/show">show</a> | <a href="/jobs">jobs</a> | '
    '<a href="/submit" rel="nofollow">submit</a>'
    "</nav>"
    '<a class="login" href="/login?goto=news">login</a>'
    "</header>"
    '<main class="stories"><ol class="story-list">'
)

_FOOTER = (
    "</ol>"
    '<a class="morelink" href="/news?p=2" rel="next">More</a>'
    "</main>"
    '<footer class="site-footer">'
    '<nav class="footer-links">'
    '<a href="/guidelines">Guidelines</a> | <a href="/faq">FAQ</a> | '
    '<a href="/lists">Lists</a> | <a href="/security">Security</a> | '
    '<a href="/legal">Legal</a> | <a href="/contact">Contact</a>'
    "</nav>"
    '<form class="search" method="get" action="/search">'
    '<label for="q">Search:</label>'
    '<input type="text" id="q" name="q" autocomplete="off" required>'
    '<button type="submit">Go</button>'
    "</form>"
    "</footer>"
    "</div>"
)


def _comments(n):
    if n == 0:
        return "discuss"
    if n == 1:
        return "1 comment"
    return f"{n} comments"


def render_news(stories):
    parts = [_HEADER]
    append = parts.append
    for s in stories:
        sid = s["id"]
        url = s["url"]
        if url is None:
            title = f'<a class="titlelink" href="/item?id={sid}">{esc(s["title"])}</a>'
        else:
            domain = esc(s["domain"])
            title = (
                f'<a class="titlelink" href="{esc(url)}">{esc(s["title"])}</a>'
                f' <span class="sitebit">(<a href="/from?site={domain}">{domain}</a>)</span>'
            )
        user = esc(s["user"])
        append(
            f'<li class="story" id="story-{sid}">'
            f'<span class="rank">{s["rank"]}.</span>'
            f'<div class="story-title">{title}</div>'
            f'<div class="subtext">'
            f'<span class="score" id="score-{sid}">{s["points"]} points</span>'
            f' by <a class="user" href="/user?id={user}">{user}</a> '
            f'<span class="age" title="{esc(s["time"])}">'
            f'<a href="/item?id={sid}">{esc(s["time_ago"])}</a></span>'
            f' | <a href="/item?id={sid}">{_comments(s["comments"])}</a>'
            f"</div></li>"
        )
    append(_FOOTER)
    return "".join(parts)
