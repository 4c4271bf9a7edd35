import Testing
@testable import BookBuilder

@Test func moduleLoads() {}
