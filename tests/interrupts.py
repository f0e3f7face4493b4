"""Child processes that take Ctrl-C as they would at a terminal.

A background job of a non-interactive shell starts with SIGINT ignored, and its children
inherit that; Python then installs no KeyboardInterrupt handler. Restoring the default in
the child before it starts gives it back.
"""

from __future__ import annotations

import signal


def sigint_as_at_a_terminal() -> None:
    """For `subprocess.Popen(preexec_fn=...)`."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
