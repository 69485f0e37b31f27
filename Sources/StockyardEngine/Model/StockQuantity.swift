/// The range every stock number in Stockyard lives in, and arithmetic on such numbers that cannot trap.
///
/// Shopify takes quantities from -1,000,000,000 to 1,000,000,000 (`inventorySetQuantities`
/// rejects others), so no number outside it can be pushed anywhere. Every reader of numbers from
/// outside — `file` stores, Shopify's answers, plan files, the state — rejects one beyond it, with
/// where it was; sums and differences of numbers in range then stay far inside `Int`. The
/// saturating helpers below are the second line, for numbers that arrived before this rule.
public enum StockQuantity {
    public static let limit = 1_000_000_000
    public static let range = -limit...limit

    public static func isValid(_ value: Int) -> Bool { range.contains(value) }

    /// How a number out of range is described in messages: the bound, with thousands separators.
    public static let rangeText = "-1,000,000,000 to 1,000,000,000"

    /// `a + b`, clamped to `Int`'s range instead of trapping.
    public static func adding(_ a: Int, _ b: Int) -> Int {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? (b > 0 ? Int.max : Int.min) : sum
    }

    /// `a - b`, clamped to `Int`'s range instead of trapping.
    public static func subtracting(_ a: Int, _ b: Int) -> Int {
        let (difference, overflow) = a.subtractingReportingOverflow(b)
        return overflow ? (b < 0 ? Int.max : Int.min) : difference
    }

    /// `|a|`, with `Int.min` clamped to `Int.max`.
    public static func magnitude(_ a: Int) -> Int {
        a == Int.min ? Int.max : Swift.abs(a)
    }

    /// The sum of `values`, clamped to `Int`'s range instead of trapping.
    public static func sum<S: Sequence<Int>>(_ values: S) -> Int {
        values.reduce(0, adding)
    }
}
