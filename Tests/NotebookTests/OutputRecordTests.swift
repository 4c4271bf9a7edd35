import Foundation
import Testing
@testable import Notebook

@Suite struct OutputRecordTests {
    @Test func recordsRoundTripThroughJSON() throws {
        let records: [OutputRecord] = [
            .init(cell: 0, item: .value("42")),
            .init(cell: 2, item: .image(file: "cell2-1.png", darkFile: "cell2-1-dark.png",
                                        width: 640, height: 480, alt: "a heatmap")),
            .init(cell: 3, item: .table(.init(header: ["a", "b"], rows: [["1", "2"]]))),
        ]
        for record in records {
            let data = try JSONEncoder().encode(record)
            #expect(try JSONDecoder().decode(OutputRecord.self, from: data) == record)
        }
    }

    @Test func fallbackDescriptionOfTableIsTabSeparated() {
        let text = Session.fallbackDescription(.table(.init(header: ["x", "y"], rows: [["1", "2"]])))
        #expect(text == "x\ty\n1\t2")
    }
}
