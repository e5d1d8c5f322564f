"""A WHIP publisher's peer connection: answer its offer, feed its tracks to the ingest.

:func:`publish` is the one place a WHIP offer meets aiortc; the stage itself (go-live at
the first segment, stopping, recording) is streaming/ingest/live.py's.
"""

from __future__ import annotations

from aiortc import (
    MediaStreamTrack,
    RTCConfiguration,
    RTCPeerConnection,
    RTCSessionDescription,
)

from conference.errors import Conflict, InvalidInput
from conference.program.models import Stage
from streaming import broadcasts
from streaming.ingest.live import IngestManager, LiveBroadcast

MAX_SDP_BYTES = 64 * 1024


async def publish(
    ingests: IngestManager,
    *,
    stage: Stage,
    offer_sdp: str,
    publisher_id: int | None,
    stream_key_id: int | None,
) -> tuple[LiveBroadcast, str]:
    """Answer a WHIP offer and start the stage from its tracks (live at its first segment);
    returns the answer.

    Raises InvalidInput (422) for an offer that is not usable SDP or sends no video,
    Conflict (409) if the stage is already live.
    """
    if len(offer_sdp) > MAX_SDP_BYTES or not offer_sdp.lstrip().startswith("v="):
        raise InvalidInput("The body is not an SDP offer.")
    async with ingests.ctx.db.session() as db:
        if await broadcasts.active_broadcast(db, stage_id=stage.id) is not None:
            raise Conflict("This stage is already live; stop that first.")
    # No STUN/TURN: the server is reachable where the operator says (ice_interfaces).
    pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
    tracks: dict[str, MediaStreamTrack] = {}
    pc.on("track", lambda track: tracks.setdefault(track.kind, track))
    # Watched from the start: ICE may complete (or fail) before start_broadcast returns.
    held: list[LiveBroadcast] = []
    ever_connected = False

    @pc.on("connectionstatechange")
    def _state_changed() -> None:
        nonlocal ever_connected
        ever_connected = ever_connected or pc.connectionState == "connected"
        if pc.connectionState in ("failed", "closed") and held:
            ingests.stop_soon(held[0].resource_id)

    try:
        try:
            await pc.setRemoteDescription(RTCSessionDescription(sdp=offer_sdp, type="offer"))
        except Exception as exc:  # aiortc raises ValueError and others on bad SDP
            raise InvalidInput(f"The SDP offer was refused: {str(exc)[:200]}") from exc
        if "video" not in tracks:
            raise InvalidInput("The offer must send a video track.")
        # aiortc gathers every candidate before the answer (WHIP allows no trickle).
        answer = await pc.createAnswer()
        await pc.setLocalDescription(
            RTCSessionDescription(sdp=as_dtls_server(offer_sdp, answer.sdp), type="answer")
        )
        live = await ingests.start_broadcast(
            stage=stage,
            video=tracks["video"],
            audio=tracks.get("audio"),
            publisher_id=publisher_id,
            stream_key_id=stream_key_id,
            on_stop=pc.close,
            connected=lambda: ever_connected,
        )
    except BaseException:
        await pc.close()
        raise
    held.append(live)
    if pc.connectionState in ("failed", "closed"):
        ingests.stop_soon(live.resource_id)
    return live, pc.localDescription.sdp


def as_dtls_server(offer_sdp: str, answer_sdp: str) -> str:
    """The answer with ``a=setup:passive`` wherever the offer let us choose (``actpass``).

    aiortc answers ``active`` by default, which makes the publisher the DTLS server. A TLS
    1.2 cipher suite names the *server's* certificate type, and aiortc as a DTLS client
    offers only ECDHE-ECDSA suites, so a publisher with an RSA certificate (GStreamer 1.22
    webrtcbin) fails with "no shared cipher" right after ICE. As the DTLS server we use our
    own ECDSA certificate with suites it fits, and the publisher's certificate, RSA or
    ECDSA, is only verified against the fingerprint in its offer. RFC 8842 lets the
    answerer pick either role; aiortc takes the role from the description it is given
    (:meth:`RTCPeerConnection.setLocalDescription`), so editing the answer is enough.
    An offer that insists on ``passive`` keeps our ``active`` answer (ECDSA publishers
    only); WHIP clients and browsers offer ``actpass``.
    """
    if "a=setup:actpass" not in offer_sdp:
        return answer_sdp
    return answer_sdp.replace("a=setup:active\r\n", "a=setup:passive\r\n")
