// A poster's discussion (templates/posters/_talk.html): comments live over the page's one
// socket (window.LiveSocket, channel poster:<id>), the people's-choice vote and "contact
// the author" over the JSON API. Without this script the same forms post to the server.
//
// Rules this file keeps:
// - user text only ever reaches the page through textContent, never as HTML;
// - the page's HTTP snapshot gives the event id to resume from (`since`): a comment
//   seen twice (in the snapshot and the replay) is shown once.
"use strict";

(() => {
  const root = document.querySelector("[data-poster-talk]");
  if (!root || !window.LiveSocket) return;

  const POSTER = Number(root.dataset.posterId);
  const ME = Number(root.dataset.userId);
  const CSRF = root.dataset.csrf;
  const MODERATES = root.dataset.moderates === "true";
  const CHANNEL = `poster:${POSTER}`;
  const API = `/api/v1/posters/${POSTER}`;

  const list = root.querySelector("[data-comments]");
  const count = root.querySelector("[data-comment-count]");
  const empty = root.querySelector("[data-no-comments]");

  function say(selector, text) {
    const node = root.querySelector(selector);
    if (node) node.textContent = text;
  }

  function removeButton(commentId) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "link";
    button.dataset.remove = String(commentId);
    button.textContent = "Remove";
    return button;
  }

  function showComment(data) {
    if (list.querySelector(`[data-comment-id="${data.comment_id}"]`)) return;
    const item = document.createElement("li");
    item.dataset.commentId = String(data.comment_id);
    const meta = document.createElement("p");
    meta.className = "meta";
    const who = document.createElement("strong");
    who.textContent = data.author.name;
    const when = document.createElement("time");
    when.dateTime = data.created_at;
    when.textContent = new Date(data.created_at).toLocaleString(undefined, {
      day: "2-digit",
      month: "short",
      hour: "2-digit",
      minute: "2-digit",
    });
    meta.append(who, " ", when);
    const body = document.createElement("p");
    body.className = "comment-body";
    body.textContent = data.body;
    item.append(meta, body);
    if (MODERATES || data.author.id === ME) item.append(removeButton(data.comment_id));
    list.append(item);
    if (empty) empty.hidden = true;
    if (typeof data.comment_count === "number") count.textContent = String(data.comment_count);
  }

  function dropComment(data) {
    const item = list.querySelector(`[data-comment-id="${data.comment_id}"]`);
    if (item) item.remove();
    count.textContent = String(data.comment_count);
  }

  function showVotes(data) {
    if (data.poster_id !== POSTER) return;
    say("[data-vote-count]", String(data.vote_count));
    say("[data-vote-unit]", data.vote_count === 1 ? "vote" : "votes");
  }

  window.LiveSocket.subscribe(CHANNEL, {
    since: Number(root.dataset.lastEventId) || 0,
    on: {
      "poster.comment": showComment,
      "poster.comment_removed": dropComment,
      "poster.votes": showVotes,
    },
    // Said on the root, so tests and styles can tell the live part is on.
    subscribed() {
      root.dataset.live = "on";
    },
  });

  const commentForm = root.querySelector("[data-comment-form]");
  if (commentForm) {
    commentForm.addEventListener("submit", (event) => {
      event.preventDefault();
      const field = commentForm.elements.body;
      const body = field.value.trim();
      if (!body) return;
      say("[data-comment-status]", "Posting…");
      window.LiveSocket.act("poster.comment", CHANNEL, { body }).then(
        () => {
          field.value = "";
          say("[data-comment-status]", "Posted.");
        },
        (error) => say("[data-comment-status]", error.message || "Not posted: try again."),
      );
    });
  }

  // Remove buttons, the server-rendered forms' and those added live alike.
  list.addEventListener("click", (event) => {
    const button = event.target.closest("[data-remove]");
    if (!button) return;
    event.preventDefault();
    const commentId = Number(button.dataset.remove);
    window.LiveSocket.act("poster.comment.remove", CHANNEL, { comment_id: commentId }).catch(
      (error) => say("[data-comment-status]", error.message || "Not removed: try again."),
    );
  });

  async function send(method, url, body) {
    const response = await fetch(url, {
      method,
      credentials: "same-origin",
      headers: { "X-CSRF-Token": CSRF, "Content-Type": "application/json", Accept: "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) {
      const detail = typeof data.detail === "string" ? data.detail : "Refused: check the form.";
      throw new Error(detail);
    }
    return data;
  }

  const voteForm = root.querySelector("[data-vote-form]");
  if (voteForm) {
    voteForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      const action = voteForm.querySelector("[data-vote-action]");
      const button = voteForm.querySelector("button");
      const withdrawing = action.value === "withdraw";
      try {
        if (withdrawing) await send("DELETE", "/api/v1/posters/vote");
        else showVotes(Object.assign({ poster_id: POSTER }, await send("PUT", `${API}/vote`)));
        action.value = withdrawing ? "vote" : "withdraw";
        button.textContent = withdrawing ? "Vote for this poster" : "Withdraw my vote";
        button.setAttribute("aria-pressed", withdrawing ? "false" : "true");
        say("[data-vote-hint]", "Each attendee has one vote in the meeting.");
        say("[data-vote-status]", withdrawing ? "Your vote is withdrawn." : "Your vote is for this poster.");
      } catch (error) {
        say("[data-vote-status]", error.message);
      }
    });
  }

  const contactForm = root.querySelector("[data-contact-form]");
  if (contactForm) {
    contactForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      const body = contactForm.elements.body.value.trim();
      if (!body) return;
      const shareEmail = contactForm.elements.share_email.checked;
      try {
        await send("POST", `${API}/contact`, { body, share_email: shareEmail });
        contactForm.elements.body.value = "";
        say("[data-contact-status]", "Your message was relayed to the presenting author.");
      } catch (error) {
        say("[data-contact-status]", error.message);
      }
    });
  }
})();
