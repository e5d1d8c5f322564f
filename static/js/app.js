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
