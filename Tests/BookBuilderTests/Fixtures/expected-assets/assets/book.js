(function () {
  "use strict";
  var root = document.documentElement, KEY = "litopt-theme";
  var systemDark = window.matchMedia("(prefers-color-scheme: dark)");
  function $(s, n) { return (n || document).querySelector(s); }
  function $$(s, n) { return Array.prototype.slice.call((n || document).querySelectorAll(s)); }

  // Theme: follows the system unless the reader chose otherwise (stored).
  var toggle = $(".theme-toggle");
  function isDark() { return root.dataset.theme ? root.dataset.theme === "dark" : systemDark.matches; }
  function showTheme() {
    var dark = isDark();
    if (toggle) toggle.setAttribute("aria-pressed", String(dark));
    // Figures with a dark variant follow the chosen theme, not only the system's.
    $$("picture source[media]").forEach(function (s) {
      if (!s.dataset.media) s.dataset.media = s.getAttribute("media");
      if (s.dataset.media.indexOf("dark") < 0) return;
      // A chosen theme drops the color-scheme test and keeps the rest (a narrow layout's width).
      s.media = !root.dataset.theme ? s.dataset.media
        : dark ? (s.dataset.media.replace(/\(prefers-color-scheme: dark\)( and )?/, "") || "all") : "not all";
    });
  }
  if (toggle) toggle.addEventListener("click", function () {
    var theme = isDark() ? "light" : "dark";
    var system = systemDark.matches ? "dark" : "light";
    try { theme === system ? localStorage.removeItem(KEY) : localStorage.setItem(KEY, theme); } catch (e) {}
    if (theme === system) delete root.dataset.theme; else root.dataset.theme = theme;
    showTheme();
  });
  systemDark.addEventListener && systemDark.addEventListener("change", showTheme);
  showTheme();
  // Paper is light: print the light variant of every figure.
  window.addEventListener("beforeprint", function () {
    $$("picture source[media]").forEach(function (s) { if ((s.dataset.media || "").indexOf("dark") >= 0) s.media = "not all"; });
  });
  window.addEventListener("afterprint", showTheme);

  // Menu: on narrow screens the sidebar opens over the page.
  var menu = $(".menu-button");
  function setMenu(open) {
    root.classList.toggle("nav-open", open);
    if (menu) menu.setAttribute("aria-expanded", String(open));
  }
  if (menu) menu.addEventListener("click", function () { setMenu(!root.classList.contains("nav-open")); });
  $$(".sidebar a").forEach(function (a) { a.addEventListener("click", function () { setMenu(false); }); });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape" && root.classList.contains("nav-open")) { setMenu(false); if (menu) menu.focus(); }
  });

  // Copy buttons on code blocks.
  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text; area.setAttribute("readonly", ""); area.style.position = "fixed"; area.style.opacity = "0";
      document.body.appendChild(area); area.select();
      var ok = false; try { ok = document.execCommand("copy"); } catch (e) {}
      area.remove(); ok ? resolve() : reject();
    });
  }
  $$("pre > code").forEach(function (code) {
    var pre = code.parentNode, wrap = document.createElement("div"), button = document.createElement("button");
    wrap.className = "code-block";
    pre.parentNode.insertBefore(wrap, pre); wrap.appendChild(pre);
    button.type = "button"; button.className = "copy"; button.textContent = "Copy";
    button.setAttribute("aria-label", "Copy code");
    button.addEventListener("click", function () {
      copy(code.textContent.replace(/\n$/, "")).then(function () { button.textContent = "Copied"; },
                                                   function () { button.textContent = "Select and copy"; });
      setTimeout(function () { button.textContent = "Copy"; }, 1600);
    });
    wrap.appendChild(button);
  });

  // Outline: mark the section being read.
  var marks = $$(".outline a").map(function (a) {
    return { link: a, heading: document.getElementById(decodeURIComponent(a.hash.slice(1))) };
  }).filter(function (m) { return m.heading; });
  var pending = false;
  function markCurrent() {
    pending = false;
    var current = null;
    marks.forEach(function (m) { if (m.heading.getBoundingClientRect().top < 120) current = m; });
    marks.forEach(function (m) {
      if (m === current) m.link.setAttribute("aria-current", "location"); else m.link.removeAttribute("aria-current");
    });
  }
  if (marks.length) {
    window.addEventListener("scroll", function () { if (!pending) { pending = true; requestAnimationFrame(markCurrent); } },
                            { passive: true });
    markCurrent();
  }

  // Citations: hovering or focusing one shows its reference-list entry (the list is on
  // the page, so the link works without the script too).
  var preview = null;
  function hidePreview() {
    if (!preview) return;
    if (preview.owner) preview.owner.removeAttribute("aria-describedby");
    preview.remove();
    preview = null;
  }
  function showPreview(a) {
    var entry = document.getElementById(decodeURIComponent(a.hash.slice(1)));
    if (!entry || (preview && preview.owner === a)) return;
    hidePreview();
    preview = document.createElement("div");
    preview.className = "cite-preview";
    preview.id = "cite-preview";
    preview.setAttribute("role", "tooltip");
    preview.innerHTML = entry.innerHTML;
    preview.owner = a;
    a.setAttribute("aria-describedby", "cite-preview");
    document.body.appendChild(preview);
    var r = a.getBoundingClientRect(), w = preview.offsetWidth;
    var left = Math.max(8, Math.min(r.left + window.scrollX, window.scrollX + document.documentElement.clientWidth - w - 8));
    preview.style.left = left + "px";
    preview.style.top = (r.bottom + window.scrollY + 6) + "px";
    preview.addEventListener("mouseleave", hidePreview);
  }
  $$("a.cite").forEach(function (a) {
    a.addEventListener("mouseenter", function () { showPreview(a); });
    a.addEventListener("focus", function () { showPreview(a); });
    a.addEventListener("mouseleave", function (ev) { if (!preview || ev.relatedTarget !== preview) hidePreview(); });
    a.addEventListener("blur", hidePreview);
  });
  document.addEventListener("keydown", function (ev) { if (ev.key === "Escape") hidePreview(); });

  // Search.
  var box = $(".search");
  if (!box) return;
  var input = $("input", box), list = $(".search-results", box), status = $(".search-status", box);
  var shards = +box.dataset.shards || 0, loaded = 0, requested = false, entries = [], active = -1;
  window.litoptSearchShard = function (n, items) {
    items.forEach(function (e) {
      entries.push({ href: e[0], title: e[1], chapter: e[2], text: e[3], hay: (e[1] + "\n" + e[3]).toLowerCase() });
    });
    loaded++;
    if (input.value) search();
  };
  function load() {
    if (requested) return;
    requested = true;
    for (var i = 0; i < shards; i++) {
      var s = document.createElement("script");
      s.src = "search/index-" + i + ".js"; s.async = false;
      s.onerror = function () { status.textContent = "The search index could not be loaded."; };
      document.head.appendChild(s);
    }
  }
  function words(q) { return q.toLowerCase().split(/\s+/).filter(Boolean); }
  function wordStart(hay, at) { return at === 0 || /[^0-9a-z\u00c0-\uffff]/.test(hay.charAt(at - 1)); }
  // The stretch of text around the place where the most query words occur close together.
  function excerpt(text, q) {
    var lower = text.toLowerCase(), at = -1, best = 0, hits = [];
    q.forEach(function (w, k) {
      for (var i = lower.indexOf(w), n = 0; i >= 0 && n < 20; i = lower.indexOf(w, i + 1), n++) hits.push([i, k]);
    });
    hits.forEach(function (h) {
      var seen = {};
      hits.forEach(function (o) { if (o[0] >= h[0] && o[0] < h[0] + 110) seen[o[1]] = 1; });
      var count = Object.keys(seen).length;
      if (count > best || (count === best && h[0] < at)) { best = count; at = h[0]; }
    });
    if (at < 0) return text.length > 160 ? text.slice(0, 160) + "…" : text;
    var start = Math.max(0, at - 60), end = Math.min(text.length, at + 120), space;
    if (start > 0 && (space = text.indexOf(" ", start)) >= 0 && space < at) start = space + 1;
    if (end < text.length && (space = text.lastIndexOf(" ", end)) > at) end = space;
    return (start > 0 ? "…" : "") + text.slice(start, end) + (end < text.length ? "…" : "");
  }
  function highlight(node, text, q) {
    var lower = text.toLowerCase(), ranges = [], pos = 0;
    q.forEach(function (w) {
      for (var i = lower.indexOf(w); i >= 0; i = lower.indexOf(w, i + w.length)) ranges.push([i, i + w.length]);
    });
    ranges.sort(function (a, b) { return a[0] - b[0]; });
    ranges.forEach(function (r) {
      if (r[1] <= pos) return;
      var from = Math.max(r[0], pos), mark = document.createElement("mark");
      node.appendChild(document.createTextNode(text.slice(pos, from)));
      mark.textContent = text.slice(from, r[1]);
      node.appendChild(mark);
      pos = r[1];
    });
    node.appendChild(document.createTextNode(text.slice(pos)));
  }
  function span(cls) { var s = document.createElement("span"); s.className = cls; return s; }
  function search() {
    var q = words(input.value);
    list.textContent = ""; active = -1;
    if (!q.length) { status.textContent = ""; return; }
    if (loaded < shards) { load(); status.textContent = "Loading the index…"; return; }
    var results = [];
    entries.forEach(function (e, order) {
      var score = 0;
      for (var i = 0; i < q.length; i++) {
        var at = e.hay.indexOf(q[i]);
        if (at < 0) return;
        score += (at < e.title.length ? 10 : 1) + (wordStart(e.hay, at) ? 2 : 0);
      }
      results.push({ e: e, score: score, order: order });
    });
    results.sort(function (a, b) { return b.score - a.score || a.order - b.order; });
    status.textContent = results.length ? results.length + (results.length === 1 ? " result" : " results") : "No results";
    results.slice(0, 40).forEach(function (r) {
      var li = document.createElement("li"), a = document.createElement("a"), title = span("result-title");
      a.href = r.e.href;
      highlight(title, r.e.title, q);
      a.appendChild(title);
      if (r.e.chapter !== r.e.title) { var chapter = span("result-chapter"); chapter.textContent = r.e.chapter; a.appendChild(chapter); }
      var snippet = span("result-snippet");
      highlight(snippet, excerpt(r.e.text, q), q);
      a.appendChild(snippet);
      a.addEventListener("click", function () { setMenu(false); });
      li.appendChild(a);
      list.appendChild(li);
    });
  }
  function move(step) {
    var links = $$("a", list);
    if (!links.length) return;
    active = (active + step + links.length) % links.length;
    links.forEach(function (a, i) { a.classList.toggle("active", i === active); });
    links[active].scrollIntoView({ block: "nearest" });
  }
  input.addEventListener("focus", load);
  input.addEventListener("input", search);
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "ArrowDown") { ev.preventDefault(); move(1); }
    else if (ev.key === "ArrowUp") { ev.preventDefault(); move(-1); }
    else if (ev.key === "Enter") {
      var link = $$("a", list)[Math.max(active, 0)];
      if (link) { ev.preventDefault(); setMenu(false); location.href = link.href; }
    } else if (ev.key === "Escape") {
      if (input.value) { input.value = ""; search(); ev.stopPropagation(); } else input.blur();
    }
  });
  document.addEventListener("keydown", function (ev) {
    var t = ev.target;
    if (ev.key !== "/" || ev.ctrlKey || ev.metaKey || ev.altKey || t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName)) return;
    ev.preventDefault();
    if (menu && getComputedStyle(menu).display !== "none") setMenu(true);
    input.focus();
  });

  // Wide code, output, tables and formulas scroll sideways: a faded edge shows there is
  // more, and an overflowing one takes keyboard focus so arrow keys can scroll it.
  (function () {
    var wide = $$("pre, .table-wrap, .equation");
    function mark(el) {
      var over = el.scrollWidth > el.clientWidth + 1;
      el.classList.toggle("more-right", over && el.scrollLeft + el.clientWidth < el.scrollWidth - 1);
      el.classList.toggle("more-left", over && el.scrollLeft > 0);
      if (over && !el.hasAttribute("tabindex")) el.setAttribute("tabindex", "0");
      if (!over && el.getAttribute("tabindex") === "0") el.removeAttribute("tabindex");
    }
    wide.forEach(function (el) {
      mark(el);
      el.addEventListener("scroll", function () { mark(el); }, { passive: true });
    });
    window.addEventListener("resize", function () { wide.forEach(mark); });
    window.addEventListener("load", function () { wide.forEach(mark); });
  })();

  // Explorable figures: every frame was drawn at build time; the slider swaps them.
  $$(".explorable").forEach(function (box) {
    var frames = JSON.parse(box.dataset.frames), darks = JSON.parse(box.dataset.darkFrames || "[]");
    var labels = JSON.parse(box.dataset.labels), readouts = box.dataset.readouts ? JSON.parse(box.dataset.readouts) : null;
    var controls = $(".explorer", box), slider = $("input", box), out = $("output", box);
    var narrows = JSON.parse(box.dataset.narrowFrames || "[]"), narrowDarks = JSON.parse(box.dataset.narrowDarkFrames || "[]");
    var variants = { "dark": darks, "narrow": narrows, "narrow-dark": narrowDarks };
    var img = $("img", box), sources = $$("source", box), readout = $(".explore-readout", box), play = $(".explore-play", box);
    if (!controls || !slider || !img) return;
    controls.hidden = false;
    var loaded = false, timer = null;
    function preload() {
      if (loaded) return;
      loaded = true;
      // Only the variant this screen shows (theme, width).
      var shown = img.currentSrc || img.src, list = frames;
      sources.forEach(function (s) { var v = variants[s.dataset.variant] || []; if (v.some(function (f) { return f && shown.indexOf(f) >= 0; })) list = v; });
      list.forEach(function (f) { if (f) { var i = new Image(); i.src = f; } });
    }
    // Frame k in every variant of the picture (dark, narrow, narrow dark).
    function swap(k) {
      img.src = frames[k];
      sources.forEach(function (s) { var v = variants[s.dataset.variant]; if (v && v[k]) s.srcset = v[k]; });
    }
    if (box.classList.contains("explorable-grid")) {
      // Two knobs: frame i·m + j for the first slider's i and the second's j.
      var axes = $$(".explore-axis", box), m = +box.dataset.columns;
      var show = function () {
        var i = +$("input", axes[0]).value, j = +$("input", axes[1]).value, k = i * m + j;
        swap(k);
        axes.forEach(function (axis) {
          var input = $("input", axis), names = JSON.parse(axis.dataset.labels);
          $("output", axis).textContent = names[+input.value];
          input.setAttribute("aria-valuetext", names[+input.value]);
        });
        if (readout && readouts) readout.textContent = readouts[k];
      };
      axes.forEach(function (axis) {
        var input = $("input", axis);
        input.addEventListener("input", function () { preload(); show(); });
        input.addEventListener("focus", preload);
      });
      return;
    }
    function set(k) {
      swap(k);
      out.textContent = labels[k];
      slider.setAttribute("aria-valuetext", labels[k]);
      if (readout && readouts) readout.textContent = readouts[k];
    }
    function stop() {
      if (timer) clearInterval(timer);
      timer = null;
      if (play) { play.textContent = "\u25B6"; play.setAttribute("aria-label", "Play"); }
    }
    slider.addEventListener("input", function () { preload(); set(+slider.value); });
    slider.addEventListener("focus", preload);
    if (play) {
      play.hidden = false;
      play.addEventListener("click", function () {
        if (timer) { stop(); return; }
        preload();
        if (+slider.value >= frames.length - 1) { slider.value = 0; set(0); }
        play.textContent = "\u275A\u275A";
        play.setAttribute("aria-label", "Pause");
        timer = setInterval(function () {
          var k = +slider.value + 1;
          if (k >= frames.length) { stop(); return; }
          slider.value = k;
          set(k);
        }, 150);
      });
    }
  });
})();
