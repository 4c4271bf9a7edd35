import Testing
@testable import TeXMath

@Test func moduleLoads() {}
