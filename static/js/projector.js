// The projector view, live: loads the session's questions, then follows session:<guid>
// over /ws (qa.question, qa.votes, qa.removed) and redraws the list between the page's
// 30-second reloads (the <meta> refresh that keeps it current without JavaScript). Text
// is set with textContent only, so a question can never inject markup.
(function () {
  "use strict";
  var root = document.querySelector(".projector[data-channel]");
  if (!root || !window.WebSocket || !window.fetch) { return; }
  var guid = root.getAttribute("data-guid");
  var channel = root.getAttribute("data-channel");
  var limit = parseInt(root.getAttribute("data-limit"), 10) || 8;
  var list = document.getElementById("projector-questions");
  var empty = root.querySelector(".projector-empty");
  var questions = new Map();
  var lastId = 0;
  var retry = 1000;

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

  function apply(frame) {
    if (frame.id) { lastId = Math.max(lastId, frame.id); }
    var data = frame.data || {};
    if (frame.type === "qa.question" && data.question) {
      questions.set(data.question.question_id, data.question);
    } else if (frame.type === "qa.votes") {
      var q = questions.get(data.question_id);
      if (q) { q.votes = data.votes; }
    } else if (frame.type === "qa.removed") {
      questions.delete(data.question_id);
    } else {
      return;
    }
    draw();
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + location.host + "/ws");
    socket.onopen = function () {
      retry = 1000;
      socket.send(JSON.stringify({ type: "subscribe", channel: channel, since: lastId }));
    };
    socket.onmessage = function (message) {
      try { apply(JSON.parse(message.data)); } catch (e) { /* ignore a bad frame */ }
    };
    socket.onclose = function () {
      // Reconnect with since=lastId: the server replays exactly what was missed.
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 30000);
    };
  }

  fetch("/api/v1/realtime/sessions/" + encodeURIComponent(guid) + "/questions", {
    credentials: "same-origin",
    headers: { Accept: "application/json" }
  })
    .then(function (response) { return response.ok ? response.json() : Promise.reject(response); })
    .then(function (body) {
      body.questions.forEach(function (q) { questions.set(q.question_id, q); });
      lastId = body.last_event_id;
      draw();
      connect();
    })
    .catch(function () { /* the server-rendered list stays; the page can be reloaded */ });
})();
