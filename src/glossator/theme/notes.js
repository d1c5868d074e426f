/* Glossator's web edition: notes beside their lines on wide screens, a tap away on narrow
   ones. Without this script every note stands under its paragraph (glossator.css, section 9),
   which is also how the page prints. Which layout applies is the stylesheet's to say: it
   sets --web-layout to "wide" or "narrow" in its media queries.

   The page holds, for note N, a call (a.call, aria-details naming the note) in the text
   and the note itself in the <aside> after the call's block. Ids are the page's own: this
   script only follows aria-details and href. */
(function () {
  "use strict";
  var DRIFT = 160;  // px: no note is shown whole where that pushes one further below its line
  var SPACE = 8;    // px between two stacked notes
  var root = document.documentElement;
  var article = document.querySelector("main.article");
  if (!article || !window.getComputedStyle) { return; }
  root.classList.add("js");

  var calls = Array.prototype.slice.call(article.querySelectorAll("a.call[aria-details]"));
  var pairs = calls.map(function (call) {
    return {call: call, note: document.getElementById(call.getAttribute("aria-details")), opened: false};
  }).filter(function (p) { return p.note; });
  pairs.forEach(function (p) {
    p.home = document.createComment("note");  // where the note goes back to when closed
    p.note.parentNode.insertBefore(p.home, p.note);
  });

  function layout() {
    return getComputedStyle(root).getPropertyValue("--web-layout").trim();
  }
  var mode = "";

  // --- wide: beside the line ----------------------------------------------------------

  function toggleFor(p) {
    var b = p.note.querySelector(".note-toggle");
    if (!b) {
      b = document.createElement("button");
      b.type = "button";
      b.className = "note-toggle";
      b.addEventListener("click", function () {
        p.opened = !p.opened;
        place();
        if (p.opened) { p.note.focus({preventScroll: true}); }
      });
      p.note.insertBefore(b, p.note.firstChild);
    }
    return b;
  }

  function fold(p, folded) {
    p.note.classList.toggle("folded", folded);
    var b = p.note.querySelector(".note-toggle");
    if (!b && !folded && !p.opened) { return; }
    b = b || toggleFor(p);
    b.hidden = !(folded || p.opened);  // kept, not removed: it may have the focus
    b.textContent = folded ? "Show more" : "Show less";  // of this note: "all" read as every note
    b.setAttribute("aria-label", (folded ? "Show more of note " : "Show less of note ") + p.call.textContent);
    b.setAttribute("aria-expanded", String(!folded));
  }

  /* Stack the notes as the PDF's placement does: each at its call's line, or under the
     note above. Every note starts folded to its first lines (a note the reader opened,
     whole); then, shortest first, each is shown whole where that pushes no note more
     than DRIFT below its line, and none past the article's end. */
  function stack() {
    article.style.paddingBottom = "";
    var top0 = article.getBoundingClientRect().top;
    var wanted = pairs.map(function (p) { return p.call.getBoundingClientRect().top - top0; });
    var whole = pairs.map(function (p) { fold(p, false); return p.note.offsetHeight; });
    var folded = pairs.map(function (p) { fold(p, true); return p.note.offsetHeight; });
    var shown = pairs.map(function (p) { return p.opened; });

    function tops() {  // each note's top, and the bottom of the last
      var below = 0, out = [];
      for (var i = 0; i < pairs.length; i++) {
        out.push(Math.max(wanted[i], below));
        below = out[i] + (shown[i] ? whole[i] : folded[i]) + SPACE;
      }
      out.end = below - SPACE;
      return out;
    }
    // What cannot be helped (notes the reader opened) sets the limits where it exceeds them.
    var least = tops(), end = Math.max(article.clientHeight, least.end);
    var drift = least.map(function (top, i) { return Math.max(DRIFT, top - wanted[i]); });
    function fits() {
      var t = tops();
      return t.end <= end && t.every(function (top, i) { return top - wanted[i] <= drift[i]; });
    }
    pairs.map(function (p, i) { return i; })
      .sort(function (a, b) { return whole[a] - whole[b] || a - b; })
      .forEach(function (i) {
        if (shown[i]) { return; }
        shown[i] = true;
        shown[i] = fits();
      });
    var placed = tops();
    pairs.forEach(function (p, i) { fold(p, !shown[i]); p.note.style.top = placed[i] + "px"; });
    if (placed.end > article.clientHeight) { article.style.paddingBottom = (placed.end - article.clientHeight) + "px"; }
  }

  function unstack() {
    article.style.paddingBottom = "";
    pairs.forEach(function (p) { p.note.style.top = ""; p.opened = false; fold(p, false); });
  }

  // --- narrow: behind the call, opened after its sentence -----------------------------

  var ENDS = /[.!?…][”"’)\]]*(?=\s|$)/g;
  // A full stop that ends an abbreviation, not a sentence: "U.S.", "D.C.", "Gen.", "e.g."
  var ABBREVIATION = /(?:^|[\s(“"‘])(?:(?:[A-Za-z]\.)+|Mr|Mrs|Ms|Dr|St|Gen|Col|Lt|Sgt|No|vs|etc)\.?$/;

  /* Where in `text` (from `from` on) the first sentence ends, or -1: a stop, its closing
     quotes and brackets, then a space and no lower-case letter, or the end of the text. */
  function sentenceEnd(text, from) {
    ENDS.lastIndex = from;
    for (var m = ENDS.exec(text); m; m = ENDS.exec(text)) {
      var end = m.index + m[0].length;
      if (text[m.index] === "." && ABBREVIATION.test(text.slice(0, m.index + 1))) { continue; }
      if (/^\s+[a-z]/.test(text.slice(end))) { continue; }
      return end;
    }
    return -1;
  }

  /* Where an open note goes: after the sentence that holds its call (after the calls and
     open notes that follow that sentence's end), as a child of the call's block. */
  function afterSentence(call) {
    var block = call.parentNode;
    while (block.parentNode && !/^(P|H2|BLOCKQUOTE|LI)$/.test(block.nodeName)) { block = block.parentNode; }
    var before = call.previousSibling, at = null;
    var told = before ? before.textContent.replace(/\s+$/, "") : "";
    if (told && sentenceEnd(told, Math.max(0, told.length - 4)) === told.length) {
      at = call.nextSibling;  // the call stands after its sentence's stop
    } else {
      var walk = document.createTreeWalker(block, NodeFilter.SHOW_TEXT, null);
      walk.currentNode = call;
      for (var node = walk.nextNode(); node; node = walk.nextNode()) {
        if (call.contains(node) || node.parentNode.closest(".call, .note")) { continue; }
        var end = sentenceEnd(node.data, 0);
        if (end < 0) { continue; }
        var rest = node.splitText(end), top = rest;
        while (top.parentNode !== block) { top = top.parentNode; }
        at = top === rest ? rest : top.nextSibling;  // ends inside an element: after it
        break;
      }
    }
    while (at && ((at.nodeType === 3 && !at.data.trim()) ||
                  (at.nodeType === 1 && at.matches(".call, .note.open")))) { at = at.nextSibling; }
    return {block: block, before: at};
  }

  function open(p) {
    var where = afterSentence(p.call);
    where.block.insertBefore(p.note, where.before);
    p.note.classList.add("open");
    p.call.setAttribute("aria-expanded", "true");
    p.note.focus();
  }

  function close(p, refocus) {
    p.note.classList.remove("open");
    p.home.parentNode.insertBefore(p.note, p.home.nextSibling);
    if (mode === "narrow") { p.call.setAttribute("aria-expanded", "false"); }
    if (refocus) { p.call.focus(); }
  }

  function asButtons(on) {
    pairs.forEach(function (p) {
      if (on) {
        p.call.setAttribute("role", "button");
        p.call.setAttribute("aria-expanded", "false");
        p.call.setAttribute("aria-controls", p.note.id);
      } else {
        if (p.note.classList.contains("open")) { close(p, false); }
        ["role", "aria-expanded", "aria-controls"].forEach(function (a) { p.call.removeAttribute(a); });
      }
    });
  }

  // --- events -----------------------------------------------------------------------------

  function place() {
    var now = layout();
    if (now !== mode) {
      if (mode === "narrow") { asButtons(false); }
      if (mode === "wide") { unstack(); }
      mode = now;
      if (mode === "narrow") { asButtons(true); }
    }
    if (mode === "wide") { stack(); }
  }

  pairs.forEach(function (p) {
    p.call.addEventListener("click", function (e) {
      if (mode === "narrow") {
        e.preventDefault();
        if (p.note.classList.contains("open")) { close(p, true); } else { open(p); }
      } else if (mode === "wide") {
        e.preventDefault();  // the note is beside the line already: go to it, unfold it
        if (p.note.classList.contains("folded")) { p.opened = true; place(); }
        p.note.scrollIntoView({block: "nearest"});
        p.note.focus({preventScroll: true});
      }
    });
    p.call.addEventListener("keydown", function (e) {
      if (mode === "narrow" && (e.key === " " || e.key === "Spacebar")) { e.preventDefault(); p.call.click(); }
    });
  });

  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape") { return; }
    var inside = pairs.filter(function (p) { return p.note.contains(document.activeElement); })[0];
    if (!inside) { return; }
    if (mode === "narrow" && inside.note.classList.contains("open")) { close(inside, true); }
    else { inside.call.focus(); }
  });

  /* A link to a note (edition.html#note-12, "See note 12"): show it, opened or unfolded. */
  function reveal() {
    var id = decodeURIComponent(location.hash.slice(1));
    var p = pairs.filter(function (p) { return p.note.id === id; })[0];
    if (!p) { return; }
    if (mode === "narrow" && !p.note.classList.contains("open")) { open(p); return; }
    if (mode === "wide" && p.note.classList.contains("folded")) { p.opened = true; place(); }
    p.note.focus();
  }
  window.addEventListener("hashchange", reveal);

  var pending = 0;
  window.addEventListener("resize", function () {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(place);
  });
  place();
  if (document.fonts && document.fonts.ready) { document.fonts.ready.then(function () { place(); reveal(); }); }
  window.addEventListener("load", place);
})();
