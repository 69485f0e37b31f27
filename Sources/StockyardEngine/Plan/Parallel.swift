import Dispatch
import Foundation

/// Work of one plan spread over the machine's cores. Everything here gives the same result as
/// doing the work in order on one thread: results are kept by position, never by finishing order.
///
/// A plan reads the stores on every core, but then planned on one: at 100,000 connections the
/// planner was a third of a plan while the other cores waited.
public enum Parallel {
    /// The cores work may be spread over.
    public static let width = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// `transform(i)` for every `i` in `0..<count`, in order; in chunks of at least `chunk` items
    /// over the cores, or on this thread when there is not that much to do.
    public static func map<T>(_ count: Int, chunk: Int = 512, _ transform: (Int) -> T) -> [T] {
        // More parts than cores, taken in turn as cores come free: parts of unequal cost (pulls
        // and pushes, stores of different sizes) then still end together.
        let parts = min(width * 8, count / max(1, chunk))
        guard width > 1, parts > 1 else { return (0..<count).map(transform) }
        return withoutActuallyEscaping(transform) { transform in
            [T](unsafeUninitializedCapacity: count) { buffer, initialized in
                // Each part initializes only its own range of the buffer, and every part is done
                // when `concurrentPerform` returns.
                nonisolated(unsafe) let slots = buffer.baseAddress!
                nonisolated(unsafe) let transform = transform
                DispatchQueue.concurrentPerform(iterations: parts) { part in
                    for i in (count * part / parts)..<(count * (part + 1) / parts) { (slots + i).initialize(to: transform(i)) }
                }
                initialized = count
            }
        }
    }

    /// Runs `first` here and `second` on a thread of its own, at the same time (one after the
    /// other on one core). A thread of its own, not one of the shared pool's: work that `first`
    /// spreads with ``map(_:chunk:_:)`` then still finds the pool's threads free.
    public static func both<A, B: Sendable>(_ first: () -> A, _ second: @escaping @Sendable () -> B) -> (A, B) {
        guard width > 1 else { return (first(), second()) }
        let result = Outcome<B>()
        Thread {
            result.value = second()
            result.done.signal()
        }.start()
        let a = first()
        result.done.wait()
        return (a, result.value!)
    }

    /// What the thread of ``both(_:_:)`` gives back; written before `done` is signalled.
    private final class Outcome<B>: @unchecked Sendable {
        var value: B?
        let done = DispatchSemaphore(value: 0)
    }
}
