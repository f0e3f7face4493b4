"""The explorer on a loopback sandbox (`server`, `session`), for every explorer test module;
a module that defines its own fixture of the same name uses that one."""

from tests.tui.test_explorer import server, session

__all__ = ["server", "session"]
