"""Stateful handlers, keyed by (METHOD, catalog template); every other operation is generic."""

from __future__ import annotations

from mcexplorer.sandbox.batches import advance
from mcexplorer.sandbox.resources import (  # noqa: F401  (importing registers the handlers)
    automations,
    batch_webhooks,
    batches,
    campaigns,
    interests,
    lists,
    member_subresources,
    members,
    merge_fields,
    reports,
    root,
    search,
    segments,
    templates,
)
from mcexplorer.sandbox.resources.common import HANDLERS, before_each
from mcexplorer.sandbox.routing import Ctx


def _advance_batches(ctx: Ctx) -> None:
    advance(ctx.store, ctx.execute)


before_each.append(_advance_batches)

__all__ = ["HANDLERS"]
