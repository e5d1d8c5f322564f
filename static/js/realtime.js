// The live panel of a session page: chat, Q&A, polls, reactions, presence and
// announcements over the one websocket, /ws (docs/PROTOCOL.md is the wire contract).
//
// Rules this file keeps:
// - user text only ever reaches the page through textContent (never innerHTML); links
//   are built as <a> elements for http(s) URLs only;
// - the page's one socket (socket.js) keeps the last id per channel and resumes with
//   `since` when the connection comes back; applying an event twice changes nothing;
// - whether this user moderates is the server's answer to `subscribe moderation:<guid>`.
"use strict";

(() => {
  const root = document.querySelector("[data-live][data-session-guid]");
  if (!root) return;

  const GUID = root.dataset.sessionGuid;
  const ME = Number(root.dataset.userId);
  const ZONE = root.dataset.timeZone || undefined;
  const SESSION = `session:${GUID}`;
  const MODERATION = `moderation:${GUID}`;
  const USER = `user:${ME}`;
  const MEETING = "meeting";
  const API = `/api/v1/realtime/sessions/${encodeURIComponent(GUID)}`;
  const MAX_CHAT = 2000;
  const STATUS_RANK = { pending: 0, approved: 1, answered: 2, dismissed: 3 };
  const POLL_RANK = { draft: 0, open: 1, closed: 2 };
  const STORE_KEY = `live:${GUID}:${ME}`;

  const $ = (selector, scope = root) => scope.querySelector(selector);

  // ---------------------------------------------------------------- small DOM helpers

  function el(tag, props = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props)) {
      if (value === undefined || value === null || value === false) continue;
      if (key === "text") node.textContent = value;
      else if (key === "className") node.className = value;
      else if (key === "dataset") Object.assign(node.dataset, value);
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function button(label, onclick, extra = {}) {
    return el("button", { type: "button", onclick, ...extra }, label);
  }

  const URL_PATTERN = /\bhttps?:\/\/[^\s<>"'`]+/gi;

  // Plain text with http(s) links: a fragment of text nodes and <a> elements.
  function linkified(text) {
    const fragment = document.createDocumentFragment();
    let at = 0;
    for (const match of String(text).matchAll(URL_PATTERN)) {
      let url = match[0];
      // Trailing punctuation ends the sentence, not the URL (keep balanced parentheses).
      while (/[.,;:!?'")\]]$/.test(url)) {
        if (url.endsWith(")") && url.split("(").length > url.split(")").length - 1) break;
        url = url.slice(0, -1);
      }
      let href = null;
      try {
        const parsed = new URL(url);
        if (parsed.protocol === "http:" || parsed.protocol === "https:") href = parsed.href;
      } catch {
        href = null;
      }
      if (!href) continue;
      fragment.append(document.createTextNode(text.slice(at, match.index)));
      fragment.append(el("a", { href, rel: "noopener nofollow", target: "_blank", text: url }));
      at = match.index + url.length;
    }
    fragment.append(document.createTextNode(String(text).slice(at)));
    return fragment;
  }

  const timeFormat = (() => {
    try {
      return new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", timeZone: ZONE });
    } catch {
      return new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit" });
    }
  })();

  function timeNode(iso) {
    if (!iso) return null;
    const when = new Date(iso);
    if (Number.isNaN(when.getTime())) return null;
    return el("time", { datetime: when.toISOString(), className: "when" }, timeFormat.format(when));
  }

  const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;
  const chars = (text) => Array.from(text).length;

  // ---------------------------------------------------------------- announcements to AT

  // Screen readers hear counts, not every message: batched every few seconds.
  const announcer = $("[data-live-announce]");
  const pendingNews = { messages: 0, questions: 0, polls: 0 };
  let newsTimer = null;

  function news(kind) {
    pendingNews[kind] += 1;
    if (newsTimer) return;
    newsTimer = setTimeout(() => {
      newsTimer = null;
      const parts = [];
      if (pendingNews.messages) parts.push(plural(pendingNews.messages, "new chat message", "new chat messages"));
      if (pendingNews.questions) parts.push(plural(pendingNews.questions, "new question", "new questions"));
      if (pendingNews.polls) parts.push(plural(pendingNews.polls, "poll update", "poll updates"));
      pendingNews.messages = pendingNews.questions = pendingNews.polls = 0;
      if (parts.length) announcer.textContent = `${parts.join(", ")}.`;
    }, 4000);
  }

  function say(text) {
    announcer.textContent = text;
  }

  // ---------------------------------------------------------------- status and errors

  const statusLine = $("[data-live-status]");

  function setStatus(text, kind = "") {
    statusLine.textContent = text;
    statusLine.className = `live-status ${kind}`.trim();
  }

  function showError(slot, message) {
    const target = typeof slot === "string" ? $(`[data-error="${slot}"]`) : slot;
    if (!target) {
      setStatus(message, "is-error");
      return;
    }
    target.textContent = message;
    clearTimeout(target._timer);
    target._timer = setTimeout(() => {
      target.textContent = "";
    }, 8000);
  }

  function clearError(slot) {
    const target = typeof slot === "string" ? $(`[data-error="${slot}"]`) : slot;
    if (target) target.textContent = "";
  }

  const ERROR_TEXT = {
    rate_limited: (m) => m || "You are going too fast: wait a moment.",
    not_subscribed: () => "Not connected to this session yet: try again in a moment.",
    unauthenticated: () => "You are signed out: sign in again.",
  };

  function errorText(data) {
    const make = ERROR_TEXT[data && data.code];
    return make ? make(data.message) : (data && data.message) || "That did not work.";
  }

  // ---------------------------------------------------------------- remembered choices

  // What this browser voted for (the protocol does not say): upvoted questions, polls.
  const memory = (() => {
    try {
      return JSON.parse(sessionStorage.getItem(STORE_KEY) || "{}");
    } catch {
      return {};
    }
  })();
  memory.votes = memory.votes || {};
  memory.polls = memory.polls || {};

  function remember() {
    try {
      sessionStorage.setItem(STORE_KEY, JSON.stringify(memory));
    } catch {
      // private mode: the buttons still work, the server refuses a second vote
    }
  }

  // ---------------------------------------------------------------- the connection

  // The page's one socket (static/js/socket.js) carries this panel's channels beside
  // whatever else the page follows (the stage player's).
  const live = window.LiveSocket;
  let isModerator = false;

  // A client action on the session: resolves with the ack's data, rejects with the error's.
  const act = (type, data) => live.act(type, SESSION, data);

  function onConnection({ state, attempt, delayMs, code }) {
    if (state === "connecting") setStatus(attempt ? "Reconnecting…" : "Connecting…");
    else if (state === "open") setStatus("Connected.", "is-ok");
    else if (state === "waiting") {
      setStatus(`Connection lost. Reconnecting in ${Math.ceil(delayMs / 1000)} s…`, "is-warning");
    } else if (state === "closed") {
      setControls(false);
      if (code === 4001) setStatus("You have been signed out. Sign in again to rejoin the chat.", "is-error");
      else if (code === 4003) setStatus("This page may not connect to the live service.", "is-error");
    }
  }

  // Subscribes from `since` (the oldest HTTP snapshot's event id): events in between are
  // applied idempotently, and the socket resumes each channel from its last id.
  function follow(since) {
    live.onState(onConnection);
    // Refusals that no action of this page was waiting for.
    live.onError((data) => setStatus(errorText(data), "is-error"));
    live.subscribe(SESSION, {
      since,
      on: SESSION_EVENTS,
      subscribed: () => setControls(true),
      refused: (data) => setStatus(`Could not join the live session: ${errorText(data)}`, "is-error"),
      unsubscribed: (data) => setStatus(errorText(data), "is-error"),
    });
    live.subscribe(MEETING, {
      on: MEETING_EVENTS,
      unsubscribed: (data) => setStatus(errorText(data), "is-error"),
    });
    live.subscribe(USER, {
      on: { "*": (data, frame) => onUserNotice(frame.type, data) }, // private notices, whatever their type
      unsubscribed: (data) => setStatus(errorText(data), "is-error"),
    });
    // Whether this user moderates here is the server's answer; moderators rebuild their
    // queue (pending questions, draft polls) from the start of that channel.
    live.subscribe(MODERATION, {
      since: 0,
      on: MODERATION_EVENTS,
      subscribed: () => {
        isModerator = true;
        becomeModerator();
      },
      refused: () => {
        isModerator = false; // not a moderator here: the normal panel is all there is
      },
      unsubscribed: stopModerating, // our roles changed
    });
  }

  // ---------------------------------------------------------------- tabs

  const tabs = Array.from(root.querySelectorAll('[role="tab"]'));

  function selectTab(tab, focus = false) {
    for (const other of tabs) {
      const selected = other === tab;
      other.setAttribute("aria-selected", String(selected));
      other.tabIndex = selected ? 0 : -1;
      document.getElementById(other.getAttribute("aria-controls")).hidden = !selected;
    }
    if (focus) tab.focus();
  }

  for (const tab of tabs) {
    tab.addEventListener("click", () => selectTab(tab));
    tab.addEventListener("keydown", (event) => {
      const visible = tabs.filter((t) => !t.hidden);
      const index = visible.indexOf(tab);
      let next = null;
      if (event.key === "ArrowRight") next = visible[(index + 1) % visible.length];
      else if (event.key === "ArrowLeft") next = visible[(index - 1 + visible.length) % visible.length];
      else if (event.key === "Home") next = visible[0];
      else if (event.key === "End") next = visible[visible.length - 1];
      if (next) {
        event.preventDefault();
        selectTab(next, true);
      }
    });
  }

  function setCount(name, n) {
    const badge = $(`[data-count="${name}"]`);
    if (badge) badge.textContent = n ? `(${n})` : "";
  }

  // ---------------------------------------------------------------- presence, reactions

  const reactionButtons = Array.from(root.querySelectorAll("[data-reaction]"));

  function setControls(on) {
    for (const node of reactionButtons) node.disabled = !on;
  }

  for (const node of reactionButtons) {
    node.addEventListener("click", () => {
      act("reaction", { emoji: node.dataset.reaction })
        .then(() => clearError("reaction"))
        .catch((error) => showError("reaction", errorText(error)));
    });
  }

  // The server sends what arrived in the last second; the buttons show the running tally
  // since this page opened.
  const reactionTotals = new Map();

  function onReactions(data) {
    const counts = (data && data.counts) || {};
    for (const node of reactionButtons) {
      const n = counts[node.dataset.reaction];
      if (typeof n !== "number" || n <= 0) continue;
      const total = (reactionTotals.get(node.dataset.reaction) || 0) + n;
      reactionTotals.set(node.dataset.reaction, total);
      node.querySelector("[data-reaction-count]").textContent = String(total);
    }
  }

  function onPresence(data) {
    // At least this page is watching, whatever a late count says.
    const viewers = Math.max(1, Number(data && data.viewers) || 0);
    $("[data-live-viewers]").hidden = false;
    $("[data-live-viewer-count]").textContent = String(viewers);
    $("[data-live-viewer-noun]").textContent = viewers === 1 ? "viewer" : "viewers";
  }

  // ---------------------------------------------------------------- chat

  const chatLog = $("[data-chat-log]");
  const chatForm = $("[data-chat-form]");
  const chatBody = $("[data-chat-body]");
  const chatCounter = $("[data-chat-counter]");
  const chatSend = $("[data-chat-send]");
  const chatMore = $("[data-chat-more]");
  const messages = new Map(); // message_id -> {data, node}
  let oldestCursor = null;

  function nearBottom() {
    return chatLog.scrollHeight - chatLog.scrollTop - chatLog.clientHeight < 48;
  }

  function chatEmpty() {
    $("[data-chat-empty]").hidden = messages.size > 0;
  }

  function renderMessage(message) {
    const mine = message.author && Number(message.author.id) === ME;
    const item = el("li", {
      className: `chat-message${mine ? " mine" : ""}${message.deleted ? " deleted" : ""}`,
      dataset: { messageId: String(message.message_id) },
    });
    const head = el(
      "p",
      { className: "chat-meta" },
      el("span", { className: "chat-author" }, mine ? "You" : (message.author && message.author.name) || "Someone"),
      " ",
      timeNode(message.created_at),
      message.edited_at && !message.deleted ? el("span", { className: "hint" }, " (edited)") : null,
    );
    item.append(head);
    if (message.deleted) {
      item.append(
        el("p", { className: "chat-body removed" }, message.by_moderator ? "Removed by a moderator." : "Message deleted."),
      );
      return item;
    }
    const body = el("p", { className: "chat-body" });
    body.append(linkified(message.body || ""));
    item.append(body);
    const tools = el("div", { className: "chat-tools" });
    const who = mine ? "your message" : `message from ${(message.author && message.author.name) || "someone"}`;
    if (mine) {
      tools.append(button("Edit", () => startEdit(message.message_id), { "aria-label": `Edit ${who}`, className: "link" }));
    }
    if (mine || isModerator) {
      tools.append(
        button("Delete", () => deleteMessage(message.message_id, item), { "aria-label": `Delete ${who}`, className: "link danger-link" }),
      );
    }
    if (isModerator && !mine && message.author) {
      tools.append(
        button("Mute", () => muteAuthor(message.author, item), {
          "aria-label": `Mute ${message.author.name || "this person"} for 10 minutes`,
          className: "link",
        }),
      );
    }
    if (tools.childElementCount) item.append(tools);
    item.append(el("p", { className: "error live-inline-error", role: "alert" }));
    return item;
  }

  function upsertMessage(data, { prepend = false, fromEvent = false } = {}) {
    if (data == null || data.message_id == null) return;
    const known = messages.get(data.message_id);
    const merged = known ? { ...known.data, ...data } : { ...data };
    const stick = nearBottom();
    const node = renderMessage(merged);
    if (known) {
      if (known.node.querySelector("[data-edit-form]")) {
        // Do not throw away what the user is typing: refresh when they finish.
        known.data = merged;
        known.stale = true;
        return;
      }
      known.node.replaceWith(node);
      messages.set(data.message_id, { data: merged, node });
      return;
    }
    messages.set(data.message_id, { data: merged, node });
    if (prepend) chatLog.prepend(node);
    else insertInOrder(node, data.message_id);
    chatEmpty();
    if (fromEvent && !prepend) {
      if (stick) chatLog.scrollTop = chatLog.scrollHeight;
      if (!(merged.author && Number(merged.author.id) === ME)) news("messages");
    }
  }

  function insertInOrder(node, messageId) {
    // Messages arrive in order; a replayed older one still lands in its place.
    let before = null;
    for (let child = chatLog.lastElementChild; child; child = child.previousElementSibling) {
      if (Number(child.dataset.messageId) > Number(messageId)) before = child;
      else break;
    }
    chatLog.insertBefore(node, before);
  }

  function rerenderMessages() {
    for (const [id, entry] of messages) {
      const node = renderMessage(entry.data);
      entry.node.replaceWith(node);
      messages.set(id, { data: entry.data, node });
    }
  }

  function startEdit(messageId) {
    const entry = messages.get(messageId);
    if (!entry) return;
    const item = entry.node;
    const body = item.querySelector(".chat-body");
    const tools = item.querySelector(".chat-tools");
    const fieldId = `edit-${messageId}`;
    const field = el("textarea", { id: fieldId, rows: 2, className: "chat-edit" });
    field.value = entry.data.body || "";
    const errorSlot = item.querySelector("[role=alert]");
    const finish = () => {
      const current = messages.get(messageId);
      const fresh = renderMessage(current.data);
      item.replaceWith(fresh);
      messages.set(messageId, { data: current.data, node: fresh });
      const again = fresh.querySelector(".chat-tools button");
      if (again) again.focus();
    };
    const save = () => {
      const text = field.value.trim();
      if (!text) return showError(errorSlot, "A message cannot be empty: use Delete instead.");
      if (chars(text) > MAX_CHAT) return showError(errorSlot, `At most ${MAX_CHAT.toLocaleString("en-GB")} characters.`);
      act("chat.edit", { message_id: messageId, body: text })
        .then(() => {
          const current = messages.get(messageId);
          current.data = { ...current.data, body: text, edited_at: current.data.edited_at || new Date().toISOString() };
          finish();
        })
        .catch((error) => showError(errorSlot, errorText(error)));
    };
    field.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        save();
      } else if (event.key === "Escape") {
        event.preventDefault();
        finish();
      }
    });
    const form = el(
      "div",
      { className: "chat-edit-form", dataset: { editForm: "1" } },
      el("label", { for: fieldId, className: "visually-hidden" }, "Change your message"),
      field,
      el("div", { className: "chat-tools" }, button("Save", save, { className: "small" }), button("Cancel", finish, { className: "link" })),
    );
    body.replaceWith(form);
    if (tools) tools.remove();
    field.focus();
  }

  function deleteMessage(messageId, item) {
    act("chat.delete", { message_id: messageId })
      .then(() => {
        const entry = messages.get(messageId);
        if (entry) upsertMessage({ message_id: messageId, deleted: true, by_moderator: entry.data.author && Number(entry.data.author.id) !== ME });
        say("Message deleted.");
        chatBody.focus();
      })
      .catch((error) => showError(item.querySelector("[role=alert]"), errorText(error)));
  }

  function muteAuthor(author, item) {
    act("chat.mute", { user_id: author.id, minutes: 10 })
      .then(() => say(`${author.name || "They"} cannot chat for 10 minutes.`))
      .catch((error) => showError(item.querySelector("[role=alert]"), errorText(error)));
  }

  function updateCounter() {
    const n = chars(chatBody.value);
    chatCounter.textContent = `${n.toLocaleString("en-GB")} / ${MAX_CHAT.toLocaleString("en-GB")}`;
    const over = n > MAX_CHAT;
    chatCounter.classList.toggle("over", over);
    chatBody.setAttribute("aria-invalid", String(over));
  }

  function sendChat() {
    const text = chatBody.value.trim();
    if (!text) return;
    if (chars(text) > MAX_CHAT) {
      showError("chat", `Messages are limited to ${MAX_CHAT.toLocaleString("en-GB")} characters.`);
      return;
    }
    chatSend.disabled = true;
    act("chat.send", { body: text })
      .then(() => {
        chatBody.value = "";
        updateCounter();
        clearError("chat");
        chatLog.scrollTop = chatLog.scrollHeight;
      })
      .catch((error) => showError("chat", errorText(error)))
      .finally(() => {
        chatSend.disabled = false;
      });
  }

  chatBody.addEventListener("input", updateCounter);
  chatBody.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      sendChat();
    }
  });
  chatForm.addEventListener("submit", (event) => {
    event.preventDefault();
    sendChat();
  });

  async function loadEarlier() {
    if (oldestCursor == null) return;
    chatMore.disabled = true;
    try {
      const page = await getJson(`${API}/chat?before=${encodeURIComponent(oldestCursor)}`);
      const items = itemsOf(page, "messages");
      const height = chatLog.scrollHeight;
      for (const message of items.slice().sort((a, b) => b.message_id - a.message_id)) {
        upsertMessage(message, { prepend: true });
      }
      chatLog.scrollTop += chatLog.scrollHeight - height;
      trackCursor(page, items);
    } catch {
      showError("chat", "Could not load earlier messages.");
    } finally {
      chatMore.disabled = false;
    }
  }

  function trackCursor(page, items) {
    const more = Boolean(page && (page.more || page.has_more || page.next_before || page.before));
    const ids = items.map((m) => Number(m.message_id)).filter((n) => !Number.isNaN(n));
    oldestCursor = page && (page.next_before || page.before) ? page.next_before || page.before : ids.length ? Math.min(...ids) : null;
    chatMore.hidden = !(more && oldestCursor != null);
  }

  chatMore.addEventListener("click", loadEarlier);

  // ---------------------------------------------------------------- Q&A

  const qaForm = $("[data-qa-form]");
  const qaBody = $("[data-qa-body]");
  const qaAnonymous = $("[data-qa-anonymous]");
  const qaList = $("[data-qa-list]");
  const qaNotice = $("[data-qa-notice]");
  const pendingList = $("[data-pending-list]");
  const questions = new Map(); // question_id -> question (with status)
  const removedQuestions = new Set();

  function compareQuestions(a, b) {
    if (Boolean(a.pinned) !== Boolean(b.pinned)) return a.pinned ? -1 : 1;
    const answered = (a.status === "answered") - (b.status === "answered");
    if (answered) return answered;
    if ((b.votes || 0) !== (a.votes || 0)) return (b.votes || 0) - (a.votes || 0);
    return Number(a.question_id) - Number(b.question_id);
  }

  function authorName(question) {
    if (question.author && question.author.name) {
      const mine = Number(question.author.id) === ME;
      return `${mine ? "You" : question.author.name}${question.anonymous ? " (anonymous to others)" : ""}`;
    }
    return "Anonymous";
  }

  const MODERATED = { approve: "approved", pin: "pinned", unpin: "unpinned", answer: "marked answered", dismiss: "dismissed" };

  function moderate(question, action, item) {
    act("qa.moderate", { question_id: question.question_id, action })
      .then(() => say(`Question ${MODERATED[action] || "updated"}.`))
      .catch((error) => showError(item.querySelector("[role=alert]"), errorText(error)));
  }

  function renderQuestion(question, { queue = false } = {}) {
    const item = el("li", {
      className: `question${question.pinned ? " pinned" : ""}${question.status === "answered" ? " answered" : ""}`,
      dataset: { questionId: String(question.question_id) },
    });
    const badges = el("p", { className: "question-meta" }, el("span", { className: "question-author" }, authorName(question)), " ", timeNode(question.created_at));
    if (question.pinned) badges.append(" ", el("span", { className: "tag pin-tag" }, "Pinned"));
    if (question.status === "answered") badges.append(" ", el("span", { className: "tag answered-tag" }, "Answered"));
    if (question.status === "pending") badges.append(" ", el("span", { className: "tag pending-tag" }, "Waiting for approval"));
    const body = el("p", { className: "question-body" });
    body.append(linkified(question.body || ""));
    const votes = Number(question.votes) || 0;
    const voteLine = el("div", { className: "question-votes" });
    const count = el("span", { className: "vote-count", dataset: { voteCount: "1" } }, plural(votes, "vote", "votes"));
    if (!queue) voteLine.append(count);
    const tools = el("div", { className: "question-tools" });
    const errorSlot = el("p", { className: "error live-inline-error", role: "alert" });
    if (!queue && question.status === "approved") {
      const voted = Boolean(memory.votes[question.question_id] || question.voted || question.has_voted || question.voted_by_me);
      const up = button(voted ? "Upvoted" : "Upvote", null, {
        className: "small vote-button",
        "aria-label": voted ? "You upvoted this question" : `Upvote question: ${String(question.body || "").slice(0, 80)}`,
        "aria-pressed": String(voted),
        disabled: voted,
      });
      up.prepend(el("span", { "aria-hidden": "true" }, "▲ "));
      up.addEventListener("click", () => {
        up.disabled = true;
        act("qa.vote", { question_id: question.question_id })
          .then((ack) => {
            memory.votes[question.question_id] = true;
            remember();
            if (ack && typeof ack.votes === "number") upsertQuestion({ ...questions.get(question.question_id), votes: ack.votes });
            else rerenderQuestion(question.question_id);
            say("Vote counted.");
          })
          .catch((error) => {
            if (error.code === "conflict") {
              memory.votes[question.question_id] = true;
              remember();
              rerenderQuestion(question.question_id);
            } else up.disabled = false;
            showError(errorSlot, errorText(error));
          });
      });
      voteLine.prepend(up);
    }
    if (isModerator && (queue || question.status !== "pending")) {
      if (question.status === "pending") {
        tools.append(button("Approve", () => moderate(question, "approve", item), { className: "small" }));
        // The server pins approved questions only: approve first, then pin.
        tools.append(
          button(
            "Approve and pin",
            () =>
              act("qa.moderate", { question_id: question.question_id, action: "approve" })
                .then(() => act("qa.moderate", { question_id: question.question_id, action: "pin" }))
                .then(() => say("Question approved and pinned."))
                .catch((error) => showError(item.querySelector("[role=alert]"), errorText(error))),
            { className: "small secondary-button" },
          ),
        );
      } else {
        tools.append(
          question.pinned
            ? button("Unpin", () => moderate(question, "unpin", item), { className: "small secondary-button" })
            : button("Pin", () => moderate(question, "pin", item), { className: "small secondary-button" }),
        );
        if (question.status !== "answered") {
          tools.append(button("Mark answered", () => moderate(question, "answer", item), { className: "small secondary-button" }));
        }
      }
      tools.append(button("Dismiss", () => moderate(question, "dismiss", item), { className: "small danger" }));
      for (const b of tools.querySelectorAll("button")) {
        b.setAttribute("aria-label", `${b.textContent}: ${String(question.body || "").slice(0, 80)}`);
      }
    }
    item.append(badges, body);
    if (voteLine.childElementCount) item.append(voteLine);
    if (tools.childElementCount) item.append(tools);
    item.append(errorSlot);
    return item;
  }

  function upsertQuestion(question, { fromEvent = false } = {}) {
    if (!question || question.question_id == null) return;
    const id = question.question_id;
    if (removedQuestions.has(id)) return;
    const known = questions.get(id);
    if (known && (STATUS_RANK[question.status] ?? 1) < (STATUS_RANK[known.status] ?? 1)) return; // an older state
    const isNew = !known || known.status === "pending";
    const merged = { ...(known || {}), ...question };
    // The session channel hides anonymous authors; a moderator keeps the name it was told.
    if (!question.author && known && known.author) merged.author = known.author;
    questions.set(id, merged);
    renderQuestions();
    if (fromEvent && isNew && question.status !== "pending" && !(question.author && Number(question.author.id) === ME)) {
      news("questions");
    }
  }

  function removeQuestion(id) {
    removedQuestions.add(id);
    questions.delete(id);
    renderQuestions();
  }

  function rerenderQuestion() {
    renderQuestions();
  }

  function renderQuestions() {
    const focused = document.activeElement;
    const focusKey = focused && focused.closest && focused.closest("[data-question-id]") ? [focused.closest("[data-question-id]").dataset.questionId, focused.textContent] : null;
    const all = Array.from(questions.values());
    const mine = (q) => q.author && Number(q.author.id) === ME;
    // The asker sees their own question waiting; moderators see every waiting one in the queue.
    const visible = all
      .filter((q) => q.status === "approved" || q.status === "answered" || (q.status === "pending" && mine(q) && !isModerator))
      .sort(compareQuestions);
    const waiting = all.filter((q) => q.status === "pending").sort((a, b) => Number(a.question_id) - Number(b.question_id));
    qaList.replaceChildren(...visible.map((q) => renderQuestion(q)));
    pendingList.replaceChildren(...waiting.map((q) => renderQuestion(q, { queue: true })));
    $("[data-qa-empty]").hidden = visible.length > 0;
    $("[data-pending-empty]").hidden = waiting.length > 0;
    setCount("qa", visible.length);
    setCount("moderation", waiting.length);
    if (focusKey) {
      // Keep keyboard focus on the same control after a re-render.
      const again = root.querySelector(`[data-question-id="${CSS.escape(focusKey[0])}"]`);
      const match = again && Array.from(again.querySelectorAll("button")).find((b) => b.textContent === focusKey[1]);
      if (match && !match.disabled) match.focus();
      else if (again) again.querySelector("button:not([disabled])")?.focus();
    }
  }

  qaForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = qaBody.value.trim();
    if (!text) {
      showError("qa", "Write your question first.");
      qaBody.focus();
      return;
    }
    const submit = qaForm.querySelector("button[type=submit]");
    submit.disabled = true;
    act("qa.ask", { body: text, anonymous: qaAnonymous.checked })
      .then((ack) => {
        qaBody.value = "";
        clearError("qa");
        const approved = ack && ack.question && ack.question.status && ack.question.status !== "pending";
        qaNotice.textContent = approved ? "Your question is in the list." : "Thank you: your question will appear once a moderator approves it.";
        qaNotice.hidden = false;
        if (ack && ack.question) upsertQuestion(ack.question);
      })
      .catch((error) => showError("qa", errorText(error)))
      .finally(() => {
        submit.disabled = false;
      });
  });

  // ---------------------------------------------------------------- polls

  const pollList = $("[data-poll-list]");
  const draftList = $("[data-draft-list]");
  const polls = new Map(); // poll_id -> poll

  function pollTotal(poll) {
    if (typeof poll.total === "number") return poll.total;
    return (poll.options || []).reduce((sum, option) => sum + (Number(option.votes) || 0), 0);
  }

  function renderResults(poll) {
    const total = pollTotal(poll);
    const max = Math.max(1, ...(poll.options || []).map((o) => Number(o.votes) || 0));
    const list = el("ul", { className: "poll-results", "aria-label": `Results: ${plural(total, "vote", "votes")}` });
    for (const option of poll.options || []) {
      const votes = Number(option.votes) || 0;
      const share = total ? Math.round((votes / total) * 100) : 0;
      const bar = el("span", { className: "poll-bar-fill" });
      bar.style.width = `${(votes / max) * 100}%`; // CSSOM: allowed by the CSP
      list.append(
        el(
          "li",
          {},
          el("span", { className: "result-label" }, option.label),
          el("span", { className: "result-numbers" }, `${plural(votes, "vote", "votes")} (${share}%)`),
          el("span", { className: "poll-bar", "aria-hidden": "true" }, bar),
        ),
      );
    }
    return list;
  }

  function renderPoll(poll, { draft = false } = {}) {
    const item = el("li", { className: `poll poll-${poll.status}`, dataset: { pollId: String(poll.poll_id) } });
    const titleId = `poll-${poll.poll_id}-${draft ? "d" : "q"}`;
    const status = { draft: "Draft", open: "Open", closed: "Closed" }[poll.status] || poll.status;
    item.append(
      el(
        "p",
        { className: "poll-meta" },
        el("span", { className: `tag poll-status-${poll.status}` }, status),
        " ",
        poll.kind === "multiple" ? "Choose any" : "Choose one",
      ),
    );
    item.append(el("h3", { id: titleId, className: "poll-question" }, poll.question));
    const errorSlot = el("p", { className: "error live-inline-error", role: "alert" });
    const mine = memory.polls[poll.poll_id] || poll.my_votes || poll.voted_option_ids || poll.my_option_ids;
    const voted = Array.isArray(mine) ? mine.length > 0 : Boolean(mine);
    if (!draft && poll.status === "open" && !voted) {
      const form = el("form", { className: "poll-vote", "aria-labelledby": titleId });
      const fieldset = el("fieldset", {}, el("legend", { className: "visually-hidden" }, poll.question));
      for (const option of poll.options || []) {
        const inputId = `poll-${poll.poll_id}-o${option.option_id}`;
        fieldset.append(
          el(
            "label",
            { className: "check", for: inputId },
            el("input", { type: poll.kind === "multiple" ? "checkbox" : "radio", name: `poll-${poll.poll_id}`, value: option.option_id, id: inputId }),
            ` ${option.label}`,
          ),
        );
      }
      form.append(fieldset, el("button", { type: "submit", className: "small" }, "Vote"));
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        const chosen = Array.from(form.querySelectorAll("input:checked")).map((input) => Number(input.value));
        if (!chosen.length) {
          showError(errorSlot, "Choose an answer first.");
          return;
        }
        act("poll.vote", { poll_id: poll.poll_id, option_ids: chosen })
          .then(() => {
            memory.polls[poll.poll_id] = chosen;
            remember();
            renderPolls();
            say("Your vote is in.");
          })
          .catch((error) => {
            if (error.code === "conflict") {
              memory.polls[poll.poll_id] = chosen;
              remember();
              renderPolls();
            }
            showError(errorSlot, errorText(error));
          });
      });
      item.append(form);
    } else if (!draft && voted) {
      item.append(el("p", { className: "hint" }, "You voted."));
    }
    if (!draft) item.append(renderResults(poll));
    else item.append(el("ul", { className: "poll-draft-options" }, ...(poll.options || []).map((o) => el("li", {}, o.label))));
    if (isModerator) {
      const tools = el("div", { className: "poll-tools" });
      if (poll.status === "draft") {
        tools.append(button("Open poll", () => pollAction("poll.open", poll, errorSlot), { className: "small", "aria-label": `Open poll: ${poll.question}` }));
      } else if (poll.status === "open") {
        tools.append(button("Close poll", () => pollAction("poll.close", poll, errorSlot), { className: "small secondary-button", "aria-label": `Close poll: ${poll.question}` }));
      }
      if (tools.childElementCount) item.append(tools);
    }
    item.append(errorSlot);
    return item;
  }

  function pollAction(type, poll, errorSlot) {
    act(type, { poll_id: poll.poll_id })
      .then(() => say(type === "poll.open" ? "Poll opened." : "Poll closed."))
      .catch((error) => showError(errorSlot, errorText(error)));
  }

  function upsertPoll(poll, { fromEvent = false } = {}) {
    if (!poll || poll.poll_id == null) return;
    const known = polls.get(poll.poll_id);
    if (known && (POLL_RANK[poll.status] ?? 0) < (POLL_RANK[known.status] ?? 0)) return;
    polls.set(poll.poll_id, { ...(known || {}), ...poll });
    renderPolls();
    if (fromEvent && poll.status !== "draft") news("polls");
  }

  function onResults(data) {
    const poll = polls.get(data.poll_id);
    if (!poll) return;
    const counts = data.counts || {};
    poll.options = (poll.options || []).map((option) => {
      const n = counts[option.option_id] ?? counts[String(option.option_id)];
      return typeof n === "number" ? { ...option, votes: n } : option;
    });
    if (typeof data.total === "number") poll.total = data.total;
    renderPolls();
  }

  function renderPolls() {
    const focused = document.activeElement;
    const inPolls = focused && (pollList.contains(focused) || draftList.contains(focused));
    if (inPolls && focused.matches("input")) {
      // Someone is choosing an answer: keep their form and refresh only the numbers.
      for (const poll of polls.values()) {
        const item = pollList.querySelector(`[data-poll-id="${CSS.escape(String(poll.poll_id))}"]`);
        const results = item && item.querySelector(".poll-results");
        if (results && poll.status !== "draft") results.replaceWith(renderResults(poll));
      }
      return;
    }
    const all = Array.from(polls.values()).sort((a, b) => Number(b.poll_id) - Number(a.poll_id));
    const shown = all.filter((p) => p.status !== "draft").sort((a, b) => (POLL_RANK[a.status] - POLL_RANK[b.status]) || Number(b.poll_id) - Number(a.poll_id));
    const drafts = all.filter((p) => p.status === "draft");
    pollList.replaceChildren(...shown.map((p) => renderPoll(p)));
    draftList.replaceChildren(...drafts.map((p) => renderPoll(p, { draft: true })));
    $("[data-poll-empty]").hidden = shown.length > 0;
    setCount("polls", shown.filter((p) => p.status === "open").length);
  }

  const pollForm = $("[data-poll-form]");
  pollForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const question = $("[data-poll-question]").value.trim();
    const options = $("[data-poll-options]")
      .value.split("\n")
      .map((line) => line.trim())
      .filter(Boolean);
    if (!question) return showError("poll-create", "Write the question.");
    if (options.length < 2) return showError("poll-create", "Give at least two options, one per line.");
    act("poll.create", { question, kind: $("[data-poll-kind]").value, options })
      .then((ack) => {
        pollForm.reset();
        clearError("poll-create");
        if (ack && ack.poll) upsertPoll(ack.poll);
        say("Poll saved as a draft.");
      })
      .catch((error) => showError("poll-create", errorText(error)));
  });

  // ---------------------------------------------------------------- moderators

  function becomeModerator() {
    if (root.classList.contains("is-moderator")) return;
    root.classList.add("is-moderator");
    const tab = $("#live-tab-moderation");
    tab.hidden = false;
    rerenderMessages();
    renderQuestions();
    renderPolls();
  }

  function stopModerating() {
    isModerator = false;
    if (!root.classList.contains("is-moderator")) return;
    root.classList.remove("is-moderator");
    const tab = $("#live-tab-moderation");
    if (tab.getAttribute("aria-selected") === "true" && tabs.length) selectTab(tabs[0]);
    tab.hidden = true;
    rerenderMessages();
    renderQuestions();
    renderPolls();
  }

  // ---------------------------------------------------------------- announcements

  const DISMISSED_KEY = "announcements:dismissed";

  function dismissedAnnouncements() {
    try {
      return JSON.parse(localStorage.getItem(DISMISSED_KEY) || "[]");
    } catch {
      return [];
    }
  }

  // The banners rendered with the page (templates/realtime/_banner.html) and live ones.
  function wireDismiss(banner) {
    const dismiss = banner.querySelector("[data-dismiss-announcement]");
    if (!dismiss || dismiss.dataset.wired) return;
    dismiss.dataset.wired = "1";
    dismiss.hidden = false;
    dismiss.addEventListener("click", () => {
      const ids = dismissedAnnouncements().filter((id) => id !== banner.dataset.announcementId);
      ids.push(banner.dataset.announcementId);
      try {
        localStorage.setItem(DISMISSED_KEY, JSON.stringify(ids.slice(-50)));
      } catch {
        // not remembered: it comes back on the next page
      }
      banner.remove();
    });
  }

  function adoptPageBanners() {
    const box = document.getElementById("announcements");
    if (!box) return;
    const gone = dismissedAnnouncements();
    for (const banner of box.querySelectorAll("[data-announcement-id]")) {
      if (gone.includes(banner.dataset.announcementId)) banner.remove();
      else wireDismiss(banner);
    }
  }

  function announcementBox() {
    let box = document.getElementById("announcements");
    if (!box) {
      box = el("section", { id: "announcements", className: "announcements", "aria-label": "Announcements", dataset: { announcements: "1" } });
      const main = document.getElementById("main") || document.body;
      main.prepend(box);
    }
    return box;
  }

  function onAnnouncement(data) {
    if (!data || data.announcement_id == null) return;
    const box = announcementBox();
    const key = String(data.announcement_id);
    if (box.querySelector(`[data-announcement-id="${CSS.escape(key)}"]`)) return;
    if (data.ends_at && new Date(data.ends_at).getTime() <= Date.now()) return;
    if (dismissedAnnouncements().includes(key)) return;
    const important = data.level === "important";
    const banner = el("div", {
      className: `announcement announcement-${important ? "important" : "info"}`,
      role: important ? "alert" : "status",
      dataset: { announcementId: key, endsAt: data.ends_at || undefined },
    });
    const text = el("p", {}, important ? el("strong", {}, "Important:") : null, important ? " " : null);
    text.append(linkified(data.message || ""));
    const dismiss = el(
      "button",
      { type: "button", className: "link announcement-dismiss", dataset: { dismissAnnouncement: "1" } },
      "Dismiss",
      el("span", { className: "visually-hidden" }, " this announcement"),
    );
    banner.append(text, dismiss);
    box.append(banner);
    wireDismiss(banner);
    if (data.ends_at) {
      const left = new Date(data.ends_at).getTime() - Date.now();
      if (left > 0 && left < 2 ** 31 - 1) setTimeout(() => banner.remove(), left);
    }
  }

  function onAnnouncementEnded(data) {
    const box = document.getElementById("announcements");
    const node = box && box.querySelector(`[data-announcement-id="${CSS.escape(String(data.announcement_id))}"]`);
    if (node) node.remove();
  }

  // ---------------------------------------------------------------- private notices

  function onUserNotice(type, data) {
    if (type === "chat.muted" || type === "muted") {
      const until = data.until ? new Date(data.until) : null;
      const when = until && !Number.isNaN(until.getTime()) ? ` until ${timeFormat.format(until)}` : data.minutes ? ` for ${plural(data.minutes, "minute", "minutes")}` : "";
      showError("chat", data.message || `A moderator has muted you in this chat${when}.`);
      return;
    }
    if (data && data.message) setStatus(data.message, "is-warning");
  }

  // ---------------------------------------------------------------- event tables

  const QUESTION_EVENTS = {
    "qa.pending": (data) => {
      if (data.question && !questions.has(data.question.question_id)) upsertQuestion({ status: "pending", ...data.question });
    },
    "qa.question": (data) => upsertQuestion(data.question, { fromEvent: true }),
    "qa.removed": (data) => removeQuestion(data.question_id),
    "qa.votes": (data) => {
      const known = questions.get(data.question_id);
      if (known) upsertQuestion({ ...known, votes: data.votes });
    },
  };

  const POLL_EVENTS = {
    "poll.draft": (data) => upsertPoll({ status: "draft", ...data.poll }),
    "poll.opened": (data) => upsertPoll({ ...data.poll, status: (data.poll && data.poll.status) || "open" }, { fromEvent: true }),
    "poll.closed": (data) => upsertPoll({ ...data.poll, status: (data.poll && data.poll.status) || "closed" }, { fromEvent: true }),
    "poll.results": onResults,
  };

  const SESSION_EVENTS = {
    "chat.message": (data, frame) => upsertMessage(data, { fromEvent: typeof frame.id === "number" }),
    "chat.edited": (data) => upsertMessage(data),
    "chat.deleted": (data) => upsertMessage({ message_id: data.message_id, deleted: true, by_moderator: data.by_moderator }),
    ...QUESTION_EVENTS,
    ...POLL_EVENTS,
    reactions: onReactions,
    presence: onPresence, // the viewers of this session, not of the other channels
  };

  const MODERATION_EVENTS = { ...QUESTION_EVENTS, ...POLL_EVENTS };

  const MEETING_EVENTS = {
    announcement: onAnnouncement,
    "announcement.ended": onAnnouncementEnded,
  };

  // ---------------------------------------------------------------- initial state

  async function getJson(url) {
    const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok) {
      const error = new Error(`HTTP ${response.status}`);
      error.status = response.status;
      throw error;
    }
    return response.json();
  }

  function itemsOf(page, key) {
    if (Array.isArray(page)) return page;
    if (!page) return [];
    return page.items || page[key] || [];
  }

  async function loadInitialState() {
    // Polls first: their listing carries no event id, so the chat's and the questions'
    // ids, read after it, are where the subscribe must start for nothing to be lost.
    const [pollsPage, active] = await Promise.allSettled([
      getJson(`${API}/polls`),
      getJson("/api/v1/announcements/active"),
    ]);
    const [chat, qa] = await Promise.allSettled([getJson(`${API}/chat`), getJson(`${API}/questions`)]);
    const snapshots = [];
    let missing = 0;
    if (pollsPage.status === "fulfilled") {
      for (const poll of itemsOf(pollsPage.value, "polls")) upsertPoll(poll);
      if (typeof pollsPage.value.last_event_id === "number") snapshots.push(pollsPage.value.last_event_id);
    } else missing += 1;
    if (chat.status === "fulfilled") {
      const items = itemsOf(chat.value, "messages").slice().sort((a, b) => a.message_id - b.message_id);
      for (const message of items) upsertMessage(message);
      trackCursor(chat.value, items);
      chatLog.scrollTop = chatLog.scrollHeight;
      snapshots.push(chat.value.last_event_id);
    } else missing += 1;
    if (qa.status === "fulfilled") {
      for (const id of qa.value.voted || []) memory.votes[id] = true;
      for (const question of itemsOf(qa.value, "questions")) upsertQuestion(question);
      snapshots.push(qa.value.last_event_id);
    } else missing += 1;
    adoptPageBanners();
    if (active.status === "fulfilled") {
      for (const item of itemsOf(active.value, "announcements")) onAnnouncement(item);
    }
    chatEmpty();
    renderQuestions();
    renderPolls();
    // Subscribe from the oldest snapshot: events in between are applied idempotently.
    // Without every snapshot, replay the channel's history from the start instead.
    const ids = snapshots.filter((n) => typeof n === "number");
    return missing === 0 && ids.length ? Math.min(...ids) : 0;
  }

  // ---------------------------------------------------------------- start

  updateCounter();
  if (!live) {
    setStatus("The live service is not available on this page.", "is-error");
    return;
  }
  loadInitialState()
    .catch(() => 0)
    .then(follow);
})();
