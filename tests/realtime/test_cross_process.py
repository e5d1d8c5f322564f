"""Two real app processes, one PostgreSQL, one Redis: events made on one reach the other.

Both processes (A and B) run ``conference serve`` with the same database, Redis URL and
secret key, and the same ``CONFERENCE_BASE_URL``: in production they sit behind one public
origin (nginx), so the browser sends that one Origin to whichever process it reaches, and
a cookie signed by one process is valid on the other.

Redis pub/sub is global to the server (not per database number) and the demo's session
guids are fixed, so another run on the same Redis could publish into the same channels:
every assertion matches on data unique to this run (``TOKEN``), and presence uses its own
Redis database number.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests import databases, services
from tests.realtime.cluster import (
    RECEIVE_TIMEOUT,
    Account,
    Cluster,
    Frame,
    WsClient,
    sign_in,
    start_cluster,
)

pytestmark = pytest.mark.postgres

TOKEN = uuid.uuid4().hex[:10]
# A Redis database number of its own keeps this run's presence hashes apart from others'.
REDIS_DB = 11
# A refused action is retried this many times when the refusal is only a rate limit.
RATE_LIMIT_RETRIES = 10


def redis_db_url(url: str, db: int) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{db}"))


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    base = services.postgres_url()
    redis_url = redis_db_url(services.redis_url(), REDIS_DB)
    database_url = asyncio.run(databases.create_postgres_database(base, prefix="cluster_test"))
    var_dir: Path = tmp_path_factory.mktemp("cluster")
    try:
        with start_cluster(
            2, var_dir=var_dir, database_url=database_url, redis_url=redis_url
        ) as running:
            yield running
    finally:
        asyncio.run(databases.drop_postgres_database(base, database_url))


@pytest.fixture(scope="module")
def accounts(cluster: Cluster) -> dict[str, Account]:
    a, b = cluster.servers
    # Signed in on different processes on purpose: the cookie must work on both.
    return {
        "attendee": sign_in(a, "attendee@demo.test"),
        "speaker": sign_in(b, "speaker@demo.test"),
        "organizer": sign_in(b, "organizer@demo.test"),
    }


@pytest.fixture(scope="module")
def session_guids(cluster: Cluster, accounts: dict[str, Account]) -> list[str]:
    """Published demo sessions; each test uses its own so their events never mix."""
    with accounts["attendee"].http(cluster.servers[0]) as http:
        response = http.get("/api/v1/program/sessions")
    assert response.status_code == 200, response.text
    guids = [str(s["guid"]) for s in response.json()]
    assert len(guids) >= 6, f"the demo should publish several sessions, got {guids}"
    return guids


class Clients:
    """Opens websocket clients and closes them all at the end of a test."""

    def __init__(self, cluster: Cluster, accounts: dict[str, Account]) -> None:
        self.cluster = cluster
        self.accounts = accounts
        self.opened: list[WsClient] = []

    async def open(self, who: str, server: str) -> WsClient:
        target = {s.name: s for s in self.cluster.servers}[server]
        client = await WsClient.open(
            f"{who}@{server}", target, self.accounts[who], self.cluster.origin
        )
        self.opened.append(client)
        return client

    async def close(self) -> None:
        for client in self.opened:
            await client.close()


@pytest.fixture
async def clients(cluster: Cluster, accounts: dict[str, Account]) -> AsyncIterator[Clients]:
    opened = Clients(cluster, accounts)
    try:
        yield opened
    finally:
        await opened.close()


async def act(client: WsClient, type: str, channel: str, data: Frame) -> Frame:
    """Perform an action and return its ack's data (retrying while rate limited)."""
    for _ in range(RATE_LIMIT_RETRIES):
        answer = await client.request(type, channel, data)
        if answer["type"] == "ack":
            result: Frame = answer["data"]
            return result
        code = answer["data"].get("code")
        if code != "rate_limited":
            pytest.fail(f"{client.name}: {type} {data} was refused: {answer}")
        # A poll, not a hope: trying again is the only way to see the token bucket in the
        # server process refilled (its limiter is per process and has no reset over HTTP).
        await asyncio.sleep(1.0)
    pytest.fail(f"{client.name}: {type} stayed rate limited")


def of_type(type: str, **data: Any) -> Any:
    def match(frame: Frame) -> bool:
        if frame["type"] != type:
            return False
        return all(frame["data"].get(key) == value for key, value in data.items())

    return match


def question_id(frame: Frame) -> int:
    value: int = frame["data"]["question"]["question_id"]
    return value


async def test_both_processes_serve_the_same_cookie_and_origin(
    clients: Clients, accounts: dict[str, Account]
) -> None:
    a = await clients.open("attendee", "A")
    b = await clients.open("attendee", "B")
    assert a.welcome["data"]["user"]["id"] == accounts["attendee"].user_id
    assert b.welcome["data"]["user"]["id"] == accounts["attendee"].user_id


async def test_chat_message_sent_on_a_reaches_b(clients: Clients, session_guids: list[str]) -> None:
    channel = f"session:{session_guids[0]}"
    sender = await clients.open("attendee", "A")
    listener = await clients.open("speaker", "B")
    await sender.subscribe(channel)
    await listener.subscribe(channel)
    body = f"Hello from A {TOKEN}"
    await act(sender, "chat.send", channel, {"body": body})
    got = await listener.expect(of_type("chat.message", body=body), "the chat message from A")
    assert got["channel"] == channel
    assert isinstance(got["id"], int), "chat messages are durable events with an id"
    assert got["data"]["author"]["name"] == sender.welcome["data"]["user"]["name"]


async def test_question_asked_on_a_moderated_and_voted_on_b_reaches_a(
    clients: Clients, session_guids: list[str]
) -> None:
    guid = session_guids[1]
    channel, moderation = f"session:{guid}", f"moderation:{guid}"
    asker = await clients.open("attendee", "A")
    moderator = await clients.open("organizer", "B")
    voter = await clients.open("speaker", "B")
    await asker.subscribe(channel)
    await moderator.subscribe(channel)
    await moderator.subscribe(moderation)
    await voter.subscribe(channel)

    body = f"Does IL-6 matter here? {TOKEN}"
    await act(asker, "qa.ask", channel, {"body": body, "anonymous": False})
    pending = await moderator.expect(
        lambda f: f["type"] == "qa.pending" and f["data"]["question"]["body"] == body,
        "the pending question on B's moderation channel",
    )
    assert pending["channel"] == moderation
    asked = question_id(pending)

    await act(moderator, "qa.moderate", channel, {"question_id": asked, "action": "approve"})
    approved = await asker.expect(
        lambda f: f["type"] == "qa.question" and question_id(f) == asked,
        "the approved question on A",
    )
    assert approved["data"]["question"]["status"] != "pending"

    await act(voter, "qa.vote", channel, {"question_id": asked})
    votes = await asker.expect(
        of_type("qa.votes", question_id=asked), "the vote count on A after a vote on B"
    )
    assert votes["data"]["votes"] == 1
    assert isinstance(votes["id"], int)


def poll_of(frame: Frame) -> Frame:
    poll: Frame = frame["data"]["poll"]
    return poll


async def test_poll_opened_on_a_and_voted_on_b_gives_results_on_a(
    clients: Clients, session_guids: list[str]
) -> None:
    guid = session_guids[2]
    channel, moderation = f"session:{guid}", f"moderation:{guid}"
    chair = await clients.open("organizer", "A")
    watcher = await clients.open("speaker", "A")
    voter = await clients.open("attendee", "B")
    await chair.subscribe(channel)
    await chair.subscribe(moderation)
    await watcher.subscribe(channel)
    await voter.subscribe(channel)

    question = f"Which cytokine? {TOKEN}"
    created = await act(
        chair,
        "poll.create",
        channel,
        {"question": question, "kind": "single", "options": ["IL-6", "TNF", "IFN-gamma"]},
    )
    draft = await chair.expect(
        lambda f: f["type"] == "poll.draft" and poll_of(f)["question"] == question,
        "the draft poll on A's moderation channel",
    )
    poll_id = poll_of(draft)["poll_id"]
    assert created.get("poll_id", poll_id) == poll_id

    await act(chair, "poll.open", channel, {"poll_id": poll_id})
    opened = await voter.expect(
        lambda f: f["type"] == "poll.opened" and poll_of(f)["poll_id"] == poll_id,
        "the opened poll on B",
    )
    option = poll_of(opened)["options"][1]["option_id"]

    await act(voter, "poll.vote", channel, {"poll_id": poll_id, "option_ids": [option]})
    results = await watcher.expect(
        lambda f: (
            f["type"] == "poll.results"
            and f["data"]["poll_id"] == poll_id
            and f["data"]["total"] >= 1
        ),
        "poll results on A after a vote on B",
    )
    counts = {str(key): value for key, value in results["data"]["counts"].items()}
    assert counts[str(option)] == 1
    assert results["data"]["total"] == 1


def post_announcement(cluster: Cluster, account: Account, body: Frame) -> Frame:
    with account.http(cluster.servers[0]) as http:
        response = http.post("/api/v1/announcements", json=body)
    assert response.status_code in (200, 201), response.text
    created: Frame = response.json()
    return created


def in_an_hour() -> str:
    return (datetime.now(UTC) + timedelta(hours=1)).isoformat()


async def test_announcement_sent_through_a_reaches_b(
    cluster: Cluster, clients: Clients, accounts: dict[str, Account]
) -> None:
    listener = await clients.open("attendee", "B")
    await listener.subscribe("meeting")
    message = f"Coffee break extended {TOKEN}"
    post_announcement(
        cluster,
        accounts["organizer"],
        {"message": message, "level": "important", "ends_at": in_an_hour()},
    )
    got = await listener.expect(
        of_type("announcement", message=message), "the announcement made through A"
    )
    assert got["channel"] == "meeting"
    assert got["data"]["level"] == "important"
    assert isinstance(got["id"], int)
    # B's HTTP API lists it as active too (people who arrive later see it).
    with accounts["attendee"].http(cluster.servers[1]) as http:
        active = http.get("/api/v1/announcements/active")
    assert active.status_code == 200, active.text
    assert message in [a["message"] for a in active.json()["announcements"]]
    # Ending it through A reaches B too.
    announcement_id = got["data"]["announcement_id"]
    with accounts["organizer"].http(cluster.servers[0]) as http:
        ended = http.post(f"/api/v1/announcements/{announcement_id}/end")
    assert ended.status_code == 200, ended.text
    await listener.expect(
        of_type("announcement.ended", announcement_id=announcement_id), "the end, on B"
    )


async def test_scheduled_announcement_is_sent_once_by_one_of_the_processes(
    cluster: Cluster, clients: Clients, accounts: dict[str, Account]
) -> None:
    listener = await clients.open("attendee", "B")
    before = (await listener.subscribe("meeting"))["data"]["last_id"]
    message = f"Posters open soon {TOKEN}"
    starts = datetime.now(UTC) + timedelta(seconds=2)
    created = post_announcement(
        cluster,
        accounts["organizer"],
        {"message": message, "starts_at": starts.isoformat(), "ends_at": in_an_hour()},
    )
    got = await listener.expect(
        of_type("announcement", message=message), "the scheduled announcement, when due"
    )
    announcement_id = got["data"]["announcement_id"]
    assert announcement_id == created.get("announcement_id", announcement_id)
    # Both processes run the scheduler; the event log holds it once, so it was sent once.
    again = await clients.open("attendee", "B")
    await again.send({"type": "subscribe", "channel": "meeting", "since": before, "ref": "r"})
    frames = await again.collect_until(lambda f: f.get("ref") == "r", "subscribed with since")
    sent = [
        f
        for f in frames
        if f["type"] == "announcement" and f["data"]["announcement_id"] == announcement_id
    ]
    assert len(sent) == 1, f"sent once, not once per process: {frames}"


async def test_presence_sums_both_processes(clients: Clients, session_guids: list[str]) -> None:
    channel = f"session:{session_guids[3]}"
    on_a = await clients.open("attendee", "A")
    on_b = await clients.open("speaker", "B")
    await on_a.subscribe(channel)
    await on_b.subscribe(channel)
    # Each process reports its own count once a tick; the sum reaches 2 within a few ticks.
    for client in (on_a, on_b):
        await client.expect(
            lambda f: (
                f["type"] == "presence" and f["channel"] == channel and f["data"]["viewers"] == 2
            ),
            "presence of 2 viewers (one on each process)",
        )


async def test_since_replay_across_processes(clients: Clients, session_guids: list[str]) -> None:
    channel = f"session:{session_guids[4]}"
    sender = await clients.open("organizer", "A")
    await sender.subscribe(channel)
    reader = await clients.open("speaker", "B")
    await reader.subscribe(channel)

    def mine(frame: Frame) -> bool:
        return frame["type"] == "chat.message" and TOKEN in frame["data"]["body"]

    first = f"before the gap {TOKEN}"
    await act(sender, "chat.send", channel, {"body": first})
    seen = await reader.expect(of_type("chat.message", body=first), "the first message on B")
    last_id = seen["id"]
    await reader.close()

    missed = [f"missed {n} {TOKEN}" for n in range(3)]
    for body in missed:
        await act(sender, "chat.send", channel, {"body": body})
    # The sender sees its own messages: by then they are stored and published.
    for body in missed:
        await sender.expect(of_type("chat.message", body=body), f"{body!r} echoed on A")

    back = await clients.open("speaker", "B")
    await back.send({"type": "subscribe", "channel": channel, "since": last_id, "ref": "again"})
    frames = await back.collect_until(
        lambda f: f.get("ref") == "again", "the answer to the subscribe with since"
    )
    answer = frames[-1]
    assert answer["type"] == "subscribed", answer
    replayed = [f for f in frames[:-1] if mine(f)]
    assert [f["data"]["body"] for f in replayed] == missed, frames
    ids = [f["id"] for f in replayed]
    assert ids == sorted(set(ids)), f"replayed ids must increase, none twice: {ids}"
    assert all(i > last_id for i in ids)
    assert answer["data"]["replayed_up_to"] == ids[-1]
    assert answer["data"]["more"] is False

    # Live again: the next message arrives exactly once, after the replay.
    after = f"after the gap {TOKEN}"
    await act(sender, "chat.send", channel, {"body": after})
    await back.expect(of_type("chat.message", body=after), "the live message after replay")
    await back.send({"type": "ping", "ref": "end"})
    await back.expect(lambda f: f.get("ref") == "end", "pong")
    bodies = [f["data"]["body"] for f in back.seen if mine(f)]
    assert bodies == [*missed, after], f"each event exactly once, in order: {bodies}"


async def test_role_removal_and_sign_out_on_a_reach_sockets_on_b(
    cluster: Cluster, session_guids: list[str]
) -> None:
    """An admin on A demotes a user whose socket is on B: B drops its moderation channel;
    the user signs out on A: B closes the socket with 4001."""
    a, b = cluster.servers
    admin = sign_in(a, "admin@demo.test")
    staff = sign_in(a, "exhibitor@demo.test")
    moderation = f"moderation:{session_guids[-1]}"
    with admin.http(a) as http:
        granted = http.put(
            f"/api/v1/users/{staff.user_id}/roles", json={"roles": ["exhibitor", "organizer"]}
        )
        assert granted.status_code == 200, granted.text
    socket_b = await WsClient.open("exhibitor@B", b, staff, cluster.origin)
    try:
        await socket_b.subscribe(f"session:{session_guids[-1]}")
        await socket_b.subscribe(moderation)
        with admin.http(a) as http:
            demoted = http.put(
                f"/api/v1/users/{staff.user_id}/roles", json={"roles": ["exhibitor"]}
            )
            assert demoted.status_code == 200, demoted.text
        dropped = await socket_b.expect(
            lambda f: f["type"] == "unsubscribed", "the moderation channel dropped on B"
        )
        assert dropped["channel"] == moderation
        assert dropped["data"]["code"] == "forbidden"
        answer = await socket_b.request("subscribe", moderation)
        assert answer["type"] == "error"
        assert answer["data"]["code"] == "forbidden"

        with staff.http(a) as http:
            assert http.post("/api/v1/auth/logout").status_code == 204
        await asyncio.wait_for(socket_b.socket.wait_closed(), RECEIVE_TIMEOUT)
        assert socket_b.socket.close_code == 4001
        assert socket_b.socket.close_reason == "signed out"
    finally:
        await socket_b.close()
