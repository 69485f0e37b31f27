import Foundation
import StockyardEngine

/// Shopify's `DateTime` (ISO 8601: `2026-11-30T10:15:02Z`, or with an offset and fractions), read
/// by hand: a formatter per level of a 20,000-level read costs more than the read's decoding.
enum ShopifyTimestamp {
    static func parse(_ text: String) -> Date? {
        let u = Array(text.utf8)
        guard u.count >= 20, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-"), u[10] == UInt8(ascii: "T"),
            u[13] == UInt8(ascii: ":"), u[16] == UInt8(ascii: ":")
        else { return nil }
        func number(_ from: Int, _ count: Int) -> Int? {
            var n = 0
            for i in from..<(from + count) {
                guard u[i] >= 48, u[i] <= 57 else { return nil }
                n = n * 10 + Int(u[i] - 48)
            }
            return n
        }
        guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
            let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var i = 19
        var fraction = 0.0
        if u[i] == UInt8(ascii: ".") {
            i += 1
            var scale = 0.1
            while i < u.count, u[i] >= 48, u[i] <= 57 {
                fraction += Double(u[i] - 48) * scale
                scale /= 10
                i += 1
            }
        }
        guard i < u.count else { return nil }
        var offset = 0
        if u[i] == UInt8(ascii: "Z") {
            guard i + 1 == u.count else { return nil }
        } else if u[i] == UInt8(ascii: "+") || u[i] == UInt8(ascii: "-") {
            guard i + 6 == u.count, u[i + 3] == UInt8(ascii: ":"), let h = number(i + 1, 2), let m = number(i + 4, 2) else { return nil }
            offset = (h * 3600 + m * 60) * (u[i] == UInt8(ascii: "+") ? 1 : -1)
        } else {
            return nil
        }
        // Days since 1970-01-01 of a civil date (Howard Hinnant's `days_from_civil`).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    /// The search filter of the levels changed at or after `date`: its whole second, rounded down,
    /// so that the filter never starts after the instant asked for.
    static func changedSinceFilter(_ date: Date) -> String {
        "updated_at:>='\(UTCTimestamp.string(from: Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))))'"
    }
}
