import Foundation

/// What a config may make Stockyard reach. A config is data: on a pull request it comes from
/// whoever opened it, while the pipeline holds the secrets. So where requests go, which
/// environment variables and folders may hold credentials, and which folders `file` stores may
/// read and write are the operator's choice, made outside the config (flags and environment).
///
/// Every check here runs before a credential is read or a request is sent, and its message
/// names the store, what the config asked for and how the operator allows it, never a value.
public struct TrustPolicy: Sendable, Hashable {
    /// Base URLs a store's `endpoint:` may name, normalised (see ``normalizedEndpoint(_:)``).
    public var allowedEndpoints: Set<String>
    /// Folders besides the config's own that `credentials: file:` may read (as given).
    public var credentialDirectories: [String]
    /// Environment variables `credentials: env:` may read besides those whose name holds `SHOPIFY`.
    public var credentialVariables: Set<String>
    /// Folders besides the config's own that `file` stores may read and write (as given).
    public var storeDirectories: [String]

    public init(
        allowedEndpoints: [String] = [], credentialDirectories: [String] = [], credentialVariables: [String] = [],
        storeDirectories: [String] = []
    ) {
        self.allowedEndpoints = Set(allowedEndpoints.compactMap(Self.normalizedEndpoint))
        self.credentialDirectories = credentialDirectories
        self.credentialVariables = Set(credentialVariables)
        self.storeDirectories = storeDirectories
    }

    /// The environment variables the operator sets: `STOCKYARD_ALLOWED_ENDPOINTS` and
    /// `STOCKYARD_CREDENTIAL_ENV`, both comma-separated.
    public static let endpointsVariable = "STOCKYARD_ALLOWED_ENDPOINTS"
    public static let credentialVariablesVariable = "STOCKYARD_CREDENTIAL_ENV"

    /// The policy from flags plus the operator's environment.
    public static func operatorChoice(
        allowEndpoints: [String], credentialDirectories: [String], storeDirectories: [String],
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> TrustPolicy {
        func list(_ name: String) -> [String] {
            (environment[name] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        return TrustPolicy(
            allowedEndpoints: allowEndpoints + list(endpointsVariable), credentialDirectories: credentialDirectories,
            credentialVariables: list(credentialVariablesVariable), storeDirectories: storeDirectories)
    }

    /// Why the policy refuses what a config asks for. `store` is the store's key.
    public struct Violation: Error, Sendable, Hashable, CustomStringConvertible {
        public var store: String
        public var message: String
        /// The file named does not exist: not a refusal, reported as such when the store is read.
        public var isMissing = false
        public var description: String { "store '\(store)': \(message)" }
    }
}

// MARK: - Endpoints

extension TrustPolicy {
    /// `scheme://host[:port][/path]` with the scheme and host in lower case and no trailing slash,
    /// so that `HTTP://Proxy.internal/` and `http://proxy.internal` are one endpoint; `nil` for
    /// anything that is not such a URL (user info, a query or a fragment included: an endpoint
    /// is a base URL, nothing more).
    public static func normalizedEndpoint(_ text: String) -> String? {
        var base = text.trimmingCharacters(in: .whitespaces)
        while base.hasSuffix("/") { base.removeLast() }
        guard let parts = URLComponents(string: base), let scheme = parts.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = parts.host?.lowercased(), !host.isEmpty,
            parts.user == nil, parts.password == nil, parts.query == nil, parts.fragment == nil
        else { return nil }
        let hostPart = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return "\(scheme)://\(hostPart)" + (parts.port.map { ":\($0)" } ?? "") + parts.percentEncodedPath
    }

    /// The base URL a Shopify store's requests go to: `https://{shop}` for a valid
    /// `NAME.myshopify.com`, or the store's `endpoint:` when the operator allowed it.
    public func shopifyBase(store: String, shop: String, endpoint: String?) throws(Violation) -> String {
        guard let endpoint else {
            guard Self.isShopDomain(shop) else {
                throw Violation(store: store, message: "`shop: \(shop)` is not a NAME.myshopify.com domain; requests go only to https://NAME.myshopify.com")
            }
            return "https://\(shop)"
        }
        guard let normalized = Self.normalizedEndpoint(endpoint), allowedEndpoints.contains(normalized) else {
            let shown = Self.normalizedEndpoint(endpoint) ?? endpoint
            throw Violation(
                store: store,
                message:
                    "`endpoint: \(endpoint)` is not allowed: a store's requests go to https://\(shop) unless the operator allows another endpoint outside the config, with `--allow-endpoint \(shown)` or \(Self.endpointsVariable)=\(shown); nothing was sent"
            )
        }
        return normalized
    }

    /// `NAME.myshopify.com`: lower-case letters, digits and `-`, starting with a letter or digit;
    /// nothing that could make `https://{shop}` name another host (`@`, `/`, `:`, a dot).
    public static func isShopDomain(_ shop: String) -> Bool {
        let suffix = ".myshopify.com"
        guard shop.hasSuffix(suffix) else { return false }
        let name = shop.utf8.dropLast(suffix.utf8.count)
        guard let first = name.first, first != UInt8(ascii: "-") else { return false }
        return name.allSatisfy { (97...122).contains($0) || (48...57).contains($0) || $0 == UInt8(ascii: "-") }
    }
}

// MARK: - Credentials

extension TrustPolicy {
    /// Names the operator declared safe: any holding `SHOPIFY`, and those in `STOCKYARD_CREDENTIAL_ENV`.
    public func checkCredentialVariable(_ name: String, store: String) throws(Violation) {
        guard name.contains("SHOPIFY") || credentialVariables.contains(name) else {
            throw Violation(
                store: store,
                message:
                    "`credentials: env:\(name)` names an environment variable the operator has not declared as holding a store token (names containing SHOPIFY are allowed); to allow it, set \(Self.credentialVariablesVariable)=\(name) (comma-separated) outside the config; nothing was read"
            )
        }
    }

    /// The real path of a `credentials: file:` reference, when it lies inside the config's folder
    /// or a `--credentials-dir`. `..` and symlinks are resolved first, so neither can leave them.
    public func credentialFile(_ path: String, store: String, configDirectory: URL) throws(Violation) -> URL {
        let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : configDirectory.appendingPathComponent(path)
        guard let real = Self.realPath(url.path) else {
            throw Violation(
                store: store, message: "the credentials file \(path) does not exist (`credentials: file:\(path)`, relative to the config file's folder)",
                isMissing: true)
        }
        let roots = ([configDirectory.path] + credentialDirectories).compactMap(Self.realPath)
        guard roots.contains(where: { Self.isInside(real, $0) }) else {
            throw Violation(
                store: store,
                message:
                    "`credentials: file:\(path)` is outside the config's folder; a credentials file must be inside it or inside a folder the operator allows with `--credentials-dir DIR` (symlinks and `..` are followed before checking); nothing was read"
            )
        }
        return URL(fileURLWithPath: real)
    }
}

// MARK: - File stores

extension TrustPolicy {
    /// The real path of a `file` store's `path:`, when it lies inside the config's folder or an
    /// `--allow-path` folder. A file that does not exist yet is placed by its folder's real path.
    public func storeFile(_ path: String, store: String, configDirectory: URL) throws(Violation) -> URL {
        try storeFile(path, store: store, within: storeRoots(configDirectory: configDirectory))
    }

    /// The folders `file` stores may use, as real paths: resolved once for all the stores of a
    /// config (resolving them per store was a few percent of a plan of 10,000 stores).
    public struct StoreRoots: Sendable, Hashable {
        public let configDirectory: URL
        let realPaths: [String]
    }

    public func storeRoots(configDirectory: URL) -> StoreRoots {
        StoreRoots(configDirectory: configDirectory, realPaths: ([configDirectory.path] + storeDirectories).compactMap(Self.realPath))
    }

    /// ``storeFile(_:store:configDirectory:)`` against roots resolved before.
    public func storeFile(_ path: String, store: String, within roots: StoreRoots) throws(Violation) -> URL {
        var resolver = StoreFileResolver(policy: self, roots: roots)
        return URL(fileURLWithPath: try resolver.realPath(of: path, store: store))
    }

    /// Checks the paths of many `file` stores against the same roots, each folder's real path
    /// found once: 10,000 stores in one folder resolved it 10,000 times, a tenth of their plan.
    public struct StoreFileResolver {
        public let policy: TrustPolicy
        public let roots: StoreRoots
        private let configDirectory: String
        /// Folder (as written, `..` and `.` taken out) -> its real path; nil when it does not exist.
        private var folders: [String: String?] = [:]

        public init(policy: TrustPolicy, roots: StoreRoots) {
            self.policy = policy
            self.roots = roots
            configDirectory = roots.configDirectory.path
        }

        /// The real path of a store's `path:`, as ``TrustPolicy/storeFile(_:store:within:)`` says.
        public mutating func realPath(of path: String, store: String) throws(Violation) -> String {
            let written = TrustPolicy.withoutDotSegments(path.hasPrefix("/") ? path : configDirectory + "/" + path)
            let real = placed(written)
            guard roots.realPaths.contains(where: { TrustPolicy.isInside(real, $0) }) else {
                throw Violation(
                    store: store,
                    message:
                        "`path: \(path)` is outside the config's folder; a `file` store stays inside it unless the operator allows another folder with `--allow-path DIR` (symlinks and `..` are followed before checking); nothing was read or written"
                )
            }
            return real
        }

        /// ``TrustPolicy/placedPath(_:)``, with the folder's real path found once: a name that is
        /// not a symlink (or not there yet) is its folder's real path plus the name.
        private mutating func placed(_ path: String) -> String {
            // Found in the UTF-8 view: by `Character`, the search cost a few microseconds a store.
            guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")), path != "/" else { return TrustPolicy.placedPath(path) }
            let folder = slash == path.startIndex ? "/" : String(path[..<slash])
            let name = path[path.index(after: slash)...]
            let realFolder: String?
            if let known = folders[folder] {
                realFolder = known
            } else {
                realFolder = TrustPolicy.realPath(folder)
                folders[folder] = .some(realFolder)
            }
            guard let realFolder else { return TrustPolicy.placedPath(path) }
            var info = stat()
            if lstat(path, &info) == 0 ? (info.st_mode & S_IFMT) == S_IFLNK : errno != ENOENT {
                return TrustPolicy.placedPath(path)
            }
            return (realFolder == "/" ? "" : realFolder) + "/" + name
        }
    }
}

// MARK: - Paths

extension TrustPolicy {
    /// The path with every symlink and `..` resolved, or `nil` when it does not exist.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Where a path that may not exist yet lands: its nearest existing folder's real path, plus the
    /// rest. `path` is absolute, without `.` or `..` segments.
    static func placedPath(_ path: String) -> String {
        var existing = path
        var rest: [Substring] = []
        while true {
            if let real = realPath(existing) {
                return rest.reversed().reduce(real) { ($0 == "/" ? "" : $0) + "/" + $1 }
            }
            guard let slash = existing.lastIndex(of: "/"), existing != "/" else { return path }
            rest.append(Substring(existing[existing.index(after: slash)...]))
            existing = slash == existing.startIndex ? "/" : String(existing[..<slash])
        }
    }

    /// An absolute path with `.` and `..` segments and repeated slashes taken out, as written
    /// (symlinks are followed after): what `URL.standardizedFileURL` gives for it.
    static func withoutDotSegments(_ path: String) -> String {
        // Most paths have nothing to take out: found in one pass over the bytes, as 10,000 store
        // paths split and joined again took a tenth of a plan's checking of them.
        var path = path
        if path.withUTF8(hasNoDotSegments) { return path }
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..": _ = parts.popLast()
            default: parts.append(part)
            }
        }
        return "/" + parts.joined(separator: "/")
    }

    /// True when `path` is absolute and already what ``withoutDotSegments(_:)`` makes of it: no
    /// `.` or `..` segment, no repeated slash, no slash at the end (but for `/` itself).
    static func hasNoDotSegments(_ path: UnsafeBufferPointer<UInt8>) -> Bool {
        let slash = UInt8(ascii: "/")
        let dot = UInt8(ascii: ".")
        guard path.first == slash else { return false }
        guard path.count > 1 else { return true }
        var start = 1
        for i in 1...path.count where i == path.count || path[i] == slash {
            switch i - start {
            case 0: return false
            case 1 where path[start] == dot: return false
            case 2 where path[start] == dot && path[start + 1] == dot: return false
            default: start = i + 1
            }
        }
        return true
    }

    /// True when `path` is `root` or below it; both real paths.
    static func isInside(_ path: String, _ root: String) -> Bool {
        root == "/" || path == root || path.hasPrefix(root + "/")
    }
}
