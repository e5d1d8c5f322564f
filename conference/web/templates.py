"""Jinja2 pages: one environment per app, with the helpers every template uses."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse

from conference.accounts.models import Role, User
from conference.accounts.tokens import Tokens
from conference.settings import Settings
from conference.timezones import format_day, format_instant
from conference.web import flash
from conference.web.csrf import CSRF_FORM_FIELD, csrf_token
from conference.web.navigation import NavItem, visible_items


class Pages:
    def __init__(self, *, settings: Settings, tokens: Tokens, navigation: tuple[NavItem, ...]):
        self.templates = Jinja2Templates(directory=str(settings.templates_dir))
        self.tokens = tokens
        self._secret_key = settings.secret_key
        self._secure = settings.is_production
        self.navigation = navigation
        # Values every page shows (announcement banners), added by main.py.
        self.page_context: list[Callable[[Request], dict[str, Any]]] = []
        env = self.templates.env
        env.filters["instant"] = format_instant
        env.filters["day"] = format_day
        env.globals["site_name"] = settings.site_name
        env.globals["Role"] = Role

    def render(
        self,
        request: Request,
        name: str,
        context: dict[str, Any] | None = None,
        *,
        user: User | None,
        status_code: int = 200,
    ) -> HTMLResponse:
        """Render ``name`` with the signed-in ``user``, navigation and a CSRF token."""
        token = csrf_token(request, self.tokens)
        values: dict[str, Any] = {
            "user": user,
            "nav": visible_items(self.navigation, request.app.router, user),
            "csrf_token": token,
            "csrf_input": Markup('<input type="hidden" name="{}" value="{}">').format(
                CSRF_FORM_FIELD, token
            ),
            "viewer_zone": user.time_zone if user else None,
            "now": datetime.now().astimezone(),
            "banners": [],
            # A one-time confirmation of the action just done (conference.web.flash).
            "flash": flash.read(request, secret_key=self._secret_key),
        }
        for provider in self.page_context:
            values.update(provider(request))
        values.update(context or {})
        response = self.templates.TemplateResponse(request, name, values, status_code=status_code)
        flash.consume(request, response, secure=self._secure)
        return response
