// The panel in the studio: up to eight speakers of a stage see and hear each other.
//
// One RTCPeerConnection to the server (send and receive audio and video). The server sends
// back one composed picture (a grid, or the active speaker large) and a mix of everyone
// else's voices. Signaling is WHIP-shaped: the complete offer (ICE gathered, no trickle)
// is POSTed as application/sdp; 201 brings the answer and a Location that DELETE leaves.
// Chairs and organizers also choose the layout and put the panel live on the stage.
//
// Markup: <section data-panel data-stage="SLUG" data-csrf="TOKEN"></section>; the script
// fills it (and hides it for people who may not join this stage's panel).
"use strict";

(() => {
  const root = document.querySelector("[data-panel]");
  if (!root) return;

  const STAGE = root.dataset.stage;
  const CSRF = root.dataset.csrf;
  const API = `/api/v1/streaming/stages/${encodeURIComponent(STAGE)}/panel`;
  const ICE_GATHER_MS = 5000;
  const POLL_MS = 3000;

  root.innerHTML = `
    <h2>Panel</h2>
    <video data-panel-view autoplay playsinline aria-label="The panel"></video>
    <div class="studio-actions">
      <button type="button" data-panel-join>Join the panel</button>
      <button type="button" class="secondary" data-panel-leave disabled>Leave</button>
      <label data-panel-director hidden>Layout
        <select data-panel-layout>
          <option value="grid">Grid</option>
          <option value="speaker">Active speaker</option>
        </select>
      </label>
      <button type="button" data-panel-golive data-panel-director hidden>Put the panel live</button>
      <button type="button" class="secondary" data-panel-stoplive data-panel-director hidden>Stop the broadcast</button>
    </div>
    <p class="player-status" role="status" data-panel-status></p>
    <ul class="panel-people" data-panel-people aria-label="On the panel"></ul>`;

  const $ = (selector) => root.querySelector(selector);
  const view = $("[data-panel-view]");
  const joinButton = $("[data-panel-join]");
  const leaveButton = $("[data-panel-leave]");
  const layoutSelect = $("[data-panel-layout]");
  const goLiveButton = $("[data-panel-golive]");
  const stopLiveButton = $("[data-panel-stoplive]");
  const statusLine = $("[data-panel-status]");
  const people = $("[data-panel-people]");

  let pc = null;
  let stream = null;
  let seat = null; // the Location to DELETE while on the panel
  let state = null;

  function setStatus(text, isError = false) {
    statusLine.textContent = text;
    statusLine.classList.toggle("is-error", isError);
  }

  function send(method, url, body) {
    const headers = { "X-CSRF-Token": CSRF };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    return fetch(url, {
      method,
      credentials: "same-origin",
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  function render() {
    if (!state) return;
    const director = Boolean(state.may_direct);
    root.querySelectorAll("[data-panel-director]").forEach((el) => {
      el.hidden = !director;
    });
    layoutSelect.value = state.layout;
    goLiveButton.disabled = state.live || state.panelists.length === 0;
    stopLiveButton.disabled = !state.live;
    const full = state.panelists.length >= state.max_panelists;
    joinButton.disabled = Boolean(seat) || (full && !seat);
    leaveButton.disabled = !seat;
    people.replaceChildren(
      ...state.panelists.map((p) => {
        const item = document.createElement("li");
        item.textContent = p.name + (p.id === state.active ? " (speaking)" : "");
        return item;
      }),
    );
    root.dataset.live = state.live ? "yes" : "no";
  }

  async function refresh() {
    const response = await fetch(API, { credentials: "same-origin" });
    if (response.status === 401 || response.status === 403 || response.status === 404) {
      root.hidden = true; // not for this user or stage
      return false;
    }
    if (!response.ok) return true;
    state = await response.json();
    render();
    return true;
  }

  async function join() {
    joinButton.disabled = true;
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
            setStatus("The connection to the panel was lost.", true);
            cleanup();
          } else if (connection === "connected") {
            setStatus("You are on the panel.");
          }
        },
        onJoining: () => setStatus("Joining…"),
        iceMs: ICE_GATHER_MS,
      }));
      setStatus("Connecting…");
    } catch (error) {
      setStatus(`Could not join the panel: ${error.message}`, true);
      cleanup();
    }
    await refresh();
  }

  function cleanup() {
    if (pc) pc.close();
    pc = null;
    if (stream) stream.getTracks().forEach((track) => track.stop());
    stream = null;
    seat = null;
    view.srcObject = null;
    render();
  }

  async function leave() {
    const location = seat;
    cleanup();
    if (location) await Signaling.leave(location, CSRF);
    setStatus("You left the panel.");
    await refresh();
  }

  async function act(method, url, body, done) {
    const response = await send(method, url, body);
    if (!response.ok) setStatus(await Signaling.errorDetail(response), true);
    else if (done) setStatus(done);
    await refresh();
  }

  joinButton.addEventListener("click", join);
  leaveButton.addEventListener("click", leave);
  layoutSelect.addEventListener("change", () =>
    act("PUT", `${API}/layout`, { layout: layoutSelect.value }),
  );
  goLiveButton.addEventListener("click", () =>
    act("POST", `${API}/live`, undefined, "The panel is live on the stage."),
  );
  stopLiveButton.addEventListener("click", () =>
    act("DELETE", `${API}/live`, undefined, "The broadcast stopped."),
  );
  window.addEventListener("pagehide", () => {
    if (seat) Signaling.leave(seat, CSRF);
  });

  refresh().then((visible) => {
    if (visible) setInterval(refresh, POLL_MS);
  });
})();
