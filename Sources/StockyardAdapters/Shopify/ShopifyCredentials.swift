import Foundation
import StockyardEngine

/// An Admin API access token. Every way of printing it (interpolation, `debugPrint`, `dump`,
/// a `Mirror`) shows `[redacted]`, so a stray log line or error cannot carry it.
struct ShopifyAccessToken: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// Only the request header reads this.
    let value: String

    var description: String { "[redacted]" }
    var debugDescription: String { "[redacted]" }
    var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }

    /// Removes the token from text that came from elsewhere (a response body) before it is shown.
    func scrub(_ text: String) -> String {
        value.count >= 4 ? text.replacingOccurrences(of: value, with: "[redacted]") : text
    }
}

/// Turns `env:NAME` or `file:PATH` into a token, within what the operator allows (``TrustPolicy``):
/// the policy is asked before anything is read. The errors name the variable or the file, never a value.
enum ShopifyCredentials {
    static func resolve(_ settings: ShopifyStoreSettings) throws(ShopifyError) -> ShopifyAccessToken {
        let store = settings.storeKey
        let raw: String
        switch settings.credentials {
        case .environment(let name):
            do throws(TrustPolicy.Violation) {
                try settings.trust.checkCredentialVariable(name, store: store)
            } catch {
                throw ShopifyError.credentialRefused(store: store, reason: error.message)
            }
            let environment = settings.environment ?? ProcessInfo.processInfo.environment
            guard let value = environment[name] else {
                throw ShopifyError.variableUnset(store: store, name: name)
            }
            raw = value
            guard !Self.trimmed(raw).isEmpty else {
                throw ShopifyError.variableEmpty(store: store, name: name)
            }
        case .file(let path):
            let folder = settings.baseDirectory ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
            let url: URL
            do throws(TrustPolicy.Violation) {
                url = try settings.trust.credentialFile(path, store: store, configDirectory: folder)
            } catch {
                throw ShopifyError.credentialRefused(store: store, reason: error.message)
            }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue else {
                throw ShopifyError.credentialFileMissing(store: store, path: path)
            }
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw ShopifyError.credentialFileUnreadable(store: store, path: path)
            }
            raw = String(decoding: data, as: UTF8.self)
            guard !Self.trimmed(raw).isEmpty else {
                throw ShopifyError.credentialFileEmpty(store: store, path: path)
            }
        }
        let token = Self.trimmed(raw)
        // A header cannot hold spaces or line breaks; saying so without the value keeps it secret.
        guard token.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
            throw ShopifyError.tokenMalformed(store: store, reference: "\(settings.credentials)")
        }
        return ShopifyAccessToken(value: token)
    }

    /// Files usually end with a newline, and pasted variables sometimes carry spaces.
    static func trimmed(_ s: String) -> String {
        s.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
