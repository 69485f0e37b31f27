import StockyardEngine

/// The config language's rules for the single values `stockyard init` also takes as flags, so a
/// flag and the file accept exactly the same text.
public enum ConfigSyntax {
    /// How a `credentials:` value reads.
    public enum Credentials: Sendable, Hashable {
        case reference(CredentialReference)
        /// `env:` and a name that is not letters, digits and '_' starting with a letter or '_'.
        case badVariableName
        /// `file:` and nothing after it.
        case emptyPath
        /// Neither `env:` nor `file:`: perhaps a pasted token, so never echoed.
        case notAReference
    }

    /// `env:NAME` or `file:PATH`.
    public static func credentials(_ value: String) -> Credentials {
        if value.hasPrefix("env:") {
            let name = value.dropFirst(4)
            let valid =
                name.unicodeScalars.first.map { $0 == "_" || ($0.isASCIIAlnum && !($0.value >= 0x30 && $0.value <= 0x39)) } == true
                && name.unicodeScalars.allSatisfy { $0.isASCIIAlnum || $0 == "_" }
            return valid ? .reference(.environment(String(name))) : .badVariableName
        }
        if value.hasPrefix("file:") {
            let path = value.dropFirst(5)
            return path.isEmpty ? .emptyPath : .reference(.file(String(path)))
        }
        return .notAReference
    }

    /// A Shopify Admin API version: `YYYY-MM`.
    public static func isAPIVersion(_ v: String) -> Bool {
        let u = Array(v.utf8)
        return u.count == 7 && u[4] == UInt8(ascii: "-") && u.enumerated().allSatisfy { $0.offset == 4 || ($0.element >= 48 && $0.element <= 57) }
    }
}
