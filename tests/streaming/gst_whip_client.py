#!/usr/bin/python3
"""A WHIP publisher built on GStreamer's webrtcbin, as AV teams' tools are (not aiortc).

Runs with Debian's system Python (python3-gi and the GStreamer packages listed in the
Makefile's ``system-packages``), never inside our virtualenv, so it imports nothing of
ours: test_gstreamer_whip.py starts it as a subprocess.

    /usr/bin/python3 gst_whip_client.py URL KEY --codec vp8|h264 --width W --height H

It sends a moving test picture and a tone (Opus) to ``URL`` with the bearer ``KEY``,
prints one line per event (``resource <url>``, ``connection <state>``, ``error <text>``)
and publishes until its standard input closes; then it DELETEs the resource and exits 0.
It exits 1 when the server refuses the offer or the pipeline fails.
"""

from __future__ import annotations

import argparse
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstSdp", "1.0")
gi.require_version("GstWebRTC", "1.0")
from gi.repository import GLib, Gst, GstSdp, GstWebRTC  # noqa: E402

FPS = 15
VIDEO_PT, AUDIO_PT = 96, 111

VIDEO = {
    # deadline=1: realtime; a keyframe every second so the server's decoder starts fast.
    "vp8": (
        f"vp8enc deadline=1 keyframe-max-dist={FPS} ! rtpvp8pay ! "
        f"application/x-rtp,media=video,encoding-name=VP8,clock-rate=90000,payload={VIDEO_PT}"
    ),
    # aiortc negotiates H.264 by profile and packetization mode: the encoder makes
    # constrained baseline (the payloader puts its profile-level-id into the caps) and the
    # caps ask for non-interleaved mode; webrtcbin writes both into the offer's fmtp line.
    "h264": (
        f"x264enc tune=zerolatency speed-preset=ultrafast key-int-max={FPS} ! "
        "video/x-h264,profile=constrained-baseline ! "
        "rtph264pay config-interval=-1 aggregate-mode=zero-latency ! "
        "application/x-rtp,media=video,encoding-name=H264,clock-rate=90000,"
        f"payload={VIDEO_PT},packetization-mode=(string)1"
    ),
}
AUDIO = (
    "audiotestsrc is-live=true wave=sine freq=440 ! audioconvert ! audioresample ! "
    "opusenc ! rtpopuspay ! "
    f"application/x-rtp,media=audio,encoding-name=OPUS,clock-rate=48000,payload={AUDIO_PT}"
)


def say(*words: object) -> None:
    print(*words, flush=True)  # noqa: T201 (the test reads these lines)


class Publisher:
    def __init__(self, url: str, key: str, codec: str, width: int, height: int) -> None:
        self.url, self.key = url, key
        self.resource: str | None = None
        self.failed = False
        self.loop = GLib.MainLoop()
        self.pipeline = Gst.parse_launch(
            "webrtcbin name=send bundle-policy=max-bundle "
            f"videotestsrc is-live=true pattern=ball ! "
            f"video/x-raw,width={width},height={height},framerate={FPS}/1 ! "
            f"videoconvert ! queue ! {VIDEO[codec]} ! send. "
            f"{AUDIO} ! queue ! send."
        )
        self.webrtc = self.pipeline.get_by_name("send")
        self.webrtc.connect("on-negotiation-needed", self.on_negotiation_needed)
        self.webrtc.connect("notify::ice-gathering-state", self.on_gathering)
        self.webrtc.connect("notify::connection-state", self.on_connection)
        bus = self.pipeline.get_bus()
        bus.add_signal_watch()
        bus.connect("message::error", self.on_error)

    def run(self) -> int:
        # Publishing only: no transceiver receives. Set before PLAYING, which negotiates.
        for index in range(2):  # video, audio: one transceiver per linked sink pad
            transceiver = self.webrtc.emit("get-transceiver", index)
            transceiver.set_property("direction", GstWebRTC.WebRTCRTPTransceiverDirection.SENDONLY)
        self.pipeline.set_state(Gst.State.PLAYING)
        threading.Thread(target=self.wait_for_stdin, daemon=True).start()
        self.loop.run()
        self.pipeline.set_state(Gst.State.NULL)
        return 1 if self.failed else 0

    def wait_for_stdin(self) -> None:
        sys.stdin.read()
        GLib.idle_add(self.stop)

    def stop(self) -> bool:
        if self.resource is not None:
            request = urllib.request.Request(  # noqa: S310 (http URLs from the test)
                self.resource, method="DELETE", headers=self.auth
            )
            try:
                with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                    say("deleted", response.status)
            except urllib.error.HTTPError as exc:
                say("deleted", exc.code)
            self.resource = None
        self.loop.quit()
        return False

    def fail(self, text: str) -> None:
        say("error", text)
        self.failed = True
        self.loop.quit()

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}

    # Offer, with every candidate gathered (WHIP: no trickle needed), then POST.

    def on_negotiation_needed(self, element: Gst.Element) -> None:
        promise = Gst.Promise.new_with_change_func(self.on_offer, element, None)
        element.emit("create-offer", None, promise)

    def on_offer(self, promise: Gst.Promise, element: Gst.Element, _: object) -> None:
        reply = promise.get_reply()
        offer = reply.get_value("offer") if reply is not None else None
        if offer is None:
            self.fail(f"webrtcbin made no offer: {reply.to_string() if reply else 'no reply'}")
            return
        element.emit("set-local-description", offer, Gst.Promise.new())

    def on_gathering(self, element: Gst.Element, _: object) -> None:
        if (
            element.get_property("ice-gathering-state")
            == GstWebRTC.WebRTCICEGatheringState.COMPLETE
        ):
            GLib.idle_add(self.post_offer)

    def post_offer(self) -> bool:
        sdp = self.webrtc.get_property("local-description").sdp.as_text()
        request = urllib.request.Request(  # noqa: S310 (http URLs from the test)
            self.url,
            data=sdp.encode(),
            method="POST",
            headers={**self.auth, "Content-Type": "application/sdp"},
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                answer_text = response.read().decode()
                location = response.headers["Location"]
        except urllib.error.HTTPError as exc:
            self.fail(f"the server answered {exc.code}: {exc.read().decode()[:300]}")
            return False
        except OSError as exc:
            self.fail(f"the offer could not be sent: {exc}")
            return False
        self.resource = urllib.parse.urljoin(self.url, location)
        say("resource", self.resource)
        _, message = GstSdp.SDPMessage.new_from_text(answer_text)
        answer = GstWebRTC.WebRTCSessionDescription.new(GstWebRTC.WebRTCSDPType.ANSWER, message)
        self.webrtc.emit("set-remote-description", answer, Gst.Promise.new())
        return False

    def on_connection(self, element: Gst.Element, _: object) -> None:
        state = element.get_property("connection-state")
        say("connection", state.value_nick)

    def on_error(self, _: Gst.Bus, message: Gst.Message) -> None:
        error, debug = message.parse_error()
        self.fail(f"{error.message} ({debug})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("key")
    parser.add_argument("--codec", choices=sorted(VIDEO), default="vp8")
    parser.add_argument("--width", type=int, default=320)
    parser.add_argument("--height", type=int, default=180)
    args = parser.parse_args()
    Gst.init(None)
    return Publisher(args.url, args.key, args.codec, args.width, args.height).run()


if __name__ == "__main__":
    sys.exit(main())
