import ArgumentParser
import Foundation
import StockyardConfig
import StockyardEngine

extension StockyardCommand {
    /// `stockyard validate`: checks the config without reading any store.
    struct Validate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the config file: syntax, keys, types, references and masters.",
            discussion: """
                Reports every problem, sorted by position, as PATH:LINE:COL: severity: message [rule]. \
                Text shows every error and the first few warnings of each rule, then how many more \
                (--all-warnings prints them all; --format json always has every one). \
                Reads no store; `stockyard plan` adds the checks that need the stores.

                Exit codes: 0 valid (warnings allowed); 1 not valid; 64 usage error.

                Examples:
                  stockyard validate
                  stockyard validate --config examples/demo/stockyard.yaml --format json
                """)

        @OptionGroup var options: ConfigOptions
        @OptionGroup var warningOptions: WarningOptions

        @Option(help: "Output format: text (stderr) or json (stdout).")
        var format: DiagnosticsFormat = .text

        func run() async throws {
            let loaded: LoadedConfig
            do {
                loaded = try ConfigLoader.load(path: options.configURL.path, displayPath: options.config, fingerprint: false)
            } catch {
                throw CLIFailure.failed(error)
            }
            defer { UntilExit.keep(loaded) }
            let diagnostics = loaded.allDiagnostics(today: Day.fromEnvironment())
            switch format {
            case .json:
                Terminal.writeOut(DiagnosticJSON.report(diagnostics))
            case .text:
                let printer = DiagnosticPrinter(
                    source: loaded.source, style: Style(enabled: Terminal.colorAllowed(fd: 2)), allWarnings: warningOptions.allWarnings)
                Terminal.writeErr(printer.render(diagnostics, subject: options.config))
            }
            if diagnostics.hasErrors { throw ExitCode(1) }
        }
    }
}
