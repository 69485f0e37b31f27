/// A test cannot run as set up (a server it needs is not given): a failure, never a skip.
public struct TestSetupError: Error, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
