"""A FastAPI application with a Lepta app mounted at /app, beside FastAPI's own
endpoints. Build the Lepta app once, then serve this module with uvicorn:

    lepta build examples/fastapi_mount
    uvicorn main:app --app-dir examples/fastapi_mount
"""

from pathlib import Path

from fastapi import FastAPI

from lepta.server import create_app

lepta_app = create_app(Path(__file__).parent)

# FastAPI runs the lifespan of the outer app only: hand it the Lepta app's (its
# `setup`, if it has one) so that it opens and closes with the server.
app = FastAPI(lifespan=lepta_app.router.lifespan_context)


@app.get("/api/status")
async def status() -> dict[str, str]:
    return {"status": "ok"}


app.mount("/app", lepta_app)
