// Program pages: star and unstar without a page reload. Without this file the star
// buttons are plain forms that post and come back, so every page works without it.
"use strict";

(() => {
  const STAR = { icon: "★", label: "Remove from my agenda", next: "0" };
  const UNSTAR = { icon: "☆", label: "Add to my agenda", next: "1" };

  // One polite live region per page tells screen-reader users what happened.
  function announce(message) {
    let region = document.getElementById("star-status");
    if (!region) {
      region = document.createElement("p");
      region.id = "star-status";
      region.className = "visually-hidden";
      region.setAttribute("role", "status");
      document.body.appendChild(region);
    }
    region.textContent = message;
  }

  function show(form, starred) {
    const state = starred ? STAR : UNSTAR;
    form.elements.starred.value = state.next;
    const button = form.querySelector("button.star");
    button.classList.toggle("on", starred);
    button.querySelector(".star-icon").textContent = state.icon;
    button.querySelector(".star-label").textContent = state.label;
    const item = form.closest(".session-item");
    if (item) item.classList.toggle("is-starred", starred);
  }

  async function toggle(event) {
    const form = event.currentTarget;
    // The agenda page re-computes overlaps on the server: let its forms post normally.
    if (form.closest("[data-no-enhance]")) return;
    event.preventDefault();
    const guid = form.dataset.guid;
    const starring = form.elements.starred.value === "1";
    const button = form.querySelector("button.star");
    button.disabled = true;
    try {
      const response = await fetch(`/api/v1/agenda/stars/${encodeURIComponent(guid)}`, {
        method: starring ? "PUT" : "DELETE",
        credentials: "same-origin",
        headers: { "X-CSRF-Token": form.elements.csrf_token.value, Accept: "application/json" },
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      show(form, starring);
      announce(starring ? "Added to your agenda." : "Removed from your agenda.");
    } catch {
      // Fall back to the plain form, which reports any problem on a page of its own.
      form.submit();
      return;
    } finally {
      button.disabled = false;
    }
    button.focus();
  }

  document.addEventListener("DOMContentLoaded", () => {
    for (const form of document.querySelectorAll("form[data-star-form]")) {
      form.addEventListener("submit", toggle);
    }
  });
})();
