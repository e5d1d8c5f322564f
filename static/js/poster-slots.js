// A poster's live slot (templates/posters/_slots.html): while a slot is on, viewers are
// told whether the presenter is here (presenter.here / presenter.left on poster:<id>), and
// the presenter's own page says so with a heartbeat (poster.presenter_here) until the slot
// ends. Nothing runs outside a slot.
"use strict";

(() => {
  const HEARTBEAT_MS = 15000;
  const panel = document.querySelector("[data-poster-channel]");
  if (!panel || !window.LiveSocket || !panel.dataset.liveUntil) return;
  const channel = panel.dataset.posterChannel;
  const presenter = panel.dataset.presenter === "true";
  const slotEnds = Date.parse(panel.dataset.liveUntil);
  const status = panel.querySelector("[data-testid=presenter-status]");
  const AWAY = "The presenter is not here at the moment.";
  let expiry = null;
  let heartbeat = null;

  function away() {
    clearTimeout(expiry);
    expiry = null;
    status.textContent = AWAY;
    status.classList.remove("here");
  }

  function here(data) {
    status.textContent = presenter ? "The presenter is here (you, as visitors see you)." : "The presenter is here";
    status.classList.add("here");
    clearTimeout(expiry);
    expiry = setTimeout(away, Math.max(0, Date.parse(data.until) - Date.now()));
  }

  function beat() {
    if (Date.now() >= slotEnds) {
      clearInterval(heartbeat);
      heartbeat = null;
      return;
    }
    window.LiveSocket.act("poster.presenter_here", channel, {}).catch(() => {});
  }

  away();
  window.LiveSocket.subscribe(channel, {
    on: { "presenter.here": here, "presenter.left": away },
    subscribed() {
      if (!presenter) return;
      beat();
      if (heartbeat === null) heartbeat = setInterval(beat, HEARTBEAT_MS);
    },
  });
  if (presenter) {
    window.addEventListener("pagehide", () => {
      window.LiveSocket.act("poster.presenter_left", channel, {}).catch(() => {});
    });
  }
})();
