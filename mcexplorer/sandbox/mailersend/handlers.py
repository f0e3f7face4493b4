"""Every MailerSend operation's handler, by (method, path template); the few catalog
operations without state here get the generic answer."""

from __future__ import annotations

from mcexplorer.sandbox.mailersend import (
    access,
    domains,
    extras,
    hooks,
    insights,
    recipients,
    sending,
    sms,
    sms_routes,
    verification,
)
from mcexplorer.sandbox.mailersend.call import Call, Handler, paged
from mcexplorer.sandbox.mailersend.errors import not_found
from mcexplorer.sandbox.routing import Reply

HANDLERS: dict[tuple[str, str], Handler] = {
    **sending.HANDLERS,
    **domains.HANDLERS,
    **insights.HANDLERS,
    **recipients.HANDLERS,
    **access.HANDLERS,
    **hooks.HANDLERS,
    **verification.HANDLERS,
    **sms.HANDLERS,
    **sms_routes.HANDLERS,
    **extras.HANDLERS,
}


def generic(call: Call, success: int) -> Reply:
    """Operations the demo account has nothing for (its WhatsApp lists): lists are empty and
    every id is unknown."""
    if call.method == "GET" and not call.template.endswith("}"):
        return paged(call, [])
    if "{" in call.template:
        raise not_found()
    return Reply(success)
