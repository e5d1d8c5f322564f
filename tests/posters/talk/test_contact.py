"""“Contact the author”: the message reaches the presenter by email without either address
unless the sender shares theirs; limits and refusals."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from conference.settings import Settings
from posters.models import PosterState
from posters.talk import contact
from tests.factories import UserFactory, csrf, sign_in
from tests.mailbox import outbox_files, read_mail
from tests.posters.factories import PosterFactory


async def test_the_presenter_gets_the_message_without_the_senders_address(
    app: FastAPI,
    settings: Settings,
    client: httpx.AsyncClient,
    users: UserFactory,
    posters: PosterFactory,
) -> None:
    presenter = await users.create(email="tanaka@example.org", name="Ken Tanaka")
    sender = await users.create(email="ana.secret@example.org", name="Ana Ribeiro")
    poster = await posters.create(presenter=presenter, board="P42")
    await sign_in(client, sender.email)
    sent = await client.post(
        f"/api/v1/posters/{poster.id}/contact", json={"body": "Could we share the IL-6 data?"}
    )
    assert sent.status_code == 202, sent.text
    assert sent.json() == {"sent": True, "shared_email": False}
    [path] = await outbox_files(settings, 1)
    mail = read_mail(path)
    text = mail.get_content()
    assert mail["To"] == "tanaka@example.org"
    assert mail["Subject"] == f"{settings.site_name}: a message about your poster P42"
    assert "Ana Ribeiro" in text
    assert "Could we share the IL-6 data?" in text
    assert "ana.secret@example.org" not in text
    assert f"http://testserver/posters/{poster.id}" in text
    shared = await client.post(
        f"/api/v1/posters/{poster.id}/contact",
        json={"body": "Reply to me directly.", "share_email": True},
    )
    assert shared.json() == {"sent": True, "shared_email": True}
    texts = [read_mail(p).get_content() for p in await outbox_files(settings, 2)]
    [second] = [t for t in texts if "Reply to me directly." in t]
    assert "shared their email address so that you can reply: ana.secret@example.org" in second


async def test_contact_refusals_and_limits(
    app: FastAPI,
    settings: Settings,
    client: httpx.AsyncClient,
    users: UserFactory,
    posters: PosterFactory,
) -> None:
    presenter = await users.create()
    sender = await users.create()
    poster = await posters.create(presenter=presenter)
    orphan = await posters.create()  # its authors have no accounts
    draft = await posters.create(presenter=presenter, state=PosterState.draft)
    withdrawn = await posters.create(presenter=presenter, state=PosterState.withdrawn)
    url = f"/api/v1/posters/{poster.id}/contact"
    await csrf(client)
    assert (await client.post(url, json={"body": "hi"})).status_code == 401
    await sign_in(client, presenter.email)
    own = await client.post(url, json={"body": "hi"})
    assert (own.status_code, own.json()["code"]) == (422, "invalidinput")
    # Their own draft is visible to them, but not open to messages.
    assert (
        await client.post(f"/api/v1/posters/{draft.id}/contact", json={"body": "x"})
    ).status_code == 404
    await sign_in(client, sender.email)
    for hidden in (draft.id, withdrawn.id, 999_999):
        answer = await client.post(f"/api/v1/posters/{hidden}/contact", json={"body": "x"})
        assert answer.status_code == 404
    nobody = await client.post(f"/api/v1/posters/{orphan.id}/contact", json={"body": "hi"})
    assert nobody.status_code == 409
    assert "no account" in nobody.json()["detail"]
    long = await client.post(url, json={"body": "x" * (contact.MAX_BODY + 1)})
    assert long.status_code == 422
    assert (await client.post(url, json={"body": "a\x07b"})).status_code == 422
    assert (await client.post(url, json={"body": "hi", "cc": "x"})).status_code == 422
    for i in range(contact.SENDER_PER_HOUR):
        ok = await client.post(url, json={"body": f"message {i}"})
        assert ok.status_code == 202, ok.text
    throttled = await client.post(url, json={"body": "one too many"})
    assert (throttled.status_code, throttled.json()["code"]) == (429, "rate_limited")
    assert int(throttled.headers["retry-after"]) > 0
    # Nothing was sent for the refusals.
    assert len(await outbox_files(settings, contact.SENDER_PER_HOUR)) == contact.SENDER_PER_HOUR


async def test_a_poster_is_not_flooded_by_many_senders(
    settings: Settings, client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    presenter = await users.create()
    poster = await posters.create(presenter=presenter)
    url = f"/api/v1/posters/{poster.id}/contact"
    for _ in range(contact.POSTER_PER_HOUR // contact.SENDER_PER_HOUR):
        sender = await users.create()
        await sign_in(client, sender.email)
        for _ in range(contact.SENDER_PER_HOUR):
            assert (await client.post(url, json={"body": "hello"})).status_code == 202
    late = await users.create()
    await sign_in(client, late.email)
    assert (await client.post(url, json={"body": "hello"})).status_code == 429
