// Organizer console: small progressive enhancements. Every console page works without it.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  // "Tick all sessions shown" on the sessions list.
  const all = document.getElementById("pick-all");
  if (all) {
    const boxes = [...document.querySelectorAll("input[name='session_ids']")];
    all.hidden = false;
    const sync = () => {
      const ticked = boxes.filter((box) => box.checked).length;
      all.checked = ticked > 0 && ticked === boxes.length;
      all.indeterminate = ticked > 0 && ticked < boxes.length;
    };
    all.addEventListener("change", () => {
      boxes.forEach((box) => { box.checked = all.checked; });
    });
    boxes.forEach((box) => box.addEventListener("change", sync));
    sync();
  }

  // Person finders: search people by name (organizer API) and add "Name (#id)" lines.
  document.querySelectorAll(".person-finder").forEach((finder) => {
    const target = document.getElementById(finder.dataset.target);
    const input = finder.querySelector("input");
    const list = finder.querySelector("datalist");
    const button = finder.querySelector("[data-add-person]");
    if (!target || !input || !list || !button) return;
    finder.hidden = false;
    let timer = null;
    let asked = "";

    const search = async () => {
      const query = input.value.trim();
      if (query.length < 2 || query === asked || /\(#\d+\)$/.test(query)) return;
      asked = query;
      const url = `/api/v1/program/people?limit=20&q=${encodeURIComponent(query)}`;
      try {
        const response = await fetch(url, { headers: { Accept: "application/json" } });
        if (!response.ok) return;
        const people = await response.json();
        list.replaceChildren(...people.map((person) => {
          const option = document.createElement("option");
          option.value = `${person.name} (#${person.id})`;
          if (person.affiliation) option.label = person.affiliation;
          return option;
        }));
      } catch {
        // Offline or signed out: the text area still takes names typed by hand.
      }
    };

    const add = () => {
      const line = input.value.trim();
      if (!line) return;
      const lines = target.value.split("\n").map((l) => l.trim()).filter(Boolean);
      if (!lines.includes(line)) lines.push(line);
      target.value = lines.join("\n");
      input.value = "";
      input.focus();
    };

    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        // Enter adds the person rather than submitting the whole form.
        event.preventDefault();
        add();
      }
    });
    button.addEventListener("click", add);
  });
});
