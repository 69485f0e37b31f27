import Foundation
import Synchronization

/// Values a command is done with once its output is written, kept until the process exits
/// instead of freed one by one.
///
/// Freeing a large plan's config, state, store readings and changes — millions of small
/// allocations — took 35–40 ms of a 100,000-connection plan, all of it after the plan was made
/// or printed, just before the process ended and gave its memory back to the system at once.
/// (Compilers skip the same work for the same reason: clang's `-disable-free`.) Only the CLI
/// keeps values here, each command as its last step; nothing in a long-running process should.
enum UntilExit {
    private static let kept = Mutex<[any Sendable]>([])

    /// Keeps `value` (and everything it holds) alive until the process exits.
    static func keep(_ value: any Sendable) {
        kept.withLock { $0.append(value) }
    }

    /// Above this many stock numbers, what a plan was made from is freed beside its output
    /// (``release(_:)``) rather than kept: kept, 100,000 connections' readings of 200 SKUs a
    /// location raised the plan's peak memory by 17 MB; freed beside the output, 10,000 small
    /// stores' readings took 2% of the plan's time, and a first plan's 500,000 numbers (5 SKUs a
    /// location) 20 ms of its 570 (kept: 4 MB more at its peak).
    static let freedBesideAbove = 1_000_000

    /// Frees `value` on a thread of its own, beside what the command does next, or not at all if
    /// the process ends first. For what is large and no longer needed before the output is
    /// written: kept to the end, a plan's store readings of 200 SKUs a location raised its peak
    /// memory by a tenth; freed in turn, they held up its output.
    static func release(_ value: any Sendable) {
        Thread.detachNewThread { withExtendedLifetime(value) {} }
    }

    /// Frees `value` beside what the command does next (``release(_:)``) when it holds more
    /// than `limit` of what `count` counts, else keeps it; counted on that thread too (counting a
    /// first plan's 100,000 locations' numbers held up its output by 2 ms).
    static func release<Value: Sendable>(_ value: Value, ifMoreThan limit: Int, counting count: @escaping @Sendable (Value) -> Int) {
        Thread.detachNewThread {
            if count(value) > limit { withExtendedLifetime(value) {} } else { keep(value) }
        }
    }
}
