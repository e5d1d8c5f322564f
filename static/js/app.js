// Small progressive enhancements; every page works without this file.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  // Preselect the browser's own time zone on registration, if the list has it.
  const zoneSelect = document.querySelector("select[data-guess-zone='yes']");
  if (zoneSelect) {
    const guess = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (guess && [...zoneSelect.options].some((option) => option.value === guess)) {
      zoneSelect.value = guess;
    }
  }
});

// Announcement banners: let people dismiss them, and remember what they dismissed.
// (On session pages realtime.js also adds and removes banners live.)
document.addEventListener("DOMContentLoaded", () => {
  const key = "announcements:dismissed";
  let dismissed = [];
  try {
    dismissed = JSON.parse(localStorage.getItem(key) || "[]");
  } catch {
    dismissed = [];
  }
  document.querySelectorAll("[data-announcement-id]").forEach((banner) => {
    const id = banner.getAttribute("data-announcement-id");
    if (dismissed.includes(id)) {
      banner.remove();
      return;
    }
    const button = banner.querySelector("[data-dismiss-announcement]");
    if (!button) return;
    button.hidden = false;
    button.addEventListener("click", () => {
      dismissed.push(id);
      try {
        localStorage.setItem(key, JSON.stringify(dismissed.slice(-50)));
      } catch {
        /* private browsing: dismiss for this page only */
      }
      banner.remove();
    });
  });
});
