import Foundation
import StockyardEngine
import StockyardTestSupport
import Testing

/// `SKUNumbers` holds what a `[String: Int]` dictionary holds, in `String`'s order, whatever order
/// and repeats its numbers come in.
@Suite struct SKUNumbersTests {
    /// SKUs that share long prefixes, differ past the 16th byte, hold NUL, are empty, are not
    /// ASCII, or are the same text written two ways (`é` and `e` with a combining accent are one
    /// `String`, as one dictionary key).
    static func sku(_ round: Int, using generator: inout SeededGenerator) -> String {
        let alphabet: [String] = ["A", "B", "a", "z", "0", "9", "-", "_", " ", "\u{0}", "~"]
        let accented: [String] = ["é", "e\u{301}", "Å", "A\u{30A}", "ß", "漢"]
        var sku = String(repeating: "SKU-LONG-PREFIX-", count: round % 3)
        for _ in 0..<Int.random(in: 0...(round % 4 == 0 ? 3 : 20), using: &generator) {
            sku += alphabet.randomElement(using: &generator)!
        }
        if round % 5 == 0, Bool.random(using: &generator) { sku += accented.randomElement(using: &generator)! }
        return sku
    }

    @Test func pairsInAnyOrderMakeTheDictionarysNumbersInOrder() {
        var generator = SeededGenerator(seed: 11)
        for round in 0..<300 {
            var pairs: [(String, Int)] = []
            for _ in 0..<Int.random(in: 0...300, using: &generator) {
                pairs.append((Self.sku(round, using: &generator), Int.random(in: -5...5, using: &generator)))
            }
            if round % 7 == 0 { pairs.sort { $0.0 < $1.0 } }
            // From the last SKU to the first (as some files list them), with or without repeats.
            if round % 7 == 3 { pairs.sort { $0.0 > $1.0 } }
            var dictionary: [String: Int] = [:]
            for (sku, n) in pairs { dictionary[sku] = n }
            let numbers = SKUNumbers(pairs: pairs)
            #expect(numbers.dictionary == dictionary, "round \(round)")
            #expect(numbers.count == dictionary.count, "round \(round)")
            #expect(zip(numbers.keys, numbers.keys.dropFirst()).allSatisfy { $0 < $1 }, "round \(round): not ascending")
            #expect(numbers == SKUNumbers(dictionary), "round \(round)")
            #expect(numbers.hashValue == SKUNumbers(dictionary).hashValue, "round \(round)")
            for (sku, n) in dictionary { #expect(numbers[sku] == n, "round \(round): \(sku.debugDescription)") }
            #expect(numbers[Self.sku(round, using: &generator) + "\u{1}missing"] == nil)
        }
    }

    /// Setting, removing and merging one SKU or many do to the numbers what they do to a dictionary.
    @Test func editsDoWhatTheyDoToADictionary() {
        var generator = SeededGenerator(seed: 12)
        for round in 0..<200 {
            var numbers = SKUNumbers()
            var dictionary: [String: Int] = [:]
            for _ in 0..<60 {
                let sku = Self.sku(round, using: &generator)
                switch Int.random(in: 0..<4, using: &generator) {
                case 0:
                    numbers[sku] = nil
                    dictionary[sku] = nil
                case 1:
                    var more: [String: Int] = [:]
                    for _ in 0..<Int.random(in: 0...8, using: &generator) {
                        more[Self.sku(round, using: &generator)] = Int.random(in: 0...9, using: &generator)
                    }
                    numbers.merge(more)
                    dictionary.merge(more) { $1 }
                default:
                    let n = Int.random(in: -3...3, using: &generator)
                    numbers[sku] = n
                    dictionary[sku] = n
                }
                #expect(numbers.dictionary == dictionary, "round \(round)")
                #expect(zip(numbers.keys, numbers.keys.dropFirst()).allSatisfy { $0 < $1 }, "round \(round): not ascending")
            }
        }
    }

    @Test func writtenAndReadAsAJSONObject() throws {
        let numbers: SKUNumbers = ["B": 2, "A": -1, "é": 1_000_000_000]
        let data = try JSONEncoder().encode(numbers)
        #expect(try JSONDecoder().decode([String: Int].self, from: data) == ["A": -1, "B": 2, "é": 1_000_000_000])
        #expect(try JSONDecoder().decode(SKUNumbers.self, from: data) == numbers)
    }
}
