import StockyardTestSupport
import Testing

@testable import StockyardEngine

/// The parts of a plan spread over the cores give what doing them in order on one thread gives.
@Suite struct ParallelPlanningTests {
    @Test func mapKeepsEveryResultInItsPlace() {
        for count in [0, 1, 2, 15, 16, 17, 511, 512, 1024, 5000] {
            for chunk in [1, 7, 512] {
                #expect(Parallel.map(count, chunk: chunk) { "item \($0)" } == (0..<count).map { "item \($0)" }, "\(count) by \(chunk)")
            }
        }
    }

    @Test func bothRunsEachSideOnce() {
        let (numbers, text) = Parallel.both({ (0..<10_000).reduce(0, +) }, { String(repeating: "x", count: 3) })
        #expect(numbers == 49_995_000)
        #expect(text == "xxx")
    }

    /// A JSON array written a window at a time on every core is the array written in one go,
    /// also when some items are large: the bytes of a run, kept for the next window, grow, and
    /// the windows shrink to hold about `windowBytes` (and grow again).
    @Test func anArrayWrittenApartIsTheSameBytes() {
        var items = (0..<700).map { i in JSONValue.object([("n", .int(i)), ("text", .string(String(repeating: "é\"", count: i % 9)))]) }
        for i in 300..<480 { items[i] = .string(String(repeating: "x", count: JSONValue.windowBytes / 120 + i)) }
        for i in stride(from: 650, to: 700, by: 3) { items[i] = .string(String(repeating: "x", count: 90_000 + i)) }
        for count in [0, 1, 2, 100, 700] {
            var whole: [UInt8] = []
            JSONValue.writeArray(items.prefix(count), indent: 1, into: &whole, writing: { $0.write(into: &$2, indent: $1, pretty: true) })
            for window in [1, 3, 64, 256, 1024] {
                var apart: [UInt8] = []
                var flushes = 0
                JSONValue.writeArray(Array(items.prefix(count)), indent: 1, into: &apart, flush: { _ in flushes += 1 }, window: window) {
                    $0.write(into: &$2, indent: $1, pretty: true)
                }
                #expect(apart == whole, "\(count) items, window \(window)")
                // At least once a window, at most once an item.
                #expect(flushes >= (count + window - 1) / window && flushes <= count)
            }
        }
    }
}
