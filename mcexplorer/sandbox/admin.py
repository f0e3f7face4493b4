"""Routes outside /3.0: sandbox control (`/_sandbox/*`) and batch result downloads.

No limits, auth or faults apply here: a benchmark or test must always be able
to read the counters and change the faults. Other origins are refused (admin_guard).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from mcexplorer.sandbox.admin_guard import ADMIN_MIDDLEWARE
from mcexplorer.sandbox.batches import batch_results as archive_of
from mcexplorer.sandbox.faults import FaultConfig, FaultConfigError

if TYPE_CHECKING:
    from mcexplorer.sandbox.app import SandboxApp


def build_admin(sandbox: SandboxApp) -> Starlette:
    async def stats(request: Request) -> Response:
        return JSONResponse(sandbox.stats.to_dict())

    async def reset(request: Request) -> Response:
        sandbox.reset()
        return JSONResponse({"reset": True, "seed": sandbox.seed})

    async def get_faults(request: Request) -> Response:
        return JSONResponse(sandbox.faults.to_dict())

    async def put_faults(request: Request) -> Response:
        try:
            data = json.loads(await request.body())
            if not isinstance(data, dict):
                raise FaultConfigError("send a JSON object of fault fields or {'profile': name}")
            config = FaultConfig.from_dict(data)
        except (ValueError, FaultConfigError) as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        sandbox.set_faults(config)
        return JSONResponse(config.to_dict())

    async def batch_results(request: Request) -> Response:
        name: str = request.path_params["name"]
        data = archive_of(sandbox.store, name.removesuffix(".tar.gz"))
        if data is None:
            return Response("Not Found", status_code=404, media_type="text/plain")
        return Response(data, media_type="application/x-gzip")

    return Starlette(
        routes=[
            Route("/_sandbox/stats", stats, methods=["GET"]),
            Route("/_sandbox/reset", reset, methods=["POST"]),
            Route("/_sandbox/faults", get_faults, methods=["GET"]),
            Route("/_sandbox/faults", put_faults, methods=["PUT"]),
            Route("/_batch-results/{name}", batch_results, methods=["GET"]),
        ],
        middleware=ADMIN_MIDDLEWARE,
    )
