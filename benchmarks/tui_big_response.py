"""A 1,000-member response in the explorer: time from arrival to visible, longest stall.

Runs the app headless at 120x40 on the sandbox. The sandbox's largest audience has 520
members, so its real page is doubled (ids made unique) to 1,000 members, several MB.
"Visible" is the first line the JSON view paints after the body arrives; the stall is
the longest the event loop went without running a 5 ms ticker during that time.

    python benchmarks/tui_big_response.py [--runs 5]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from dataclasses import replace

from mcexplorer.core.accounts.keys import Credentials
from mcexplorer.core.accounts.target import Target
from mcexplorer.core.http.request import ApiRequest
from mcexplorer.sandbox.server import SandboxServer
from mcexplorer.tui.app import ExplorerApp
from mcexplorer.tui.widgets.json_view import JsonView

TICK_S = 0.005


async def stall_monitor(stop: asyncio.Event, worst: list[float]) -> None:
    while not stop.is_set():
        start = time.perf_counter()
        await asyncio.sleep(TICK_S)
        worst[0] = max(worst[0], time.perf_counter() - start - TICK_S)


async def run(runs: int) -> None:
    with SandboxServer(seed=0) as server:
        creds = Credentials.api_key(server.demo_key)
        app = ExplorerApp(target=Target(creds, server.api_url, "sandbox"))
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause(0.5)
            await app.workers.wait_for_complete()
            screen = app.explorer
            assert screen.session is not None
            engine = screen.session.engine
            lists = (await engine.send(ApiRequest("GET", "/lists"))).json()
            biggest = max(lists["lists"], key=lambda a: a["stats"]["member_count"])
            page = await engine.send(
                ApiRequest(
                    "GET",
                    "/lists/{list_id}/members",
                    {"list_id": biggest["id"]},
                    {"count": "1000"},
                )
            )
            body = page.json()
            members = body["members"]
            body["members"] = [
                {**m, "id": f"{m['id'][:-4]}{i:04d}"}
                for i, m in enumerate((members * (1000 // len(members) + 1))[:1000])
            ]
            body["total_items"] = 1000
            outcome = replace(page, body=json.dumps(body).encode())
            print(f"body: {len(body['members'])} members, {len(outcome.body) / 1e6:.2f} MB")
            del body, members, page  # only the raw bytes arrive, as from the network

            view = screen.query_one(JsonView)
            painted: list[float] = []
            original = view.render_line

            def render_line(y: int):  # type: ignore[no-untyped-def]
                if len(view.lines) > 1000 and not painted:
                    painted.append(time.perf_counter())
                return original(y)

            view.render_line = render_line  # type: ignore[method-assign]
            # The noise floor: the same monitor over an idle second (other load on the box
            # shows up here too).
            stop, idle = asyncio.Event(), [0.0]
            monitor = asyncio.create_task(stall_monitor(stop, idle))
            await asyncio.sleep(1.0)
            stop.set()
            await monitor
            visible_ms: list[float] = []
            stalls_ms: list[float] = []
            for _ in range(runs):
                view.set_lines([""], 1, is_json=False)
                await pilot.pause(0.2)
                painted.clear()
                stop, worst = asyncio.Event(), [0.0]
                monitor = asyncio.create_task(stall_monitor(stop, worst))
                start = time.perf_counter()
                screen.show_outcome(outcome, None)
                while not painted:
                    await asyncio.sleep(0.001)
                visible_ms.append((painted[0] - start) * 1000)
                await pilot.pause(0.1)
                stop.set()
                await monitor
                stalls_ms.append(worst[0] * 1000)
            print(
                f"arrival → visible: median {statistics.median(visible_ms):.0f} ms, "
                f"max {max(visible_ms):.0f} ms (budget 300 ms) over {runs} runs"
            )
            print(
                f"longest event-loop stall: median {statistics.median(stalls_ms):.0f} ms, "
                f"max {max(stalls_ms):.0f} ms (budget 100 ms); "
                f"idle baseline {idle[0] * 1000:.0f} ms"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    asyncio.run(run(parser.parse_args().runs))


if __name__ == "__main__":
    main()
