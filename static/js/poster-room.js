// A poster's small video room during a live slot (templates/posters/_video_room.html).
//
// Up to six people (the presenter and visitors) see one composed picture of everyone and
// hear everyone but themselves, over one RTCPeerConnection to the server (signaling.js
// joins and leaves: the same WHIP-shaped signaling as a stage's panel). The room's state
// (how many are in, may I join, who) is read from the room's address every few seconds
// while the page is visible or the user is in the room; a seat the server gave up (the
// slot ended, a host removed someone) closes the connection here too.
"use strict";

(() => {
  const root = document.querySelector("[data-poster-room]");
  if (!root || !window.Signaling) return;

  const API = root.dataset.posterRoom;
  const CSRF = root.dataset.csrf;
  const POLL_MS = 5000;
  const $ = (selector) => root.querySelector(selector);
  const view = $("[data-room-view]");
  const joinButton = $("[data-room-join]");
  const leaveButton = $("[data-room-leave]");
  const countLine = $("[data-room-count]");
  const statusLine = $("[data-room-status]");
  const people = $("[data-room-people]");

  let pc = null;
  let stream = null;
  let seat = null; // the Location to DELETE while in the room
  let joining = false;
  let seatSince = 0; // when the seat was taken: older answers do not know it yet
  let state = null;
  let poll = null;

  function setStatus(text, isError = false) {
    statusLine.textContent = text;
    statusLine.classList.toggle("is-error", isError);
  }

  function plural(count) {
    return count === 1 ? "1 person is" : `${count} people are`;
  }

  function render() {
    const inRoom = Boolean(seat);
    joinButton.hidden = inRoom;
    leaveButton.hidden = !inRoom;
    view.hidden = !inRoom;
    if (!state) return;
    const full = state.count >= state.capacity;
    joinButton.disabled = joining || !state.may_join || full;
    countLine.textContent = `${plural(state.count)} in the video room (at most ${state.capacity}).`;
    people.replaceChildren(
      ...state.people.map((person) => {
        const item = document.createElement("li");
        item.textContent = person.you ? `${person.name} (you)` : person.name;
        return item;
      }),
    );
    if (!inRoom && !joining && !state.may_join && state.refusal) setStatus(state.refusal);
  }

  async function refresh() {
    if (document.hidden && !seat) return;
    const asked = Date.now();
    let response;
    try {
      response = await fetch(API, { credentials: "same-origin" });
    } catch {
      return; // offline for a moment: the next poll tries again
    }
    if (response.status === 401 || response.status === 403 || response.status === 404) {
      root.hidden = true; // the poster went away, or the session ended
      clearInterval(poll);
      return;
    }
    if (!response.ok) return;
    state = await response.json();
    const knowsSeat = asked > seatSince;
    if (seat && !joining && knowsSeat && !state.people.some((person) => person.you)) {
      // The server let us go: the slot is over, or a host removed us.
      cleanup();
      setStatus(state.may_join ? "You are no longer in the video room." : state.refusal);
    }
    render();
  }

  function cleanup() {
    if (pc) pc.close();
    pc = null;
    root.connection = null;
    if (stream) stream.getTracks().forEach((track) => track.stop());
    stream = null;
    seat = null;
    view.srcObject = null;
    render();
  }

  async function join() {
    joining = true;
    render();
    setStatus("Starting your camera…");
    try {
      const incoming = new MediaStream();
      ({ pc, stream, seat } = await Signaling.join(API, CSRF, {
        onTrack(track) {
          incoming.addTrack(track);
          view.srcObject = incoming;
        },
        onState(connection) {
          if (connection === "failed" && pc) {
            setStatus("The connection to the video room was lost.", true);
            cleanup();
          } else if (connection === "connected") {
            setStatus("You are in the video room.");
          }
        },
        onJoining: () => setStatus("Joining…"),
      }));
      // The connection, for its getStats() (the browser test reads what arrives).
      root.connection = pc;
      seatSince = Date.now();
      setStatus("Connecting…");
    } catch (error) {
      setStatus(`Could not join the video room: ${error.message}`, true);
      cleanup();
    }
    joining = false;
    await refresh();
    if (seat) leaveButton.focus();
  }

  async function leave() {
    const location = seat;
    cleanup();
    if (location) await Signaling.leave(location, CSRF);
    setStatus("You left the video room.");
    await refresh();
    joinButton.focus();
  }

  joinButton.addEventListener("click", join);
  leaveButton.addEventListener("click", leave);
  window.addEventListener("pagehide", () => {
    if (seat) Signaling.leave(seat, CSRF);
  });
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden) refresh();
  });
  render();
  refresh();
  poll = setInterval(refresh, POLL_MS);
})();
