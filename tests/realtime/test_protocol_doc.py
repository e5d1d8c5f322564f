"""docs/PROTOCOL.md says what the server does: its reference block is the one the models
generate, and its hand-written tables name exactly the registered frames and actions."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conference.errors import ServiceError
from conference.main import register_realtime
from conference.realtime import protocol_doc
from conference.realtime.backends import MemoryBackend
from conference.realtime.hub import Hub
from conference.realtime.registry import Realtime
from conference.realtime.schemas import GATEWAY_ERRORS

ROOT = Path(__file__).resolve().parents[2]
PROTOCOL = ROOT / "docs" / "PROTOCOL.md"
# Frames of the connection itself, not registered actions or events.
CLIENT_FRAMES = frozenset({"ping", "subscribe", "unsubscribe"})
# The ack answers every action; its data is each action's own (the Acks reference).
SERVER_FRAMES = frozenset({"ack"})


@pytest.fixture(scope="module")
def realtime() -> Realtime:
    found = Realtime(hub=Hub(MemoryBackend()))
    register_realtime(found)
    return found


def _hand_written_tables() -> tuple[set[str], set[str]]:
    """The frame types the hand-written tables list as sent by the client and the server."""
    prose = PROTOCOL.read_text(encoding="utf-8").split(protocol_doc.BEGIN)[0]
    client: set[str] = set()
    server: set[str] = set()
    for line in prose.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if not line.startswith("| `") or len(cells) < 2:
            continue
        types = re.findall(r"`([a-z_.]+)`", cells[0])
        directions = [d.strip() for d in cells[1].split("/")]
        if len(directions) == 1:
            directions *= len(types)
        for type, direction in zip(types, directions, strict=True):
            if direction in ("c", "client"):
                client.add(type)
            elif direction in ("s", "server"):
                server.add(type)
    return client, server


def test_the_reference_block_is_what_the_models_generate() -> None:
    """As a developer runs it: ``conference protocol-doc --check``, in its own process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "conference", "protocol-doc", "--check"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr + done.stdout


def test_the_reference_lists_every_field_of_every_frame(realtime: Realtime) -> None:
    document = PROTOCOL.read_text(encoding="utf-8")
    for spec in realtime.events.values():
        assert f"| `{spec.name}` | {spec.channel} |" in document
        section = document.split(f"#### `{spec.model.__name__}`\n", 1)[1].split("####")[0]
        for field in spec.model.model_fields:
            assert f"| `{field}` |" in section, (spec.name, field)


def test_the_tables_name_exactly_the_registered_frames_and_actions(realtime: Realtime) -> None:
    client, server = _hand_written_tables()
    assert server == set(realtime.events) | SERVER_FRAMES
    assert client == set(realtime.actions) | CLIENT_FRAMES


def test_every_error_code_the_gateway_sends_is_documented() -> None:
    source = (ROOT / "conference" / "realtime" / "gateway.py").read_text(encoding="utf-8")
    sent = set(re.findall(r'\berror\(\s*"([a-z_]+)"', source))
    families = {cls.code for cls in protocol_doc.error_classes()}
    assert sent
    assert sent <= set(GATEWAY_ERRORS) | families


def test_every_refusal_class_has_a_code_and_a_description() -> None:
    for cls in protocol_doc.error_classes():
        assert re.fullmatch(r"[a-z_]+", cls.code), cls
        assert cls.reason is None or re.fullmatch(r"[a-z_]+", cls.reason), cls
        assert cls.__doc__, cls
    assert ServiceError in protocol_doc.error_classes()
