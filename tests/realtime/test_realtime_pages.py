"""The chair's projector view and the phone page behind its QR code."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.realtime.live_session import (
    act,
    act_frames,
    connect,
    drain,
    publish_session,
    signed_in,
    subscribe,
    welcome,
)

ANA = "ana@example.org"
CHAIR = "chair@example.org"


def form_token(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def test_projector_is_for_moderators_and_shows_the_qr_code(live: TestClient) -> None:
    guid = publish_session(live, chair_email=CHAIR)
    session = f"session:{guid}"
    # The organizer approves two questions, pins one and leaves a third pending.
    with connect(live) as organizer:
        welcome(organizer)
        subscribe(organizer, session)
        ids = []
        for i, body in enumerate(("Pinned <question>", "Popular one", "Still pending")):
            ack = act(
                organizer, "qa.ask", session, {"body": body, "anonymous": i == 1}, ref=f"q{i}"
            )
            ids.append(ack["data"]["question"]["question_id"])
        for question_id in ids[:2]:
            act(
                organizer, "qa.moderate", session, {"question_id": question_id, "action": "approve"}
            )
        act(organizer, "qa.moderate", session, {"question_id": ids[0], "action": "pin"})
    page = live.get(f"/program/sessions/{guid}/projector")
    assert page.status_code == 200
    html = page.text
    assert '<meta http-equiv="refresh" content="30">' in html
    # Only without JavaScript: with it, projector.js keeps the page live (and reloads after
    # the same delay only when it cannot).
    assert '<noscript><meta http-equiv="refresh" content="30"></noscript>' in html
    assert 'data-refresh="30"' in html
    assert re.search(r'<script src="[^"]*/static/js/projector\.js" defer></script>', html)
    assert "<script>" not in html
    assert " style=" not in html
    assert "<svg" in html
    assert 'class="segno"' in html
    assert f'href="http://testserver/q/{guid}"' in html
    assert f">testserver/q/{guid}</a>" in html
    # Escaped, pinned first, the anonymous author hidden, the pending one absent.
    assert "Pinned &lt;question&gt;" in html
    assert html.index("Pinned &lt;question&gt;") < html.index("Popular one")
    assert "Anonymous" in html
    assert "Still pending" not in html
    # The session's chair may open it too; an attendee may not.
    signed_in(live, CHAIR)
    assert live.get(f"/program/sessions/{guid}/projector").status_code == 200
    signed_in(live, ANA)
    refused = live.get(f"/program/sessions/{guid}/projector")
    assert refused.status_code == 403
    unknown = live.get("/program/sessions/00000000-0000-0000-0000-000000000000/projector")
    assert unknown.status_code == 404
    live.cookies.clear()
    signed_out = live.get(
        f"/program/sessions/{guid}/projector",
        headers={"accept": "text/html"},
        follow_redirects=False,
    )
    assert signed_out.status_code == 303
    assert signed_out.headers["location"].startswith("/signin?next=")


def test_phone_page_asks_and_votes_through_forms(live: TestClient) -> None:
    guid = publish_session(live)
    session, moderation = f"session:{guid}", f"moderation:{guid}"
    with connect(live) as organizer:
        welcome(organizer)
        subscribe(organizer, session)
        subscribe(organizer, moderation)
        seed = act(organizer, "qa.ask", session, {"body": "Approved already"})
        seed_id = seed["data"]["question"]["question_id"]
        act_frames(organizer, "qa.moderate", session, {"question_id": seed_id, "action": "approve"})
        drain(organizer)

        live.cookies.clear()
        signed_out = live.get(f"/q/{guid}", follow_redirects=False)
        assert signed_out.status_code == 303
        assert signed_out.headers["location"] == f"/signin?next=/q/{guid}"

        signed_in(live, ANA)
        # The forms carry their own CSRF token, as a browser without JavaScript sends them.
        del live.headers["X-CSRF-Token"]
        page = live.get(f"/q/{guid}")
        assert page.status_code == 200
        assert 'name="anonymous"' in page.text
        assert "Approved already" in page.text
        token = form_token(page.text)

        without_token = live.post(f"/q/{guid}/ask", data={"body": "No token"})
        assert without_token.status_code == 403
        empty = live.post(f"/q/{guid}/ask", data={"body": "  ", "csrf_token": token})
        assert empty.status_code == 422
        assert "Question is empty." in empty.text

        asked = live.post(
            f"/q/{guid}/ask",
            data={"body": "From my phone", "anonymous": "on", "csrf_token": token},
            follow_redirects=False,
        )
        assert asked.status_code == 303
        assert asked.headers["location"] == f"/q/{guid}?done=asked"
        [pending] = drain(organizer)
        assert pending["type"] == "qa.pending"
        assert pending["data"]["question"]["body"] == "From my phone"
        assert pending["data"]["question"]["author"]["name"] == "ana"
        assert "your question is with the moderators" in live.get(asked.headers["location"]).text

        voted = live.post(
            f"/q/{guid}/vote",
            data={"question_id": str(seed_id), "csrf_token": token},
            follow_redirects=False,
        )
        assert voted.status_code == 303
        [tally] = drain(organizer)
        assert (tally["type"], tally["data"]) == ("qa.votes", {"question_id": seed_id, "votes": 1})
        after = live.get(f"/q/{guid}?done=voted").text
        assert "Upvoted" in after
        again = live.post(
            f"/q/{guid}/vote", data={"question_id": str(seed_id), "csrf_token": token}
        )
        assert again.status_code == 409
        assert "already upvoted" in again.text
        pending_id = pending["data"]["question"]["question_id"]
        not_approved = live.post(
            f"/q/{guid}/vote", data={"question_id": str(pending_id), "csrf_token": token}
        )
        assert not_approved.status_code == 409
        bad = live.post(f"/q/{guid}/vote", data={"question_id": "x", "csrf_token": token})
        assert bad.status_code == 422
        # isdigit() accepts these; int() refuses "²" and reads the others as numbers.
        for digits in ("²", "\u0661\u0662\u0663", "\uff11\uff12", str(seed_id) + "\u00b9"):
            odd = live.post(f"/q/{guid}/vote", data={"question_id": digits, "csrf_token": token})
            assert odd.status_code == 422, digits
        assert drain(organizer) == []
    unknown = live.get("/q/00000000-0000-0000-0000-000000000000")
    assert unknown.status_code == 404
