"""Deterministic input data for bench/ssr.py (plain lists of dicts).

Both pages are generated from a seeded ``random.Random`` so every run and
every engine renders exactly the same data.  A few values carry ``&``, ``<``,
``>``, ``"`` and ``'`` so that text and attribute escaping are exercised.
"""

import random

# Word lists in the style of the js-framework-benchmark (Krausest) label
# generator: "adjective colour noun".
ADJECTIVES = (
    "pretty", "large", "big", "small", "tall", "short", "long", "handsome",
    "plain", "quaint", "clean", "elegant", "easy", "angry", "crazy", "helpful",
    "mushy", "odd", "unsightly", "adorable", "important", "inexpensive",
    "cheap", "expensive", "fancy",
)
COLOURS = (
    "red", "yellow", "blue", "green", "pink", "brown", "purple", "brown",
    "white", "black", "orange",
)
NOUNS = (
    "table", "chair", "house", "bbq", "desk", "car", "pony", "cookie",
    "sandwich", "burger", "pizza", "mouse", "keyboard",
)
# Every TRICKY_EVERY-th row takes one of these nouns instead.
TRICKY_NOUNS = (
    "fish & chips",
    "<b>bold</b> claim",
    '"quoted" sign',
    "rock 'n' roll",
    "a < b && b > c",
)
TRICKY_EVERY = 50

TABLE_ROWS = 1000
TABLE_SELECTED = 5


def table_rows(n=TABLE_ROWS, seed=1, tricky_every=TRICKY_EVERY):
    """The table's rows; every `tricky_every`-th label holds characters to escape."""
    rng = random.Random(seed)
    rows = []
    for i in range(1, n + 1):
        adjective = ADJECTIVES[rng.randrange(len(ADJECTIVES))]
        colour = COLOURS[rng.randrange(len(COLOURS))]
        noun = NOUNS[rng.randrange(len(NOUNS))]
        if i % tricky_every == 0:
            noun = TRICKY_NOUNS[(i // tricky_every) % len(TRICKY_NOUNS)]
        rows.append({"id": i, "label": f"{adjective} {colour} {noun}"})
    return rows


# --- news front page -------------------------------------------------------

STORY_COUNT = 30

_TOPICS = (
    "A fast SQLite extension for vector search",
    "Why we moved our build system back to Make",
    "The hidden cost of microservices",
    "Show HN: I built a tiny Lisp in 500 lines of C",
    "Rust & Python: calling one from the other without tears",
    "How <canvas> rendering got 3x faster in Firefox",
    'The "boring" technology that runs the internet',
    "Don't use floats for money",
    "A visual guide to garbage collectors",
    "Reverse-engineering a 1980s synthesizer",
    "Postgres 17 released",
    "What I learned writing a compiler in a weekend",
    "The design of fine-grained reactivity",
    "Notes on structured concurrency",
    "Why is my laptop fan always on?",
)
_ASK = (
    "Ask HN: What are you working on this month?",
    "Ask HN: Best resources for learning type theory?",
    "Ask HN: How do you keep notes & references?",
)
_DOMAINS = (
    "github.com", "blog.example.org", "lwn.net", "arxiv.org", "www.nature.com",
    "research.example.com", "danluu.com", "example.dev",
)
_USERS = (
    "pg", "dang", "tptacek", "patio11", "jacquesm", "kens", "ingve", "todsacerdoti",
    "luu", "signa11", "zdw", "bookofjoe", "rbanffy", "Tomte", "walterbell",
)


def _ago(minutes):
    if minutes < 60:
        return f"{minutes} minutes ago"
    hours = minutes // 60
    return "1 hour ago" if hours == 1 else f"{hours} hours ago"


def news_stories(n=STORY_COUNT, seed=2):
    """Stories for the front page.  Every 7th is an "Ask HN" post without a URL
    (its title links to the discussion and it shows no domain); comment counts
    include 0 ("discuss") and 1 ("1 comment")."""
    rng = random.Random(seed)
    stories = []
    base_time = 1_717_000_000
    for i in range(n):
        story_id = 40_100_000 + i * 137 + rng.randrange(100)
        minutes = 7 + i * 23 + rng.randrange(20)
        if i % 7 == 3:
            title = _ASK[(i // 7) % len(_ASK)]
            url = None
            domain = None
        else:
            title = _TOPICS[(i * 5 + rng.randrange(3)) % len(_TOPICS)]
            domain = _DOMAINS[rng.randrange(len(_DOMAINS))]
            slug = "-".join(title.lower().split()[:4])
            url = f"https://{domain}/posts/{story_id}/{slug}?ref=hn&utm_source=\"feed\""
        comments = rng.choice((0, 1, rng.randrange(2, 400)))
        t = base_time - minutes * 60
        stories.append(
            {
                "id": story_id,
                "rank": i + 1,
                "title": title,
                "url": url,
                "domain": domain,
                "points": rng.randrange(1, 900),
                "user": _USERS[rng.randrange(len(_USERS))],
                "time": f"2024-05-29T{(t // 3600) % 24:02d}:{(t // 60) % 60:02d}:{t % 60:02d}",
                "time_ago": _ago(minutes),
                "comments": comments,
            }
        )
    return stories

