import Testing
@testable import Autodiff

@Test func moduleLoads() {}
