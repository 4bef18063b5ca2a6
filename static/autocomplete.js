// Tag autocomplete for inputs marked data-autocomplete="TYPE" (comma-separated tag lists, or one tag with
// data-autocomplete-single, as synonym_of). The forms work without it; this only suggests existing tags from
// GET /api/v1/tags/autocomplete as one types.
(function () {
  "use strict";
  var DELAY = 150;

  function lastPart(value, single) {
    if (single) return { head: "", term: value.trim() };
    var i = value.lastIndexOf(",");
    return { head: i < 0 ? "" : value.slice(0, i + 1) + " ", term: value.slice(i + 1).trim() };
  }

  function enhance(input) {
    var type = input.getAttribute("data-autocomplete") || "any";
    var single = input.hasAttribute("data-autocomplete-single");
    var wrap = document.createElement("div");
    wrap.className = "autocomplete";
    input.parentNode.insertBefore(wrap, input);
    wrap.appendChild(input);
    var list = document.createElement("ul");
    list.className = "autocomplete-list";
    list.id = (input.id || input.name) + "-suggestions";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    wrap.appendChild(list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-expanded", "false");
    var timer = null, active = -1, items = [], seq = 0;

    function close() {
      list.hidden = true;
      list.textContent = "";
      input.setAttribute("aria-expanded", "false");
      active = -1;
      items = [];
    }

    function choose(i) {
      var parts = lastPart(input.value, single);
      // A list goes on with ", " for the next tag; a single-tag field takes the name alone.
      input.value = parts.head + items[i].name + (single ? "" : ", ");
      close();
      input.focus();
    }

    function highlight(i) {
      var lis = list.children;
      for (var k = 0; k < lis.length; k++) lis[k].setAttribute("aria-selected", k === i ? "true" : "false");
      active = i;
    }

    function show(tags) {
      list.textContent = "";
      items = tags;
      if (!tags.length) { close(); return; }
      tags.forEach(function (t, i) {
        var li = document.createElement("li");
        li.setAttribute("role", "option");
        li.id = list.id + "-" + i;
        li.textContent = t.name;
        if (t.synonym_of) li.textContent += " → " + t.synonym_of;
        var c = document.createElement("span");
        c.className = "count";
        c.textContent = "(" + t.count + ")";
        li.appendChild(c);
        li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(i); });
        list.appendChild(li);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      active = -1;
    }

    function lookup() {
      var term = lastPart(input.value, single).term;
      if (term.length < 2) { close(); return; }
      var mine = ++seq;
      fetch("/api/v1/tags/autocomplete?type=" + encodeURIComponent(type) + "&q=" + encodeURIComponent(term),
            { headers: { "Accept": "application/json" }, credentials: "omit" })
        .then(function (r) { return r.ok ? r.json() : { tags: [] }; })
        .then(function (j) { if (mine === seq) show(j.tags || []); })
        .catch(function () { close(); });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(lookup, DELAY);
    });
    input.addEventListener("keydown", function (e) {
      if (list.hidden) return;
      if (e.key === "ArrowDown") { e.preventDefault(); highlight(Math.min(active + 1, items.length - 1)); }
      else if (e.key === "ArrowUp") { e.preventDefault(); highlight(Math.max(active - 1, 0)); }
      else if (e.key === "Enter" && active >= 0) { e.preventDefault(); choose(active); }
      else if (e.key === "Escape") { close(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var inputs = document.querySelectorAll("input[data-autocomplete]");
    for (var i = 0; i < inputs.length; i++) enhance(inputs[i]);
  });
})();
