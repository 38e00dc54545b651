"""Engines "jinja2" and "jinja2-macro": compiled Jinja2 templates.

``Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)`` with a
``DictLoader``; templates are compiled once (``get_template``) and rendered
with ``Template.render``.  Written as a Jinja2 user would: indented markup,
``r["id"]`` on the dicts, ``{% for %}`` / ``{% if %}``.

"jinja2" (the reference engine) has one template per page with the row /
story markup inline in the loop body.  "jinja2-macro" is the same pages with
the row / story as a ``{% macro %}`` called from the loop, the closest Jinja2
analogue of a component.
"""

import jinja2

# One template per page, row / story inline in the loop.
TABLE = """\
<table class="table table-hover table-striped test-data">
  <tbody id="tbody">
  {% for r in rows %}
    <tr{% if r["id"] == selected_id %} class="danger"{% endif %}>
      <td class="col-md-1">{{ r["id"] }}</td>
      <td class="col-md-4"><a class="lbl">{{ r["label"] }}</a></td>
      <td class="col-md-1"><a class="remove">\
<span class="remove glyphicon glyphicon-remove" aria-hidden="true"></span></a></td>
      <td class="col-md-6"></td>
    </tr>
  {% endfor %}
  </tbody>
</table>
"""

NEWS = """\
<div id="app" class="news">
  <header class="site-header">
    <a class="brand" href="/"><b>Lepta News</b></a>
    <nav class="site-nav">
      <a href="/newest">new</a> | <a href="/front">past</a> |
      <a href="/newcomments">comments</a> | <a href="/ask">ask</a> |
      <a href="/show">show</a> | <a href="/jobs">jobs</a> |
      <a href="/submit" rel="nofollow">submit</a>
    </nav>
    <a class="login" href="/login?goto=news">login</a>
  </header>
  <main class="stories">
    <ol class="story-list">
    {% for s in stories %}
      <li class="story" id="story-{{ s["id"] }}">
        <span class="rank">{{ s["rank"] }}.</span>
        <div class="story-title">
        {% if s["url"] %}
          <a class="titlelink" href="{{ s["url"] }}">{{ s["title"] }}</a>
          <span class="sitebit">(<a href="/from?site={{ s["domain"] }}">\
{{ s["domain"] }}</a>)</span>
        {% else %}
          <a class="titlelink" href="/item?id={{ s["id"] }}">{{ s["title"] }}</a>
        {% endif %}
        </div>
        <div class="subtext">
          <span class="score" id="score-{{ s["id"] }}">{{ s["points"] }} points</span>
          by <a class="user" href="/user?id={{ s["user"] }}">{{ s["user"] }}</a>
          <span class="age" title="{{ s["time"] }}">\
<a href="/item?id={{ s["id"] }}">{{ s["time_ago"] }}</a></span>
          | <a href="/item?id={{ s["id"] }}">
          {%- if s["comments"] == 0 %}discuss
          {%- elif s["comments"] == 1 %}1 comment
          {%- else %}{{ s["comments"] }} comments{% endif -%}
          </a>
        </div>
      </li>
    {% endfor %}
    </ol>
    <a class="morelink" href="/news?p=2" rel="next">More</a>
  </main>
  <footer class="site-footer">
    <nav class="footer-links">
      <a href="/guidelines">Guidelines</a> | <a href="/faq">FAQ</a> |
      <a href="/lists">Lists</a> | <a href="/security">Security</a> |
      <a href="/legal">Legal</a> | <a href="/contact">Contact</a>
    </nav>
    <form class="search" method="get" action="/search">
      <label for="q">Search:</label>
      <input type="text" id="q" name="q" autocomplete="off" required>
      <button type="submit">Go</button>
    </form>
  </footer>
</div>
"""

# The row and the story as macros (the Jinja2 analogue of a component).
MACROS = """\
{% macro row(r, selected) %}
<tr{% if selected %} class="danger"{% endif %}>
  <td class="col-md-1">{{ r["id"] }}</td>
  <td class="col-md-4"><a class="lbl">{{ r["label"] }}</a></td>
  <td class="col-md-1"><a class="remove">\
<span class="remove glyphicon glyphicon-remove" aria-hidden="true"></span></a></td>
  <td class="col-md-6"></td>
</tr>
{% endmacro %}

{% macro story(s) %}
<li class="story" id="story-{{ s["id"] }}">
  <span class="rank">{{ s["rank"] }}.</span>
  <div class="story-title">
  {% if s["url"] %}
    <a class="titlelink" href="{{ s["url"] }}">{{ s["title"] }}</a>
    <span class="sitebit">(<a href="/from?site={{ s["domain"] }}">\
{{ s["domain"] }}</a>)</span>
  {% else %}
    <a class="titlelink" href="/item?id={{ s["id"] }}">{{ s["title"] }}</a>
  {% endif %}
  </div>
  <div class="subtext">
    <span class="score" id="score-{{ s["id"] }}">{{ s["points"] }} points</span>
    by <a class="user" href="/user?id={{ s["user"] }}">{{ s["user"] }}</a>
    <span class="age" title="{{ s["time"] }}">\
<a href="/item?id={{ s["id"] }}">{{ s["time_ago"] }}</a></span>
    | <a href="/item?id={{ s["id"] }}">
    {%- if s["comments"] == 0 %}discuss
    {%- elif s["comments"] == 1 %}1 comment
    {%- else %}{{ s["comments"] }} comments{% endif -%}
    </a>
  </div>
</li>
{% endmacro %}
"""

TABLE_MACRO = """\
{% from "macros.html" import row %}
<table class="table table-hover table-striped test-data">
  <tbody id="tbody">
  {% for r in rows %}
    {{ row(r, r["id"] == selected_id) }}
  {% endfor %}
  </tbody>
</table>
"""

# Page b's layout with the loop body replaced by a macro call.
NEWS_MACRO = '{% from "macros.html" import story %}\n' + NEWS[
    : NEWS.index('      <li class="story"')
] + "      {{ story(s) }}\n" + NEWS[NEWS.index("    {% endfor %}") :]

TEMPLATES = {
    "table.html": TABLE,
    "news.html": NEWS,
    "macros.html": MACROS,
    "table_macro.html": TABLE_MACRO,
    "news_macro.html": NEWS_MACRO,
}

env = jinja2.Environment(
    loader=jinja2.DictLoader(TEMPLATES),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
)

_table = env.get_template("table.html")
_news = env.get_template("news.html")
_table_macro = env.get_template("table_macro.html")
_news_macro = env.get_template("news_macro.html")


def render_table(rows, selected_id):
    return _table.render(rows=rows, selected_id=selected_id)


def render_news(stories):
    return _news.render(stories=stories)


def render_table_macro(rows, selected_id):
    return _table_macro.render(rows=rows, selected_id=selected_id)


def render_news_macro(stories):
    return _news_macro.render(stories=stories)
