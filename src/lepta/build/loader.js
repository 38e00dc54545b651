// Lepta's loader: starts the Python runtime in the page, loads the app's bundle and
// hydrates the server-rendered HTML. When the page is interactive it sets
// `data-lepta-hydrated` on <html> and dispatches `lepta:hydrated` on `document`.
//
// The page names what to load on the script element that imports this module:
//   <script type="module" src="/_lepta/loader-HASH.js" data-lepta-runtime="micropython"
//           data-lepta-runtime-url="/_lepta/runtime/micropython-1.27.0/"
//           data-lepta-bundle="/_lepta/bundle-HASH.json" data-lepta-entry="app:App">
//
// It also holds the JavaScript half of the browser renderer (lepta/dom/_browser.py):
// Python records DOM changes as a flat list of operations and `apply` runs them in
// one call, because each call between Python and JavaScript is expensive.

const NAMESPACES = {
  svg: "http://www.w3.org/2000/svg",
  math: "http://www.w3.org/1998/Math/MathML",
};

const nodes = new Map(); // id -> DOM node, for the nodes Python made one by one
// A clone of a template keeps its nodes in an array instead (their ids are `base` and
// the next ones, in document order): cloning a row and letting it go cost one entry,
// not one per node. `bases` lists the clones' bases in increasing order (ids only
// grow), with those of clones let go until it is compacted.
const clones = new Map(); // base -> { nodes, template, dirty }
let bases = [];
let fire = null; // Python: fire(id, type, event)
let runScheduled = null; // Python: run the pending effects
let collect = null; // Python: free what it let go, collect memory (see `let_go`)
let collectTimer = 0;
let freed = 0; // nodes with handlers let go by the current `apply`
let scheduled = false;
const delegatedTypes = new Set();
const templates = []; // number -> the detached tree cloned for each use of a template
const templateEvents = []; // number -> [k, type] of its nodes with delegated handlers

function remember(id, node) {
  node.__lepta_id = id;
  nodes.set(id, node);
}

// The node Python numbers `id` (undefined once forgotten), and the clone holding it.
let foundIn = null;
function get(id) {
  const node = nodes.get(id);
  if (node !== undefined) {
    foundIn = null;
    return node;
  }
  let lo = 0;
  let hi = bases.length - 1;
  while (lo < hi) { // the greatest base not above id
    const mid = (lo + hi + 1) >> 1;
    if (bases[mid] <= id) lo = mid;
    else hi = mid - 1;
  }
  foundIn = clones.get(bases[lo]) || null;
  return foundIn ? foundIn.nodes[id - bases[lo]] : undefined;
}

// The node `id`, about to be inserted somewhere: one inside a clone (not its root)
// that leaves it is remembered by its id from now on.
function moving(id) {
  const node = get(id);
  if (foundIn && foundIn.nodes[0] !== node) remember(id, node);
  return node;
}

// Forget a clone whose root is `root`, counting its nodes with handlers in `freed`.
// Unless nodes were put inside it or handlers added to it since it was made (`dirty`),
// those are the template's, and nothing in it needs a walk.
function forgetClone(root) {
  const base = root.__lepta_clone;
  const clone = clones.get(base);
  if (!clone) return;
  clones.delete(base);
  if (clone.dirty) {
    if (root.__lepta_handlers) freed++;
    for (let child = root.firstChild; child; child = child.nextSibling) release(child);
  } else {
    freed += templateEvents[clone.template].length;
  }
  if (bases.length > 2 * clones.size + 64) bases = bases.filter((b) => clones.has(b));
}

function collectIn(ms) {
  clearTimeout(collectTimer);
  collectTimer = setTimeout(() => {
    collectTimer = 0;
    collect();
  }, ms);
}

// One listener per event type: walk up from the target, calling Python for each node
// with a handler for this type, until a handler stops propagation.
function delegated(event) {
  const key = "__lepta_on_" + event.type;
  for (let node = event.target; node && node !== document; node = node.parentNode) {
    if (node[key] && !node.disabled) {
      fire(node.__lepta_id, event.type, event);
      if (event.cancelBubble) return;
    }
  }
}

// Node `node` has a handler for `type`, delegated to one listener on the document.
function delegate(node, type) {
  node["__lepta_on_" + type] = true;
  node.__lepta_handlers = true;
  if (!delegatedTypes.has(type)) {
    delegatedTypes.add(type);
    document.addEventListener(type, delegated);
  }
}

function direct(event) {
  fire(event.currentTarget.__lepta_id, event.type, event);
}

// Forget `root` and the nodes inside it, counting those with handlers in `freed` (a
// node of a clone stays in its array: it is marked as having none).
function release(root) {
  if (root.__lepta_clone !== undefined) {
    forgetClone(root);
    return;
  }
  const id = root.__lepta_id;
  if (id !== undefined) {
    nodes.delete(id);
    if (root.__lepta_handlers) {
      root.__lepta_handlers = false;
      freed++;
    }
  }
  for (let child = root.firstChild; child; child = child.nextSibling) release(child);
}

// The ids of the nodes with handlers the page still knows, as JSON: Python keeps the
// handlers of nodes let go until enough have gone (apply counts them), then keeps
// only these (see `commit` in lepta/dom/_browser.py).
function handled() {
  const ids = [];
  for (const [id, node] of nodes) if (node.__lepta_handlers) ids.push(id);
  for (const [base, clone] of clones) {
    const made = clone.nodes;
    if (!clone.dirty) { // (only the template's nodes can have handlers)
      for (const [k] of templateEvents[clone.template]) if (made[+k].__lepta_handlers) ids.push(base + +k);
    } else {
      for (let k = 0; k < made.length; k++) if (made[k].__lepta_handlers) ids.push(base + k);
    }
  }
  return JSON.stringify(ids);
}

// A text field that itself holds the separator (or NUL) comes as JSON, marked by U+001E.
const text = (s) => (s.charCodeAt(0) === 0x1e ? JSON.parse(s.slice(1)) : s);

// A clone of template `template`, its nodes numbered from `base` in document order
// (the page marks the delegated handlers the template's nodes take); its nodes.
function cloneTemplate(template, base) {
  const made = [];
  const list = (n) => {
    made.push(n);
    for (let child = n.firstChild; child; child = child.nextSibling) list(child);
  };
  const root = templates[template].cloneNode(true);
  list(root);
  root.__lepta_clone = base;
  clones.set(base, { nodes: made, template, dirty: false });
  bases.push(base);
  for (const [k, type] of templateEvents[template]) {
    made[+k].__lepta_id = base + +k;
    delegate(made[+k], type);
  }
  return made;
}

// `ops` is a string of fields separated by U+001F (see lepta/dom/_browser.py): cheaper
// to make in MicroPython than JSON, and one string crosses the bridge in one call.
function apply(ops) {
  const f = ops.split("\x1f");
  freed = 0;
  const n = f.length;
  let i = 1; // the string starts with a separator
  while (i < n) {
    const op = +f[i];
    const node = op > 3 && op !== 19 && op !== 21 ? get(+f[i + 1]) : null;
    switch (op) {
      case 1: { // create an element: id tag namespace
        const ns = f[i + 3];
        remember(+f[i + 1], ns ? document.createElementNS(NAMESPACES[ns], f[i + 2])
                               : document.createElement(f[i + 2]));
        i += 4;
        break;
      }
      case 2: remember(+f[i + 1], document.createTextNode(text(f[i + 2]))); i += 3; break;
      case 3: remember(+f[i + 1], document.createComment("")); i += 2; break;
      case 4: { // insert: parent node ref (0: append)
        if (foundIn) foundIn.dirty = true; // a node goes inside a clone
        const child = moving(+f[i + 2]);
        const ref = +f[i + 3];
        node.insertBefore(child, ref ? get(ref) : null);
        i += 4;
        break;
      }
      case 20: { // insert nodes together: parent ref|0 ids (new ones, in order)
        if (foundIn) foundIn.dirty = true;
        const ref = +f[i + 2];
        const fragment = document.createDocumentFragment();
        for (const id of f[i + 3].split(",")) fragment.appendChild(moving(+id));
        node.insertBefore(fragment, ref ? get(ref) : null);
        i += 4;
        break;
      }
      case 5: node.remove(); i += 2; break;
      case 6: // remove every child: they are gone for good
        for (let child = node.firstChild; child; child = child.nextSibling) release(child);
        node.textContent = "";
        i += 2;
        break;
      case 7: node.data = text(f[i + 2]); i += 3; break;
      case 8: node.setAttribute(f[i + 2], text(f[i + 3])); i += 4; break;
      case 9: node.removeAttribute(f[i + 2]); i += 3; break;
      case 10: node.classList.toggle(text(f[i + 2]), f[i + 3] === "1"); i += 4; break;
      case 11:
        if (f[i + 3] === "") node.style.removeProperty(f[i + 2]);
        else node.style.setProperty(f[i + 2], text(f[i + 3]));
        i += 4;
        break;
      case 12: node[f[i + 2]] = JSON.parse(text(f[i + 3])); i += 4; break;
      case 13: node.innerHTML = text(f[i + 2]); i += 3; break;
      case 14: // a handler of its own: the node keeps its id
        if (foundIn) foundIn.dirty = true;
        node.__lepta_id = +f[i + 1];
        node.__lepta_handlers = true;
        node.addEventListener(f[i + 2], direct);
        i += 3;
        break;
      case 15: node.removeEventListener(f[i + 2], direct); i += 3; break;
      case 16: // a delegated handler: node type
        if (foundIn) foundIn.dirty = true;
        node.__lepta_id = +f[i + 1];
        delegate(node, f[i + 2]);
        i += 3;
        break;
      case 17: if (node) release(node); i += 2; break;
      case 18: { // keep a template: root number events ("k type", comma separated)
        release(node);
        templates[+f[i + 2]] = node;
        templateEvents[+f[i + 2]] = f[i + 3] ? f[i + 3].split(",").map((e) => e.split(" ")) : [];
        i += 4;
        break;
      }
      case 19: cloneTemplate(+f[i + 1], +f[i + 2]); i += 3; break;
      case 21: { // clone a template and write texts: template base n, then n (k text)
        const made = cloneTemplate(+f[i + 1], +f[i + 2]);
        const end = i + 4 + 2 * +f[i + 3];
        for (i += 4; i < end; i += 2) {
          if (f[i + 1]) made[+f[i]].data = text(f[i + 1]); // ("": not written here)
        }
        break;
      }
      default:
        throw new Error("lepta: unknown DOM operation " + f[i] + " at field " + i);
    }
  }
  return freed ? String(freed) : ""; // how many nodes with handlers were let go
}

// The children of node `id`, numbered from `next` in document order, as a flat list of
// [kind, tag-or-text, number of children].
function describe(id, next) {
  const out = [];
  const walk = (parent) => {
    for (let child = parent.firstChild; child; child = child.nextSibling) {
      remember(next++, child);
      const kind = child.nodeType;
      if (kind === 1) {
        out.push(1, child.localName, child.childNodes.length);
        walk(child);
      } else {
        out.push(kind, kind === 3 || kind === 8 ? child.data : "", 0);
      }
    }
  };
  walk(get(id));
  return JSON.stringify(out);
}

// Server functions: a request whose answer comes back as one string,
// "STATUS\nREDIRECT\nBODY", so that nothing but text crosses into Python.
const FN_HEADERS = { Accept: "application/json" };
// Server functions' endpoints are below where the app is mounted.
const base = () => document.querySelector("script[data-lepta-bundle]").dataset.leptaBase || "";

async function callServer(url, method, body) {
  url = base() + url;
  const init = { method, headers: { ...FN_HEADERS }, credentials: "same-origin" };
  // The build this page came from: a server deployed since tells a stale page apart.
  const build = document.querySelector("script[data-lepta-bundle]").dataset.leptaBuild || "";
  if (build) init.headers["X-Lepta-Build"] = build;
  if (method !== "GET") {
    init.headers["Content-Type"] = "application/json";
    init.body = body;
  }
  let response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    const message = "the server could not be reached: " + error.message;
    return "503\n\n" + JSON.stringify({ error: { type: "", message } });
  }
  const redirect = response.headers.get("X-Lepta-Redirect") || "";
  const text = await response.text();
  if (response.status === 409) reloadIfStale(build, text);
  return response.status + "\n" + redirect + "\n" + text;
}

// A call answered StaleClient: the page is older than the server (a redeploy changed
// or removed the function), so load it again, once per build. The note in
// sessionStorage keeps a page that is still stale after reloading (a server not yet
// updated behind the same address) from reloading over and over.
function reloadIfStale(build, text) {
  let type = "";
  try {
    type = JSON.parse(text).error.type || "";
  } catch (error) {
    return;
  }
  if (!type.endsWith(":StaleClient")) return;
  try {
    if (sessionStorage.getItem("lepta:reloaded-from") === build) return;
    sessionStorage.setItem("lepta:reloaded-from", build);
  } catch (error) {
    return; // no storage (a sandboxed frame): better an error than a reload loop
  }
  location.reload();
}

// Streamed answers: `open` starts one and gives "STATUS\nID"; `read(id)` gives the
// next piece of text, or null at the end (`whole`: the rest at once).
const streams = new Map();
let streamIds = 0;
async function openStream(url, method, body) {
  url = base() + url;
  const init = { method, headers: { "Content-Type": "application/json" }, credentials: "same-origin" };
  if (method !== "GET") init.body = body;
  const response = await fetch(url, init);
  const id = String(++streamIds);
  streams.set(id, { reader: response.body.getReader(), decoder: new TextDecoder() });
  return response.status + "\n" + id;
}
async function readStream(id, whole) {
  const stream = streams.get(id);
  if (!stream) return null;
  let text = "";
  for (;;) {
    const { done, value } = await stream.reader.read();
    if (done) {
      streams.delete(id);
      text += stream.decoder.decode();
      return text || (whole ? "" : null);
    }
    text += stream.decoder.decode(value, { stream: true });
    if (!whole && text) return text;
  }
}

// The fields a submitted form posts, the button pressed included, as JSON pairs.
function formPairs(form, submitter) {
  const data = submitter ? new FormData(form, submitter) : new FormData(form);
  const pairs = [];
  for (const [name, value] of data) if (typeof value === "string") pairs.push([name, value]);
  return JSON.stringify(pairs);
}

// Client navigation. Once a Router connects, same-origin clicks on links and GET forms
// marked data-lepta-nav ask Python to navigate (it answers false for a path no route of
// the app matches: the browser then loads it), and back/forward show the entry's page.
// Each history entry has a key; the scroll position is kept per key, to restore it.
const router = {
  navigate: null, // Python: navigate(path, query, hash) -> handled
  pop: null, // Python: pop(path, query, hash, stateJson) -> handled
  key: 0,
  positions: new Map(),
  connect(navigateFn, popFn) {
    router.navigate = navigateFn; // (null: the Router was disposed)
    router.pop = popFn;
    if (!navigateFn) return;
    history.scrollRestoration = "manual";
    router.key = Date.now();
    history.replaceState({ ...(history.state || {}), leptaKey: router.key }, "");
  },
  push(url, replace, stateJson) {
    router.positions.set(router.key, [scrollX, scrollY]);
    router.key += 1;
    const entry = { leptaKey: router.key, lepta: JSON.parse(stateJson) };
    if (replace) history.replaceState(entry, "", url);
    else history.pushState(entry, "", url);
  },
  load(url) {
    location.assign(url);
  },
  go(href) {
    // A URL the app was sent to (a server function's redirect): in the page if ours.
    const url = new URL(href, location.href);
    const path = appPath(url);
    if (router.navigate && path !== null &&
      router.navigate(path, url.search.slice(1), url.hash.slice(1))) return;
    location.assign(url.href);
  },
  scrollSoon(hash) {
    // After the new page's DOM is in place (its changes commit before the next frame).
    requestAnimationFrame(() => {
      const target = hash && document.getElementById(decodeURIComponent(hash));
      if (target) target.scrollIntoView();
      else scrollTo(0, 0);
    });
  },
};

// The path below the app's mount point, or null for a URL outside the app.
function appPath(url) {
  if (url.origin !== location.origin) return null;
  const prefix = base();
  if (!prefix) return url.pathname;
  if (url.pathname === prefix) return "/";
  return url.pathname.startsWith(prefix + "/") ? url.pathname.slice(prefix.length) : null;
}

function restoreScroll(position, tries) {
  const [x, y] = position;
  const room = document.documentElement.scrollHeight - innerHeight;
  if (room >= y || tries <= 0) scrollTo(x, y);
  else requestAnimationFrame(() => restoreScroll(position, tries - 1)); // data still loading
}

addEventListener("click", (event) => {
  if (!router.navigate || event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const link = event.target.closest && event.target.closest("a[href]");
  if (!link || link.hasAttribute("download")) return;
  if ((link.target && link.target !== "_self") || /\bexternal\b/.test(link.rel)) return;
  const url = new URL(link.href, location.href);
  const path = appPath(url);
  if (path === null) return;
  if (url.pathname === location.pathname && url.search === location.search && url.hash) return;
  if (router.navigate(path, url.search.slice(1), url.hash.slice(1))) event.preventDefault();
});

addEventListener("submit", (event) => {
  const form = event.target;
  if (!router.navigate || event.defaultPrevented || !form.hasAttribute("data-lepta-nav")) return;
  const url = new URL(form.action, location.href);
  const path = appPath(url);
  if (path === null) return;
  const data = event.submitter ? new FormData(form, event.submitter) : new FormData(form);
  const query = new URLSearchParams([...data].filter(([, v]) => typeof v === "string")).toString();
  if (router.navigate(path, query, "")) event.preventDefault();
});

addEventListener("scroll", () => {
  if (router.navigate) router.positions.set(router.key, [scrollX, scrollY]);
}, { passive: true });

addEventListener("popstate", (event) => {
  if (!router.navigate) return;
  const state = event.state || {};
  const path = appPath(new URL(location.href));
  const handled = path !== null &&
    router.pop(path, location.search.slice(1), location.hash.slice(1), JSON.stringify(state.lepta ?? null));
  if (!handled) {
    location.reload();
    return;
  }
  router.key = state.leptaKey || 0;
  const position = router.positions.get(router.key) || [0, 0];
  requestAnimationFrame(() => restoreScroll(position, 60));
});

globalThis.leptaBridge = {
  router,
  call: callServer,
  base,
  open: openStream,
  read: readStream,
  formPairs,
  apply,
  handled,
  describe,
  node: get,
  // How many nodes and clones the page keeps numbers for (tests check for leaks).
  counts: () => ({ nodes: nodes.size, clones: clones.size }),
  connect(fireFn, runFn, collectFn) {
    fire = fireFn;
    runScheduled = runFn;
    collect = collectFn;
  },
  // Collect Python's memory once the page has been idle for a moment (see
  // GC_THRESHOLD in lepta/dom/_browser.py), not inside an interaction.
  collectLater() {
    collectIn(100);
  },
  // Free what Python let go as soon as the page has painted the change (a page that
  // does not paint, in a background tab, does it a moment later).
  collectSoon() {
    collectIn(100);
    requestAnimationFrame(() => collectIn(0));
  },
  page() {
    // The page's address (below where the app is mounted), what the server sent of its
    // resources (for hydration), and the page's CSP nonce (or null).
    const sent = [...document.querySelectorAll("script[data-lepta-resources]")];
    const loader = document.querySelector("script[data-lepta-bundle]");
    const base = loader.dataset.leptaBase || "";
    let path = location.pathname;
    if (base && path.startsWith(base)) path = path.slice(base.length) || "/";
    return "[" + JSON.stringify(path) + "," + JSON.stringify(location.search.slice(1)) +
      ",[" + sent.map((script) => script.textContent).join(",") + "]," +
      JSON.stringify(loader.nonce || null) + "]";
  },
  schedule() {
    if (scheduled) return;
    scheduled = true;
    queueMicrotask(() => {
      scheduled = false;
      runScheduled();
    });
  },
};

async function loadRuntime(name, url, heapMb) {
  const out = { stdout: (line) => console.log(line), stderr: (line) => console.warn(line) };
  if (name === "micropython") {
    const { loadMicroPython } = await import(url + "micropython.mjs");
    // The heap starts at micropython_heap_mb (24 MB by default) and grows when full;
    // memory is collected between events (see GC_THRESHOLD in lepta/dom/_browser.py),
    // and each collection sweeps the whole heap, so a much larger start costs time.
    // MicroPython's own stack (in words) bounds how deep a view may nest: with its
    // default (2,048) the e2e app's eight nested components do not hydrate; with 64 K
    // words (256 KB) the C stack is the limit (between 13 and 16 of them).
    return loadMicroPython({
      url: url + "micropython.wasm", heapsize: heapMb * 1024 * 1024, pystack: 64 * 1024,
      linebuffer: true, ...out,
    });
  }
  if (name === "pyodide") {
    const { loadPyodide } = await import(url + "pyodide.mjs");
    return loadPyodide({ indexURL: url, ...out });
  }
  throw new Error("lepta: unknown runtime " + name);
}

async function start() {
  const script = document.querySelector("script[data-lepta-bundle]");
  const config = script.dataset;
  const bundle = fetch(config.leptaBundle).then((response) => {
    if (!response.ok) throw new Error("lepta: cannot load " + config.leptaBundle);
    return response.arrayBuffer();
  });
  const runtime = await loadRuntime(
    config.leptaRuntime, config.leptaRuntimeUrl, +config.leptaHeapMb || 24,
  );
  // The bundle: a 4-byte length, a JSON list of [path, size], then the files' bytes.
  const data = new Uint8Array(await bundle);
  const headerSize = new DataView(data.buffer).getUint32(0);
  let offset = 4 + headerSize;
  for (const [path, size] of JSON.parse(new TextDecoder().decode(data.subarray(4, offset)))) {
    runtime.FS.mkdirTree("/lepta/" + path.slice(0, path.lastIndexOf("/") + 1));
    runtime.FS.writeFile("/lepta/" + path, data.subarray(offset, offset + size));
    offset += size;
  }
  nodes.set(1, document);
  nodes.set(2, document.body);
  document.__lepta_id = 1;
  document.body.__lepta_id = 2;
  runtime.runPython(
    "import sys\nsys.path.insert(0, '/lepta')\n" +
    "from lepta.dom._browser import boot\nboot(" + JSON.stringify(config.leptaEntry) + ")\n"
  );
  document.documentElement.setAttribute("data-lepta-hydrated", "");
  document.dispatchEvent(new Event("lepta:hydrated"));
}

start().catch((error) => console.error("lepta: the app did not start:", error));
