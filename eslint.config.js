// ESLint for our own browser scripts (static/js), run by `make lint`. They are classic
// scripts (no bundler, no modules) sharing two globals: Signaling and LiveSocket.
// Third-party code (node_modules, served under /static/vendor) is not ours to lint.
"use strict";

const js = require("@eslint/js");
const globals = require("globals");

module.exports = [
  { ignores: ["node_modules/", "static/vendor/", ".venv/"] },
  js.configs.recommended,
  {
    files: ["static/js/**/*.js"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "script",
      globals: { ...globals.browser, LiveSocket: "readonly", Signaling: "readonly" },
    },
  },
  {
    files: ["eslint.config.js"],
    languageOptions: { sourceType: "commonjs", globals: globals.node },
  },
];
