// The writer's check with a script: each suggestion of "Before you post" gets a one-click Fix that edits
// the text box it came from, Dismiss and Add-to-names save at once (POST /writing/words) instead of
// reloading the preview, and the marks are highlighted in the previewed text. Without it, the same buttons
// submit the form and the preview comes back with the suggestion gone.
(function () {
  "use strict";

  function field(section, id) {
    var form = document.getElementById(section.getAttribute("data-form"));
    return form ? form.querySelector("#" + id) : null;
  }

  // Where item's mark is in text: the quoted sentence first, then the n-th time the word occurs.
  function locate(text, item) {
    var found = item.getAttribute("data-found"), before = item.getAttribute("data-before") || "";
    var after = item.getAttribute("data-after") || "";
    var tries = [before + found + after, before.slice(-24) + found + after.slice(0, 24), before.slice(-12) + found];
    for (var i = 0; i < tries.length; i++) {
      var at = text.indexOf(tries[i]);
      if (at >= 0 && text.indexOf(tries[i], at + 1) < 0) {
        return at + tries[i].indexOf(found, i === 0 ? before.length : Math.min(before.length, i === 1 ? 24 : 12));
      }
    }
    var n = parseInt(item.getAttribute("data-occurrence") || "0", 10), pos = -1;
    for (var k = 0; k <= n; k++) {
      pos = text.indexOf(found, pos + 1);
      if (pos < 0) return -1;
    }
    return pos;
  }

  function done(item, what) {
    item.classList.add("check-done");
    var note = document.createElement("span");
    note.className = "check-status";
    note.textContent = " " + what;
    item.appendChild(note);
    var mark = document.querySelector('mark.check-mark[data-item="' + item.id + '"]');
    if (mark) mark.replaceWith(document.createTextNode(mark.textContent));
  }

  function fix(section, item) {
    var box = field(section, item.getAttribute("data-field"));
    if (!box) return;
    var at = locate(box.value, item);
    if (at < 0) {
      done(item, "(not found in the text box: fix it by hand)");
      return;
    }
    var found = item.getAttribute("data-found");
    box.value = box.value.slice(0, at) + item.getAttribute("data-replacement") + box.value.slice(at + found.length);
    done(item, "Fixed.");
  }

  function remember(section, item, button) {
    var form = document.getElementById(section.getAttribute("data-form"));
    var token = form && form.querySelector('input[name="csrf_token"]');
    var all = section.querySelector('input[name="check_all"]');
    var body = new URLSearchParams();
    body.set("csrf_token", token ? token.value : "");
    var name = button.name === "check_name";
    body.set("kind", name ? "name" : "dismiss");
    body.set("word", button.value);
    if (section.getAttribute("data-work")) body.set("work_id", section.getAttribute("data-work"));
    if (all && all.checked) body.set("all", "1");
    button.disabled = true;
    fetch("/writing/words", { method: "POST", body: body, credentials: "same-origin",
                              headers: { "Accept": "application/json" } })
      .then(function (r) {
        if (!r.ok) throw new Error(r.status);
        if (name) {
          section.querySelectorAll(".check-item").forEach(function (other) {
            var b = other.querySelector('button[name="check_name"]');
            if (b && b.value === button.value) done(other, "Added to names.");
          });
        } else {
          done(item, "Dismissed.");
        }
      })
      .catch(function () {
        button.disabled = false;
        done(item, "(could not be saved: try again)");
        item.classList.remove("check-done");
      });
  }

  // Marks each suggestion of the chapter text in the previewed chapter (the n-th time its word occurs).
  function highlight(section) {
    var article = document.querySelector(".preview .work-text");
    if (!article) return;
    section.querySelectorAll('.check-item[data-field="chapter_content"]').forEach(function (item) {
      var found = item.getAttribute("data-found"), n = parseInt(item.getAttribute("data-occurrence") || "0", 10);
      var walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT), node, seen = 0;
      while ((node = walker.nextNode())) {
        if (node.parentNode.closest && node.parentNode.closest("mark")) continue;
        var from = 0, at;
        while ((at = node.data.indexOf(found, from)) >= 0) {
          if (seen++ === n) {
            var range = document.createRange();
            range.setStart(node, at);
            range.setEnd(node, at + found.length);
            var mark = document.createElement("mark");
            mark.className = "check-mark";
            mark.setAttribute("data-item", item.id);
            mark.title = item.querySelector(".check-reason").textContent.trim();
            range.surroundContents(mark);
            mark.addEventListener("click", function () {
              item.scrollIntoView({ block: "center" });
              item.focus();
            });
            return;
          }
          from = at + found.length;
        }
      }
    });
  }

  function enhance(section) {
    section.querySelectorAll(".check-item").forEach(function (item) {
      item.tabIndex = -1;
      var actions = item.querySelector(".check-actions");
      if (item.hasAttribute("data-replacement") && field(section, item.getAttribute("data-field"))) {
        var b = document.createElement("button");
        b.type = "button";
        b.className = "link check-apply";
        b.textContent = "Fix";
        b.addEventListener("click", function () { fix(section, item); });
        actions.insertBefore(b, actions.firstChild);
      }
      actions.querySelectorAll('button[name="check_dismiss"], button[name="check_name"]').forEach(function (btn) {
        btn.addEventListener("click", function (e) {
          e.preventDefault();
          remember(section, item, btn);
        });
      });
    });
    highlight(section);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("section.writing-check").forEach(enhance);
  });
})();
