import Foundation

extension Synchronizer {
    /// The state as this run has made it: loaded once, then kept up to date with every commit.
    ///
    /// Warehouses sync in parallel, each reading and writing only its own rows, so the copy is
    /// behind a lock and answers targeted reads: a task never holds the whole state, which would
    /// make every other task's next write copy all of it.
    final class WorkingState: @unchecked Sendable {
        private let lock = NSLock()
        private var hub: HubState

        init(_ hub: HubState) { self.hub = hub }

        func stock(of warehouse: String) -> [String: Int] {
            lock.withLock { hub.stock[warehouse]?.dictionary ?? [:] }
        }

        func syncMarks(of id: ConnectionRecord.ID) -> [String: Int] {
            lock.withLock { hub.syncMarks[id] ?? [:] }
        }

        func readMark(of id: ConnectionRecord.ID) -> ReadMark? {
            lock.withLock { hub.readMarks[id] }
        }

        /// Keeps the copy in step with committed mutations (only those sync makes).
        func apply(_ mutations: [StateMutation]) {
            lock.withLock {
                for mutation in mutations {
                    switch mutation {
                    case .setStock(let warehouse, let quantities):
                        hub.stock[warehouse, default: [:]].merge(quantities)
                    case .setSyncMarks(let id, let quantities):
                        hub.syncMarks[id, default: [:]].merge(quantities) { $1 }
                    case .removeSyncMarks(let id, let skus):
                        for sku in skus { hub.syncMarks[id]?[sku] = nil }
                    case .setReadMark(let mark):
                        hub.readMarks[mark.id] = mark
                    default:
                        // The journal is not read back during a run: pushes are resolved before it.
                        break
                    }
                }
            }
        }
    }
}
