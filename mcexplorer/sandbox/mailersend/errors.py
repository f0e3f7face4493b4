"""MailerSend's error answers: `{message, errors: {field: [..]}}`, its answer texts, and a
collector for the Laravel-style validation the API runs on bodies and queries."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NoReturn

from mcexplorer.sandbox.mailersend.limits import sandbox_data


def text(key: str, **values: Any) -> str:
    """One of the API's answer texts (`messages` in the sandbox data file), filled in."""
    template: str = sandbox_data()["messages"][key]
    return template.format(**values)


class MsError(Exception):
    """An error answer. `bare` ones (an unknown id in the path) are turned away before the
    daily quota is counted, so they carry no quota headers; `retry_after` is False for the
    throttles whose 429 has no retry-after."""

    def __init__(
        self,
        status: int,
        message: str,
        errors: dict[str, list[str]] | None = None,
        *,
        bare: bool = False,
        retry_after: bool = True,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.errors = errors
        self.bare = bare
        self.retry_after = retry_after

    def body(self) -> dict[str, Any]:
        return {"message": self.message, **({"errors": self.errors} if self.errors else {})}


def invalid(errors: dict[str, list[str]]) -> MsError:
    """A 422 whose message is the first error, plus how many others there are."""
    messages = [m for field in errors.values() for m in field]
    first, rest = messages[0], len(messages) - 1
    if rest:
        noun = "error" if rest == 1 else "errors"
        first = text("more_errors", first=first, count=rest, noun=noun)
    return MsError(422, first, errors)


def not_found() -> MsError:
    """An id in the path that names nothing in the account."""
    return MsError(404, text("not_found"), bare=True)


def not_found_counted() -> MsError:
    """A lookup that fails inside the handler: counted, with the usual headers."""
    return MsError(404, text("not_found"))


def attribute(field: str) -> str:
    """How the API names a field in its messages: 'sms_number_id' reads 'sms number id'."""
    return field.replace("_", " ")


class Check:
    """Collects field errors in the order the rules run, then raises one 422."""

    def __init__(self, body: Any) -> None:
        self.body: Mapping[str, Any] = body if isinstance(body, Mapping) else {}
        self.errors: dict[str, list[str]] = {}

    def add(self, field: str, key: str, **values: Any) -> None:
        self.errors.setdefault(field, []).append(text(key, field=attribute(field), **values))

    def has(self, field: str) -> bool:
        return field in self.errors

    def value(self, field: str) -> Any:
        return self.body.get(field)

    def present(self, field: str) -> bool:
        value = self.body.get(field)
        return value is not None and value != "" and value != []

    def required(self, field: str, key: str = "required") -> bool:
        """True when the field is there; otherwise notes the error."""
        if self.present(field):
            return True
        self.add(field, key)
        return False

    def string(self, field: str, *, required: bool = False, max_len: int | None = None) -> None:
        if required and not self.required(field):
            return
        value = self.body.get(field)
        if value is None:
            return
        if not isinstance(value, str):
            self.add(field, "string")
        elif max_len is not None and len(value) > max_len:
            self.add(field, "max_string", max=max_len)

    def url(self, field: str, *, required: bool, max_len: int) -> bool:
        """An http(s) URL; True when the field holds a good one."""
        if required and not self.required(field):
            return False
        value = self.body.get(field)
        if value is None:
            return False
        if not (isinstance(value, str) and value.startswith(("http://", "https://"))):
            self.add(field, "url")
        elif len(value) > max_len:
            self.add(field, "max_string", max=max_len)
        else:
            return True
        return False

    def boolean(self, field: str, *, required: bool = False) -> None:
        if required and field not in self.body:
            self.add(field, "required")
        elif field in self.body and not isinstance(self.body[field], bool):
            self.add(field, "boolean")

    def one_of(self, field: str, allowed: list[str] | tuple[str, ...], *, required: bool) -> None:
        if required and not self.required(field):
            return
        value = self.body.get(field)
        if value is not None and value not in allowed:
            self.add(field, "selected_invalid")

    def array(self, field: str, *, required: bool = False, min_items: int = 0) -> list[Any]:
        """The field's items; notes an error when it is not a list (or too short)."""
        if required and not self.required(field):
            return []
        value = self.body.get(field)
        if value is None:
            return []
        if not isinstance(value, list):
            self.add(field, "array")
            return []
        if len(value) < min_items:
            self.add(field, "min_items", min=min_items)
        return value

    def each_in(self, field: str, allowed: list[str] | tuple[str, ...] | set[str]) -> None:
        """Every item of a list field must be one of `allowed` (errors name `field.N`)."""
        for i, item in enumerate(self.array(field)):
            if item not in allowed:
                self.add(f"{field}.{i}", "selected_invalid")

    def done(self) -> None:
        if self.errors:
            raise invalid(self.errors)

    def fail(self) -> NoReturn:
        """Raise the 422 for a request that cannot succeed (there is always an error)."""
        raise invalid(self.errors)
