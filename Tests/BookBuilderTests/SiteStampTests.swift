import Foundation
import Testing
@testable import BookBuilder

/// A build whose inputs did not change does no work, and any change to what a site is built
/// from, or to the site itself, makes the next build a real one.
@Suite(.serialized) struct SiteStampTests {
    typealias Project = ReliabilityTests.Project
    static let chapter = "# A\n\nSome prose.\n\n```swift\nprint(6 * 7)\n```\n"

    func build(_ project: Project, useCache: Bool = true) throws -> BuildSummary {
        try BookBuild.run(project.options(useCache: useCache))
    }

    @Test func aSecondBuildWithNothingChangedDoesNoWork() throws {
        let project = try Project(["01-a.md": Self.chapter])
        defer { project.remove() }
        let first = try build(project)
        #expect(first.upToDate == nil && first.executed == 1)
        let site = Project.snapshot(project.site)
        let second = try build(project)
        #expect(second.upToDate == true)
        #expect(second.chapters.map(\.file) == first.chapters.map(\.file) && second.chapters.allSatisfy(\.cached))
        #expect(second.claims == first.claims && second.inlineValueCount == first.inlineValueCount)
        #expect(Project.snapshot(project.site) == site, "the site untouched")
    }

    @Test func aChangeToAChapterTheSiteOrTheOptionsBuildsAgain() throws {
        let project = try Project(["01-a.md": Self.chapter])
        defer { project.remove() }
        _ = try build(project)
        // Prose: rendered again, the cell's result from the cache.
        try (Self.chapter + "\nMore prose.\n").write(toFile: project.chapters + "/01-a.md", atomically: true, encoding: .utf8)
        let edited = try build(project)
        #expect(edited.upToDate == nil && edited.executed == 0)
        #expect(try String(contentsOfFile: project.site + "/01-a.html", encoding: .utf8).contains("More prose."))
        #expect(try build(project).upToDate == true)
        // A file of the site removed or changed: written again.
        try FileManager.default.removeItem(atPath: project.site + "/01-a.html")
        #expect(try build(project).upToDate == nil)
        #expect(FileManager.default.fileExists(atPath: project.site + "/01-a.html"))
        try "tampered".write(toFile: project.site + "/01-a.html", atomically: true, encoding: .utf8)
        #expect(try build(project).upToDate == nil)
        #expect(try String(contentsOfFile: project.site + "/01-a.html", encoding: .utf8).contains("Some prose."))
        // A new file next to the chapters (an image, a theme file) counts too.
        try "x".write(toFile: project.chapters + "/notes.txt", atomically: true, encoding: .utf8)
        #expect(try build(project).upToDate == nil)
        // --no-cache always executes; other output formats are another site.
        #expect(try build(project, useCache: false).executed == 1)
        var epub = project.options(useCache: true)
        epub.formats = [.html, .epub]
        #expect(try BookBuild.run(epub).upToDate == nil)
        #expect(FileManager.default.fileExists(atPath: project.site + "/book.epub"))
    }

    /// The stamp answers only a build that would have succeeded: a wrong command line still fails.
    @Test func anUpToDateSiteDoesNotSkipTheChecksOfTheOptions() throws {
        let project = try Project(["01-a.md": Self.chapter])
        defer { project.remove() }
        _ = try build(project)
        var options = project.options(useCache: true)
        options.requireRemote = true
        #expect(throws: BuildFailure.self) { try BookBuild.run(options) }
        #expect(try build(project).upToDate == true)
    }

    @Test func aChapterThatMustAlwaysRunIsNeverSkipped() throws {
        let project = try Project(["01-a.md": "---\ncache: false\n---\n" + Self.chapter])
        defer { project.remove() }
        _ = try build(project)
        let again = try build(project)
        #expect(again.upToDate == nil && again.executed == 1)
    }
}
