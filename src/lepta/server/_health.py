"""The health check: `GET /_lepta/health` answers 200 while the worker serves.

    $ curl -s localhost:3000/_lepta/health
    {"status":"ok","build":"3f9a0c51d2"}

For load balancers, container orchestrators and uptime checks: a worker answers
only once the app's `setup` has run (uvicorn serves after the lifespan starts), and
stops answering when it begins to shut down (it closes its socket first), so a
balancer sends it nothing new while it drains. `build` tells which build a worker
serves, to follow a rolling deploy. The path is `health` under `[tool.lepta]`;
`health = false` turns it off.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import Response


def health_endpoint(build_id: str) -> Any:
    """The endpoint of the health check of a worker serving build `build_id`."""
    body = json.dumps({"status": "ok", "build": build_id}, separators=(",", ":")).encode()

    async def health(request: Request) -> Response:
        return Response(body, media_type="application/json", headers={"Cache-Control": "no-store"})

    return health
