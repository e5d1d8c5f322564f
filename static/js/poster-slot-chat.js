// The chat with the presenter during a live slot (templates/posters/_slots.html): the
// history page from the JSON API, then live over the page's one socket (window.LiveSocket,
// channel poster:<id>, the core chat's chat.message / chat.deleted frames), and the
// poster.chat.* actions to send, delete and mute. Rules in posters/slots/chat.py.
//
// Rules this file keeps:
// - user text only ever reaches the page through textContent, never as HTML;
// - the history's last_event_id is the `since` of the subscription, and a message seen
//   in both is shown once (by message_id);
// - when the slot ends the form closes (the server refuses messages from then on).
"use strict";

(() => {
  const root = document.querySelector("[data-slot-chat]");
  if (!root || !window.LiveSocket) return;

  const POSTER = Number(root.dataset.posterId);
  const ME = Number(root.dataset.userId);
  const PRESENTER = Number(root.dataset.presenterId) || null;
  const MODERATES = root.dataset.moderates === "true";
  const MUTES = root.dataset.mutes === "true";
  const CHANNEL = `poster:${POSTER}`;
  const ENDS = Date.parse(root.dataset.liveUntil);
  const MUTE_MINUTES = 15;

  const log = root.querySelector("[data-chat-log]");
  const empty = root.querySelector("[data-chat-empty]");
  const form = root.querySelector("[data-chat-form]");
  const status = root.querySelector("[data-chat-status]");
  const field = form.elements.body;

  function say(text) {
    status.textContent = text;
  }

  function button(label, name, value, text) {
    const node = document.createElement("button");
    node.type = "button";
    node.className = "link";
    node.dataset[name] = String(value);
    node.setAttribute("aria-label", label);
    node.textContent = text;
    return node;
  }

  function show(data) {
    if (data.deleted || data.body === null) return;
    if (log.querySelector(`[data-message-id="${data.message_id}"]`)) return;
    const item = document.createElement("li");
    item.dataset.messageId = String(data.message_id);
    if (PRESENTER !== null && data.author.id === PRESENTER) item.classList.add("by-presenter");
    const who = document.createElement("strong");
    who.textContent = data.author.name;
    const when = document.createElement("time");
    when.dateTime = data.created_at;
    when.textContent = new Date(data.created_at).toLocaleTimeString(undefined, {
      hour: "2-digit",
      minute: "2-digit",
    });
    const body = document.createElement("span");
    body.className = "chat-body";
    body.textContent = data.body;
    item.append(who);
    if (item.classList.contains("by-presenter")) item.append(" (presenter)");
    item.append(" ", when, ": ", body);
    if (MODERATES || data.author.id === ME) {
      item.append(" ", button(`Delete the message of ${data.author.name}`, "delete", data.message_id, "Delete"));
    }
    if (MUTES && data.author.id !== null && data.author.id !== ME) {
      item.append(" ", button(`Mute ${data.author.name} for ${MUTE_MINUTES} minutes`, "mute", data.author.id, "Mute"));
    }
    log.append(item);
    log.scrollTop = log.scrollHeight;
    empty.hidden = true;
  }

  function drop(data) {
    const item = log.querySelector(`[data-message-id="${data.message_id}"]`);
    if (item) item.remove();
    empty.hidden = log.children.length > 0;
  }

  function close(why) {
    form.hidden = true;
    say(why || "The live slot has ended: the chat is closed.");
  }

  function start(history) {
    history.messages.forEach(show);
    let closed = !history.live;
    window.LiveSocket.subscribe(CHANNEL, {
      since: history.last_event_id,
      on: { "chat.message": show, "chat.deleted": drop },
      // The form appears once the socket can carry a message (as the session chat's
      // controls do): sent earlier, it would be refused as offline.
      subscribed() {
        root.dataset.live = "on";
        if (!closed) form.hidden = false;
      },
    });
    if (closed) {
      close("The chat is not open: it opens during the presenter's live slots.");
      return;
    }
    setTimeout(() => {
      closed = true;
      close();
    }, Math.max(0, ENDS - Date.now()));
  }

  fetch(`/api/v1/posters/${POSTER}/chat`, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then((response) => (response.ok ? response.json() : Promise.reject(response)))
    .then(start, () => say("The chat could not be loaded: reload the page to try again."));

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const body = field.value.trim();
    if (!body) return;
    say("Sending…");
    window.LiveSocket.act("poster.chat.send", CHANNEL, { body }).then(
      () => {
        field.value = "";
        say("");
      },
      (error) => say(error.message || "Not sent: try again."),
    );
  });

  log.addEventListener("click", (event) => {
    const remove = event.target.closest("[data-delete]");
    const mute = event.target.closest("[data-mute]");
    if (remove) {
      window.LiveSocket.act("poster.chat.delete", CHANNEL, { message_id: Number(remove.dataset.delete) }).catch(
        (error) => say(error.message || "Not deleted: try again."),
      );
    } else if (mute) {
      window.LiveSocket.act("poster.chat.mute", CHANNEL, { user_id: Number(mute.dataset.mute), minutes: MUTE_MINUTES }).then(
        () => say(`Muted for ${MUTE_MINUTES} minutes.`),
        (error) => say(error.message || "Not muted: try again."),
      );
    }
  });
})();
