"""The palette's 'Sandbox faults: …' entries switch the sandbox the explorer talks to."""

from __future__ import annotations

import httpx

from tests.tui.test_explorer import Session


def _notices(session: Session) -> list[str]:
    return [str(n.message) for n in session.app._notifications]


async def test_the_outage_profile_makes_the_next_send_a_503(session: Session) -> None:
    await session.screen.run_action("sandbox_faults('outage')")
    await session.settle()
    assert "The sandbox now answers with the 'outage' fault profile." in _notices(session)
    faults = httpx.get(session.server.url + "/_sandbox/faults").json()
    assert faults["rates"]["503"] == 0.5
    await session.screen.run_action("sandbox_faults('none')")
    await session.settle()
    assert httpx.get(session.server.url + "/_sandbox/faults").json()["rates"] == {}


async def test_an_account_on_the_real_api_is_told_it_has_no_sandbox(session: Session) -> None:
    target = session.screen.connection.target
    assert target is not None
    session.screen.connection.target = type(target)(
        target.credentials, "https://us6.api.mailchimp.com/3.0/", "work"
    )
    await session.screen.run_action("sandbox_faults('outage')")
    await session.settle()
    assert any("not a sandbox on this machine" in n for n in _notices(session))
    assert httpx.get(session.server.url + "/_sandbox/faults").json()["rates"] == {}
