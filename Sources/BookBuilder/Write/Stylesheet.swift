/// The book's one stylesheet, `assets/style.css`.
///
/// Colours are custom properties in two palettes. The dark palette applies when the system
/// asks for it and the reader has not chosen light (`html[data-theme=light]`), or when the
/// reader chose dark; print always uses the light one. Every text colour meets WCAG AA
/// (4.5:1) against the background it sits on, in both palettes.
enum Stylesheet {
    struct Palette {
        var bg, fg, muted, rule, accent, codeBg, outputBg, sideBg, mark, error: String
        var keyword, type, string, number, comment, attribute, label: String

        var declarations: String {
            """
            --bg: \(bg); --fg: \(fg); --muted: \(muted); --rule: \(rule); --accent: \(accent);
              --code-bg: \(codeBg); --output-bg: \(outputBg); --side-bg: \(sideBg); --mark: \(mark); --error: \(error);
              --kw: \(keyword); --ty: \(type); --str: \(string); --num: \(number); --com: \(comment);
              --attr: \(attribute); --label: \(label);
            """
        }
    }

    static let light = Palette(
        bg: "#fdfdfb", fg: "#1d1f24", muted: "#575e69", rule: "#dedfd7", accent: "#2457a8",
        codeBg: "#f3f3ee", outputBg: "#fafaf6", sideBg: "#f6f6f1", mark: "#fbe38b", error: "#b3261e",
        keyword: "#9b1f99", type: "#0b6580", string: "#366e1a", number: "#a14f00", comment: "#65696f",
        attribute: "#7f5600", label: "#46515c")

    static let dark = Palette(
        bg: "#16181c", fg: "#e3e5e8", muted: "#a3aab5", rule: "#30343b", accent: "#8fb4ff",
        codeBg: "#1f2227", outputBg: "#1a1c20", sideBg: "#1b1d22", mark: "#6b5712", error: "#ff8a80",
        keyword: "#d09bf0", type: "#6cc7e0", string: "#9ccc65", number: "#f0a45d", comment: "#949ba5",
        attribute: "#e5c07b", label: "#b8c0cc")

    static let css = """
    /* litopt book theme */
    :root { \(light.declarations)
      color-scheme: light;
      --font: "Charter", "Bitstream Charter", "Sitka Text", Cambria, "DejaVu Serif", Georgia, serif;
      --sans: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
      --mono: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace;
      --bar: 3rem; --measure: 40rem; --side: 16rem;
    }
    @media (prefers-color-scheme: dark) {
      :root:not([data-theme="light"]) { \(dark.declarations) color-scheme: dark; }
    }
    :root[data-theme="dark"] { \(dark.declarations) color-scheme: dark; }

    * { box-sizing: border-box; }
    html { font-size: 18px; -webkit-text-size-adjust: 100%; scroll-padding-top: calc(var(--bar) + 1rem); }
    body { margin: 0; background: var(--bg); color: var(--fg); font-family: var(--font); line-height: 1.65;
      text-rendering: optimizeLegibility; font-kerning: normal; }
    [hidden] { display: none !important; }
    .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
    a { color: var(--accent); text-underline-offset: 0.15em; text-decoration-thickness: 1px; }
    :focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }

    /* Chrome: skip link, top bar, three columns */
    .skip-link { position: absolute; left: 0.5rem; top: -4rem; z-index: 30; padding: 0.5rem 0.9rem; border-radius: 6px;
      background: var(--accent); color: var(--bg); font-family: var(--sans); font-weight: 600; text-decoration: none; }
    .skip-link:focus { top: 0.5rem; }
    .topbar { position: sticky; top: 0; z-index: 20; height: var(--bar); display: flex; align-items: center; gap: 0.75rem;
      padding: 0 1rem; background: var(--bg); border-bottom: 1px solid var(--rule); font-family: var(--sans); font-size: 0.9rem; }
    .topbar-title { flex: 1; min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap;
      color: var(--fg); font-weight: 600; text-decoration: none; }
    .icon-button { display: inline-flex; align-items: center; justify-content: center; flex: none; width: 2.2rem; height: 2.2rem;
      padding: 0; border: 1px solid var(--rule); border-radius: 6px; background: transparent; color: var(--fg); cursor: pointer; }
    .icon-button:hover { border-color: var(--muted); }
    .menu-button { display: none; }
    html.nav-open .menu-button { background: var(--code-bg); border-color: var(--muted); }
    main:focus { outline: none; }
    html:not(.js) .theme-toggle, html:not(.js) .search { display: none; }
    /* The sidebar's colour is painted by the grid too, so it runs the page's full height. */
    .layout { display: grid; grid-template-columns: var(--side) minmax(0, 1fr) 13rem; min-height: calc(100vh - var(--bar));
      background: linear-gradient(to right, var(--side-bg) calc(var(--side) - 1px), var(--rule) 0 var(--side), transparent 0); }
    .layout.no-outline { grid-template-columns: var(--side) minmax(0, 1fr); }
    .sidebar { position: sticky; top: var(--bar); height: calc(100vh - var(--bar)); overflow-y: auto; overscroll-behavior: contain;
      padding: 1.2rem 1rem 3rem; background: var(--side-bg); border-right: 1px solid var(--rule);
      font-family: var(--sans); font-size: 0.84rem; line-height: 1.45; }
    .content { min-width: 0; padding: 2.5rem 2.5rem 4rem; }
    .content > article, .pager { max-width: var(--measure); margin-left: auto; margin-right: auto; }

    /* Table of contents and outline */
    .toc, .toc ol, .outline ol, .contents, .contents ol, .search-results { list-style: none; padding: 0; margin: 0; }
    .toc > li { margin: 0.15rem 0; }
    .toc-part, .contents-part { margin: 1.1rem 0 0.3rem; padding: 0 0.5rem; font-family: var(--sans); font-size: 0.72rem; font-weight: 600;
      letter-spacing: 0.08em; text-transform: uppercase; color: var(--muted); }
    .toc-part:first-child, .contents-part:first-child { margin-top: 0.4rem; }
    .toc a, .outline a { display: block; padding: 0.25rem 0.5rem; border-radius: 5px; color: var(--muted); text-decoration: none; }
    .toc a:hover, .outline a:hover { color: var(--fg); background: var(--code-bg); }
    .toc li.current > a { color: var(--fg); font-weight: 600; background: var(--code-bg); }
    .toc-sections { margin: 0.2rem 0 0.5rem 0.9rem !important; padding-left: 0.5rem !important; border-left: 1px solid var(--rule); }
    .toc a, .outline a, .contents-chapter, .contents-sections a { display: flex; gap: 0.35em; }
    .toc .chapter-number, .contents .chapter-number { flex: none; min-width: 1.3em; font-variant-numeric: tabular-nums; }
    .toc .section-number, .outline .section-number, .contents .section-number { flex: none; margin-right: 0; }
    .outline { position: sticky; top: var(--bar); align-self: start; max-height: calc(100vh - var(--bar)); overflow-y: auto;
      padding: 2.6rem 1rem 2rem 0; font-family: var(--sans); font-size: 0.78rem; line-height: 1.4; }
    .outline h2 { margin: 0 0 0.5rem 0.5rem; font-size: 0.72rem; text-transform: uppercase; letter-spacing: 0.08em; color: var(--muted); }
    .outline ol ol { padding-left: 0.8rem; }
    .outline a[aria-current] { color: var(--accent); box-shadow: inset 2px 0 var(--accent); border-radius: 0; }

    /* Search */
    .search { position: relative; margin-bottom: 1rem; }
    .search input { width: 100%; padding: 0.45rem 2rem 0.45rem 0.6rem; border: 1px solid var(--rule); border-radius: 6px;
      background: var(--bg); color: var(--fg); font: inherit; font-size: 0.85rem; }
    .search input:focus { outline: 2px solid var(--accent); outline-offset: 0; border-color: var(--accent); }
    .search-key { position: absolute; right: 0.45rem; top: 0.45rem; padding: 0 0.35rem; border: 1px solid var(--rule); border-radius: 4px;
      font-family: var(--mono); font-size: 0.72rem; color: var(--muted); pointer-events: none; }
    .search input:focus ~ .search-key, .search input:not(:placeholder-shown) ~ .search-key { display: none; }
    @media (hover: none) { .search-key { display: none; } }
    .search-status { margin: 0.4rem 0.2rem 0; font-size: 0.75rem; color: var(--muted); }
    .search-status:empty { display: none; }
    .search-results { margin-top: 0.3rem; }
    .search-results:empty { display: none; }
    .search-results a { display: block; padding: 0.45rem 0.5rem; border-radius: 6px; color: var(--fg); text-decoration: none; }
    .search-results a:hover, .search-results a.active { background: var(--code-bg); box-shadow: inset 2px 0 var(--accent); }
    .result-title { display: block; font-weight: 600; }
    .result-chapter { display: block; font-size: 0.72rem; color: var(--muted); }
    .result-snippet { display: block; margin-top: 0.15rem; font-size: 0.78rem; color: var(--muted); }
    mark { background: var(--mark); color: var(--fg); border-radius: 2px; padding: 0 1px; }

    /* Typography */
    h1, h2, h3, h4 { font-family: var(--sans); line-height: 1.25; letter-spacing: -0.01em; text-wrap: balance; overflow-wrap: break-word; hyphens: auto; }
    h1 { font-size: 2.1rem; margin: 0 0 1.5rem; font-weight: 700; }
    h2 { font-size: 1.45rem; margin: 2.8rem 0 0.8rem; font-weight: 600; }
    h3 { font-size: 1.15rem; margin: 2rem 0 0.6rem; font-weight: 600; }
    h4 { font-size: 1rem; margin: 1.6rem 0 0.4rem; }
    p, li { hyphens: auto; }
    article > h1 .chapter-number { display: block; margin-bottom: 0.5rem; font-size: 0.8rem; font-weight: 600;
      letter-spacing: 0.12em; text-transform: uppercase; color: var(--muted); }
    h2 a.anchor, h3 a.anchor, h4 a.anchor { color: inherit; text-decoration: none; }
    h2 a.anchor:hover::after, h3 a.anchor:hover::after { content: " #"; color: var(--muted); }
    .section-number { color: var(--muted); font-variant-numeric: tabular-nums; margin-right: 0.3em; }
    hr { border: 0; border-top: 1px solid var(--rule); margin: 2.5rem 0; }
    blockquote { margin: 1.2rem 0; padding: 0 1.1rem; border-left: 3px solid var(--rule); color: var(--muted); }
    a.xref { text-decoration: none; border-bottom: 1px dotted var(--accent); }

    /* Code */
    code, kbd, samp { font-family: var(--mono); }
    code { font-size: 0.84em; background: var(--code-bg); padding: 0.1em 0.3em; border-radius: 4px; }
    pre { margin: 1.2rem 0; padding: 0.85rem 1rem; overflow-x: auto; background: var(--code-bg); border-radius: 8px;
      line-height: 1.5; font-size: 0.78rem; tab-size: 4; }
    pre code { background: none; padding: 0; font-size: inherit; border-radius: 0; }
    .code-block { position: relative; }
    .cell .code-block > pre { margin-bottom: 0; }
    .copy { position: absolute; top: 0.45rem; right: 0.45rem; padding: 0.2rem 0.6rem; border: 1px solid var(--rule); border-radius: 5px;
      background: var(--bg); color: var(--fg); font-family: var(--sans); font-size: 0.7rem; cursor: pointer; opacity: 0;
      transition: opacity 0.15s; }
    .copy:focus-visible, .code-block:hover .copy { opacity: 1; }
    @media (hover: none) { .copy { opacity: 0.9; } }
    .kw { color: var(--kw); } .ty { color: var(--ty); } .str { color: var(--str); } .num { color: var(--num); }
    .com, .doc { color: var(--com); font-style: italic; } .attr, .pp { color: var(--attr); } .label { color: var(--label); }
    .cell { margin: 1.6rem 0; }
    .cell pre.cell-source { margin-bottom: 0; box-shadow: inset 3px 0 var(--accent); }
    .cell-fold > summary { font-family: var(--sans); font-size: 0.8rem; color: var(--muted); cursor: pointer; }
    .cell-output, .cell-value, .cell-error { margin-top: 0.4rem; background: var(--output-bg); border: 1px solid var(--rule); font-size: 0.74rem; }
    .cell-error { border-color: var(--error); color: var(--error); }
    .truncated { display: block; margin-top: 0.5rem; color: var(--muted); font-style: italic; }
    .measured-note { font-family: var(--sans); font-size: 0.8rem; color: var(--muted); margin: 0.4rem 0 0.2rem; padding-left: 0.6rem; border-left: 3px solid var(--muted); }
    .inline-value { font-variant-numeric: tabular-nums; }
    .claim-failed { margin: 0.5rem 0; padding: 0.5rem 0.75rem; border: 1px solid var(--error); border-left-width: 4px; color: var(--error); font-family: var(--sans); font-size: 0.85rem; }
    .explorable .explorer { display: flex; align-items: center; gap: 0.6rem; margin: 0.4rem 0 0; font-family: var(--sans); font-size: 0.85rem; }
    .explorable .explorer[hidden] { display: none; }
    .explorable .explorer input[type=range] { flex: 1; min-width: 8rem; accent-color: var(--accent, #2563eb); }
    .explorable .explorer output { min-width: 6rem; font-variant-numeric: tabular-nums; }
    .explorable-grid .explorer { flex-wrap: wrap; }
    .explorable-grid .explore-axis { display: flex; flex: 1 1 14rem; align-items: center; gap: 0.5rem; }
    .explorable .explore-play { font: inherit; padding: 0.15rem 0.55rem; border: 1px solid var(--rule); border-radius: 4px; background: var(--output-bg); color: inherit; cursor: pointer; }
    .explorable .explore-readout { margin: 0.3rem 0 0; font-family: var(--sans); font-size: 0.85rem; }

    /* Figures, tables, math, callouts */
    figure { margin: 1.5rem 0; text-align: center; }
    figure img, article img { max-width: 100%; height: auto; }
    figcaption { margin: 0.5rem auto 0; max-width: 34rem; font-family: var(--sans); font-size: 0.82rem; line-height: 1.45; color: var(--muted); }
    .figure-number { font-weight: 600; color: var(--fg); }
    .table-wrap { overflow-x: auto; margin: 1.2rem 0; }
    .more-right { -webkit-mask-image: linear-gradient(to right, #000 calc(100% - 2.5rem), rgba(0, 0, 0, 0.2));
      mask-image: linear-gradient(to right, #000 calc(100% - 2.5rem), rgba(0, 0, 0, 0.2)); }
    .more-left { -webkit-mask-image: linear-gradient(to left, #000 calc(100% - 2.5rem), rgba(0, 0, 0, 0.2));
      mask-image: linear-gradient(to left, #000 calc(100% - 2.5rem), rgba(0, 0, 0, 0.2)); }
    .more-left.more-right { -webkit-mask-image: linear-gradient(to right, rgba(0, 0, 0, 0.2), #000 2.5rem, #000 calc(100% - 2.5rem), rgba(0, 0, 0, 0.2));
      mask-image: linear-gradient(to right, rgba(0, 0, 0, 0.2), #000 2.5rem, #000 calc(100% - 2.5rem), rgba(0, 0, 0, 0.2)); }
    pre:focus-visible, .table-wrap:focus-visible, .equation:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
    table { border-collapse: collapse; margin: 0 auto; font-family: var(--sans); font-size: 0.84rem; font-variant-numeric: tabular-nums; }
    th, td { padding: 0.35rem 0.8rem; border-bottom: 1px solid var(--rule); text-align: left; }
    th { border-bottom: 2px solid var(--fg); }
    @font-face { font-family: "Book Math"; src: url("math.otf") format("opentype"); font-display: swap; }
    math { font-family: "Book Math", "TeX Gyre Pagella Math", "Latin Modern Math", "STIX Two Math", math; font-size: 1.07em; }
    math[display="block"] { margin: 0.2rem 0; }
    .equation { margin: 1.2rem 0; overflow-x: auto; overflow-y: hidden; }
    .math-error { color: var(--error); }
    .callout { margin: 1.6rem 0; padding: 0.8rem 1.1rem; border-left: 4px solid var(--accent); border-radius: 0 8px 8px 0;
      background: var(--code-bg); }
    .callout > :last-child { margin-bottom: 0; }
    .callout-title, .callout > summary { margin: 0 0 0.3rem; font-family: var(--sans); font-weight: 600; }
    details.callout > summary { cursor: pointer; }
    details.callout:not([open]) > summary { margin-bottom: 0; }
    .block-number { font-weight: 700; }
    .callout.numbered { border-left-color: var(--fg); background: transparent; border-top: 1px solid var(--rule);
      border-bottom: 1px solid var(--rule); }
    .callout-definition .callout-title, .callout-theorem .callout-title, .callout-lemma .callout-title,
    .callout-proposition .callout-title, .callout-corollary .callout-title { font-style: normal; }
    .callout-theorem > p:not(.callout-title), .callout-lemma > p:not(.callout-title), .callout-proposition > p:not(.callout-title),
    .callout-corollary > p:not(.callout-title) { font-style: italic; }
    .callout-proof, .callout-solution { background: transparent; border-left-color: var(--rule); }
    .callout.numbered .callout-solution { margin: 1rem 0 0.2rem; }

    /* Citations, references, footnotes */
    a.cite { text-decoration: underline dotted; text-underline-offset: 0.18em; }  /* told apart from the text by more than colour */
    a.cite:hover, a.cite:focus { text-decoration: underline; }
    .references { padding-left: 0; list-style: none; font-size: 0.92rem; }
    .references > li { margin: 0 0 0.7rem; padding-left: 1.6rem; text-indent: -1.6rem; }
    .references > li:target { background: var(--mark); }
    .ref-doi, .ref-arxiv, .ref-url { font-family: var(--sans); font-size: 0.85em; word-break: break-all; }
    .cited-in { color: var(--muted); font-size: 0.9em; }
    .cite-preview { position: absolute; z-index: 30; max-width: min(34rem, calc(100vw - 16px)); padding: 0.6rem 0.8rem;
      background: var(--bg); color: var(--fg); border: 1px solid var(--rule); border-radius: 8px;
      box-shadow: 0 4px 18px rgba(0, 0, 0, 0.18); font-size: 0.85rem; line-height: 1.45; }
    .footnote-ref { font-size: 0.75em; line-height: 0; }
    .footnote-ref a { text-decoration: none; }
    .footnotes { margin-top: 2.5rem; padding-top: 0.8rem; border-top: 1px solid var(--rule); font-size: 0.9rem; }
    .footnotes li:target { background: var(--mark); }
    .footnote-back { text-decoration: underline dotted; text-underline-offset: 0.18em; }

    /* Previous / next */
    .pager { display: flex; justify-content: space-between; gap: 1rem; margin-top: 3.5rem; padding-top: 1.2rem;
      border-top: 1px solid var(--rule); font-family: var(--sans); }
    .pager a { display: flex; flex-direction: column; max-width: 48%; padding: 0.6rem 0.9rem; border: 1px solid var(--rule);
      border-radius: 8px; text-decoration: none; font-weight: 600; }
    .pager a:hover { border-color: var(--accent); }
    .pager a span { font-size: 0.72rem; font-weight: 500; letter-spacing: 0.06em; text-transform: uppercase; color: var(--muted); }
    .pager a.next { margin-left: auto; text-align: right; }

    /* Title page */
    .book-header { margin: 2rem 0 3rem; padding-bottom: 2rem; border-bottom: 1px solid var(--rule); }
    .book-header h1 { font-size: 2.6rem; margin-bottom: 0.6rem; }
    .subtitle { margin: 0 0 1.2rem; font-size: 1.25rem; line-height: 1.4; color: var(--muted); }
    .author { margin: 0; font-family: var(--sans); font-size: 0.95rem; }
    .start { margin: 1.6rem 0 0; font-family: var(--sans); }
    .start a { display: inline-block; padding: 0.5rem 1rem; border-radius: 8px; background: var(--accent); color: var(--bg);
      font-weight: 600; text-decoration: none; }
    .start a:hover { filter: brightness(1.1); }
    .contents > li { margin: 0 0 1.2rem; }
    .contents-chapter { font-family: var(--sans); font-size: 1.15rem; font-weight: 600; text-decoration: none; }
    .contents-sections { margin: 0.3rem 0 0 1.8rem !important; }
    .contents-sections li { margin: 0.15rem 0; }
    .contents-sections a { color: var(--fg); text-decoration: none; }
    .contents a:hover { text-decoration: underline; }

    /* Narrower screens: the outline goes, then the sidebar moves behind the menu button
       (or, without JavaScript, on top of the chapter). */
    @media (max-width: 75rem) {
      :root { --side: 15rem; }
      .layout, .layout.no-outline { grid-template-columns: var(--side) minmax(0, 1fr); }
      .outline { display: none; }
    }
    @media (max-width: 50rem) {
      html { font-size: 17px; }
      .layout, .layout.no-outline { display: block; background: none; }
      html.js .menu-button { display: inline-flex; }
      .sidebar { position: static; height: auto; border-right: 0; border-bottom: 1px solid var(--rule); }
      html.js .sidebar { display: none; position: fixed; top: var(--bar); left: 0; right: 0; bottom: 0; z-index: 15; height: auto;
        padding: 1rem 1.1rem 4rem; font-size: 0.95rem; }
      html.js.nav-open .sidebar { display: block; }
      html.js.nav-open body { overflow: hidden; }
      .content { padding: 1.6rem 1.1rem 3rem; }
      h1 { font-size: 1.75rem; }
      .book-header h1 { font-size: 2rem; }
      pre { margin-left: -1.1rem; margin-right: -1.1rem; border-radius: 0; }
      .code-block .copy { top: 0.3rem; right: -0.7rem; }
    }

    @media print {
      /* As specific as the dark palette's selectors, and later. */
      :root:not([data-print]), :root[data-theme] { \(light.declarations) color-scheme: light; }
      html { font-size: 11pt; }
      body { background: none; }
      .skip-link, .topbar, .sidebar, .outline, .pager, .copy { display: none !important; }
      .layout, .layout.no-outline { display: block; }
      .content { padding: 0; }
      .content > article { max-width: none; }
      pre { margin-left: 0; margin-right: 0; white-space: pre-wrap; overflow: visible; border: 1px solid var(--rule); }
      pre, figure, .equation, table, .callout { break-inside: avoid; }
      h1, h2, h3, h4 { break-after: avoid; }
      a { color: inherit; text-decoration: none; }
      article a[href^="http"]::after { content: " (" attr(href) ")"; font-size: 0.85em; color: var(--muted); }
    }
    """
}
