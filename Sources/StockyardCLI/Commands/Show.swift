import ArgumentParser
import Foundation
import StockyardEngine

extension StockyardCommand {
    /// `stockyard show FILE`: renders a saved plan again, in any format.
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a saved plan file.",
            discussion: """
                Examples:
                  stockyard plan --out plan.json
                  stockyard show plan.json --format markdown
                """)

        @Argument(help: "A plan saved with `stockyard plan --out FILE`.")
        var file: String

        @Option(help: "Output format: text, json or markdown.")
        var format: PlanFormat = .text

        @Flag(help: "Leave the diagram of what changes out of the Markdown comment.")
        var noDiagram = false

        @OptionGroup var warningOptions: WarningOptions

        func run() async throws {
            let plan = try PlanFile.read(file)
            Terminal.writeOut(
                PlanRenderer.render(
                    plan, as: format, color: format == .text && Terminal.colorAllowed(fd: 1), diagram: !noDiagram,
                    allWarnings: warningOptions.allWarnings))
        }
    }
}
