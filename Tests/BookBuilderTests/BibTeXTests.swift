import Foundation
import Testing
@testable import BookBuilder

@Suite struct BibTeXTests {
    func parse(_ text: String) throws -> [BibEntry] { try BibTeXParser.parse(text, file: "Chapters/references.bib") }

    func failure(_ text: String) -> [Diagnostic] {
        do { _ = try BibTeXParser.parse(text, file: "Chapters/references.bib"); return [] } catch { return error.diagnostics }
    }

    @Test func macrosConcatenationAndNestedBraces() throws {
        let entries = try parse("""
            % a comment line
            @String{ICLR = "International Conference on {L}earning Representations"}
            @string(yr = 2021)
            Text between entries is a comment.
            @InProceedings{foret2021,
              Title = {Sharpness-Aware {Minimization} for {Efficiently {Improving}} Generalization},
              booktitle = iclr # " (" # "ICLR" # ")",
              year = yr,
              month = may,
              pages = 12 # "--" # {34},
              note = "A {"}quoted{"} word",
            }
            @article(keskar2017, title = "On {Large-Batch} Training", year = {2017})
            """)
        #expect(entries.map(\.key) == ["foret2021", "keskar2017"])
        let foret = entries[0]
        #expect(foret.type == "inproceedings")
        #expect(foret.line == 5 && foret.column == 1)
        #expect(foret.fields["title"] == "Sharpness-Aware {Minimization} for {Efficiently {Improving}} Generalization")
        #expect(foret.text("title") == "Sharpness-Aware Minimization for Efficiently Improving Generalization")
        #expect(foret.text("booktitle") == "International Conference on Learning Representations (ICLR)")
        #expect(foret.fields["year"] == "2021")
        #expect(foret.fields["month"] == "May")
        #expect(foret.text("pages") == "12–34")
        #expect(foret.fields["note"] == "A {\"}quoted{\"} word")
        #expect(entries[1].text("title") == "On Large-Batch Training")
    }

    @Test func accentsBecomeUnicode() {
        let cases: [(String, String)] = [
            (#"{\"u}ber"#, "über"), (#"\"uber"#, "über"), (#"\"{u}ber"#, "über"), (#"Caf\'e"#, "Café"),
            (#"{\'E}mile"#, "Émile"), (#"\`a la"#, "à la"), (#"\^{o}"#, "ô"), (#"Pe\~na"#, "Peña"),
            (#"\v{S}koda"#, "Škoda"), (#"\v Skoda"#, "Škoda"), (#"Erd\H{o}s"#, "Erdős"), (#"Gar\c{c}on"#, "Garçon"),
            (#"{\ss}"#, "ß"), (#"{\o}"#, "ø"), (#"\AA{}ngstr\"om"#, "Ångström"), (#"\'{\i}"#, "í"), (#"\L{}\'od\'z"#, "Łódź"),
            (#"Stra{\ss}e"#, "Straße"), (#"pages 1--10, a---b"#, "pages 1–10, a—b"), (#"R\&D 50\%"#, "R&D 50%"),
            ("Ann~Smith", "Ann\u{A0}Smith"), ("two\n   lines", "two lines"), (#"\emph{flat} minima"#, "flat minima"),
            (#"the $O(1/t)$ rate"#, "the O(1/t) rate"), (#"``quoted''"#, "“quoted”"), (#"\k{a}"#, "ą"), (#"\r{u}"#, "ů"),
        ]
        for (tex, expected) in cases {
            #expect(TeXText.unicode(tex) == expected, "\(tex)")
        }
        // Precomposed, so the text compares equal to what an author types.
        #expect(TeXText.unicode(#"\'e"#).unicodeScalars.count == 1)
    }

    @Test func namesWithParticlesJuniorsAndOthers() {
        let (names, others) = BibName.list(
            "Foret, Pierre and Ariel Kleiner and van der Maaten, Laurens and Ludwig van Beethoven and "
                + "King, Jr., Martin Luther and {Barnes and Noble} and Jean de la Fontaine and {\\'E}mile Borel and others")
        #expect(others)
        #expect(names.count == 8)
        #expect(names[0] == BibName(first: "Pierre", last: "Foret"))
        #expect(names[1] == BibName(first: "Ariel", last: "Kleiner"))
        #expect(names[2] == BibName(first: "Laurens", von: "van der", last: "Maaten"))
        #expect(names[2].surname == "van der Maaten" && names[2].full == "Laurens van der Maaten")
        #expect(names[3] == BibName(first: "Ludwig", von: "van", last: "Beethoven"))
        #expect(names[4] == BibName(first: "Martin Luther", last: "King", jr: "Jr."))
        #expect(names[4].full == "Martin Luther King, Jr.")
        #expect(names[5] == BibName(last: "Barnes and Noble"), "a braced group is one surname")
        #expect(names[6] == BibName(first: "Jean", von: "de la", last: "Fontaine"))
        #expect(names[7] == BibName(first: "Émile", last: "Borel"))
        #expect(BibName.parse("{\\\"u}ber Walter") == BibName(von: "über", last: "Walter"),
                "an accented lowercase letter starts a von part")
        #expect(BibName.parse("Hochreiter") == BibName(last: "Hochreiter"))
        #expect(BibName.list("Kingma, Diederik P. AND Ba, Jimmy").names.map(\.surname) == ["Kingma", "Ba"])
    }

    @Test func labelsAndDisambiguation() throws {
        let entries = try parse("""
            @article{b2017, author = {Dinh, Laurent and Pascanu, Razvan and Bengio, Samy and Bengio, Yoshua}, title = {Sharp Minima Can Generalize}, year = 2017}
            @article{kingma2015, author = {Kingma, Diederik P. and Ba, Jimmy}, title = {Adam}, year = 2015}
            @article{a2017, author = {Dinh, L. and others}, title = {Another}, year = 2017}
            @book{solo, author = {Nocedal, Jorge}, title = {Numerical optimization}, publisher = {Springer}, date = {2006-07-01}}
            """)
        let bib = try Bibliography(entries: entries, file: "references.bib")
        #expect(bib.entries.map(\.key) == ["a2017", "b2017", "kingma2015", "solo"], "by surname, year, title")
        #expect(bib.authors("kingma2015") == "Kingma and Ba")
        #expect(bib.authors("b2017") == "Dinh et al." && bib.authors("a2017") == "Dinh et al.")
        #expect(bib.year("a2017") == "2017a" && bib.year("b2017") == "2017b")
        #expect(bib.authors("solo") == "Nocedal" && bib.year("solo") == "2006")
        #expect(Bibliography.nameList(BibName.list("Dinh, L. and Bengio, Samy and others").names, others: true)
                == "L. Dinh, Samy Bengio, et al.")
    }

    @Test func entryFormat() throws {
        let entries = try parse(#"""
            @inproceedings{foret2021,
              author = {Foret, Pierre and Kleiner, Ariel and Mobahi, Hossein and Neyshabur, Behnam},
              title = {Sharpness-Aware Minimization for Efficiently Improving Generalization},
              booktitle = {International Conference on Learning Representations},
              year = {2021}, eprint = {2010.01412}, archivePrefix = {arXiv}}
            @article{hochreiter1997,
              author = {Hochreiter, Sepp and Schmidhuber, J{\"u}rgen}, title = {Flat Minima},
              journal = {Neural Computation}, volume = 9, number = 1, pages = {1--42}, year = 1997,
              doi = {10.1162/neco.1997.9.1.1}}
            @book{nocedal2006, author = {Nocedal, Jorge and Wright, Stephen J.}, title = {Numerical Optimization},
              edition = {2nd}, publisher = {Springer}, year = 2006, doi = {10.1007/978-0-387-40065-5}}
            @misc{x2020, author = {Xie, Zeke and <Sato>}, title = {A Diffusion Theory?}, year = 2020, eprint = {2002.03495}}
            """#)
        let bib = try Bibliography(entries: entries, file: "references.bib")
        #expect(bib.entryNodes("foret2021").html == "Pierre Foret, Ariel Kleiner, Hossein Mobahi, and Behnam Neyshabur (2021). "
            + "<span class=\"ref-title\">Sharpness-Aware Minimization for Efficiently Improving Generalization.</span> "
            + "In <em>International Conference on Learning Representations</em>. "
            + "<a class=\"ref-arxiv\" href=\"https://arxiv.org/abs/2010.01412\">arXiv:2010.01412</a>")
        #expect(bib.entryNodes("hochreiter1997").html == "Sepp Hochreiter and Jürgen Schmidhuber (1997). "
            + "<span class=\"ref-title\">Flat Minima.</span> <em>Neural Computation</em>, 9(1), 1–42. "
            + "<a class=\"ref-doi\" href=\"https://doi.org/10.1162/neco.1997.9.1.1\">doi:10.1162/neco.1997.9.1.1</a>")
        #expect(bib.entryNodes("nocedal2006").html == "Jorge Nocedal and Stephen J. Wright (2006). <em>Numerical Optimization.</em> "
            + "2nd edition, Springer. "
            + "<a class=\"ref-doi\" href=\"https://doi.org/10.1007/978-0-387-40065-5\">doi:10.1007/978-0-387-40065-5</a>")
        #expect(bib.entryNodes("x2020").html == "Zeke Xie and &lt;Sato&gt; (2020). <span class=\"ref-title\">A Diffusion Theory?</span> "
            + "arXiv preprint arXiv:2002.03495. "
            + "<a class=\"ref-arxiv\" href=\"https://arxiv.org/abs/2002.03495\">arXiv:2002.03495</a>", "escaped")
    }

    @Test func malformedInputIsAnErrorAtItsLineAndColumn() {
        func first(_ text: String) -> (Int, Int, String)? {
            failure(text).first.map { ($0.line, $0.column, $0.message) }
        }
        var d = first("@article{a, title = {x}}\n\n  @book{a,\n title = {y}}\n")
        #expect(d?.0 == 3 && d?.1 == 9)
        #expect(d?.2 == "duplicate key 'a': already used by the entry at line 1")
        d = first("@article{a,\n  title = {unclosed {x,\n  year = 2020}\n")
        #expect(d?.0 == 2 && d?.1 == 11 && d?.2 == "'{' is not closed: expected '}'")
        d = first("@article{a,\n  title = {x}\n  year = 2020}\n")
        #expect(d?.0 == 3 && d?.1 == 3 && d?.2 == "expected ',' or '}' after the field 'title' in entry 'a'")
        d = first("@article{a,\n  journal = jmlr,\n}\n")
        #expect(d?.0 == 2 && d?.1 == 13 && d?.2 == "unknown macro 'jmlr' (define it with @string, or put the value in braces)")
        d = first("@article{a,\n  title {x}}\n")
        #expect(d?.0 == 2 && d?.1 == 9 && d?.2 == "expected '=' after the field name 'title' in entry 'a'")
        d = first("@article{a, title = {x}, title = {y}}")
        #expect(d?.0 == 1 && d?.1 == 26 && d?.2 == "field 'title' appears twice in entry 'a'")
        d = first("@article{title = {x}}")
        #expect(d?.0 == 1 && d?.1 == 10)
        d = first("\n@article{a, title = \"open}")
        #expect(d?.0 == 2 && d?.1 == 26 && d?.2 == "unbalanced '}' in a quoted value")
        d = first("@article{a, title = {x}")
        #expect(d?.0 == 1 && d?.1 == 1 && d?.2 == "entry 'a' is not closed: expected '}'")
        // Every bad entry is reported, not just the first.
        #expect(failure("@article{a, title = q}\n@article{b, title = r}\n@article{c, title = {ok}}\n").count == 2)
        // A key that would read as a cross-reference.
        let reserved = (try? Bibliography(entries: parse("@misc{fig-1, title = {x}}"), file: "references.bib")) == nil
        #expect(reserved)
    }
}
