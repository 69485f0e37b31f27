/// A compare-and-set write of one SKU's quantity at one location.
public struct QuantityWrite: Sendable, Hashable {
    public var locationID: String
    public var sku: String
    /// The quantity the writer last saw; the write is refused if the store holds another.
    public var expected: Int?
    public var quantity: Int

    public init(locationID: String, sku: String, expected: Int?, quantity: Int) {
        self.locationID = locationID
        self.sku = sku
        self.expected = expected
        self.quantity = quantity
    }
}

/// Talks to one store platform. Implementations live outside the engine.
public protocol StoreAdapter: Sendable {
    /// Every location of the store, active or not.
    func locations() async throws -> [StoreLocation]
    /// Units per SKU at each of the given locations.
    func quantities(at locationIDs: [String]) async throws -> [String: [String: Int]]
    /// Writes quantities with compare-and-set; returns the writes refused because the store had moved on.
    func setQuantities(_ writes: [QuantityWrite]) async throws -> [QuantityWrite]
}
