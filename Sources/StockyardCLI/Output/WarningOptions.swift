import ArgumentParser

/// `--all-warnings`, shared by every command that prints diagnostics as text.
struct WarningOptions: ParsableArguments {
    @Flag(help: "Print every warning in text output (by default, the first few of each rule and a count of the rest).")
    var allWarnings = false
}
