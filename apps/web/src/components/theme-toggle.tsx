"use client";

import { useSyncExternalStore } from "react";

type Theme = "light" | "dark";
const KEY = "bulwark-theme";

function current(): Theme {
  const explicit = document.documentElement.getAttribute("data-theme");
  if (explicit === "light" || explicit === "dark") return explicit;
  return window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

const listeners = new Set<() => void>();
function subscribe(cb: () => void) {
  listeners.add(cb);
  const mq = window.matchMedia("(prefers-color-scheme: dark)");
  mq.addEventListener("change", cb);
  return () => {
    listeners.delete(cb);
    mq.removeEventListener("change", cb);
  };
}

export function ThemeToggle() {
  // The server cannot know the theme; it renders a neutral label and the browser fills it in.
  const theme = useSyncExternalStore<Theme | null>(subscribe, current, () => null);
  const next: Theme = theme === "dark" ? "light" : "dark";
  return (
    <button
      type="button"
      className="btn w-24"
      aria-label={theme ? `Switch to ${next} theme` : "Toggle theme"}
      onClick={() => {
        document.documentElement.setAttribute("data-theme", next);
        try {
          localStorage.setItem(KEY, next);
        } catch {
          // Private mode: the choice lasts for this page only.
        }
        listeners.forEach((l) => l());
      }}
    >
      {theme === "dark" ? "☀ Light" : theme === "light" ? "☾ Dark" : "Theme"}
    </button>
  );
}
