import Testing
@testable import Landscape
