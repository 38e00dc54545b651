"""Writes stories.json, the reader's data: 400 stories with their comment trees, and
the users who wrote them, made up from word lists with a fixed seed (no network).

    python examples/hackernews/make_fixture.py

The same seed always gives the same file, so the committed stories.json can be
checked: running this again leaves it unchanged. Times are seconds before `now`
(also in the file), so the pages read "3 hours ago" on any day.
"""

import json
import random
from pathlib import Path

SEED = 1729
STORIES = 400
NOW = 1_717_171_717  # 2024-05-31: the moment the fixture pretends it is
OUT = Path(__file__).resolve().parent / "stories.json"

TOPICS = [
    "Rust", "Python", "SQLite", "WebAssembly", "PostgreSQL", "compilers", "type systems",
    "distributed systems", "CRDTs", "Linux", "the JVM", "Lisp", "Zig", "OCaml", "Erlang",
    "GPUs", "RISC-V", "home automation", "static sites", "email", "DNS", "TLS",
    "Kubernetes", "Nix", "Emacs", "Vim", "mechanical keyboards", "solar power",
    "bicycles", "3D printing", "reactive UIs", "spreadsheets", "SQL", "text editors",
    "fonts", "maps", "audio synthesis", "game engines", "garbage collectors", "Unicode",
]  # fmt: skip
THINGS = [
    "text editor", "database", "web framework", "terminal", "shell", "parser",
    "scheduler", "search engine", "static site generator", "window manager",
    "build system", "package manager", "regex engine", "synthesizer", "ray tracer",
    "key-value store", "chess engine", "emulator", "file system", "query planner",
]  # fmt: skip
ADJECTIVES = ["underrated", "overrated", "harder than it looks", "still worth it", "misunderstood",
              "surprisingly simple", "everywhere now", "not dead", "quietly winning"]  # fmt: skip
QUALITIES = ["gentle", "visual", "practical", "brief", "curious", "strange", "unofficial"]
VERBS = ["rewrote", "replaced", "scaled", "simplified", "debugged", "open-sourced", "shrank"]
SYLLABLES = ["ka", "lo", "mi", "ra", "zu", "ten", "vor", "el", "qu", "is", "on", "ax",
             "bel", "dor", "fi", "gan", "hu", "jet", "nu", "pix", "sor", "tyr", "wen"]  # fmt: skip
HANDLES = ["ada", "byte", "cobalt", "delta", "ember", "fjord", "gamma", "hex", "iris",
           "juniper", "kelvin", "lambda", "mango", "nimbus", "onyx", "pixel", "quill",
           "rust", "sigma", "tundra", "umber", "vector", "willow", "xeno", "yarrow",
           "zephyr", "otter", "basalt", "cedar", "dune", "flint", "harbor", "lumen"]  # fmt: skip
LETTERS = "abcdefghijklmnopqrstuvwxyz"
SUFFIXES = ["", "_dev", "42", "hacker", "_io", "smith", "cat", "fox", "9", "lab", "ops", "77"]
ROLES = ["a senior backend engineer", "a compiler engineer", "a founding designer",
         "site reliability engineers", "a data engineer", "a developer advocate",
         "full-stack engineers", "an embedded systems engineer"]  # fmt: skip
PLACES = ["remote", "Berlin", "London", "San Francisco", "Toronto", "Lisbon", "remote, EU"]
QUESTIONS = [
    "How do you keep up with {topic}",
    "What's your favorite {thing}",
    "Is {topic} worth learning in 2024",
    "Who is using {topic} in production",
    "How do you test a {thing}",
    "What are you working on this month",
    "Best resources to learn {topic}",
    "Has anyone moved from {topic} to {topic2}",
    "What {thing} do you use and why",
]
LINK_TITLES = [
    "Why {topic} is {adjective}",
    "The {quality} history of {topic}",
    "How we {verb} our {thing} with {topic}",
    "{n} years of {topic}",
    "A {quality} introduction to {topic}",
    "Writing a {thing} from scratch",
    "What I learned building a {thing} in {topic}",
    "Notes on {topic} and {topic2}",
    "{project} {version} released",
    "{project}: a {quality} {thing} for {topic}",
    "Ask the expert: {topic} in practice",
    "The case against {topic}",
]
SENTENCES = [
    "I've been using {topic} for {n} years and it still surprises me.",
    "This matches my experience with {topic} almost exactly.",
    "The part about the {thing} is great, but I'm not sure it generalizes.",
    "Has anyone tried this with {topic}?",
    "Counterpoint: {topic} solves a different problem than the article suggests.",
    "We did something similar at my last job; the hard part was the {thing}.",
    "Great write-up. The benchmarks section could use more detail.",
    "{topic} gets a lot of criticism, but it is {adjective}.",
    "There was a good discussion about this a couple of years ago.",
    "I wish more tools were designed like this.",
    "The author glosses over error handling, which is where most of the work is.",
    "Honestly the simplest approach wins here: a {thing} and a cron job.",
    "I tried this last weekend and had it running in an hour.",
    "It's {adjective}, in my opinion, and the docs don't help.",
    "Do you have numbers for the memory use?",
    "This is the kind of post I come here for.",
    "The {thing} in the second section is doing a lot of heavy lifting.",
    "I'd love to see a comparison with {topic2}.",
]
ABOUTS = [
    "Building a {thing} in {topic}. Previously at a startup nobody remembers.",
    "Interested in {topic} and {topic2}.",
    "Writes about {topic} at my blog; email in profile once I remember to add it.",
    "Maintainer of a small {thing}. Opinions my own.",
    "{topic} by day, {topic2} by night.",
    "",
    "",
]


def main():
    rng = random.Random(SEED)
    words = Words(rng)
    users = make_users(rng, words)
    names = list(users)
    weights = [1 / (rank + 3) for rank in range(len(names))]  # a few users post a lot
    ids = iter(range(10_001, 1_000_000))
    stories = [make_story(rng, words, next(ids), names, weights, ids) for _ in range(STORIES)]
    for story in stories:
        if story["user"] is not None:
            users[story["user"]]["karma"] += story["points"]
    data = {"now": NOW, "users": users, "stories": stories}
    OUT.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
    comments = sum(story["comments_count"] for story in stories)
    print("%s: %d stories, %d comments, %d users" % (OUT.name, len(stories), comments, len(users)))


class Words:
    """Fills templates with random words."""

    def __init__(self, rng):
        self.rng = rng

    def fill(self, template):
        pick = self.rng.choice
        topic, topic2 = self.rng.sample(TOPICS, 2)
        text = template.format(
            topic=topic,
            topic2=topic2,
            thing=pick(THINGS),
            adjective=pick(ADJECTIVES),
            quality=pick(QUALITIES),
            verb=pick(VERBS),
            n=self.rng.randint(2, 20),
            project=self.project(),
            version="%d.%d" % (self.rng.randint(0, 9), self.rng.randint(0, 30)),
        )
        return text[:1].upper() + text[1:]

    def project(self):
        return "".join(self.rng.choice(SYLLABLES) for _ in range(self.rng.randint(2, 3))).title()

    def paragraphs(self, most):
        return [
            " ".join(self.fill(self.rng.choice(SENTENCES)) for _ in range(self.rng.randint(1, 3)))
            for _ in range(self.rng.randint(1, most))
        ]


def make_users(rng, words):
    users = {}
    while len(users) < 240:
        name = rng.choice(HANDLES) + rng.choice(SUFFIXES)
        if rng.random() < 0.15:
            name = "".join(rng.choice(LETTERS) for _ in range(rng.randint(2, 4)))  # "pg"
        if name in users:
            continue
        users[name] = {
            "id": name,
            "created": NOW - rng.randint(200, 5800) * 86_400,
            "karma": rng.randint(1, 4000),
            "about": words.fill(rng.choice(ABOUTS)) if rng.random() < 0.7 else "",
        }
    return users


def make_story(rng, words, id, names, weights, ids):
    kind = rng.choices(["link", "show", "ask", "job"], [64, 14, 13, 9])[0]
    author = rng.choices(names, weights)[0]
    story = {
        "id": id,
        "type": kind,
        "title": "",
        "user": author,
        "points": int(rng.expovariate(1 / 90)) + 1,
        "time": NOW - rng.randint(60, 7 * 86_400),
        "url": None,
        "text": [],
        "comments_count": 0,
        "comments": [],
    }
    if kind == "link":
        story["title"] = words.fill(rng.choice(LINK_TITLES))
        story["url"] = link_url(rng, author, story["title"])
    elif kind == "show":
        project = words.project()
        pitch = words.fill("a {quality} {thing} for {topic}")
        story["title"] = "Show HN: %s \u2013 %s" % (project, pitch)  # an en dash
        if rng.random() < 0.5:
            story["url"] = "https://github.com/%s/%s" % (author, project.lower())
        else:
            story["text"] = words.paragraphs(3)
    elif kind == "ask":
        story["title"] = "Ask HN: %s?" % words.fill(rng.choice(QUESTIONS))
        story["text"] = words.paragraphs(3)
    else:
        company = words.project()
        if rng.random() < 0.5:
            batch = "%s%02d" % (rng.choice("SW"), rng.randint(12, 24))
            title = "%s (YC %s) is hiring %s" % (company, batch, rng.choice(ROLES))
        else:
            title = "%s is hiring %s (%s)" % (company, rng.choice(ROLES), rng.choice(PLACES))
        story["title"] = title
        story["points"] = 1
        story["user"] = None  # as on HN: a job has neither author nor comments
        if rng.random() < 0.6:
            story["url"] = "https://%s.example.com/careers" % company.lower()
        else:
            story["text"] = [
                words.fill("We build a {thing} for teams who care about {topic}."),
                "Email jobs@%s.example.com with something you have made." % company.lower(),
            ]
        return story
    wanted = min(120, int(story["points"] / 9 * rng.uniform(0.3, 1.6)))
    story["comments"] = make_comments(rng, words, wanted, story["time"], names, weights, ids)
    story["comments_count"] = wanted
    return story


def link_url(rng, author, title):
    slug = "-".join("".join(c for c in w.lower() if c.isalnum()) for w in title.split()[:6])
    host = rng.choice(
        ["%s.example.com" % author, "journal.example.org", "research.example.edu",
         "news.example.net", "blog.example.io", "github.com/%s" % author]
    )  # fmt: skip
    return "https://%s/%s" % (host, slug)


def make_comments(rng, words, count, since, names, weights, ids):
    """A tree of `count` comments: each new one answers the story or an earlier
    comment, more often a recent one, at most six deep."""
    roots = []
    placed = []  # (comment, depth), in the order written
    for _ in range(count):
        comment = {
            "id": next(ids),
            "user": rng.choices(names, weights)[0],
            "time": later(rng, since),
            "text": words.paragraphs(2),
            "comments": [],
        }
        open_ = [(c, d) for c, d in placed[-12:] if d < 6]
        if not open_ or rng.random() < 0.35:
            roots.append(comment)
            placed.append((comment, 1))
        else:
            parent, depth = rng.choice(open_)
            comment["time"] = later(rng, parent["time"])
            parent["comments"].append(comment)
            placed.append((comment, depth + 1))
    return roots


def later(rng, since):
    """A moment between `since` and `now`, most often soon after `since`."""
    return since + int((NOW - since) * rng.random() ** 2)


if __name__ == "__main__":
    main()
