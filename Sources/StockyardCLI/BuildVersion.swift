import CStockyardBuild
import StockyardEngine

/// What `stockyard --version` prints: the version, then the commit a release was built from, or
/// `(development build)` when the build was not made by scripts/release.sh and so cannot vouch for
/// the source it came from.
enum BuildVersion {
    /// The commit scripts/release.sh built from (`-modified` if the tree had uncommitted changes).
    static var commit: String? {
        let commit = String(cString: stockyard_build_commit())
        return commit.isEmpty ? nil : commit
    }

    static var line: String {
        "\(StockyardVersion.current) (\(commit.map { "commit \($0)" } ?? "development build"))"
    }
}
