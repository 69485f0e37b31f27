/// The stable identifier of every check. Warning ids can be listed in `lint.ignore`; they never change
/// once released, because configs in the wild name them.
public enum RuleID: String, Sendable, Codable, CaseIterable, Hashable {
    // MARK: - Errors in the file itself
    case yamlSyntax = "yaml-syntax"
    case duplicateKey = "duplicate-key"
    case unknownKey = "unknown-key"
    case wrongType = "wrong-type"
    case missingKey = "missing-key"
    case emptyValue = "empty-value"
    case badValue = "bad-value"
    case unsupportedVersion = "unsupported-version"
    case literalSecret = "literal-secret"

    // MARK: - Errors across the config
    case undefinedWarehouse = "undefined-warehouse"
    case duplicateCode = "duplicate-code"
    case duplicateLocation = "duplicate-location"
    case twoStoreMasters = "two-store-masters"
    case renameConflict = "rename-conflict"

    // MARK: - Errors from the stores
    case locationNotFound = "location-not-found"
    case locationInactive = "location-inactive"
    case storeUnreadable = "store-unreadable"

    // MARK: - Warnings
    case thirdPartyOnStockyardMaster = "3pl-on-stockyard-master"
    case ownOnStoreMaster = "own-on-store-master"
    case storeMasterTrialEnded = "store-master-trial-ended"
    case fulfillmentServiceOnOwn = "fulfillment-service-on-own"
    case sharedAddress = "shared-address"
    case unmanagedLocation = "unmanaged-location"
    case unusedWarehouse = "unused-warehouse"
    case pushFromEmptyWarehouse = "push-from-empty-warehouse"
    case storeMasterShared = "store-master-shared"

    /// The rules `lint.ignore` may silence. `unmanaged-location` is one even though a store's
    /// `unmanaged_locations: error` turns it into an error: silencing it then is the store's own choice.
    public static let lintable: [RuleID] = [
        .thirdPartyOnStockyardMaster, .ownOnStoreMaster, .storeMasterTrialEnded,
        .fulfillmentServiceOnOwn, .sharedAddress, .unmanagedLocation, .unusedWarehouse, .pushFromEmptyWarehouse,
        .storeMasterShared,
    ]

    public var isLintable: Bool { Self.lintable.contains(self) }
}
