import CStockyardBuild
import Foundation
import StockyardAdapters
import StockyardConfig
import StockyardEngine
import StockyardState

/// Wires config, state and store adapters together to make a plan. The only place that knows
/// which adapter serves which platform.
struct PlanService {
    var configPath: String
    var configDisplayPath: String
    var statePath: String
    var selectedStores: Set<String>?
    var excludedStores: Set<String>
    /// What the operator allows the config's stores to reach.
    var trust = TrustPolicy()

    struct Result {
        var plan: Plan
        var loaded: LoadedConfig
        var config: DesiredConfig
        /// The state and the store readings the plan was made from: handed over with the plan so
        /// that a command can free them beside its output (``UntilExit``) instead of before it.
        var madeFrom: (state: HubState, readings: [String: StoreReading])
    }

    /// Loads and checks the config; `nil` config means the file had errors (diagnostics say which).
    func loadConfig() throws -> LoadedConfig {
        do {
            return try ConfigLoader.load(path: configPath, displayPath: configDisplayPath)
        } catch {
            throw CLIFailure.failed(error)
        }
    }

    /// A SQLite state, opened and read on another thread while the config is parsed: the state
    /// load waited for the parse, then held up the reading of the stores (which wait for it to
    /// know which quantities to read). A PostgreSQL state is opened only once the config is
    /// known to be valid, as before: opening one may migrate it.
    ///
    /// Once the state is read, the `file` stores it names are read and checked ahead
    /// (``FileStoreReadAhead``) until the plan's own reading of the stores starts: the core that
    /// read the state would wait for the config otherwise. Only files the trust policy lets a
    /// store use are read.
    struct EarlyState: Sendable {
        let store: Task<any StateStore, any Error>
        let loading: Task<HubState, any Error>
        let readAhead: FileStoreReadAhead
    }

    /// Starts reading the state for ``makePlan(_:today:early:)``; `nil` for a PostgreSQL state.
    /// Nothing it finds is said until the plan needs the state: a config's errors come first.
    func startReadingState() -> EarlyState? {
        guard !PostgresLocation.matches(statePath) else { return nil }
        let path = statePath
        let store = Task { try StateLocator.openForReading(path) }
        let loading = Task { try await store.value.loadForPlan() }
        let readAhead = FileStoreReadAhead()
        let (trust, configDirectory) = (trust, URL(fileURLWithPath: configPath).deletingLastPathComponent())
        let configPath = configPath
        Task {
            guard let state = try? await loading.value else { return }
            var files = TrustPolicy.StoreFileResolver(policy: trust, roots: trust.storeRoots(configDirectory: configDirectory))
            var targets = state.stores.values.filter { $0.platform == .file }.sorted { $0.key < $1.key }.map { (path: $0.target, store: $0.key) }
            // A state with no `file` stores (a first plan) names none: the `path:`s the config's
            // text seems to give are read ahead instead (a guess: see `StorePathScan`). Then a
            // first plan's core that read the state no longer waits for the config's parse.
            // Only a regular file: a pipe (`--config /dev/stdin`, `<(…)`) is the loader's to read, once.
            if targets.isEmpty, Self.isRegularFile(configPath), let text = FileManager.default.contents(atPath: configPath) {
                targets = StorePathScan.paths(in: Array(text)).map { (path: $0, store: "") }
            }
            var resolved: [(written: String, real: String)] = []
            for target in targets {
                if let real = try? files.realPath(of: target.path, store: target.store) { resolved.append((target.path, real)) }
            }
            readAhead.remember(realPaths: Dictionary(resolved, uniquingKeysWith: { first, _ in first }))
            // On a thread of its own, at a lower priority: the parse of the config, which every
            // plan waits for, then takes the cores it wants (at 100,000 connections, its thread
            // waited 40 ms for one while this one read), and this one the time it leaves.
            let paths = resolved.map(\.real)
            Thread {
                stockyard_lower_thread_priority()
                readAhead.check(paths: paths)
            }.start()
        }
        return EarlyState(store: store, loading: loading, readAhead: readAhead)
    }

    /// A regular file (not a pipe, a device or a folder), following symlinks.
    static func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    func makePlan(_ loaded: LoadedConfig, today: Day, early: EarlyState? = nil) async throws -> Result? {
        guard let config = loaded.validConfig else {
            early?.readAhead.stop()
            return nil
        }
        let chosen = selection(config)
        let baseURL = URL(fileURLWithPath: configPath).deletingLastPathComponent()
        // The folders file stores may use are resolved once for the plan, not per store.
        let roots = trust.storeRoots(configDirectory: baseURL)
        let checked = try AdapterFactory.preflight(
            Self.chosenStores(config, chosen), baseURL: baseURL, trust: trust, roots: roots,
            resolved: early?.readAhead.rememberedRealPaths ?? [:])
        // The state and the stores' location lists are read at the same time; quantities only
        // for the locations whose change moves numbers, which takes the state to know. Then the
        // stock of only the warehouses those changes (and the deletes) show numbers of: that of
        // the warehouses the plan may delete while the stores are read (the config and the state
        // name them), the rest after.
        let store: any StateStore
        let loading: Task<HubState, any Error>
        if let early {
            store = try await early.store.value
            loading = early.loading
        } else {
            store = try StateLocator.openForReading(statePath)
            loading = Task { try await store.loadForPlan() }
        }
        let needs = Task { (try? await loading.value).map { QuantityNeeds(config: config, state: $0) } }
        let deletableStock = Task {
            guard let needs = await needs.value, !needs.deletableWarehouses.isEmpty else { return [String: SKUNumbers]() }
            return try await store.stock(inWarehouses: needs.deletableWarehouses)
        }
        // From here the stores are read on every core: what was not checked ahead is checked there.
        early?.readAhead.stop()
        let readAhead = early?.readAhead
        let reading = Task { await readStores(config, needs: needs, roots: roots, checkedPaths: checked, readAhead: readAhead) }
        let state: HubState
        let readings: [String: StoreReading]
        do {
            (state, readings) = try await store.closing {
                // Every read of the state ends before it is closed, whatever fails.
                let loaded = await loading.result
                let (readings, linked) = await reading.value
                let deletable = await deletableStock.result
                var state = try loaded.get()
                // What the readers freed (store files, their parse) would otherwise stay with their arenas.
                MallocArenas.returnFreeMemory()
                if let needs = await needs.value {
                    // Into the stock read now, held nowhere else: merged into the other, still held
                    // by its task, it would be copied first.
                    var stock = try await store.stock(inWarehouses: needs.undeletableWarehouses(linkedTo: linked))
                    stock.merge(try deletable.get()) { linked, _ in linked }
                    state.stock = stock
                }
                return (state, readings)
            }
        } catch {
            _ = await reading.value
            throw CLIFailure.failed(error)
        }
        let plan = Planner.plan(
            Planner.Input(
                config: config, state: state, stores: readings, today: today, selectedStores: selection(config)))
        return Result(plan: plan, loaded: loaded, config: config, madeFrom: (state, readings))
    }

    func selection(_ config: DesiredConfig) -> Set<String>? {
        guard selectedStores != nil || !excludedStores.isEmpty else { return nil }
        let all = Set(config.stores.map(\.key))
        return (selectedStores ?? all).subtracting(excludedStores)
    }

    /// The stores `chosen` (all when nil): the config's own array when every store is, not a
    /// copy of each of them.
    static func chosenStores(_ config: DesiredConfig, _ chosen: Set<String>?) -> [StoreSpec] {
        guard let chosen else { return config.stores }
        return config.stores.filter { chosen.contains($0.key) }
    }

    /// How many stock numbers (one SKU at one location or warehouse) a plan was made from.
    static func numbersHeld(by madeFrom: (state: HubState, readings: [String: StoreReading])) -> Int {
        var count = madeFrom.state.stock.values.reduce(0) { $0 + $1.count }
        for case .read(let facts) in madeFrom.readings.values {
            count += facts.quantities.values.reduce(0) { $0 + $1.count }
        }
        return count
    }

    func openState(create: Bool) throws -> any StateStore {
        try StateLocator.open(statePath, create: create)
    }

    static func openState(path: String, create: Bool) throws -> any StateStore {
        try StateLocator.open(path, create: create)
    }

    /// Reads the selected stores, `readingWidth` tasks at a time; one failing store does not stop the others. `needs`
    /// says which locations' quantities to read (none when the state could not be read: the plan
    /// fails then anyway). Also the warehouses whose stock the stores read show numbers of
    /// (`QuantityNeeds.linkedWarehouses`), found by each store's reader: after the reading, that
    /// pass over every store's locations held up the plan on one core.
    func readStores(
        _ config: DesiredConfig, needs: Task<QuantityNeeds?, Never>, roots: TrustPolicy.StoreRoots, checkedPaths: [String: String] = [:],
        readAhead: FileStoreReadAhead? = nil
    ) async -> (readings: [String: StoreReading], linked: Set<String>) {
        let stores = Self.chosenStores(config, selection(config))
        let baseURL = roots.configDirectory
        // Stores in files are read a few to a task, one after another: at 10,000 small stores, a
        // task each cost more in scheduling than reading some of them. A store over the network
        // has a task of its own, so that its waits overlap.
        let perTask = max(1, min(Self.fileStoresPerTask, stores.count / (Self.readingWidth * 4)))
        var batches: [ArraySlice<StoreSpec>] = []
        var start = 0
        while start < stores.count {
            var end = start + 1
            if stores[start].platform == .file {
                while end < stores.count, end - start < perTask, stores[end].platform == .file { end += 1 }
            }
            batches.append(stores[start..<end])
            start = end
        }
        return await withTaskGroup(of: [(String, StoreReading, Set<String>)].self) { group in
            // At most `readingWidth` tasks at once, the next started as one finishes: a task
            // group's bookkeeping is linear in its open children, so 10,000 small stores started
            // together spent a quarter of a plan there, and held every store's file at once.
            var out: [String: StoreReading] = [:]
            var linked = Set<String>()
            var started = 0
            for (running, batch) in batches.enumerated() {
                if running >= Self.readingWidth, let read = await group.next() {
                    for (key, reading, warehouses) in read {
                        out[key] = reading
                        linked.formUnion(warehouses)
                    }
                }
                // A store read before its needs are known keeps its whole file until they are.
                if started >= Self.readingAheadOfState { _ = await needs.value }
                started += batch.count
                group.addTask {
                    var read: [(String, StoreReading, Set<String>)] = []
                    read.reserveCapacity(batch.count)
                    for store in batch {
                        read.append(
                            await readStore(
                                store, needs: needs, baseURL: baseURL, roots: roots, checkedPath: checkedPaths[store.key], readAhead: readAhead))
                    }
                    return read
                }
            }
            for await read in group {
                for (key, reading, warehouses) in read {
                    out[key] = reading
                    linked.formUnion(warehouses)
                }
            }
            return (out, linked)
        }
    }

    /// One store's reading, and the warehouses its locations link to.
    private func readStore(
        _ store: StoreSpec, needs: Task<QuantityNeeds?, Never>, baseURL: URL, roots: TrustPolicy.StoreRoots, checkedPath: String?,
        readAhead: FileStoreReadAhead?
    ) async -> (String, StoreReading, Set<String>) {
        let made: (any StoreAdapter)?
        do {
            made = try AdapterFactory.adapter(for: store, baseURL: baseURL, trust: trust, roots: roots, checkedPath: checkedPath, readAhead: readAhead)
        } catch {
            return (store.key, .failed(message: "\(error)", location: store.location), [])
        }
        guard let adapter = made else {
            return (store.key, .failed(message: "reading \(store.platform.rawValue) stores is not supported by this build", location: store.location), [])
        }
        do {
            // The warehouses are found with the locations to read, in the same pass.
            let found = FoundNeeds()
            let facts = try await adapter.closing {
                try await adapter.readFacts(storeKey: store.key) { locations in
                    guard let needs = await needs.value else { return [] }
                    let (ids, warehouses) = needs.needs(store: store, locations: locations)
                    found.record(warehouses, for: locations)
                    return ids
                }
            }
            let warehouses: Set<String>
            if let recorded = found.warehouses(for: facts.locations) {
                warehouses = recorded
            } else {
                warehouses = await needs.value?.linkedWarehouses(store: store, locations: facts.locations) ?? []
            }
            return (store.key, .read(facts), warehouses)
        } catch {
            // The planner's diagnostic names the store already (`store 'web' could not be read: …`).
            return (store.key, .failed(message: describeStoreError(error, store: store.key), location: store.location), [])
        }
    }

    /// The warehouses one store's reading found its locations link to, with the locations they
    /// were found for: an adapter that hands back other locations than it asked about gets them
    /// found again.
    final class FoundNeeds: @unchecked Sendable {
        private let lock = NSLock()
        private var found: (locations: [StoreLocation], warehouses: Set<String>)?

        func record(_ warehouses: Set<String>, for locations: [StoreLocation]) {
            lock.withLock { found = (locations, warehouses) }
        }

        func warehouses(for locations: [StoreLocation]) -> Set<String>? {
            lock.withLock { found.flatMap { $0.locations == locations ? $0.warehouses : nil } }
        }
    }

    /// How many stores are read at the same time.
    static let readingWidth = 16
    /// At most how many stores in files one task reads, one after another (fewer when there are
    /// few stores, so that every core has some).
    static let fileStoresPerTask = 32
    /// How many stores are read before the state is: each holds its file (4 MB at 1,000 locations
    /// of 200 SKUs) until the state says which of its locations' numbers the plan shows.
    static let readingAheadOfState = 2
}
