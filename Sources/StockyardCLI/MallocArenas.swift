import CStockyardBuild

/// How the C allocator shares memory between threads.
public enum MallocArenas {
    /// One malloc arena for every thread, for a plan. glibc gives a thread that allocates while
    /// another does an arena of its own, and memory freed in one arena is not reused by another:
    /// a plan builds the config on one thread and reads stores and the state on others, and at
    /// 100,000 connections of 200 SKUs that stranded about 30 MB, a tenth of its peak. The threads
    /// keep their own small caches (tcache), so sharing the arena cost no measurable time. Set
    /// before the first task starts (arenas, once made, stay), and only for `plan`: the other
    /// commands were not measured with it.
    public static func prepare(arguments: [String]) {
        guard arguments.dropFirst().first == "plan" else { return }
        stockyard_share_one_malloc_arena()
    }
}
