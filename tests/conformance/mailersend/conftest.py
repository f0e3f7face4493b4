"""The MailerSend sandbox fixtures, shared with tests/mailersend."""

from tests.mailersend.conftest import ms, ms_server  # noqa: F401
