"""Engine "htpy": idiomatic htpy, rendered with ``str(...)``.

Elements are built as ``el(attrs)[children]`` with keyword attributes
(``class_=`` -> class, ``for_`` -> for, ``aria_hidden`` -> aria-hidden,
``True`` -> bare attribute, ``None`` -> absent), the same spelling as lepta's
builders.  htpy's id/class shorthand (``td(".col-md-1")``) is equally
idiomatic but parses the selector on every call; measured ~15-30% slower to
build, so the keyword form is used.  The row and the story are plain
functions returning elements (htpy's notion of a component); the page tree is
built afresh on every render, as in a request handler.
"""

from htpy import (
    a,
    b,
    button,
    div,
    footer,
    form,
    header,
    label,
    li,
    main,
    nav,
    ol,
    span,
    table,
    tbody,
    td,
    tr,
)
from htpy import input as input_

# --- page a -------------------------------------------------------------------


def row_view(row, selected):
    return tr(class_="danger" if selected else None)[
        td(class_="col-md-1")[row["id"]],
        td(class_="col-md-4")[a(class_="lbl")[row["label"]]],
        td(class_="col-md-1")[
            a(class_="remove")[span(class_="remove glyphicon glyphicon-remove", aria_hidden="true")]
        ],
        td(class_="col-md-6"),
    ]


def table_view(rows, selected_id):
    return table(class_="table table-hover table-striped test-data")[
        tbody(id="tbody")[[row_view(r, r["id"] == selected_id) for r in rows]]
    ]


def render_table(rows, selected_id):
    return str(table_view(rows, selected_id))


# --- page b -------------------------------------------------------------------


def _sep_links(links):
    out = []
    for i, (href, text) in enumerate(links):
        if i:
            out.append(" | ")
        out.append(a(href=href)[text])
    return out


def site_header():
    return header(class_="site-header")[
        a(class_="brand", href="/")[b["Lepta News"]],
        nav(class_="site-nav")[
            _sep_links(
                [
                    ("/newest", "new"),
                    ("/front", "past"),
                    ("/newcomments", "comments"),
                    ("/ask", "ask"),
                    ("/show", "show"),
                    ("/jobs", "jobs"),
                ]
            ),
            " | ",
            a(href="/submit", rel="nofollow")["submit"],
        ],
        a(class_="login", href="/login?goto=news")["login"],
    ]


def site_footer():
    return footer(class_="site-footer")[
        nav(class_="footer-links")[
            _sep_links(
                [
                    ("/guidelines", "Guidelines"),
                    ("/faq", "FAQ"),
                    ("/lists", "Lists"),
                    ("/security", "Security"),
                    ("/legal", "Legal"),
                    ("/contact", "Contact"),
                ]
            )
        ],
        form(class_="search", method="get", action="/search")[
            label(for_="q")["Search:"],
            input_(id="q", type="text", name="q", autocomplete="off", required=True),
            button(type="submit")["Go"],
        ],
    ]


def comments_text(n):
    if n == 0:
        return "discuss"
    if n == 1:
        return "1 comment"
    return f"{n} comments"


def story_view(s):
    item = f"/item?id={s['id']}"
    if s["url"]:
        title = [
            a(class_="titlelink", href=s["url"])[s["title"]],
            " ",
            span(class_="sitebit")["(", a(href=f"/from?site={s['domain']}")[s["domain"]], ")"],
        ]
    else:
        title = a(class_="titlelink", href=item)[s["title"]]
    return li(class_="story", id=f"story-{s['id']}")[
        span(class_="rank")[s["rank"], "."],
        div(class_="story-title")[title],
        div(class_="subtext")[
            span(class_="score", id=f"score-{s['id']}")[s["points"], " points"],
            " by ",
            a(class_="user", href=f"/user?id={s['user']}")[s["user"]],
            " ",
            span(class_="age", title=s["time"])[a(href=item)[s["time_ago"]]],
            " | ",
            a(href=item)[comments_text(s["comments"])],
        ],
    ]


def news_view(stories):
    return div(id="app", class_="news")[
        site_header(),
        main(class_="stories")[
            ol(class_="story-list")[[story_view(s) for s in stories]],
            a(class_="morelink", href="/news?p=2", rel="next")["More"],
        ],
        site_footer(),
    ]


def render_news(stories):
    return str(news_view(stories))
