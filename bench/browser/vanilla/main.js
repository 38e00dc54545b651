// The benchmark app in plain JavaScript: the fastest straightforward code we can write,
// used as the physical limit. Rows are cloned from a <template>, clicks on the rows are
// handled by one listener on the tbody, and every row keeps its <tr> and its label node.
"use strict";

(() => {
  const ADJECTIVES = ["big", "small", "quick", "lazy", "shiny", "quiet", "brave", "clumsy",
    "fancy", "gentle", "happy", "jolly", "mighty", "nimble", "odd", "proud", "silly",
    "tidy", "witty", "zesty", "ancient", "bitter", "calm", "eager", "fuzzy"];
  const COLOURS = ["red", "orange", "yellow", "green", "blue", "indigo", "violet", "cyan",
    "magenta", "amber", "teal", "olive", "maroon", "navy", "ivory"];
  const NOUNS = ["table", "lamp", "kettle", "rabbit", "falcon", "guitar", "pencil", "rocket",
    "turtle", "window", "garden", "river", "castle", "bicycle", "lantern", "pepper",
    "violin", "wagon", "anchor", "meadow"];

  // A small linear congruential generator (same one as the Python version), so every
  // implementation does the same amount of work for its labels.
  let seed = 1;
  function pick(words) {
    seed = (seed * 75 + 74) % 65537;
    return words[seed % words.length];
  }

  const tbody = document.getElementById("tbody");
  const template = document.getElementById("row").content.firstChild;
  let rows = [];      // {id, label, tr, lbl}
  let nextId = 1;
  let selected = null;

  function build(count) {
    const fragment = document.createDocumentFragment();
    const made = new Array(count);
    for (let i = 0; i < count; i++) {
      const id = nextId++;
      const label = pick(ADJECTIVES) + " " + pick(COLOURS) + " " + pick(NOUNS);
      const tr = template.cloneNode(true);
      const idCell = tr.firstChild;
      const lbl = idCell.nextSibling.firstChild;
      idCell.textContent = id;
      lbl.textContent = label;
      const row = {id, label, tr, lbl};
      tr._row = row;
      made[i] = row;
      fragment.appendChild(tr);
    }
    tbody.appendChild(fragment);
    return made;
  }

  function clear() {
    tbody.textContent = "";
    rows = [];
    selected = null;
  }

  function create(count) {
    clear();
    rows = build(count);
  }

  function append(count) {
    rows = rows.concat(build(count));
  }

  function update() {
    for (let i = 0; i < rows.length; i += 10) {
      const row = rows[i];
      row.label += " !!!";
      row.lbl.textContent = row.label;
    }
  }

  function swap() {
    if (rows.length < 999) return;
    const a = rows[1];
    const b = rows[998];
    const after = b.tr.nextSibling;
    tbody.insertBefore(b.tr, a.tr);
    tbody.insertBefore(a.tr, after);
    rows[1] = b;
    rows[998] = a;
  }

  function select(row) {
    if (selected !== null) selected.tr.className = "";
    row.tr.className = "danger";
    selected = row;
  }

  function remove(row) {
    const i = rows.indexOf(row);
    if (i < 0) return;
    rows.splice(i, 1);
    row.tr.remove();
    if (selected === row) selected = null;
  }

  const actions = {
    run: () => create(1000),
    runlots: () => create(10000),
    add: () => append(1000),
    update,
    clear,
    swaprows: swap,
  };
  for (const id of Object.keys(actions)) {
    document.getElementById(id).addEventListener("click", actions[id]);
  }

  tbody.addEventListener("click", (event) => {
    const a = event.target.closest("a");
    if (a === null) return;
    const row = a.closest("tr")._row;
    if (a.className === "lbl") select(row);
    else remove(row);
  });

  document.documentElement.dataset.ready = "1";
})();
