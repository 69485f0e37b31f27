import CStockyardBuild
import Foundation

/// How the C allocator shares memory between threads, for `plan`.
///
/// glibc gives a thread that allocates while another does an arena of its own, up to eight per
/// core, and memory freed in one arena is not reused by another: a plan builds the config on one
/// thread and reads stores and the state on others, and at 100,000 connections of 200 SKUs that
/// stranded about 30 MB, a tenth of its peak. One arena for all threads kept that memory, but
/// the threads reading stores then waited for each other's allocations: a plan of 10,000 small
/// stores took 15% longer. So a plan gets one arena per core (at least two), and the memory the
/// store reading freed is given back once it is done (``returnFreeMemory()``): the same peak as
/// one arena, without the waiting.
public enum MallocArenas {
    /// Set before the first task starts (arenas, once made, stay), and only for `plan`: the other
    /// commands were not measured with it.
    ///
    /// A plan also runs with glibc's malloc on transparent huge pages where the system gives them
    /// only on request (`stockyard_restart_with_huge_pages`, which starts the program over once,
    /// with `GLIBC_TUNABLES=glibc.malloc.hugetlb=1`): a plan at 100,000 connections touches a few
    /// hundred megabytes once, and took 60,000 page faults on 4 KB pages; with them the shapes
    /// measured were 3–8% faster, for up to 4% more memory. Only for a config of ``hugePagesFrom`` bytes or
    /// more: starting over costs a few milliseconds, most of a small plan's time.
    /// `glibc.malloc.hugetlb=0` in `GLIBC_TUNABLES` keeps the small pages.
    public static func prepare(arguments: [String]) {
        guard arguments.dropFirst().first == "plan" else { return }
        if let size = configSize(arguments), size >= hugePagesFrom { stockyard_restart_with_huge_pages(CommandLine.unsafeArgv) }
        stockyard_limit_malloc_arenas(Int32(max(2, min(ProcessInfo.processInfo.activeProcessorCount, 64))))
    }

    /// The config size from which a plan starts over on huge pages (about 8,000 connections).
    static let hugePagesFrom = 1 << 20

    /// The size of the config file the arguments name (`-c`/`--config`, else `stockyard.yaml`),
    /// when it is a regular file; read before the arguments are parsed, so only a guess: the
    /// command's own parse says what is wrong with them.
    static func configSize(_ arguments: [String]) -> Int? {
        var path = "stockyard.yaml"
        var rest = arguments.dropFirst(2)[...]
        while let argument = rest.popFirst() {
            if argument == "--" { break }
            if argument == "--config" || argument == "-c", let value = rest.first {
                path = value
                rest = rest.dropFirst()
            } else if argument.hasPrefix("--config=") {
                path = String(argument.dropFirst("--config=".count))
            }
        }
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int(info.st_size)
    }

    /// Gives freed memory back to the system, in every arena (a few milliseconds).
    public static func returnFreeMemory() {
        stockyard_return_free_memory()
    }
}
