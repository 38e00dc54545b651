// `lepta dev`'s script in the page (pages of `lepta serve` never have it).
//
// It follows the dev server's state on /_lepta/dev/events (Server-Sent Events, on the
// page's own origin) and acts on each change of it:
//   version  the app's code changed: the page loads again;
//   style    the stylesheet changed: the new one replaces the old, no reload;
//   error    the last change does not build or import: an overlay shows it, with
//            the Python traceback, until a change fixes it.
// A page the server could not render comes with its error (#lepta-dev-error, JSON):
// the overlay shows it at once, and the next version loads the page again.

const script = document.querySelector("script[data-lepta-dev]");
const version = script.dataset.leptaDev;
const events = script.dataset.leptaDevEvents;
const rendered = document.getElementById("lepta-dev-error");
const pageError = rendered ? JSON.parse(rendered.textContent) : null;
let overlay = null;

function showError(error) {
  hideError();
  overlay = document.createElement("div");
  overlay.id = "lepta-dev-overlay";
  overlay.setAttribute("role", "alert");
  overlay.style.cssText =
    "position:fixed;inset:0;z-index:2147483647;overflow:auto;margin:0;padding:24px 32px;" +
    "background:rgba(24,24,27,.94);color:#fafafa;font:14px/1.5 ui-monospace,monospace";
  const title = document.createElement("h2");
  title.textContent = error.title;
  title.style.cssText = "margin:0 0 12px;color:#fca5a5;font:600 18px/1.4 system-ui,sans-serif";
  const text = document.createElement("pre");
  text.textContent = error.text;
  text.style.cssText = "margin:0;white-space:pre-wrap;word-break:break-word";
  const hint = document.createElement("p");
  hint.textContent = "Fix the file and save it: this page follows. (Esc hides this.)";
  hint.style.cssText = "margin:16px 0 0;color:#a1a1aa;font:13px system-ui,sans-serif";
  overlay.append(title, text, hint);
  document.documentElement.append(overlay);
}

function hideError() {
  if (overlay) overlay.remove();
  overlay = null;
}

function swapStyle(href) {
  const old = document.querySelector('link[rel="stylesheet"][href*="/_lepta/style-"]');
  if (old && old.getAttribute("href") === href) return;
  if (!href) {
    if (old) old.remove();
    return;
  }
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = href;
  // The old sheet stays until the new one has loaded: no flash of unstyled page.
  link.onload = () => old && old.remove();
  if (old) old.after(link);
  else document.head.append(link);
}

document.addEventListener("keydown", (event) => {
  if (event.key === "Escape") hideError();
});

if (pageError) showError(pageError);

const source = new EventSource(events);
source.addEventListener("state", (event) => {
  const state = JSON.parse(event.data);
  if (String(state.version) !== version) {
    source.close();
    location.reload();
    return;
  }
  swapStyle(state.style);
  if (state.error) showError(state.error);
  else if (pageError) showError(pageError);
  else hideError();
});
