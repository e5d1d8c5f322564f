// The projector view, live: loads the session's questions, then follows session:<guid>
// on the page's one socket (static/js/socket.js: qa.question, qa.votes, qa.removed,
// resuming with since after a reconnect) and redraws the list. Without JavaScript the
// page reloads itself (the <meta> refresh in its <noscript>); with it, the page reloads
// only when it cannot stay live (no socket, the questions could not be read, the server
// closed or refused the channel), after the same delay. Text is set with textContent
// only, so a question can never inject markup.
(function () {
  "use strict";
  var root = document.querySelector(".projector[data-channel]");
  if (!root) { return; }
  var guid = root.getAttribute("data-guid");
  var channel = root.getAttribute("data-channel");
  var limit = parseInt(root.getAttribute("data-limit"), 10) || 8;
  var refreshSeconds = parseInt(root.getAttribute("data-refresh"), 10) || 30;
  var list = document.getElementById("projector-questions");
  var empty = root.querySelector(".projector-empty");
  var questions = new Map();
  var reloading = null;

  // What the <meta> refresh does without JavaScript: the server's page, current again
  // (or the sign-in page, or the refusal, when that is the answer now).
  function reloadLater() {
    if (reloading === null) {
      reloading = setTimeout(function () { location.reload(); }, refreshSeconds * 1000);
    }
  }

  if (!window.LiveSocket || !window.fetch) { reloadLater(); return; }

  function ordered() {
    return Array.from(questions.values())
      .filter(function (q) { return q.status === "approved"; })
      .sort(function (a, b) {
        if (a.pinned !== b.pinned) { return a.pinned ? -1 : 1; }
        if (a.votes !== b.votes) { return b.votes - a.votes; }
        return a.question_id - b.question_id;
      })
      .slice(0, limit);
  }

  function line(tag, cls, text) {
    var el = document.createElement(tag);
    el.className = cls;
    el.textContent = text;
    return el;
  }

  function draw() {
    var shown = ordered();
    list.textContent = "";
    shown.forEach(function (q) {
      var item = document.createElement("li");
      item.className = "projector-question" + (q.pinned ? " pinned" : "");
      item.setAttribute("data-question-id", String(q.question_id));
      item.appendChild(line("p", "projector-body", q.body));
      var who = q.author ? q.author.name : "Anonymous";
      var meta = (q.pinned ? "Now · " : "") + who + " · " + q.votes + (q.votes === 1 ? " vote" : " votes");
      item.appendChild(line("p", "projector-meta", meta));
      list.appendChild(item);
    });
    if (empty) { empty.hidden = shown.length > 0; }
  }

  var EVENTS = {
    "qa.question": function (data) {
      if (data.question) { questions.set(data.question.question_id, data.question); }
    },
    "qa.votes": function (data) {
      var q = questions.get(data.question_id);
      if (q) { q.votes = data.votes; }
    },
    "qa.removed": function (data) {
      questions.delete(data.question_id);
    }
  };

  function follow(lastId) {
    var on = {};
    Object.keys(EVENTS).forEach(function (type) {
      on[type] = function (data) { EVENTS[type](data); draw(); };
    });
    window.LiveSocket.onState(function (change) {
      if (change.state === "closed" && change.final) { reloadLater(); } // signed out, refused
    });
    window.LiveSocket.subscribe(channel, { since: lastId, on: on, refused: reloadLater, unsubscribed: reloadLater });
  }

  fetch("/api/v1/realtime/sessions/" + encodeURIComponent(guid) + "/questions", {
    credentials: "same-origin",
    headers: { Accept: "application/json" }
  })
    .then(function (response) { return response.ok ? response.json() : Promise.reject(response); })
    .then(function (body) {
      body.questions.forEach(function (q) { questions.set(q.question_id, q); });
      draw();
      follow(body.last_event_id);
    })
    .catch(reloadLater); // the server-rendered list stays until then
})();
