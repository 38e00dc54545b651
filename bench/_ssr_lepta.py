"""Engine "lepta": lepta.html builders and @component, rendered with
``render_to_string``.

Every row / story / layout part is a module-level ``@component`` called with
keyword props (the view layer compiles their static parts).  Static markup is
written inline, as it would be in an app, so the compiler can see it.
"""

from lepta import component, render_to_string
from lepta.html import (
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
from lepta.html import input as input_

# --- page a -------------------------------------------------------------------


@component
def Row(row, selected=False):
    return tr(
        td(row["id"], class_="col-md-1"),
        td(a(row["label"], class_="lbl"), class_="col-md-4"),
        td(
            a(
                span(class_="remove glyphicon glyphicon-remove", aria_hidden="true"),
                class_="remove",
            ),
            class_="col-md-1",
        ),
        td(class_="col-md-6"),
        class_="danger" if selected else None,
    )


@component
def Table(rows, selected_id):
    return table(
        tbody([Row(row=r, selected=r["id"] == selected_id) for r in rows], id="tbody"),
        class_="table table-hover table-striped test-data",
    )


def render_table(rows, selected_id):
    return render_to_string(lambda: Table(rows=rows, selected_id=selected_id))


# --- page b -------------------------------------------------------------------


@component
def SiteHeader():
    return header(
        a(b("Lepta News"), class_="brand", href="/"),
        nav(
            a("new", href="/newest"),
            " | ",
            a("past", href="/front"),
            " | ",
            a("comments", href="/newcomments"),
            " | ",
            a("ask", href="/ask"),
            " | ",
            a("show", href="/show"),
            " | ",
            a("jobs", href="/jobs"),
            " | ",
            a("submit", href="/submit", rel="nofollow"),
            class_="site-nav",
        ),
        a("login", class_="login", href="/login?goto=news"),
        class_="site-header",
    )


@component
def SiteFooter():
    return footer(
        nav(
            a("Guidelines", href="/guidelines"),
            " | ",
            a("FAQ", href="/faq"),
            " | ",
            a("Lists", href="/lists"),
            " | ",
            a("Security", href="/security"),
            " | ",
            a("Legal", href="/legal"),
            " | ",
            a("Contact", href="/contact"),
            class_="footer-links",
        ),
        form(
            label("Search:", for_="q"),
            input_(type="text", id="q", name="q", autocomplete="off", required=True),
            button("Go", type="submit"),
            class_="search",
            method="get",
            action="/search",
        ),
        class_="site-footer",
    )


def comments_text(n):
    if n == 0:
        return "discuss"
    if n == 1:
        return "1 comment"
    return f"{n} comments"


@component
def Story(story):
    item = f"/item?id={story['id']}"
    url = story["url"]
    return li(
        span(story["rank"], ".", class_="rank"),
        div(
            a(story["title"], class_="titlelink", href=url or item),
            [
                " ",
                span(
                    "(",
                    a(story["domain"], href=f"/from?site={story['domain']}"),
                    ")",
                    class_="sitebit",
                ),
            ]
            if url
            else None,
            class_="story-title",
        ),
        div(
            span(story["points"], " points", class_="score", id=f"score-{story['id']}"),
            " by ",
            a(story["user"], class_="user", href=f"/user?id={story['user']}"),
            " ",
            span(a(story["time_ago"], href=item), class_="age", title=story["time"]),
            " | ",
            a(comments_text(story["comments"]), href=item),
            class_="subtext",
        ),
        class_="story",
        id=f"story-{story['id']}",
    )


@component
def NewsPage(stories):
    return div(
        SiteHeader(),
        main(
            ol([Story(story=s) for s in stories], class_="story-list"),
            a("More", class_="morelink", href="/news?p=2", rel="next"),
            class_="stories",
        ),
        SiteFooter(),
        id="app",
        class_="news",
    )


def render_news(stories):
    return render_to_string(lambda: NewsPage(stories=stories))
