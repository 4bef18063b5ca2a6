// Readers' suggestions: selecting a passage of a chapter that takes suggestions shows a "Suggest a change"
// button that opens the suggestion form with the passage (and a little text around it, to find it again
// after edits) filled in. Without a script, the link under the chapter opens the same form to paste into.
(function () {
  "use strict";
  var CONTEXT = 64;

  function squeeze(s) {
    return s.replace(/\s+/g, " ");
  }

  function enhance(link) {
    var section = link.closest("section.chapter");
    var text = section && section.querySelector(".chapter-text");
    if (!text) return;
    var button = document.createElement("a");
    button.className = "button suggest-selection";
    button.textContent = "Suggest a change";
    button.hidden = true;
    document.body.appendChild(button);

    function update() {
      var sel = window.getSelection();
      if (!sel || sel.isCollapsed || sel.rangeCount === 0 || !text.contains(sel.anchorNode) ||
          !text.contains(sel.focusNode)) {
        button.hidden = true;
        return;
      }
      var range = sel.getRangeAt(0);
      var quote = squeeze(sel.toString()).trim();
      if (!quote) {
        button.hidden = true;
        return;
      }
      var before = document.createRange();
      before.selectNodeContents(text);
      before.setEnd(range.startContainer, range.startOffset);
      var after = document.createRange();
      after.selectNodeContents(text);
      after.setStart(range.endContainer, range.endOffset);
      var prefix = squeeze(before.toString()).slice(-CONTEXT), suffix = squeeze(after.toString()).slice(0, CONTEXT);
      button.href = link.getAttribute("data-suggest") + "?quote=" + encodeURIComponent(quote.slice(0, 1000)) +
        "&prefix=" + encodeURIComponent(prefix) + "&suffix=" + encodeURIComponent(suffix);
      var box = range.getBoundingClientRect();
      button.style.position = "absolute";
      button.style.left = Math.max(0, box.left + window.scrollX) + "px";
      button.style.top = (box.bottom + window.scrollY + 6) + "px";
      button.hidden = false;
    }
    document.addEventListener("selectionchange", function () { window.setTimeout(update, 0); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("a[data-suggest]").forEach(enhance);
  });
})();
