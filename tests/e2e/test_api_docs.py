"""/api/docs in a browser: Swagger UI from our own origin renders under our CSP."""

from __future__ import annotations

from playwright.sync_api import ConsoleMessage, Page, Request, expect


def test_api_docs_render_the_operations_under_our_csp(page: Page, live_server: str) -> None:
    problems: list[str] = []
    foreign: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        # A CSP refusal is reported on the console ("Refused to load/execute ...").
        if message.type == "error" or "Content Security Policy" in message.text:
            problems.append(message.text)

    def on_request(request: Request) -> None:
        if not request.url.startswith((live_server, "data:", "blob:")):
            foreign.append(request.url)

    missing: list[str] = []
    page.on("response", lambda r: missing.append(r.url) if r.status >= 400 else None)
    page.on("console", on_console)
    page.on("request", on_request)
    response = page.goto("/api/docs")
    assert response is not None
    assert "script-src 'self'" in response.headers["content-security-policy"]
    # Operations of the JSON API, rendered by Swagger UI from /openapi.json.
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/auth/login")).to_be_visible()
    expect(page.locator(".opblock-tag", has_text="accounts").first).to_be_visible()
    assert page.locator(".opblock").count() > 20
    assert missing == []
    assert problems == []
    assert foreign == []
