import StockyardEngine

/// Why a store file could not be used, naming the file as the config writes it (and, for its
/// content, the line and column). Worded once, in ``description``.
public enum FileStoreError: StoreError, Hashable {
    case missing(file: String)
    case danglingSymlink(file: String, target: String)
    case unreadable(file: String, reason: String)
    case isFolder(file: String)
    case isFIFO(file: String)
    case isDeviceOrSocket(file: String)
    case folderUnopenable(file: String, reason: String)
    case folderUnlockable(file: String, reason: String)
    case unwritable(file: String, reason: String)
    case modeNotKept(file: String, reason: String)
    case ownerNotKept(file: String, uid: UInt32, gid: UInt32, reason: String)
    /// The content is not a store file: JSON syntax, shape, or a number out of range.
    case invalid(file: String, line: Int, column: Int, reason: String)
    case unknownLocation(file: String, locationID: String)
    case quantityOutOfRange(file: String, sku: String, locationID: String, quantity: Int)

    public var description: String {
        switch self {
        case .missing(let file):
            "\(file): no store file here (the path is relative to the config file's folder)"
        case .danglingSymlink(let file, let target):
            "\(file): the store file is a symlink to '\(target)', which does not exist"
        case .unreadable(let file, let reason):
            "\(file): cannot read the store file: \(reason)"
        case .isFolder(let file):
            "\(file): this is a folder, not a store file"
        case .isFIFO(let file):
            "\(file): this is a FIFO (named pipe), not a store file"
        case .isDeviceOrSocket(let file):
            "\(file): this is a device or socket, not a store file"
        case .folderUnopenable(let file, let reason):
            "\(file): cannot open the store file's folder: \(reason)"
        case .folderUnlockable(let file, let reason):
            "\(file): cannot lock the store file's folder: \(reason)"
        case .unwritable(let file, let reason):
            "\(file): cannot write the store file: \(reason)"
        case .modeNotKept(let file, let reason):
            "\(file): cannot write the store file: cannot keep its mode: \(reason)"
        case .ownerNotKept(let file, let uid, let gid, let reason):
            "\(file): cannot write the store file: cannot keep its owner (uid \(uid), gid \(gid)): \(reason)"
        case .invalid(let file, let line, let column, let reason):
            "\(file):\(line):\(column): \(reason)"
        case .unknownLocation(let file, let locationID):
            "\(file): no location has id '\(locationID)'"
        case .quantityOutOfRange(let file, let sku, let locationID, let quantity):
            "\(file): \(sku) at location '\(locationID)' cannot be set to \(quantity): quantities run from \(StockQuantity.rangeText)"
        }
    }

    public var fault: ErrorFault { .user }

    /// A `file` store writes the whole file atomically, or not at all.
    public var nothingWritten: Bool { true }

    /// A store file's errors are the file's, except for one location or one SKU's number.
    public var concernsTheWholeStore: Bool {
        switch self {
        case .unknownLocation, .quantityOutOfRange: false
        default: true
        }
    }

    /// The messages name the file, not the store.
    public var storeKey: String? { nil }
}
