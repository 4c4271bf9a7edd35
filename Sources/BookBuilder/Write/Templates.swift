/// The built-in theme: Mustache templates for every page of a site.
///
/// A book can replace any of them by putting a file of the same name in `Chapters/theme/`
/// (`chapter.mustache`, `sidebar.mustache`, …); the contexts the templates see are described
/// in `Theme`. `{{x}}` is HTML-escaped, `{{{x}}}` is inserted as is (chapter bodies, icons).
enum Templates {
    static let builtIn: [String: String] = [
        "head": head, "topbar": topbar, "sidebar": sidebar, "section-title": sectionTitle,
        "outline": outline, "index": index, "chapter": chapter,
    ]

    /// `<head>`: `title`, optional `description`.
    static let head = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="color-scheme" content="light dark">
        <title>{{title}}</title>
        {{#description}}
        <meta name="description" content="{{description}}">
        {{/description}}
        <link rel="stylesheet" href="assets/style.css">
        {{{preload}}}
        <script src="assets/book.js" defer></script>
        </head>

        """

    /// The bar on top: menu button (narrow screens, scripted), book title, theme toggle (scripted).
    static let topbar = """
        <a class="skip-link" href="#content">Skip to content</a>
        <header class="topbar">
        <button class="icon-button menu-button" type="button" aria-controls="sidebar" aria-expanded="false" aria-label="Contents and search">{{{icons.menu}}}</button>
        <a class="topbar-title" href="index.html">{{book.title}}</a>
        <button class="icon-button theme-toggle" type="button" aria-pressed="false" aria-label="Dark theme" title="Switch between light and dark">{{{icons.theme}}}</button>
        </header>

        """

    /// Search, then the table of contents (`toc`) with the current chapter's sections open.
    static let sidebar = """
        <nav class="sidebar" id="sidebar" aria-label="Contents">
        {{#search}}
        <div class="search" role="search" data-shards="{{shards}}">
        <label class="visually-hidden" for="search-input">Search the book</label>
        <input id="search-input" type="search" placeholder="Search the book" autocomplete="off" spellcheck="false" aria-describedby="search-status" aria-controls="search-results">
        <kbd class="search-key" aria-hidden="true">/</kbd>
        <p id="search-status" class="search-status" role="status"></p>
        <ol id="search-results" class="search-results"></ol>
        </div>
        {{/search}}
        <ol class="toc">
        {{#toc}}
        {{#part}}
        <li class="toc-part">{{part}}</li>
        {{/part}}
        <li{{#current}} class="current"{{/current}}><a href="{{href}}"{{#current}} aria-current="page"{{/current}}><span class="chapter-number">{{number}}</span> {{title}}</a>{{#openSections}}
        <ol class="toc-sections">
        {{#sections}}
        <li><a href="#{{id}}">{{>section-title}}</a></li>
        {{/sections}}
        </ol>
        {{/openSections}}</li>
        {{/toc}}
        </ol>
        </nav>

        """

    /// A section's number (when it has one) and title.
    static let sectionTitle = """
        {{#number}}<span class="section-number">{{number}}</span> {{/number}}{{title}}
        """

    /// The right-hand "On this page" column: level-2 headings with their level-3 headings nested.
    static let outline = """
        <nav class="outline" aria-labelledby="outline-title">
        <h2 id="outline-title">On this page</h2>
        <ol>
        {{#outline}}
        <li><a href="#{{id}}">{{>section-title}}</a>{{#hasChildren}}
        <ol>
        {{#children}}
        <li><a href="#{{id}}">{{>section-title}}</a></li>
        {{/children}}
        </ol>
        {{/hasChildren}}</li>
        {{/outline}}
        </ol>
        </nav>

        """

    /// The title page: title, subtitle, author, and the contents with every chapter's sections.
    static let index = """
        {{>head}}
        <body class="title-page">
        {{>topbar}}
        <div class="layout no-outline">
        {{>sidebar}}
        <main id="content" class="content" tabindex="-1">
        <article>
        <header class="book-header">
        <h1>{{book.title}}</h1>
        {{#book.subtitle}}
        <p class="subtitle">{{book.subtitle}}</p>
        {{/book.subtitle}}
        {{#book.author}}
        <p class="author">{{book.author}}</p>
        {{/book.author}}
        {{#start}}
        <p class="start"><a href="{{start}}">Start reading</a></p>
        {{/start}}
        </header>
        <section class="contents-section" aria-labelledby="contents-title">
        <h2 id="contents-title">Contents</h2>
        <ol class="contents">
        {{#toc}}
        {{#part}}
        <li class="contents-part">{{part}}</li>
        {{/part}}
        <li><a class="contents-chapter" href="{{href}}"><span class="chapter-number">{{number}}</span> {{title}}</a>{{#hasSections}}
        <ol class="contents-sections">
        {{#sections}}
        <li><a href="{{href}}#{{id}}">{{>section-title}}</a></li>
        {{/sections}}
        </ol>
        {{/hasSections}}</li>
        {{/toc}}
        </ol>
        </section>
        </article>
        </main>
        </div>
        </body>
        </html>

        """

    /// A chapter: its rendered `body`, the pager (`previous`, `next`), the `outline`.
    static let chapter = """
        {{>head}}
        <body>
        {{>topbar}}
        <div class="layout{{^hasOutline}} no-outline{{/hasOutline}}">
        {{>sidebar}}
        <main id="content" class="content" tabindex="-1">
        <article>
        {{{body}}}</article>
        <nav class="pager" aria-label="Previous and next chapters">
        {{#previous}}
        <a class="prev" rel="prev" href="{{href}}"><span>Previous</span>{{label}}</a>
        {{/previous}}
        {{#next}}
        <a class="next" rel="next" href="{{href}}"><span>Next</span>{{label}}</a>
        {{/next}}
        </nav>
        </main>
        {{#hasOutline}}
        {{>outline}}
        {{/hasOutline}}
        </div>
        </body>
        </html>

        """
}
