"""Engine "lepta-alias": the pages of ``_ssr_lepta.py`` written with the builders
reached through a module alias (``from lepta import html as h``; ``h.tr(h.td(...))``),
the other common way to import them.  Same components, same props.
"""

from lepta import component, render_to_string
from lepta import html as h

# --- page a -------------------------------------------------------------------


@component
def Row(row, selected=False):
    return h.tr(
        h.td(row["id"], class_="col-md-1"),
        h.td(h.a(row["label"], class_="lbl"), class_="col-md-4"),
        h.td(
            h.a(
                h.span(class_="remove glyphicon glyphicon-remove", aria_hidden="true"),
                class_="remove",
            ),
            class_="col-md-1",
        ),
        h.td(class_="col-md-6"),
        class_="danger" if selected else None,
    )


@component
def Table(rows, selected_id):
    return h.table(
        h.tbody([Row(row=r, selected=r["id"] == selected_id) for r in rows], id="tbody"),
        class_="table table-hover table-striped test-data",
    )


def render_table(rows, selected_id):
    return render_to_string(lambda: Table(rows=rows, selected_id=selected_id))


# --- page b -------------------------------------------------------------------


@component
def SiteHeader():
    return h.header(
        h.a(h.b("Lepta News"), class_="brand", href="/"),
        h.nav(
            h.a("new", href="/newest"),
            " | ",
            h.a("past", href="/front"),
            " | ",
            h.a("comments", href="/newcomments"),
            " | ",
            h.a("ask", href="/ask"),
            " | ",
            h.a("show", href="/show"),
            " | ",
            h.a("jobs", href="/jobs"),
            " | ",
            h.a("submit", href="/submit", rel="nofollow"),
            class_="site-nav",
        ),
        h.a("login", class_="login", href="/login?goto=news"),
        class_="site-header",
    )


@component
def SiteFooter():
    return h.footer(
        h.nav(
            h.a("Guidelines", href="/guidelines"),
            " | ",
            h.a("FAQ", href="/faq"),
            " | ",
            h.a("Lists", href="/lists"),
            " | ",
            h.a("Security", href="/security"),
            " | ",
            h.a("Legal", href="/legal"),
            " | ",
            h.a("Contact", href="/contact"),
            class_="footer-links",
        ),
        h.form(
            h.label("Search:", for_="q"),
            h.input(type="text", id="q", name="q", autocomplete="off", required=True),
            h.button("Go", type="submit"),
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
    return h.li(
        h.span(story["rank"], ".", class_="rank"),
        h.div(
            h.a(story["title"], class_="titlelink", href=url or item),
            [
                " ",
                h.span(
                    "(",
                    h.a(story["domain"], href=f"/from?site={story['domain']}"),
                    ")",
                    class_="sitebit",
                ),
            ]
            if url
            else None,
            class_="story-title",
        ),
        h.div(
            h.span(story["points"], " points", class_="score", id=f"score-{story['id']}"),
            " by ",
            h.a(story["user"], class_="user", href=f"/user?id={story['user']}"),
            " ",
            h.span(h.a(story["time_ago"], href=item), class_="age", title=story["time"]),
            " | ",
            h.a(comments_text(story["comments"]), href=item),
            class_="subtext",
        ),
        class_="story",
        id=f"story-{story['id']}",
    )


@component
def NewsPage(stories):
    return h.div(
        SiteHeader(),
        h.main(
            h.ol([Story(story=s) for s in stories], class_="story-list"),
            h.a("More", class_="morelink", href="/news?p=2", rel="next"),
            class_="stories",
        ),
        SiteFooter(),
        id="app",
        class_="news",
    )


def render_news(stories):
    return render_to_string(lambda: NewsPage(stories=stories))
