"""Helpers for HTML form pages: read a form, validate it with a pydantic model, report errors."""

from __future__ import annotations

from typing import Any, TypeVar
from urllib.parse import urlsplit

from pydantic import BaseModel, ValidationError
from starlette.requests import Request

from conference.web.csrf import CSRF_FORM_FIELD

M = TypeVar("M", bound=BaseModel)


async def read_form(request: Request) -> dict[str, str]:
    """The submitted fields as strings (the CSRF field left out)."""
    form = await request.form()
    return {
        key: value
        for key, value in form.multi_items()
        if isinstance(value, str) and key != CSRF_FORM_FIELD
    }


def checked(form: dict[str, str], name: str) -> bool:
    return form.get(name) in {"on", "true", "1", "yes"}


def validate(model: type[M], data: dict[str, Any]) -> tuple[M | None, dict[str, str]]:
    """(model, {}) when valid, else (None, {field: message}) for the form to show."""
    try:
        return model.model_validate(data), {}
    except ValidationError as exc:
        errors: dict[str, str] = {}
        for error in exc.errors():
            field = str(error["loc"][0]) if error["loc"] else "form"
            message = error["msg"].removeprefix("Value error, ")
            errors.setdefault(field, message[0].upper() + message[1:])
        return None, errors


def safe_next(target: str | None, default: str = "/") -> str:
    """A local path to go to after sign-in; anything pointing off-site becomes ``default``."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    if "\\" in target:
        return default
    return target
