"""Two attendees and a moderator on one session page, each seeing the others live.

Attendee A and speaker B (neither moderates) open the same demo session; they chat, A asks
a question, the organizer (a moderator: the server accepts their subscription to
``moderation:<guid>``) approves it from the queue, it appears for A and B, B upvotes it
and A sees the count change. Everything travels over /ws; nothing reloads.
"""

from __future__ import annotations

import json
import os
import re
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, WebSocket, WebSocketRoute, expect

from conference.demo import DEMO_PASSWORD
from tests.e2e.people import (
    ATTENDEE,
    LIVE_MS,
    ORGANIZER,
    SPEAKER,
    People,
    chat,
    ok,
    open_live,
    session_guid,
)

pytestmark = pytest.mark.browser


def tab(page: Page, name: str) -> None:
    page.get_by_test_id("session-live").get_by_role(
        "tab", name=re.compile(f"^{re.escape(name)}")
    ).click()


def question_item(page: Page, text: str) -> Any:
    return page.locator("[data-qa-list] > li", has_text=text)


def screenshot_dir(tmp_path: Path) -> Path:
    configured = os.environ.get("E2E_SCREENSHOT_DIR")
    target = Path(configured) if configured else tmp_path
    target.mkdir(parents=True, exist_ok=True)
    return target


def test_two_attendees_chat_ask_and_vote_while_a_moderator_approves(
    people: People, tmp_path: Path
) -> None:
    a = people.signed_in(ATTENDEE)
    b = people.signed_in(SPEAKER)
    guid = session_guid(a)
    open_live(a, guid)
    open_live(b, guid)
    # Neither of them moderates this session: no moderation tab.
    expect(a.get_by_role("tab", name=re.compile("^Moderation"))).to_be_hidden()
    expect(b.get_by_role("tab", name=re.compile("^Moderation"))).to_be_hidden()
    # Two viewers now (A and B).
    expect(a.locator("[data-live-viewers]")).to_contain_text("2 viewers now", timeout=LIVE_MS)

    # A says hello, B sees it; B replies, A sees it.
    tag = uuid.uuid4().hex[:6]
    hello = f"Hello from A {tag}: slides at https://example.org/slides?id={tag}."
    chat(a, hello)
    b_log = b.locator("[data-chat-log]")
    expect(b_log).to_contain_text(hello, timeout=LIVE_MS)
    # The URL is a safe link, the rest plain text.
    link = b_log.get_by_role("link", name=f"https://example.org/slides?id={tag}")
    expect(link).to_have_attribute("rel", "noopener nofollow")
    expect(link).to_have_attribute("target", "_blank")
    reply = f"Hi A, B here {tag} <b>not bold</b>"
    chat(b, reply)
    a_log = a.locator("[data-chat-log]")
    expect(a_log).to_contain_text(reply, timeout=LIVE_MS)
    expect(a_log.locator("b")).to_have_count(0)
    expect(a_log.locator("li", has_text=reply).locator(".chat-author")).to_have_text(
        re.compile("Sam Speaker|Speaker")
    )

    # A asks; it waits for approval (A sees it as waiting, B does not see it).
    question = f"Do atypical receptors scavenge CCL19 as well? ({tag})"
    tab(a, "Q&A")
    a.get_by_label("Your question").fill(question)
    a.get_by_role("button", name="Ask", exact=True).click()
    expect(a.locator("[data-qa-notice]")).to_contain_text("once a moderator approves it")
    expect(question_item(a, question)).to_contain_text("Waiting for approval")
    tab(b, "Q&A")
    expect(question_item(b, question)).to_have_count(0)

    # The organizer moderates: the server accepts moderation:<guid>, the queue shows it.
    m = people.signed_in(ORGANIZER)
    open_live(m, guid)
    moderation_tab = m.get_by_role("tab", name=re.compile("^Moderation"))
    expect(moderation_tab).to_be_visible(timeout=LIVE_MS)
    moderation_tab.click()
    pending = m.locator("[data-pending-list] > li", has_text=question)
    expect(pending).to_be_visible(timeout=LIVE_MS)
    shots = screenshot_dir(tmp_path)
    m.get_by_test_id("session-live").screenshot(path=str(shots / "session-live-queue-1280.png"))
    pending.get_by_role("button", name=re.compile("^Approve: ")).click()
    expect(pending).to_have_count(0, timeout=LIVE_MS)

    # A second question, approved and pinned in one go, goes to the top of the list.
    pinned = f"Which chemokines bind ACKR4? ({tag})"
    a.get_by_label("Your question").fill(pinned)
    a.get_by_role("button", name="Ask", exact=True).click()
    waiting = m.locator("[data-pending-list] > li", has_text=pinned)
    waiting.get_by_role("button", name=re.compile("^Approve and pin: ")).click()
    expect(waiting).to_have_count(0, timeout=LIVE_MS)
    expect(b.locator("[data-qa-list] > li").first).to_contain_text(pinned, timeout=LIVE_MS)
    expect(b.locator("[data-qa-list] > li").first).to_contain_text("Pinned")

    # A and B see it appear, with no votes yet.
    for viewer in (a, b):
        item = question_item(viewer, question)
        expect(item).to_be_visible(timeout=LIVE_MS)
        expect(item).not_to_contain_text("Waiting for approval")
        expect(item.locator("[data-vote-count]")).to_have_text("0 votes")

    # B upvotes once (the button is then disabled); A sees the count become 1.
    upvote = question_item(b, question).get_by_role("button", name=re.compile("^Upvote"))
    upvote.click()
    expect(
        question_item(b, question).get_by_role("button", name="You upvoted this question")
    ).to_be_disabled()
    expect(question_item(a, question).locator("[data-vote-count]")).to_have_text(
        "1 vote", timeout=LIVE_MS
    )
    expect(question_item(m, question).locator("[data-vote-count]")).to_have_text(
        "1 vote", timeout=LIVE_MS
    )

    # Three people on the page now; the moderator's count is the session's, not its queue's.
    expect(m.locator("[data-live-viewers]")).to_contain_text("3 viewers now", timeout=LIVE_MS)

    # The moderator runs a poll: a draft, then open; A votes, B sees the result live.
    m.get_by_label("Question", exact=True).fill(f"Which receptor next? {tag}")
    m.get_by_label("Options, one per line").fill("ACKR1\nACKR2\nACKR3")
    m.get_by_role("button", name="Create poll").click()
    draft = m.locator("[data-draft-list] > li", has_text=f"Which receptor next? {tag}")
    expect(draft).to_be_visible(timeout=LIVE_MS)
    draft.get_by_role("button", name=re.compile("^Open poll")).click()
    tab(a, "Polls")
    poll = a.locator("[data-poll-list] > li", has_text=f"Which receptor next? {tag}")
    expect(poll).to_be_visible(timeout=LIVE_MS)
    poll.get_by_label("ACKR2").check()
    poll.get_by_role("button", name="Vote").click()
    expect(poll).to_contain_text("You voted.")
    tab(b, "Polls")
    b_poll = b.locator("[data-poll-list] > li", has_text=f"Which receptor next? {tag}")
    expect(b_poll.locator(".poll-results li", has_text="ACKR2")).to_contain_text(
        "1 vote (100%)", timeout=LIVE_MS
    )

    # The session page, wide and phone-sized, for a look.
    tab(a, "Chat")
    a.get_by_test_id("session-live").scroll_into_view_if_needed()
    a.screenshot(path=str(shots / "session-live-1280.png"), full_page=True)
    a.evaluate("window.scrollTo(0, 0)")
    a.screenshot(path=str(shots / "session-top-1280.png"))
    tab(b, "Polls")
    b.get_by_test_id("session-live").screenshot(path=str(shots / "session-live-polls-1280.png"))
    tab(m, "Moderation")
    m.get_by_test_id("session-live").screenshot(path=str(shots / "session-live-moderator-1280.png"))
    phone = people.signed_in(ATTENDEE, width=375, height=812)
    open_live(phone, guid)
    expect(phone.locator("[data-chat-log]")).to_contain_text(reply, timeout=LIVE_MS)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page scrolls sideways at 375 px ({width} px wide)"
    phone.get_by_test_id("session-live").screenshot(path=str(shots / "session-live-375.png"))
    tab(phone, "Q&A")
    phone.get_by_test_id("session-live").screenshot(path=str(shots / "session-live-375-qa.png"))

    # The moderator removes B's chat message; A sees that a moderator removed it.
    tab(m, "Chat")
    m.locator("[data-chat-log] > li", has_text=reply).get_by_role(
        "button", name=re.compile("^Delete message from")
    ).click()
    expect(a_log).not_to_contain_text(reply, timeout=LIVE_MS)
    expect(a_log.locator("li.deleted")).to_contain_text("Removed by a moderator.")

    assert people.errors == [], people.errors


def test_reactions_are_tallied_for_everyone_on_the_page(people: People) -> None:
    a = people.signed_in(ATTENDEE)
    b = people.signed_in(SPEAKER)
    guid = session_guid(a)
    open_live(a, guid)
    open_live(b, guid)
    a.get_by_test_id("session-live").get_by_role("button", name="Applause").click()
    a.get_by_test_id("session-live").get_by_role("button", name="Applause").click()
    expect(a.locator("[data-error=reaction]")).to_be_empty()
    applause = b.get_by_test_id("session-live").get_by_role("button", name="Applause")
    expect(applause.locator("[data-reaction-count]")).to_have_text("2", timeout=LIVE_MS)
    assert people.errors == [], people.errors


def test_a_dropped_connection_comes_back_with_what_it_missed(people: People) -> None:
    """The server drops A as too slow (4008): A reconnects, subscribing with ``since``, and
    gets the message B sent meanwhile, once."""
    a = people.signed_in(ATTENDEE)
    b = people.signed_in(SPEAKER)
    routes: list[tuple[WebSocketRoute, WebSocketRoute]] = []
    sent: list[dict[str, Any]] = []

    def through(page_side: WebSocketRoute) -> None:
        server_side = page_side.connect_to_server()

        def forward(message: str | bytes) -> None:
            if isinstance(message, str):
                sent.append(json.loads(message))
            server_side.send(message)

        page_side.on_message(forward)
        routes.append((page_side, server_side))

    a.route_web_socket(re.compile(r"/ws$"), through)
    guid = session_guid(a)
    open_live(a, guid)
    open_live(b, guid)
    first = f"Before the drop {uuid.uuid4().hex[:6]}"
    chat(b, first)
    expect(a.locator("[data-chat-log]")).to_contain_text(first, timeout=LIVE_MS)

    page_side, server_side = routes[-1]
    server_side.close(code=1000)
    page_side.close(code=4008, reason="too slow: reconnect and subscribe with since")
    missed = f"While A was away {uuid.uuid4().hex[:6]}"
    chat(b, missed)

    a_log = a.locator("[data-chat-log]")
    expect(a_log).to_contain_text(missed, timeout=LIVE_MS)
    expect(a.locator("[data-live-status]")).to_have_text("Connected.")
    assert len(routes) == 2, "A did not reconnect exactly once"
    resubscribe = [
        frame
        for frame in sent
        if frame.get("type") == "subscribe" and frame.get("channel") == f"session:{guid}"
    ]
    assert len(resubscribe) == 2
    assert isinstance(resubscribe[1].get("since"), int)
    assert resubscribe[1]["since"] > resubscribe[0]["since"]
    expect(a_log.locator("li", has_text=missed)).to_have_count(1)
    expect(a_log.locator("li", has_text=first)).to_have_count(1)
    assert people.errors == [], people.errors


def test_edit_delete_and_refusals_show_where_they_happen(people: People) -> None:
    a = people.signed_in(ATTENDEE)
    b = people.signed_in(SPEAKER)
    guid = session_guid(a)
    open_live(a, guid)
    open_live(b, guid)
    tag = uuid.uuid4().hex[:6]
    chat(a, f"Typo here {tag}")
    b_log = b.locator("[data-chat-log]")
    expect(b_log).to_contain_text(f"Typo here {tag}", timeout=LIVE_MS)

    # A edits their message with the keyboard; B sees the new text, marked edited.
    mine = a.locator("[data-chat-log] > li", has_text=f"Typo here {tag}")
    mine.get_by_role("button", name="Edit your message").click()
    field = a.get_by_label("Change your message")
    expect(field).to_be_focused()
    field.fill(f"Fixed here {tag}")
    field.press("Enter")
    theirs = b_log.locator("li", has_text=f"Fixed here {tag}")
    expect(theirs).to_contain_text("(edited)", timeout=LIVE_MS)
    expect(b_log).not_to_contain_text(f"Typo here {tag}")
    # B may not edit or delete it: no such buttons on someone else's message.
    expect(theirs.get_by_role("button")).to_have_count(0)

    # A deletes it; B sees that it was deleted.
    a.locator("[data-chat-log] > li", has_text=f"Fixed here {tag}").get_by_role(
        "button", name="Delete your message"
    ).click()
    expect(b_log.locator("li.deleted").last).to_contain_text("Message deleted.", timeout=LIVE_MS)
    expect(b_log).not_to_contain_text(f"Fixed here {tag}")

    # Too long: the counter says so and nothing is sent.
    box = a.get_by_label("Message", exact=True)
    box.fill("x" * 2001)
    expect(a.locator("[data-chat-counter]")).to_have_text("2,001 / 2,000")
    box.press("Enter")
    expect(a.locator("[data-error=chat]")).to_contain_text("limited to 2,000 characters")
    # Too fast: the server's refusal appears next to the chat box, the connection stays.
    for n in range(8):
        box.fill(f"flood {tag} {n}")
        box.press("Enter")
    expect(a.locator("[data-error=chat]")).to_contain_text(re.compile("slow down|too many", re.I))
    expect(a.locator("[data-live-status]")).to_have_text("Connected.")

    # The tabs work from the keyboard (arrow keys move between them).
    chat_tab = a.get_by_role("tab", name="Chat")
    chat_tab.focus()
    a.keyboard.press("ArrowRight")
    qa_tab = a.get_by_role("tab", name=re.compile("^Q&A"))
    expect(qa_tab).to_be_focused()
    expect(qa_tab).to_have_attribute("aria-selected", "true")
    expect(a.get_by_label("Your question")).to_be_visible()
    assert people.errors == [], people.errors


def test_an_announcement_reaches_the_session_page_live_and_ends(people: People) -> None:
    a = people.signed_in(ATTENDEE)
    organizer = people.signed_in(ORGANIZER)
    guid = session_guid(a)
    open_live(a, guid)
    token = ok(organizer.request.get("/api/v1/auth/csrf"), "csrf")["csrf_token"]
    headers = {"X-CSRF-Token": token}
    message = f"Plenary moves to Hall 2 {uuid.uuid4().hex[:6]}"
    ends_at = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    created = ok(
        organizer.request.post(
            "/api/v1/announcements",
            data={"message": message, "level": "important", "ends_at": ends_at},
            headers=headers,
        ),
        "announcement",
    )
    banner = a.locator("#announcements [data-announcement-id]", has_text=message)
    expect(banner).to_be_visible(timeout=LIVE_MS)
    expect(banner).to_contain_text("Important:")
    ok(
        organizer.request.post(
            f"/api/v1/announcements/{created['announcement_id']}/end", headers=headers
        ),
        "end",
    )
    expect(banner).to_have_count(0, timeout=LIVE_MS)
    assert people.errors == [], people.errors


# One socket per page ---------------------------------------------------------------


@pytest.fixture(scope="module")
def session_on_now(browser: Browser, live_server: str) -> tuple[str, str]:
    """A session on a new stage from 10 minutes ago for an hour, published: its page has
    the stage player beside the live panel. Its GUID and the stage's slug."""
    context = browser.new_context(base_url=live_server)
    try:
        api = context.request
        token = ok(api.get("/api/v1/auth/csrf"), "csrf")["csrf_token"]
        headers = {"X-CSRF-Token": token}
        ok(
            api.post(
                "/api/v1/auth/login",
                data={"email": ORGANIZER, "password": DEMO_PASSWORD},
                headers=headers,
            ),
            "organizer sign-in",
        )
        tag = uuid.uuid4().hex[:6]
        stage = ok(
            api.post(
                "/api/v1/program/stages", data={"name": f"Socket Hall {tag}"}, headers=headers
            ),
            "stage",
        )
        now = datetime.now(UTC).replace(microsecond=0)
        session = ok(
            api.post(
                "/api/v1/program/draft/sessions",
                data={
                    "title": f"One socket per page {tag}",
                    "session_type": "plenary",
                    "stage_id": stage["id"],
                    "starts_at": (now - timedelta(minutes=10)).isoformat(),
                    "ends_at": (now + timedelta(minutes=50)).isoformat(),
                },
                headers=headers,
            ),
            "session",
        )
        # Other browser tests may leave the shared draft with warnings; publish regardless.
        ok(
            api.post(
                "/api/v1/program/publish",
                data={"confirm_warnings": True, "note": "Browser test: a session on now"},
                headers=headers,
            ),
            "publish",
        )
        return str(session["guid"]), str(stage["slug"])
    finally:
        context.close()


def a_id(page: Page) -> int:
    """The signed-in user's id, as the live panel has it."""
    return int(page.get_by_test_id("session-live").get_attribute("data-user-id") or 0)


def test_a_live_session_page_shares_one_websocket_between_the_player_and_the_panel(
    people: People, session_on_now: tuple[str, str]
) -> None:
    guid, stage = session_on_now
    a = people.signed_in(ATTENDEE)
    b = people.signed_in(SPEAKER)
    sockets: list[WebSocket] = []
    received: list[tuple[int, dict[str, Any]]] = []  # (which socket, frame)

    def opened(socket: WebSocket) -> None:
        index = len(sockets)
        sockets.append(socket)
        socket.on(
            "framereceived",
            lambda payload: (
                received.append((index, json.loads(payload))) if isinstance(payload, str) else None
            ),
        )

    a.on("websocket", opened)
    open_live(a, guid)
    player = a.get_by_test_id("player")
    expect(player).to_have_attribute("data-stage", stage)
    expect(player).to_have_attribute("data-state", "offline")  # the player asked the stage
    open_live(b, guid)
    message = f"One socket carries this {uuid.uuid4().hex[:6]}"
    chat(b, message)
    expect(a.locator("[data-chat-log]")).to_contain_text(message, timeout=LIVE_MS)

    # One socket, which the player's stage and the panel's channels share.
    assert len(sockets) == 1, [socket.url for socket in sockets]
    assert sockets[0].url.endswith("/ws")
    subscribed = {frame["channel"] for _, frame in received if frame["type"] == "subscribed"}
    assert subscribed == {f"stage:{stage}", f"session:{guid}", "meeting", f"user:{a_id(a)}"}
    arrivals = [
        index
        for index, frame in received
        if frame["type"] == "chat.message" and frame["data"].get("body") == message
    ]
    assert arrivals == [0]
    assert people.errors == [], people.errors


def test_the_one_socket_comes_back_for_every_feature_of_the_page(
    people: People, session_on_now: tuple[str, str]
) -> None:
    """Dropped (4008), the page reconnects once: the panel resumes its channel with
    ``since`` and gets what it missed, the player follows its stage again."""
    guid, stage = session_on_now
    a = people.signed_in(ATTENDEE)
    b = people.signed_in(SPEAKER)
    routes: list[tuple[WebSocketRoute, WebSocketRoute]] = []
    sent: list[tuple[int, dict[str, Any]]] = []  # (which socket, frame)

    def through(page_side: WebSocketRoute) -> None:
        index = len(routes)
        server_side = page_side.connect_to_server()

        def forward(message: str | bytes) -> None:
            if isinstance(message, str):
                sent.append((index, json.loads(message)))
            server_side.send(message)

        page_side.on_message(forward)
        routes.append((page_side, server_side))

    a.route_web_socket(re.compile(r"/ws$"), through)
    open_live(a, guid)
    open_live(b, guid)
    first = f"Before the drop {uuid.uuid4().hex[:6]}"
    chat(b, first)
    a_log = a.locator("[data-chat-log]")
    expect(a_log).to_contain_text(first, timeout=LIVE_MS)
    assert len(routes) == 1, "the page opened more than one socket"

    page_side, server_side = routes[0]
    server_side.close(code=1000)
    page_side.close(code=4008, reason="too slow: reconnect and subscribe with since")
    missed = f"While A was away {uuid.uuid4().hex[:6]}"
    chat(b, missed)
    expect(a_log).to_contain_text(missed, timeout=LIVE_MS)
    expect(a.locator("[data-live-status]")).to_have_text("Connected.")
    expect(a_log.locator("li", has_text=missed)).to_have_count(1)
    expect(a_log.locator("li", has_text=first)).to_have_count(1)

    assert len(routes) == 2, "A did not reconnect exactly once"
    subscribes = [
        (index, frame.get("channel"), frame.get("since"))
        for index, frame in sent
        if frame.get("type") == "subscribe"
    ]
    session_since = [since for _, channel, since in subscribes if channel == f"session:{guid}"]
    assert len(session_since) == 2
    assert isinstance(session_since[0], int)
    assert isinstance(session_since[1], int)
    assert session_since[1] > session_since[0]
    for index in (0, 1):
        channels = [channel for at, channel, _ in subscribes if at == index]
        assert channels.count(f"stage:{stage}") == 1, channels
        assert channels.count(f"session:{guid}") == 1, channels
    assert people.errors == [], people.errors


def test_the_projector_follows_the_questions_on_one_socket(
    people: People, session_on_now: tuple[str, str]
) -> None:
    """The chair's projector view updates live, without the reload it does without
    JavaScript: a question approved on the session page appears on it."""
    guid, _ = session_on_now
    m = people.signed_in(ORGANIZER)
    projector = m.context.new_page()
    projector.on("pageerror", lambda error: people.errors.append(f"projector: {error}"))
    sockets: list[WebSocket] = []
    projector.on("websocket", lambda socket: sockets.append(socket))
    projector.goto(f"/program/sessions/{guid}/projector")
    listed = projector.locator("#projector-questions")
    question = f"Does the projector need a reload? ({uuid.uuid4().hex[:6]})"
    expect(listed).not_to_contain_text(question)

    open_live(m, guid)
    tab(m, "Q&A")
    m.get_by_label("Your question").fill(question)
    m.get_by_role("button", name="Ask", exact=True).click()
    tab(m, "Moderation")
    pending = m.locator("[data-pending-list] > li", has_text=question)
    pending.get_by_role("button", name=re.compile("^Approve: ")).click()
    expect(pending).to_have_count(0, timeout=LIVE_MS)

    expect(listed.locator("li", has_text=question)).to_contain_text("0 votes", timeout=LIVE_MS)
    assert len(sockets) == 1, [socket.url for socket in sockets]
    assert people.errors == [], people.errors
