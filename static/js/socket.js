// The page's one connection to /ws (docs/PROTOCOL.md is the wire contract), shared by
// every feature on the page: the live panel, the stage player, the studio, the projector.
// Loaded by the layout for signed-in pages, before the features' own scripts; it opens
// the socket only when a feature first subscribes.
//
//   const sub = LiveSocket.subscribe("session:<guid>", {
//     since: 1200,                  // resume after this durable event id (an HTTP
//                                   // snapshot's last_event_id); leave out for live only
//     on: { "chat.message": (data, frame) => …, "*": (data, frame) => … },
//     subscribed(data) {…},         // the server confirmed, after any replay (and again
//                                   // after each reconnect)
//     refused(error) {…},           // the server said no (forbidden, notfound…)
//     unsubscribed(data) {…},       // the server left the channel (roles changed)
//   });
//   sub.unsubscribe();
//   LiveSocket.act("chat.send", "session:<guid>", { body }) // Promise: ack data or error data
//   LiveSocket.onState((change) => …)  // told the state now, then every change:
//     {state: "connecting", attempt}     (attempt 0: the first connection)
//     {state: "open", user}              (welcome received, channels being subscribed)
//     {state: "closed", code, reason, final}  (final: 4001 or 4003, no reconnect)
//     {state: "waiting", attempt, delayMs}    (the next attempt's delay)
//   LiveSocket.onError((error) => …)   // refusals no action or subscribe was waiting for
//
// Rules it keeps, so no feature has to:
// - one socket per page, one server subscription per channel however many features
//   follow it (each feature gets every frame of its channel);
// - durable events carry ids: each feature's last id is kept, the channel is resubscribed
//   with `since` = the lowest of them after a reconnect, and no feature sees an id twice;
// - reconnects back off exponentially with jitter; 4001 (signed out, session ended) and
//   4003 (foreign origin) close for good: asking again would be refused the same way;
// - a refused or withdrawn subscription is not asked for again; a rate-limited one is.
"use strict";

window.LiveSocket = (() => {
  const BACKOFF_BASE_MS = 1000;
  const BACKOFF_MAX_MS = 30000;
  const PING_EVERY_MS = 25000;
  const ACTION_TIMEOUT_MS = 10000;
  const SUBSCRIBE_RETRY_MS = 1500;
  const FINAL_CLOSE_CODES = new Set([4001, 4003]);

  // channel -> {listeners: Set, ref (of the subscribe in flight), confirmed, last (its
  // `subscribed` data), retrying (after a rate-limited subscribe)}
  const channels = new Map();
  const subscribing = new Map(); // ref -> channel
  const pending = new Map(); // ref -> {resolve, reject, timer}
  const stateListeners = new Set();
  const errorListeners = new Set();
  let current = null; // the last state told to stateListeners
  let socket = null;
  let attempts = 0;
  let refCounter = 0;
  let pingTimer = null;
  let reconnectTimer = null;
  let stopped = false;
  let user = null;

  // ---------------------------------------------------------------- plumbing

  function tell(state) {
    current = state;
    for (const listener of Array.from(stateListeners)) listener(state);
  }

  function isOpen() {
    return socket !== null && socket.readyState === WebSocket.OPEN && user !== null;
  }

  function send(frame) {
    if (!isOpen()) return false;
    socket.send(JSON.stringify(frame));
    return true;
  }

  const nextRef = (prefix) => `${prefix}${++refCounter}`;

  function since(entry) {
    let lowest = null;
    for (const listener of entry.listeners) {
      if (listener.lastId !== null && (lowest === null || listener.lastId < lowest)) lowest = listener.lastId;
    }
    return lowest;
  }

  function sendSubscribe(channel, entry) {
    if (!isOpen()) return;
    entry.retrying = false;
    const frame = { type: "subscribe", channel, ref: nextRef("s") };
    const from = since(entry);
    if (from !== null) frame.since = from;
    if (entry.ref) subscribing.delete(entry.ref);
    entry.ref = frame.ref;
    subscribing.set(frame.ref, channel);
    send(frame);
  }

  function drop(channel, entry, callback, data) {
    channels.delete(channel);
    for (const listener of Array.from(entry.listeners)) {
      listener.gone = true;
      if (listener[callback]) listener[callback](data);
    }
  }

  // ---------------------------------------------------------------- the connection

  function connect() {
    if (stopped || socket || reconnectTimer || !channels.size) return;
    tell({ state: "connecting", attempt: attempts });
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    let ws;
    try {
      ws = new WebSocket(`${scheme}//${location.host}/ws`);
    } catch {
      scheduleReconnect();
      return;
    }
    socket = ws;
    ws.addEventListener("message", (event) => {
      if (socket !== ws) return;
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return;
      }
      if (frame && typeof frame === "object") receive(frame);
    });
    ws.addEventListener("close", (event) => {
      if (socket !== ws) return;
      socket = null;
      user = null;
      clearInterval(pingTimer);
      subscribing.clear();
      for (const entry of channels.values()) {
        entry.confirmed = false;
        entry.ref = null;
      }
      for (const [ref, waiting] of pending) {
        clearTimeout(waiting.timer);
        pending.delete(ref);
        waiting.reject({ code: "offline", message: "The connection dropped: try again." });
      }
      const final = FINAL_CLOSE_CODES.has(event.code);
      if (final) stopped = true;
      tell({ state: "closed", code: event.code, reason: event.reason, final });
      // 4008 (too slow), 1001 (server restarting) and network drops: come back with since.
      scheduleReconnect();
    });
  }

  function scheduleReconnect() {
    if (stopped || reconnectTimer) return;
    attempts += 1;
    const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.min(attempts - 1, 10));
    const delayMs = ceiling / 2 + Math.random() * (ceiling / 2); // exponential, with jitter
    reconnectTimer = setTimeout(() => {
      reconnectTimer = null;
      connect();
    }, delayMs);
    tell({ state: "waiting", attempt: attempts, delayMs });
  }

  function onWelcome(data) {
    attempts = 0;
    user = data.user || {};
    clearInterval(pingTimer);
    pingTimer = setInterval(() => send({ type: "ping" }), PING_EVERY_MS);
    tell({ state: "open", user });
    for (const [channel, entry] of channels) sendSubscribe(channel, entry);
  }

  // ---------------------------------------------------------------- frames in

  function receive(frame) {
    const { type, channel, ref } = frame;
    const data = frame.data && typeof frame.data === "object" ? frame.data : {};
    switch (type) {
      case "welcome":
        onWelcome(data);
        break;
      case "pong":
        break;
      case "ack":
        settle(ref, true, data);
        break;
      case "error":
        onRefusal(ref, data);
        break;
      case "subscribed":
        onSubscribed(channel, ref, data);
        break;
      case "unsubscribed": {
        const entry = channels.get(channel);
        if (entry) drop(channel, entry, "unsubscribed", data);
        break;
      }
      default:
        dispatch(channel, frame, data);
    }
  }

  function settle(ref, ok, data) {
    const waiting = ref ? pending.get(ref) : null;
    if (!waiting) return false;
    pending.delete(ref);
    clearTimeout(waiting.timer);
    (ok ? waiting.resolve : waiting.reject)(data);
    return true;
  }

  function onRefusal(ref, data) {
    if (settle(ref, false, data)) return;
    const channel = ref ? subscribing.get(ref) : undefined;
    if (channel === undefined) {
      for (const listener of Array.from(errorListeners)) listener(data);
      return;
    }
    subscribing.delete(ref);
    const entry = channels.get(channel);
    if (!entry || entry.ref !== ref) return; // a later subscribe of the channel answers
    entry.ref = null;
    if (data.code === "rate_limited") {
      entry.retrying = true; // unless a reconnect subscribes it first
      setTimeout(() => {
        if (channels.get(channel) === entry && entry.retrying) sendSubscribe(channel, entry);
      }, SUBSCRIBE_RETRY_MS);
      return;
    }
    if (entry.confirmed) send({ type: "unsubscribe", channel, ref: nextRef("u") });
    drop(channel, entry, "refused", data);
  }

  function onSubscribed(channel, ref, data) {
    subscribing.delete(ref);
    const entry = channels.get(channel);
    if (!entry || (ref && entry.ref !== ref)) return;
    entry.ref = null;
    entry.confirmed = true;
    for (const listener of entry.listeners) {
      // The channel's position now, so that a reconnect resumes from here.
      if (listener.lastId === null && typeof data.last_id === "number") listener.lastId = data.last_id;
      else if (typeof data.replayed_up_to === "number" && data.replayed_up_to > (listener.lastId || 0)) {
        listener.lastId = data.replayed_up_to;
      }
    }
    if (data.more) {
      sendSubscribe(channel, entry); // the replay was one page: ask for the rest
      return;
    }
    entry.last = data;
    for (const listener of Array.from(entry.listeners)) {
      if (listener.subscribed && !listener.gone) listener.subscribed(data);
    }
  }

  function dispatch(channel, frame, data) {
    const entry = channel ? channels.get(channel) : null;
    if (!entry) return;
    const durable = typeof frame.id === "number";
    for (const listener of Array.from(entry.listeners)) {
      if (durable) {
        if (listener.lastId !== null && frame.id <= listener.lastId) continue; // seen
        listener.lastId = frame.id;
      }
      const handler = listener.handlers.get(frame.type) || listener.handlers.get("*");
      if (handler && !listener.gone) handler(data, frame);
    }
  }

  // ---------------------------------------------------------------- the features' side

  function subscribe(channel, options = {}) {
    const listener = {
      lastId: typeof options.since === "number" ? options.since : null,
      handlers: new Map(Object.entries(options.on || {})),
      subscribed: options.subscribed,
      refused: options.refused,
      unsubscribed: options.unsubscribed,
      gone: false,
    };
    let entry = channels.get(channel);
    if (!entry) {
      entry = { listeners: new Set(), ref: null, confirmed: false, last: null, retrying: false };
      channels.set(channel, entry);
    }
    const before = since(entry);
    const first = entry.listeners.size === 0;
    entry.listeners.add(listener);
    if (first) {
      if (socket) sendSubscribe(channel, entry);
      else connect();
    } else if (listener.lastId !== null && (before === null || listener.lastId < before)) {
      // This feature needs more history than the channel was asked for: start over from
      // its id (the others skip what they have seen; one without `since` sees it all).
      sendSubscribe(channel, entry);
    } else if (entry.confirmed && listener.subscribed) {
      const confirmed = entry.last;
      queueMicrotask(() => !listener.gone && listener.subscribed(confirmed));
    }
    return {
      on(type, handler) {
        listener.handlers.set(type, handler);
        return this;
      },
      get lastId() {
        return listener.lastId;
      },
      unsubscribe() {
        if (listener.gone) return;
        listener.gone = true;
        entry.listeners.delete(listener);
        if (entry.listeners.size || channels.get(channel) !== entry) return;
        channels.delete(channel);
        if (entry.ref) subscribing.delete(entry.ref);
        if (entry.confirmed || entry.ref) send({ type: "unsubscribe", channel, ref: nextRef("u") });
      },
    };
  }

  // An action: resolves with the ack's data, rejects with the error's data ({code, message}).
  function act(type, channel, data = {}, { timeoutMs = ACTION_TIMEOUT_MS } = {}) {
    return new Promise((resolve, reject) => {
      const ref = nextRef("a");
      const frame = { type, ref, data };
      if (channel) frame.channel = channel;
      if (!send(frame)) {
        reject({ code: "offline", message: "Not connected: reconnecting, try again in a moment." });
        return;
      }
      const timer = setTimeout(() => {
        pending.delete(ref);
        reject({ code: "timeout", message: "No answer from the server: try again." });
      }, timeoutMs);
      pending.set(ref, { resolve, reject, timer });
    });
  }

  // Told now (if anything happened yet) and on every change; returns the way to stop.
  function onState(listener) {
    stateListeners.add(listener);
    if (current) listener(current);
    return () => stateListeners.delete(listener);
  }

  function onError(listener) {
    errorListeners.add(listener);
    return () => errorListeners.delete(listener);
  }

  // Leaving the page closes the socket (the page can then enter the back/forward cache);
  // coming back to it reconnects, every channel resuming from its last id.
  window.addEventListener("pagehide", () => {
    stopped = true;
    clearTimeout(reconnectTimer);
    reconnectTimer = null;
    if (socket) socket.close(1000, "page closed");
  });
  window.addEventListener("pageshow", (event) => {
    if (!event.persisted) return;
    stopped = false;
    attempts = 0;
    connect();
  });

  return Object.freeze({
    subscribe,
    act,
    onState,
    onError,
    get connected() {
      return isOpen();
    },
    get user() {
      return user;
    },
  });
})();
