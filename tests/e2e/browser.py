"""How the browser tests run Debian Chromium: its flags, its zone, how long an action waits."""

from __future__ import annotations

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# WebRTC with a fake camera and microphone, on loopback, playing without a gesture.
MEDIA_ARGS = [
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
    "--allow-loopback-in-peer-connection",
    "--autoplay-policy=no-user-gesture-required",
]
# Every page action and every ``expect`` waits at most this long (ms). Generous on purpose:
# a passing test never waits for it, and the suite runs on shared, sometimes busy machines.
ACTION_TIMEOUT_MS = 30_000
# The browser's own zone: neither the meeting's nor the demo attendee's, so a page that
# showed the browser's zone instead of the account's would fail the tests.
BROWSER_TIME_ZONE = "Europe/Paris"
