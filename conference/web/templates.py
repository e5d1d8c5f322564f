"""Jinja2 pages: one environment per app, with the helpers every template uses."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from markupsafe import Markup
from starlette.datastructures import URL, URLPath
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import NoMatchFound, Router

from conference.accounts.models import Role, User
from conference.accounts.tokens import Tokens
from conference.program.published.page_cache import starred_part
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
        env.globals["starred_part"] = starred_part
        # Each url_path_for walks every route (a few hundred): a page asking for its nav
        # and assets spent more time there than rendering. Routes are fixed once the app is
        # built, so each name and parameters are resolved once.
        self._paths: dict[tuple[str, tuple[tuple[str, Any], ...]], str | None] = {}
        env.globals["url_for"] = self._url_for

    def path_for(self, request: Request, name: str, **params: Any) -> str | None:
        """The path of the route ``name`` with ``params``; None if there is none."""
        key = (name, tuple(sorted(params.items())))
        if key not in self._paths:
            router: Router = request.scope.get("router") or request.app.router
            try:
                self._paths[key] = str(router.url_path_for(name, **params))
            except NoMatchFound:
                self._paths[key] = None
        return self._paths[key]

    @pass_context
    def _url_for(self, context: dict[str, Any], name: str, /, **params: Any) -> URL:
        """Starlette's template ``url_for`` (an absolute URL), resolving each route once."""
        request: Request = context["request"]
        path = self.path_for(request, name, **params)
        if path is None:
            raise NoMatchFound(name, params)
        return URLPath(path).make_absolute_url(base_url=request.base_url)

    def csrf_input(self, request: Request) -> Markup:
        """The hidden form field carrying this visitor's CSRF token."""
        return Markup('<input type="hidden" name="{}" value="{}">').format(
            CSRF_FORM_FIELD, csrf_token(request, self.tokens)
        )

    def values(
        self, request: Request, context: dict[str, Any] | None, *, user: User | None
    ) -> dict[str, Any]:
        """What every template sees: the user, navigation, CSRF token, then ``context``."""
        token = csrf_token(request, self.tokens)
        values: dict[str, Any] = {
            "request": request,
            "user": user,
            "nav": visible_items(self.navigation, lambda name: self.path_for(request, name), user),
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
        return values

    def fragment(
        self, request: Request, name: str, context: dict[str, Any], *, user: User | None
    ) -> str:
        """``name`` rendered to text with the values :meth:`render` gives (a page part)."""
        template = self.templates.env.get_template(name)
        return template.render(self.values(request, context, user=user))

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
        values = self.values(request, context, user=user)
        response = self.templates.TemplateResponse(request, name, values, status_code=status_code)
        flash.consume(request, response, secure=self._secure)
        return response
