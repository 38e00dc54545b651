"""The peer of bench/load_app written with FastAPI and Jinja2: the same page (the same
document, byte for byte in its body) from the same database, and the same server
function at the same path.

    LOAD_DB=items.db uvicorn --app-dir bench --factory load_peer:create_app --workers 2

    GET  /                             the newest items, read from the database
    POST /_lepta/fn/items.add_item     {"title": "..."} -> the new item's id

It reads and writes through bench/load_app/db.py, as the Lepta app does (SQLite in WAL
mode, or DATABASE_URL). The template writes out what Lepta's page has: the document
head with the client's assets, the list between its Suspense markers, and the
resource's data for hydration, so that both send the same HTML.
"""

from __future__ import annotations

import sys
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any

import jinja2
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, StringConstraints

sys.path.insert(0, str(Path(__file__).resolve().parent / "load_app"))

from db import Database, database_url  # the app's own database layer

# Lepta's document for this app, as `lepta serve` sends it (the assets' names are the
# app's build's; the script compares the two pages' bodies before timing).
PAGE = """\
<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">\
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Items</title>\
<link rel="icon" href="data:,">\
<link rel="modulepreload" href="/_lepta/runtime/micropython-1.27.0-lepta5/micropython.mjs">\
<link rel="preload" href="/_lepta/runtime/micropython-1.27.0-lepta5/micropython.wasm" \
as="fetch" crossorigin><link rel="preload" href="/_lepta/bundle-{{ build }}.bin" as="fetch" \
crossorigin><script type="module" src="/_lepta/loader-{{ loader }}.js" \
data-lepta-runtime="micropython" \
data-lepta-runtime-url="/_lepta/runtime/micropython-1.27.0-lepta5/" \
data-lepta-bundle="/_lepta/bundle-{{ build }}.bin" data-lepta-entry="app:App" \
data-lepta-heap-mb="24" data-lepta-base="" data-lepta-build="{{ build }}"></script></head>\
<body><main><h1>Items</h1><!--s:1--><ul id="items">\
{% for item in items %}<li id="item-{{ item.id }}"><span class="title">{{ item.title }}</span></li>\
{% endfor %}<!></ul><!--/s:1--></main><!>\
<script type="application/json" data-lepta-resources>{"0":[1,{{ items | tojson }}]}</script>\
</body></html>"""

Title = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class NewItem(BaseModel):
    title: Title


def create_app() -> FastAPI:
    environment = jinja2.Environment(autoescape=True)
    environment.policies["json.dumps_kwargs"] = {"separators": (",", ":")}
    template = environment.from_string(PAGE)
    state: dict[str, Any] = {}

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> Any:
        state["db"] = db = Database(database_url())
        await db.create_schema()
        try:
            yield
        finally:
            await db.close()

    app = FastAPI(lifespan=lifespan, openapi_url=None, docs_url=None, redoc_url=None)

    @app.get("/", response_class=HTMLResponse)
    async def page(request: Request) -> HTMLResponse:
        items = await state["db"].recent()
        html = template.render(items=items, build="0" * 10, loader="0" * 10)
        return HTMLResponse(html, headers={"Cache-Control": "no-store"})

    @app.post("/_lepta/fn/items.add_item")
    async def add_item(item: NewItem) -> int:
        return int(await state["db"].add(item.title))

    return app
